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


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after ``code``, less those it starts with."""
    script = (
        "import sys\nbefore = set(sys.modules)\n"
        + code
        + "\nprint(' '.join(sorted(set(sys.modules) - before)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return set(out.split())


def test_import_reads_no_data_and_imports_next_to_nothing() -> None:
    loaded = _modules_after("import portinfo")
    assert "portinfo" in loaded
    assert not any(name.startswith("portinfo.") for name in loaded), loaded
    assert not loaded & {"typing", "re", "enum", "attr", "attrs", "importlib.resources"}, loaded
    assert portinfo.__version__ == "0.2.0"


def test_the_first_query_reads_the_data_with_importlib_resources() -> None:
    loaded = _modules_after("import portinfo; portinfo.lookup(80, 'tcp')")
    assert "attrs" in loaded
    backport = sys.version_info < (3, 10)
    assert ("importlib_resources" if backport else "importlib.resources") in loaded, loaded


def test_works_from_a_zip_archive(tmp_path: Path) -> None:
    """The data are read with importlib.resources, so a zipped package works too."""
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


def test_public_classes_show_the_name_users_import() -> None:
    import pickle

    for name in ("PortInfo", "Assignment", "Service", "SearchResult", "DataInfo", "Protocol",
                 "Status", "Match", "PortRange", "Registry", "Listener"):  # fmt: skip
        cls = getattr(portinfo, name)
        assert repr(cls) in (f"<class 'portinfo.{name}'>", f"<enum '{name}'>"), repr(cls)
        assert cls.__module__ == "portinfo", name
    info = portinfo.lookup(80, "tcp")
    assert pickle.loads(pickle.dumps(info)) == info
    assert pickle.loads(pickle.dumps(portinfo.resolve("http"))) == portinfo.resolve("http")
