"""The shared validator of ports and protocols."""

from __future__ import annotations

import ipaddress
import socket
import time
from http import HTTPStatus
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as hs

from portinfo import InvalidPortError, InvalidProtocolError, PortinfoError, Protocol
from portinfo._validate import (
    address_port,
    parse_port,
    parse_port_protocol,
    parse_protocol,
    port_from_text,
    show,
)
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


@pytest.mark.parametrize("bad", [None, b"tcp", 1.0, True, [6]])
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


# --- one rule for a port written as text ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "port"),
    [("80", 80), ("0", 0), ("65535", 65535), ("00080", 80), ("0000000000000443", 443)],
)
def test_port_from_text_reads_ascii_digits(text: str, port: int) -> None:
    result = port_from_text(text)
    assert result == port
    assert type(result) is int


@pytest.mark.parametrize(
    "text",
    [
        "",
        "65536",
        "99999",
        "-1",
        "+80",
        "8_0",
        " 80",
        "80 ",
        "8 0",
        "0x50",
        "\u0668\u0660",  # Arabic-Indic digits
        "\uff18\uff10\uff18\uff10",  # full-width digits
        "\u00b2",  # superscript two: str.isdigit() says yes
        "0" * 5000 + "80",  # past Python's int-from-str digit limit
        "9" * 5000,
    ],
)
def test_port_from_text_refuses_everything_else(text: str) -> None:
    assert port_from_text(text) is None


@pytest.mark.parametrize("text", ["\u0668\u0660", "\uff18\uff10", "8_0", "+80", "\u00b2"])
def test_the_api_refuses_what_port_from_text_refuses(text: str) -> None:
    with pytest.raises(InvalidPortError, match="ASCII decimal digits"):
        parse_port(text)
    with pytest.raises(InvalidPortError, match="ASCII decimal digits"):
        parse_port_protocol(f"{text}/tcp")


# --- int subclasses, integer-likes and huge numbers --------------------------------------------


class Big(int):
    """An int subclass that changes nothing."""


def test_int_subclasses_give_a_plain_int() -> None:
    for value in (HTTPStatus.OK, Big(80), socket.AF_INET):
        result = parse_port(value)
        assert type(result) is int
        assert result == value
        port, _ = parse_port_protocol(value, "tcp")
        assert type(port) is int
        assert port == result
    with pytest.raises(InvalidPortError, match="65536"):
        parse_port(Big(65536))


class NoInteger:
    """A type whose ``__index__`` says, by ``TypeError``, that it is no integer (as
    ``numpy.bool_``'s does)."""

    def __index__(self) -> int:
        raise TypeError("not an integer")


def test_an_index_that_refuses_is_a_port_of_the_wrong_type() -> None:
    with pytest.raises(TypeError, match="port must be an int or a str, got NoInteger"):
        parse_port(NoInteger())
    with pytest.raises(TypeError, match="protocol must be a Protocol, a str or an int"):
        parse_protocol(NoInteger())


@pytest.mark.parametrize("value", [Index(-1), Index(65536), Index(-(10**5000))])
def test_an_index_out_of_range_is_refused(value: Index) -> None:
    # numpy.int64(-1) is integer-like and negative: no port, whatever its type.
    with pytest.raises(InvalidPortError, match="0 to 65535"):
        parse_port(value)
    with pytest.raises(InvalidPortError, match="0 to 65535"):
        parse_port_protocol(value, "tcp")


@pytest.mark.parametrize(
    "value",
    [10**5000, -(10**5000), Index(10**5000), "0" * 5000 + "80", "9" * 5000, "0" * 5000 + "80/tcp"],
    ids=["int", "negative int", "index", "leading zeros", "nines", "with protocol"],
)
def test_huge_numbers_give_a_short_invalid_port_error(value: object) -> None:
    with pytest.raises(InvalidPortError, match="0 to 65535") as caught:
        parse_port_protocol(value)
    assert len(str(caught.value)) < 200
    if not (isinstance(value, str) and "/" in value):
        with pytest.raises(InvalidPortError) as caught:
            parse_port(value)
        assert len(str(caught.value)) < 200


def test_show_describes_a_huge_int_without_its_digits() -> None:
    assert show(10**5000) == "an int of 5,001 digits"
    assert show(-(10**5000)) == "a negative int of 5,001 digits"
    assert show(10**5000 - 1) == "an int of 5,000 digits"
    assert show(Big(10**100)) == "a Big (int) of 101 digits"
    assert show(10**50) == repr(10**50)
    assert show(HTTPStatus.OK) == repr(HTTPStatus.OK)
    assert show("x" * 100) == "'" + "x" * 27 + "..." + "x" * 27 + "' (102 characters)"
    # A repr would convert the int, which Python refuses (found by tools/fuzz.py).
    assert show((10**5000,)) == "<tuple object>"
    with pytest.raises(TypeError, match="port must be an int or a str, got list: <list object>"):
        parse_port([10**5000])


# --- a caller's own objects ---------------------------------------------------------------------
# An exception that a caller's own object raises (from __repr__, __index__, __hash__, __eq__)
# propagates unchanged, as Python's own functions let it: docs/guarantees.md.


class BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class RefusingIndex:
    def __index__(self) -> int:
        raise RuntimeError("no index")


def test_a_caller_s_own_error_propagates_unchanged() -> None:
    with pytest.raises(RuntimeError, match="no repr"):
        parse_port(BrokenRepr())
    with pytest.raises(RuntimeError, match="no index"):
        parse_port(RefusingIndex())
    with pytest.raises(RuntimeError, match="no index"):
        parse_protocol(RefusingIndex())


@pytest.mark.parametrize(
    ("given", "protocol"),
    [
        (6, Protocol.TCP),
        (17, Protocol.UDP),
        (132, Protocol.SCTP),
        (33, Protocol.DCCP),
        ("6", Protocol.TCP),
        (" 17 ", Protocol.UDP),
        ("tcp6", Protocol.TCP),
        ("UDP6", Protocol.UDP),
    ],
)
def test_protocols_as_flow_logs_and_socket_tables_write_them(
    given: object, protocol: Protocol
) -> None:
    from portinfo._validate import parse_protocol

    assert parse_protocol(given) is protocol


@pytest.mark.parametrize("given", [0, 1, 255, 10**6, "999", "0x6", "tcp4", "ipv6"])
def test_other_numbers_and_names_are_no_protocol(given: object) -> None:
    from portinfo._validate import parse_protocol

    with pytest.raises(InvalidProtocolError, match="6, 17, 132 or 33"):
        parse_protocol(given)


def test_protocol_numbers_everywhere_a_protocol_is_taken() -> None:
    import portinfo

    assert portinfo.lookup(80, 6) == portinfo.lookup(80, "tcp")
    assert portinfo.lookup("53/udp6") == portinfo.lookup(53, "udp")
    assert portinfo.name(53, 17) == "domain"
    assert portinfo.port("domain", 17) == 53
    assert portinfo.search("domain", protocol=17)[0].ports == ((53, 53),)
    assert "(53/udp)" in portinfo.report(53, 17)
    with pytest.raises(TypeError):
        portinfo.lookup(80, True)


@pytest.mark.parametrize("protocol", [["tcp"], {"tcp": 6}, bytearray(b"tcp"), "timedelta64"])
def test_a_protocol_that_does_not_hash_is_a_type_error_naming_it(protocol: object) -> None:
    # The fast path hashed whatever it was given: a list raised "unhashable type", and
    # NumPy's timedelta64 a ValueError (found by tools/fuzz.py).
    if protocol == "timedelta64":
        numpy = pytest.importorskip("numpy")
        protocol = numpy.timedelta64(6)
    import portinfo

    registry = portinfo.Registry.packaged()
    for lookup in (parse_port_protocol, portinfo.lookup, registry.lookup, portinfo.name):
        lookup(80, "tcp")  # a first answer is cached, so the fast path is taken
        with pytest.raises(TypeError, match="protocol must be a Protocol, a str or an int, got"):
            lookup(80, protocol)  # type: ignore[arg-type]


def test_show_describes_a_gigantic_int_at_once() -> None:
    # 8 Mbit: counting its digits exactly took seconds (found by tools/fuzz.py).
    start = time.perf_counter()
    assert show(1 << (8 * 2**20)) == "an int of about 2,525,223 digits"
    assert show(-(1 << (8 * 2**20))) == "a negative int of about 2,525,223 digits"
    assert time.perf_counter() - start < 0.1
    assert show(10**39000 - 1) == "an int of 39,000 digits"  # exact up to 2**17 bits


# --- socket addresses, as tools print them -----------------------------------------------

hosts = hs.one_of(
    hs.ip_addresses(v=4).map(str),
    hs.sampled_from(["*", "", "localhost", "127.0.0.53%lo", "db.example"]),
)
"""What comes before ``:PORT`` in a socket address without brackets and with one colon."""


@given(hosts, st.ports)
@example("*", 22)  # ss: any address
@example("0.0.0.0", 22)  # noqa: S104  # netstat, ss
@example("", 8080)  # Go and Docker: no host
def test_host_colon_port(host: str, port: int) -> None:
    assert address_port(f"{host}:{port}") == str(port)


@given(hs.ip_addresses(v=6), st.ports)
@example(ipaddress.IPv6Address("::"), 22)  # :::22 (netstat) and [::]:22 (ss)
@example(ipaddress.IPv6Address("::1"), 631)  # ::1:631 and [::1]:631
@example(ipaddress.IPv6Address("::ffff:10.0.0.1"), 80)
def test_ipv6_with_and_without_brackets(address: ipaddress.IPv6Address, port: int) -> None:
    assert address_port(f"[{address}]:{port}") == str(port)  # ss, URLs
    assert address_port(f"{address}:{port}") == str(port)  # netstat: :::22
    assert address_port(f"[{address}%eth0]:{port}") == str(port)
    assert address_port(f"{address}%eth0:{port}") == str(port)


@given(hs.sampled_from(["*", "127.0.0.1", "[::1]", "::"]), st.ports, st.protocol_spellings)
def test_the_port_is_given_as_written_for_the_caller_to_read(
    host: str, port: int, protocol: str
) -> None:
    assert address_port(f"{host}:{port}/{protocol}") == f"{port}/{protocol}"
    assert address_port(f"{host}:{port}-{port}") == f"{port}-{port}"  # a range


@given(hs.ip_addresses(v=6))
def test_an_ipv6_address_alone_is_no_port_or_reads_as_netstat_writes(
    address: ipaddress.IPv6Address,
) -> None:
    # netstat writes [::1]:631 as ::1:631, so an address whose last group is digits and
    # whose other groups are an address reads as one with a port; any other is an error.
    text = str(address)
    host, _, last = text.rpartition(":")
    outcome: str | InvalidPortError | None
    try:
        outcome = address_port(text)
    except InvalidPortError as error:
        outcome = error
    if isinstance(outcome, InvalidPortError):
        assert repr(text) in str(outcome)
    else:
        assert outcome == last
        assert address_port(f"[{host}]:{last}") == last


@given(hs.sampled_from(["*", "127.0.0.1", "[::1]", "::", "[::]", ""]), hs.integers(65536))
def test_a_port_out_of_range_names_the_address(host: str, port: int) -> None:
    text = f"{host}:{port}"
    with pytest.raises(InvalidPortError, match="port must be an integer from 0 to 65535") as error:
        address_port(text)
    assert str(error.value).endswith(f"in {show(text)}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (":::", "a socket address needs a port after its last ':', got ':::'"),
        ("*:", "a socket address needs a port after its last ':', got '*:'"),
        ("127.0.0.1:", "a socket address needs a port after its last ':', got '127.0.0.1:'"),
        ("[::1]:", "a socket address needs a port after its last ':', got '[::1]:'"),
        ("::1", "'::1' is an IPv6 address without a port: give one as [ADDRESS]:PORT"),
        ("::", "'::' is an IPv6 address without a port: give one as [ADDRESS]:PORT"),
        ("fe80::1", "'fe80::1' is an IPv6 address without a port"),
        ("*:99999", "port must be an integer from 0 to 65535, got '99999' in '*:99999'"),
        ("*:*", "port must be an integer from 0 to 65535, got '*' in '*:*'"),
        ("*:0x16", "port must be an integer from 0 to 65535, got '0x16' in '*:0x16'"),
        ("[::1]", "a socket address in brackets must be [ADDRESS]:PORT, got '[::1]'"),
        ("[::1", "a socket address in brackets must be [ADDRESS]:PORT, got '[::1'"),
        ("[]:22", "a socket address in brackets must be [ADDRESS]:PORT, got '[]:22'"),
        ("[::1]22", "a socket address in brackets must be [ADDRESS]:PORT, got '[::1]22'"),
        ("1:2:3:::4:5", "a socket address must be HOST:PORT, [IPv6]:PORT, *:PORT or"),
    ],
)
def test_a_malformed_address_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(InvalidPortError) as error:
        address_port(text)
    assert str(error.value).startswith(message)
    assert isinstance(error.value, ValueError)


@given(hs.text().filter(lambda t: ":" not in t and not t.startswith("[")))
@example("80")
@example("http")
@example("6000-6010")
def test_text_without_a_colon_is_no_address(text: str) -> None:
    assert address_port(text) is None


@pytest.mark.parametrize("text", ["http://example.com:80", "db.example:x:1", "X-Y:a:b"])
def test_a_name_with_colons_is_no_address(text: str) -> None:
    # What comes before the last colon is no IPv6 address: left to be looked up as a name.
    assert address_port(text) is None
