"""The registry: every source's records behind lazily built, immutable indexes.

A :class:`Registry` answers port lookups, name resolution and searches. Its data come as
encoded tables (see :mod:`portinfo._format`): the ones packaged with portinfo, or ones
compiled in memory from a user's own upstream files by the same code as the generator's.
Nothing is read until the first query; after that a query is a few array slices and
dictionary lookups, and answers are kept in bounded caches.
"""

from __future__ import annotations

import functools
import heapq
import json
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from os import PathLike, fspath
from typing import TYPE_CHECKING, Any, Callable, Union

from portinfo._enums import Protocol, Source, Status
from portinfo._format import (
    DATA_FILES,
    NO_PORT,
    SOURCE_ORDER,
    Table,
    alias_from_row,
    assignment_from_row,
    use_from_row,
)
from portinfo._ranges import PortRange
from portinfo._records import Alias, Assignment, Person, PortInfo, Use
from portinfo._validate import parse_port_protocol, parse_protocol, show
from portinfo.exceptions import (
    DataFormatError,
    InvalidPortError,
    NoRankingError,
    UnknownServiceError,
)

if TYPE_CHECKING:
    from portinfo._build import AliasIndex
    from portinfo._manifest import DataInfo
    from portinfo._results import Match, SearchResult, Service

__all__ = ["Registry"]


ANSWER_CACHE = 4096
"""How many answers a registry keeps per kind of query (the least recently used go first)."""
RECORD_CACHE = 8192
"""How many decoded records a registry keeps."""

StrPath = Union[str, "PathLike[str]"]
_BIT = {Protocol.TCP: 1, Protocol.UDP: 2, Protocol.SCTP: 4, Protocol.DCCP: 8}
_ALL = (None, *Protocol)
# Enum members as plain globals: a global is read faster than a class attribute, on the
# path that every uncached lookup takes.
_ASSIGNED, _RESERVED, _UNASSIGNED = Status.ASSIGNED, Status.RESERVED, Status.UNASSIGNED
_SYSTEM, _USER, _DYNAMIC = PortRange.SYSTEM, PortRange.USER, PortRange.DYNAMIC


class _Data:
    """Everything a registry answers from, once loaded (internal; never handed out)."""

    __slots__ = ("aliases", "frequencies", "iana", "manifest", "people", "uses")

    def __init__(
        self,
        iana: Table,
        aliases: Table,
        uses: Table,
        people: bytes,
        manifest: Mapping[str, Any],
        frequencies: Mapping[tuple[int, Protocol], float] | None,
    ) -> None:
        self.iana, self.aliases, self.uses = iana, aliases, uses
        self.people, self.manifest = people, manifest
        self.frequencies = frequencies

    def people_and_footnotes(self) -> tuple[dict[str, Person], dict[str, str]]:
        """The people, as records by id, and the footnotes (decoded on demand: only a
        user's own CSV needs them)."""
        decoded = json.loads(self.people)
        people = {pid: Person(pid, *fields) for pid, fields in decoded["people"].items()}
        return people, decoded["footnotes"]

    @property
    def iana_updated(self) -> str | None:
        """The IANA registry's date, from the manifest."""
        for source in self.manifest["sources"]:
            if source["name"] == "iana":
                return source["date"]  # type: ignore[no-any-return]
        return None


def _load_data(
    data: Mapping[str, bytes],
    where: str,
    frequencies: Mapping[tuple[int, Protocol], float] | None = None,
) -> _Data:
    iana, aliases, uses = (
        Table(data[f"{name}.jsonl"], data[f"{name}.idx"], f"{where}/{name}")
        for name in ("iana", "aliases", "uses")
    )
    return _Data(
        iana,
        aliases,
        uses,
        people=data["people.json"],
        manifest=json.loads(data["manifest.json"]),
        frequencies=frequencies,
    )


def _packaged_files() -> dict[str, bytes]:
    """The bytes of the packaged data files, read through the package's loader.

    ``loader.get_data()`` is what ``importlib.resources`` and ``pkgutil.get_data`` use
    underneath, so this works from a wheel, a zip or a directory alike; calling it directly
    spares the first query the import of ``importlib.resources`` (about 28 ms on the
    reference machine, more than everything else the first query does). A loader without
    ``get_data`` falls back to ``importlib.resources``.
    """
    import portinfo  # noqa: PLC0415  # the package itself, for its spec

    spec = portinfo.__spec__
    get_data = getattr(spec.loader, "get_data", None) if spec is not None else None
    if spec is None or spec.origin is None or get_data is None:
        from importlib.resources import files  # noqa: PLC0415  # exotic loaders only

        root = files("portinfo").joinpath("data")
        return {name: root.joinpath(name).read_bytes() for name in DATA_FILES}
    directory = os.path.join(os.path.dirname(spec.origin), "data")
    return {name: get_data(os.path.join(directory, name)) for name in DATA_FILES}


def _packaged() -> _Data:
    return _load_data(_packaged_files(), "portinfo/data")


def _read(path: StrPath) -> tuple[bytes, str]:
    from pathlib import Path  # noqa: PLC0415  # only for users' own files

    location = Path(fspath(path))
    try:
        return location.read_bytes(), str(location)
    except OSError as error:
        raise DataFormatError(f"{location}: cannot be read: {error.strerror or error}") from None


def _keep(rows: Iterable[int], masks: bytes, bit: int) -> Iterable[int]:
    """The rows whose protocol mask lets ``bit`` through.

    A row's mask of 0 means "every protocol"; a query ``bit`` of 0 means "any protocol".
    """
    if not bit:
        return rows
    return [n for n in rows if not masks[n] or masks[n] & bit]


class Registry:
    """Every record portinfo knows, and the queries over them.

    The module-level functions (:func:`portinfo.lookup` and the rest) use one default
    registry of the packaged data. Build another with :meth:`from_iana_file` or
    :meth:`from_files` to answer from newer upstream files of your own. A registry never
    changes once built and is safe to share between threads.
    """

    def __init__(self, loader: Callable[[], _Data]) -> None:
        """Wrap a loader, called once on the first query; use the ``from_...`` methods."""
        self._loader = loader
        self._data: _Data | None = None
        self._lock = threading.Lock()
        self._cached_lookup = functools.lru_cache(maxsize=ANSWER_CACHE, typed=True)(self._lookup)
        self._cached_resolve = functools.lru_cache(maxsize=ANSWER_CACHE)(self._resolve_all)
        self._cached_resolve_one = functools.lru_cache(maxsize=ANSWER_CACHE)(self._resolve_one)
        self._cached_search = functools.lru_cache(maxsize=256)(self._search)
        self._assignment = functools.lru_cache(maxsize=RECORD_CACHE)(self._decode_assignment)
        self._alias = functools.lru_cache(maxsize=RECORD_CACHE)(self._decode_alias)
        self._use = functools.lru_cache(maxsize=RECORD_CACHE)(self._decode_use)

    def __repr__(self) -> str:
        if self._data is None:
            return "<portinfo.Registry (not loaded yet)>"
        return f"<portinfo.Registry (IANA registry of {self._data.iana_updated})>"

    # --- construction ----------------------------------------------------------------------

    @classmethod
    def packaged(cls) -> Registry:
        """The registry of the data shipped with portinfo, read on its first query."""
        return cls(_packaged)

    @classmethod
    def from_iana_file(cls, path: StrPath) -> Registry:
        """A registry of your own copy of IANA's registry, XML or CSV (detected).

        Aliases and observed uses come from the packaged data, tied afresh to the services
        of your file. The CSV has no people list: its ``[Person_Id]`` references resolve
        through the packaged names where the id is known, and stay as ids where it is not.
        The file is read and checked now; one that is not a well-formed registry raises
        :class:`~portinfo.DataFormatError` naming the file and the line or record.
        """
        return cls.from_files(iana=path)

    @classmethod
    def from_files(
        cls,
        *,
        iana: StrPath | None = None,
        services: StrPath | None = None,
        nmap: StrPath | None = None,
    ) -> Registry:
        """A registry of your own upstream files; each one omitted comes from the package.

        ``iana`` is IANA's registry (XML or CSV), ``services`` a file in the
        ``/etc/services`` format, ``nmap`` an ``nmap-services`` file (which also enables
        :meth:`top_ports`). All are read and checked now, before anything is built, and
        compiled exactly as the packaged data was.
        """
        # The compiler and the parsers are imported here: only users' own files need them.
        from portinfo._build import (  # noqa: PLC0415
            AliasIndex,
            compile_files,
            iana_aliases,
            nmap_aliases,
            services_aliases,
            source_info,
        )
        from portinfo._iana import IanaRegistry, parse_iana  # noqa: PLC0415
        from portinfo._nmap import parse_nmap  # noqa: PLC0415
        from portinfo._services import parse_services  # noqa: PLC0415

        packaged = _packaged()
        people, footnotes = packaged.people_and_footnotes()
        sources = {s["name"]: s for s in packaged.manifest["sources"]}
        if iana is None:
            registry = IanaRegistry(
                packaged.iana_updated,
                tuple(assignment_from_row(packaged.iana.row(n)) for n in range(len(packaged.iana))),
                people,
                footnotes,
                "packaged",
            )
        else:
            iana_data, iana_label = _read(iana)
            registry = parse_iana(iana_data, iana_label, people=people, footnotes=footnotes)
            sources["iana"] = source_info(
                "iana", iana_label, iana_data, registry.updated, len(registry.assignments)
            )
        index = AliasIndex(registry.assignments)
        kept = [alias_from_row(packaged.aliases.row(n)) for n in range(len(packaged.aliases))]
        aliases: list[Alias] = iana_aliases(registry.assignments)
        aliases += [a for a in kept if a.source is Source.OBSERVED]
        if services is None:
            aliases += _retarget([a for a in kept if a.source is Source.SERVICES], index)
        else:
            data, label = _read(services)
            entries = parse_services(data, label)
            aliases += services_aliases(entries, index)
            sources["services"] = source_info("services", label, data, None, len(entries))
        frequencies = None
        if nmap is None:
            aliases += nmap_aliases([a for a in kept if a.source is Source.NMAP], index)
        else:
            data, label = _read(nmap)
            nmap_entries = parse_nmap(data, label)
            aliases += nmap_aliases(nmap_entries, index)
            sources["nmap"] = source_info("nmap", label, data, None, len(nmap_entries))
            frequencies = {(e.port, e.protocol): e.frequency for e in nmap_entries}
        uses = [use_from_row(packaged.uses.row(n)) for n in range(len(packaged.uses))]
        compiled = compile_files(
            registry,
            aliases,
            uses,
            [sources[s.value] for s in SOURCE_ORDER],
            "portinfo.Registry.from_files",
        )
        data_ = _load_data(compiled, "from_files", frequencies)
        return cls(lambda: data_)

    # --- loading ---------------------------------------------------------------------------

    def _load(self) -> _Data:
        data = self._data
        if data is None:
            with self._lock:
                data = self._data
                if data is None:
                    data = self._data = self._loader()
        return data

    def _decode_assignment(self, number: int) -> Assignment:
        return assignment_from_row(self._load().iana.row(number))

    def _decode_alias(self, number: int) -> Alias:
        return alias_from_row(self._load().aliases.row(number))

    def _decode_use(self, number: int) -> Use:
        return use_from_row(self._load().uses.row(number))

    def data_info(self) -> DataInfo:
        """Where the data come from: the date, checksum and count of each input."""
        from portinfo._manifest import data_info_from_manifest  # noqa: PLC0415  # see _manifest

        return data_info_from_manifest(self._load().manifest)

    def assignments(self) -> Iterator[Assignment]:
        """Every IANA record, in registry order."""
        return (self._assignment(n) for n in range(len(self._load().iana)))

    def aliases(self) -> Iterator[Alias]:
        """Every alias of every source, by port, protocol and source."""
        return (self._alias(n) for n in range(len(self._load().aliases)))

    def uses(self) -> Iterator[Use]:
        """Every curated observed use, by port."""
        return (self._use(n) for n in range(len(self._load().uses)))

    # --- lookup ----------------------------------------------------------------------------

    def lookup(self, port: object, protocol: object = None) -> PortInfo:
        """What is known of ``port``: range, status, IANA records, aliases and observed uses.

        ``port`` is an ``int``, a digit string, or ``"port/protocol"``; ``protocol``
        (``"tcp"``, ``"udp"``, ``"sctp"``, ``"dccp"`` or a :class:`~portinfo.Protocol`)
        narrows the answer to one protocol. Raises :class:`~portinfo.InvalidPortError`,
        :class:`~portinfo.InvalidProtocolError` or ``TypeError`` for bad input.
        """
        try:
            return self._cached_lookup(port, protocol)
        except TypeError:
            # An unhashable argument fails in the cache itself: validate for the real message.
            parse_port_protocol(port, protocol)
            raise

    def _lookup(self, given: object, given_protocol: object) -> PortInfo:
        try:
            port, protocol = parse_port_protocol(given, given_protocol)
        except InvalidPortError as error:
            name = given.strip().partition("/")[0] if isinstance(given, str) else ""
            if any(c.isalpha() for c in name):
                raise InvalidPortError(
                    f"{error}; to find a service by name, use resolve({name!r})"
                ) from None
            raise
        data = self._data or self._load()
        bit = 0 if protocol is None else _BIT[protocol]
        # The hot path of a sweep over every port. Most ports have one IANA row (often a
        # range's) and no alias or use: that case takes no loop and builds no list.
        iana = data.iana
        start, end = iana.port_start[port], iana.port_start[port + 1]
        assignments: tuple[Assignment, ...] = ()
        if end - start == 1:
            number = iana.port_rows[start]
            mask = iana.masks[number]
            if not bit or not mask or mask & bit:
                assignments = (self._assignment(number),)
        elif end > start:
            rows = _keep(iana.port_rows[start:end], iana.masks, bit)
            assignments = tuple([self._assignment(n) for n in rows])
        status = _UNASSIGNED
        for assignment in assignments:
            if assignment.status is _ASSIGNED:
                status = _ASSIGNED
                break
            if assignment.status is _RESERVED:
                status = _RESERVED
        aliases: tuple[Alias, ...] = ()
        if data.aliases.port_start[port] != data.aliases.port_start[port + 1]:
            rows = data.aliases.at_port(port)
            # An alias that is IANA's own name here, on its own protocol, says nothing new.
            own = {
                (a.service.lower(), p)
                for a in assignments
                if a.service and a.alias_of is None
                for p in (_ALL if a.protocol is None else (a.protocol,))
            }
            aliases = tuple(
                [
                    alias
                    for alias in map(self._alias, _keep(rows, data.aliases.masks, bit))
                    if (alias.name.lower(), alias.protocol) not in own
                ]
            )
        uses: tuple[Use, ...] = ()
        if data.uses.port_start[port] != data.uses.port_start[port + 1]:
            rows = data.uses.at_port(port)
            uses = tuple(map(self._use, _keep(rows, data.uses.masks, bit)))
        # range_of(), inlined: these lines run for every port of a sweep.
        port_range = _SYSTEM if port <= 1023 else _USER if port <= 49151 else _DYNAMIC
        # Every part was checked where it was made: skip PortInfo's own checks on this path.
        values = (port, protocol, port_range, status, assignments, aliases, uses)
        return tuple.__new__(PortInfo, values)

    # --- resolve ---------------------------------------------------------------------------

    def resolve(self, name: str) -> Service:
        """The service called ``name`` (in any case), by its IANA name or by any alias.

        When a name stands for several services (an alias used on different ports), the
        first in the order of :meth:`resolve_all` is returned, with the rest in its
        ``others``: never one picked silently. Raises
        :class:`~portinfo.UnknownServiceError` for a name no source knows and ``TypeError``
        for a non-string.
        """
        if name.__class__ is str:
            found = self._cached_resolve_one(name)
            if found is not None:
                return found
        found_all = self.resolve_all(name)
        return found_all[0].replace(others=found_all[1:])

    def _resolve_one(self, name: str) -> Service | None:
        found = self._cached_resolve(name.strip().lower())
        if not found:
            return None
        return found[0].replace(others=found[1:]) if len(found) > 1 else found[0]

    def resolve_all(self, name: str) -> tuple[Service, ...]:
        """Every service that ``name`` (in any case) stands for, best first.

        First the service whose own IANA name it is; then the IANA services it is an alias
        of, by source (IANA, services file, Nmap, observed uses) and then by lowest port;
        last, where some source uses the name on a port that IANA has no service for, the
        name itself as a service of its own, on those ports. Raises
        :class:`~portinfo.UnknownServiceError` where there is none.
        """
        if not isinstance(name, str):
            raise TypeError(f"service name must be a str, got {type(name).__name__}: {show(name)}")
        found = self._cached_resolve(name.strip().lower())
        if not found:
            hint = ""
            if name.strip().isdigit():
                hint = f"; to look up a port number, use lookup({name.strip()})"
            raise UnknownServiceError(f"no service or alias is named {show(name)}{hint}")
        return found

    def _service(self, key: str, matched: Alias | None) -> Service | None:
        from portinfo._results import Service  # noqa: PLC0415  # see _results

        data = self._load()
        assignments = tuple(map(self._assignment, data.iana.named(key)))
        if not assignments:
            return None
        return Service(
            name=assignments[0].service or key,
            ports=sorted({port for a in assignments for port in a.ports}),
            assignments=assignments,
            aliases=tuple(map(self._alias, data.aliases.targeting(key))),
            matched=matched,
        )

    def _resolve_all(self, key: str) -> tuple[Service, ...]:
        from portinfo._results import Service  # noqa: PLC0415  # see _results

        data = self._load()
        found: dict[str, Service] = {}
        if any(self._assignment(n).alias_of is None for n in data.iana.named(key)):
            service = self._service(key, None)
            if service is not None:
                found[key] = service
        named = sorted(
            map(self._alias, data.aliases.named(key)),
            key=lambda a: (SOURCE_ORDER.index(a.source), NO_PORT if a.port is None else a.port),
        )
        unexplained: list[Alias] = []
        for alias in named:
            if alias.service is None:
                unexplained.append(alias)
            elif alias.service.lower() not in found:
                service = self._service(alias.service.lower(), alias)
                if service is not None:
                    found[alias.service.lower()] = service
        uses = tuple(map(self._use, data.uses.named(key)))
        if unexplained or uses:
            ports = {a.port for a in unexplained if a.port is not None}
            ports.update(p for u in uses for first, last in u.ports for p in range(first, last + 1))
            name = unexplained[0].name if unexplained else uses[0].name
            matched = unexplained[0] if unexplained else Alias(name, Source.OBSERVED)
            # Keyed apart from IANA names: this is the name as a service of its own.
            found.setdefault(f"\0{key}", Service(name, sorted(ports), uses=uses, matched=matched))
        return tuple(found.values())

    # --- search ----------------------------------------------------------------------------

    def search(
        self, text: str, *, protocol: object = None, limit: int = 20
    ) -> tuple[SearchResult, ...]:
        """Names, aliases, descriptions and observed uses that match ``text``, best first.

        Exact names come first, then names that start with the text, then names that
        contain it, then descriptions and observed uses in which every word of the text
        starts a word; ties go by lowest port, then by name. ``protocol`` keeps only
        results on that protocol; ``limit`` caps the count (default 20). Text with nothing
        but white space finds nothing.
        """
        if not isinstance(text, str):
            raise TypeError(f"search text must be a str, got {type(text).__name__}: {show(text)}")
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError(f"limit must be an int, got {type(limit).__name__}: {show(limit)}")
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit!r}")
        wanted = None if protocol is None else parse_protocol(protocol)
        return self._cached_search(" ".join(text.lower().split()), wanted, limit)

    def _search(
        self, query: str, protocol: Protocol | None, limit: int
    ) -> tuple[SearchResult, ...]:
        from portinfo._results import Match  # noqa: PLC0415  # see _results

        if not query:
            return ()
        data = self._load()
        bit = 0 if protocol is None else _BIT[protocol]
        tables = {Source.IANA: data.iana, Source.OBSERVED: data.uses}
        candidates: dict[tuple[str, Source], Match] = {}
        for name in data.iana.names_containing(query):
            candidates.setdefault((name, Source.IANA), _name_match(name, query))
        groups = data.aliases.groups
        for name in data.aliases.names_containing(query):
            match = _name_match(name, query)
            for group in {groups[number] for number in data.aliases.named(name)}:
                candidates.setdefault((name, SOURCE_ORDER[group]), match)

        # Rank on the indexes alone; decode only the rows of the results returned.
        def rank(item: tuple[tuple[str, Source], Match]) -> tuple[int, int, str, int]:
            (name, source), match = item
            table = tables.get(source, data.aliases)
            rows = _keep(table.named(name), table.masks, bit)
            group = SOURCE_ORDER.index(source)
            if table is data.aliases:  # the same rows as _result will use: this source's
                rows = [n for n in rows if groups[n] == group]
            lowest = min((table.first_port[n] for n in rows), default=-1)
            return (match, lowest, name, group)

        ranked = [item for item in map(rank, candidates.items()) if item[1] >= 0]
        if len(ranked) < limit:  # descriptions rank last: read them only when names fall short
            described: dict[tuple[str, Source], Match] = {}
            split = query.split()
            words = [re.compile(r"(?<![a-z0-9])" + re.escape(word)) for word in split]
            for source, table in tables.items():
                # The longest word, found by str.find in C, rules out most rows first.
                for number, row_text in table.texts_containing(max(split, key=len)):
                    if all(word.search(row_text) for word in words):
                        row_name = table.row_name(number)
                        if row_name is not None and (row_name, source) not in candidates:
                            described.setdefault((row_name, source), Match.DESCRIPTION)
            ranked += [item for item in map(rank, described.items()) if item[1] >= 0]
        results = []
        for rank_of_match, _, name, source_rank in heapq.nsmallest(limit, ranked):
            found = Match(rank_of_match)
            result = self._result(data, found, name, SOURCE_ORDER[source_rank], bit)
            if result is not None:
                results.append(result)
        return tuple(results)

    def _result(
        self, data: _Data, match: Match, key: str, source: Source, bit: int
    ) -> SearchResult | None:
        from portinfo._results import SearchResult  # noqa: PLC0415  # see _results

        ports: set[int] = set()
        protocols: set[Protocol | None] = set()
        if source is Source.IANA:
            assignments = [
                self._assignment(n) for n in _keep(data.iana.named(key), data.iana.masks, bit)
            ]
            if not assignments:
                return None
            for assignment in assignments:
                ports.update(assignment.ports)
                protocols.add(assignment.protocol)
            name = assignments[0].service or key
            service: str | None = assignments[0].alias_of or name
            description = assignments[0].description
        elif source is Source.OBSERVED:
            # From the use itself: its alias rows are one per port, thousands for a range.
            uses = [self._use(n) for n in _keep(data.uses.named(key), data.uses.masks, bit)]
            if not uses:
                return None
            for use in uses:
                ports.update(p for first, last in use.ports for p in range(first, last + 1))
                protocols.update(use.protocols)
            name, service = uses[0].name, None
            description = f"{uses[0].title}: {uses[0].description}"
        else:
            aliases = [
                alias
                for alias in map(
                    self._alias, _keep(data.aliases.named(key), data.aliases.masks, bit)
                )
                if alias.source is source
            ]
            if not aliases:
                return None
            for alias in aliases:
                if alias.port is not None:
                    ports.add(alias.port)
                protocols.add(alias.protocol)
            name, service = aliases[0].name, aliases[0].service
            description = ""
            if service is not None:
                target = data.iana.named(service.lower())
                description = self._assignment(target[0]).description if target else ""
        return SearchResult(
            match,
            name,
            source,
            sorted(ports),
            tuple(p for p in Protocol if None in protocols or p in protocols),
            service,
            description,
        )

    # --- ranking ---------------------------------------------------------------------------

    def top_ports(self, n: int, protocol: object = "tcp") -> tuple[int, ...]:
        """The ``n`` ports most often found open, by Nmap's open frequency (as ``--top-ports``).

        Only a registry built with an nmap-services file has the figures (portinfo does not
        ship them): ``Registry.from_files(nmap="/usr/share/nmap/nmap-services")``. Without
        one, raises :class:`~portinfo.NoRankingError`. Ties go to the lower port.
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, got {type(n).__name__}: {show(n)}")
        if n < 0:
            raise ValueError(f"n must be 0 or more, got {n!r}")
        wanted = parse_protocol(protocol)
        frequencies = self._load().frequencies
        if frequencies is None:
            raise NoRankingError(
                "this registry has no open-frequency figures: portinfo does not ship Nmap's."
                " Build one from your own nmap-services file, e.g."
                " Registry.from_files(nmap='/usr/share/nmap/nmap-services')"
            )
        ranked = heapq.nsmallest(
            n,
            ((-f, port) for (port, p), f in frequencies.items() if p is wanted),
        )
        return tuple(port for _, port in ranked)


def _name_match(name: str, query: str) -> Match:
    from portinfo._results import Match  # noqa: PLC0415  # see _results

    if name == query:
        return Match.EXACT
    return Match.PREFIX if name.startswith(query) else Match.SUBSTRING


def _retarget(aliases: Iterable[Alias], index: AliasIndex) -> list[Alias]:
    """Tie aliases kept from the packaged data to the services of a new IANA registry."""
    return [a.replace(service=index.primary(a.port, a.protocol)) for a in aliases]
