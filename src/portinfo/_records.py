"""The records of the data, and the answer to a port lookup: immutable and checked.

``Person`` and ``Reference`` are parts of an IANA record; ``Assignment`` is one IANA record;
``Alias`` is one other name of a port or service, with its source; ``Use`` is one curated
observed use of ports; ``PortInfo`` answers :func:`portinfo.lookup`. Every one is
immutable, every field is documented, and each constructor refuses values that would make
an inconsistent record. (The answers of ``resolve`` and ``search`` are in
:mod:`portinfo._results`.)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from portinfo._enums import Protocol, Source, Status, _StrEnum
from portinfo._frozen import FrozenRecord
from portinfo._ranges import PortRange

__all__ = [
    "Alias",
    "Assignment",
    "Person",
    "PortInfo",
    "Reference",
    "ReferenceKind",
    "Use",
    "is_registry_date",
]

_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_registry_date(text: str) -> bool:
    """Whether ``text`` is a date as IANA writes one: ``YYYY-MM-DD`` or ``YYYY-MM``."""
    parts = text.split("-")
    if not (2 <= len(parts) <= 3 and all(p.isascii() and p.isdigit() for p in parts)):
        return False
    if len(parts[0]) != 4 or any(len(p) != 2 for p in parts[1:]):
        return False
    month = int(parts[1])
    if not 1 <= month <= 12:
        return False
    if len(parts) == 2:
        return True
    year = int(parts[0])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last_day = 28 if month == 2 and not leap else _DAYS[month - 1]
    return 1 <= int(parts[2]) <= last_day


# --- checks shared by the constructors ------------------------------------------------------


def text(name: str, value: object, *, empty: bool = False) -> str:
    """``value`` if it is a string (non-empty unless ``empty``), else an error naming it."""
    if value.__class__ is not str and not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}: {value!r}")
    if not value and not empty:
        raise ValueError(f"{name} must not be empty")
    return value


def optional_text(name: str, value: object) -> str | None:
    """``None``, or a non-empty string."""
    return None if value is None else text(name, value)


def optional_date(name: str, value: object) -> str | None:
    """``None``, or a date as IANA writes one."""
    if value is None:
        return None
    if not is_registry_date(text(name, value)):
        raise ValueError(f"{name} must be YYYY-MM-DD or YYYY-MM, got {value!r}")
    return str(value)


def check_port(name: str, value: object) -> int:
    """A port number, 0 to 65535 (an ``int``, not a ``bool``)."""
    if value.__class__ is not int or not 0 <= value <= 65535:
        raise ValueError(f"{name} must be a port (int) from 0 to 65535, got {value!r}")
    return int(value)


def check_optional_port(name: str, value: object) -> int | None:
    """``None``, or a port number."""
    return None if value is None else check_port(name, value)


def member(name: str, kind: type[enum.Enum], value: object, *, optional: bool = False) -> Any:
    """``value`` if it is a member of ``kind`` (or ``None`` where ``optional``)."""
    if (value is None and optional) or isinstance(value, kind):
        return value
    raise TypeError(f"{name} must be a {kind.__name__}, got {value!r}")


def items(name: str, kind: type, values: Iterable[object]) -> Any:
    """``values`` as a tuple whose every item is a ``kind``."""
    result = values if isinstance(values, tuple) else tuple(values)
    for value in result:
        if not isinstance(value, kind):
            raise TypeError(f"{name} must hold {kind.__name__} values, got {value!r}")
    return result


# --- the records ----------------------------------------------------------------------------


class Person(FrozenRecord):
    """A person or organisation named by the IANA registry. Never an e-mail address."""

    __slots__ = ()
    _fields = ("id", "name", "organization")
    id: str
    """IANA's identifier, such as ``"Dotan_Ofek"``: what the registry writes in brackets."""
    name: str | None
    """The person's name, when IANA gives one."""
    organization: str | None
    """The organisation, when IANA gives one."""

    def __new__(cls, id: str, name: str | None = None, organization: str | None = None) -> Person:
        return cls._make(
            text("id", id),
            optional_text("name", name),
            optional_text("organization", organization),
        )

    def __str__(self) -> str:
        """The name, with the organisation in brackets when both are known; else the id."""
        if self.name and self.organization:
            return f"{self.name} ({self.organization})"
        return self.name or self.organization or self.id


class ReferenceKind(_StrEnum):
    """What a reference of an IANA record points to."""

    RFC = "rfc"
    DRAFT = "draft"
    URI = "uri"
    TEXT = "text"
    NOTE = "note"


class Reference(FrozenRecord):
    """One reference of an IANA record: an RFC, an Internet-Draft, a URI, a text, or a note."""

    __slots__ = ()
    _fields = ("kind", "value", "title")
    kind: ReferenceKind
    """What ``value`` is."""
    value: str
    """``"RFC6335"``, a draft's name, a URI, a free text, or a registry footnote's number."""
    title: str | None
    """The label of a URI or an RFC reference (``"RFC8765, Section 6.1"``), or the text of the
    footnote that a note points to."""

    def __new__(cls, kind: ReferenceKind, value: str, title: str | None = None) -> Reference:
        return cls._make(
            member("kind", ReferenceKind, kind),
            text("value", value),
            optional_text("title", title),
        )

    @property
    def url(self) -> str | None:
        """Where to read it: the RFC Editor's page of an RFC, the URI itself for a URI."""
        if self.kind is ReferenceKind.RFC:
            return f"https://www.rfc-editor.org/rfc/{self.value.lower()}"
        if self.kind is ReferenceKind.DRAFT and self.value.startswith("draft-"):
            return f"https://datatracker.ietf.org/doc/{self.value}"
        if self.kind is ReferenceKind.URI:
            return self.value
        return None

    def __str__(self) -> str:
        """As the registry shows it: ``RFC6335`` (or its label), a URI's label, a note's number."""
        if self.kind in (ReferenceKind.URI, ReferenceKind.RFC) and self.title:
            return self.title
        return self.value


class Assignment(FrozenRecord):
    """One record of the IANA Service Name and Transport Protocol Port Number Registry.

    A record covers one port or a range (``first`` to ``last``), and one protocol or, where
    ``protocol`` is ``None``, all four. A record with a service name and no port (a name
    registered for DNS-SD, say) has ``first`` and ``last`` ``None``.
    """

    __slots__ = ()
    _fields = (
        "service",
        "protocol",
        "first",
        "last",
        "description",
        "status",
        "assignees",
        "contacts",
        "registered",
        "modified",
        "references",
        "notes",
        "service_code",
        "unauthorized",
        "alias_of",
    )
    service: str | None
    """The service name, as IANA writes it; ``None`` on Reserved and Unassigned rows."""
    protocol: Protocol | None
    """The transport protocol; ``None`` where IANA left it blank (the row covers all four)."""
    first: int | None
    """The first port the record covers; ``None`` for a name-only registration."""
    last: int | None
    """The last port the record covers (``first`` again for a single port)."""
    description: str
    """IANA's description, such as ``"World Wide Web HTTP"``; may be empty."""
    status: Status
    """``ASSIGNED`` when the record names a service, else ``RESERVED`` or ``UNASSIGNED``."""
    assignees: tuple[Person, ...]
    """Whom the port is assigned to."""
    contacts: tuple[Person, ...]
    """Whom to contact about it."""
    registered: str | None
    """Registration date as IANA writes it, ``YYYY-MM-DD`` or ``YYYY-MM``: never an invented day."""
    modified: str | None
    """Date of the last modification, in the same form."""
    references: tuple[Reference, ...]
    """The RFCs, drafts, URIs and texts the record cites."""
    notes: str | None
    """IANA's assignment notes as plain text, lines joined with ``"\\n"``."""
    service_code: int | None
    """The DCCP service code, where IANA gives one."""
    unauthorized: str | None
    """IANA's note of known unauthorized use, such as ``"Known Unauthorized Use on port 6003"``."""
    alias_of: str | None
    """For a row that IANA marks as an alias or duplicate, the service it duplicates."""

    def __new__(
        cls,
        service: str | None,
        protocol: Protocol | None,
        first: int | None,
        last: int | None,
        description: str,
        status: Status,
        assignees: Iterable[Person] = (),
        contacts: Iterable[Person] = (),
        registered: str | None = None,
        modified: str | None = None,
        references: Iterable[Reference] = (),
        notes: str | None = None,
        service_code: int | None = None,
        unauthorized: str | None = None,
        alias_of: str | None = None,
    ) -> Assignment:
        first, last = check_optional_port("first", first), check_optional_port("last", last)
        if (first is None) != (last is None):
            raise ValueError(f"first and last must both be ports or both None, got {first}, {last}")
        if first is not None and last is not None and first > last:
            raise ValueError(f"first must not exceed last, got {first}-{last}")
        if first is None and service is None:
            raise ValueError("a record with no port must have a service name")
        if service_code is not None and service_code.__class__ is not int:
            raise TypeError(f"service_code must be an int or None, got {service_code!r}")
        return cls._make(
            optional_text("service", service),
            member("protocol", Protocol, protocol, optional=True),
            first,
            last,
            text("description", description, empty=True),
            member("status", Status, status),
            items("assignees", Person, assignees),
            items("contacts", Person, contacts),
            optional_date("registered", registered),
            optional_date("modified", modified),
            items("references", Reference, references),
            optional_text("notes", notes),
            service_code,
            optional_text("unauthorized", unauthorized),
            optional_text("alias_of", alias_of),
        )

    @property
    def assignee(self) -> str | None:
        """The assignees in one string (names joined with ``", "``), or ``None``."""
        return ", ".join(map(str, self.assignees)) or None

    @property
    def contact(self) -> str | None:
        """The contacts in one string (names joined with ``", "``), or ``None``."""
        return ", ".join(map(str, self.contacts)) or None

    @property
    def ports(self) -> range:
        """The ports the record covers (empty for a name-only record)."""
        if self.first is None or self.last is None:
            return range(0)
        return range(self.first, self.last + 1)

    def applies_to(self, protocol: Protocol | None) -> bool:
        """Whether the record covers ``protocol`` (a blank protocol covers all four)."""
        return protocol is None or self.protocol is None or self.protocol is protocol


class Alias(FrozenRecord):
    """Another name a port or service goes by, and where that name comes from."""

    __slots__ = ()
    _fields = ("name", "source", "protocol", "port", "service")
    name: str
    """The name, as its source writes it."""
    source: Source
    """Which source uses the name."""
    protocol: Protocol | None
    """The protocol the source gives the name for; ``None`` for all."""
    port: int | None
    """The port the source gives the name for; ``None`` for a name with no port."""
    service: str | None
    """The IANA service the name stands for, where there is one on that port."""

    def __new__(
        cls,
        name: str,
        source: Source,
        protocol: Protocol | None = None,
        port: int | None = None,
        service: str | None = None,
    ) -> Alias:
        return cls._make(
            text("name", name),
            member("source", Source, source),
            member("protocol", Protocol, protocol, optional=True),
            check_optional_port("port", port),
            optional_text("service", service),
        )


class Use(FrozenRecord):
    """A well-known unofficial use of ports, curated by the portinfo project."""

    __slots__ = ()
    _fields = ("name", "title", "ports", "protocols", "category", "description", "source")
    name: str
    """A short name, such as ``"ni-veristand-gateway"``; :func:`portinfo.resolve` takes it."""
    title: str
    """The product or use, such as ``"NI VeriStand Gateway"``."""
    ports: tuple[tuple[int, int], ...]
    """Its ports, as ``(first, last)`` ranges."""
    protocols: tuple[Protocol, ...]
    """The protocols it uses."""
    category: str
    """A coarse kind, such as ``"database"``, ``"game"`` or ``"malware"``."""
    description: str
    """One line, in the portinfo project's own words."""
    source: str
    """The URL of the primary source that documents the use."""

    def __new__(
        cls,
        name: str,
        title: str,
        ports: Iterable[tuple[int, int]],
        protocols: Iterable[Protocol],
        category: str,
        description: str,
        source: str,
    ) -> Use:
        spans = tuple(
            (check_port("ports", first), check_port("ports", last)) for first, last in ports
        )
        for first, last in spans:
            if first > last:
                raise ValueError(f"use {name!r}: port range {first}-{last} does not ascend")
        return cls._make(
            text("name", name),
            text("title", title),
            spans,
            items("protocols", Protocol, protocols),
            text("category", category),
            text("description", description),
            text("source", source),
        )

    def covers(self, port: int) -> bool:
        """Whether the use is on ``port``."""
        return any(first <= port <= last for first, last in self.ports)


class PortInfo(FrozenRecord):
    """What is known of one port, for one protocol or (``protocol=None``) for all of them."""

    __slots__ = ()
    _fields = ("port", "protocol", "range", "status", "assignments", "aliases", "uses")
    port: int
    """The port number."""
    protocol: Protocol | None
    """The protocol asked about, or ``None`` for all."""
    range: PortRange
    """Its RFC 6335 range."""
    status: Status
    """``ASSIGNED`` if a record assigns it, else ``RESERVED`` if one reserves it, else
    ``UNASSIGNED``."""
    assignments: tuple[Assignment, ...]
    """Every IANA record that covers the port (and protocol), in registry order."""
    aliases: tuple[Alias, ...]
    """The other names of the port, from every source, that are not an IANA service name
    of its own."""
    uses: tuple[Use, ...]
    """Curated unofficial uses of the port."""

    def __new__(
        cls,
        port: int,
        protocol: Protocol | None,
        range: PortRange,  # the field's name
        status: Status,
        assignments: tuple[Assignment, ...] = (),
        aliases: tuple[Alias, ...] = (),
        uses: tuple[Use, ...] = (),
    ) -> PortInfo:
        # The registry builds its answers without this constructor (their parts are checked
        # where they are made); this is for everyone else, so it checks everything.
        port = check_port("port", port)
        if not (range.__class__ is PortRange and range.first <= port <= range.last):
            raise ValueError(f"range must be the PortRange of port {port}, got {range!r}")
        member("protocol", Protocol, protocol, optional=True)
        member("status", Status, status)
        assignments = items("assignments", Assignment, assignments)
        aliases = items("aliases", Alias, aliases)
        uses = items("uses", Use, uses)
        return tuple.__new__(cls, (port, protocol, range, status, assignments, aliases, uses))

    @property
    def services(self) -> tuple[str, ...]:
        """Distinct IANA service names on the port: primary names first, then aliases."""
        primary = [a.service for a in self.assignments if a.service and a.alias_of is None]
        aliases = [a.service for a in self.assignments if a.service and a.alias_of is not None]
        return tuple(dict.fromkeys(primary + aliases))
