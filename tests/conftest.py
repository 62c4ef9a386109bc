"""Shared fixtures: the tiny hand-written registries, and the raw upstream files if present;
and the one way the tests run Sphinx."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portinfo import Registry

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REPOSITORY = Path(__file__).resolve().parents[1]


def sphinx_build(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    """Sphinx with ``arguments``, in a child process from the repository: quiet, and without
    colours (Sphinx colours its warnings where ``CI=true`` is set, as in CI)."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "--no-color", *map(str, arguments)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPOSITORY,
    )


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
