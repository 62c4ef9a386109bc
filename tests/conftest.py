"""Shared fixtures: the tiny hand-written registries, and the raw upstream files if present."""

from __future__ import annotations

from pathlib import Path

import pytest

from portinfo import Registry

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The raw upstream files in ../shared/data/; tests that need them skip without them."""
    if not (SHARED / "service-names-port-numbers.xml").is_file():
        pytest.skip(f"the raw upstream files are not at {SHARED} (as in an sdist)")
    return SHARED


@pytest.fixture(scope="session")
def tiny() -> Registry:
    """A registry of the tiny hand-written XML, services and nmap-services files."""
    return Registry.from_files(
        iana=DATA / "tiny.xml", services=DATA / "tiny-services", nmap=DATA / "tiny-nmap-services"
    )
