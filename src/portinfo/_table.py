"""Whole tables: one field of every port 0..65535 on one protocol, for bulk work.

:func:`build` makes, from the loaded data, a tuple of 65,536 values: each port's one name
(exactly what :attr:`PortInfo.name` gives), its description, its range or its observed
use. :meth:`portinfo.Registry.table` keeps them; :func:`portinfo.annotate` looks whole
columns up in them.
"""

from __future__ import annotations

from typing import Literal

from portinfo._data import Data
from portinfo._enums import Protocol, Source
from portinfo._ranges import PortRange
from portinfo._records import is_primary, use_order
from portinfo._rows import LEAD, OWN_NAME, PORT_LEAD, source_of
from portinfo._store import NO_PORT, PROTOCOL_BITS, Table
from portinfo._validate import MAX_PORT, show
from portinfo.exceptions import InvalidArgumentError

__all__ = ["FIELDS", "Field", "build", "check_field"]

Field = Literal["service", "description", "range", "use"]
FIELDS: tuple[Field, ...] = ("service", "description", "range", "use")
"""What a table can give for each port:

``"service"``
    The one name of the port, as :meth:`Registry.name` gives it (see :attr:`PortInfo.name`
    for the order of sources).
``"description"``
    The description of what gives that name: your own service's title (or description),
    the IANA record's description (missing where IANA's is empty), or the title of the
    observed use that names the port; missing where the name comes from a services file or
    Nmap, which describe nothing.
``"range"``
    ``"system"``, ``"user"`` or ``"dynamic"``: the value of :func:`classify`.
``"use"``
    The title of the observed use that listens on the port, the usual one first as in
    :attr:`PortInfo.uses` (never one whose wide client or media range merely holds it).
"""
_PORTS = MAX_PORT + 1


def check_field(field: object) -> Field:
    """``field`` if it is one of :data:`FIELDS`; else ``TypeError`` or
    :class:`~portinfo.InvalidArgumentError` naming it."""
    if not isinstance(field, str):
        raise TypeError(f"field must be a str, got {type(field).__name__}: {show(field)}")
    if field not in FIELDS:
        names = ", ".join(repr(f) for f in FIELDS)
        raise InvalidArgumentError(f"field must be one of {names}, got {show(field)}")
    return field


def build(data: Data, protocol: Protocol | None, field: Field) -> tuple[str | None, ...]:
    """The value of ``field`` for each port on ``protocol`` (any, for ``None``), ``None``
    where there is none."""
    if field == "range":
        values: list[str | None] = []
        for each in PortRange:
            values += [each.value] * (each.last - each.first + 1)
        return tuple(values)
    service, description, use = _named(data, protocol)
    return service if field == "service" else description if field == "description" else use


def _on(table: Table, protocol: Protocol | None) -> list[int]:
    """The rows of ``table`` on ``protocol`` (every row for ``None``; a mask of 0 covers
    all four), last first."""
    if protocol is None:
        return list(range(len(table) - 1, -1, -1))
    bit, masks = PROTOCOL_BITS[protocol], table.masks
    return [n for n in range(len(table) - 1, -1, -1) if not masks[n] or masks[n] & bit]


def _named(
    data: Data, protocol: Protocol | None
) -> tuple[tuple[str | None, ...], tuple[str | None, ...], tuple[str | None, ...]]:
    """The ``service``, ``description`` and ``use`` tables of ``protocol``, in one pass.

    :attr:`PortInfo.name` takes the first of: your own service (a local file's), an IANA
    record's service (the prominent one first, see :mod:`portinfo._prominence`), a
    services file's name, Nmap's, an observed use that listens on the port (in the order
    of :attr:`PortInfo.uses`); within each, the first row. So they are written in the
    reverse of that order, and each one's rows last first: what is written last is what
    ``name`` takes first. A range (x11's 6000-6063) is written as one slice.
    """
    names: list[str | None] = [None] * _PORTS
    texts: list[str | None] = [None] * _PORTS
    uses: list[str | None] = [None] * _PORTS
    # PortInfo.uses puts the uses that listen on a port in use_order: the first is written last.
    found = [data.use(number) for number in _on(data.uses, protocol)]
    for use in sorted(found, key=use_order, reverse=True):
        for first, last in use.ports:
            size = last - first + 1
            names[first : last + 1] = [use.name] * size
            texts[first : last + 1] = uses[first : last + 1] = [use.title] * size
    aliases = data.names
    rows = _on(aliases, protocol)
    for source in (Source.NMAP, Source.SERVICES):
        for number in rows:
            group = aliases.groups[number]
            if group & OWN_NAME or source_of(group) is not source:
                continue
            alias = data.alias(number)
            if alias.port is not None:
                names[alias.port], texts[alias.port] = alias.name, None
    iana = data.iana
    # The prominent service of a port IANA shares (a LEAD row, or PORT_LEAD for any
    # protocol) comes first in a lookup: written after the others, so that it is left.
    rows, lead = _on(iana, protocol), LEAD if protocol is not None else PORT_LEAD
    led = [n for n in rows if iana.groups[n] & lead]
    for number in [n for n in rows if not iana.groups[n] & lead] + led:
        # Rows with no name or no port (Unassigned ranges, names for DNS-SD) never name a
        # port: skipped without decoding them.
        if iana.first_port[number] == NO_PORT or iana.row_name(number) is None:
            continue
        record = data.assignment(number)
        if is_primary(record) and record.first is not None and record.last is not None:
            size = record.last - record.first + 1
            names[record.first : record.last + 1] = [record.service] * size
            texts[record.first : record.last + 1] = [record.description or None] * size
    # Your own services lead wherever a local file names a port: written last of all.
    for number in _on(data.local, protocol):
        own = data.own(number)
        for first, last in own.ports:
            size = last - first + 1
            names[first : last + 1] = [own.name] * size
            texts[first : last + 1] = [own.title or own.description] * size
    return tuple(names), tuple(texts), tuple(uses)
