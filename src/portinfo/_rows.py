"""Each kind of record as a row of the data's tables, and back.

An IANA record is a row of the ``iana`` table that names its people by their row in the
``people`` table, so that each person is stored once. An alias is a row of the ``names``
table; a curated use is one row of the ``uses`` table with all its port ranges. Trailing
empty fields are left out of a row and read back as ``None``.

Decoding builds records with their own constructors, validators and all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from portinfo._enums import Protocol, ReferenceKind, Source, Status
from portinfo._records import Alias, Assignment, Person, Reference, Use
from portinfo._store import Row, protocol_mask

if TYPE_CHECKING:
    from portinfo._own import LocalService

__all__ = [
    "LEAD",
    "OWN_NAME",
    "PORT_LEAD",
    "SOURCE_BITS",
    "SOURCE_RANK",
    "alias_from_row",
    "alias_row",
    "assignment_decoder",
    "assignment_row",
    "assignment_spans",
    "assignment_status",
    "local_from_row",
    "local_row",
    "person_from_row",
    "person_row",
    "source_of",
    "use_from_row",
    "use_row",
]

SOURCE_RANK = {source: rank for rank, source in enumerate(Source)}
"""Each source's place in the order ties are broken in, and its ``group`` byte in a table."""
OWN_NAME = 0x80
"""Set in a ``names`` row's group byte where the name is IANA's own on that port and
protocol (a services file repeating it): a fact kept, but not another name of the port."""
LEAD = 0x01
"""Set in an ``iana`` row's group byte where its service is the prominent one of a port and
protocol that IANA gives several services (see :mod:`portinfo._prominence`): a lookup of
that protocol puts it first."""
PORT_LEAD = 0x02
"""Set in an ``iana`` row's group byte where its service is the prominent one of a port that
IANA gives several services, asked about with no protocol: such a lookup puts it first."""
SOURCE_BITS = 0x7F
"""The bits of a group byte that hold the source's rank."""

_SOURCES = tuple(Source)


def _trimmed(values: list[Any]) -> list[Any]:
    while values and values[-1] is None:
        values.pop()
    return values


def _padded(values: list[Any], size: int) -> list[Any]:
    return values + [None] * (size - len(values))


# --- people ------------------------------------------------------------------------------


def person_row(person: Person) -> Row:
    """Encode one person: ``[id, name, organization]``."""
    return Row(_trimmed([person.id, person.name, person.organization]))


def person_from_row(value: list[Any]) -> Person:
    """Decode one person."""
    pid, name, organization = _padded(value, 3)
    return Person(pid, name, organization)


# --- IANA records ------------------------------------------------------------------------

_IANA_FIELDS = 15


def assignment_spans(a: Assignment) -> tuple[tuple[int, int], ...]:
    """The ports of an IANA record as spans: one, or none for a record with no port."""
    return () if a.first is None or a.last is None else ((a.first, a.last),)


def assignment_row(a: Assignment, person_number: Callable[[Person], int], group: int = 0) -> Row:
    """Encode one IANA record, its people as their rows in the people table; ``group`` is
    its group byte (the prominence bits of :mod:`portinfo._prominence`)."""
    value = [
        a.service,
        None if a.protocol is None else a.protocol.value,
        a.first,
        a.last,
        a.description,
        a.status.value,
        [person_number(p) for p in a.assignees],
        [person_number(p) for p in a.contacts],
        a.registered,
        a.modified,
        [_trimmed([r.kind.value, r.value, r.title]) for r in a.references],
        a.notes,
        a.service_code,
        a.unauthorized,
        a.alias_of,
    ]
    names = (a.service,) if a.service else ()
    return Row(
        _trimmed(value),
        names,
        assignment_spans(a),
        protocol_mask([a.protocol]),
        a.description,
        (),
        group,
    )


def assignment_status(value: list[Any]) -> Status:
    """The status of an encoded IANA record, read without decoding the rest of it."""
    return Status(value[5])


def assignment_decoder(person: Callable[[int], Person]) -> Callable[[list[Any]], Assignment]:
    """A decoder of IANA records that finds their people with ``person(row_number)``."""

    def decode(value: list[Any]) -> Assignment:
        (
            service, protocol, first, last, description, status, assignees, contacts,
            registered, modified, references, notes, code, unauthorized, alias_of,
        ) = _padded(value, _IANA_FIELDS)  # fmt: skip
        return Assignment(
            service,
            None if protocol is None else Protocol(protocol),
            first,
            last,
            description,
            Status(status),
            tuple(map(person, assignees)),
            tuple(map(person, contacts)),
            registered,
            modified,
            tuple(
                Reference(ReferenceKind(kind), text, title)
                for kind, text, title in (_padded(r, 3) for r in references)
            ),
            notes,
            code,
            unauthorized,
            alias_of,
        )

    return decode


# --- aliases -----------------------------------------------------------------------------


def alias_row(
    alias: Alias,
    line: int | None = None,
    *,
    own: bool = False,
    spans: tuple[tuple[int, int], ...] | None = None,
) -> Row:
    """Encode one alias.

    ``line`` numbers the services-file entry it comes from (so that a line's names stay
    together); ``own`` marks a name that is IANA's own on the alias's port and protocol;
    ``spans`` files it under ports other than its own (an IANA alias row over a range).
    """
    value = [
        alias.name,
        alias.source.value,
        None if alias.protocol is None else alias.protocol.value,
        alias.port,
        alias.service,
        line,
    ]
    if spans is None:
        spans = () if alias.port is None else ((alias.port, alias.port),)
    # Filed under its service as a target, so that a service's aliases are one lookup away.
    targets = () if alias.service is None else (alias.service,)
    return Row(
        _trimmed(value),
        (alias.name,),
        spans,
        protocol_mask([alias.protocol]),
        "",
        targets,
        SOURCE_RANK[alias.source] | (OWN_NAME if own else 0),
    )


def alias_from_row(value: list[Any]) -> tuple[Alias, int | None]:
    """Decode one alias, and the number of the services-file entry it comes from."""
    name, source, protocol, port, service, line = _padded(value, 6)
    alias = Alias(
        name, Source(source), None if protocol is None else Protocol(protocol), port, service
    )
    return alias, line


# --- observed uses -----------------------------------------------------------------------


def use_row(use: Use) -> Row:
    """Encode one observed use, with all its ports and ranges, filed under its name and the
    terms people use for it."""
    value = [
        use.name,
        use.title,
        [list(span) for span in use.ports],
        [p.value for p in use.protocols],
        use.category,
        use.description,
        use.source,
        [list(span) for span in use.ranges] or None,
        list(use.terms) or None,
        use.common or None,
    ]
    text = " ".join((use.title, use.description, *use.terms))
    return Row(
        _trimmed(value),
        (use.name, *use.terms),
        use.ports + use.ranges,
        protocol_mask(use.protocols),
        text,
        (),
        SOURCE_RANK[Source.OBSERVED],
    )


def use_from_row(value: list[Any]) -> Use:
    """Decode one observed use."""
    fields = _padded(value, 10)
    name, title, ports, protocols, category, description, source, ranges, terms, common = fields
    return Use(
        name,
        title,
        tuple((first, last) for first, last in ports),
        tuple(Protocol(p) for p in protocols),
        category,
        description,
        source,
        tuple((first, last) for first, last in ranges or ()),
        tuple(terms or ()),
        bool(common),
    )


# --- your own services --------------------------------------------------------------------


def local_row(service: LocalService) -> Row:
    """Encode one of your own services, filed under its name and its aliases."""
    value = [
        service.name,
        [list(span) for span in service.ports],
        [p.value for p in service.protocols],
        service.title,
        service.description,
        service.url,
        list(service.aliases) or None,
        service.file,
    ]
    text = " ".join(t for t in (service.title, service.description) if t)
    return Row(
        _trimmed(value),
        (service.name, *service.aliases),
        service.ports,
        protocol_mask(service.protocols),
        text,
        (),
        SOURCE_RANK[Source.LOCAL],
    )


def local_from_row(value: list[Any]) -> LocalService:
    """Decode one of your own services."""
    from portinfo._own import LocalService  # noqa: PLC0415  # only where there are local files

    name, ports, protocols, title, description, url, aliases, file = _padded(value, 8)
    return LocalService(
        name,
        tuple((first, last) for first, last in ports),
        tuple(Protocol(p) for p in protocols),
        title,
        description,
        url,
        tuple(aliases or ()),
        file,
    )


def source_of(group: int) -> Source:
    """The source whose ``group`` byte this is."""
    return _SOURCES[group & SOURCE_BITS]
