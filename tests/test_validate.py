"""The shared validator of ports and protocols."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as hs

from portinfo import InvalidPortError, InvalidProtocolError, PortinfoError, Protocol
from portinfo._validate import parse_port, parse_port_protocol, parse_protocol
from tests import strategies as st


class Index:
    """An integer-like type that is not an int, as numpy's integers are."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


def test_index_types_count_as_ints() -> None:
    assert parse_port(Index(443)) == 443
    with pytest.raises(InvalidPortError, match="65536"):
        parse_port(Index(65536))


def test_bool_is_not_a_port() -> None:
    with pytest.raises(TypeError, match="True is not a port"):
        parse_port(True)


@pytest.mark.parametrize("text", ["80", " 443 ", "\t22\n", "00080"])
def test_digit_strings(text: str) -> None:
    assert parse_port(text) == int(text)


def test_a_huge_digit_string_is_out_of_range_not_a_crash() -> None:
    with pytest.raises(InvalidPortError, match="0 to 65535"):
        parse_port("9" * 10_000)


@given(st.protocols, hs.booleans())
def test_protocols_case_insensitive(protocol: Protocol, upper: bool) -> None:
    text = protocol.value.upper() if upper else protocol.value
    assert parse_protocol(text) is protocol
    assert parse_protocol(protocol) is protocol
    assert Protocol(protocol.value) is protocol


@pytest.mark.parametrize("bad", ["icmp", "", "tcp/udp", "tc p", "ip"])
def test_unknown_protocols_list_the_valid_ones(bad: str) -> None:
    with pytest.raises(InvalidProtocolError) as caught:
        parse_protocol(bad)
    message = str(caught.value)
    assert repr(bad) in message
    for protocol in Protocol:
        assert repr(protocol.value) in message
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, PortinfoError)


@pytest.mark.parametrize("bad", [6, None, b"tcp", 1.0])
def test_protocol_of_wrong_type(bad: Any) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        parse_protocol(bad)


@given(st.ports, st.protocol_spellings)
@example(80, "TCP")
def test_port_slash_protocol(port: int, protocol: str) -> None:
    assert parse_port_protocol(f"{port}/{protocol}") == (port, Protocol(protocol.lower()))
    assert parse_port_protocol(f" {port}/{protocol} ", protocol) == (
        port,
        Protocol(protocol.lower()),
    )
    assert parse_port_protocol(port, protocol) == (port, Protocol(protocol.lower()))
    assert parse_port_protocol(str(port)) == (port, None)


def test_port_slash_protocol_errors() -> None:
    with pytest.raises(InvalidProtocolError, match="'icmp' in '80/icmp'"):
        parse_port_protocol("80/icmp")
    with pytest.raises(InvalidPortError, match="'x/tcp'"):
        parse_port_protocol("x/tcp")
    with pytest.raises(InvalidPortError, match="65536"):
        parse_port_protocol("65536/tcp")
    with pytest.raises(InvalidProtocolError, match="but protocol='udp'"):
        parse_port_protocol("80/tcp", "udp")
    with pytest.raises(InvalidPortError, match="protocol suffix"):
        parse_port("80/tcp")
