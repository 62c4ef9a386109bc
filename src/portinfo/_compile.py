"""Compiling: from parsed inputs to the files of the data, the one path for every registry.

:func:`compile_files` reads and parses the upstream files given (IANA's registry, a
services file, an nmap-services file, an observed-uses file), takes every input not given
from a base (the packaged data), and :func:`compile_tables` turns them into the bytes of
every data file. The generator (``tools/generate.py``) writes them into
``src/portinfo/data/``; :meth:`portinfo.Registry.from_files` keeps them in memory. Both
call :func:`compile_files`, so the same inputs give the same bytes.

The tables store facts, each once: IANA's records, the people they name, every name of a
services file (primary names and aliases, grouped by line), Nmap's names, and the uses with
their port ranges. What is derived from them, such as the IANA service an alias stands
for, is worked out here, at compile time, from whichever IANA registry is compiled.

Of Nmap's names, only those that differ from IANA's name on the same port and protocol, or
that name a port IANA has no name for, are kept: a name equal to IANA's says nothing new,
and the data's licence terms ship no more of Nmap's file than that (see the data page).

A name of a services file or of Nmap stands for an IANA service only where a source says
so (see :func:`_names_rows`); otherwise it is a service of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, Union

from portinfo._data import Data
from portinfo._enums import Protocol, Source
from portinfo._files import read_file
from portinfo._iana import IanaRegistry, newest_record, parse_iana
from portinfo._nmap import UNKNOWN, parse_nmap
from portinfo._observed import Term, Tie, parse_observed
from portinfo._prominence import fold, lead_bits
from portinfo._records import Alias, Assignment, Person, Use, is_primary
from portinfo._rows import (
    LEAD,
    alias_from_row,
    alias_row,
    assignment_row,
    assignment_spans,
    person_row,
    use_row,
)
from portinfo._services import ServicesEntry, parse_services
from portinfo._store import (
    DATA_FILES,
    FORMAT_VERSION,
    Row,
    encode_json,
    encode_table,
    file_checks,
    manifest_check,
    segments,
)

__all__ = [
    "AliasIndex",
    "Inputs",
    "NameFact",
    "compile_files",
    "compile_tables",
    "footnotes_of",
    "packaged_iana",
    "packaged_leads",
    "packaged_names",
    "packaged_people",
    "packaged_ties",
    "packaged_uses",
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
        self._named = [a for a in assignments if a.service and a.first is not None]
        self._firsts, self._start, self._members = segments(
            [assignment_spans(a) for a in self._named]
        )
        self._segments: dict[int, tuple[_Names, _Primaries]] = {}

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
    registered = {a.service.lower() for a in inputs.iana.assignments if a.service}
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
    inputs: Inputs, sources: Sequence[Mapping[str, object]], generated_by: str
) -> dict[str, bytes]:
    """The bytes of every data file (see :data:`~portinfo._store.DATA_FILES`).

    ``sources`` describes each input (name, file, sha256, date, records) for the manifest.
    The output depends on nothing but the arguments.
    """
    header = {
        "generated_by": generated_by,
        "inputs": {str(s["name"]): f"{s['file']} sha256:{s['sha256']}" for s in sources},
        "note": "Generated data: do not edit by hand; regenerate with tools/generate.py.",
        "format": FORMAT_VERSION,
    }
    iana = inputs.iana
    index = AliasIndex(iana.assignments)
    people = sorted(
        {
            *iana.people.values(),
            *(p for a in iana.assignments for p in (*a.assignees, *a.contacts)),
        },
        key=lambda p: (p.id, p.name or "", p.organization or ""),
    )
    number = {person: n for n, person in enumerate(people)}
    uses = sorted(inputs.uses, key=lambda u: (min(u.ports + u.ranges), u.name))
    names, untied = _names_rows(inputs, index)
    leads = lead_bits(iana.assignments, inputs.services, (*inputs.nmap, *inputs.leads))
    tables = {
        "iana": [
            assignment_row(a, number.__getitem__, group)
            for a, group in zip(iana.assignments, leads.bits)
        ],
        "people": [person_row(p) for p in people],
        "names": names,
        "uses": [use_row(u) for u in uses],
    }
    files: dict[str, bytes] = {}
    for name, rows in tables.items():
        files[f"{name}.jsonl"], files[f"{name}.idx"] = encode_table(rows, header)
    files["footnotes.json"] = encode_json(header, dict(sorted(iana.footnotes.items())))
    manifest = {
        "format": FORMAT_VERSION,
        "generated_by": generated_by,
        "iana_format": iana.format,
        "sources": [dict(s) for s in sources],
        "counts": {
            **{name: len(rows) for name, rows in tables.items()},
            "untied_names": untied,
        },
        "files": file_checks(files),
    }
    manifest["manifest_crc32"] = manifest_check({"_header": header, **manifest})
    files["manifest.json"] = encode_json(header, manifest)
    assert set(files) == set(DATA_FILES)
    return files


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


# --- from files ----------------------------------------------------------------------------

StrPath = Union[str, "os.PathLike[str]"]
Frequencies = dict[tuple[int, Protocol], float]


def _undated(name: str, data: bytes) -> str | None:
    return None


def compile_files(
    *,
    iana: StrPath | None = None,
    services: StrPath | None = None,
    nmap: StrPath | None = None,
    uses: StrPath | None = None,
    base: Data | None,
    generated_by: str,
    date_of: Callable[[str, bytes], str | None] = _undated,
) -> tuple[dict[str, bytes], Frequencies | None]:
    """The data files compiled from the upstream files given, and Nmap's open frequencies
    where an nmap-services file is one of them: the one path from files to data.

    Every input not given is taken from ``base`` (the packaged data, for
    :meth:`portinfo.Registry.from_files`); with no ``base`` (the generator), it is empty,
    and ``iana`` must be given. ``date_of(name, bytes)`` dates a services or nmap-services
    file, which carries no date of its own. A file that is not in its format raises
    :class:`~portinfo.DataFormatError` naming the file and the line or record.
    """
    sources = {} if base is None else {str(s["name"]): s for s in base.manifest["sources"]}
    registry = _iana_input(iana, base, sources)
    known_services, known_nmap, terms = ([], [], []) if base is None else packaged_names(base)
    services_entries = tuple(known_services)
    if services is not None:
        data, path = read_file(services)
        services_entries = parse_services(data, path)
        date = date_of("services", data)
        sources["services"] = source_info("services", path, data, date, len(services_entries))
    nmap_names, frequencies = tuple(known_nmap), None
    leads = () if base is None else tuple(packaged_leads(base))
    if nmap is not None:
        leads = ()
        data, path = read_file(nmap)
        entries = parse_nmap(data, path)
        nmap_names = tuple(NameFact(e.name, e.port, e.protocol) for e in entries)
        frequencies = {(e.port, e.protocol): e.frequency for e in entries}
        sources["nmap"] = source_info("nmap", path, data, date_of("nmap", data), len(entries))
    observed = () if base is None else tuple(packaged_uses(base))
    ties = () if base is None else tuple(packaged_ties(base))
    if uses is not None:
        data, path = read_file(uses)
        parsed = parse_observed(data, path)
        observed, terms, ties = parsed.uses, list(parsed.terms), parsed.ties
        sources["observed"] = source_info("observed", path, data, parsed.updated, len(observed))
    inputs = Inputs(registry, services_entries, nmap_names, observed, tuple(terms), leads, ties)
    order = [source.value for source in Source]
    ordered = sorted(sources.values(), key=lambda s: order.index(str(s["name"])))
    return compile_tables(inputs, ordered, generated_by), frequencies


def _iana_input(
    path: StrPath | None, base: Data | None, sources: dict[str, Mapping[str, object]]
) -> IanaRegistry:
    """IANA's registry from ``path``, or else the one ``base`` was compiled from."""
    if path is None:
        if base is None:
            raise TypeError("compile_files() needs an iana file where it has no base data")
        return packaged_iana(base)
    data, label = read_file(path)
    people = footnotes = None
    if base is not None:  # IANA's CSV names people by id only: the packaged names serve
        people = {p.id: p for p in packaged_people(base)}
        footnotes = footnotes_of(base.files["footnotes.json"])
    registry = parse_iana(data, label, people=people, footnotes=footnotes)
    records = registry.assignments
    newest = newest_record(records)
    sources["iana"] = source_info("iana", label, data, registry.updated, len(records), newest)
    return registry
