"""Compiling: from parsed inputs to the files of the data, the one path for every registry.

:func:`compile_files` reads and parses the upstream files given (IANA's registry, a
services file, an nmap-services file, an observed-uses file), takes every input not given
from a base (the packaged data), and :func:`compile_tables` turns them into the bytes of
every data file; :func:`add_local` adds the table of your own services, from local
files. The generator (``tools/generate.py``) writes them into ``src/portinfo/data/``;
:meth:`portinfo.Registry.from_files` keeps them in memory. Both call
:func:`compile_files`, so the same inputs give the same bytes.

The tables store facts, each once: IANA's records, the people they name, every name of a
services file (primary names and aliases, grouped by line), Nmap's names, and the uses with
their port ranges. What is derived from them, such as the IANA service an alias stands
for, is worked out here, at compile time, from whichever IANA registry is compiled.

Of Nmap's names, only those that differ from IANA's name on the same port and protocol, or
that name a port IANA has no name for, are kept: a name equal to IANA's says nothing new,
and the data's licence terms ship no more of Nmap's file than that (see the data page).

A name of a services file or of Nmap stands for an IANA service only where a source says
so (see :func:`_names_rows`); otherwise it is a service of its own.

Your own services (local files) are a table of their own, which nothing else depends on:
the other tables are the same bytes with or without them, so that a registry of the
packaged data and a local file reuses the packaged tables as they are and compiles only
the local one.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar, Union, cast

from portinfo._data import Data, packaged
from portinfo._enums import Protocol, Source
from portinfo._files import check_on_port, check_records, read_file
from portinfo._iana import IanaRegistry, newest_record, parse_iana
from portinfo._local import parse_local
from portinfo._locks import Lock
from portinfo._nmap import UNKNOWN, parse_nmap
from portinfo._observed import Term, Tie, parse_observed
from portinfo._own import LocalService
from portinfo._prominence import Overlaps, fold, lead_bits, lead_bits_again
from portinfo._records import Alias, Assignment, Person, Use, is_primary
from portinfo._rows import (
    LEAD,
    alias_from_row,
    alias_row,
    assignment_row,
    assignment_spans,
    local_row,
    person_row,
    use_row,
)
from portinfo._services import ServicesEntry, parse_services
from portinfo._store import (
    DATA_FILES,
    FORMAT_VERSION,
    LOCAL_FILES,
    LOCAL_TABLE,
    TABLES,
    Row,
    encode_json,
    encode_table,
    file_checks,
    manifest_check,
    regrouped,
    reheaded,
    segments,
)
from portinfo._validate import show

__all__ = [
    "AliasIndex",
    "BaseInputs",
    "Inputs",
    "Local",
    "NameFact",
    "add_local",
    "base_inputs",
    "compile_data",
    "compile_files",
    "compile_over",
    "compile_tables",
    "footnotes_of",
    "packaged_iana",
    "packaged_leads",
    "packaged_names",
    "packaged_people",
    "packaged_ties",
    "packaged_uses",
    "read_local",
    "source_info",
]


_Names = dict[Protocol, dict[str, str]]
_Primaries = dict[Protocol, dict[str, None]]  # a dict as an ordered set


class NameFact(NamedTuple):
    """A name that a source other than IANA gives a port and protocol (Nmap's, say)."""

    name: str
    port: int
    protocol: Protocol


class Inputs(NamedTuple):
    """Everything a registry is compiled from, parsed."""

    iana: IanaRegistry
    services: tuple[ServicesEntry, ...]
    nmap: tuple[NameFact, ...]
    uses: tuple[Use, ...]
    terms: tuple[Term, ...] = ()
    leads: tuple[NameFact, ...] = ()
    """The prominent IANA services of compiled data (see :mod:`portinfo._prominence`),
    standing in for Nmap's names where Nmap's own file is not an input."""
    ties: tuple[Tie, ...] = ()
    """The curated ties of other sources' names to IANA services (the observed-uses file's
    ``[[tie]]`` tables)."""


class AliasIndex:
    """The IANA names on each port and protocol, for deciding what stands for what.

    Kept by segment of the port space, like the tables: a record over a range is one
    entry, however many ports it covers. A segment's names are gathered when a port of it
    is first asked about, so the work follows the questions (a services file's lines and
    Nmap's names), not the segments times the records that cover them.
    """

    def __init__(self, assignments: Iterable[Assignment]) -> None:
        assignments = list(assignments)
        self._named = [a for a in assignments if a.service and a.first is not None]
        self._firsts, self._start, self._members = segments(
            [assignment_spans(a) for a in self._named]
        )
        self._segments: dict[int, tuple[_Names, _Primaries]] = {}
        self.registered = {a.service.lower() for a in assignments if a.service}
        """Every IANA service name, lower-cased (a name-only record's too)."""

    def _segment(self, port: int) -> tuple[_Names, _Primaries]:
        """Per protocol, on the segment of ``port``: each IANA name with the service it
        stands for (an alias row stands for the service it duplicates), and the primary
        services, in registry order."""
        segment = bisect_right(self._firsts, port) - 1
        found = self._segments.get(segment)
        if found is None:
            names: _Names = {}
            primaries: _Primaries = {}
            for number in self._members[self._start[segment] : self._start[segment + 1]]:
                a = self._named[number]
                assert a.service is not None
                for protocol in [a.protocol] if a.protocol is not None else list(Protocol):
                    names.setdefault(protocol, {}).setdefault(
                        a.service.lower(), a.alias_of or a.service
                    )
                    if is_primary(a):
                        primaries.setdefault(protocol, {}).setdefault(a.service, None)
            found = self._segments[segment] = (names, primaries)
        return found

    def _here(self, port: int, protocol: Protocol) -> dict[str, str]:
        return self._segment(port)[0].get(protocol, {})

    def is_iana_name(self, name: str, port: int, protocol: Protocol) -> bool:
        """Whether IANA has a record called ``name`` on ``port`` and ``protocol``."""
        return name.lower() in self._here(port, protocol)

    def tie(self, names: Sequence[str], port: int, protocol: Protocol) -> str | None:
        """The IANA service that the first of ``names`` to be an IANA name on ``port`` and
        ``protocol`` stands for, or else on ``port`` and another protocol: what ties a
        services-file line to one service (``kerberos4 750/tcp kerberos-iv kdc`` names the
        service IANA registers on 750/udp)."""
        for candidate in (protocol, *(p for p in Protocol if p is not protocol)):
            here = self._here(port, candidate)
            found = next((here[n.lower()] for n in names if n.lower() in here), None)
            if found is not None:
                return found
        return None

    def spelled(self, name: str, port: int, protocol: Protocol) -> str | None:
        """The IANA service on ``port`` and ``protocol`` whose name is ``name`` spelled
        another way (other case, ``-``, ``_``, ``.``: ``sqlnet`` for ``sql-net``)."""
        wanted = fold(name)
        here = self._here(port, protocol)
        return next((service for key, service in here.items() if fold(key) == wanted), None)

    def named(self, port: int, protocol: Protocol) -> bool:
        """Whether IANA names a service on ``port`` and ``protocol``."""
        return bool(self._segment(port)[1].get(protocol))


def _iana_alias_rows(assignments: Iterable[Assignment]) -> list[Row]:
    """IANA's own alias rows (``This entry is an alias to "sql-net"``, duplicates of http).

    One row each: a row over a range of ports is filed under the whole range with
    ``port`` ``None``, rather than copied onto every port of it.
    """
    return [
        alias_row(
            Alias(
                a.service,
                Source.IANA,
                a.protocol,
                a.first if a.first == a.last else None,
                a.alias_of,
            ),
            spans=assignment_spans(a),
        )
        for a in assignments
        if a.service is not None and a.alias_of is not None
    ]


def kept_nmap_names(facts: Iterable[NameFact], index: AliasIndex) -> list[NameFact]:
    """Nmap's names that are not IANA's on their port and protocol, once each, in order."""
    kept = {
        fact: None
        for fact in facts
        if fact.name.lower() != UNKNOWN
        and not index.is_iana_name(fact.name, fact.port, fact.protocol)
    }
    return list(kept)


def _names_rows(inputs: Inputs, index: AliasIndex) -> tuple[list[Row], int]:
    """The rows of the names table, and how many names on a port IANA names stand for no
    IANA service (each is a service of its own).

    A name stands for an IANA service only where a source says so:

    - a services-file line is one group of names: they stand for the IANA service that
      the first of them to be an IANA name on its port stands for (its protocol first);
    - an Nmap name stands for the service that a services-file line holding the same name
      on the same port stands for (where IANA has it on Nmap's protocol), or for the IANA
      service on its port and protocol that it spells another way (``sqlnet``);
    - a curated tie (the observed-uses file's ``[[tie]]``, with its source) ties a name on
      a port to an IANA service there that is demonstrably the same protocol, on each
      protocol IANA has that service on.

    Nothing else ties: not being the only IANA service on the port, nor another name's
    tie on the same port, nor Nmap's comments.
    """
    rows = _iana_alias_rows(inputs.iana.assignments)
    curated = {(tie.name.lower(), tie.port, tie.protocol): tie.service for tie in inputs.ties}

    def tied_by_hand(names: Sequence[str], port: int, protocol: Protocol) -> str | None:
        for name in names:
            key = name.lower()
            found = curated.get((key, port, protocol)) or curated.get((key, port, None))
            if found is not None and index.is_iana_name(found, port, protocol):
                return index.tie([found], port, protocol)
        return None

    line_ties: dict[tuple[str, int], str] = {}
    untied = 0
    for line, entry in enumerate(inputs.services):
        names = (entry.name, *entry.aliases)
        tie = index.tie(names, entry.port, entry.protocol) or tied_by_hand(
            names, entry.port, entry.protocol
        )
        if tie is not None:
            line_ties.update({(name.lower(), entry.port): tie for name in names})
        for name in names:
            own = index.is_iana_name(name, entry.port, entry.protocol)
            untied += tie is None and not own and index.named(entry.port, entry.protocol)
            alias = Alias(name, Source.SERVICES, entry.protocol, entry.port, tie)
            rows.append(alias_row(alias, line, own=own))
    for fact in kept_nmap_names(inputs.nmap, index):
        where = (fact.port, fact.protocol)
        target = line_ties.get((fact.name.lower(), fact.port))
        if target is not None and not index.is_iana_name(target, *where):
            target = None  # the line's service is not on Nmap's protocol (smtps on 465/udp)
        target = target or index.spelled(fact.name, *where) or tied_by_hand([fact.name], *where)
        untied += target is None and index.named(*where)
        rows.append(alias_row(Alias(fact.name, Source.NMAP, fact.protocol, fact.port, target)))
    # What people call a service: a name on no port, standing for that service (where the
    # registry compiled has it).
    registered = index.registered
    rows += [
        alias_row(Alias(t.term, Source.OBSERVED, None, None, t.service))
        for t in inputs.terms
        if t.service.lower() in registered
    ]
    return rows, untied


def source_info(
    name: str,
    path: str,
    data: bytes,
    date: str | None,
    records: int,
    newest_record: str | None = None,
) -> dict[str, object]:
    """The manifest's entry for one input: its name, file, checksum, date and count (and
    for IANA's registry the date of its newest record)."""
    entry: dict[str, object] = {
        "name": name,
        "file": os.path.basename(path),
        "sha256": hashlib.sha256(data).hexdigest(),
        "date": date,
        "records": records,
    }
    if newest_record is not None:
        entry["newest_record"] = newest_record
    return entry


def compile_tables(
    inputs: Inputs,
    sources: Sequence[Mapping[str, object]],
    generated_by: str,
    base: BaseInputs | None = None,
) -> dict[str, bytes]:
    """The bytes of every data file (see :data:`~portinfo._store.DATA_FILES`).

    ``sources`` describes each input (name, file, sha256, date, records) for the manifest.
    The output depends on nothing but the arguments. Given ``base``, the inputs that
    compiled data were compiled from (see :func:`compile_files`), a table whose inputs are
    the base's own (or whose rows are, as the people of IANA's CSV) is the base's table
    under the new header, and the IANA table's group bytes alone are worked out again
    where the names changed them: the same bytes as encoding it all again (a test
    checks), in a fraction of the time.
    """
    header = {
        "generated_by": generated_by,
        "inputs": {str(s["name"]): f"{s['file']} sha256:{s['sha256']}" for s in sources},
        "note": "Generated data: do not edit by hand; regenerate with tools/generate.py.",
        "format": FORMAT_VERSION,
    }
    iana = inputs.iana
    tables, untied, groups = _rows(inputs, base)
    files = _table_files(tables, header, base)
    if base is not None and "iana" not in tables:
        files["iana.idx"] = regrouped(files["iana.idx"], groups)
    files["footnotes.json"] = encode_json(header, dict(sorted(iana.footnotes.items())))
    manifest = {
        "format": FORMAT_VERSION,
        "generated_by": generated_by,
        "iana_format": iana.format,
        "sources": [dict(s) for s in sources],
        "counts": {**_counts(tables, base), "untied_names": untied},
        "files": file_checks(files),
    }
    manifest["manifest_crc32"] = manifest_check({"_header": header, **manifest})
    files["manifest.json"] = encode_json(header, manifest)
    assert set(files) == set(DATA_FILES)
    return files


def _rows(inputs: Inputs, base: BaseInputs | None) -> tuple[dict[str, list[Row]], int, bytes]:
    """The rows of each table to encode (those ``base`` has not, as they are), how many
    names stand for no IANA service though IANA names their port, and the IANA rows'
    group bytes."""
    iana = inputs.iana
    kept = _kept(inputs, base)
    tables: dict[str, list[Row]] = {}
    if base is not None and "iana" in kept:
        index = base.alias_index()
    else:
        index = AliasIndex(iana.assignments)
        people = sorted(
            {
                *iana.people.values(),
                *(p for a in iana.assignments for p in (*a.assignees, *a.contacts)),
            },
            key=lambda p: (p.id, p.name or "", p.organization or ""),
        )
        if base is None or people != base.people_rows():  # IANA's CSV names the base's
            tables["people"] = [person_row(p) for p in people]
    untied = base.counts()["untied_names"] if base is not None and "names" in kept else 0
    if "names" not in kept:
        tables["names"], untied = _names_rows(inputs, index)
    if base is not None and "groups" in kept:
        groups = base.groups()
    elif base is not None and "iana" in kept:
        groups = base.groups_with(inputs.services, (*inputs.nmap, *inputs.leads))
    else:
        bits = lead_bits(iana.assignments, inputs.services, (*inputs.nmap, *inputs.leads))
        groups = bytes(bits.bits)
    if "iana" not in kept:
        number = {person: n for n, person in enumerate(people)}.__getitem__
        tables["iana"] = [assignment_row(a, number, g) for a, g in zip(iana.assignments, groups)]
    if "uses" not in kept:
        uses = sorted(inputs.uses, key=lambda u: (min(u.ports + u.ranges), u.name))
        tables["uses"] = [use_row(u) for u in uses]
    return tables, untied, groups


def _kept(inputs: Inputs, base: BaseInputs | None) -> set[str]:
    """What of ``base``'s data its inputs in ``inputs`` leave as it was: its tables
    (``"iana"``, ``"people"``, ``"names"``, ``"uses"``) and the IANA rows' ``"groups"``."""
    if base is None:
        return set()
    same = {field for field in Inputs._fields if base.unchanged(field, getattr(inputs, field))}
    kept = {"iana", "people"} if "iana" in same else set()
    if same >= {"iana", "services", "nmap", "terms", "ties"}:
        kept.add("names")
    if same >= {"iana", "services", "nmap", "leads"}:
        kept.add("groups")
    if "uses" in same:
        kept.add("uses")
    return kept


def _table_files(
    tables: Mapping[str, Sequence[Row]], header: Mapping[str, object], base: BaseInputs | None
) -> dict[str, bytes]:
    """The files of every table: those in ``tables`` encoded, the rest ``base``'s."""
    files: dict[str, bytes] = {}
    for name in TABLES:
        if name in tables:
            encoded = encode_table(tables[name], header)
        else:
            assert base is not None
            encoded = reheaded(base.files[f"{name}.jsonl"], base.files[f"{name}.idx"], header)
        files[f"{name}.jsonl"], files[f"{name}.idx"] = encoded
    return files


def _counts(tables: Mapping[str, Sequence[Row]], base: BaseInputs | None) -> dict[str, int]:
    """The rows of every table: of those in ``tables``, and else of ``base``'s."""
    counts = {} if base is None else base.counts()
    return {name: len(tables[name]) if name in tables else counts[name] for name in TABLES}


def footnotes_of(data: bytes) -> dict[str, str]:
    """The footnotes of IANA's registry, by anchor, from the data's ``footnotes.json``."""
    notes = json.loads(data)
    notes.pop("_header", None)
    return {str(anchor): str(text) for anchor, text in notes.items()}


def packaged_people(data: Data) -> list[Person]:
    """Every person of compiled data, in the order of its people table."""
    return [data.person(n) for n in range(len(data.people))]


def packaged_iana(data: Data) -> IanaRegistry:
    """The IANA registry that compiled data were compiled from, read back from its tables."""
    manifest = data.manifest
    date = next((s["date"] for s in manifest["sources"] if s["name"] == "iana"), None)
    return IanaRegistry(
        date if isinstance(date, str) else None,
        tuple(data.assignment(n) for n in range(len(data.iana))),
        {p.id: p for p in packaged_people(data)},
        footnotes_of(data.files["footnotes.json"]),
        str(manifest["iana_format"]),
    )


def packaged_names(
    data: Data,
) -> tuple[list[ServicesEntry], list[NameFact], list[Term]]:
    """The services-file entries, Nmap's names and the curated terms that compiled data
    were compiled from."""
    services: list[ServicesEntry] = []
    nmap: list[NameFact] = []
    terms: list[Term] = []
    last_line: int | None = None
    names = data.names
    for n in range(len(names)):
        alias, line = alias_from_row(names.row(n))
        if alias.source is Source.OBSERVED and alias.service is not None:
            terms.append(Term(alias.name, alias.service))
            continue
        if alias.port is None or alias.protocol is None:
            continue  # not a fact of a services file or of Nmap, which always give both
        if alias.source is Source.SERVICES:
            if line == last_line:
                entry = services[-1]
                services[-1] = entry._replace(aliases=(*entry.aliases, alias.name))
            else:
                services.append(ServicesEntry(alias.name, alias.port, alias.protocol, ()))
            last_line = line
        elif alias.source is Source.NMAP:
            nmap.append(NameFact(alias.name, alias.port, alias.protocol))
    return services, nmap, terms


def packaged_leads(data: Data) -> list[NameFact]:
    """The prominent IANA service of each port and protocol that compiled data found
    shared between IANA services: what stands in for Nmap's names when they are
    compiled again without an nmap-services file."""
    groups = data.iana.groups
    records = [data.assignment(n) for n in range(len(data.iana)) if groups[n] & LEAD]
    return [
        NameFact(record.service or "", port, protocol)
        for record in records
        if record.first is not None and record.last is not None
        for port in range(record.first, record.last + 1)
        for protocol in ([record.protocol] if record.protocol else list(Protocol))
    ]


def packaged_ties(data: Data) -> list[Tie]:
    """The ties of compiled data's services-file and Nmap names to IANA services: what
    stands in for the curated ties when they are compiled again without an observed-uses
    file (a tie the rules give anyway changes nothing)."""
    ties: list[Tie] = []
    names = data.names
    for n in range(len(names)):
        alias, _ = alias_from_row(names.row(n))
        if alias.source in (Source.SERVICES, Source.NMAP) and alias.service and alias.port:
            ties.append(Tie(alias.name, alias.port, alias.service, "", alias.protocol))
    return list(dict.fromkeys(ties))


def packaged_uses(data: Data) -> list[Use]:
    """The observed uses of compiled data."""
    return [data.use(n) for n in range(len(data.uses))]


# --- the base: what compiled data were compiled from, read back once ------------------------

_Made = TypeVar("_Made")


class BaseInputs:
    """The inputs that compiled data (a base) were compiled from, each read back from its
    tables when first asked for, and kept: the same objects each time.

    :func:`compile_files` takes every input it is not given from here, and
    :func:`compile_tables` tells an input that is the base's own by identity, and reuses
    the base's tables made of it. One is kept per process for the data of one manifest
    (:func:`base_inputs`), so that ``Registry.from_files`` reads the packaged inputs back
    once, not on every call.
    """

    def __init__(self, data: Data) -> None:
        self.data = data
        self.files = data.files
        self._made: dict[str, Any] = {}
        self._lock = Lock(reentrant=True)  # one input is made once, from one thread

    def _once(self, name: str, make: Callable[[], _Made]) -> _Made:
        if name not in self._made:
            with self._lock:
                if name not in self._made:
                    self._made[name] = make()
        return cast("_Made", self._made[name])

    def unchanged(self, name: str, value: object) -> bool:
        """Whether ``value`` is the base's own input ``name`` (a field of :class:`Inputs`)."""
        return name in self._made and self._made[name] is value

    def iana(self) -> IanaRegistry:
        return self._once("iana", lambda: packaged_iana(self.data))

    def people(self) -> dict[str, Person]:
        return self._once("people", lambda: {p.id: p for p in self.people_rows()})

    def people_rows(self) -> list[Person]:
        """The people of the base's people table, in its order."""
        return self._once("people_rows", lambda: packaged_people(self.data))

    def footnotes(self) -> dict[str, str]:
        return self._once("footnotes", lambda: footnotes_of(self.files["footnotes.json"]))

    def _names(self) -> tuple[list[ServicesEntry], list[NameFact], list[Term]]:
        return self._once("_names", lambda: packaged_names(self.data))

    def services(self) -> tuple[ServicesEntry, ...]:
        return self._once("services", lambda: tuple(self._names()[0]))

    def nmap(self) -> tuple[NameFact, ...]:
        return self._once("nmap", lambda: tuple(self._names()[1]))

    def terms(self) -> tuple[Term, ...]:
        return self._once("terms", lambda: tuple(self._names()[2]))

    def leads(self) -> tuple[NameFact, ...]:
        return self._once("leads", lambda: tuple(packaged_leads(self.data)))

    def uses(self) -> tuple[Use, ...]:
        return self._once("uses", lambda: tuple(packaged_uses(self.data)))

    def ties(self) -> tuple[Tie, ...]:
        return self._once("ties", lambda: tuple(packaged_ties(self.data)))

    def observed(self) -> tuple[tuple[Use, ...], tuple[Term, ...], tuple[Tie, ...]]:
        """The uses, the terms and the ties: what an observed-uses file gives."""
        return self.uses(), self.terms(), self.ties()

    def alias_index(self) -> AliasIndex:
        return self._once("alias_index", lambda: AliasIndex(self.iana().assignments))

    def groups(self) -> bytes:
        """The group byte of each IANA row (its prominence bits)."""
        return bytes(self.data.iana.groups)

    def groups_with(
        self, services: Sequence[ServicesEntry], nmap: Sequence[tuple[str, int, Protocol]]
    ) -> bytes:
        """The group bytes of the base's IANA rows given other names (see
        :func:`~portinfo._prominence.lead_bits_again`)."""
        overlaps = self._once("overlaps", lambda: Overlaps(self.iana().assignments))
        before = (self.groups(), self.services(), (*self.nmap(), *self.leads()))
        return lead_bits_again(self.iana().assignments, overlaps, before, services, nmap)

    def counts(self) -> dict[str, int]:
        """The manifest's counts: each table's rows, and the untied names."""
        return dict(self.data.manifest["counts"])


_bases: dict[bytes, BaseInputs] = {}
_bases_lock = Lock()


def base_inputs(data: Data) -> BaseInputs:
    """The :class:`BaseInputs` of ``data``, the same for all data of one manifest (their
    files matched its checksums, so they are the same files). Only the last is kept: in
    practice, the packaged data's."""
    key = data.files["manifest.json"]
    with _bases_lock:
        found = _bases.get(key)
        if found is None:
            _bases.clear()
            found = _bases[key] = BaseInputs(data)
    return found


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused, where it runs: a compile makes a few
    million objects and no cycle, and the collector would walk them over and over (a
    third of the time of a whole IANA registry's compile)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# --- from files ----------------------------------------------------------------------------

StrPath = Union[str, "os.PathLike[str]"]
Frequencies = dict[tuple[int, Protocol], float]
LocalPaths = Union[StrPath, Sequence[StrPath], None]


def _undated(name: str, data: bytes) -> str | None:
    return None


def compile_data(
    *,
    iana: StrPath | None = None,
    services: StrPath | None = None,
    nmap: StrPath | None = None,
    uses: StrPath | None = None,
    local: LocalPaths = None,
    generated_by: str = "portinfo.Registry.from_files",
) -> Data:
    """The loaded data of the packaged data with the files given in place of, or (the
    local files) besides, theirs: what :meth:`portinfo.Registry.from_files` answers from."""
    files, frequencies = compile_files(
        iana=iana, services=services, nmap=nmap, uses=uses, local=local, base=packaged(),
        generated_by=generated_by,
    )  # fmt: skip
    return Data(files, "from_files", frequencies)


def compile_over(
    base: Data, local: LocalPaths, generated_by: str = "portinfo (configured)"
) -> Data:
    """The loaded data of ``base`` (the packaged data, or a saved registry's) with the
    local files ``local`` added: only their table is compiled."""
    files, frequencies = compile_files(local=local, base=base, generated_by=generated_by)
    where = "from_files" if base.directory is None else base.directory
    return Data(files, where, frequencies, directory=base.directory)


def compile_files(
    *,
    iana: StrPath | None = None,
    services: StrPath | None = None,
    nmap: StrPath | None = None,
    uses: StrPath | None = None,
    local: LocalPaths = None,
    base: Data | None,
    generated_by: str,
    date_of: Callable[[str, bytes], str | None] = _undated,
) -> tuple[dict[str, bytes], Frequencies | None]:
    """The data files compiled from the upstream files given, and Nmap's open frequencies
    where an nmap-services file is one of them: the one path from files to data.

    Every input not given is taken from ``base`` (the packaged data, for
    :meth:`portinfo.Registry.from_files`), through its :func:`base_inputs`, and the tables
    made of the base's inputs alone are the base's (see :func:`compile_tables`); with no
    ``base`` (the generator), it is empty, and ``iana`` must be given. ``local`` is a
    local file of your own services, or a list of them (see :func:`read_local`), added
    before the base's own (a saved registry's); with nothing else given, the base's other
    tables serve as they are. ``date_of(name, bytes)`` dates a services or nmap-services
    file, which carries no date of its own. A file that is not in its format raises
    :class:`~portinfo.DataFormatError` naming the file and the line or record.
    """
    own = read_local(local)  # read and checked before anything is built
    if base is not None:  # a saved registry's own local services, after those given now
        kept = _base_local(base)
        own = Local(own.services + kept.services, own.sources + kept.sources)
    if base is not None and all(path is None for path in (iana, services, nmap, uses)):
        files = {name: base.files[name] for name in DATA_FILES}  # the same bytes, reused
        known = base.frequencies
        return add_local(files, own, generated_by), None if known is None else dict(known)
    files, frequencies = _compile_upstream(
        iana=iana, services=services, nmap=nmap, uses=uses, base=base,
        generated_by=generated_by, date_of=date_of,
    )  # fmt: skip
    return add_local(files, own, generated_by), frequencies


def _compile_upstream(
    *,
    iana: StrPath | None,
    services: StrPath | None,
    nmap: StrPath | None,
    uses: StrPath | None,
    base: Data | None,
    generated_by: str,
    date_of: Callable[[str, bytes], str | None],
) -> tuple[dict[str, bytes], Frequencies | None]:
    """The data files of the upstream files given, each one not given from ``base``."""
    with _collector_paused():
        given = None if base is None else base_inputs(base)
        upstream = [] if base is None else base.manifest["sources"]
        sources = {str(s["name"]): s for s in upstream if s["name"] != LOCAL_TABLE}
        registry = _iana_input(iana, given, sources)
        services_entries = () if given is None else given.services()
        if services is not None:
            data, path = read_file(services)
            services_entries = parse_services(data, path)
            date = date_of("services", data)
            sources["services"] = source_info("services", path, data, date, len(services_entries))
        nmap_names, frequencies = () if given is None else given.nmap(), None
        leads = () if given is None else given.leads()
        if nmap is not None:
            leads = ()
            data, path = read_file(nmap)
            entries = parse_nmap(data, path)
            nmap_names = tuple(NameFact(e.name, e.port, e.protocol) for e in entries)
            frequencies = {(e.port, e.protocol): e.frequency for e in entries}
            sources["nmap"] = source_info("nmap", path, data, date_of("nmap", data), len(entries))
        observed, terms, ties = ((), (), ()) if given is None else given.observed()
        if uses is not None:
            data, path = read_file(uses)
            parsed = parse_observed(data, path)
            observed, terms, ties = parsed.uses, tuple(parsed.terms), parsed.ties
            sources["observed"] = source_info("observed", path, data, parsed.updated, len(observed))
        inputs = Inputs(registry, services_entries, nmap_names, observed, terms, leads, ties)
        order = [source.value for source in Source]
        ordered = sorted(sources.values(), key=lambda s: order.index(str(s["name"])))
        return compile_tables(inputs, ordered, generated_by, given), frequencies


class Local(NamedTuple):
    """Your own services, read from local files, and the manifest's entry of each file."""

    services: tuple[LocalService, ...]
    sources: tuple[dict[str, object], ...]


def _local_paths(paths: LocalPaths) -> list[StrPath]:
    if paths is None:
        return []
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    if not isinstance(paths, (list, tuple)):
        raise TypeError(
            f"local must be a path or a list or tuple of paths, got {type(paths).__name__}:"
            f" {show(paths)}"
        )
    return list(paths)


def read_local(paths: LocalPaths) -> Local:
    """Your own services from the local file ``paths`` (a path, or a list or tuple of
    them), in the order given: each file is read, in the format its name says (see
    :mod:`portinfo._local`), and checked. A file named twice is read once. The caps on
    one file hold for all of them together too (see :mod:`portinfo._files`)."""
    services: list[LocalService] = []
    sources: list[dict[str, object]] = []
    seen: set[str] = set()
    for path in _local_paths(paths):
        data, name = read_file(path)
        if os.path.realpath(name) in seen:
            continue
        seen.add(os.path.realpath(name))
        found = parse_local(data, name)
        services += found
        sources.append(source_info(LOCAL_TABLE, name, data, None, len(found)))
    if len(sources) > 1:
        where = f"the local files ({', '.join(str(s['file']) for s in sources)})"
        check_records(len(services), "services", where)
        spans = ((a, b, p) for s in services for a, b in s.ports for p in s.protocols)
        check_on_port(spans, "services", where)
    return Local(tuple(services), tuple(sources))


def _base_local(base: Data) -> Local:
    """The local services of ``base`` (a saved registry may have some), and their files."""
    services = tuple(base.own(number) for number in range(len(base.local)))
    sources = (s for s in base.manifest["sources"] if s["name"] == LOCAL_TABLE)
    return Local(services, tuple(dict(s) for s in sources))


def add_local(files: Mapping[str, bytes], own: Local, generated_by: str) -> dict[str, bytes]:
    """``files`` (compiled data, perhaps with a local table of their own, which ``own``
    then holds) with the table of ``own`` services in its place, and their manifest saying
    so (each local file among its sources); ``files`` as they are where there is no local
    file. The other files are the same bytes either way."""
    if not own.sources:
        return dict(files)
    manifest = json.loads(files["manifest.json"])
    header = manifest.pop("_header")
    del manifest["manifest_crc32"]
    manifest["sources"] = [s for s in manifest["sources"] if s["name"] != LOCAL_TABLE]
    manifest["files"] = {k: v for k, v in manifest["files"].items() if k not in LOCAL_FILES}
    inputs = {LOCAL_TABLE: "; ".join(f"{s['file']} sha256:{s['sha256']}" for s in own.sources)}
    made = {**header, "generated_by": generated_by, "inputs": inputs}
    added = dict(zip(LOCAL_FILES, encode_table([local_row(s) for s in own.services], made)))
    header = {**header, "generated_by": generated_by, "inputs": {**header["inputs"], **inputs}}
    manifest.update(
        generated_by=generated_by,
        sources=[*manifest["sources"], *own.sources],
        counts={**manifest["counts"], LOCAL_TABLE: len(own.services)},
        files={**manifest["files"], **file_checks(added)},
    )
    manifest["manifest_crc32"] = manifest_check({"_header": header, **manifest})
    return {**files, **added, "manifest.json": encode_json(header, manifest)}


def _iana_input(
    path: StrPath | None, base: BaseInputs | None, sources: dict[str, Mapping[str, object]]
) -> IanaRegistry:
    """IANA's registry from ``path``, or else the one ``base`` was compiled from."""
    if path is None:
        if base is None:
            raise TypeError("compile_files() needs an iana file where it has no base data")
        return base.iana()
    data, label = read_file(path)
    people = footnotes = None
    if base is not None:  # IANA's CSV names people by id only: the packaged names serve
        people, footnotes = base.people(), base.footnotes()
    registry = parse_iana(data, label, people=people, footnotes=footnotes)
    records = registry.assignments
    newest = newest_record(records)
    sources["iana"] = source_info("iana", label, data, registry.updated, len(records), newest)
    return registry
