"""Properties of the public API over arbitrary input (Hypothesis)."""

from __future__ import annotations

import contextlib
import functools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as hs

import portinfo
from portinfo import (
    InvalidArgumentError,
    InvalidPortError,
    InvalidProtocolError,
    Match,
    PortRange,
    Protocol,
    SearchResult,
    Source,
    Status,
    UnknownServiceError,
)
from tests import strategies as st


@given(st.ports, hs.one_of(hs.none(), st.protocols))
@example(0, None)
@example(1023, Protocol.TCP)
@example(1024, None)
@example(49151, Protocol.UDP)
@example(49152, None)
@example(65535, Protocol.DCCP)
def test_lookup_is_consistent_for_every_port(port: int, protocol: Protocol | None) -> None:
    info = portinfo.lookup(port, protocol)
    assert info.port == port
    assert info.protocol is protocol
    assert info.range is portinfo.classify(port)
    assert port in info.range
    for assignment in info.assignments:
        assert assignment.covers(port)
        assert assignment.applies_to(protocol)
    statuses = {a.status for a in info.assignments}
    if Status.ASSIGNED in statuses:
        assert info.status is Status.ASSIGNED
    elif Status.RESERVED in statuses:
        assert info.status is Status.RESERVED
    else:
        assert info.status is Status.UNASSIGNED
    for alias in info.aliases:
        assert alias.port == port
        assert protocol is None or alias.protocol in (None, protocol)
        own = {
            a.service.lower()
            for a in info.assignments
            if a.service and a.alias_of is None and a.applies_to(alias.protocol)
        }
        assert alias.name.lower() not in own
    for use in info.uses:
        assert use.covers(port)
    same = portinfo.lookup(str(port), protocol)
    assert same == info
    if protocol is not None:
        assert portinfo.lookup(f"{port}/{protocol.value.upper()}") == info
        assert set(info.assignments) <= set(portinfo.lookup(port).assignments)


@given(st.ports, st.protocols)
@example(514, Protocol.TCP)  # syslog is IANA's name on 514/udp, but only an alias on 514/tcp
def test_a_protocol_narrows_never_adds(port: int, protocol: Protocol) -> None:
    everything = portinfo.lookup(port)
    narrowed = portinfo.lookup(port, protocol)
    assert set(narrowed.assignments) <= set(everything.assignments)
    assert set(narrowed.aliases) <= set(everything.aliases)
    assert set(narrowed.uses) <= set(everything.uses)


@given(hs.text(max_size=40))
@example("")
@example("HTTP")
@example("www")
@example("http/tcp")
@example("80")
@example("\x00")
@example("ǅ")  # a title-case letter: lower() and casefold() differ around it
@settings(max_examples=300)
def test_resolve_returns_or_raises_only_documented_errors(text: str) -> None:
    try:
        service = portinfo.resolve(text)
    except UnknownServiceError:  # documented, and a LookupError
        return
    assert service.name
    assert all(0 <= first <= last <= 65535 for first, last in service.ports)
    # Ascending and merged: each span starts past the end of the one before and a gap.
    assert all(b[0] > a[1] + 1 for a, b in zip(service.ports, service.ports[1:]))
    assert portinfo.resolve(text.strip().lower()) == service  # names compare in any case


SOURCE_ORDER = list(Source)


@functools.cache
def _listed_and_common() -> tuple[frozenset[str], frozenset[str]]:
    """The names the services file lists, and the names of the common observed uses."""
    registry = portinfo.default_registry()
    listed = {a.name.lower() for a in registry.aliases() if a.source is Source.SERVICES}
    return frozenset(listed), frozenset(u.name for u in registry.uses() if u.common)


def _well_known(result: SearchResult) -> bool:
    listed, common = _listed_and_common()
    if result.source is Source.OBSERVED:
        return result.name in common
    return result.name.lower() in listed


@given(hs.text(max_size=40), hs.one_of(hs.none(), st.protocols), hs.integers(1, 50))
@example("8443", None, 30)
@example("veristand", None, 20)
@example("a", Protocol.UDP, 5)
@example("(", None, 3)
@example("\\", None, 3)
@example("*", None, 3)
@settings(max_examples=200, deadline=None)
def test_search_returns_ranked_results_for_any_text(
    text: str, protocol: Protocol | None, limit: int
) -> None:
    if len(set(text.lower().split())) > 12:  # over the documented limit of distinct words
        with pytest.raises(InvalidArgumentError, match="at most 12 different words"):
            portinfo.search(text, protocol=protocol, limit=limit)
        return
    results = portinfo.search(text, protocol=protocol, limit=limit)
    assert len(results) <= limit
    # A well-known service's name first (but a port's names are all equal, and descriptions
    # come last); then best match first; within a match, lowest port first (all on one port:
    # by source).
    keys = [
        (
            r.match is Match.DESCRIPTION or (r.match is not Match.PORT and not _well_known(r)),
            r.match.rank,
            SOURCE_ORDER.index(r.source)
            if r.match is Match.PORT
            else r.ports[0][0]
            if r.ports
            else 65536,
        )
        for r in results
    ]
    assert keys == sorted(keys)
    for result in results:
        if protocol is not None:
            assert protocol in result.protocols
    if not text.split():
        assert results == ()


@given(hs.one_of(hs.integers(), hs.text(max_size=8), hs.none(), hs.floats(), hs.binary()))
def test_search_limit_and_protocol_reject_bad_values(value: object) -> None:
    with contextlib.suppress(InvalidProtocolError, TypeError):
        portinfo.search("http", protocol=value)  # type: ignore[arg-type]
    with contextlib.suppress(ValueError, TypeError):
        portinfo.search("http", limit=value)  # type: ignore[arg-type]


@given(st.out_of_range)
def test_lookup_rejects_every_integer_outside_the_port_space(number: int) -> None:
    with pytest.raises(InvalidPortError):
        portinfo.lookup(number)


def test_the_ranges_of_lookups_match_classify_at_the_boundaries() -> None:
    assert [portinfo.lookup(p).range for p in (1023, 1024, 49151, 49152)] == [
        PortRange.SYSTEM,
        PortRange.USER,
        PortRange.USER,
        PortRange.DYNAMIC,
    ]
