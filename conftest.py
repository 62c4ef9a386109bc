"""Runs every Python example in README.md and docs/ as a test, so no example goes stale.

Examples are compared as doctest does, with ``...`` standing for any text (ELLIPSIS) and
runs of white space equal to one another (NORMALIZE_WHITESPACE), so that an example whose
figures change with each data refresh can say ``...`` where they would be.

A page whose examples need an optional extra (pandas, Sphinx) runs where the extra is
installed, as with ``pip install -e '.[dev]'``; where it is not (the runs under the other
Pythons install the test extra only), the page is left out and a line says so. (docs/bulk.md
skips its examples one by one, with Sybil's ``skip: start if(...)``.)
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import tempfile
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path
from typing import Any

import pytest
from sybil import Example, Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser, SkipParser
from sybil.typing import Parser

DISCOVERY = ("PORTINFO_LOCAL", "PORTINFO_DATA")
"""The environment variables by which a user's configuration reaches every tool: cleared for
the tests, so that every example answers as printed on any machine."""


def pytest_configure(config: pytest.Config) -> None:
    """Run every test, and every program a test starts, with no user configuration: the
    discovery variables unset, and the config file (PORTINFO_CONFIG, and on Linux the XDG
    directory platformdirs reads) in an empty directory of the run's own. The tests of
    discovery itself set them for one test at a time."""
    empty = tempfile.mkdtemp(prefix="portinfo-config-")
    config.add_cleanup(lambda: shutil.rmtree(empty, ignore_errors=True))
    for variable in DISCOVERY:
        os.environ.pop(variable, None)
    os.environ["PORTINFO_CONFIG"] = os.path.join(empty, "portinfo", "config.toml")
    os.environ["XDG_CONFIG_HOME"] = empty


# Sphinx's configuration is not a test module, nor the sample project tests/test_sphinx.py
# builds: pytest should never import either.
collect_ignore = ["docs/conf.py", "tests/sphinx_sample"]

NEEDS = {
    "docs/recipes/pandas.md": ("pandas",),
    "docs/recipes/sphinx.md": ("sphinx", "myst_parser"),
}
"""The pages whose examples need an optional extra, and the modules it brings."""

LEFT_OUT = {
    page: [m for m in modules if importlib.util.find_spec(m) is None]
    for page, modules in NEEDS.items()
}
LEFT_OUT = {page: missing for page, missing in LEFT_OUT.items() if missing}

WITH_FILES = ["docs/local.md"]
"""The pages whose examples read files that the page itself shows (see :func:`_write_file`)."""
_FILE_NAME = re.compile(r"# ([\w.-]+\.[\w]+)\n")


def _write_file(example: Example) -> None:
    """A code block whose first line is ``# NAME`` (``# ports.toml``, ``# quill.services``)
    is written to ``NAME`` in the page's own directory, where its examples run: a page
    shows a file, and its examples read exactly that."""
    found = _FILE_NAME.match(str(example.parsed))
    if found:
        Path(found.group(1)).write_text(str(example.parsed), encoding="utf-8")


def _enter(namespace: dict[str, Any]) -> None:
    """Run a page's examples in a directory of its own, where its files are written."""
    namespace["_home"] = os.getcwd()
    namespace["_here"] = tempfile.mkdtemp(prefix="portinfo-docs-")
    os.chdir(namespace["_here"])


def _leave(namespace: dict[str, Any]) -> None:
    os.chdir(namespace["_home"])
    shutil.rmtree(namespace["_here"], ignore_errors=True)


_EXAMPLES: list[Parser] = [
    PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
    SkipParser(),
]
pytest_collect_file = (
    Sybil(
        parsers=_EXAMPLES,
        patterns=["README.md", "docs/*.md", "docs/recipes/*.md"],
        excludes=[*LEFT_OUT, *WITH_FILES],
    )
    + Sybil(
        parsers=[
            *(CodeBlockParser(language, _write_file) for language in ("toml", "text")),
            *_EXAMPLES,
        ],
        patterns=WITH_FILES,
        setup=_enter,
        teardown=_leave,
        name="with-files",
    )
).pytest()


def pytest_report_header() -> list[str]:
    return [
        f"examples of {page} not run: {', '.join(missing)} not installed"
        for page, missing in LEFT_OUT.items()
    ]
