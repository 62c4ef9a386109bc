"""Properties of the public API over arbitrary input (Hypothesis)."""

from __future__ import annotations

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


def _order(result: SearchResult, text: str, protocol: Protocol | None) -> int:
    """The tie-break within a match: all on one port, the port's one name (name()) first,
    then by source; else lowest port first."""
    if result.match is Match.PORT:
        first = portinfo.name(int("".join(text.split())), protocol)  # folded, as search does
        return 0 if result.name == first else 1 + SOURCE_ORDER.index(result.source)
    return result.ports[0][0] if result.ports else 65536


@given(hs.text(max_size=40), hs.one_of(hs.none(), st.protocols), hs.integers(1, 50))
@example("8443", None, 30)
@example("1\x1f", None, 1)  # "\x1f" is white space to str.split(), and so to search
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
    # its one name, then by source).
    keys = [
        (
            r.match is Match.DESCRIPTION or (r.match is not Match.PORT and not _well_known(r)),
            r.match.rank,
            _order(r, text, protocol),
        )
        for r in results
    ]
    assert keys == sorted(keys)
    for result in results:
        if protocol is not None:
            assert protocol in result.protocols
    if not text.split():
        assert results == ()


_PROTOCOL_NAMES = {protocol.value: protocol for protocol in Protocol}
_PROTOCOL_NAMES.update({"tcp6": Protocol.TCP, "udp6": Protocol.UDP})
_PROTOCOL_NUMBERS = {6: Protocol.TCP, 17: Protocol.UDP, 132: Protocol.SCTP, 33: Protocol.DCCP}


def _protocol_of(value: object) -> Protocol | None:
    """The protocol ``value`` means by the documented rule, or ``None``: a name, or an IANA
    protocol number as an int or a string of at most three digits (white space and case aside)."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isascii() and text.isdigit() and len(text) <= 3:
            return _PROTOCOL_NUMBERS.get(int(text))
        return _PROTOCOL_NAMES.get(text)
    return _PROTOCOL_NUMBERS.get(value) if isinstance(value, int) else None


# Integers short enough for their repr to appear in a message (a huge one is described by its
# number of digits instead).
_BAD_VALUES = hs.one_of(
    hs.integers(-(2**64), 2**64), hs.text(max_size=8), hs.none(), hs.floats(), hs.binary()
)


def _names(message: str, value: object) -> bool:
    """Whether ``message`` names ``value``: its repr, or for a long one (which messages
    shorten in the middle) the repr's beginning and end."""
    text = repr(value)
    return text in message or (len(text) > 40 and text[:20] in message and text[-20:] in message)


@given(_BAD_VALUES)
@example(None)
@example(6)
@example(0)
@example(" UDP6 ")
@example("132")
@example("0006")  # a protocol number, but over three digits
@example("icmp")
@example(6.0)
@example(b"tcp")
def test_search_rejects_a_bad_protocol_naming_it(value: object) -> None:
    protocol = _protocol_of(value)
    if value is None or protocol is not None:
        results = portinfo.search("http", protocol=value, limit=5)  # type: ignore[arg-type]
        assert results == portinfo.search("http", protocol=protocol, limit=5)
        assert all(protocol in r.protocols for r in results if protocol is not None)
        return
    expected = InvalidProtocolError if isinstance(value, (int, str)) else TypeError
    with pytest.raises(expected) as caught:
        portinfo.search("http", protocol=value)  # type: ignore[arg-type]
    assert type(caught.value) is expected
    assert _names(str(caught.value), value)


@given(_BAD_VALUES)
@example(1)
@example(0)
@example(-1)
@example(None)
@example("5")
@example(5.0)
def test_search_rejects_a_bad_limit_naming_it(value: object) -> None:
    if isinstance(value, int) and value >= 1:
        assert len(portinfo.search("http", limit=value)) <= value
        return
    expected = InvalidArgumentError if isinstance(value, int) else TypeError
    with pytest.raises(expected) as caught:
        portinfo.search("http", limit=value)  # type: ignore[arg-type]
    assert type(caught.value) is expected
    assert _names(str(caught.value), value)


@given(st.out_of_range)
def test_lookup_rejects_every_integer_outside_the_port_space(number: int) -> None:
    with pytest.raises(InvalidPortError):
        portinfo.lookup(number)


class IntegerLike:
    """An integer-like type that is not an int, as numpy's integers are."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value

    def __repr__(self) -> str:
        return f"IntegerLike({self.value})"


@given(st.out_of_range)
@example(-1)
@example(65536)
def test_every_entry_point_rejects_an_integer_like_outside_the_port_space(number: int) -> None:
    value = IntegerLike(number)
    for function in (portinfo.lookup, portinfo.name, portinfo.report):
        with pytest.raises(InvalidPortError) as caught:
            function(value)
        if abs(number) < 2**64:  # a huge one is described by its number of digits
            assert repr(number) in str(caught.value)
    with pytest.raises(InvalidPortError):
        portinfo.lookup(value, "tcp")


def test_a_negative_numpy_integer_is_not_a_port() -> None:
    numpy = pytest.importorskip("numpy", reason="numpy's integers are the integer-likes met most")
    for value in (numpy.int64(-1), numpy.int8(-128), numpy.int32(-65535)):
        for function in (portinfo.lookup, portinfo.name, portinfo.report):
            with pytest.raises(InvalidPortError, match=str(int(value))):
                function(value)


def test_the_ranges_of_lookups_match_classify_at_the_boundaries() -> None:
    boundaries = (0, 1023, 1024, 49151, 49152, 65535)
    expected = [
        PortRange.SYSTEM,
        PortRange.SYSTEM,
        PortRange.USER,
        PortRange.USER,
        PortRange.DYNAMIC,
        PortRange.DYNAMIC,
    ]
    assert [portinfo.classify(p) for p in boundaries] == expected
    for protocol in (None, *Protocol):
        assert [portinfo.lookup(p, protocol).range for p in boundaries] == expected
