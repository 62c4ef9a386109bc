"""What ships: the typing marker, the public names, nothing done at import, and the name to
install (the distribution is ``pyportinfo``: the package index's ``portinfo`` is another
project with the same import name)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import portinfo
from tests.conftest import REPOSITORY

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


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


def test_the_first_query_reads_the_data_with_importlib_resources() -> None:
    loaded = _modules_after("import portinfo; portinfo.lookup(80, 'tcp')")
    assert "attrs" in loaded
    backport = sys.version_info < (3, 10)
    assert ("importlib_resources" if backport else "importlib.resources") in loaded, loaded


def test_a_first_lookup_imports_only_what_it_answers_with() -> None:
    """The classes of resolve (until a name is resolved), search, the manifest and your own
    services, the saved registry's module and platformdirs (the config file is found
    without it on Linux) wait for a question that needs them: each is some tenths of a
    millisecond, or more, of every first lookup (see docs/performance.md)."""
    later = {"portinfo._own", "portinfo._manifest", "portinfo._saved", "portinfo._search"}
    loaded = _modules_after("import portinfo; portinfo.lookup(80, 'tcp')")
    assert not loaded & {*later, "portinfo._results"}, loaded & {*later, "portinfo._results"}
    if sys.platform.startswith("linux") and os.path.isabs(os.environ.get("HOME", "")):
        assert "platformdirs" not in loaded
    loaded = _modules_after("import portinfo; portinfo.resolve('http')")
    assert "portinfo._results" in loaded
    assert not loaded & later, loaded & later


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


# --- the version and the name to install ---------------------------------------------------


def _project() -> dict[str, Any]:
    with (REPOSITORY / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def test_the_version_is_the_one_the_build_reads() -> None:
    """hatchling takes the version from the file pyproject names, by this same pattern."""
    project = _project()
    assert project["project"]["dynamic"] == ["version"]
    source = REPOSITORY / project["tool"]["hatch"]["version"]["path"]
    found = re.search(
        r"""^__version__\s*=\s*["']([^"']+)["']""", source.read_text(encoding="utf-8"), re.M
    )
    assert found is not None, f"{source} has no __version__ line"
    assert portinfo.__version__ == found.group(1)
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?(\.dev\d+)?", portinfo.__version__)


def test_the_installed_distribution_is_pyportinfo_at_that_version() -> None:
    try:
        installed = metadata.distribution("pyportinfo")
    except metadata.PackageNotFoundError:
        if os.environ.get("PORTINFO_EXPECT_INSTALLED"):
            raise
        pytest.skip("pyportinfo is not installed (portinfo is imported from src/)")
    assert installed.metadata["Name"] == _project()["project"]["name"] == "pyportinfo"
    assert installed.version == portinfo.__version__


INSTALL = re.compile(
    r"\b(?:pip3?\s+install|uv\s+(?:pip\s+install|add)|pipx\s+install|poetry\s+add|pdm\s+add)\b"
)
"""A command that installs distributions named by the words after it."""

WRONG_NAME = re.compile(r"portinfo(\[[\w,\s-]*\])?([<>=!~;@].*)?")
"""The index's other project, with or without extras or a version."""


def wrong_installs(text: str) -> list[tuple[int, str]]:
    """The install commands in ``text`` that name ``portinfo``, as (line number, line).

    A command's arguments run to the end of its line, or to a backtick, parenthesis, ``&&``,
    ``;`` or ``|``; a command that ends its line with no argument yet takes the next line's
    (a docstring that wraps ``pip install`` before ``'portinfo[local]'``).
    """
    lines = text.splitlines()
    found = []
    for number, line in enumerate(lines, start=1):
        for command in INSTALL.finditer(line):
            rest = line[command.end() :]
            if not rest.strip(" \t\"'") and number < len(lines):
                rest = lines[number]
            arguments = re.split(r"`|\(|\)|&&|;|\|", rest)[0]
            arguments = re.sub(r"\[[^\]]*\]", lambda extras: extras[0].replace(" ", ""), arguments)
            if any(WRONG_NAME.fullmatch(w.strip("\"'\\,")) for w in arguments.split()):
                found.append((number, line.strip()))
    return found


@pytest.mark.parametrize(
    "text",
    [
        "pip install portinfo",
        "python3 -m pip install 'portinfo[local]'",
        'needs pip install "portinfo[pandas, numpy]")',
        "`pip install -U portinfo==0.2.0`",
        "uv add portinfo",
        "uv pip install --upgrade portinfo",
        "pipx install portinfo",
        "Raises it without psutil (``pip install\n    'portinfo[local]'``)",
        '"psutil is not installed: pip install "\n    "\'portinfo[local]\'"',
    ],
)
def test_a_wrong_install_line_is_found(text: str) -> None:
    assert wrong_installs(text) == [(1, text.splitlines()[0].strip())]


@pytest.mark.parametrize(
    "text",
    [
        "pip install pyportinfo",
        "python3 -m pip install 'pyportinfo[local]'",
        "python3 -m venv .venv && .venv/bin/python -m pip install -q -e '.[dev]'",
        "uv add pyportinfo && python -m portinfo 2039",
        "pip install portinfo-extras",
        "import portinfo; pip install happens elsewhere",
    ],
)
def test_a_right_install_line_is_not(text: str) -> None:
    assert wrong_installs(text) == []


def _documents() -> list[Path]:
    docs = REPOSITORY / "docs"
    return [
        REPOSITORY / "README.md",
        *sorted(docs.rglob("*.md")),
        docs / "conf.py",
        *sorted((REPOSITORY / "src" / "portinfo").rglob("*.py")),
    ]


def test_every_install_line_names_pyportinfo() -> None:
    """README, the docs and the messages of src/ never tell anyone to install ``portinfo``."""
    documents = _documents()
    assert len(documents) > 20, documents  # the docs and the sources are where they should be
    wrong = [
        f"{path.relative_to(REPOSITORY)}:{number}: {line}"
        for path in documents
        for number, line in wrong_installs(path.read_text(encoding="utf-8"))
    ]
    assert not wrong, "install pyportinfo, not portinfo (another project):\n" + "\n".join(wrong)


def _set_up_commands() -> list[str]:
    """The shell commands of the README's "Set up" section: the main job's, then the tests'."""
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Set up\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```sh\n(.*?)\n```$", section, re.DOTALL | re.MULTILINE)


def test_ci_runs_the_readme_commands_as_written() -> None:
    commands = _set_up_commands()
    assert len(commands) == 2, commands
    main_job, tests = commands
    assert "python3 -m venv .venv" in main_job, "PEP 668: the main job installs into a venv"
    assert "portinfo 2039" in main_job
    assert "pytest" in tests
    run = (REPOSITORY / ".ci" / "run").read_text(encoding="utf-8")
    assert f'main_job="{main_job}"' in run, "the README's main-job command is not .ci/run's"
    assert f'pytest_ok bash -c "{tests}"' in run, "the README's test command is not .ci/run's"
