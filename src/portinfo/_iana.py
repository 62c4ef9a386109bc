"""The parser of the IANA Service Name and Transport Protocol Port Number Registry.

IANA publishes the registry as XML (with a people list and footnotes) and as CSV. This
module reads either, detecting which from the first bytes, into :class:`IanaRegistry`:
every record kept, as :class:`~portinfo.Assignment` values, in registry order. The generator
and :meth:`portinfo.Registry.from_files` both call :func:`parse_iana`; there is no
other reader of these formats.

Text is normalised the same way for both formats (each line stripped, ``<br/>`` as a line
break, runs of blank lines folded; lines end at ``\n`` only, never at a form feed, U+0085
or U+2028), so the two renderings of one record compare equal. People are reduced to names
and organisations: e-mail addresses and telephone numbers of the people list are never read,
and an e-mail address written into a record's text is replaced by
``(e-mail address withheld)``, in time linear in the length of the text.

A user's file may be anything, so everything wrong with one raises
:class:`~portinfo.DataFormatError` naming the file and the line (CSV) or record (XML), in a
message of bounded length. Both formats must be UTF-8 (a file in UTF-16 or UTF-32 is named
as such); an XML declaration may name only UTF-8 or US-ASCII. Ports are read by the one rule
of :func:`~portinfo._validate.port_from_text`. A record may hold each of its elements (but
``<xref>``) once, and text nested at most :data:`MAX_NESTING` elements deep. The XML may
have a document type, but one that declares entities or refers to an external DTD is
refused before anything is expanded or read, whatever the version of expat; where expat is
older than 2.4.1 (:data:`EXPAT_BOUNDS_ENTITIES` false), which does not bound entity
expansion, any document that so much as contains ``<!ENTITY`` is refused before expat sees it.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from typing import Callable, NamedTuple, NoReturn
from xml.parsers import expat

from portinfo._enums import Protocol, Status
from portinfo._files import (
    MAX_RECORDS,
    check_names,
    check_on_port,
    check_records,
    decode_text,
    encoding_problem,
    label,
)
from portinfo._records import Assignment, Person, Reference, ReferenceKind, is_registry_date
from portinfo._validate import MAX_PORT, MAX_PORT_DIGITS, port_from_text, show
from portinfo.exceptions import DataFormatError

__all__ = [
    "CSV_COLUMNS",
    "EXPAT_BOUNDS_ENTITIES",
    "MAX_NESTING",
    "WITHHELD",
    "IanaRegistry",
    "clean_text",
    "newest_record",
    "parse_iana",
    "withhold_addresses",
]

_NS = "{http://www.iana.org/assignments}"
CSV_COLUMNS = (
    "Service Name",
    "Port Number",
    "Transport Protocol",
    "Description",
    "Assignee",
    "Contact",
    "Registration Date",
    "Modification Date",
    "Reference",
    "Service Code",
    "Unauthorized Use Reported",
    "Assignment Notes",
)
WITHHELD = "(e-mail address withheld)"
"""What an e-mail address in a record's text is replaced by."""

MAX_NESTING = 32
"""The deepest that elements may nest in a record's text (IANA's nest one deep: ``<br/>``)."""

EXPAT_BOUNDS_ENTITIES = expat.version_info >= (2, 4, 1)
"""Whether this Python's expat bounds entity expansion (version 2.4.1 on), as protection
against "billion laughs" documents. Where it does not, any document that contains
``<!ENTITY`` is refused before expat reads it."""

# An address is what [\w.+-]+[&@][\w-]+(?:\.[\w-]+)+ matches (IANA writes some with & for @).
# That pattern backtracks over a whole word at every position of it: quadratic, minutes for
# one 131,072-character word. withhold_addresses() finds the same matches in linear time.
_LOCAL_PART = re.compile(r"[\w.+-]+")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_XML_SPACE = " \t\r\n"
_ALIAS_NOTE = re.compile(
    r'This entry is an alias to "([^"]+)"|This is a duplicate of the "([^"]+)" service'
)
_BRACKETED = re.compile(r"\[([^\[\]]+)\]")
_RFC = re.compile(r"\A(?:RFC|rfc)\s?([0-9]{1,6})(?:,\s*(.+))?\Z")
_RESERVED = re.compile(r"\A(?:reserved|any private)", re.IGNORECASE)
_SERVICE_CODE_DIGITS = 10  # a service code is a 32-bit number: ten digits at most
_ONCE_TAGS = ("name", "protocol", "number", "description", "note", "assignee", "sc", "unauthorized")
_ONCE = frozenset(f"{_NS}{tag}" for tag in _ONCE_TAGS)  # what a record may hold only once


class IanaRegistry(NamedTuple):
    """The parsed registry: its date, every record, and the people and footnotes it names."""

    updated: str | None
    """The registry's own ``<updated>`` date (``None`` for CSV, which carries none)."""
    assignments: tuple[Assignment, ...]
    """Every record, in registry order."""
    people: Mapping[str, Person]
    """Each person or organisation by IANA id: names and organisations only."""
    footnotes: Mapping[str, str]
    """The registry's footnotes by anchor (``"1"``)."""
    format: str
    """``"xml"`` or ``"csv"``."""


def withhold_addresses(text: str) -> str:
    """``text`` with every e-mail address in it replaced by :data:`WITHHELD`.

    An address is what ``[\\w.+-]+[&@][\\w-]+(?:\\.[\\w-]+)+`` matches, replaced leftmost
    first as ``re.sub`` would, but found in linear time. A local part can only end where
    its run of ``[\\w.+-]`` characters ends (``&`` and ``@`` are not in the run), so each
    run is tried once, where the regular expression retried it from every one of its
    characters.
    """
    if "@" not in text and "&" not in text:
        return text
    parts: list[str] = []
    done = position = 0
    while True:
        local = _LOCAL_PART.search(text, position)
        if local is None:
            break
        end = local.end()
        domain = _DOMAIN.match(text, end + 1) if text[end : end + 1] in ("&", "@") else None
        if domain is None:
            position = end + 1  # text[end] is not in the run: no address starts there
            continue
        parts += (text[done : local.start()], WITHHELD)
        done = position = domain.end()
    parts.append(text[done:])
    return "".join(parts)


def clean_text(text: str) -> str:
    """Strip each line, drop blank lines, and withhold e-mail addresses.

    Blank lines go because the two formats disagree on them (``<br/>`` followed by a line
    break in the XML is one break in the CSV); the breaks that carry meaning are kept. Lines
    end at ``\\n`` only: other white space, U+0085 and U+2028 among it, is a space.
    """
    lines = (" ".join(raw.split()) for raw in text.split("\n"))
    return withhold_addresses("\n".join(line for line in lines if line))


def _one_line(text: str | None) -> str | None:
    """``text`` on one line, e-mail addresses withheld; ``None`` if nothing is left."""
    joined = " ".join((text or "").split())
    return withhold_addresses(joined) or None


def _optional(text: str | None) -> str | None:
    cleaned = clean_text(text or "")
    return cleaned or None


def newest_record(assignments: Iterable[Assignment]) -> str | None:
    """The latest registration or modification date among ``assignments``, as IANA writes
    it (a month alone, ``2026-02``, sorts before the days of that month), or ``None``."""
    return max((d for a in assignments for d in (a.registered, a.modified) if d), default=None)


def record_status(service: str | None, description: str) -> Status:
    """A named record is assigned; a nameless one is reserved when its description says so
    (``Reserved``, or one of the ``any private ...`` rows of the System Ports), else unassigned."""
    if service:
        return Status.ASSIGNED
    if _RESERVED.match(description):
        return Status.RESERVED
    return Status.UNASSIGNED


def _alias_of(notes: str | None, service: str | None) -> str | None:
    if not notes:
        return None
    match = _ALIAS_NOTE.search(notes)
    if match is None:
        return None
    target = match.group(1) or match.group(2)
    return None if service is not None and target.lower() == service.lower() else target


def _is_digits(text: str) -> bool:
    return 0 < len(text) <= MAX_PORT_DIGITS and text.isascii() and text.isdigit()


def _ports(
    text: str | None, fail: Callable[[str], DataFormatError]
) -> tuple[int | None, int | None]:
    value = (text or "").strip(_XML_SPACE)
    if not value:
        return None, None
    first_text, dash, last_text = value.partition("-")
    parts = (first_text, last_text) if dash else (first_text,)
    if not all(_is_digits(part) for part in parts):
        raise fail(f"port number must be N or N-M, got {show(text)}")
    first, last = (port_from_text(part) for part in (first_text, last_text if dash else first_text))
    if first is None or last is None or first > last:
        raise fail(f"port range must lie within 0-{MAX_PORT} and ascend, got {show(text)}")
    return first, last


def _protocol(text: str | None, fail: Callable[[str], DataFormatError]) -> Protocol | None:
    value = (text or "").strip(_XML_SPACE).lower()
    if not value:
        return None
    try:
        return Protocol(value)
    except ValueError:
        raise fail(f"unknown transport protocol {show(text)}") from None


def _date(text: str | None, what: str, fail: Callable[[str], DataFormatError]) -> str | None:
    value = (text or "").strip(_XML_SPACE)
    if not value:
        return None
    if not is_registry_date(value):
        raise fail(f"{what} must be YYYY-MM-DD or YYYY-MM, got {show(text)}")
    return value


def _service_code(text: str | None, fail: Callable[[str], DataFormatError]) -> int | None:
    value = (text or "").strip(_XML_SPACE)
    if not value:
        return None
    if not (len(value) <= _SERVICE_CODE_DIGITS and value.isascii() and value.isdigit()):
        raise fail(
            f"service code must be a number of at most {_SERVICE_CODE_DIGITS} digits,"
            f" got {show(text)}"
        )
    return int(value)


def _reference(
    fail: Callable[[str], DataFormatError], kind: ReferenceKind, value: str, title: str | None
) -> Reference:
    try:
        return Reference(kind, value, title or None)
    except (TypeError, ValueError) as error:
        raise fail(f"bad reference: {error}") from None


def _build(fail: Callable[[str], DataFormatError], **fields: object) -> Assignment:
    service = fields["service"]
    description = fields["description"]
    assert service is None or isinstance(service, str)
    assert isinstance(description, str)
    try:
        return Assignment(status=record_status(service, description), **fields)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise fail(str(error)) from None


# --- XML --------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_people(root: ET.Element) -> dict[str, Person]:
    people: dict[str, Person] = {}
    section = root.find(f"{_NS}people")
    for person in () if section is None else section.findall(f"{_NS}person"):
        pid = person.get("id", "").strip()
        if pid:  # Only the name and organisation are read: never the uri (e-mail, phone).
            people[pid] = Person(
                pid,
                _optional(person.findtext(f"{_NS}name")),
                _optional(person.findtext(f"{_NS}org")),
            )
    return people


def _xml_text(
    element: ET.Element,
    people: Mapping[str, Person],
    fail: Callable[[str], DataFormatError],
    depth: int = 0,
) -> str:
    if depth >= MAX_NESTING:
        raise fail(f"elements nested more than {MAX_NESTING} deep in <{_local(element.tag)}>")
    parts: list[str] = [element.text or ""]
    for child in element:
        kind = _local(child.tag)
        if kind == "br":
            parts.append("\n")
        elif kind == "paragraph":
            parts.append(f"\n{_xml_text(child, people, fail, depth + 1)}\n")
        elif kind == "xref":
            parts.append(_xref_text(child, people))
        else:
            parts.append(_xml_text(child, people, fail, depth + 1))
        parts.append(child.tail or "")
    return "".join(parts)


def _xref_text(xref: ET.Element, people: Mapping[str, Person]) -> str:
    kind, data = xref.get("type", ""), xref.get("data", "")
    if kind == "person":
        person = people.get(data)
        return str(person) if person else f"[{data}]"
    if kind in ("rfc", "draft"):
        return f"[{data.upper() if kind == 'rfc' else data}]"
    label = (xref.text or "").strip()
    return label if kind == "text" else f"[{label or data}]"


def _xml_reference(
    xref: ET.Element, footnotes: Mapping[str, str], fail: Callable[[str], DataFormatError]
) -> Reference:
    kind, data = xref.get("type", ""), (xref.get("data") or "").strip(_XML_SPACE)
    label = _one_line(xref.text)  # a citation is one line, whatever the file's wrapping
    if kind == "rfc":
        match = _RFC.match(data)
        if match is None or match.group(2):
            raise fail(f"RFC reference must be rfcNNNN, got {show(data)}")
        return _reference(fail, ReferenceKind.RFC, f"RFC{match.group(1)}", label)
    if kind in ("draft", "uri", "note") and not data:
        raise fail(f"{kind} reference without data: its <xref> needs a data attribute")
    if kind == "draft":  # the label keeps a section: "draft-zubov-snif-05, Section 4.3"
        return _reference(fail, ReferenceKind.DRAFT, data, label if label != data else None)
    if kind == "uri":
        return _reference(fail, ReferenceKind.URI, data, label)
    if kind == "note":
        return _reference(fail, ReferenceKind.NOTE, data, footnotes.get(data))
    if kind == "text":
        if label is None:
            raise fail("empty text reference")
        return _reference(fail, ReferenceKind.TEXT, label, None)
    raise fail(f"unknown reference type {show(kind)}")


def _check_once(record: ET.Element, fail: Callable[[str], DataFormatError]) -> None:
    """Refuse a record that has twice an element it may have once."""
    seen: set[str] = set()
    for child in record:
        if child.tag in _ONCE:
            if child.tag in seen:
                raise fail(f"more than one <{_local(child.tag)}> element")
            seen.add(child.tag)


def _xml_record(
    index: int,
    record: ET.Element,
    people: Mapping[str, Person],
    footnotes: Mapping[str, str],
    source: str,
) -> Assignment:
    def fail(problem: str) -> DataFormatError:
        ident = record.findtext(f"{_NS}name") or record.findtext(f"{_NS}number") or "?"
        return DataFormatError(f"{source}: record {index} ({show(ident.strip())}): {problem}")

    def person(xref: ET.Element) -> Person:
        pid = xref.get("data", "")
        if pid not in people:
            raise fail(f"person {show(pid)} is not in the people list")
        return people[pid]

    _check_once(record, fail)
    service = _optional(record.findtext(f"{_NS}name"))
    description_element = record.find(f"{_NS}description")
    description = (
        ""
        if description_element is None
        else clean_text(_xml_text(description_element, people, fail))
    )
    notes_element = record.find(f"{_NS}note")
    notes = None if notes_element is None else _optional(_xml_text(notes_element, people, fail))
    assignee = record.find(f"{_NS}assignee")
    contacts: list[Person] = []
    references: list[Reference] = []
    for xref in record.findall(f"{_NS}xref"):
        if xref.get("type") == "person":
            contacts.append(person(xref))
        else:
            references.append(_xml_reference(xref, footnotes, fail))
    # As IANA's own CSV export renders it: with no <assignee>, the record's person is both.
    assignees = (
        contacts
        if assignee is None
        else [person(x) for x in assignee.findall(f"{_NS}xref") if x.get("type") == "person"]
    )
    first, last = _ports(record.findtext(f"{_NS}number"), fail)
    return _build(
        fail,
        service=service,
        protocol=_protocol(record.findtext(f"{_NS}protocol"), fail),
        first=first,
        last=last,
        description=description,
        assignees=tuple(assignees),
        contacts=tuple(contacts),
        registered=_date(record.get("date"), "registration date", fail),
        modified=_date(record.get("updated"), "modification date", fail),
        references=tuple(references),
        notes=notes,
        service_code=_service_code(record.findtext(f"{_NS}sc"), fail),
        unauthorized=_optional(record.findtext(f"{_NS}unauthorized")),
        alias_of=_alias_of(notes, service),
    )


class _EndOfPrologError(Exception):
    """Raised by the prolog check at the root element: what follows is ElementTree's."""


def _check_prolog(data: bytes, source: str) -> None:
    """Refuse, before ElementTree parses ``data``, what portinfo does not read in the prolog.

    That is an XML declaration naming an encoding other than UTF-8 (or its subset US-ASCII),
    a document type that declares entities (internal or external, general or parameter), and
    one that refers to an external DTD. Expat reads the prolog only, stopped at the root
    element, and told to read UTF-8 whatever the declaration says (an unknown or multi-byte
    encoding would otherwise raise LookupError or ValueError); it is stopped at the first
    entity declaration, before any entity could be expanded.
    """
    if not EXPAT_BOUNDS_ENTITIES and b"<!ENTITY" in data:
        raise DataFormatError(
            f"{source}: the XML declares entities (it contains '<!ENTITY'), and this Python's"
            f" expat ({expat.EXPAT_VERSION}) is older than 2.4.1, which bounds their"
            " expansion; portinfo reads none"
        )
    parser = expat.ParserCreate(encoding="utf-8")

    def refuse(problem: str) -> NoReturn:
        raise DataFormatError(f"{source}: line {parser.CurrentLineNumber}: {problem}")

    def declaration(version: str, encoding: str | None, standalone: int) -> None:
        if encoding is not None and encoding.lower() not in ("utf-8", "us-ascii"):
            refuse(f"the XML declares encoding {show(encoding)}; portinfo reads UTF-8 only")

    def document_type(name: str, system: str | None, public: str | None, internal: int) -> None:
        if system is not None or public is not None:
            refuse(
                f"the XML refers to an external DTD ({show(system or public)}); portinfo reads"
                " none (IANA's registry has none)"
            )

    def entity(*_: object) -> NoReturn:
        refuse("the XML declares entities; portinfo reads none (IANA's registry declares none)")

    def root(*_: object) -> NoReturn:
        raise _EndOfPrologError

    parser.XmlDeclHandler = declaration
    parser.StartDoctypeDeclHandler = document_type
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = entity
    parser.StartElementHandler = root
    try:
        parser.Parse(data, True)
    except _EndOfPrologError:
        pass
    except expat.ExpatError as error:
        raise DataFormatError(
            f"{source}: line {error.lineno}, column {error.offset}: not well-formed XML"
            f" ({expat.ErrorString(error.code)})"
        ) from None


def _parse_xml(data: bytes, source: str) -> IanaRegistry:
    _check_prolog(data, source)
    try:
        # Safe to parse: _check_prolog refused entity declarations and external DTDs.
        root = ET.fromstring(data)  # noqa: S314
    except ET.ParseError as error:
        line, column = error.position
        raise DataFormatError(
            f"{source}: line {line}, column {column}: not well-formed XML ({error})"
        ) from None
    except (LookupError, ValueError) as error:  # an encoding: _check_prolog refuses them
        raise DataFormatError(f"{source}: cannot decode the XML ({error})") from None
    if _local(root.tag) != "registry" or root.get("id") not in (None, "service-names-port-numbers"):
        tag = _local(root.tag)
        raise DataFormatError(
            f"{source}: the root element is <{tag if len(tag) <= 40 else show(tag)}"
            f" id={show(root.get('id'))}>, not the <registry id='service-names-port-numbers'>"
            " of IANA's port number registry"
        )
    people = _xml_people(root)
    footnotes: dict[str, str] = {}
    for note in root.findall(f"{_NS}footnote"):
        anchor = note.get("anchor", "")

        def fail(problem: str, anchor: str = anchor) -> DataFormatError:
            return DataFormatError(f"{source}: footnote {show(anchor)}: {problem}")

        footnotes[anchor] = clean_text(_xml_text(note, people, fail))
    records = root.findall(f"{_NS}record")
    if not records:
        raise DataFormatError(f"{source}: no <record> elements: not IANA's port number registry")
    check_records(len(records), "records", source)
    assignments = tuple(
        _xml_record(index, record, people, footnotes, source)
        for index, record in enumerate(records, 1)
    )
    updated = _optional(root.findtext(f"{_NS}updated"))
    if updated is not None and not is_registry_date(updated):
        raise DataFormatError(f"{source}: <updated> must be a date, got {show(updated)}")
    return IanaRegistry(updated, assignments, people, footnotes, "xml")


# --- CSV --------------------------------------------------------------------------------


def _bracketed(text: str) -> list[str]:
    text = text.strip()
    if not text:
        return []
    if not (text.startswith("[") and text.endswith("]")):
        return [text]
    return [part.strip() for part in text[1:-1].split("][") if part.strip()]


def _csv_people(text: str, people: Mapping[str, Person]) -> tuple[Person, ...]:
    return tuple(people.get(pid) or Person(pid) for pid in _bracketed(text))


def _csv_reference(
    item: str, footnotes: Mapping[str, str], fail: Callable[[str], DataFormatError]
) -> Reference:
    item = _one_line(item) or ""
    match = _RFC.match(item)
    if match:  # "RFC8765" or, where the XML's reference has a label, "RFC8765, Section 6.1"
        return _reference(
            fail, ReferenceKind.RFC, f"RFC{match.group(1)}", item if match.group(2) else None
        )
    if item.startswith(("draft-", "RFC-")):  # "draft-zubov-snif-05, Section 4.3": a label
        name = item.split(",", 1)[0].strip()
        return _reference(fail, ReferenceKind.DRAFT, name, item if name != item else None)
    if item.isascii() and item.isdigit():
        return _reference(fail, ReferenceKind.NOTE, item, footnotes.get(item))
    if item.startswith(("http://", "https://", "ftp://")):
        return _reference(fail, ReferenceKind.URI, item, None)
    return _reference(fail, ReferenceKind.TEXT, item, None)


def _csv_text(text: str, people: Mapping[str, Person]) -> str | None:
    # The CSV writes a person cited inside a note as [Person_Id]; the XML gives the name.
    def name(match: re.Match[str]) -> str:
        person = people.get(match.group(1))
        return str(person) if person else match.group(0)

    return _optional(_BRACKETED.sub(name, text))


def _csv_rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    # Lines end at "\n" only (newline="\n"): a lone "\r" is no line end for an editor.
    reader = csv.reader(io.StringIO(text, newline="\n"), strict=True)
    try:
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != CSV_COLUMNS:
            raise DataFormatError(
                f"{source}: line 1: the header must be IANA's columns {', '.join(CSV_COLUMNS)};"
                f" got {show(header)}"
            )
        for row in reader:
            if row:
                yield reader.line_num, row
    except csv.Error as error:
        raise DataFormatError(
            f"{source}: line {reader.line_num}: malformed CSV ({error})"
        ) from None


def _parse_csv(
    text: str, source: str, people: Mapping[str, Person], footnotes: Mapping[str, str]
) -> IanaRegistry:
    assignments: list[Assignment] = []
    for line, row in _csv_rows(text, source):
        if len(assignments) == MAX_RECORDS:
            check_records(MAX_RECORDS + 1, "records", source)
        ident = next((field for field in row[:2] if field), None)
        where = f"line {line}" if ident is None else f"line {line} ({show(ident)})"

        def fail(problem: str, where: str = where) -> DataFormatError:
            return DataFormatError(f"{source}: {where}: {problem}")

        if len(row) != len(CSV_COLUMNS):
            raise fail(f"expected {len(CSV_COLUMNS)} fields, found {len(row)}")
        name, number, protocol, description, assignee, contact = row[:6]
        registered, modified, reference, code, unauthorized, notes_text = row[6:]
        service = _optional(name)
        notes = _csv_text(notes_text, people)
        first, last = _ports(number, fail)
        assignments.append(
            _build(
                fail,
                service=service,
                protocol=_protocol(protocol, fail),
                first=first,
                last=last,
                description=_csv_text(description, people) or "",
                assignees=_csv_people(assignee, people),
                contacts=_csv_people(contact, people),
                registered=_date(registered, "registration date", fail),
                modified=_date(modified, "modification date", fail),
                references=tuple(_csv_reference(r, footnotes, fail) for r in _bracketed(reference)),
                notes=notes,
                service_code=_service_code(code, fail),
                unauthorized=_optional(unauthorized),
                alias_of=_alias_of(notes, service),
            )
        )
    if not assignments:
        raise DataFormatError(f"{source}: the CSV has a header but no records")
    return IanaRegistry(None, tuple(assignments), dict(people), dict(footnotes), "csv")


def parse_iana(
    data: bytes,
    source: str,
    *,
    people: Mapping[str, Person] | None = None,
    footnotes: Mapping[str, str] | None = None,
) -> IanaRegistry:
    """Parse IANA's registry file, XML or CSV (detected from its first bytes).

    ``source`` names the file in error messages (shortened if it is long: see
    :func:`~portinfo._files.label`). ``people`` and ``footnotes`` resolve the
    ``[Person_Id]`` and ``[1]`` references of the CSV, which carries no people list; an id
    that they do not know is kept as it is. Raises :class:`~portinfo.DataFormatError`
    naming the file and the line or record at fault.
    """
    source = label(source)
    problem = encoding_problem(data)
    if problem is not None:
        raise DataFormatError(f"{source}: {problem}")
    if data[:200].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        registry = _parse_xml(data, source)
    else:
        text = decode_text(data, source)  # UTF-8 without NUL, or an error naming the line
        if not text[:200].lstrip(" \t\r\n").startswith("Service Name"):
            raise _neither(source)
        registry = _parse_csv(text, source, people or {}, footnotes or {})
    records = registry.assignments
    spans = ((a.first, a.last, a.protocol) for a in records if a.first is not None)
    check_on_port(spans, "records", source)  # type: ignore[arg-type]  # last is set with first
    check_names((a.service for a in records if a.service), "records", source)
    return registry


def _neither(source: str) -> DataFormatError:
    return DataFormatError(
        f"{source}: neither IANA's XML (starting with '<') nor its CSV"
        " (starting with the header 'Service Name,...')"
    )
