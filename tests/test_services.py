"""The parser of services files (/etc/services format)."""

from __future__ import annotations

import pytest

from portinfo import DataFormatError, Protocol
from portinfo._services import ServicesEntry, parse_services
from tests.conftest import DATA


def test_entries_aliases_and_skipped_protocols() -> None:
    entries = parse_services((DATA / "tiny-services").read_bytes(), "tiny-services")
    assert entries[0] == ServicesEntry(
        "http", 80, Protocol.TCP, ("www", "web-test"), "a comment of our own"
    )  # the comment is kept for a local file's title, never compiled (see test_local)
    assert entries[1].aliases == ("sql-net", "oracle-sql-test")
    assert entries[1].comment == ""
    assert all(e.name != "appletalk-test" for e in entries)  # 1/ddp: not a protocol we cover
    assert len(entries) == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"http\n", "line 1: expected 'name port/protocol'"),
        (b"# only a comment\n\nhttp 80\n", "line 3: expected port/protocol"),
        (b"http 70000/tcp\n", "port from 0 to 65535"),
        (b"http x/tcp\n", "got 'x/tcp'"),
        (b"", "no tcp, udp, sctp or dccp entries"),
        (b"http 80/tcp \xff\n", "not UTF-8"),
    ],
)
def test_bad_lines_are_named(text: bytes, message: str) -> None:
    with pytest.raises(DataFormatError, match=message) as caught:
        parse_services(text, "my-services")
    assert str(caught.value).startswith("my-services")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("http \u0668\u0660/tcp\n", "line 1: expected port/protocol"),  # Arabic-Indic digits
        ("http \uff18\uff10\uff18\uff10/tcp\n", "line 1: expected port/protocol"),  # full-width
        ("http 8_0/tcp\n", "got '8_0/tcp'"),
        ("http +80/tcp\n", "got '\\+80/tcp'"),
        ("http 80/\n", "line 1: expected port/protocol with a protocol"),
        ("http 80/tcp/udp\n", "line 1: expected port/protocol"),
        ("http 80/t\u0441p\n", "line 1: expected port/protocol"),  # a Cyrillic es in "tcp"
        ("http\u00a080/tcp\n", "line 1: expected 'name port/protocol'"),  # not a field break
        ("http\u300080/tcp\n", "line 1: expected 'name port/protocol'"),
    ],
)
def test_a_port_is_ascii_digits_and_a_protocol_a_plain_name(text: str, message: str) -> None:
    with pytest.raises(DataFormatError, match=message) as caught:
        parse_services(text.encode(), "my-services")
    assert str(caught.value).startswith("my-services: line 1: ")


def test_a_huge_port_is_a_short_data_format_error() -> None:
    data = b"http " + b"8" * 5000 + b"/tcp\n"
    with pytest.raises(DataFormatError, match="line 1: expected port/protocol") as caught:
        parse_services(data, "my-services")
    assert len(str(caught.value)) < 300
    with pytest.raises(DataFormatError, match="line 1: ") as caught:
        parse_services(b"h" * 100_000 + b"\n", "my-services")
    assert len(str(caught.value)) < 300


def test_uncovered_protocols_are_still_skipped() -> None:
    assert parse_services(b"rtmp 1/ddp\nhttp 80/tcp\nx 2/ipv6-icmp\n", "s") == (
        ServicesEntry("http", 80, Protocol.TCP, ()),
    )


@pytest.mark.parametrize("separator", ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"])
def test_only_newlines_end_lines(separator: str) -> None:
    text = f"# a comment{separator}evil 1/tcp\r\n\n# more{separator}\nhttp 80\n"
    with pytest.raises(DataFormatError, match="line 4: expected port/protocol"):
        parse_services(text.encode(), "my-services")
    # What follows a form feed or a line separator in a comment is still the comment.
    entries = parse_services(f"# x{separator}evil 1/tcp\nhttp 80/tcp\n".encode(), "s")
    assert entries == (ServicesEntry("http", 80, Protocol.TCP, ()),)


def test_windows_line_ends_and_a_byte_order_mark() -> None:
    entries = parse_services(b"\xef\xbb\xbfhttp 80/tcp www\r\nssh 22/tcp\r\n", "s")
    assert entries == (
        ServicesEntry("http", 80, Protocol.TCP, ("www",)),
        ServicesEntry("ssh", 22, Protocol.TCP, ()),
    )


def test_a_utf_16_file_is_named_as_such() -> None:
    with pytest.raises(DataFormatError, match=r"UTF-16.*UTF-8"):
        parse_services("http 80/tcp\n".encode("utf-16"), "my-services")
    with pytest.raises(DataFormatError, match="NUL"):
        parse_services("http 80/tcp\n".encode("utf-16-le"), "my-services")


def test_a_long_source_is_shortened_in_messages() -> None:
    # A file's path reaches messages as it is given: one of 3,000 characters made messages
    # of over 3,000 (found by tools/fuzz.py).
    source = "/" + "d" * 3000 + "/services"
    with pytest.raises(DataFormatError) as caught:
        parse_services(b"http\n", source)
    assert len(str(caught.value)) < 300
    assert str(caught.value).startswith("'/dddd")
