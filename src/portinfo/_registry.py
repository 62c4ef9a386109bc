"""The registry: one value that holds the compiled tables and answers every query.

A :class:`Registry` answers port lookups and name resolution itself and hands searches to
:mod:`portinfo._search`. Its data are compiled tables (see :mod:`portinfo._store`): the
ones packaged with portinfo, or ones compiled in memory from a user's own upstream files by
the generator's own code (:mod:`portinfo._compile`). Nothing is read until the first
query; after that a query is a bisect, a few array slices and dictionary lookups, and
answers are kept in bounded caches keyed by checked input only.
"""

from __future__ import annotations

import functools
import heapq
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, SupportsIndex, TypeVar, Union

from portinfo._enums import Protocol, Source, Status
from portinfo._ranges import PortRange
from portinfo._records import (
    Alias,
    Assignment,
    Person,
    PortInfo,
    Use,
    is_primary,
    port_info_builder,
)
from portinfo._rows import (
    OWN_NAME,
    SOURCE_RANK,
    alias_from_row,
    assignment_decoder,
    person_from_row,
    use_from_row,
)
from portinfo._store import PROTOCOL_BITS, TABLES, Table, packaged_files, verify
from portinfo._validate import parse_port_protocol, parse_protocol, plain_int, show
from portinfo.exceptions import (
    InvalidArgumentError,
    InvalidPortError,
    NoRankingError,
    UnknownServiceError,
)

if TYPE_CHECKING:
    from os import PathLike

    from portinfo._annotate import Field
    from portinfo._manifest import DataInfo
    from portinfo._results import SearchResult, Service

__all__ = ["ANSWER_CACHE", "PLAIN_PROTOCOLS", "Registry", "name_key"]

StrPath = Union[str, "PathLike[str]"]
_K = TypeVar("_K")
_V = TypeVar("_V")

ANSWER_CACHE = 4096
"""How many answers a registry keeps per kind of query; when full, it starts afresh."""
RECORD_CACHE = 2048
"""How many decoded records of each kind a registry keeps (the least recently used go).
A sweep over the ports meets a record on consecutive ports, so a small cache decodes each
about once, and memory stays bounded whatever is asked."""

_ASSIGNED, _RESERVED, _UNASSIGNED = Status.ASSIGNED, Status.RESERVED, Status.UNASSIGNED
PLAIN_PROTOCOLS = (str, Protocol)
"""The classes of a protocol that the answer caches may hash: no caller's own methods run."""
_SYSTEM, _USER, _DYNAMIC = PortRange.SYSTEM, PortRange.USER, PortRange.DYNAMIC
_SYSTEM_LAST, _USER_LAST = PortRange.SYSTEM.last, PortRange.USER.last
_new_port_info = port_info_builder()


def name_key(name: str) -> str | None:
    """``name`` as the tables file it: stripped and lower-cased in ASCII; ``None`` if it
    can't be a name (names are ASCII, so ``"\\u212aerberos"`` is not ``kerberos``)."""
    key = name.strip()
    return key.lower() if key.isascii() else None


class _Data:
    """Everything a registry answers from, once loaded (internal; never handed out)."""

    __slots__ = (
        "footnotes",
        "frequencies",
        "iana",
        "manifest",
        "named_ports",
        "names",
        "people",
        "used_ports",
        "uses",
    )

    def __init__(
        self,
        files: Mapping[str, bytes],
        where: str,
        frequencies: Mapping[tuple[int, Protocol], float] | None = None,
    ) -> None:
        self.manifest = verify(files, where)
        tables = {
            name: Table(files[f"{name}.jsonl"], files[f"{name}.idx"], f"{where}/{name}")
            for name in TABLES
        }
        self.iana, self.people = tables["iana"], tables["people"]
        self.names, self.uses = tables["names"], tables["uses"]
        # Few ports have other names or observed uses: a byte test spares the rest a bisect.
        self.named_ports, self.used_ports = self.names.coverage(), self.uses.coverage()
        self.footnotes = files["footnotes.json"]
        self.frequencies = frequencies

    def tables(self) -> dict[str, Table]:
        return {"iana": self.iana, "people": self.people, "names": self.names, "uses": self.uses}


def _packaged() -> _Data:
    return _Data(packaged_files(), "portinfo/data")


def _at(table: Table, port: int, bit: int) -> Sequence[int]:
    """The rows of ``table`` on ``port`` whose protocol mask lets ``bit`` through (a mask of
    0 covers every protocol; a ``bit`` of 0 asks for any)."""
    rows = table.at_port(port)
    if not bit:
        return rows
    masks = table.masks
    return [n for n in rows if not masks[n] or masks[n] & bit]


class Registry:
    """Every record portinfo knows, and the queries over them.

    ``Registry()`` is a registry of the data shipped with portinfo, read on its first query;
    the module-level functions (:func:`portinfo.lookup` and the rest) use one such default
    registry. Build another with :meth:`from_files` or :meth:`from_iana_file` to answer
    from newer upstream files of your own. A registry never changes once built and is safe
    to share between threads.
    """

    def __init__(self) -> None:
        """A registry of the packaged data, read on its first query."""
        self._setup(_packaged)

    def _setup(self, loader: Callable[[], _Data]) -> None:
        self._loader = loader
        self._data: _Data | None = None
        self._lock = threading.Lock()
        self._answers: dict[tuple[int, Protocol | None], PortInfo] = {}
        self._resolved: dict[str, Service] = {}
        self._resolved_all: dict[str, tuple[Service, ...]] = {}
        self._searches: dict[tuple[str, Protocol | None, int], tuple[SearchResult, ...]] = {}
        self._people: dict[int, Person] = {}
        self._decode_iana: Callable[[list[Any]], Assignment] = assignment_decoder(self._person)
        self.assignment = functools.lru_cache(maxsize=RECORD_CACHE)(self._decode_assignment)
        self.alias = functools.lru_cache(maxsize=RECORD_CACHE)(self._decode_alias)
        self.use = functools.lru_cache(maxsize=RECORD_CACHE)(self._decode_use)

    @classmethod
    def _of(cls, loader: Callable[[], _Data]) -> Registry:
        registry = cls.__new__(cls)
        registry._setup(loader)
        return registry

    def __repr__(self) -> str:
        if self._data is None:
            return "<portinfo.Registry (not loaded yet)>"
        return f"<portinfo.Registry (IANA registry of {self.data_info().iana_updated})>"

    # --- construction ----------------------------------------------------------------------

    @classmethod
    def packaged(cls) -> Registry:
        """A registry of the data shipped with portinfo (the same as ``Registry()``)."""
        return cls()

    @classmethod
    def from_iana_file(cls, path: StrPath) -> Registry:
        """A registry of your own copy of IANA's registry, XML or CSV (detected).

        The same as ``Registry.from_files(iana=path)``: see :meth:`from_files`.
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
        compiled by the same function as the packaged data, so the same files give the same
        answers. IANA's CSV has no people list: its ``[Person_Id]`` references resolve
        through the packaged names where the id is known, and stay as ids where it is not.
        A file that is not in its format raises :class:`~portinfo.DataFormatError` naming
        the file and the line or record.
        """
        files, frequencies = compile_files(iana=iana, services=services, nmap=nmap)
        data = _Data(files, "from_files", frequencies)
        return cls._of(lambda: data)

    # --- loading and decoding --------------------------------------------------------------

    def _load(self) -> _Data:
        data = self._data
        if data is None:
            with self._lock:
                data = self._data
                if data is None:
                    data = self._data = self._loader()
        return data

    def _person(self, number: int) -> Person:
        person = self._people.get(number)
        if person is None:
            person = self._people[number] = person_from_row(self._load().people.row(number))
        return person

    def _decode_assignment(self, number: int) -> Assignment:
        return self._decode_iana(self._load().iana.row(number))

    def _decode_alias(self, number: int) -> Alias:
        return alias_from_row(self._load().names.row(number))[0]

    def _decode_use(self, number: int) -> Use:
        return use_from_row(self._load().uses.row(number))

    @staticmethod
    def _remember(cache: MutableMapping[_K, _V], key: _K, value: _V) -> _V:
        """Keep ``value`` under ``key``; a full cache starts afresh.

        Emptying is O(1) per answer on average and needs no lock: ``clear`` and item
        assignment are each atomic, and a race between threads costs only a re-computation.
        """
        if len(cache) >= ANSWER_CACHE:
            cache.clear()
        cache[key] = value
        return value

    def tables(self) -> dict[str, Table]:
        """The loaded tables, by name (internal: for search and the compiler)."""
        return self._load().tables()

    def data_info(self) -> DataInfo:
        """Where the data come from: the date, checksum and count of each input."""
        from portinfo._manifest import data_info_from_manifest  # noqa: PLC0415  # see _manifest

        return data_info_from_manifest(self._load().manifest, "manifest")

    def assignments(self) -> Iterator[Assignment]:
        """Every IANA record, in registry order."""
        return map(self.assignment, range(len(self._load().iana)))

    def aliases(self) -> Iterator[Alias]:
        """Every other name of a port, from every source but the observed uses."""
        return map(self.alias, range(len(self._load().names)))

    def uses(self) -> Iterator[Use]:
        """Every curated observed use, by first port."""
        return map(self.use, range(len(self._load().uses)))

    # --- lookup ----------------------------------------------------------------------------

    def lookup(
        self, port: SupportsIndex | str, protocol: Protocol | str | int | None = None
    ) -> PortInfo:
        """What is known of ``port``: range, status, IANA records, aliases and observed uses.

        ``port`` is an ``int`` (or any integer type), a digit string, or
        ``"port/protocol"``; ``protocol`` (``"tcp"``, ``"udp"``, ``"sctp"``, ``"dccp"`` or a
        :class:`~portinfo.Protocol`) narrows the answer to one protocol. Raises
        :class:`~portinfo.InvalidPortError`, :class:`~portinfo.InvalidProtocolError` or
        ``TypeError`` for bad input.
        """
        # Only an int port with None, a str or a Protocol is looked up unchecked: hashing
        # anything else runs its own __hash__ and __eq__, which may fail or lie.
        if port.__class__ is int and (protocol is None or protocol.__class__ in PLAIN_PROTOCOLS):
            found = self._answers.get((port, protocol))  # type: ignore[arg-type]
            if found is not None:
                return found
        key = _checked(port, protocol)
        found = self._answers.get(key)
        return (
            found if found is not None else self._remember(self._answers, key, self._answer(*key))
        )

    def _answer(self, port: int, protocol: Protocol | None) -> PortInfo:
        # The path of every first question about a port, and of a sweep over all of them:
        # the segment lookups are written out here rather than called, and a port with one
        # IANA row and no other name or use (most of them) takes no loop.
        data = self._data or self._load()
        bit = 0 if protocol is None else PROTOCOL_BITS[protocol]
        iana = data.iana
        segment = bisect_right(iana.seg_first, port) - 1
        rows: Sequence[int] = iana.seg_rows[iana.seg_start[segment] : iana.seg_start[segment + 1]]
        if bit:
            masks = iana.masks
            rows = [n for n in rows if not masks[n] or masks[n] & bit]
        status = _UNASSIGNED
        assignments = tuple(map(self.assignment, rows))
        for assignment in assignments:
            if assignment.status is _ASSIGNED:
                status = _ASSIGNED
                break
            if assignment.status is _RESERVED:
                status = _RESERVED
        aliases: tuple[Alias, ...] = ()
        if data.named_ports[port]:
            aliases = tuple(
                map(
                    self.alias,
                    [n for n in _at(data.names, port, bit) if not data.names.groups[n] & OWN_NAME],
                )
            )
        uses: tuple[Use, ...] = ()
        if data.used_ports[port]:
            uses = tuple(map(self.use, _at(data.uses, port, bit)))
            if len(uses) > 1:  # those that listen on the port first (the usual one first),
                # wide ranges after
                uses = tuple(
                    sorted(uses, key=lambda use: (not use.listens_on(port), not use.common))
                )
        port_range = _SYSTEM if port <= _SYSTEM_LAST else _USER if port <= _USER_LAST else _DYNAMIC
        return _new_port_info(port, protocol, port_range, status, assignments, aliases, uses)

    def name(
        self, port: SupportsIndex | str, protocol: Protocol | str | int | None = None
    ) -> str | None:
        """The one name of ``port``, or ``None`` where nothing names it: an exception-free
        counterpart of ``socket.getservbyport`` (see :attr:`PortInfo.name` for the order of
        sources). Bad input still raises, as for :meth:`lookup`."""
        return self.lookup(port, protocol).name

    def port(self, name: str, protocol: Protocol | str | int | None = None) -> int | None:
        """The port called ``name``, or ``None`` where no source knows the name on that
        protocol: an exception-free counterpart of ``socket.getservbyname``.

        The lowest port of the first service of :meth:`resolve_all` that is on
        ``protocol`` (on any protocol where none is given); a wide range of an observed
        use does not count. A name that is not a ``str`` raises ``TypeError``, a protocol
        other than the four :class:`~portinfo.InvalidProtocolError`.
        """
        from portinfo._results import spans_on  # noqa: PLC0415  # see _results

        wanted = None if protocol is None else parse_protocol(protocol)
        try:
            found = self.resolve_all(name)
        except UnknownServiceError:
            return None
        for service in found:
            spans = spans_on(service, wanted)
            if spans:
                return min(first for first, _ in spans)
        return None

    def table(
        self, protocol: Protocol | str | int | None, field: Field = "service"
    ) -> tuple[str | None, ...]:
        """The value of ``field`` for each port 0..65535 on ``protocol`` (any protocol for
        ``None``): 65,536 entries, ``None`` where there is none.

        ``field`` is ``"service"`` (entry ``n`` is ``self.name(n, protocol)``),
        ``"description"``, ``"range"`` or ``"use"``, as :func:`portinfo.annotate` gives
        them; ``protocol`` may also be an IANA protocol number (6, 17, 132, 33) or
        ``"tcp6"``/``"udp6"``. Built from the compiled tables on the first call for each
        protocol and field (some 50 ms) and kept: later calls return the same tuple.
        """
        from portinfo._annotate import build_table  # noqa: PLC0415  # only for bulk work

        return build_table(self, protocol, field)

    # --- resolve ---------------------------------------------------------------------------

    def resolve(self, name: str) -> Service:
        """The service called ``name`` (in any case), by its IANA name or by any alias.

        When a name stands for several services (an alias used on different ports), the
        first in the order of :meth:`resolve_all` is returned, with the rest in its
        ``others``: never one picked silently. Raises
        :class:`~portinfo.UnknownServiceError` for a name no source knows and ``TypeError``
        for a non-string.
        """
        plain = name.__class__ is str
        found = self._resolved.get(name) if plain else None
        if found is not None:
            return found
        every = self.resolve_all(name)
        key = name_key(name)
        assert key is not None  # resolve_all found it
        found = self._resolved.get(key)
        if found is None:
            import attrs  # noqa: PLC0415  # loaded already by the records

            first = every[0] if len(every) == 1 else attrs.evolve(every[0], others=every[1:])
            found = self._remember(self._resolved, key, first)
        if plain and name != key:  # "HTTP" and " http" are answered at once next time too
            self._remember(self._resolved, name, found)
        return found

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
        key = name_key(name)
        found = self._resolved_all.get(key) if key is not None else None
        if found is None:
            found = self._find(key) if key else ()
            if not found:
                hint = ""
                digits = name.strip()
                if digits.isascii() and digits.isdigit() and len(digits) <= 5:
                    hint = f"; to look up a port number, use lookup({digits})"
                raise UnknownServiceError(f"no service or alias is named {show(name)}{hint}")
            assert key is not None
            self._remember(self._resolved_all, key, found)
        return found

    def _service(
        self, key: str, matched: Alias | None, listings: Sequence[Alias] = ()
    ) -> Service | None:
        """The service called ``key``: its IANA records, its other names, the other
        sources' listings of the same name (``listings`` where given, else every one) and
        the observed uses of that name."""
        from portinfo._results import Service  # noqa: PLC0415  # see _results

        data = self._load()
        assignments = tuple(map(self.assignment, data.iana.named(key)))
        if not listings and assignments:
            # The other sources' listings of this name, but not those that stand for
            # another service where IANA already gives this one ports (Nmap's "kerberos"
            # on 750/udp is kerberos-iv's, not IANA's kerberos on 88).
            has_ports = any(a.first is not None for a in assignments)
            listings = [
                alias
                for alias in map(self.alias, data.names.named(key))
                if alias.source is not Source.IANA
                and not (has_ports and alias.service and alias.service.lower() != key)
            ]
        uses = tuple(u for u in map(self.use, data.uses.named(key)) if u.name == key)
        if not (assignments or listings or uses):
            return None
        name = assignments[0].service if assignments else None
        name = name or (listings[0].name if listings else uses[0].name)
        ports = [span for a in assignments for span in a.ports]  # Service merges them
        ports += [(alias.port, alias.port) for alias in listings if alias.port is not None]
        ports += [span for u in uses for span in u.ports + u.ranges]
        groups = data.names.groups
        aliases = tuple(
            alias
            for alias in (
                self.alias(n) for n in data.names.targeting(key) if not groups[n] & OWN_NAME
            )
            if alias.name.lower() != key
        )
        return Service(name, ports, assignments, aliases, uses, matched, (), tuple(listings))

    def _iana_services_at(self, port: int, protocol: Protocol | None) -> list[str]:
        """The IANA services (not alias rows) on ``port`` and ``protocol``, lower-cased, in
        registry order."""
        bit = 0 if protocol is None else PROTOCOL_BITS[protocol]
        records = map(self.assignment, _at(self._load().iana, port, bit))
        names = (r.service.lower() for r in records if r.service and is_primary(r))
        return list(dict.fromkeys(names))

    def _find(self, key: str) -> tuple[Service, ...]:
        """Every service ``key`` stands for, in the order :meth:`resolve_all` documents."""
        data = self._load()
        found: dict[str, Service] = {}
        records = [self.assignment(n) for n in data.iana.named(key)]
        own = any(record.alias_of is None for record in records)
        if own:
            service = self._service(key, None)
            assert service is not None
            found[key] = service
        named = sorted(
            map(self.alias, data.names.named(key)),
            key=lambda a: (SOURCE_RANK[a.source], -1 if a.port is None else a.port),
        )
        untied: list[Alias] = []
        for alias in named:
            targets = [alias.service.lower()] if alias.service else []
            if not targets and alias.port is not None:
                targets = self._iana_services_at(alias.port, alias.protocol)
                if not targets and not own:
                    untied.append(alias)  # a name no IANA service answers to: its own
            for target in targets:
                if target != key and target not in found:
                    service = self._service(target, alias)
                    if service is not None:
                        found[target] = service
        if not own and untied:
            service = self._service(key, untied[0], untied)
            if service is not None:
                # Keyed apart from IANA names: this is the name as a service of its own.
                found.setdefault(f"\0{key}", service)
        # Observed uses called so, by name or by what people call them ("rdp").
        for use in map(self.use, data.uses.named(key)):
            if f"\0{use.name}" not in found and (use.name != key or not own):
                matched = None if use.name == key else Alias(key, Source.OBSERVED)
                service = self._service(use.name, matched)
                if service is not None:
                    found[f"\0{use.name}"] = service
        # A name IANA registers without a port, that no other source gives one either, comes
        # after the services that do have ports: resolve() answers with a port where any is.
        return tuple(sorted(found.values(), key=lambda service: not service.ports))

    # --- search ----------------------------------------------------------------------------

    def search(
        self, text: str, protocol: Protocol | str | int | None = None, *, limit: int = 20
    ) -> tuple[SearchResult, ...]:
        """Names, aliases, descriptions and observed uses that match ``text``, best first.

        Names come first: those of well-known services (a name the services file lists, or
        a common observed use) before the rest, even where the rest match exactly; within
        each, exact names, then names that start with the text, then names that contain it.
        Descriptions and observed uses in which every word of the text starts a word come
        last. Ties go by lowest port, then by name. ``protocol`` keeps only
        results on that protocol; ``limit`` caps the count (default 20). Text with nothing
        but white space finds nothing; a repeated word counts once. A text over 200
        characters once white space is folded, or with over 12 different words, raises
        :class:`~portinfo.InvalidArgumentError`: no name or description needs more, and
        the cost of a search stays bounded.
        """
        from portinfo._search import normalise, search  # noqa: PLC0415  # see _search

        if not isinstance(text, str):
            raise TypeError(f"search text must be a str, got {type(text).__name__}: {show(text)}")
        limit = plain_int(limit, "limit")
        if limit < 1:
            raise InvalidArgumentError(f"limit must be at least 1, got {show(limit)}")
        key = (normalise(text), None if protocol is None else parse_protocol(protocol), limit)
        found = self._searches.get(key)
        return (
            found if found is not None else self._remember(self._searches, key, search(self, *key))
        )

    # --- ranking ---------------------------------------------------------------------------

    def top_ports(self, n: int, protocol: Protocol | str | int = "tcp") -> tuple[int, ...]:
        """The ``n`` ports most often found open, by Nmap's open frequency (as ``--top-ports``).

        Only a registry built with an nmap-services file has the figures (portinfo does not
        ship them): ``Registry.from_files(nmap="/usr/share/nmap/nmap-services")``. Without
        one, raises :class:`~portinfo.NoRankingError`. Ties go to the lower port.
        """
        n = plain_int(n, "n")
        if n < 0:
            raise InvalidArgumentError(f"n must be 0 or more, got {show(n)}")
        wanted = parse_protocol(protocol)
        frequencies = self._load().frequencies
        if frequencies is None:
            raise NoRankingError(
                "this registry has no open-frequency figures: portinfo does not ship Nmap's."
                " Build one from your own nmap-services file, e.g."
                " Registry.from_files(nmap='/usr/share/nmap/nmap-services')"
            )
        ranked = heapq.nsmallest(
            n, ((-f, port) for (port, p), f in frequencies.items() if p is wanted)
        )
        return tuple(port for _, port in ranked)


def compile_files(
    *,
    iana: StrPath | None = None,
    services: StrPath | None = None,
    nmap: StrPath | None = None,
) -> tuple[dict[str, bytes], dict[tuple[int, Protocol], float] | None]:
    """The compiled data files of a user's own upstream files, the rest from the package,
    and Nmap's open frequencies where an nmap-services file is given (for
    :meth:`Registry.from_files`)."""
    # Only users' own files need the compiler and the parsers.
    from portinfo._compile import (  # noqa: PLC0415
        Inputs,
        NameFact,
        compile_tables,
        footnotes_of,
        packaged_iana,
        packaged_names,
        packaged_people,
        packaged_uses,
        source_info,
    )
    from portinfo._files import read_file  # noqa: PLC0415
    from portinfo._iana import parse_iana  # noqa: PLC0415
    from portinfo._nmap import parse_nmap  # noqa: PLC0415
    from portinfo._services import parse_services  # noqa: PLC0415

    packaged = _packaged()
    tables = packaged.tables()
    sources = {s["name"]: s for s in packaged.manifest["sources"]}
    if iana is None:
        registry = packaged_iana(tables, packaged.footnotes, packaged.manifest)
    else:
        data, label = read_file(iana)
        people = {p.id: p for p in packaged_people(tables)}
        footnotes = footnotes_of(packaged.footnotes)
        registry = parse_iana(data, label, people=people, footnotes=footnotes)
        sources["iana"] = source_info(
            "iana", label, data, registry.updated, len(registry.assignments)
        )
    packaged_services, packaged_nmap, terms = packaged_names(tables)
    services_entries = tuple(packaged_services)
    if services is not None:
        data, label = read_file(services)
        services_entries = parse_services(data, label)
        sources["services"] = source_info("services", label, data, None, len(services_entries))
    nmap_names = tuple(packaged_nmap)
    frequencies = None
    if nmap is not None:
        data, label = read_file(nmap)
        entries = parse_nmap(data, label)
        nmap_names = tuple(NameFact(e.name, e.port, e.protocol) for e in entries)
        frequencies = {(e.port, e.protocol): e.frequency for e in entries}
        sources["nmap"] = source_info("nmap", label, data, None, len(entries))
    inputs = Inputs(
        registry, services_entries, nmap_names, tuple(packaged_uses(tables)), tuple(terms)
    )
    order = [s.value for s in Source]
    compiled = compile_tables(
        inputs,
        sorted(sources.values(), key=lambda s: order.index(str(s["name"]))),
        "portinfo.Registry.from_files",
    )
    return compiled, frequencies


def _checked(port: object, protocol: object) -> tuple[int, Protocol | None]:
    """``(port, protocol)`` checked and normalised, with a hint where a name was given."""
    try:
        return parse_port_protocol(port, protocol)
    except InvalidPortError as error:
        name = port.strip().partition("/")[0] if isinstance(port, str) else ""
        if len(name) <= 64 and name[:1].isalpha():
            raise InvalidPortError(
                f"{error}; to find a service by name, use resolve({name!r})"
            ) from None
        raise


Registry.__module__ = "portinfo"  # shown as portinfo.Registry, the name users import
