"""What listens on this machine: its listening TCP and bound UDP sockets, each with the process
that holds it and what portinfo knows of its port, and their renderings as text, Markdown,
JSON, TSV and CSV.

:func:`listening` asks the operating system through psutil, the optional extra
``pyportinfo[local]``, which is imported on the first call and never at import. Without it the
call raises :class:`MissingDependencyError`. Where the system hides something from the user
(the process of another user's socket, or on macOS the sockets of other users' processes
altogether), the sockets are listed as far as the system allows and the answer says so once
(:attr:`Listening.hidden`, :attr:`Listening.partial`, :attr:`Listening.note`).
:func:`render_listeners` is the one presenter of the answer, for the command line and for
reports.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, SupportsIndex

import attrs

from portinfo._api import registry_or_default
from portinfo._enums import Protocol, Status
from portinfo._escape import json_text, markdown, spreadsheet, terminal
from portinfo._records import (
    Record,
    as_tuple,
    member_of,
    nonempty_text,
    optional_text,
    port_number,
    public,
    tuple_of,
)
from portinfo._text import clip
from portinfo._validate import parse_port, parse_protocol, plain_int, show
from portinfo.exceptions import (
    InvalidArgumentError,
    InvalidProtocolError,
    ListeningError,
    MissingDependencyError,
)

if TYPE_CHECKING:
    import typing

    from portinfo._records import PortInfo
    from portinfo._registry import Registry
    from portinfo.dicts import ListenerDict, ListeningDict

    class _Connection(typing.Protocol):
        """What portinfo reads of one of psutil's socket tuples (``sconn`` and ``pconn``)."""

        @property
        def family(self) -> int: ...
        @property
        def type(self) -> int: ...
        @property
        def laddr(self) -> tuple[Any, ...]: ...
        @property
        def raddr(self) -> tuple[Any, ...]: ...
        @property
        def status(self) -> str: ...


__all__ = [
    "COLUMNS",
    "INSTALL_HINT",
    "Family",
    "Format",
    "Listener",
    "ListenersFormat",
    "Listening",
    "listening",
    "render_listeners",
]

Family = Literal["ipv4", "ipv6"]
"""The address family of a socket."""
Format = Literal["text", "markdown", "json"]
"""The renderings of :func:`render_listeners` that the port report has too."""
ListenersFormat = Literal["text", "markdown", "json", "tsv", "csv"]
"""The renderings of :func:`render_listeners`."""

INSTALL_HINT = "psutil is not installed: pip install 'pyportinfo[local]'"
"""The message of :class:`MissingDependencyError` when psutil is missing."""

_FAMILIES: dict[int, Family] = {socket.AF_INET: "ipv4", socket.AF_INET6: "ipv6"}
_FORMATS = ("text", "markdown", "json", "tsv", "csv")
COLUMNS = (
    "port", "protocol", "address", "family", "pid", "process",
    "name", "service", "description", "use", "unknown",
)  # fmt: skip
"""The columns of the TSV and CSV renderings, in their order: the fields of a
:class:`Listener`, the port first."""


# --- the records -------------------------------------------------------------------------


def _family(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in ("ipv4", "ipv6"):
        raise InvalidArgumentError(f"family must be 'ipv4' or 'ipv6', got {show(value)}")


def _pid(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if value.__class__ is not int:
        raise TypeError(f"pid must be an int or None, got {show(value)}")
    if value < 0:
        raise InvalidArgumentError(f"pid must not be negative, got {show(value)}")


def _flag(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be a bool, got {show(value)}")


def _family_of(address: str) -> Family:
    return "ipv6" if ":" in address else "ipv4"


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


@attrs.frozen
class Listener(Record):
    """A socket that waits for others on this machine, its process, and what its port is.

    A listening TCP socket, or a bound UDP socket that is not connected to one peer.
    :func:`listening` makes them; :meth:`at` makes one for any address, port and protocol.
    """

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> ListenerDict: ...

    address: str = attrs.field(validator=nonempty_text)
    """The local address, as the system gives it: ``"127.0.0.1"``, ``"::1"``; ``"0.0.0.0"``
    and ``"::"`` stand for every address of the family."""
    port: int = attrs.field(validator=port_number)
    """The local port."""
    protocol: Protocol = attrs.field(validator=member_of(Protocol))
    """``Protocol.TCP`` or ``Protocol.UDP``."""
    family: Family = attrs.field(validator=_family)
    """``"ipv4"`` or ``"ipv6"`` (an IPv6 socket may accept IPv4 connections too)."""
    pid: int | None = attrs.field(validator=_pid)
    """The ID of the process that holds the socket; ``None`` where the system does not say
    (another user's process, or a socket of the kernel's)."""
    process: str | None = attrs.field(validator=optional_text)
    """The name of that process (``"sshd"``); ``None`` where the system does not say."""
    name: str | None = attrs.field(validator=optional_text)
    """portinfo's one name of the port for the protocol, as :func:`portinfo.name` gives it;
    ``None`` where nothing names it."""
    service: str | None = attrs.field(validator=optional_text)
    """The IANA service that assigns the port for the protocol (where IANA lists several,
    the prominent one, as :attr:`name` does); ``None`` where IANA assigns it to none."""
    description: str | None = attrs.field(validator=optional_text)
    """That record's description (``"Prizma Monitoring Service"``); ``None`` where there is
    no such record or it has no description."""
    use: str | None = attrs.field(validator=optional_text)
    """The title of the first observed use that listens on the port for the protocol
    (``"NI VeriStand Gateway"``); ``None`` where none is known."""
    unknown: bool = attrs.field(validator=_flag)
    """``True`` when nothing names the port for the protocol: no IANA service, no name in a
    services file or Nmap's, no observed use that listens there. The ones to look at first."""
    local: bool = attrs.field(default=False, validator=_flag)
    """``True`` when :attr:`name` is one of your own (a local file's service: see the page
    "Your own ports")."""

    @classmethod
    def at(
        cls,
        address: str,
        port: SupportsIndex | str,
        protocol: Protocol | str,
        *,
        family: Family | None = None,
        pid: int | None = None,
        process: str | None = None,
        registry: Registry | None = None,
    ) -> Listener:
        """A listener on ``address``, ``port`` and ``protocol``, with what ``registry`` (the
        packaged data, by default) knows of the port.

        ``family`` is read from the address when not given (a ``:`` makes it IPv6). Raises
        :class:`~portinfo.InvalidPortError`, :class:`~portinfo.InvalidProtocolError`,
        :class:`~portinfo.InvalidArgumentError` or ``TypeError`` for bad input.
        """
        number = parse_port(port)
        kind = parse_protocol(protocol)
        if not isinstance(address, str):
            raise TypeError(f"address must be a str, got {type(address).__name__}: {show(address)}")
        info = registry_or_default(registry).lookup(number, kind)
        return cls(
            address,
            number,
            kind,
            _family_of(address) if family is None else family,
            pid,
            process or None,
            *_annotation(info),
        )


def _annotation(
    info: PortInfo,
) -> tuple[str | None, str | None, str | None, str | None, bool, bool]:
    """``name``, ``service``, ``description``, ``use``, ``unknown`` and ``local`` of a
    port's answer."""
    assigned = [a for a in info.assignments if a.status is Status.ASSIGNED and a.service]
    # A port's own service before the rows IANA marks as duplicates of it (www for http).
    record = next((a for a in assigned if a.alias_of is None), assigned[0] if assigned else None)
    use = next((u for u in info.uses if u.listens_on(info.port)), None)
    name = info.name
    return (
        name,
        record.service if record else None,
        (record.description or None) if record else None,
        use.title if use else None,
        name is None,
        bool(info.local),
    )


@attrs.frozen
class Listening(Record):
    """The answer of :func:`listening`: the sockets, and whether the system hid any of them.

    Not a sequence: iterate over ``listeners``.
    """

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> ListeningDict: ...

    listeners: tuple[Listener, ...] = attrs.field(converter=as_tuple, validator=tuple_of(Listener))
    """The sockets, by port, then protocol, then address (then process ID)."""
    hidden: bool = attrs.field(default=False, validator=_flag)
    """Whether the system kept the process of some sockets from the user: those sockets are
    listed with ``pid`` or ``process`` ``None``. An administrator sees them all."""
    partial: bool = attrs.field(default=False, validator=_flag)
    """Whether some sockets are missing altogether: where the system lists sockets only
    process by process (macOS, to anyone but root), those of processes the user may not
    inspect. An administrator sees them all."""

    @property
    def note(self) -> str | None:
        """One sentence to tell the user what the system hid, or ``None`` when it hid nothing."""
        if self.partial:
            return (
                "some sockets are not listed and some processes may not be shown:"
                " the system shows them only to an administrator"
            )
        if self.hidden:
            return "some processes are not shown: the system shows them only to an administrator"
        return None


# --- asking the system -------------------------------------------------------------------


def listening(
    protocol: Protocol | str | int | None = None, *, registry: Registry | None = None
) -> Listening:
    """This machine's listening TCP sockets and bound UDP sockets, with what ``registry``
    (the packaged data, by default) knows of their ports.

    ``protocol`` narrows the answer to ``"tcp"`` or ``"udp"``. A UDP socket counts when it is
    bound to a local address and not connected to one peer (as ``ss -uln`` lists them): a
    connected one is a client's. The sockets come by port, then protocol, then address.

    Raises :class:`MissingDependencyError` without psutil (``pip install
    'pyportinfo[local]'``); :class:`~portinfo.ListeningError` where the system will not list
    its sockets (no ``/proc/net``, a ``/proc`` not readable: the message says what failed);
    :class:`~portinfo.InvalidProtocolError` for ``"sctp"`` or ``"dccp"``, which psutil
    cannot list, and for any other protocol; ``TypeError`` for a protocol that is neither a
    string nor an int (6 and 17, the IANA numbers, are tcp and udp).
    """
    registry = registry_or_default(registry)  # checked before anything is asked of the system
    wanted = None if protocol is None else parse_protocol(protocol)
    if wanted is not None and wanted not in (Protocol.TCP, Protocol.UDP):
        raise InvalidProtocolError(
            f"protocol must be 'tcp' or 'udp' (the system lists no {wanted.value} sockets"
            f" to portinfo), got {show(protocol)}"
        )
    sockets, hidden, partial = _sockets("inet" if wanted is None else wanted.value)
    found = {
        Listener.at(address, port, kind, family=family, pid=pid, process=process, registry=registry)
        for address, port, kind, family, pid, process in sockets
        if wanted is None or kind is wanted
    }
    return Listening(tuple(sorted(found, key=_order)), hidden=hidden, partial=partial)


def _order(listener: Listener) -> tuple[int, str, str, str, int, str]:
    pid = -1 if listener.pid is None else listener.pid
    return (
        listener.port,
        listener.protocol.value,
        listener.address,
        listener.family,
        pid,
        listener.process or "",
    )


if TYPE_CHECKING:
    _Socket = tuple[str, int, Protocol, Family, int | None, str | None]
    """Address, port, protocol, family, process ID and process name of one socket."""


def _sockets(kind: str) -> tuple[list[_Socket], bool, bool]:
    """The sockets of ``kind`` (``"tcp"``, ``"udp"`` or ``"inet"``), with whether the system
    hid some processes, and whether it hid some sockets altogether."""
    try:
        import psutil  # noqa: PLC0415  # an optional extra: imported only when asked for
    except ModuleNotFoundError as error:
        if error.name != "psutil":  # psutil is there and one of its own imports failed
            raise
        raise MissingDependencyError(INSTALL_HINT, name="psutil") from None
    try:
        return _ask(psutil, kind)
    except (OSError, psutil.Error) as error:  # no /proc/net, a /proc not readable, ...
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise ListeningError(f"cannot list this machine's sockets ({reason})") from error


def _ask(psutil: Any, kind: str) -> tuple[list[_Socket], bool, bool]:
    """:func:`_sockets`, asked of ``psutil``."""
    partial = False
    found: list[tuple[_Connection, int | None]]
    try:
        found = [(c, c.pid) for c in psutil.net_connections(kind=kind)]
    except psutil.AccessDenied:  # macOS, to anyone but root: ask process by process
        found, partial = _per_process(kind)
    names: dict[int, str | None] = {}
    denied = False
    sockets: list[_Socket] = []
    for connection, pid in found:
        where = _where(connection)
        if where is None:
            continue
        if pid is not None and pid not in names:
            try:
                names[pid] = psutil.Process(pid).name() or None
            except psutil.AccessDenied:
                names[pid], denied = None, True
            except psutil.Error:  # the process ended since: nothing was hidden
                names[pid] = None
        sockets.append((*where, pid, None if pid is None else names[pid]))
    # Where the administrator sees a socket without a process, it is the kernel's: the
    # system hid nothing. Anyone else is not shown the processes of other users.
    hidden = denied or (not _privileged() and any(s[4] is None for s in sockets))
    return sockets, hidden, partial


def _per_process(kind: str) -> tuple[list[tuple[_Connection, int | None]], bool]:
    """The sockets of every process the user may inspect, and whether some processes were
    not: the way to list sockets where the system will not list them all at once."""
    import psutil  # noqa: PLC0415  # the optional extra, found by the caller

    found: list[tuple[_Connection, int | None]] = []
    partial = False
    for process in psutil.process_iter():
        # net_connections() from psutil 6.0; connections() before, deprecated since.
        connections = getattr(process, "net_connections", None) or process.connections
        try:
            found += [(c, process.pid) for c in connections(kind=kind)]
        except psutil.AccessDenied:
            partial = True
        except psutil.Error:  # the process ended meanwhile
            continue
    return found, partial


def _where(connection: _Connection) -> tuple[str, int, Protocol, Family] | None:
    """Address, port, protocol and family of a socket that waits for others; else ``None``."""
    family = _FAMILIES.get(connection.family)
    if family is None or not connection.laddr:
        return None
    if connection.type == socket.SOCK_STREAM:
        if connection.status != "LISTEN":  # psutil.CONN_LISTEN
            return None
        protocol = Protocol.TCP
    elif connection.type == socket.SOCK_DGRAM:
        if connection.raddr:  # connected to one peer: a client's socket
            return None
        protocol = Protocol.UDP
    else:
        return None
    address, port = connection.laddr[0], connection.laddr[1]
    return str(address), int(port), protocol, family


def _privileged() -> bool:
    """Whether the user is root, to whom a POSIX system shows every process of a socket."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


# --- rendering ---------------------------------------------------------------------------

_HEADER = ("PORT", "ADDRESS", "PROCESS", "NAME", "ABOUT")
# PORT, ADDRESS, PROCESS and NAME are each as wide as their widest cell, and ABOUT takes the
# rest of the line. Only where that leaves ABOUT fewer than _MIN_ABOUT columns is the
# widest of ADDRESS, PROCESS and NAME narrowed, a column at a time, down to its floor (an
# IPv4 address never), and the cells too long for it cut short with "...".
_FLOORS = (9, 15, 16, 12)
_MIN_ABOUT = 14
_UNKNOWN = "unknown"
_LEGEND = "! unknown: no IANA service, no services-file or Nmap name, no known use"


def render_listeners(
    listeners: Listening | Iterable[Listener],
    *,
    format: ListenersFormat = "text",
    width: int = 80,
) -> str:
    """``listeners`` as aligned text, a Markdown table, JSON (a list of ``as_dict()``), or a
    TSV or CSV table for other programs.

    Text has a header line and one line a socket; a port that nothing names is flagged
    with ``!`` at the start of its line and explained by a last line. Every line fits in
    ``width`` columns, when ``width`` is 80 or more. The address, process and name are
    shown whole wherever the line has room for them and 14 columns of the last column
    (what the port is), which takes the rest of the line; only where it has not are the
    longest of them cut short with ``...`` (a process's ID is kept). In Markdown, an
    unknown port's name reads ``**unknown**``, and every cell is escaped. TSV and CSV have
    a header row and one row a socket, in the columns ``port``, ``protocol``, ``address``,
    ``family``, ``pid``, ``process``, ``name``, ``service``, ``description``, ``use`` and
    ``unknown`` (``true`` or ``false``); a missing value is an empty cell, each cell is one
    line, and a cell that a spreadsheet would run as a formula gets a ``'`` first. The
    result does not end with a newline.

    A :class:`Listening` is rendered by its listeners: say its :attr:`~Listening.note`
    apart (once, on standard error, say). Raises :class:`~portinfo.InvalidArgumentError`
    for another format or a width below 1, ``TypeError`` for values of the wrong type.
    """
    if isinstance(listeners, Listening):
        items = listeners.listeners
    else:
        items = tuple(listeners)
        for item in items:
            if not isinstance(item, Listener):
                raise TypeError(f"listeners must hold Listener values, got {show(item)}")
    if not isinstance(format, str):
        raise TypeError(f"format must be a str, got {type(format).__name__}: {show(format)}")
    if format not in _FORMATS:
        raise InvalidArgumentError(
            f"format must be 'text', 'markdown', 'json', 'tsv' or 'csv', got {show(format)}"
        )
    plain_int(width, "width", least=1)
    if format == "json":
        return json_text(
            json.dumps([item.as_dict() for item in items], indent=2, ensure_ascii=False)
        )
    if format == "markdown":
        return _markdown(items)
    if format in ("tsv", "csv"):
        return _table(items, "\t" if format == "tsv" else ",")
    return _text(items, width)


def _about(listener: Listener) -> str:
    if listener.unknown:
        return _UNKNOWN
    parts = [_first_line(listener.description or "")] if listener.description else []
    if not listener.service:
        parts.append("no IANA service")
    if listener.use:
        parts.append(f"observed: {listener.use}")
    return "; ".join(parts)


def _process_cell(listener: Listener, width: int) -> str:
    if listener.pid is None:
        return clip(listener.process or "-", width)
    pid = f"({listener.pid})"
    if listener.process is None:
        return clip(pid, width)
    full = f"{listener.process} {pid}"
    if len(full) <= width:
        return full
    room = width - len(pid) - 1
    if room < 4:  # too narrow for the name and the ID: the name alone
        return clip(listener.process, width)
    return f"{clip(listener.process, room)} {pid}"


def _text(listeners: tuple[Listener, ...], width: int) -> str:
    if not listeners:
        return "no listening sockets"
    cells = [
        (
            f"{item.port}/{item.protocol.value}",
            _shown(item.address),
            _shown(_process_cell(item, 10**6)),
            _shown(item.name or "-"),
        )
        for item in listeners
    ]
    widths = [
        max(len(_HEADER[column]), *(len(row[column]) for row in cells))
        for column in range(len(_FLOORS))
    ]
    about = width - (2 + sum(widths) + 2 * len(widths))
    while about < _MIN_ABOUT:
        roomy = [i for i in (1, 2, 3) if widths[i] > _FLOORS[i]]
        if not roomy:
            break
        widest = max(roomy, key=lambda i: widths[i] - _FLOORS[i])
        widths[widest] -= 1
        about += 1
    about = max(about, _MIN_ABOUT)

    def line(flag: str, row: tuple[str, ...], last: str) -> str:
        parts = [clip(cell, w).ljust(w) for cell, w in zip(row, widths)]
        return f"{flag} {'  '.join(parts)}  {clip(_shown(last), about)}".rstrip()

    lines = [line(" ", _HEADER[:4], _HEADER[4])]
    for item, row in zip(listeners, cells):
        process = row[2] if len(row[2]) <= widths[2] else _shown(_process_cell(item, widths[2]))
        lines.append(
            line("!" if item.unknown else " ", (row[0], row[1], process, row[3]), _about(item))
        )
    if any(item.unknown for item in listeners):
        lines.append(clip(_LEGEND, max(width, _MIN_ABOUT)))
    return "\n".join(lines)


def _table(listeners: tuple[Listener, ...], delimiter: str) -> str:
    """``listeners`` as TSV or CSV: a header row of ``COLUMNS``, then a row a socket."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in listeners:
        writer.writerow(_table_cell(getattr(item, column)) for column in COLUMNS)
    return out.getvalue()[:-1]


def _table_cell(value: object) -> object:
    """A value as a TSV or CSV cell: a number as it is, a flag as ``true`` or ``false``,
    nothing as an empty cell, and text on one line, escaped (see _escape)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Protocol):
        return value.value
    if isinstance(value, str):
        return spreadsheet(" ".join(value.split()))
    return value


def _shown(cell: str) -> str:
    """A cell of the text table: one line, its control characters shown (see _escape)."""
    return terminal(" ".join(cell.split()))


def _cell(value: object) -> str:
    """A value as a Markdown table cell: one line, with every character Markdown reads (and
    ``|``, which ends a cell) escaped, so a process's name cannot inject markup."""
    if value is None:
        return ""
    return markdown(str(value))


def _markdown(listeners: tuple[Listener, ...]) -> str:
    lines = [
        "| port | protocol | address | process | pid | name | IANA description | observed use |",
        "| ---: | --- | --- | --- | ---: | --- | --- | --- |",
    ]
    for item in listeners:
        name = "**unknown**" if item.unknown else _cell(item.name)
        cells = (
            str(item.port),
            item.protocol.value,
            _cell(item.address),
            _cell(item.process),
            _cell(item.pid),
            name,
            _cell(_first_line(item.description or "")),
            _cell(item.use),
        )
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines)


public(Listener, Listening)
