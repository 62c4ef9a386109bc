"""The parser of the IANA Service Name and Transport Protocol Port Number Registry.

IANA publishes the registry as XML (with a people list and footnotes) and as CSV. This
module reads either, detecting which from the first bytes, into :class:`IanaRegistry`:
every record kept, as :class:`~portinfo.Assignment` values, in registry order. The generator
and :meth:`portinfo.Registry.from_iana_file` both call :func:`parse_iana`; there is no
other reader of these formats.

Text is normalised the same way for both formats (each line stripped, ``<br/>`` as a line
break, runs of blank lines folded), so the two renderings of one record compare equal.
People are reduced to names and organisations: e-mail addresses and telephone numbers of
the people list are never read, and an e-mail address written into a record's text is
replaced by ``(e-mail address withheld)``.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from typing import Callable, NamedTuple

from portinfo._enums import Protocol, Status
from portinfo._records import Assignment, Person, Reference, ReferenceKind, is_registry_date
from portinfo.exceptions import DataFormatError

__all__ = ["CSV_COLUMNS", "IanaRegistry", "parse_iana"]

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
_EMAIL = re.compile(r"[\w.+-]+(?:&|@)[\w-]+(?:\.[\w-]+)+")
_WITHHELD = "(e-mail address withheld)"
_ALIAS_NOTE = re.compile(
    r'This entry is an alias to "([^"]+)"|This is a duplicate of the "([^"]+)" service'
)
_PORTS = re.compile(r"\A(\d{1,5})(?:-(\d{1,5}))?\Z")
_BRACKETED = re.compile(r"\[([^\[\]]+)\]")
_RFC = re.compile(r"\A(?:RFC|rfc)\s?(\d+)(?:,\s*(.+))?\Z")
_RESERVED = re.compile(r"\A(?:reserved|any private)", re.IGNORECASE)


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


def clean_text(text: str) -> str:
    """Strip each line, drop blank lines, and withhold e-mail addresses.

    Blank lines go because the two formats disagree on them (``<br/>`` followed by a line
    break in the XML is one break in the CSV); the breaks that carry meaning are kept.
    """
    lines = (" ".join(raw.split()) for raw in text.splitlines())
    return _EMAIL.sub(_WITHHELD, "\n".join(line for line in lines if line))


def _one_line(text: str | None) -> str | None:
    """``text`` on one line, e-mail addresses withheld; ``None`` if nothing is left."""
    joined = " ".join((text or "").split())
    return _EMAIL.sub(_WITHHELD, joined) or None


def _optional(text: str | None) -> str | None:
    cleaned = clean_text(text or "")
    return cleaned or None


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


def _ports(
    text: str | None, fail: Callable[[str], DataFormatError]
) -> tuple[int | None, int | None]:
    if text is None or not text.strip():
        return None, None
    match = _PORTS.match(text.strip())
    if match is None:
        raise fail(f"port number must be N or N-M, got {text!r}")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    if not (0 <= first <= last <= 65535):
        raise fail(f"port range must lie within 0-65535 and ascend, got {text!r}")
    return first, last


def _protocol(text: str | None, fail: Callable[[str], DataFormatError]) -> Protocol | None:
    value = (text or "").strip().lower()
    if not value:
        return None
    try:
        return Protocol(value)
    except ValueError:
        raise fail(f"unknown transport protocol {text!r}") from None


def _date(text: str | None, what: str, fail: Callable[[str], DataFormatError]) -> str | None:
    value = (text or "").strip()
    if not value:
        return None
    if not is_registry_date(value):
        raise fail(f"{what} must be YYYY-MM-DD or YYYY-MM, got {text!r}")
    return value


def _service_code(text: str | None, fail: Callable[[str], DataFormatError]) -> int | None:
    value = (text or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise fail(f"service code must be a number, got {text!r}")
    return int(value)


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


def _xml_text(element: ET.Element, people: Mapping[str, Person]) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        kind = _local(child.tag)
        if kind == "br":
            parts.append("\n")
        elif kind == "paragraph":
            parts.append(f"\n{_xml_text(child, people)}\n")
        elif kind == "xref":
            parts.append(_xref_text(child, people))
        else:
            parts.append(_xml_text(child, people))
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
    kind, data = xref.get("type", ""), (xref.get("data") or "").strip()
    label = _one_line(xref.text)  # a citation is one line, whatever the file's wrapping
    if kind == "rfc":
        match = _RFC.match(data)
        if match is None or match.group(2):
            raise fail(f"RFC reference must be rfcNNNN, got {data!r}")
        return Reference(ReferenceKind.RFC, f"RFC{match.group(1)}", label)
    if kind == "draft":
        return Reference(ReferenceKind.DRAFT, data)
    if kind == "uri":
        return Reference(ReferenceKind.URI, data, label)
    if kind == "note":
        return Reference(ReferenceKind.NOTE, data, footnotes.get(data))
    if kind == "text":
        if label is None:
            raise fail("empty text reference")
        return Reference(ReferenceKind.TEXT, label)
    raise fail(f"unknown reference type {kind!r}")


def _xml_record(
    index: int,
    record: ET.Element,
    people: Mapping[str, Person],
    footnotes: Mapping[str, str],
    source: str,
) -> Assignment:
    def fail(problem: str) -> DataFormatError:
        ident = record.findtext(f"{_NS}name") or record.findtext(f"{_NS}number") or "?"
        return DataFormatError(f"{source}: record {index} ({ident.strip()!r}): {problem}")

    def person(xref: ET.Element) -> Person:
        pid = xref.get("data", "")
        if pid not in people:
            raise fail(f"person {pid!r} is not in the people list")
        return people[pid]

    service = _optional(record.findtext(f"{_NS}name"))
    description_element = record.find(f"{_NS}description")
    description = (
        "" if description_element is None else clean_text(_xml_text(description_element, people))
    )
    notes_element = record.find(f"{_NS}note")
    notes = None if notes_element is None else _optional(_xml_text(notes_element, people))
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


def _parse_xml(data: bytes, source: str) -> IanaRegistry:
    try:
        root = ET.fromstring(data)  # noqa: S314  # expat refuses entity expansion bombs
    except ET.ParseError as error:
        line, column = error.position
        raise DataFormatError(
            f"{source}: line {line}, column {column}: not well-formed XML ({error})"
        ) from None
    if _local(root.tag) != "registry" or root.get("id") not in (None, "service-names-port-numbers"):
        raise DataFormatError(
            f"{source}: the root element is <{_local(root.tag)} id={root.get('id')!r}>, not the"
            " <registry id='service-names-port-numbers'> of IANA's port number registry"
        )
    people = _xml_people(root)
    footnotes = {
        note.get("anchor", ""): clean_text(_xml_text(note, people))
        for note in root.findall(f"{_NS}footnote")
    }
    records = root.findall(f"{_NS}record")
    if not records:
        raise DataFormatError(f"{source}: no <record> elements: not IANA's port number registry")
    assignments = tuple(
        _xml_record(index, record, people, footnotes, source)
        for index, record in enumerate(records, 1)
    )
    updated = _optional(root.findtext(f"{_NS}updated"))
    if updated is not None and not is_registry_date(updated):
        raise DataFormatError(f"{source}: <updated> must be a date, got {updated!r}")
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


def _csv_reference(item: str, footnotes: Mapping[str, str]) -> Reference:
    item = _one_line(item) or ""
    match = _RFC.match(item)
    if match:  # "RFC8765" or, where the XML's reference has a label, "RFC8765, Section 6.1"
        return Reference(
            ReferenceKind.RFC, f"RFC{match.group(1)}", item if match.group(2) else None
        )
    if item.startswith(("draft-", "RFC-")):
        return Reference(ReferenceKind.DRAFT, item)
    if item.isdigit():
        return Reference(ReferenceKind.NOTE, item, footnotes.get(item))
    if item.startswith(("http://", "https://", "ftp://")):
        return Reference(ReferenceKind.URI, item)
    return Reference(ReferenceKind.TEXT, item)


def _csv_text(text: str, people: Mapping[str, Person]) -> str | None:
    # The CSV writes a person cited inside a note as [Person_Id]; the XML gives the name.
    def name(match: re.Match[str]) -> str:
        person = people.get(match.group(1))
        return str(person) if person else match.group(0)

    return _optional(_BRACKETED.sub(name, text))


def _csv_rows(data: bytes, source: str) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataFormatError(f"{source}: not UTF-8 text ({error})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != CSV_COLUMNS:
            raise DataFormatError(
                f"{source}: line 1: the header must be IANA's columns {', '.join(CSV_COLUMNS)};"
                f" got {header!r}"
            )
        for row in reader:
            if row:
                yield reader.line_num, row
    except csv.Error as error:
        raise DataFormatError(
            f"{source}: line {reader.line_num}: malformed CSV ({error})"
        ) from None


def _parse_csv(
    data: bytes, source: str, people: Mapping[str, Person], footnotes: Mapping[str, str]
) -> IanaRegistry:
    assignments: list[Assignment] = []
    for line, row in _csv_rows(data, source):

        def fail(problem: str, line: int = line, row: list[str] = row) -> DataFormatError:
            return DataFormatError(f"{source}: line {line} ({row[0] or row[1]!r}): {problem}")

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
                references=tuple(_csv_reference(r, footnotes) for r in _bracketed(reference)),
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

    ``source`` names the file in error messages. ``people`` and ``footnotes`` resolve the
    ``[Person_Id]`` and ``[1]`` references of the CSV, which carries no people list; an id
    that they do not know is kept as it is. Raises :class:`~portinfo.DataFormatError`
    naming the file and the line or record at fault.
    """
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _parse_xml(data, source)
    if head.startswith(b"Service Name"):
        return _parse_csv(data, source, people or {}, footnotes or {})
    raise DataFormatError(
        f"{source}: neither IANA's XML (starting with '<') nor its CSV"
        " (starting with the header 'Service Name,...')"
    )
