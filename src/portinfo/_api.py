"""The module-level functions, answered by one default registry.

The default :class:`~portinfo.Registry` is made on the first call, under a lock, so that
many threads making their first call at once share one: of the packaged data, or of the
saved registry that the configuration names, with the local files of your own services
that it names, if any (see :mod:`portinfo._config`). Its data are read on its first query.
Importing portinfo reads nothing. Each function hands its question to the default
registry, whose caches answer a repeated one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, SupportsIndex

from portinfo._data import packaged
from portinfo._locks import Lock
from portinfo._registry import Registry
from portinfo._validate import show
from portinfo.exceptions import DataFormatError

if TYPE_CHECKING:
    from portinfo._config import Found
    from portinfo._data import Data
    from portinfo._enums import Protocol
    from portinfo._free import Avoid
    from portinfo._manifest import DataInfo
    from portinfo._records import PortInfo
    from portinfo._results import Service
    from portinfo._search import SearchResult

__all__ = [
    "data_info",
    "default_registry",
    "free",
    "lookup",
    "name",
    "port",
    "resolve",
    "resolve_all",
    "search",
]

_default: Registry | None = None
_lock = Lock()  # a forked child gets it back free


def default_registry() -> Registry:
    """The registry the module-level functions use: the packaged data, or the saved
    registry (:meth:`Registry.save`) that ``PORTINFO_DATA`` or the config file's ``data``
    names (see "Using newer data without a release"); with the local files of your own
    services that ``PORTINFO_LOCAL`` or the config file's ``local`` names (see "Your own
    ports"). Its data are read on its first query; a saved registry or a local file that
    cannot be read raises :class:`~portinfo.DataFormatError` naming it (and what named it),
    at each query until it is mended. :meth:`Registry.packaged` is the packaged data
    alone."""
    global _default  # noqa: PLW0603  # the one lazily made default instance
    registry = _default
    if registry is None:
        with _lock:
            registry = _default
            if registry is None:
                registry = _default = _configured()
    return registry


def _configured() -> Registry:
    """The default registry: the saved registry the configuration names, else the
    packaged data; with the local files it names, if any."""
    from portinfo._config import DATA, LOCAL, find  # noqa: PLC0415  # on the first call only

    data, local = find(DATA), find(LOCAL)
    load: Callable[[], Data] = packaged
    if data.paths:  # the saved registry's module (3 ms of imports) only where one is named
        from portinfo._saved import saved  # noqa: PLC0415

        load = saved(data.paths[0], data.origin)
    return Registry(with_local(load, local.paths, local) if local.paths else load)


def with_local(load: Callable[[], Data], paths: Sequence[str], found: Found) -> Callable[[], Data]:
    """A loader of the data that ``load`` gives with the local files ``paths`` added, all
    read when it is called (on a registry's first query): the default registry's, or the
    command line's for a saved registry (``--data``). An error about a file that ``found``
    (the configuration's) names says what named it."""

    def loaded() -> Data:
        from portinfo._compile import compile_over  # noqa: PLC0415  # only with local files

        try:
            return compile_over(load(), paths)
        except DataFormatError as error:
            raise found.named(error) from None

    return loaded


def registry_or_default(registry: object) -> Registry:
    """``registry``, or the default registry where it is ``None``; a ``TypeError`` for
    anything but a :class:`~portinfo.Registry`, checked before it is used."""
    if registry is None:
        return default_registry()
    if not isinstance(registry, Registry):
        raise TypeError(
            f"registry must be a portinfo.Registry, got {type(registry).__name__}: {show(registry)}"
        )
    return registry


def lookup(port: SupportsIndex | str, protocol: Protocol | str | int | None = None) -> PortInfo:
    """What is known of ``port``: its range, status, IANA records, aliases and observed uses.

    ``port`` is an ``int`` from 0 to 65535 (or any integer type, such as NumPy's), a digit
    string (``"443"``) or ``"port/protocol"`` (``"53/udp"``). ``protocol`` narrows the
    answer to one of ``"tcp"``, ``"udp"``, ``"sctp"``, ``"dccp"`` (any case, or a
    :class:`~portinfo.Protocol`). Raises :class:`~portinfo.InvalidPortError` (with a hint to
    use :func:`resolve` when given a name), :class:`~portinfo.InvalidProtocolError` or
    ``TypeError``.
    """
    return (_default or default_registry()).lookup(port, protocol)


def resolve(name: str) -> Service:
    """The service called ``name`` (in any case), by its IANA name or any alias.

    Raises :class:`~portinfo.UnknownServiceError` for a name that no source knows. Where a
    name stands for several services, the others are in the answer's ``others``; see
    :func:`resolve_all`.
    """
    return (_default or default_registry()).resolve(name)


def name(port: SupportsIndex | str, protocol: Protocol | str | int | None = None) -> str | None:
    """The one name of ``port`` (``"http"`` for 80), or ``None`` where nothing names it.

    A drop-in, exception-free counterpart of ``socket.getservbyport``: your own service's
    name (a local file's), then IANA's service for that protocol, then the services file's
    name, then Nmap's, then an observed use that listens there; never a wide range's use,
    never a name from another protocol than the one asked about. Bad input still raises,
    as for :func:`lookup`.
    """
    return lookup(port, protocol).name


def port(name: str, protocol: Protocol | str | int | None = None) -> int | None:
    """The port called ``name`` (80 for ``"http"``), or ``None`` where no source knows it.

    A drop-in, exception-free counterpart of ``socket.getservbyname``; see
    :meth:`Registry.port`.
    """
    return (_default or default_registry()).port(name, protocol)


def resolve_all(name: str) -> tuple[Service, ...]:
    """Every service that ``name`` stands for, best first (see :meth:`Registry.resolve_all`)."""
    return (_default or default_registry()).resolve_all(name)


def search(
    text: str, protocol: Protocol | str | int | None = None, *, limit: int = 20
) -> tuple[SearchResult, ...]:
    """Ranked matches of ``text`` over names, aliases, descriptions and observed uses (see
    :meth:`Registry.search`)."""
    return (_default or default_registry()).search(text, protocol, limit=limit)


def data_info() -> DataInfo:
    """Where the data come from: each input's date, checksum and record count (each local
    file of your own among them), and the directory of the saved registry they were read
    from, if one was configured."""
    return (_default or default_registry()).data_info()


def free(
    first: SupportsIndex | str,
    last: SupportsIndex | str,
    *,
    protocol: Protocol | str | int | None = None,
    n: int = 10,
    avoid: Iterable[Avoid] = ("linux", "windows", "macos"),
    registry: Registry | None = None,
) -> tuple[int, ...]:
    """Up to ``n`` ports of ``first``..``last`` that are free for a service of your own,
    best first.

    A port is free where no source claims it: no IANA record assigns or reserves it (an
    IANA "Unassigned" range leaves it free), no services file, Nmap name or IANA alias row
    names it, and no observed use listens on it or holds it in a wide range. Without a
    ``protocol``, it must be free on all four protocols; with one, on that protocol. It
    must also lie outside the ephemeral ranges of the systems named in ``avoid``, from
    which they pick the local ends of connections: by default Linux's 32768-60999
    (``net.ipv4.ip_local_port_range``) and Windows' and macOS's 49152-65535. ``avoid``
    replaces the default: it holds system names (``"linux"``, ``"windows"``, ``"macos"``,
    ``"freebsd"``, whose 10000-65535 leaves little of the User Ports), ranges
    ``"FIRST-LAST"`` or ``(first, last)``, or nothing (``avoid=()``).

    Best first means: each port is the free port farthest from every claimed port and from
    every port listed before it, ties to the lower port. The first is as far as the range
    allows from the services around it, and the others keep apart from them and from each
    other. Fewer than ``n`` ports come back where fewer are free.

    ``first`` and ``last`` are ports as :func:`lookup` takes them; ``first`` above
    ``last``, ``n`` under 1, or an unknown system raises
    :class:`~portinfo.InvalidArgumentError` (a bad port :class:`~portinfo.InvalidPortError`,
    a bad protocol :class:`~portinfo.InvalidProtocolError`), and a value of the wrong type
    ``TypeError``. ``registry`` answers in place of the default one.
    """
    return registry_or_default(registry).free(first, last, protocol=protocol, n=n, avoid=avoid)
