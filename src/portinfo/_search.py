"""Search: ranked matches of a text over names, aliases, descriptions and observed uses.

Names match first: your own (a local file's) and a well-known service's (one the services
file lists, or a common observed use) before the rest, and within each, exact, then prefix,
then substring, your own first, ranked on the indexes alone. The descriptions of IANA's
records, of the observed uses and of your own services are read only when the names give
fewer results than asked for, and rank last. Only the rows of the results returned are
decoded.

Each result is a :class:`SearchResult`, defined here: only a search builds its class.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

import attrs

from portinfo._enums import Match, Protocol, Source, in_order
from portinfo._records import Record, as_tuple, in_spans, merge_spans, public
from portinfo._rows import OWN_NAME, SOURCE_BITS, SOURCE_RANK, source_of
from portinfo._store import PROTOCOL_BITS
from portinfo._validate import parse_protocol, plain_int, show
from portinfo.exceptions import InvalidArgumentError

if TYPE_CHECKING:
    from portinfo._data import Data
    from portinfo._store import Table
    from portinfo.dicts import SearchResultDict

__all__ = ["MAX_TEXT", "MAX_WORDS", "SearchResult", "normalise", "search", "search_key"]

_Key = tuple[str, Source]


MAX_TEXT = 200
"""The longest search text, in characters once white space is folded (and 50 times that as
given): longer than any service name or description phrase, short enough that no search
costs more than a scan of the names and descriptions."""
MAX_WORDS = 12
"""The most distinct words a search text may have (a repeated word counts once)."""


@attrs.frozen
class SearchResult(Record):
    """One result of :func:`portinfo.search`: a name, where it is from, and its ports."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> SearchResultDict: ...

    match: Match
    """How it matched; results come in this order, then by lowest port."""
    name: str
    """The service name, alias or observed use that matched, or whose description did."""
    source: Source
    """Where the name comes from."""
    ports: tuple[tuple[int, int], ...] = attrs.field(converter=merge_spans)
    """The ports the name is on, as ``(first, last)`` spans, ascending and merged (empty
    for a name-only IANA registration)."""
    protocols: tuple[Protocol, ...] = attrs.field(converter=as_tuple)
    """The protocols the name is on."""
    service: str | None = None
    """The IANA service the name stands for, where there is one (its own name for IANA's)."""
    description: str = ""
    """IANA's description, or the observed use's or your own service's title and
    description."""

    def covers(self, port: int) -> bool:
        """Whether ``port`` is one of the ports the name is on."""
        return in_spans(port, self.ports)


public(SearchResult)


def normalise(text: str) -> str:
    """The text as it is searched for: its distinct lower-case words, in order, joined by
    single spaces. Raises :class:`~portinfo.InvalidArgumentError` for a text over the
    limits (:data:`MAX_TEXT`, :data:`MAX_WORDS`)."""
    if len(text) > 50 * MAX_TEXT:
        raise InvalidArgumentError(
            f"search text must be at most {MAX_TEXT} characters, got {show(text)}"
        )
    words = list(dict.fromkeys(text.lower().split()))
    query = " ".join(words)
    if len(query) > MAX_TEXT:
        raise InvalidArgumentError(
            f"search text must be at most {MAX_TEXT} characters, got {show(text)}"
        )
    if len(words) > MAX_WORDS:
        raise InvalidArgumentError(
            f"search text must have at most {MAX_WORDS} different words, got {len(words)}"
            f" in {show(text)}"
        )
    return query


def _name_match(name: str, query: str) -> Match:
    if name == query:
        return Match.EXACT
    return Match.PREFIX if name.startswith(query) else Match.SUBSTRING


def _rows(table: Table, name: str, bit: int, group: int | None) -> list[int]:
    """The rows called ``name`` on protocol ``bit`` (0: any), of one source's ``group``."""
    masks, groups = table.masks, table.groups
    return [
        n
        for n in table.named(name)
        if (not bit or not masks[n] or masks[n] & bit) and (group is None or groups[n] == group)
    ]


def search(
    data: Data, query: str, protocol: Protocol | None, limit: int
) -> tuple[SearchResult, ...]:
    """The ``limit`` best matches of ``query`` (already normalised) in ``data``."""
    if not query:
        return ()
    bit = 0 if protocol is None else PROTOCOL_BITS[protocol]
    candidates = _name_candidates(data, query, protocol)
    rank = _ranker(data, bit, _lead(data, query, protocol))
    ranked = [item for item in map(rank, candidates.items()) if item[_LOWEST] >= 0]
    if len(ranked) < limit:  # descriptions rank last: read them only when names fall short
        described = _described(data, query, candidates)
        ranked += [item for item in map(rank, described.items()) if item[_LOWEST] >= 0]
    matches, sources = list(Match), list(Source)
    found = (
        _result(data, matches[match], name, sources[source], bit)
        for _, match, _, _, name, source in heapq.nsmallest(limit, ranked)
    )
    return tuple(result for result in found if result is not None)


def _keep_best(found: dict[_Key, Match], key: _Key, match: Match) -> None:
    """File ``key`` under ``match``, unless it is filed under a better one already."""
    if key not in found or match.rank < found[key].rank:
        found[key] = match


def _name_candidates(data: Data, query: str, protocol: Protocol | None) -> dict[_Key, Match]:
    """Every name that contains ``query``, with how it matches: IANA's, the observed uses'
    (by name or by what people call them: one result either way, by its best match), the
    other sources', and every name on the port where the query is a port number."""
    found: dict[_Key, Match] = {}
    for name in data.iana.names_containing(query):
        found.setdefault((name, Source.IANA), _name_match(name, query))
    for table, source in ((data.uses, Source.OBSERVED), (data.local, Source.LOCAL)):
        for name in table.names_containing(query):  # by name, term or alias: found by name
            for number in table.named(name):
                key = (table.row_name(number) or name, source)
                _keep_best(found, key, _name_match(name, query))
    if _port_of(query) is not None:
        _on_port(data, int(query), protocol, found)
    groups = data.names.groups
    for name in data.names.names_containing(query):
        match = _name_match(name, query)
        for number in data.names.named(name):
            source = source_of(groups[number])
            if groups[number] & OWN_NAME:  # IANA's own name, which IANA's rows give
                continue
            if source is Source.OBSERVED:  # what people call a service: find the service
                service = data.alias(number).service
                _keep_best(found, ((service or name).lower(), Source.IANA), match)
            else:
                found.setdefault((name, source), match)
    return found


_Rank = tuple[bool, int, bool, int, str, int]
_LOWEST: Final = 3
"""Where a rank holds the lowest port of the candidate's rows on the protocol asked (-1 for
none: a candidate on other protocols only, which is no result)."""


def _port_of(query: str) -> int | None:
    """The port that ``query`` is the number of, if it is one."""
    if query.isascii() and query.isdigit() and len(query) <= 5 and int(query) <= 65535:
        return int(query)
    return None


def _lead(data: Data, query: str, protocol: Protocol | None) -> str | None:
    """Where ``query`` is a port number, the port's one name (:attr:`PortInfo.name`),
    lower-cased: it leads the names on the port."""
    port = _port_of(query)
    name = None if port is None else data.port_info(port, protocol).name
    return None if name is None else name.lower()


def _ranker(data: Data, bit: int, lead: str | None) -> Callable[[tuple[_Key, Match]], _Rank]:
    """The sort key of a candidate: later or not, match, your own or not, lowest port,
    name, source; on a port asked for by its number, ``lead`` first."""
    names, groups = data.names, data.names.groups
    by_source: dict[Source, Table] = {
        Source.IANA: data.iana, Source.OBSERVED: data.uses, Source.LOCAL: data.local
    }  # fmt: skip
    listed = SOURCE_RANK[Source.SERVICES]

    def well_known(name: str, source: Source, rows: list[int]) -> bool:
        """Your own, a name the services file lists (on any port), or a common observed use."""
        if source is Source.LOCAL:
            return True
        if source is Source.OBSERVED:
            return any(data.use(n).common for n in rows)
        return any(groups[n] & SOURCE_BITS == listed for n in names.named(name))

    def rank(item: tuple[_Key, Match]) -> _Rank:
        (name, source), match = item
        table = by_source.get(source, names)
        group = None if table is not names else SOURCE_RANK[source]
        rows = _rows(table, name, bit, group)
        lowest = min((table.first_port[n] for n in rows), default=-1)
        if match is Match.PORT and rows:  # the port's one name, then by source and name
            lowest = 0 if name == lead else 1 + SOURCE_RANK[source]
        # A port's names all answer it; among names that contain the text, a well-known
        # service's rank first, even above an obscure service that is called the text.
        # Descriptions rank last.
        later = match is Match.DESCRIPTION or (
            match is not Match.PORT and not (rows and well_known(name, source, rows))
        )
        own = source is not Source.LOCAL
        return (later, match.rank, own, lowest, name, SOURCE_RANK[source])

    return rank


def _described(data: Data, query: str, candidates: dict[_Key, Match]) -> dict[_Key, Match]:
    """The IANA records, observed uses and your own services not among ``candidates``
    whose description has every word of ``query`` at the start of a word."""
    described: dict[_Key, Match] = {}
    split = query.split()
    words = [re.compile(r"(?<![a-z0-9])" + re.escape(word)) for word in split]
    tables = ((Source.LOCAL, data.local), (Source.IANA, data.iana), (Source.OBSERVED, data.uses))
    for source, table in tables:
        # The longest word, found by str.find in C, rules out most rows first.
        for number, row_text in table.texts_containing(max(split, key=len)):
            if all(word.search(row_text) for word in words):
                row_name = table.row_name(number)
                if row_name is not None and (row_name, source) not in candidates:
                    described.setdefault((row_name, source), Match.DESCRIPTION)
    return described


def _on_port(data: Data, port: int, protocol: Protocol | None, found: dict[_Key, Match]) -> None:
    """Every name on ``port``, as a match of a search for the port's number: IANA's, the
    other sources', and the observed uses that listen there (not a wide range's)."""
    for table, source in ((data.iana, Source.IANA), (data.names, None)):
        groups = table.groups
        for number in data.rows_at(table, port, protocol):
            name = table.row_name(number)
            if name is not None and not (source is None and groups[number] & OWN_NAME):
                found.setdefault((name, source or source_of(groups[number])), Match.PORT)
    for number in data.rows_at(data.uses, port, protocol):
        use = data.use(number)
        if use.listens_on(port):
            found.setdefault((use.name, Source.OBSERVED), Match.PORT)
    for number in data.rows_at(data.local, port, protocol):
        found.setdefault((data.own(number).name.lower(), Source.LOCAL), Match.PORT)


def _result(data: Data, match: Match, key: str, source: Source, bit: int) -> SearchResult | None:
    iana, names, uses_table = data.iana, data.names, data.uses
    ports: list[tuple[int, int]] = []  # SearchResult merges them
    protocols: set[Protocol | None] = set()
    if source is Source.IANA:
        assignments = [data.assignment(n) for n in _rows(iana, key, bit, None)]
        if not assignments:
            return None
        for assignment in assignments:
            ports += assignment.ports
            protocols.add(assignment.protocol)
        # The record a services file lists the name on speaks for it (http-alt is 8080's
        # alternate HTTP, more than 591's FileMaker), else the first.
        listed = {
            alias.port
            for alias in map(data.alias, names.named(key))
            if alias.source is Source.SERVICES and alias.port is not None
        }
        first = next((a for a in assignments if any(map(a.covers, listed))), assignments[0])
        name = first.service or key
        service: str | None = first.alias_of or name
        description = first.description
    elif source is Source.LOCAL:
        return _local_result(data, match, key, bit)
    elif source is Source.OBSERVED:
        rows = [n for n in _rows(uses_table, key, bit, None) if uses_table.row_name(n) == key]
        uses = [data.use(n) for n in rows]
        if not uses:
            return None
        for use in uses:
            ports += use.ports + use.ranges
            protocols.update(use.protocols)
        name, service = uses[0].name, None
        description = f"{uses[0].title}: {uses[0].description}"
    else:
        aliases = [data.alias(n) for n in _rows(names, key, bit, SOURCE_RANK[source])]
        if not aliases:
            return None
        for alias in aliases:
            if alias.port is not None:
                ports.append((alias.port, alias.port))
            protocols.add(alias.protocol)
        name, service = aliases[0].name, aliases[0].service
        description = ""
        if service is not None:
            target = iana.named(service.lower())
            description = data.assignment(target[0]).description if target else ""
    return SearchResult(
        match,
        name,
        source,
        ports,
        in_order(protocols),
        service,
        description,
    )


def _local_result(data: Data, match: Match, key: str, bit: int) -> SearchResult | None:
    """The result of your own service called ``key``: its entries' ports, title and
    description."""
    rows = [n for n in _rows(data.local, key, bit, None) if data.local.row_name(n) == key]
    entries = [data.own(n) for n in rows]
    if not entries:
        return None
    said = ": ".join(text for text in (entries[0].title, entries[0].description) if text)
    return SearchResult(
        match,
        entries[0].name,
        Source.LOCAL,
        [span for own in entries for span in own.ports],
        in_order(p for own in entries for p in own.protocols),
        None,
        said,
    )


def search_key(text: object, protocol: object, limit: object) -> tuple[str, Protocol | None, int]:
    """A search's arguments checked and normalised: what its answer is kept under."""
    if not isinstance(text, str):
        raise TypeError(f"search text must be a str, got {type(text).__name__}: {show(text)}")
    wanted = None if protocol is None else parse_protocol(protocol)
    return normalise(text), wanted, plain_int(limit, "limit", least=1)
