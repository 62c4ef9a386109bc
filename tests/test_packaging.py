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


def test_works_from_a_zip_archive(tmp_path: Path) -> None:
    """The data are read through the package's loader, so a zipped package works too."""
    import zipfile

    package = Path(portinfo.__file__).parent
    archive = tmp_path / "portinfo.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in package.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, Path("portinfo") / path.relative_to(package))
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import portinfo\n"
        "assert portinfo.__file__.startswith(sys.argv[1]), portinfo.__file__\n"
        "print(portinfo.lookup(2039, 'tcp').services, portinfo.data_info().iana_updated)\n"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code, str(archive)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert out.split() == ["('prizma',)", "2026-08-17"]
