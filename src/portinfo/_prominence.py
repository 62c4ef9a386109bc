"""Prominence: which of the IANA services on a port is the one people mean there.

IANA often registers several services on one port and protocol (``shilp`` and ``nfs`` on
2049/tcp), in the order they were registered, which says nothing of what runs there. Where
it does, the compiler works out which of them is *prominent*, once, from the sources that
say what people use, and ships the result as two bits of each IANA row's group byte (see
:mod:`portinfo._store`). Every surface that shows one name first reads those bits through
the order of :attr:`portinfo.PortInfo.assignments`.

On one port and protocol, of the IANA services there (primary names, not alias rows):

1. those that a services-file line on that port and protocol holds (its name or an alias),
   if any; else all of them;
2. of those, the one Nmap names there (comparing names without case and ``-``, ``_``,
   ``.``), if it is one of them;
3. else the first that the services-file line names (the line's order);
4. else IANA's first record.

With no protocol asked, the prominent service of the first protocol (TCP, UDP, SCTP,
DCCP) whose prominent service a services-file line on the port holds; where there is no
such line, TCP's prominent service, else UDP's, SCTP's, DCCP's.

Nmap's names decide only at compile time: what ships is which IANA row leads, never that
Nmap gives a name IANA already gives. A registry compiled from data that were themselves
compiled (``Registry.from_files`` without an nmap-services file) takes the leads of those
data in place of Nmap's names.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from portinfo._enums import Protocol
from portinfo._records import Assignment, is_primary
from portinfo._rows import LEAD, PORT_LEAD
from portinfo._store import segments

if TYPE_CHECKING:
    from portinfo._services import ServicesEntry

__all__ = ["LEAD", "PORT_LEAD", "Leads", "Overlaps", "fold", "lead_bits", "lead_bits_again"]

_FOLD = str.maketrans("", "", "-_.")


def fold(name: str) -> str:
    """``name`` as names are compared across sources: lower case, without ``-``, ``_`` and
    ``.`` (``L2TP`` is ``l2tp``, ``netbios_ns`` is ``netbios-ns``)."""
    return name.lower().translate(_FOLD)


class Leads(NamedTuple):
    """What prominence found: a group byte for each IANA row, and the pick on each stretch
    of ports (by its first port) and protocol IANA shares, and on each such port with no
    protocol asked (for the data's own checks and for tools)."""

    bits: list[int]
    picks: dict[tuple[int, Protocol], str]
    port_picks: dict[int, str]


Where = tuple[int, Protocol]
_K = TypeVar("_K")


def _primaries(
    assignments: Sequence[Assignment], ports: Iterable[int]
) -> dict[Where, list[tuple[int, str]]]:
    """The IANA services of each stretch of ports and protocol, as (row, service) in
    registry order, keyed by the stretch's first port.

    A stretch (a segment) ends where some service's range begins or ends, and each of
    ``ports`` (where a services line or a name of Nmap's stands) is one of its own, so that
    everything the pick depends on is the same on every port of a stretch: the work follows
    the ranges, not the ports they cover.
    """
    spans = [
        (number, record.service, record.protocol, record.first, record.last)
        for number, record in enumerate(assignments)
        if is_primary(record) and record.service and record.first is not None
        and record.last is not None
    ]  # fmt: skip
    cuts = {0, *(p for port in ports for p in (port, port + 1))}
    for _, _, _, first, last in spans:
        cuts.update((first, last + 1))
    firsts = sorted(cut for cut in cuts if cut <= 65535)
    found: dict[Where, list[tuple[int, str]]] = {}
    for number, service, protocol, first, last in spans:
        protocols = list(Protocol) if protocol is None else [protocol]
        for start in firsts[bisect_left(firsts, first) : bisect_right(firsts, last)]:
            for each in protocols:
                found.setdefault((start, each), []).append((number, service))
    return found


def _pick(
    services: Sequence[str], lines: Sequence[Sequence[str]], named: Iterable[str]
) -> tuple[str, bool]:
    """The prominent one of ``services`` (distinct, registry order), and whether a
    services-file line holds it."""
    by_name = {s.lower(): s for s in services}
    held = [by_name[n.lower()] for line in lines for n in line if n.lower() in by_name]
    pool = list(dict.fromkeys(held)) or list(services)
    wanted = {fold(n) for n in named}
    chosen = next((s for s in pool if fold(s) in wanted), pool[0]) if wanted else pool[0]
    return chosen, chosen in held


def lead_bits(
    assignments: Sequence[Assignment],
    services: Iterable[ServicesEntry],
    nmap: Iterable[tuple[str, int, Protocol]],
) -> Leads:
    """The group byte of each of ``assignments`` (IANA's rows, in order), with
    :data:`LEAD` and :data:`PORT_LEAD` where they lead, given a services file's entries and
    Nmap's names as ``(name, port, protocol)``."""
    lines, named = _said(services, nmap)
    # Keyed by the first port of a stretch whose every port has the same services, lines
    # and names (a port with a line or a name is a stretch of its own).
    on = _primaries(assignments, {port for port, _ in (*lines, *named)})
    by_port: dict[int, list[tuple[int, str]]] = {}
    for (port, _), rows in on.items():
        by_port.setdefault(port, []).extend(rows)
    # Only a port with two or more services (on one protocol or across them) has a choice.
    shared = {port for port, rows in by_port.items() if len({s for _, s in rows}) > 1}
    picks: dict[Where, str] = {}
    held: dict[Where, bool] = {}
    for where, rows in on.items():
        if where[0] in shared:
            distinct = list(dict.fromkeys(service for _, service in rows))
            found = _pick(distinct, lines.get(where, ()), named.get(where, ()))
            picks[where], held[where] = found
    contested = {w: p for w, p in picks.items() if len({s for _, s in on[w]}) > 1}
    port_picks: dict[int, str] = {}
    for port in shared:
        here = [(p, picks[port, p]) for p in Protocol if (port, p) in picks]
        listed = [pick for p, pick in here if held[port, p]]
        port_picks[port] = listed[0] if listed else here[0][1]
    bits = [0] * len(assignments)
    _mark(bits, on, contested, LEAD)
    _mark(bits, by_port, port_picks, PORT_LEAD)
    return Leads(bits, contested, port_picks)


def _said(
    services: Iterable[ServicesEntry], nmap: Iterable[tuple[str, int, Protocol]]
) -> tuple[dict[Where, list[tuple[str, ...]]], dict[Where, list[str]]]:
    """The services-file lines and Nmap's names on each port and protocol, in order."""
    lines: dict[Where, list[tuple[str, ...]]] = {}
    for entry in services:
        lines.setdefault((entry.port, entry.protocol), []).append((entry.name, *entry.aliases))
    named: dict[Where, list[str]] = {}
    for name, port, protocol in nmap:
        named.setdefault((port, protocol), []).append(name)
    return lines, named


class Overlaps:
    """The primary IANA services of a registry (rows with a port) by stretch of ports: to
    find the rows whose leads depend on what is said of some ports."""

    def __init__(self, assignments: Sequence[Assignment]) -> None:
        rows = [
            (number, record.first, record.last)
            for number, record in enumerate(assignments)
            if is_primary(record) and record.first is not None and record.last is not None
        ]
        # Kept with the packaged inputs for the life of the process: arrays, not lists.
        self._numbers = array("l", (number for number, _, _ in rows))
        self._firsts_of = array("l", (first for _, first, _ in rows))
        self._lasts_of = array("l", (last for _, _, last in rows))
        firsts, start, members = segments([[(first, last)] for _, first, last in rows])
        self._firsts, self._start, self._members = firsts, array("l", start), array("l", members)

    def around(self, ports: Iterable[int]) -> list[int]:
        """The rows that cover one of ``ports``, and every row that overlaps one of those,
        and so on (whatever the protocols), in registry order: where the leads of a row
        are worked out, no other row's span and no other port's names count."""
        firsts, start, members = self._firsts, self._start, self._members
        found: set[int] = set()
        todo = [(port, port) for port in ports]
        while todo:
            first, last = todo.pop()
            for segment in range(bisect_right(firsts, first) - 1, bisect_right(firsts, last)):
                for member in members[start[segment] : start[segment + 1]]:
                    if member not in found:
                        found.add(member)
                        todo.append((self._firsts_of[member], self._lasts_of[member]))
        return [self._numbers[member] for member in sorted(found)]


def lead_bits_again(
    assignments: Sequence[Assignment],
    overlaps: Overlaps,
    before: tuple[bytes, Sequence[ServicesEntry], Sequence[tuple[str, int, Protocol]]],
    services: Sequence[ServicesEntry],
    nmap: Sequence[tuple[str, int, Protocol]],
) -> bytes:
    """The group bytes that :func:`lead_bits` gives ``assignments`` with ``services`` and
    ``nmap``, from those it gave them with other names: ``before`` is those bytes, and
    the services entries and Nmap names they were given. Only the rows around the ports
    whose lines or names differ (see :meth:`Overlaps.around`) are worked out again, so a
    changed services file costs what its lines cost, not what the registry does."""
    bits, old_services, old_nmap = before
    (lines, named), (new_lines, new_named) = _said(old_services, old_nmap), _said(services, nmap)
    changed = {
        where[0] for where in {*lines, *new_lines} if lines.get(where) != new_lines.get(where)
    }
    changed.update(
        where[0] for where in {*named, *new_named} if named.get(where) != new_named.get(where)
    )
    rows = overlaps.around(changed)
    again = bytearray(bits)
    for number, bit in zip(rows, lead_bits([assignments[n] for n in rows], services, nmap).bits):
        again[number] = bit
    return bytes(again)


def _mark(
    bits: list[int],
    on: Mapping[_K, list[tuple[int, str]]],
    picks: Mapping[_K, str],
    bit: int,
) -> None:
    """Set ``bit`` on the rows of each pick, except on a row that another place it covers
    does not pick (a row over a range cannot lead on some of its ports only)."""
    wanted: set[int] = set()
    refused: set[int] = set()
    for where, pick in picks.items():
        for number, service in on[where]:
            (wanted if service == pick else refused).add(number)
    for number in wanted - refused:
        bits[number] |= bit
