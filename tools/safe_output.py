"""Checks that an output of portinfo is safe to publish, paste and pipe, by parsing it.

Shared by tests/test_escape.py (the hostile fixtures) and tools/fuzz.py (generated hostile
files): Markdown is parsed by markdown-it (with the table, strikethrough, dollar-maths and
MyST-role rules), CSV and TSV by the csv module, text and JSON are read character by
character. Each check raises :class:`UnsafeOutputError` (an ``AssertionError``, so that pytest
shows it as a failed assertion) saying what it found. The rules are docs/guarantees.md's.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

# What a terminal reads as a command: C0 but the line end, DEL, C1, and Unicode's controls.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
LINK_SCHEMES = ("http://", "https://", "mailto:")
UNSAFE_TOKENS = frozenset({"html_inline", "html_block", "math_inline", "myst_role", "s_open"})


class UnsafeOutputError(AssertionError):
    """An output that breaks a rule of docs/guarantees.md."""


def _check(condition: bool, *what: object) -> None:
    if not condition:
        raise UnsafeOutputError(", ".join(repr(each)[:300] for each in what))


def markdown_available() -> bool:
    """Whether the Markdown parser (markdown-it-py, with the docs extra) is installed."""
    try:
        import markdown_it  # noqa: F401, PLC0415  # optional
        import mdit_py_plugins  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def markdown_tokens(text: str) -> list[Token]:
    """``text`` parsed as MyST reads it, block and inline tokens in one flat list."""
    from markdown_it import MarkdownIt  # noqa: PLC0415  # comes with myst-parser (docs extra)
    from mdit_py_plugins.dollarmath import dollarmath_plugin  # noqa: PLC0415
    from mdit_py_plugins.myst_role import myst_role_plugin  # noqa: PLC0415

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.use(dollarmath_plugin).use(myst_role_plugin)
    flat: list[Token] = []
    for token in parser.parse(text):
        flat += [token, *(token.children or [])]
    return flat


def check_markdown(text: str, literal: Sequence[str] = ()) -> None:
    """No HTML, maths, role or strikethrough; links only to http, https or mailto; the
    ``literal`` texts read as themselves; no control character."""
    tokens = markdown_tokens(text)
    kinds = {token.type for token in tokens}
    _check(not kinds & UNSAFE_TOKENS, "markup in Markdown", sorted(kinds & UNSAFE_TOKENS))
    for token in tokens:
        if token.type == "link_open":
            href = str(token.attrs["href"])
            _check(href.startswith(LINK_SCHEMES), "a link of another scheme", href)
            _check(not re.search(r"[()<>\s\\]", href), "a link that could end early", href)
    shown = "".join(t.content for t in tokens if t.type in ("text", "code_inline"))
    for each in literal:
        _check(each in shown, "text that does not read as itself", each, shown[:300])
    _check(not CONTROL.search(text), "a control character", CONTROL.findall(text))


def check_table(text: str, delimiter: str) -> None:
    """A header and rows; no cell below the header starts with a formula character or
    holds a control character."""
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    _check(len(rows) > 1, "no rows under the header", text)
    for row in rows[1:]:
        for cell in row:
            _check(not cell.startswith(FORMULA), "a formula cell", cell, row)
            _check(not CONTROL.search(cell), "a control character in a cell", cell, row)


def check_text(text: str) -> None:
    """No control character but the line end."""
    _check(not CONTROL.search(text), "a control character", CONTROL.findall(text))
