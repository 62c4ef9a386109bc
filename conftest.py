"""Runs every Python example in README.md and docs/ as a test, so no example goes stale.

Examples are compared as doctest does, with ``...`` standing for any text (ELLIPSIS) and
runs of white space equal to one another (NORMALIZE_WHITESPACE), so that an example whose
figures change with each data refresh can say ``...`` where they would be.
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

# Sphinx's configuration is not a test module, nor the sample project tests/test_sphinx.py
# builds: pytest should never import either.
collect_ignore = ["docs/conf.py", "tests/sphinx_sample"]

pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        SkipParser(),
    ],
    patterns=["README.md", "docs/*.md"],
).pytest()
