"""The registry: one value that holds a data set and answers every query over it.

A facade over its data (:class:`portinfo._data.Data`: the packaged tables, a saved
registry's (:mod:`portinfo._saved`), or tables compiled from a user's files by
:func:`portinfo._compile.compile_files`), read on the first query. The data answer port
lookups; :mod:`portinfo._resolve`, ``_search``, ``_table`` and ``_free`` names, searches,
whole tables and free ports. The registry checks the input and keeps the answers, in
bounded caches keyed by checked input only."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from typing import TYPE_CHECKING, SupportsIndex, TypeVar, Union, cast

from portinfo._data import packaged
from portinfo._enums import Protocol
from portinfo._locks import Lock
from portinfo._validate import name_key, parse_lookup, parse_protocol, plain_int
from portinfo.exceptions import UnknownServiceError

if TYPE_CHECKING:
    from os import PathLike

    from portinfo._data import Data
    from portinfo._diff import Diff
    from portinfo._free import Avoid
    from portinfo._manifest import DataInfo
    from portinfo._own import LocalService
    from portinfo._records import Alias, Assignment, PortInfo, Use
    from portinfo._results import Service
    from portinfo._search import SearchResult
    from portinfo._table import Field

__all__ = ["ANSWER_CACHE", "Registry"]

StrPath = Union[str, "PathLike[str]"]
_K = TypeVar("_K")
_V = TypeVar("_V")

ANSWER_CACHE = 4096
"""How many answers a registry keeps per kind of query; when full, it starts afresh."""
_PLAIN = (type(None), str, Protocol)
"""The protocol classes a lookup's cache is asked with unchecked: they hash, and equal a
checked key only as the same protocol. Anything else is checked first (NumPy's timedelta64)."""


class Registry:
    """Every record portinfo knows, and the queries over them.

    :meth:`packaged` is a registry of the data shipped with portinfo; :meth:`from_files`
    builds one from newer upstream files of your own, which :meth:`save` keeps for
    :meth:`from_directory`. A registry reads its data on its first query, never changes
    once built, and is safe to share between threads.
    """

    def __init__(self, loader: object = None, /) -> None:
        """Internal: make a registry with :meth:`packaged` or :meth:`from_files`."""
        if not callable(loader):
            raise TypeError("make a Registry with Registry.packaged() or Registry.from_files()")
        self._loader = cast("Callable[[], Data]", loader)
        self._data: Data | None = None
        self._lock = Lock()  # a forked child gets it back free
        self._answers: dict[tuple[int, Protocol | None], PortInfo] = {}
        self._resolved: dict[str, Service] = {}
        self._resolved_all: dict[str, tuple[Service, ...]] = {}
        self._searches: dict[tuple[str, Protocol | None, int], tuple[SearchResult, ...]] = {}
        self._tables: dict[tuple[Protocol | None, str], tuple[str | None, ...]] = {}

    def __repr__(self) -> str:
        from portinfo._manifest import dated_iana  # noqa: PLC0415  # see _manifest

        state = dated_iana(self.data_info()) if self._data else "not loaded yet"
        return f"<portinfo.Registry ({state})>"

    @classmethod
    def packaged(cls) -> Registry:
        """A registry of the data shipped with portinfo, and nothing else."""
        return cls(packaged)

    @classmethod
    def from_files(
        cls,
        *,
        iana: StrPath | None = None,
        services: StrPath | None = None,
        nmap: StrPath | None = None,
        uses: StrPath | None = None,
        local: StrPath | Sequence[StrPath] | None = None,
    ) -> Registry:
        """A registry of your own upstream files; each one omitted comes from the package.

        ``iana``, ``services``, ``nmap`` (for :meth:`top_ports`) and ``uses`` each replace
        the shipped file; ``local`` (your services' file or files) adds to them. All are
        read and checked now; a bad file raises :class:`~portinfo.DataFormatError`."""
        from portinfo._compile import compile_data  # noqa: PLC0415  # only for users' files

        data = compile_data(iana=iana, services=services, nmap=nmap, uses=uses, local=local)
        return cls(lambda: data)

    @classmethod
    def from_directory(cls, directory: StrPath) -> Registry:
        """The registry :meth:`save` wrote into ``directory``, loaded as the packaged data."""
        from portinfo._saved import saved  # noqa: PLC0415  # only for saved data

        return cls(saved(directory))

    def save(self, directory: StrPath) -> None:
        """Write this registry's data into ``directory``, atomically, for :meth:`from_directory`
        and ``PORTINFO_DATA`` (see the page on newer data). Nmap's figures are never saved."""
        from portinfo._saved import save  # noqa: PLC0415  # only for saving

        save(self._load().files, directory)

    def _load(self) -> Data:
        data = self._data
        if data is None:
            with self._lock:
                data = self._data
                if data is None:
                    data = self._data = self._loader()
        return data

    @staticmethod
    def _remember(cache: MutableMapping[_K, _V], key: _K, value: _V) -> _V:
        """Keep ``value`` under ``key``; a full cache starts afresh (unlocked: a race redoes)."""
        if len(cache) >= ANSWER_CACHE:
            cache.clear()
        cache[key] = value
        return value

    def data_info(self) -> DataInfo:
        """Where the data come from: each input's date, checksum and count; a saved one's path."""
        from portinfo._manifest import data_info_from_manifest  # noqa: PLC0415  # see _manifest

        data = self._load()
        return data_info_from_manifest(data.manifest, "manifest", data.directory)

    def assignments(self) -> Iterator[Assignment]:
        """Every IANA record, in registry order."""
        data = self._load()
        return map(data.assignment, range(len(data.iana)))

    def aliases(self) -> Iterator[Alias]:
        """Every other name of a port, from every source but the observed uses."""
        data = self._load()
        return map(data.alias, range(len(data.names)))

    def uses(self) -> Iterator[Use]:
        """Every curated observed use, by first port."""
        return map((data := self._load()).use, range(len(data.uses)))

    def local(self) -> Iterator[LocalService]:
        """Every one of your own services, from the local files, in their order."""
        return map((data := self._load()).own, range(len(data.local)))

    # --- ports -----------------------------------------------------------------------------

    def lookup(
        self, port: SupportsIndex | str, protocol: Protocol | str | int | None = None
    ) -> PortInfo:
        """What is known of ``port`` (an integer, a digit string or ``"port/protocol"``):
        range, status, IANA records, aliases and uses; ``protocol`` (a :class:`Protocol`, its
        name, ``"tcp6"``/``"udp6"`` or IANA's number) narrows it. Raises
        :class:`~portinfo.InvalidPortError`, ``InvalidProtocolError`` or ``TypeError``."""
        if port.__class__ is int and protocol.__class__ in _PLAIN:  # asked before: one get
            found = self._answers.get((port, protocol))  # type: ignore[arg-type]
            if found is not None:
                return found
        key = parse_lookup(port, protocol)
        found = self._answers.get(key)
        if found is None:
            found = self._remember(self._answers, key, self._load().port_info(*key))
        return found

    def name(
        self, port: SupportsIndex | str, protocol: Protocol | str | int | None = None
    ) -> str | None:
        """The one name of ``port``, or ``None`` where nothing names it: an exception-free
        counterpart of ``socket.getservbyport`` (see :attr:`PortInfo.name` for the order of
        sources). Bad input still raises, as for :meth:`lookup`."""
        return self.lookup(port, protocol).name

    def table(
        self, protocol: Protocol | str | int | None, field: Field = "service"
    ) -> tuple[str | None, ...]:
        """The value of ``field`` (``"service"``, ``"description"``, ``"range"`` or ``"use"``,
        as :func:`portinfo.annotate` gives them) for each port 0..65535 on ``protocol`` (any,
        for ``None``), ``None`` where there is none; built on the first call (50 ms), kept."""
        from portinfo._table import build, check_field  # noqa: PLC0415  # only for bulk work

        key = (None if protocol is None else parse_protocol(protocol), check_field(field))
        found = self._tables.get(key)
        if found is None:
            data = self._load()
            with self._lock:  # built once, however many threads ask at once
                found = self._tables.get(key)
                if found is None:
                    found = self._tables[key] = build(data, *key)
        return found

    # --- names -----------------------------------------------------------------------------

    def resolve(self, name: str) -> Service:
        """The service called ``name`` (in any case), by its IANA name or by any alias: where
        it stands for several, the first of :meth:`resolve_all`, the rest in its ``others``.
        Raises :class:`~portinfo.UnknownServiceError` for an unknown name, ``TypeError``."""
        found = self._resolved.get(name) if name.__class__ is str else None
        if found is None:
            every = self.resolve_all(name)
            key = name_key(name)
            found = self._resolved.get(key)
            if found is None:
                import attrs  # noqa: PLC0415  # loaded already by the records

                first = every[0] if len(every) == 1 else attrs.evolve(every[0], others=every[1:])
                found = self._remember(self._resolved, key, first)
        return found

    def resolve_all(self, name: str) -> tuple[Service, ...]:
        """Every service that ``name`` (in any case) stands for, best first.

        Your own service of that name first (a local file's); then the service whose own
        IANA name it is; then those it is an alias of, by source and lowest port; last, the
        name as a service of its own where some source puts it on a port IANA has no
        service for (the names page says more). Raises ``UnknownServiceError`` if none."""
        from portinfo._resolve import find  # noqa: PLC0415  # only for names

        key = name_key(name)
        found = self._resolved_all.get(key)
        if found is None:
            found = self._remember(self._resolved_all, key, find(self._load(), key, name))
        return found

    def port(self, name: str, protocol: Protocol | str | int | None = None) -> int | None:
        """The port called ``name``, or ``None`` where no source knows the name on that
        protocol: an exception-free counterpart of ``socket.getservbyname``. The lowest port
        of the first service of :meth:`resolve_all` on ``protocol`` (on any where none is
        given); an observed use's wide range does not count. A name that is not a ``str``
        raises ``TypeError``, a bad protocol ``InvalidProtocolError``."""
        from portinfo._resolve import first_port  # noqa: PLC0415  # only for names

        wanted = None if protocol is None else parse_protocol(protocol)
        try:
            return first_port(self.resolve_all(name), wanted)
        except UnknownServiceError:
            return None

    def suggest(self, name: str) -> list[str]:
        """Up to three names this registry knows close to ``name``, for "did you mean"."""
        from portinfo._resolve import similar_names  # noqa: PLC0415  # only for names

        return similar_names(self._load(), name_key(name) or name)

    def search(
        self, text: str, protocol: Protocol | str | int | None = None, *, limit: int = 20
    ) -> tuple[SearchResult, ...]:
        """Names, aliases, descriptions and observed uses that match ``text``, best first.

        Your own and well-known names first; within them and the rest, exact, prefix, then
        substring matches, your own first; descriptions last (see the names page).
        ``protocol`` keeps results on it, ``limit`` caps the count. Blank text finds
        nothing; over 200 characters or 12 words raises :class:`~portinfo.InvalidArgumentError`."""
        from portinfo._search import search, search_key  # noqa: PLC0415  # see _search

        key = search_key(text, protocol, limit)
        found = self._searches.get(key)
        if found is None:
            found = self._remember(self._searches, key, search(self._load(), *key))
        return found

    def diff(self, other: Registry) -> Diff:
        """What changed from this registry's data to ``other``'s, the newer: a :class:`Diff`."""
        from portinfo._diff import diff  # noqa: PLC0415  # only for data refreshes

        return diff(self, other)

    def top_ports(self, n: int, protocol: Protocol | str | int = "tcp") -> tuple[int, ...]:
        """The ``n`` ports most often found open, by Nmap's open frequency (ties: lower port);
        a registry without an nmap-services file (portinfo ships no figures) raises
        :class:`~portinfo.NoRankingError`: ``Registry.from_files(nmap=...)`` has them."""
        return self._load().top_ports(plain_int(n, "n", least=0), parse_protocol(protocol))

    def free(
        self,
        first: SupportsIndex | str,
        last: SupportsIndex | str,
        *,
        protocol: Protocol | str | int | None = None,
        n: int = 10,
        avoid: Iterable[Avoid] = ("linux", "windows", "macos"),
    ) -> tuple[int, ...]:
        """The ``n`` best free ports of ``first``..``last``: see :func:`portinfo.free`."""
        from portinfo._free import check, find  # noqa: PLC0415  # only for free ports

        low, high, wanted, count, spans = check(first, last, protocol, n, avoid)  # first
        return find(self._load(), low, high, wanted, count, spans)


Registry.__module__ = "portinfo"  # shown as portinfo.Registry, the name users import
