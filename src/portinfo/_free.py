"""Free ports: the ports of a range that no source claims, outside the ephemeral ranges of
the operating systems, best first.

A port is *claimed* on a protocol where some row of the data covers it on that protocol
(a row with no protocol covers all four): an IANA record that assigns or reserves it (an
IANA "Unassigned" range claims nothing), and every row of the other-names table (a
services file's names, Nmap's, IANA's alias rows), of the observed-uses table, whether
the use listens on the port or holds it in a wide range, and of the table of your own
services (local files: see the page "Your own ports"). The rule reads the tables, not
the kinds of record in them: a name or a use from any source, a user's own file included,
claims its ports as soon as it is in those tables. Without a protocol, a port is claimed
where it is claimed on any protocol, so a free port is free on all four.

:func:`find` orders the free ports by one rule: each is the free port farthest from every
claimed port and from every port listed before it, ties to the lower port. A new service
there is as far as the range allows from the services around it (which often take the
ports next to their own), and the ports of one answer keep apart from each other, so
that several services taken from it do not crowd together either. The claimed ports of
each data set and protocol are found once (most of the work is reading IANA's statuses)
and kept; an answer then costs a bisect per free run and a heap operation per port listed.
"""

from __future__ import annotations

import heapq
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import NamedTuple, SupportsIndex, Union

from portinfo._data import Data
from portinfo._enums import Protocol, Status
from portinfo._locks import Lock
from portinfo._rows import assignment_status
from portinfo._store import PROTOCOL_BITS, Table
from portinfo._validate import MAX_PORT, parse_port, parse_protocol, plain_int, show
from portinfo.exceptions import InvalidArgumentError, InvalidPortError

__all__ = ["DEFAULT_AVOID", "EPHEMERAL", "Avoid", "Ephemeral", "check", "claimed", "find"]

Avoid = Union[str, "tuple[SupportsIndex | str, SupportsIndex | str]"]
"""What names a range to avoid: a system's name, ``"FIRST-LAST"``, or ``(first, last)``."""


class Ephemeral(NamedTuple):
    """The default range of ports a system picks the local end of a connection from."""

    system: str
    first: int
    last: int
    setting: str
    """Where the system keeps the range (a sysctl, or the command that shows it)."""
    source: str
    """The primary documentation (or source code) that gives the default."""


EPHEMERAL = (
    Ephemeral(
        "linux", 32768, 60999, "net.ipv4.ip_local_port_range",
        "https://docs.kernel.org/networking/ip-sysctl.html",
    ),
    Ephemeral(
        "windows", 49152, 65535, "netsh int ipv4 show dynamicport tcp",
        "https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/"
        "default-dynamic-port-range-tcpip-chang",
    ),
    Ephemeral(
        "macos", 49152, 65535, "net.inet.ip.portrange.first, net.inet.ip.portrange.last",
        "https://github.com/apple-oss-distributions/xnu/blob/main/bsd/netinet/in_pcb.c",
    ),
    Ephemeral(
        "freebsd", 10000, 65535, "net.inet.ip.portrange.first, net.inet.ip.portrange.last",
        "https://github.com/freebsd/freebsd-src/blob/main/sys/netinet/in_pcb.c",
    ),
)  # fmt: skip
"""The default ephemeral ranges, each with its primary source: Linux's
``ip_local_port_range`` (the kernel's ip-sysctl documentation), Windows' dynamic port range
since Vista and Server 2008 (Microsoft's KB 929851), and the ``ipport_firstauto`` and
``ipport_lastauto`` defaults behind the ``net.inet.ip.portrange.first`` and ``.last``
sysctls of macOS (XNU) and FreeBSD."""
DEFAULT_AVOID = ("linux", "windows", "macos")
"""The systems whose ephemeral ranges :func:`find` avoids unless told otherwise."""

_BY_SYSTEM = {each.system: (each.first, each.last) for each in EPHEMERAL}
_SYSTEMS = ", ".join(each.system for each in EPHEMERAL)
_PORTS = MAX_PORT + 1
_ANY = 0x0F  # every protocol's bit: a row with mask 0 covers all four
_FAR = 2 * _PORTS  # the distance of a port with no claimed port on either side
_CLAIMING = (Status.ASSIGNED, Status.RESERVED)


# --- checking the question ---------------------------------------------------------------


def check(
    first: object, last: object, protocol: object, n: object, avoid: object
) -> tuple[int, int, Protocol | None, int, tuple[tuple[int, int], ...]]:
    """The arguments of :func:`portinfo.free`, checked: a ``TypeError`` or an
    :class:`~portinfo.InvalidArgumentError` (a port's or protocol's own) naming the first
    bad one, before anything is read."""
    low, high = parse_port(first), parse_port(last)
    if low > high:
        raise InvalidArgumentError(
            f"first must be at most last, got first={show(first)} and last={show(last)}"
        )
    wanted = None if protocol is None else parse_protocol(protocol)
    return low, high, wanted, plain_int(n, "n", least=1), _avoided(avoid)


def _avoided(avoid: object) -> tuple[tuple[int, int], ...]:
    """The ranges that ``avoid`` names, sorted and merged where they overlap or touch."""
    if isinstance(avoid, str):  # one name, not its letters
        avoid = (avoid,)
    if not isinstance(avoid, Iterable):
        raise TypeError(
            f"avoid must be an iterable of system names and (first, last) ranges,"
            f" got {type(avoid).__name__}: {show(avoid)}"
        )
    spans = sorted(_span(each) for each in avoid)
    merged: list[tuple[int, int]] = []
    for low, high in spans:
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def _span(each: object) -> tuple[int, int]:
    """The range of one item of ``avoid``."""
    if isinstance(each, str):
        found = _BY_SYSTEM.get(each.strip().lower())
        if found is not None:
            return found
        low, dash, high = each.partition("-")
        if not (dash and low.strip() and high.strip()):
            raise InvalidArgumentError(
                f"avoid names a system ({_SYSTEMS}) or a range FIRST-LAST, got {show(each)}"
            )
        pair: object = (low.strip(), high.strip())
    else:
        pair = each
    if not isinstance(pair, tuple) or len(pair) != 2:
        raise TypeError(
            f"avoid holds system names and (first, last) ranges,"
            f" got {type(each).__name__}: {show(each)}"
        )
    try:
        low_port, high_port = parse_port(pair[0]), parse_port(pair[1])
    except InvalidPortError as error:
        raise InvalidPortError(f"{error}, in avoid's {show(each)}") from None
    if low_port > high_port:
        raise InvalidArgumentError(f"a range to avoid must be FIRST-LAST, got {show(each)}")
    return low_port, high_port


# --- the claimed ports -------------------------------------------------------------------

_claims: weakref.WeakKeyDictionary[Data, bytes] = weakref.WeakKeyDictionary()
_claimed: weakref.WeakKeyDictionary[Data, dict[Protocol | None, list[int]]] = (
    weakref.WeakKeyDictionary()
)
_lock = Lock()


def _table_claims(table: Table, claims: list[bool] | None) -> bytearray:
    """One byte a port: the protocol bits of the rows of ``table`` that cover it, of
    every row, or of those where ``claims[row]`` (a row with mask 0: every protocol)."""
    masks = table.masks
    bits = [(masks[n] or _ANY) if claims is None or claims[n] else 0 for n in range(len(table))]
    found = bytearray(_PORTS)
    starts, firsts, rows = table.seg_start, table.seg_first, table.seg_rows
    for segment, port in enumerate(firsts):
        mask = 0
        for place in range(starts[segment], starts[segment + 1]):
            mask |= bits[rows[place]]
        if mask:
            end = firsts[segment + 1] if segment + 1 < len(firsts) else _PORTS
            found[port:end] = bytes((mask,)) * (end - port)
    return found


def claims(data: Data) -> bytes:
    """One byte a port: the bits (:data:`~portinfo._store.PROTOCOL_BITS`) of the protocols
    on which some row of ``data`` claims it; made once per data set and kept."""
    found = _claims.get(data)
    if found is None:
        iana = data.iana
        # Only IANA's records that assign or reserve claim; read the status alone.
        assigns = [
            iana.first_port[n] < _PORTS and assignment_status(iana.row(n)) in _CLAIMING
            for n in range(len(iana))
        ]
        parts = (
            _table_claims(iana, assigns),
            _table_claims(data.names, None),
            _table_claims(data.uses, None),
            _table_claims(data.local, None),  # your own services' ports are taken
        )
        found = bytes(a | b | c | d for a, b, c, d in zip(*parts))
        with _lock:
            found = _claims.setdefault(data, found)
    return found


def claimed(data: Data, protocol: Protocol | None) -> list[int]:
    """The ports claimed on ``protocol`` (on any, for ``None``), in order; kept."""
    kept = _claimed.get(data)
    found = None if kept is None else kept.get(protocol)
    if found is None:
        bit = _ANY if protocol is None else PROTOCOL_BITS[protocol]
        found = [port for port, bits in enumerate(claims(data)) if bits & bit]
        with _lock:
            found = _claimed.setdefault(data, {}).setdefault(protocol, found)
    return found


# --- the answer --------------------------------------------------------------------------

_Gap = tuple[int, int, "int | None", "int | None", tuple[tuple[int, int], ...]]
"""A run of unclaimed ports as the heap holds it: the negated distance and the port of
its best free port, the claimed (or listed) ports around it (``None`` at the end of the
port space), and the spans of free ports in it."""


def _distance(port: int, below: int | None, above: int | None) -> int:
    if below is None:
        return _FAR if above is None else above - port
    return port - below if above is None else min(port - below, above - port)


def _gap(below: int | None, above: int | None, spans: tuple[tuple[int, int], ...]) -> _Gap:
    """The gap between ``below`` and ``above`` holding ``spans``, keyed by its best port:
    the one nearest the middle (the lower of two), or the one farthest from the one claimed
    port where there is only one."""
    best: tuple[int, int] | None = None
    for low, high in spans:
        if below is None:
            port = low
        elif above is None:
            port = high
        else:
            port = min(max((below + above) // 2, low), high)
        key = (-_distance(port, below, above), port)
        if best is None or key < best:
            best = key
    assert best is not None
    return (*best, below, above, spans)


def _free_spans(
    first: int, last: int, avoid: tuple[tuple[int, int], ...], taken: list[int]
) -> list[tuple[int, int]]:
    """The runs of ports in ``first``..``last`` outside ``avoid`` and not ``taken``."""
    spans, start = [], first
    for low, high in avoid:  # sorted and merged
        if low > last:
            break
        if low > start:
            spans.append((start, low - 1))
        start = max(start, high + 1)
    if start <= last:
        spans.append((start, last))
    found = []
    for low, high in spans:
        start = low
        for port in taken[bisect_left(taken, low) : bisect_right(taken, high)]:
            if port > start:
                found.append((start, port - 1))
            start = port + 1
        if start <= high:
            found.append((start, high))
    return found


def find(
    data: Data,
    first: int,
    last: int,
    protocol: Protocol | None,
    n: int,
    avoid: tuple[tuple[int, int], ...],
) -> tuple[int, ...]:
    """Up to ``n`` free ports of ``first``..``last`` (checked by :func:`check`), best
    first (see the module's docstring for the rule)."""
    taken = claimed(data, protocol)
    gaps: dict[tuple[int | None, int | None], list[tuple[int, int]]] = {}
    for low, high in _free_spans(first, last, avoid, taken):
        at = bisect_left(taken, low)
        below = taken[at - 1] if at else None
        above = taken[at] if at < len(taken) else None
        gaps.setdefault((below, above), []).append((low, high))
    heap = [_gap(below, above, tuple(spans)) for (below, above), spans in gaps.items()]
    heapq.heapify(heap)
    found: list[int] = []
    while heap and len(found) < n:
        _, port, below, above, spans = heapq.heappop(heap)
        found.append(port)
        lower = tuple((low, min(high, port - 1)) for low, high in spans if low < port)
        upper = tuple((max(low, port + 1), high) for low, high in spans if high > port)
        if lower:
            heapq.heappush(heap, _gap(below, port, lower))
        if upper:
            heapq.heappush(heap, _gap(port, above, upper))
    return tuple(found)
