"""The records of the data, and the answer to a port lookup: frozen attrs classes.

``Person`` and ``Reference`` are parts of an IANA record; ``Assignment`` is one IANA record;
``Alias`` is one other name of a port or service, with its source; ``Use`` is one curated
observed use of ports; ``PortInfo`` answers :func:`portinfo.lookup`. (The answers of
``resolve`` and ``search`` are in :mod:`portinfo._results` and :mod:`portinfo._search`,
the manifest's in :mod:`portinfo._manifest`, and ``LocalService``, one of your own
services, in :mod:`portinfo._own`: a program that only looks up ports never builds their
classes.)

Every record is an immutable, slotted attrs class, equal and hashed by value, picklable,
with ``attrs.evolve``, ``attrs.asdict`` and ``__match_args__``. The records that are built
from untrusted input (a user's file) check their fields with validators, whatever built
them; the answers that portinfo assembles from parts already checked have none.

Each field is documented once, by the docstring under it, which Sphinx autodoc (the API
reference) and IDEs read from the source. ``help()`` shows a record's class docstring and
its fields' names and types, not these texts: Python keeps no attribute docstrings at run
time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from portinfo._enums import Protocol, ReferenceKind, Source, Status
from portinfo._ranges import PortRange
from portinfo._validate import show
from portinfo.exceptions import InvalidArgumentError

if TYPE_CHECKING:
    from portinfo._own import LocalService
    from portinfo.dicts import (
        AliasDict,
        AssignmentDict,
        PersonDict,
        PortInfoDict,
        ReferenceDict,
        UseDict,
    )

__all__ = [
    "Alias",
    "Assignment",
    "Person",
    "PortInfo",
    "Record",
    "Reference",
    "ReferenceKind",
    "Use",
    "as_tuple",
    "checked_spans",
    "in_spans",
    "is_primary",
    "is_registry_date",
    "member_of",
    "merge_spans",
    "nonempty_text",
    "optional_text",
    "person_label",
    "port_number",
    "public",
    "reference_label",
    "tuple_of",
    "use_order",
    "uses_aside",
    "uses_beside",
]

_T = TypeVar("_T")
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


# --- naming ------------------------------------------------------------------------------


def public(*classes: type) -> None:
    """Show ``classes`` as ``portinfo.X``, the name users import them by, in reprs and docs.

    Pickles still load: ``portinfo`` gives every public name.
    """
    for cls in classes:
        cls.__module__ = "portinfo"


# --- building records --------------------------------------------------------------------


def _plain(value: object) -> Any:
    """``value`` ready for JSON: records as dicts, enums as their values, tuples as lists."""
    if isinstance(value, Record):
        return value.as_dict()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


class Record:
    """The base of portinfo's records: what every one of them can do besides attrs' methods."""

    __slots__ = ()

    def as_dict(self) -> Mapping[str, Any]:
        """The fields as a dict, nested records and enums included, ready for ``json.dumps``.

        Each record says which ``TypedDict`` it gives (``PortInfo.as_dict()`` a
        ``portinfo.dicts.PortInfoDict``), so a type checker knows every key."""
        return {
            field.name: _plain(getattr(self, field.name))
            for field in attrs.fields(self.__class__)  # type: ignore[arg-type]
        }


# --- validators (for records built from untrusted input) ---------------------------------


def nonempty_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(
            f"{attribute.name} must be a str, got {type(value).__name__}: {show(value)}"
        )
    if not value:
        raise InvalidArgumentError(f"{attribute.name} must not be empty")


def flag(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be a bool, got {show(value)}")


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        nonempty_text(instance, attribute, value)


def _any_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(
            f"{attribute.name} must be a str, got {type(value).__name__}: {show(value)}"
        )


def _optional_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    optional_text(instance, attribute, value)
    if isinstance(value, str) and not is_registry_date(value):
        raise InvalidArgumentError(
            f"{attribute.name} must be YYYY-MM-DD or YYYY-MM, got {show(value)}"
        )


def check_port(name: str, value: object) -> int:
    """``value`` if it is a port number, 0 to 65535 (an ``int``, not a ``bool``)."""
    if not isinstance(value, int) or value.__class__ is not int:
        raise TypeError(f"{name} must be an int from 0 to 65535, got {show(value)}")
    if not 0 <= value <= 65535:
        raise InvalidArgumentError(f"{name} must be from 0 to 65535, got {show(value)}")
    return value


def port_number(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A validator: ``value`` is a port number."""
    check_port(attribute.name, value)


def _optional_port(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_port(attribute.name, value)


def member_of(kind: type[Enum], *, optional: bool = False) -> Callable[..., None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not (isinstance(value, kind) or (optional and value is None)):
            raise TypeError(f"{attribute.name} must be a {kind.__name__}, got {show(value)}")

    return check


def tuple_of(kind: type) -> Callable[..., None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise TypeError(f"{attribute.name} must be a tuple, got {type(value).__name__}")
        for item in value:
            if not isinstance(item, kind):
                raise TypeError(
                    f"{attribute.name} must hold {kind.__name__} values, got {show(item)}"
                )

    return check


def as_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    """``values`` as a tuple (a converter: records hold tuples, never lists)."""
    return values if isinstance(values, tuple) else tuple(values)


# --- the records -------------------------------------------------------------------------


@attrs.frozen
class Person(Record):
    """A person or organisation named by the IANA registry. Never an e-mail address."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> PersonDict: ...

    id: str = attrs.field(validator=nonempty_text)
    """IANA's identifier, such as ``"Dotan_Ofek"``: what the registry writes in brackets."""
    name: str | None = attrs.field(default=None, validator=optional_text)
    """The person's name, when IANA gives one."""
    organization: str | None = attrs.field(default=None, validator=optional_text)
    """The organisation, when IANA gives one."""

    def __str__(self) -> str:
        """The name, with the organisation in brackets when both are known; else the id."""
        return person_label(self.id, self.name, self.organization)


@attrs.frozen
class Reference(Record):
    """One reference of an IANA record: an RFC, an Internet-Draft, a URI, a text, or a note."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> ReferenceDict: ...

    kind: ReferenceKind = attrs.field(validator=member_of(ReferenceKind))
    """What ``value`` is."""
    value: str = attrs.field(validator=nonempty_text)
    """``"RFC6335"``, a draft's name, a URI, a free text, or a registry footnote's number."""
    title: str | None = attrs.field(default=None, validator=optional_text)
    """The label of a URI, an RFC or a draft reference (``"RFC8765, Section 6.1"``,
    ``"draft-zubov-snif-05, Section 4.3"``), or the text of the footnote that a note points
    to."""

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
        return reference_label(self.kind, self.value, self.title)


def person_label(id: str, name: str | None, organization: str | None) -> str:
    """A person as a report shows them: the name, with the organisation in brackets when
    both are known; else whichever is known; else the id."""
    if name and organization:
        return f"{name} ({organization})"
    return name or organization or id


def reference_label(kind: str, value: str, title: str | None) -> str:
    """A reference as the registry shows it: an RFC's, a draft's or a URI's label where it
    has one, else its value (``RFC6335``, a note's number)."""
    labelled = (ReferenceKind.URI, ReferenceKind.RFC, ReferenceKind.DRAFT)
    return title if kind in labelled and title else value


def _check_assignment(assignment: Assignment) -> None:
    first, last = assignment.first, assignment.last
    if (first is None) != (last is None):
        raise InvalidArgumentError(
            f"first and last must both be ports or both None, got {show(first)}, {show(last)}"
        )
    if first is not None and last is not None and first > last:
        raise InvalidArgumentError(f"first must not exceed last, got {first}-{last}")
    if first is None and assignment.service is None:
        raise InvalidArgumentError("a record with no port must have a service name")
    code = assignment.service_code
    if code is not None and code.__class__ is not int:
        raise TypeError(f"service_code must be an int or None, got {show(code)}")


@attrs.frozen
class Assignment(Record):
    """One record of the IANA Service Name and Transport Protocol Port Number Registry.

    A record covers one port or a range (``first`` to ``last``), and one protocol or, where
    ``protocol`` is ``None``, all four. A record with a service name and no port (a name
    registered for DNS-SD, say) has ``first`` and ``last`` ``None``.
    """

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> AssignmentDict: ...

    service: str | None = attrs.field(validator=optional_text)
    """The service name, as IANA writes it; ``None`` on Reserved and Unassigned rows."""
    protocol: Protocol | None = attrs.field(validator=member_of(Protocol, optional=True))
    """The transport protocol; ``None`` where IANA left it blank (the row covers all four)."""
    first: int | None = attrs.field(validator=_optional_port)
    """The first port the record covers; ``None`` for a name-only registration."""
    last: int | None = attrs.field(validator=_optional_port)
    """The last port the record covers (``first`` again for a single port)."""
    description: str = attrs.field(validator=_any_text)
    """IANA's description, such as ``"World Wide Web HTTP"``; may be empty."""
    status: Status = attrs.field(validator=member_of(Status))
    """``ASSIGNED`` when the record names a service, else ``RESERVED`` or ``UNASSIGNED``."""
    assignees: tuple[Person, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Person)
    )
    """Whom the port is assigned to."""
    contacts: tuple[Person, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Person)
    )
    """Whom to contact about it."""
    registered: str | None = attrs.field(default=None, validator=_optional_date)
    """Registration date as IANA writes it, ``YYYY-MM-DD`` or ``YYYY-MM``: never an invented
    day."""
    modified: str | None = attrs.field(default=None, validator=_optional_date)
    """Date of the last modification, in the same form."""
    references: tuple[Reference, ...] = attrs.field(
        default=(), converter=as_tuple, validator=tuple_of(Reference)
    )
    """The RFCs, drafts, URIs and texts the record cites."""
    notes: str | None = attrs.field(default=None, validator=optional_text)
    """IANA's assignment notes as plain text, lines joined with ``"\\n"``."""
    service_code: int | None = None
    """The DCCP service code, where IANA gives one."""
    unauthorized: str | None = attrs.field(default=None, validator=optional_text)
    """IANA's note of known unauthorized use, such as ``"Known Unauthorized Use on port
    6003"``."""
    alias_of: str | None = attrs.field(default=None, validator=optional_text)
    """For a row that IANA marks as an alias or duplicate, the service it duplicates."""

    def __attrs_post_init__(self) -> None:
        _check_assignment(self)

    @property
    def assignee(self) -> str | None:
        """The assignees in one string (names joined with ``", "``), or ``None``."""
        return ", ".join(map(str, self.assignees)) or None

    @property
    def contact(self) -> str | None:
        """The contacts in one string (names joined with ``", "``), or ``None``."""
        return ", ".join(map(str, self.contacts)) or None

    @property
    def ports(self) -> tuple[tuple[int, int], ...]:
        """The ports the record covers, as spans: ``((first, last),)``, or ``()`` for a
        name-only record (the same shape as every record's ``ports``)."""
        if self.first is None or self.last is None:
            return ()
        return ((self.first, self.last),)

    def covers(self, port: int) -> bool:
        """Whether ``port`` is one of the record's ports."""
        return self.first is not None and self.last is not None and self.first <= port <= self.last

    def applies_to(self, protocol: Protocol | None) -> bool:
        """Whether the record covers ``protocol`` (a blank protocol covers all four)."""
        return protocol is None or self.protocol is None or self.protocol is protocol


@attrs.frozen
class Alias(Record):
    """Another name a port or service goes by, and where that name comes from."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> AliasDict: ...

    name: str = attrs.field(validator=nonempty_text)
    """The name, as its source writes it."""
    source: Source = attrs.field(validator=member_of(Source))
    """Which source uses the name."""
    protocol: Protocol | None = attrs.field(
        default=None, validator=member_of(Protocol, optional=True)
    )
    """The protocol the source gives the name for; ``None`` for all."""
    port: int | None = attrs.field(default=None, validator=_optional_port)
    """The port the source gives the name for; ``None`` for a name with no port."""
    service: str | None = attrs.field(default=None, validator=optional_text)
    """The IANA service the name stands for, where there is one on that port."""


def is_primary(record: Assignment) -> bool:
    """Whether ``record`` gives its ports' own name: an assigned service that duplicates
    no other (not one of IANA's alias rows, nor a reservation)."""
    return bool(record.service) and record.alias_of is None and record.status is Status.ASSIGNED


def merge_spans(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """``(first, last)`` spans of ports as every record's ``ports`` holds them: ascending,
    with spans that overlap or touch merged (``(80, 80), (81, 81)`` is ``((80, 81),)``)."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return tuple(merged)


def in_spans(port: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether ``port`` is in one of ``spans``."""
    return any(first <= port <= last for first, last in spans)


def checked_spans(values: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    spans = tuple(values)
    for span in spans:
        if not (isinstance(span, tuple) and len(span) == 2):
            raise TypeError(f"ports must hold (first, last) tuples, got {show(span)}")
        first, last = check_port("ports", span[0]), check_port("ports", span[1])
        if first > last:
            raise InvalidArgumentError(f"port range {first}-{last} does not ascend")
    return merge_spans(spans)


@attrs.frozen
class Use(Record):
    """A well-known unofficial use of ports, curated by the portinfo project."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> UseDict: ...

    name: str = attrs.field(validator=nonempty_text)
    """A short name, such as ``"ni-veristand-gateway"``; :func:`portinfo.resolve` takes it."""
    title: str = attrs.field(validator=nonempty_text)
    """The product or use, such as ``"NI VeriStand Gateway"``."""
    ports: tuple[tuple[int, int], ...] = attrs.field(converter=checked_spans)
    """The ports a server listens on, as ``(first, last)`` spans, ascending and merged
    (``(2082, 2083)`` for two ports in a row, ``(1433, 1433)`` for one)."""
    protocols: tuple[Protocol, ...] = attrs.field(converter=as_tuple, validator=tuple_of(Protocol))
    """The protocols it uses."""
    category: str = attrs.field(validator=nonempty_text)
    """A coarse kind, such as ``"database"``, ``"game"`` or ``"malware"``."""
    description: str = attrs.field(validator=nonempty_text)
    """One line, in the portinfo project's own words."""
    source: str = attrs.field(validator=nonempty_text)
    """The URL of the primary source that documents the use."""
    ranges: tuple[tuple[int, int], ...] = attrs.field(default=(), converter=checked_spans)
    """Wide ranges that its clients or media streams use, as ``(first, last)`` spans (as
    ``ports``): not ports anything listens on, so never a name of the ports in them."""
    terms: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(str))
    """What people call it besides its name and title (``"rdp"``, ``"minecraft"``), for
    search."""
    common: bool = attrs.field(default=False, validator=flag)
    """Whether this use, rather than the service IANA registers there, is what people
    usually find listening on its port (NI VeriStand Gateway on 2039)."""

    def __attrs_post_init__(self) -> None:
        if not (self.ports or self.ranges):
            raise InvalidArgumentError(f"use {show(self.name)} must have ports or ranges")

    def covers(self, port: int) -> bool:
        """Whether the use is on ``port``: one it listens on, or one in its ranges."""
        return self.listens_on(port) or self.range_at(port) is not None

    def listens_on(self, port: int) -> bool:
        """Whether a server of this use listens on ``port``."""
        return in_spans(port, self.ports)

    def range_at(self, port: int) -> tuple[int, int] | None:
        """The wide range of this use that holds ``port``, if any."""
        return next(((a, b) for a, b in self.ranges if a <= port <= b), None)


@attrs.frozen
class PortInfo(Record):
    """What is known of one port, for one protocol or (``protocol=None``) for all of them."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> PortInfoDict: ...

    port: int
    """The port number."""
    protocol: Protocol | None
    """The protocol asked about, or ``None`` for all."""
    range: PortRange
    """Its RFC 6335 range."""
    status: Status
    """``ASSIGNED`` if a record assigns it, else ``RESERVED`` if one reserves it, else
    ``UNASSIGNED``."""
    assignments: tuple[Assignment, ...] = attrs.field(default=(), converter=as_tuple)
    """Every IANA record that covers the port (and protocol): where IANA registers several
    services there, the records of the prominent one (the one people mean there, as the
    names page says) first; the rest in registry order."""
    aliases: tuple[Alias, ...] = attrs.field(default=(), converter=as_tuple)
    """The other names of the port (IANA's alias rows, services files, Nmap) that are not
    an IANA service name of its own; the observed uses are in ``uses``."""
    uses: tuple[Use, ...] = attrs.field(default=(), converter=as_tuple)
    """Curated unofficial uses of the port: those that listen on it first, then those whose
    wide client or media range holds it (see :meth:`Use.range_at`); within each, the
    common ones first, then services, development servers and malware, then by title."""
    local: tuple[LocalService, ...] = attrs.field(default=(), converter=as_tuple)
    """Your own services on the port, from local files, in the order the files give them
    (the first file first): the first is the port's :attr:`name`."""

    @property
    def services(self) -> tuple[str, ...]:
        """Distinct IANA service names on the port: primary names first, then aliases."""
        primary = [a.service for a in self.assignments if a.service and a.alias_of is None]
        aliases = [a.service for a in self.assignments if a.service and a.alias_of is not None]
        return tuple(dict.fromkeys(primary + aliases))

    @property
    def summary(self) -> str:
        """One line a person can read in a log or a table: the name people mean on the port
        and what it is, the other services IANA lists there, and the observed uses:
        ``2049/tcp nfs (Network File System - Sun Microsystems); IANA also lists shilp``,
        ``3389/tcp ms-wbt-server (Microsoft Remote Desktop, RDP)``, ``9200/tcp wap-wsp;
        commonly Elasticsearch REST API (unofficial)``, ``2024/tcp xinuexpansion4
        (registered, no description)``.

        The description is IANA's for the service named (its first line), left out where it
        is the name itself; "registered, no description" only where no IANA record on the
        port says anything. The observed uses follow the order of :attr:`uses`: the common
        ones ("commonly"), else the others ("also"). Your own service leads where a local
        file names the port, with the IANA services there after it: ``8200/tcp quill-api
        (Quill API, local); IANA registers trivnet1``."""
        where = f"{self.port}/{self.protocol.value}" if self.protocol else str(self.port)
        listening = [use for use in self.uses if use.listens_on(self.port)]
        registered = [a for a in self.assignments if is_primary(a)]
        if self.local:
            return _local_summary(self, where, registered)
        if registered:
            service = registered[0].service or ""
            same, others = uses_beside(self, service)
            texts = [a.description.split("\n")[0] for a in registered if a.service == service]
            description = next((text for text in texts if text), "")
            if same:
                detail = f" ({_title_and_aside(same[0].title)})"
            elif any(u.common for u in others) or description == service:
                detail = ""  # what people find there is the use; or the name says it all
            elif description:
                detail = f" ({description})"
            elif any(a.description for a in self.assignments if a.service):
                detail = ""  # another record says something: never "no description"
            else:
                detail = " (registered, no description)"
            also = list(dict.fromkeys(a.service or "" for a in registered if a.service != service))
            listed = f"; IANA also lists {_joined(also, 3, 'and')}" if also else ""
            return f"{where} {service}{detail}{listed}{uses_aside(others)}"
        name = self.name
        source = next((a.source for a in self.aliases if a.name == name), None)
        if name is not None and source is not None:
            same, others = uses_beside(self, name)
            status = "" if self.status is Status.UNASSIGNED else f"; IANA: {self.status.value}"
            said = f"as {source.value} names it"
            if same:  # an observed use says what the label is
                said = f"{_title_and_aside(same[0].title)}, unofficial; {said}"
            elif source is Source.NMAP and not others:  # nothing but a scanner's label
                said = "only a scanner's label is known: Nmap's"
            return f"{where} {name} ({said}{status}){uses_aside(others)}"
        if listening:
            title = _title_and_aside(listening[0].title)
            return f"{where} {listening[0].name} ({title}, unofficial)"
        return f"{where} ({self.status.value}, {self.range.title})"

    @property
    def name(self) -> str | None:
        """The one name to show for the port, or ``None`` where nothing names it.

        In this order: your own (the first of :attr:`local`), then IANA's service (for the
        protocol asked about, or on any protocol where none was; where IANA registers
        several, the prominent one, which the services file and Nmap name there: ``nfs``,
        not ``shilp``, on 2049), then the services file's name, then Nmap's, then the name
        of an observed use that listens on the port; never a wide range's use, and never a
        name from another protocol than the one asked about. :func:`portinfo.name` gives
        it too.
        """
        if self.local:
            return self.local[0].name
        for record in self.assignments:
            if is_primary(record):
                return record.service
        for source in (Source.SERVICES, Source.NMAP):
            for alias in self.aliases:
                if alias.source is source:
                    return alias.name
        return next((use.name for use in self.uses if use.listens_on(self.port)), None)


def _local_summary(info: PortInfo, where: str, registered: Sequence[Assignment]) -> str:
    """The summary of a port that a local file names: your service, what IANA registers
    there under other names (or its status where it registers nothing), the observed uses
    besides."""
    own = info.local[0]
    said = _title_and_aside(own.title or own.description or "")
    detail = f"{said}, local" if said else "local"
    named = own.name.lower()
    others = dict.fromkeys(
        a.service or "" for a in registered if (a.service or "").lower() != named
    )
    if others:
        iana = f"; IANA registers {_joined(list(others), 3, 'and')}"
    else:
        iana = "" if registered or info.status is Status.UNASSIGNED else f"; IANA: {info.status}"
    return f"{where} {own.name} ({detail}){iana}{uses_aside(uses_beside(info, own.name)[1])}"


_LATER_CATEGORIES = {"development": 1, "malware": 2}
"""Among uses equally common, development servers (which run for a while on someone's
machine) come after the services that run for good, and malware after everything."""


def use_order(use: Use) -> tuple[bool, int, str]:
    """Where a use that listens on a port stands among the others there: the common ones
    (what people usually find) first; then services, development servers, malware; then
    by title."""
    return (not use.common, _LATER_CATEGORIES.get(use.category, 0), use.title.casefold())


def _joined(items: Sequence[str], most: int, word: str = "or", *, count: bool = True) -> str:
    """``A``, ``A or B``, ``A, B or C``: at most ``most`` items, then (with ``count``) how
    many more."""
    shown = list(items[:most])
    if count and len(items) > most:
        shown.append(f"{len(items) - most} more")
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {word} {shown[-1]}"


def uses_beside(info: PortInfo, name: str) -> tuple[list[Use], list[Use]]:
    """The observed uses that listen on ``info``'s port, as an answer that leads with
    ``name`` tells them (:attr:`PortInfo.summary`, the Sphinx role's tooltip): those that
    are what the name means (``name`` is theirs or one of their terms, as ``ms-wbt-server``
    is RDP's on 3389), whose title says what the name is; and the others, in the order of
    ``PortInfo.uses``, of which :func:`uses_aside` tells the common ones first."""
    listening = [use for use in info.uses if use.listens_on(info.port)]
    same = [use for use in listening if name.lower() in (use.name, *use.terms)]
    return same, [use for use in listening if use not in same]


def uses_aside(uses: Sequence[Use]) -> str:
    """``; commonly X (unofficial)`` or ``; also X or Y (unofficial)``: the observed uses
    of a port besides the name a summary leads with, in the order of ``PortInfo.uses``."""
    common = [use.title for use in uses if use.common]
    if common:
        return f"; commonly {_joined(_listed(common), 3)} (unofficial)"
    if not uses:
        return ""
    return f"; also {_joined(_listed([use.title for use in uses]), 2, count=False)} (unofficial)"


def _listed(titles: Sequence[str]) -> list[str]:
    """Titles to join in a list: one alone with its aside (``Microsoft Remote Desktop,
    RDP``), several without theirs, whose commas would read as more items."""
    if len(titles) == 1:
        return [_title_and_aside(titles[0])]
    return [title.rpartition(" (")[0] if title.endswith(")") else title for title in titles]


def _title_and_aside(title: str) -> str:
    """``"Microsoft Remote Desktop (RDP)"`` as ``"Microsoft Remote Desktop, RDP"``: a title
    that goes inside brackets keeps no brackets of its own."""
    if title.endswith(")") and " (" in title:
        head, _, aside = title[:-1].rpartition(" (")
        return f"{head}, {aside}"
    return title


public(Person, Reference, Assignment, Alias, Use, PortInfo)
