"""The parser of services files (/etc/services format)."""

from __future__ import annotations

import pytest

from portinfo import DataFormatError, Protocol
from portinfo._services import ServicesEntry, parse_services
from tests.conftest import DATA


def test_entries_aliases_and_skipped_protocols() -> None:
    entries = parse_services((DATA / "tiny-services").read_bytes(), "tiny-services")
    assert entries[0] == ServicesEntry("http", 80, Protocol.TCP, ("www",))
    assert entries[1].aliases == ("sql-net", "oracle-sql")
    assert all(e.name != "rtmp" for e in entries)  # 1/ddp: not a protocol portinfo covers
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
