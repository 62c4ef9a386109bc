"""The on-disk format of the compiled data, and the read-only tables read from it.

The data are a few *tables* and a manifest. A table is two files. ``NAME.jsonl`` holds one
row per line as a JSON array, after a first line (a JSON object) that says what made the
file; it is plain text, so a data refresh reads as a diff. ``NAME.idx`` starts with one
ASCII line saying the same, then a fixed header of counts, then the indexes as
little-endian unsigned 32-bit arrays, so that loading them costs a copy, not a parse:

==================  ===========================================================
``row_offsets``     byte offset of each row after the ``.jsonl`` file's first line, and
                    its end (so the indexes do not depend on that line)
``seg_first``       the first port of each *segment*: the ports 0..65535 cut where the
                    set of rows that cover a port changes (ranges stay ranges)
``seg_start``       for each segment, where its rows begin in ``seg_rows``
``seg_rows``        row numbers, segment after segment, in row order
``first_port``      each row's lowest port (65536 for a row with none)
``row_name``        each row's name, as its position in ``names`` (or 2**32-1)
``name_start``      for each name, where its rows begin in ``name_rows``
``name_rows``       row numbers, name after name
``target_start``    for each target, where its rows begin in ``target_rows``
``target_rows``     row numbers, target after target
``masks``           one byte per row: protocol bits (tcp 1, udp 2, sctp 4, dccp 8; 0 = all)
``groups``          one byte per row: a small number the table's kind gives it: the
                    source of a name or a use; in ``iana``, the prominence bits
                    (``LEAD`` 1, ``PORT_LEAD`` 2: the row's service is the one people
                    mean on its port and protocol, or on its port with no protocol
                    asked; see :mod:`portinfo._prominence`)
``names``           the rows' names, lower-cased and sorted, UTF-8, joined by newlines
``targets``         what rows refer to (an alias's service), in the same form
``texts``           each row's searchable text, lower-cased, one line per row
==================  ===========================================================

``manifest.json`` says where the data come from (each input's file, date, sha256 and
count) and holds the size and CRC-32 of every other file, checked when the files are
first read, so that a damaged installation is an error, not a wrong answer. It checks
itself too: ``manifest_crc32`` is the CRC-32 of the rest of its content (every other key,
``_header`` included, as compact JSON with sorted keys: :func:`manifest_check`), so a
changed date or count is found as a changed file is, whatever the spacing.

Nothing here executes code when read. The packaged files are read with
``importlib.resources``, so the package works from a wheel, a directory or a zip.
"""

from __future__ import annotations

import json
import struct
import sys
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from portinfo._enums import Protocol
from portinfo._validate import show
from portinfo.exceptions import DataFormatError

__all__ = [
    "DATA_FILES",
    "FINDS_BEFORE_SPLIT",
    "FORMAT_VERSION",
    "LOCAL_FILES",
    "LOCAL_TABLE",
    "NO_PORT",
    "PROTOCOL_BITS",
    "TABLES",
    "Row",
    "Table",
    "encode_json",
    "encode_table",
    "file_checks",
    "manifest_check",
    "packaged_files",
    "protocol_mask",
    "regrouped",
    "reheaded",
    "segments",
    "verify",
]

FORMAT_VERSION = 3
"""The version of the data format. It changes when a reader of the version before would
misread the data or fail on them; a key added to the manifest that older readers ignore
and newer ones take as optional (an IANA source's ``newest_record``) leaves it as it is."""
TABLES = ("iana", "people", "names", "uses")
"""The tables of the data: IANA's records, the people they name, the other names of ports
(services files, Nmap, IANA's alias rows) and the curated observed uses."""
DATA_FILES = (
    "manifest.json",
    "footnotes.json",
    *(f"{table}.{kind}" for table in TABLES for kind in ("jsonl", "idx")),
)
"""The files of the data, all under ``portinfo/data/`` for the packaged copy."""
LOCAL_TABLE = "local"
"""The table of your own services, compiled from local files: only a registry that has
some has its two files (``local.jsonl``, ``local.idx``), which the manifest lists and
checks as it does the others. The packaged data have none."""
LOCAL_FILES = (f"{LOCAL_TABLE}.jsonl", f"{LOCAL_TABLE}.idx")

NO_PORT = 65536
"""``first_port`` of a row with no port: after every real port."""

PROTOCOL_BITS = {Protocol.TCP: 1, Protocol.UDP: 2, Protocol.SCTP: 4, Protocol.DCCP: 8}
"""Each protocol's bit in a row's mask; the one definition of them."""

_PORTS = 65536
FINDS_BEFORE_SPLIT = 8
"""How many keys a table's list of names is searched for as text before it is split."""
_ONES = memoryview(b"\x01" * _PORTS)  # coverage's runs of 1, sliced without a copy
_MAGIC = b"PIDX"
_NO_NAME = 0xFFFFFFFF
_HEADER = struct.Struct("<4s11I")
_U32 = next(code for code in "ILH" if array(code).itemsize == 4)
_decode = json.JSONDecoder().decode  # json.loads less its per-call checks: rows are UTF-8
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # json.dumps,
# less the making of an encoder for each of a compile's some 20,000 rows
_REINSTALL = (
    "the installation of portinfo is damaged; reinstall it"
    " (python -m pip install --force-reinstall pyportinfo)"
)
_SAVE_AGAIN = "the saved registry is damaged; save it again (Registry.save) or remove it"


def protocol_mask(protocols: Iterable[Protocol | None]) -> int:
    """The protocol bits of a row; 0 when any protocol is ``None`` (the row covers all)."""
    mask = 0
    for protocol in protocols:
        if protocol is None:
            return 0
        mask |= PROTOCOL_BITS[protocol]
    return mask


class Row(NamedTuple):
    """One row to encode: its JSON value, and what the indexes file it under."""

    value: list[Any]
    names: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    mask: int = 0
    text: str = ""
    targets: tuple[str, ...] = ()
    group: int = 0


# --- writing -----------------------------------------------------------------------------


def _u32(values: Iterable[int]) -> bytes:
    data = array(_U32, values)
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def _compact(value: object) -> bytes:
    return _encode(value).encode()


def encode_json(header: Mapping[str, object], body: Mapping[str, object]) -> bytes:
    """Indented JSON whose first line holds the header, so that it says what made the file."""
    rest = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True)
    first = json.dumps({"_header": header}, sort_keys=True)[:-1]
    return f"{first},{rest[1:]}\n".encode()


def _grouped(keys: Iterable[tuple[int, Iterable[str]]]) -> tuple[list[str], list[int], list[int]]:
    """Sorted lower-cased keys, and the CSR arrays of the rows filed under each."""
    by_key: dict[str, list[int]] = {}
    for number, names in keys:
        for name in names:
            found = by_key.setdefault(name.lower(), [])
            if not found or found[-1] != number:
                found.append(number)
    ordered = sorted(by_key)
    start = [0]
    for key in ordered:
        start.append(start[-1] + len(by_key[key]))
    return ordered, start, [n for key in ordered for n in by_key[key]]


def segments(
    spans: Sequence[Sequence[tuple[int, int]]],
) -> tuple[list[int], list[int], list[int]]:
    """The segments of 0..65535 and the rows covering each, as CSR arrays.

    ``spans[n]`` are row ``n``'s ``(first, last)`` port spans. A segment ends where some
    row's span begins or ends, so the work and the size follow the number of spans, not
    the number of ports they cover: ranges stay ranges.
    """
    cuts = {0}
    for row_spans in spans:
        for first, last in row_spans:
            cuts.add(first)
            if last + 1 < _PORTS:
                cuts.add(last + 1)
    firsts = sorted(cuts)
    covering: list[list[int]] = [[] for _ in firsts]
    for number, row_spans in enumerate(spans):
        for first, last in row_spans:
            end = bisect_right(firsts, last)
            for segment in range(bisect_left(firsts, first), end):
                found = covering[segment]
                if not found or found[-1] != number:  # a row's spans may overlap
                    found.append(number)
    start = [0]
    for found in covering:
        start.append(start[-1] + len(found))
    return firsts, start, [n for found in covering for n in found]


def encode_table(rows: Sequence[Row], header: Mapping[str, object]) -> tuple[bytes, bytes]:
    """Encode ``rows`` as the bytes of a ``.jsonl`` file and of its ``.idx`` file.

    ``header`` becomes the first line of both. The output depends on nothing but the input.
    """
    head, index_head = _header_lines(header)
    lines = [_compact(row.value) + b"\n" for row in rows]
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    seg_first, seg_start, seg_rows = segments([row.spans for row in rows])
    names, name_start, name_rows = _grouped(enumerate(row.names for row in rows))
    targets, target_start, target_rows = _grouped(enumerate(row.targets for row in rows))
    position = {name: n for n, name in enumerate(names)}
    row_name = [position[row.names[0].lower()] if row.names else _NO_NAME for row in rows]
    first_port = [min((first for first, _ in row.spans), default=NO_PORT) for row in rows]
    names_blob = "\n".join(names).encode()
    targets_blob = "\n".join(targets).encode()
    texts_blob = "\n".join(" ".join(row.text.lower().split()) for row in rows).encode()
    counts = (
        len(rows),
        len(seg_first),
        len(seg_rows),
        len(names),
        len(name_rows),
        len(targets),
        len(target_rows),
        len(names_blob),
        len(targets_blob),
        len(texts_blob),
    )
    index = b"".join(
        (
            index_head,
            _HEADER.pack(_MAGIC, FORMAT_VERSION, *counts),
            _u32(offsets),
            _u32(seg_first),
            _u32(seg_start),
            _u32(seg_rows),
            _u32(first_port),
            _u32(row_name),
            _u32(name_start),
            _u32(name_rows),
            _u32(target_start),
            _u32(target_rows),
            bytes(row.mask for row in rows),
            bytes(row.group for row in rows),
            names_blob,
            targets_blob,
            texts_blob,
        )
    )
    return head + b"".join(lines), index


def _header_lines(header: Mapping[str, object]) -> tuple[bytes, bytes]:
    """The first line of a table's ``.jsonl`` file and of its ``.idx`` file."""
    return (
        _compact(dict(header)) + b"\n",
        b"# " + json.dumps(dict(header), sort_keys=True).encode("ascii") + b"\n",
    )


def reheaded(rows: bytes, index: bytes, header: Mapping[str, object]) -> tuple[bytes, bytes]:
    """The files of an encoded table, with ``header`` as their first line in place of their
    own: what :func:`encode_table` writes of the same rows under that header, since nothing
    after the first line depends on it (a compile reuses a table its inputs left as it was)."""
    head, index_head = _header_lines(header)
    return head + rows[rows.index(b"\n") + 1 :], index_head + index[index.index(b"\n") + 1 :]


def regrouped(index: bytes, groups: bytes) -> bytes:
    """An encoded ``.idx`` file with each row's group byte replaced by those of ``groups``:
    what :func:`encode_table` writes of the same rows with these groups."""
    cut = index.index(b"\n") + 1
    n_rows, n_segments, n_seg_rows, n_names, n_name_rows, n_targets, n_target_rows = (
        _HEADER.unpack_from(index, cut)[2:9]
    )
    if len(groups) != n_rows:
        raise ValueError(f"{n_rows} rows need as many group bytes, got {len(groups)}")
    arrays = 3 * n_rows + 2 * n_segments + n_seg_rows + n_names + n_name_rows + n_targets
    start = cut + _HEADER.size + 4 * (arrays + n_target_rows + 4) + n_rows  # after the masks
    return index[:start] + groups + index[start + n_rows :]


def file_checks(files: Mapping[str, bytes]) -> dict[str, dict[str, int]]:
    """The manifest's size and CRC-32 of each file, to tell a damaged file from a good one."""
    return {
        name: {"bytes": len(data), "crc32": zlib.crc32(data)}
        for name, data in sorted(files.items())
    }


def manifest_check(manifest: Mapping[str, object]) -> int:
    """The CRC-32 that a manifest holds of itself, as ``manifest_crc32``: that of its other
    keys (its ``_header`` included), as compact JSON with sorted keys."""
    rest = {key: value for key, value in manifest.items() if key != "manifest_crc32"}
    text = json.dumps(rest, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return zlib.crc32(text.encode())


# --- reading -----------------------------------------------------------------------------


def packaged_files() -> dict[str, bytes]:
    """The bytes of every packaged data file, read with ``importlib.resources``."""
    if sys.version_info >= (3, 10):
        from importlib.resources import files  # noqa: PLC0415  # only on the first query
    else:  # pragma: no cover - Python 3.9 takes the backport (see pyproject.toml)
        from importlib_resources import files  # noqa: PLC0415

    root = files("portinfo").joinpath("data")
    try:
        return {name: root.joinpath(name).read_bytes() for name in DATA_FILES}
    except OSError as error:
        raise DataFormatError(f"portinfo/data: {error}: {_REINSTALL}") from None


def verify(files: Mapping[str, bytes], where: str, *, saved: bool = False) -> dict[str, Any]:
    """The decoded manifest, once every other file has matched its size and CRC-32 in it.

    Raises :class:`~portinfo.DataFormatError` saying which file is damaged and how to
    repair the installation, or (``saved``) the saved registry in ``where``.
    """
    remedy = _SAVE_AGAIN if saved else _REINSTALL
    try:
        manifest = json.loads(files["manifest.json"])
        checks = manifest["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise DataFormatError(f"{where}/manifest.json: unreadable ({error}): {remedy}") from None
    if not isinstance(checks, dict):
        raise DataFormatError(f"{where}/manifest.json: no file checks: {remedy}")
    if manifest.get("format") != FORMAT_VERSION:
        raise DataFormatError(
            f"{where}/manifest.json: data format {show(manifest.get('format'))}, expected"
            f" {FORMAT_VERSION}; "
            + ("save the registry again" if saved else "regenerate the data with tools/generate.py")
        )
    if manifest.get("manifest_crc32") != manifest_check(manifest):
        raise DataFormatError(
            f"{where}/manifest.json: its content differs from its own checksum: {remedy}"
        )
    for name, data in files.items():
        if name == "manifest.json":
            continue
        expected = checks.get(name)
        if expected != {"bytes": len(data), "crc32": zlib.crc32(data)}:
            raise DataFormatError(
                f"{where}/{name}: its size or checksum differs from the manifest's: {remedy}"
            )
    return manifest  # type: ignore[no-any-return]


class _Lines:
    """Lines of UTF-8 text, decoded on first use, searchable by substring in C."""

    __slots__ = ("_blob", "_list", "_text")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._text: str | None = None
        self._list: list[str] | None = None

    def text(self) -> str:
        if self._text is None:
            self._text = self._blob.decode()
        return self._text

    def lines(self) -> list[str]:
        if self._list is None:
            self._list = self.text().split("\n") if self._blob else []
        return self._list

    def containing(self, needle: str) -> Iterator[tuple[int, str]]:
        """Each line that contains ``needle`` (which holds no newline), with its number."""
        text = self.text()
        number = counted = 0
        position = text.find(needle) if needle else -1
        while position >= 0:
            start = text.rfind("\n", 0, position) + 1
            end = text.find("\n", position)
            end = len(text) if end < 0 else end
            number += text.count("\n", counted, start)
            counted = start
            yield number, text[start:end]
            position = text.find(needle, end + 1)


class _Keys(_Lines):
    """A sorted list of keys with the rows filed under each (names, or targets).

    The first :data:`FINDS_BEFORE_SPLIT` keys asked for are found in the text, by one
    search in C; later ones by bisecting the list of keys, split once (IANA's 7,000 names
    take some 0.4 ms to split, a tenth of a first ``resolve``).
    """

    __slots__ = ("_finds", "_rows", "_start")

    def __init__(self, blob: bytes, start: array[int], rows: array[int]) -> None:
        super().__init__(blob)
        self._start, self._rows = start, rows
        self._finds = 0

    def rows(self, key: str) -> Sequence[int]:
        if self._list is None and self._finds < FINDS_BEFORE_SPLIT:
            self._finds += 1
            number = self._line_of(key)
        else:
            keys = self.lines()
            number = bisect_left(keys, key)
            if number == len(keys) or keys[number] != key:
                number = -1
        return () if number < 0 else self._rows[self._start[number] : self._start[number + 1]]

    def _line_of(self, key: str) -> int:
        """The number of the line that is ``key``, or -1: without splitting the text."""
        text = self.text()
        if not text or "\n" in key:
            return -1
        if text.startswith(f"{key}\n") or text == key:
            return 0
        position = text.find(f"\n{key}\n")
        if position >= 0:
            return text.count("\n", 0, position + 1)
        return text.count("\n") if text.endswith(f"\n{key}") else -1


class Table:
    """A read-only view of one encoded table; decodes rows on demand."""

    __slots__ = (
        "_base",
        "_blob",
        "_names",
        "_row_name",
        "_targets",
        "_texts",
        "first_port",
        "groups",
        "masks",
        "offsets",
        "seg_first",
        "seg_rows",
        "seg_start",
    )

    def __init__(self, rows: bytes, index: bytes, source: str) -> None:
        try:
            cut = index.index(b"\n") + 1
            magic, version, *counts = _HEADER.unpack_from(index, cut)
        except (ValueError, struct.error) as error:
            raise DataFormatError(f"{source}: not a portinfo data table ({error})") from None
        if magic != _MAGIC or version != FORMAT_VERSION:
            raise DataFormatError(
                f"{source}: data format {magic!r} version {version}, expected {_MAGIC!r}"
                f" version {FORMAT_VERSION}; regenerate it with tools/generate.py"
            )
        n_rows, n_segments, n_seg_rows, n_names, n_name_rows = counts[:5]
        n_targets, n_target_rows, n_names_blob, n_targets_blob, n_texts = counts[5:]
        position = cut + _HEADER.size

        def take(count: int) -> array[int]:
            nonlocal position
            values = array(_U32)
            values.frombytes(index[position : position + 4 * count])
            if sys.byteorder == "big":
                values.byteswap()
            position += 4 * count
            return values

        def chunk(size: int) -> bytes:
            nonlocal position
            position += size
            return index[position - size : position]

        self._blob = rows
        self._base = rows.find(b"\n") + 1  # the rows start after the header line
        self.offsets = take(n_rows + 1)
        # A list, not an array: bisect reads a list's items without making int objects.
        self.seg_first: list[int] = take(n_segments).tolist()
        self.seg_start = take(n_segments + 1)
        self.seg_rows = take(n_seg_rows)
        self.first_port = take(n_rows)
        self._row_name = take(n_rows)
        name_start, name_rows = take(n_names + 1), take(n_name_rows)
        target_start, target_rows = take(n_targets + 1), take(n_target_rows)
        self.masks = chunk(n_rows)
        self.groups = chunk(n_rows)
        self._names = _Keys(chunk(n_names_blob), name_start, name_rows)
        self._targets = _Keys(chunk(n_targets_blob), target_start, target_rows)
        self._texts = _Lines(chunk(n_texts))
        if position != len(index) or self._base + self.offsets[-1] != len(rows):
            raise DataFormatError(f"{source}: the index does not match its rows (truncated?)")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def row(self, number: int) -> Any:
        """The JSON value of row ``number``."""
        base, offsets = self._base, self.offsets
        return _decode(self._blob[base + offsets[number] : base + offsets[number + 1]].decode())

    def at_port(self, port: int) -> Sequence[int]:
        """The row numbers that cover ``port``, in row order."""
        segment = bisect_right(self.seg_first, port) - 1
        start = self.seg_start
        first, end = start[segment], start[segment + 1]
        return self.seg_rows[first:end] if first != end else ()

    def coverage(self) -> bytearray:
        """One byte per port, 1 where some row covers it: a test faster than a bisect, for
        tables whose rows cover few ports."""
        covered = bytearray(_PORTS)
        firsts, starts = self.seg_first, self.seg_start.tolist()
        ends = [*firsts[1:], _PORTS]
        for first, end, start, stop in zip(firsts, ends, starts, starts[1:]):
            if start != stop:  # a segment that some row covers
                covered[first:end] = _ONES[: end - first]
        return covered

    def names(self) -> list[str]:
        """Every row name, lower-cased and sorted."""
        return self._names.lines()

    def named(self, name: str) -> Sequence[int]:
        """The rows called ``name`` (lower-cased), in row order."""
        return self._names.rows(name)

    def targeting(self, name: str) -> Sequence[int]:
        """The rows that refer to ``name`` (lower-cased), in row order."""
        return self._targets.rows(name)

    def row_name(self, number: int) -> str | None:
        """The lower-cased name of row ``number``, without decoding the row."""
        position = self._row_name[number]
        return None if position == _NO_NAME else self._names.lines()[position]

    def names_containing(self, needle: str) -> list[str]:
        """The row names (lower-cased) that contain ``needle``."""
        return [name for _, name in self._names.containing(needle)]

    def texts_containing(self, needle: str) -> Iterator[tuple[int, str]]:
        """The rows whose searchable text contains ``needle``, with that text."""
        return self._texts.containing(needle)
