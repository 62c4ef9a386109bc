"""Text from data files, made safe to write: one function per kind of output.

A services, Nmap or IANA file is the user's, and so is what it says; a page that portinfo
writes may be published (Markdown), opened in a spreadsheet (CSV, TSV), or printed on a
terminal (text). Every presenter passes the text that comes from data through the function
of its output here, once, so that the rule of each output is written in one place
(docs/guarantees.md says it to users):

- :func:`terminal`: control characters (C0 but the line end, DEL, C1, and the Unicode
  controls that reorder or break lines) are shown as ``\\x1b`` or ``\\u202e``, never written.
- :func:`markdown` and :func:`markdown_link`: text reads as text (every character that
  Markdown, GFM tables or MyST read is escaped, so no HTML, link or emphasis is made), and a
  link is made only to an http, https or mailto URL, percent-encoded so that nothing in it
  ends the link.
- :func:`spreadsheet`: a cell that a spreadsheet would run as a formula (one that starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return: OWASP's rule) gets a ``'`` first.
- :func:`json_text`: JSON already escapes C0; the few characters it writes raw that a
  terminal reads (DEL, C1, the Unicode controls) are written as ``\\uXXXX`` too.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

__all__ = ["json_text", "markdown", "markdown_link", "spreadsheet", "terminal"]

_UNICODE_CONTROLS = "\u2028\u2029\u202a-\u202e\u2066-\u2069"
# C0 and DEL and C1, and the line and paragraph separators and bidirectional controls of
# Unicode (which reorder what a terminal shows, as in the "Trojan Source" attack).
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_UNICODE_CONTROLS}]")
_CONTROL_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_UNICODE_CONTROLS}]")
_RAW_IN_JSON = re.compile(f"[\x7f-\x9f{_UNICODE_CONTROLS}]")

# Read by CommonMark inline (code, emphasis, links, HTML, entities, escapes), GFM (tables'
# pipes, strikethrough) and MyST (roles and substitutions in braces, dollar maths).
_MARKDOWN_INLINE = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|~&{}$!"})
# Read at the start of a line only: headings, block quotes, list items, thematic breaks,
# setext underlines, ordered lists (``1.``, ``1)``).
_LINE_START = re.compile(r"[#>+\-=]|[0-9]{1,9}[.)](?=\s|$)")
_SCHEMES = ("http", "https", "mailto")
# Kept as they are in a link's address; everything else is percent-encoded, so no
# parenthesis, angle bracket, space, backslash, quote or control can end or change it.
_URL_SAFE = "/:?#@!$&*+,;=%~"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """``text`` with every control character but the line end ``\\n`` shown visibly
    (``\\x1b``, ``\\x9b``, ``\\u202e``): nothing in it can clear the screen, set a window's
    title, make a hyperlink or reorder the line on a terminal."""
    return _CONTROL_BUT_NEWLINE.sub(_visible, text)


def markdown(text: str) -> str:
    """``text`` as one line of Markdown that renders as exactly that text: white space
    (line ends included) is one space, control characters are shown as by
    :func:`terminal`, and every character Markdown would read as markup is escaped."""
    one_line = _CONTROL.sub(_visible, " ".join(text.split()))
    escaped = one_line.translate(_MARKDOWN_INLINE)
    start = _LINE_START.match(escaped)
    if start is not None:  # escape the character that would make a block
        end = start.end()
        escaped = f"{escaped[: end - 1]}\\{escaped[end - 1 :]}"
    return escaped


def _safe_url(url: str) -> str | None:
    """``url`` percent-encoded for a Markdown link, or ``None`` unless it is http, https
    (with a host) or mailto."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES or (scheme != "mailto" and not parts.netloc):
        return None
    return quote(url.strip(), safe=_URL_SAFE)


def markdown_link(label: str, url: str | None) -> str:
    """``label`` (plain text) as a Markdown link to ``url`` if it is an http, https or mailto
    URL, else as text alone. The address is percent-encoded, so nothing in it can end the
    link or start another."""
    target = _safe_url(url) if url else None
    text = markdown(label)
    return text if target is None else f"[{text}]({target})"


def spreadsheet(text: str) -> str:
    """``text`` as a CSV or TSV cell: control characters shown as by :func:`terminal`, and a
    ``'`` before a cell that a spreadsheet would run as a formula."""
    shown = terminal(text)
    return f"'{shown}" if shown.startswith(_FORMULA_START) else shown


def json_text(dumped: str) -> str:
    """``dumped`` (what :func:`json.dumps` wrote) with the characters it leaves raw that a
    terminal reads (DEL, C1, the Unicode controls) written as ``\\uXXXX``: the same JSON
    value. Only a string in JSON can hold them, so the escapes land inside strings."""
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", dumped)
