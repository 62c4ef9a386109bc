"""The parser of the observed-uses file: portinfo's curated TOML list of unofficial uses.

The file (``sources/observed-uses.toml`` in the repository, documented at its top) holds
one ``[[use]]`` table per use, an ``updated`` date, a ``[terms]`` table of what people
call IANA's services (``dns`` for ``domain``), and ``[[tie]]`` tables that tie another
source's name on a port to the IANA service there that is the same protocol (``msrpc`` on
135 is ``epmap``), each with its source. The generator compiles it into the packaged
data, and :meth:`portinfo.Registry.from_files` takes a file of the same format: both read
it with :func:`parse_observed`. Every entry is checked; a bad one raises
:class:`~portinfo.DataFormatError` naming the file and the entry.
"""

from __future__ import annotations

import re
import sys
from typing import Any, NamedTuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9 and 3.10 only
    import tomli as tomllib

from portinfo._enums import Protocol
from portinfo._files import check_on_port, check_records, decode_text, label
from portinfo._records import Use, is_registry_date
from portinfo._validate import show
from portinfo.exceptions import DataFormatError

__all__ = [
    "CATEGORIES", "Observed", "Term", "Tie", "checked_table", "list_field", "load_toml",
    "parse_observed", "port_span",
]  # fmt: skip

CATEGORIES = frozenset(
    {
        "development", "database", "messaging", "container", "cluster", "monitoring", "web",
        "remote-access", "file-sharing", "game", "media", "iot", "industrial", "security",
        "malware", "other",
    }
)  # fmt: skip
"""The kinds a use may be of."""

_KEYS = frozenset({"name", "title", "ports", "protocols", "category", "description", "source"})
_OPTIONAL_KEYS = frozenset({"ranges", "terms", "common"})
_NAME = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_SPAN = re.compile(r"\A(\d{1,5})-(\d{1,5})\Z")


class Term(NamedTuple):
    """What people call an IANA service, where no other source calls it so: ``dns`` for
    ``domain``."""

    term: str
    service: str


class Tie(NamedTuple):
    """A name that another source (a services file, Nmap) gives a port, and the IANA service
    there that it is the same protocol as, where no source says so itself: ``msrpc`` on
    135 is ``epmap``. ``source`` documents it (empty where the tie is read back from
    compiled data)."""

    name: str
    port: int
    service: str
    source: str = ""
    protocol: Protocol | None = None
    """The protocol the tie holds on (read back from compiled data); ``None`` (a curated
    tie) for every protocol on which IANA has the service on that port."""


class Observed(NamedTuple):
    """An observed-uses file, parsed."""

    uses: tuple[Use, ...]
    updated: str | None
    """The date of the list's last change, where it gives one."""
    terms: tuple[Term, ...]
    ties: tuple[Tie, ...] = ()


def parse_observed(data: bytes, source: str) -> Observed:
    """Every use and term of an observed-uses file; ``DataFormatError`` on a bad entry."""
    source = label(source)
    document = load_toml(data, source)
    entries = document.get("use", [])
    if not (isinstance(entries, list) and entries):
        raise DataFormatError(f"{source}: no [[use]] entries")
    check_records(len(entries), "uses", source)
    uses: dict[str, Use] = {}
    for number, entry in enumerate(entries, 1):
        use = _use(entry, f"{source}: use {number}")
        if use.name in uses:
            raise DataFormatError(f"{source}: use {number}: name {show(use.name)} is used twice")
        uses[use.name] = use
    spans = (
        (first, last, protocol)
        for use in uses.values()
        for first, last in use.ports + use.ranges
        for protocol in use.protocols or (None,)
    )
    check_on_port(spans, "uses", source)
    updated = document.get("updated")
    if updated is not None and not (isinstance(updated, str) and is_registry_date(updated)):
        raise DataFormatError(f"{source}: updated must be a date, YYYY-MM-DD, got {show(updated)}")
    terms = document.get("terms", {})
    if not isinstance(terms, dict):
        raise DataFormatError(f"{source}: [terms] must be a table")
    found: list[Term] = []
    for service, words in sorted(terms.items()):
        if not (isinstance(words, list) and words and all(map(_is_term, words))):
            raise DataFormatError(
                f"{source}: [terms] {service}: lower-case words, got {show(words)}"
            )
        found += [Term(word, service) for word in words]
    ties = document.get("tie", [])
    if not isinstance(ties, list):
        raise DataFormatError(f"{source}: [[tie]] must be tables")
    tied = [
        tie
        for number, entry in enumerate(ties, 1)
        for tie in _tie(entry, f"{source}: tie {number}")
    ]
    return Observed(tuple(uses.values()), updated, tuple(found), tuple(tied))


def load_toml(data: bytes, source: str) -> dict[str, Any]:
    """The TOML document ``data``; :class:`~portinfo.DataFormatError` naming ``source`` (and
    the line, as TOML's parser gives it) where it is not TOML."""
    try:
        return tomllib.loads(decode_text(data, source))
    except ValueError as error:  # TOMLDecodeError, or an int of over 4,300 digits
        raise DataFormatError(f"{source}: not valid TOML: {error}") from None


_TIE_KEYS = frozenset({"name", "service", "ports", "source", "why"})


def _tie(entry: object, where: str) -> list[Tie]:
    """One ``[[tie]]`` table, checked: a tie for each of its ports."""
    if not (isinstance(entry, dict) and set(entry) == _TIE_KEYS):
        raise DataFormatError(f"{where}: keys must be {sorted(_TIE_KEYS)}")
    name, service, source, why = entry["name"], entry["service"], entry["source"], entry["why"]
    if not all(isinstance(text, str) and text.strip() for text in (name, service, why)):
        raise DataFormatError(f"{where}: name, service and why must be non-empty text")
    if not (isinstance(source, str) and source.startswith(("https://", "http://"))):
        raise DataFormatError(f"{where}: source must be an http(s) URL, got {show(source)}")
    ports = list_field(entry, "ports", where)
    if not (
        ports
        and all(isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= 65535 for p in ports)
    ):
        raise DataFormatError(f"{where}: ports must be a list of ports, got {show(ports)}")
    return [Tie(name, port, service, source) for port in ports]


def checked_table(
    entry: object, where: str, required: frozenset[str], optional: frozenset[str]
) -> tuple[dict[str, Any], str]:
    """``entry`` checked as a table with every key of ``required`` and perhaps some of
    ``optional``, and ``where`` with its name, for the messages about it."""
    if not isinstance(entry, dict):
        raise DataFormatError(f"{where}: must be a table, got {type(entry).__name__}")
    where = f"{where} ({show(entry.get('name'))})"
    missing, unknown = sorted(required - set(entry)), sorted(set(entry) - required - optional)
    if missing or unknown:
        wrong = f"no key {show(missing[0])}" if missing else f"unknown key {show(unknown[0])}"
        raise DataFormatError(
            f"{where}: {wrong}; keys must be {sorted(required)}, and may be {sorted(optional)}"
        )
    return entry, where


def _use(entry: object, where: str) -> Use:
    """One ``[[use]]`` table, checked."""
    entry, where = checked_table(entry, where, _KEYS, _OPTIONAL_KEYS)
    name, category, source = entry["name"], entry["category"], entry["source"]
    if not (isinstance(name, str) and _NAME.match(name)):
        raise DataFormatError(f"{where}: name must be lower-case words joined by '-'")
    if category not in CATEGORIES:
        raise DataFormatError(f"{where}: unknown category {show(category)}")
    if not (isinstance(source, str) and source.startswith(("https://", "http://"))):
        raise DataFormatError(f"{where}: source must be an http(s) URL, got {show(source)}")
    title, description = entry["title"], entry["description"]
    for key, text in (("title", title), ("description", description)):
        if not (isinstance(text, str) and text.strip()) or "\n" in text:
            raise DataFormatError(f"{where}: {key} must be one non-empty line")
    protocols = list_field(entry, "protocols", where)
    try:
        protocols = [Protocol(p) for p in protocols]
    except (ValueError, TypeError):
        raise DataFormatError(f"{where}: protocols must be tcp, udp, sctp or dccp") from None
    if not protocols:
        raise DataFormatError(f"{where}: protocols must not be empty")
    ports = tuple(sorted({port_span(p, where) for p in list_field(entry, "ports", where)}))
    ranges = tuple(sorted({port_span(p, where) for p in list_field(entry, "ranges", where)}))
    if not (ports or ranges):
        raise DataFormatError(f"{where}: ports and ranges must not both be empty")
    terms = list_field(entry, "terms", where)
    if not all(map(_is_term, terms)):
        raise DataFormatError(f"{where}: terms must be lower-case ASCII words, got {show(terms)}")
    common = entry.get("common", False)
    if not isinstance(common, bool):
        raise DataFormatError(f"{where}: common must be true or false, got {show(common)}")
    return Use(
        name, title, ports, tuple(protocols), category, description, source, ranges,
        tuple(terms), common,
    )  # fmt: skip


def list_field(entry: dict[str, Any], key: str, where: str) -> list[Any]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise DataFormatError(f"{where}: {key} must be a list, got {show(value)}")
    return value


def port_span(value: object, where: str) -> tuple[int, int]:
    """A port (an int) or a block of ports (``"first-last"``) as ``(first, last)``."""
    if isinstance(value, int) and not isinstance(value, bool):
        first = last = value
    elif isinstance(value, str) and _SPAN.match(value):
        first, last = (int(part) for part in value.split("-"))
    else:
        raise DataFormatError(f"{where}: a port must be an int or 'first-last', got {show(value)}")
    if not 0 <= first <= last <= 65535:
        raise DataFormatError(f"{where}: port range {show(value)} is not within 0-65535")
    return first, last


def _is_term(term: object) -> bool:
    """A search term: lower-case printable ASCII, single-spaced, not blank."""
    return (
        isinstance(term, str)
        and term.isascii()
        and term.isprintable()
        and term == term.lower()
        and term == " ".join(term.split())
        and bool(term)
    )
