"""The parser of Nmap's nmap-services file."""

from __future__ import annotations

import pytest

from portinfo import DataFormatError, Protocol
from portinfo._nmap import NmapEntry, parse_nmap
from tests.conftest import DATA


def test_entries_keep_name_port_protocol_and_frequency() -> None:
    entries = parse_nmap((DATA / "tiny-nmap-services").read_bytes(), "tiny")
    assert entries[0] == NmapEntry("http", 80, Protocol.TCP, 0.484143)
    assert len(entries) == 8
    assert entries[2].name == "unknown"  # kept for ranking; never shipped as a name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"http 80/tcp 0.1\n", "line 1: expected 'name<TAB>port/protocol<TAB>frequency'"),
        (b"http\t80/icmp\t0.1\n", "bad port/protocol or frequency"),
        (b"http\t80/tcp\tmany\n", "bad port/protocol or frequency"),
        (b"http\t70000/tcp\t0.1\n", "bad name, port or frequency"),
        (b"http\t80/tcp\tnan\n", "bad name, port or frequency"),
        (b"# comments only\n", "no entries"),
        (b"\xff\t80/tcp\t0.1\n", "not UTF-8"),
    ],
)
def test_bad_lines_are_named(text: bytes, message: str) -> None:
    with pytest.raises(DataFormatError, match=message) as caught:
        parse_nmap(text, "my-nmap")
    assert str(caught.value).startswith("my-nmap")
