"""What ships: the typing marker, the public names, and nothing done at import."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

import portinfo


def test_public_names_are_sorted_and_exist() -> None:
    assert list(portinfo.__all__) == sorted(portinfo.__all__)
    for name in portinfo.__all__:
        assert hasattr(portinfo, name), name


def test_py_typed_ships() -> None:
    assert files("portinfo").joinpath("py.typed").is_file()


@pytest.mark.skipif(
    not os.environ.get("PORTINFO_EXPECT_INSTALLED"),
    reason="only in CI's run against the built wheel (PORTINFO_EXPECT_INSTALLED=1)",
)
def test_runs_from_the_installed_wheel_not_from_src() -> None:
    location = Path(portinfo.__file__).resolve()
    assert "site-packages" in location.parts, location
    assert "src" not in location.parts, location


def test_import_reads_no_data() -> None:
    code = (
        "import sys, portinfo\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('portinfo'))\n"
        "print(' '.join(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    assert "portinfo" in out
    assert not any("registry" in name or "iana" in name for name in out), out
