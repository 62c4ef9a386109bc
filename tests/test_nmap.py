"""The parser of Nmap's nmap-services file."""

from __future__ import annotations

import pytest

from portinfo import DataFormatError, Protocol
from portinfo._nmap import NmapEntry, parse_nmap
from tests.conftest import DATA


def test_entries_keep_name_port_protocol_and_frequency() -> None:
    entries = parse_nmap((DATA / "tiny-nmap-services").read_bytes(), "tiny")
    assert entries[0] == NmapEntry("http", 80, Protocol.TCP, 0.5)
    assert len(entries) == 8
    assert entries[2].name == "unknown"  # kept for ranking; never shipped as a name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"http 80/tcp 0.1\n", "line 1: expected 'name<TAB>port/protocol<TAB>frequency'"),
        (b"http\t80/icmp\t0.1\n", "line 1: bad port/protocol '80/icmp'"),
        (b"http\t80/tcp\tmany\n", "line 1: bad frequency 'many'"),
        (b"http\t70000/tcp\t0.1\n", "line 1: bad port/protocol '70000/tcp'"),
        (b"http\t80/tcp\tnan\n", "line 1: bad frequency 'nan'"),
        (b"# comments only\n", "no entries"),
        (b"\xff\t80/tcp\t0.1\n", "not UTF-8"),
    ],
)
def test_bad_lines_are_named(text: bytes, message: str) -> None:
    with pytest.raises(DataFormatError, match=message) as caught:
        parse_nmap(text, "my-nmap")
    assert str(caught.value).startswith("my-nmap")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("http\t\u0668\u0660/tcp\t0.1\n", "line 1: bad port"),  # Arabic-Indic digits
        ("http\t\uff18\uff10\uff18\uff10/tcp\t0.1\n", "line 1: bad port"),  # full-width
        ("http\t8_0/tcp\t0.1\n", "line 1: bad port"),
        ("http\t+80/tcp\t0.1\n", "line 1: bad port"),
        ("http\t80 /tcp\t0.1\n", "line 1: bad port"),
        ("http\t\u300080/tcp\t0.1\n", "line 1: bad port"),
        ("http\t80/\t0.1\n", "line 1: bad port"),
        ("http\t80\t0.1\n", "line 1: bad port"),
        ("http\t80/tcp\t1_0\n", "line 1: bad frequency"),
        ("http\t80/tcp\t\u0661\n", "line 1: bad frequency"),  # an Arabic-Indic one
        ("http\t80/tcp\t\uff10.\uff15\n", "line 1: bad frequency"),  # full-width
        ("http\t80/tcp\tinf\n", "line 1: bad frequency"),
        ("http\t80/tcp\t1e999\n", "line 1: bad frequency"),
        ("http\t80/tcp\t-0.1\n", "line 1: bad frequency"),
        ("http\t80/tcp\t+0.1\n", "line 1: bad frequency"),
        ("\t80/tcp\t0.1\n", "line 1: bad name"),
    ],
)
def test_one_rule_for_ports_and_frequencies(text: str, message: str) -> None:
    with pytest.raises(DataFormatError, match=message) as caught:
        parse_nmap(text.encode(), "my-nmap")
    assert str(caught.value).startswith("my-nmap: line 1: ")


@pytest.mark.parametrize(
    "frequency", ["0.123456", "0", "1", "0.5", "1e-05", "2.5E-3", ".5", "0.000000"]
)
def test_frequencies_in_decimal(frequency: str) -> None:
    (entry,) = parse_nmap(f"http\t80/tcp\t{frequency}\n".encode(), "n")
    assert entry.frequency == float(frequency)


def test_a_huge_port_or_line_is_a_short_data_format_error() -> None:
    for data in (
        b"http\t" + b"8" * 5000 + b"/tcp\t0.1\n",
        b"http\t80/tcp\t" + b"1" * 100_000 + b"\n",
        b"h" * 100_000 + b"\n",
    ):
        with pytest.raises(DataFormatError, match="line 1: ") as caught:
            parse_nmap(data, "my-nmap")
        assert len(str(caught.value)) < 300


@pytest.mark.parametrize("separator", ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"])
def test_only_newlines_end_lines(separator: str) -> None:
    text = f"# a comment{separator}evil\t1/tcp\t0.5\r\n\n# more{separator}\nhttp 80/tcp 0.1\n"
    with pytest.raises(DataFormatError, match="line 4: expected"):
        parse_nmap(text.encode(), "my-nmap")
    entries = parse_nmap(f"# x{separator}evil\t1/tcp\t0.5\nhttp\t80/tcp\t0.1\n".encode(), "n")
    assert entries == (NmapEntry("http", 80, Protocol.TCP, 0.1),)


def test_windows_line_ends_and_a_byte_order_mark() -> None:
    entries = parse_nmap(b"\xef\xbb\xbfhttp\t80/tcp\t0.1\t# web\r\nssh\t22/tcp\t0.2\r\n", "n")
    assert entries == (
        NmapEntry("http", 80, Protocol.TCP, 0.1),
        NmapEntry("ssh", 22, Protocol.TCP, 0.2),
    )


def test_a_utf_16_file_is_named_as_such() -> None:
    with pytest.raises(DataFormatError, match=r"UTF-16.*UTF-8"):
        parse_nmap("http\t80/tcp\t0.1\n".encode("utf-16"), "my-nmap")


def test_a_long_source_is_shortened_in_messages() -> None:
    # As in the services parser (found by tools/fuzz.py).
    source = "/" + "d" * 3000 + "/nmap-services"
    with pytest.raises(DataFormatError) as caught:
        parse_nmap(b"http\t80/tcp\tlots\n", source)
    assert len(str(caught.value)) < 300
    assert str(caught.value).startswith("'/dddd")
