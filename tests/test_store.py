"""The data format: tables round-trip, ranges stay ranges, damage is reported, not guessed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import portinfo
from portinfo import DataFormatError, Protocol
from portinfo._data import Data
from portinfo._store import (
    DATA_FILES,
    NO_PORT,
    Row,
    Table,
    encode_table,
    file_checks,
    manifest_check,
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


def _found_both_ways(
    monkeypatch: pytest.MonkeyPatch, rows: bytes, index: bytes, keys: list[str]
) -> tuple[list[list[int]], list[list[int]]]:
    """The rows of each key as a fresh table finds them in its text (the first keys asked
    for), and as one whose list of keys is split finds them by bisection."""
    monkeypatch.setattr("portinfo._store.FINDS_BEFORE_SPLIT", len(keys) + 1)
    found, split = Table(rows, index, "found"), Table(rows, index, "split")
    split.names()
    return [list(found.named(k)) for k in keys], [list(split.named(k)) for k in keys]


@pytest.mark.parametrize("name", ["iana", "names", "uses"])
def test_a_name_is_found_in_the_text_as_in_the_split_list(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Every name of each packaged table, and near misses (a prefix, a longer name, two
    names with the newline between them, the empty name), get the same rows both ways."""
    files = packaged_files()
    rows, index = files[f"{name}.jsonl"], files[f"{name}.idx"]
    names = Table(rows, index, name).names()
    near = [n[:-1] for n in names[::50]] + [n + "x" for n in names[::50]]
    keys = [*names, *near, "", "\n".join(names[:2]), f"{names[0]}\n", f"\n{names[-1]}"]
    found, split = _found_both_ways(monkeypatch, rows, index, keys)
    assert found == split
    assert all(found[: len(names)])  # every name has rows


@given(st.lists(st.text(alphabet="ab\n", max_size=4), max_size=8), st.data())
def test_finding_a_key_in_the_text_agrees_with_bisection(
    names: list[str], data: st.DataObject
) -> None:
    kept = [name for name in names if name and "\n" not in name]
    rows = [Row([n], (name,)) for n, name in enumerate(kept)]
    asked = st.text("ab\n", max_size=5)
    key = data.draw(st.one_of(st.sampled_from(kept), asked) if kept else asked)
    with pytest.MonkeyPatch.context() as monkeypatch:
        found, split = _found_both_ways(monkeypatch, *encode_table(rows, {}), [key])
    assert found == split


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


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"date": "2026-08-17"', b'"date": "2026-08-18"'),  # IANA's date
        (b'"iana": 14533,', b'"iana": 14534,'),  # a count
        (b'"records": 14533,', b'"records": 14633,'),  # a source's count
        (b'"iana_format": "xml"', b'"iana_format": "csv"'),
        (b"do not edit by hand", b"do edit by hand"),  # the header line counts too
    ],
)
def test_a_changed_manifest_is_damage(tmp_path: Path, old: bytes, new: bytes) -> None:
    # The manifest holds the checksums of the other files, and its own: a date or a count
    # changed in a copy of the data is found as a changed table is.
    copy = tmp_path / "data"
    shutil.copytree(Path(portinfo.__file__).parent / "data", copy)
    manifest = copy / "manifest.json"
    assert manifest.read_bytes().count(old) == 1
    manifest.write_bytes(manifest.read_bytes().replace(old, new))
    files = {name: (copy / name).read_bytes() for name in DATA_FILES}
    with pytest.raises(DataFormatError, match=r"manifest\.json: .*own checksum.*reinstall"):
        verify(files, str(copy))
    with pytest.raises(DataFormatError, match="own checksum"):
        Data(files, str(copy))


def test_the_manifest_check_ignores_spacing_only() -> None:
    files = packaged_files()
    manifest = json.loads(files["manifest.json"])
    assert manifest["manifest_crc32"] == manifest_check(manifest)
    files["manifest.json"] = json.dumps(manifest, indent=4).encode()  # spaced otherwise
    assert verify(files, "packaged") == manifest
    manifest["manifest_crc32"] += 1
    files["manifest.json"] = json.dumps(manifest).encode()
    with pytest.raises(DataFormatError, match="own checksum"):
        verify(files, "packaged")


def test_data_of_an_older_format_is_named_as_such() -> None:
    files = packaged_files()
    manifest = json.loads(files["manifest.json"])
    manifest["format"] = 2
    del manifest["manifest_crc32"]
    files["manifest.json"] = json.dumps(manifest).encode()
    with pytest.raises(DataFormatError, match="data format 2, expected 3; regenerate"):
        verify(files, "old")
