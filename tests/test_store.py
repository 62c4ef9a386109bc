"""The data format: tables round-trip, ranges stay ranges, damage is reported, not guessed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from portinfo import DataFormatError, Protocol
from portinfo._store import (
    DATA_FILES,
    NO_PORT,
    Row,
    Table,
    encode_table,
    file_checks,
    packaged_files,
    protocol_mask,
    verify,
)

ROWS = [
    # Overlapping spans of one row (a use's port inside its own range) file it once.
    Row(["a", 1], ("Alpha",), ((1, 3), (2, 2)), protocol_mask([Protocol.TCP]), "First Row"),
    Row(["b", 2], ("beta",), ((2, 2), (5, 5)), 0, "second", ("alpha",), 2),
    Row(["c"], (), (), protocol_mask([Protocol.UDP, Protocol.SCTP])),
    Row(["d"], ("alpha",), ((65535, 65535),), 0),
]


@pytest.fixture(scope="module")
def table() -> Table:
    return Table(*encode_table(ROWS, {"made": "by a test"}), "test")


def test_round_trip(table: Table) -> None:
    assert len(table) == 4
    assert [table.row(n) for n in range(4)] == [r.value for r in ROWS]


def test_port_index(table: Table) -> None:
    assert list(table.at_port(0)) == []
    assert list(table.at_port(1)) == [0]
    assert list(table.at_port(2)) == [0, 1]
    assert list(table.at_port(5)) == [1]
    assert list(table.at_port(65535)) == [3]
    assert list(table.first_port) == [1, 2, NO_PORT, 65535]
    for port in range(65536):  # the segments agree with the spans, port by port
        expected = [n for n, row in enumerate(ROWS) if any(a <= port <= b for a, b in row.spans)]
        assert list(table.at_port(port)) == expected, port


def test_ranges_stay_ranges() -> None:
    # 300 rows that each cover every port: the index grows with the rows, not the ports.
    rows = [Row([n], (f"x{n}",), ((0, 65535),)) for n in range(300)]
    table = Table(*encode_table(rows, {}), "wide")
    assert table.seg_first == [0]
    assert list(table.at_port(12345)) == list(range(300))
    assert len(encode_table(rows, {})[1]) < 20_000


def test_name_and_target_indexes(table: Table) -> None:
    assert table.names() == ["alpha", "beta"]
    assert list(table.named("alpha")) == [0, 3]
    assert list(table.named("ALPHA".lower())) == [0, 3]
    assert list(table.named("gamma")) == []
    assert list(table.targeting("alpha")) == [1]
    assert [table.row_name(n) for n in range(4)] == ["alpha", "beta", None, "alpha"]
    assert table.names_containing("ph") == ["alpha"]
    assert list(table.texts_containing("row")) == [(0, "first row")]


def test_masks_and_groups(table: Table) -> None:
    assert list(table.masks) == [1, 0, 6, 0]
    assert list(table.groups) == [0, 2, 0, 0]


def test_same_input_same_bytes() -> None:
    assert encode_table(ROWS, {"x": 1}) == encode_table(list(ROWS), {"x": 1})


def test_damage_is_reported() -> None:
    rows, index = encode_table(ROWS, {})
    with pytest.raises(DataFormatError, match="truncated"):
        Table(rows, index[:-3], "cut")
    with pytest.raises(DataFormatError, match="version"):
        Table(rows, index.replace(b"PIDX", b"XXXX", 1), "magic")
    with pytest.raises(DataFormatError, match="not a portinfo data table"):
        Table(rows, b"no newline", "index")
    with pytest.raises(DataFormatError, match="does not match"):
        Table(b"no newline", index, "rows")
    with pytest.raises(DataFormatError, match="does not match"):
        Table(rows + b"[1]\n", index, "extra")


def test_packaged_files_match_their_manifest() -> None:
    files = packaged_files()
    assert set(files) == set(DATA_FILES)
    manifest = verify(files, "packaged")
    assert manifest["files"] == file_checks(
        {k: v for k, v in files.items() if k != "manifest.json"}
    )


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("iana.jsonl", lambda data: data[:-1] + b" "),  # same length, one byte changed
        ("iana.idx", lambda data: data[:-1]),
        ("names.idx", lambda data: data + b"\0"),
        ("manifest.json", lambda data: b""),
        ("manifest.json", lambda data: data[: len(data) // 2]),
        ("manifest.json", lambda data: b"{}"),
    ],
)
def test_damaged_files_are_named(name: str, damage: Callable[[bytes], bytes]) -> None:
    files = packaged_files()
    files[name] = damage(files[name])
    with pytest.raises(DataFormatError, match=rf"{name.split('.', maxsplit=1)[0]}.*reinstall"):
        verify(files, "packaged")
