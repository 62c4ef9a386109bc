"""The on-disk format of the packaged data, and the tables read from it.

A *table* is two files. ``NAME.jsonl`` holds one row per line as a JSON array, after a
first line (a JSON object) that says what made the file; it is plain text, so a data
refresh reads as a diff. ``NAME.idx`` starts with one ASCII line saying the same, then a
fixed header of counts, then the indexes as little-endian unsigned 32-bit arrays, so that
loading them costs a copy, not a parse:

==================  ===========================================================
``row_offsets``     byte offset of each row in the ``.jsonl`` file, and its end
``port_start``      for each port 0..65535, where its rows begin in ``port_rows``
``port_rows``       row numbers, port after port, in row order
``first_port``      each row's lowest port (65536 for a row with none)
``row_name``        each row's name, as its position in ``names`` (or 2**32-1)
``name_start``      for each name, where its rows begin in ``name_rows``
``name_rows``       row numbers, name after name
``target_start``    for each target, where its rows begin in ``target_rows``
``target_rows``     row numbers, target after target
``masks``           one byte per row: protocol bits (tcp 1, udp 2, sctp 4, dccp 8; 0 = all)
``groups``          one byte per row: a small number the table's kind gives it (an alias's source)
``names``           the rows' names, lower-cased and sorted, UTF-8, joined by newlines
``targets``         what rows refer to (an alias's service), in the same form
``texts``           each row's searchable text, lower-cased, one line per row
==================  ===========================================================

Rows are decoded one at a time, when a query needs them. Nothing here executes code when
read. The generator and :class:`portinfo.Registry`'s bring-your-own-file constructors both
build tables with :func:`encode_table`, so packaged and user data take the same path.
"""

from __future__ import annotations

import json
import struct
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from portinfo._enums import Protocol, Source, Status
from portinfo._records import Alias, Assignment, Person, Reference, ReferenceKind, Use
from portinfo.exceptions import DataFormatError

__all__ = [
    "DATA_FILES",
    "FORMAT_VERSION",
    "NO_PORT",
    "SOURCE_ORDER",
    "Row",
    "Table",
    "alias_from_row",
    "alias_row",
    "assignment_from_row",
    "assignment_row",
    "encode_table",
    "protocol_mask",
    "use_from_row",
    "use_row",
]

FORMAT_VERSION = 1
DATA_FILES = (
    "manifest.json",
    "people.json",
    "iana.jsonl",
    "iana.idx",
    "aliases.jsonl",
    "aliases.idx",
    "uses.jsonl",
    "uses.idx",
)
"""The files of the packaged data, all under ``portinfo/data/``."""

SOURCE_ORDER = (Source.IANA, Source.SERVICES, Source.NMAP, Source.OBSERVED)
"""The order of the sources, in the manifest and wherever a tie is broken by source."""

NO_PORT = 65536
"""``first_port`` of a row with no port: after every real port."""

_MAGIC = b"PIDX"
_PORTS = 65536
_NO_NAME = 0xFFFFFFFF
_HEADER = struct.Struct("<4s10I")
_BITS = {Protocol.TCP: 1, Protocol.UDP: 2, Protocol.SCTP: 4, Protocol.DCCP: 8}
_U32 = next(code for code in "ILH" if array(code).itemsize == 4)
_decode = json.JSONDecoder().decode  # json.loads less its per-call checks: rows are UTF-8


def protocol_mask(protocols: Iterable[Protocol | None]) -> int:
    """The protocol bits of a row; 0 when any protocol is ``None`` (the row covers all)."""
    mask = 0
    for protocol in protocols:
        if protocol is None:
            return 0
        mask |= _BITS[protocol]
    return mask


class Row(NamedTuple):
    """One row to encode: its JSON value, and what the indexes file it under."""

    value: list[Any]
    names: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    mask: int
    text: str = ""
    targets: tuple[str, ...] = ()
    group: int = 0


def _u32(values: Iterable[int]) -> bytes:
    data = array(_U32, values)
    if sys.byteorder == "big":
        data.byteswap()
    return data.tobytes()


def _compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


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


def encode_table(rows: Sequence[Row], header: Mapping[str, object]) -> tuple[bytes, bytes]:
    """Encode ``rows`` as the bytes of a ``.jsonl`` file and of its ``.idx`` file.

    ``header`` becomes the first line of both. The output depends on nothing but the input.
    """
    head = _compact(dict(header)) + b"\n"
    lines = [_compact(row.value) + b"\n" for row in rows]
    offsets = [len(head)]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    by_port: list[list[int]] = [[] for _ in range(_PORTS)]
    for number, row in enumerate(rows):
        for first, last in row.spans:
            for port in range(first, last + 1):
                by_port[port].append(number)
    port_start = [0]
    for found in by_port:
        port_start.append(port_start[-1] + len(found))
    names, name_start, name_rows = _grouped(enumerate(row.names for row in rows))
    targets, target_start, target_rows = _grouped(enumerate(row.targets for row in rows))
    position = {name: n for n, name in enumerate(names)}
    row_name = [position[row.names[0].lower()] if row.names else _NO_NAME for row in rows]
    first_port = [min((first for first, _ in row.spans), default=NO_PORT) for row in rows]
    names_blob = "\n".join(names).encode()
    targets_blob = "\n".join(targets).encode()
    texts_blob = "\n".join(" ".join(row.text.lower().split()) for row in rows).encode()

    index_head = b"# " + json.dumps(dict(header), sort_keys=True).encode("ascii") + b"\n"
    counts = (
        len(rows),
        port_start[-1],
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
            _u32(port_start),
            _u32(n for found in by_port for n in found),
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
    """A sorted list of keys with the rows filed under each (names, or targets)."""

    __slots__ = ("_rows", "_start")

    def __init__(self, blob: bytes, start: array[int], rows: array[int]) -> None:
        super().__init__(blob)
        self._start, self._rows = start, rows

    def keys(self) -> list[str]:
        return self.lines()

    def rows(self, key: str) -> Sequence[int]:
        keys = self.keys()
        position = bisect_left(keys, key)
        if position == len(keys) or keys[position] != key:
            return ()
        return self._rows[self._start[position] : self._start[position + 1]]


class Table:
    """A read-only view of one encoded table; decodes rows on demand."""

    __slots__ = (
        "_blob",
        "_names",
        "_row_name",
        "_targets",
        "_texts",
        "first_port",
        "groups",
        "header",
        "masks",
        "offsets",
        "port_rows",
        "port_start",
    )

    def __init__(self, rows: bytes, index: bytes, source: str) -> None:
        try:
            self.header: dict[str, Any] = json.loads(rows[: rows.index(b"\n")])
            cut = index.index(b"\n") + 1
            magic, version, *counts = _HEADER.unpack_from(index, cut)
        except (ValueError, struct.error) as error:
            raise DataFormatError(f"{source}: not a portinfo data table ({error})") from None
        if magic != _MAGIC or version != FORMAT_VERSION:
            raise DataFormatError(
                f"{source}: data format {magic!r} version {version}, expected {_MAGIC!r}"
                f" version {FORMAT_VERSION}; regenerate it with tools/generate.py"
            )
        n_rows, n_port, n_names, n_name_rows, n_targets, n_target_rows = counts[:6]
        n_names_blob, n_targets_blob, n_texts = counts[6:]
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
        self.offsets = take(n_rows + 1)
        self.port_start = take(_PORTS + 1)
        """For each port, where its rows begin in ``port_rows`` (and, at ``port + 1``, end)."""
        self.port_rows = take(n_port)
        """The rows of each port, port after port."""
        self.first_port = take(n_rows)
        self._row_name = take(n_rows)
        name_start, name_rows = take(n_names + 1), take(n_name_rows)
        target_start, target_rows = take(n_targets + 1), take(n_target_rows)
        self.masks = chunk(n_rows)
        self.groups = chunk(n_rows)
        self._names = _Keys(chunk(n_names_blob), name_start, name_rows)
        self._targets = _Keys(chunk(n_targets_blob), target_start, target_rows)
        self._texts = _Lines(chunk(n_texts))
        if position != len(index) or self.offsets[-1] != len(rows):
            raise DataFormatError(f"{source}: the index does not match its rows (truncated?)")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def row(self, number: int) -> Any:
        """The JSON value of row ``number``."""
        offsets = self.offsets
        return _decode(self._blob[offsets[number] : offsets[number + 1]].decode())

    def at_port(self, port: int) -> Sequence[int]:
        """The row numbers that cover ``port``, in row order."""
        start = self.port_start
        first, end = start[port], start[port + 1]
        return self.port_rows[first:end] if first != end else ()

    def names(self) -> list[str]:
        """Every row name, lower-cased and sorted."""
        return self._names.keys()

    def named(self, name: str) -> Sequence[int]:
        """The rows called ``name`` (lower-cased), in row order."""
        return self._names.rows(name)

    def targeting(self, name: str) -> Sequence[int]:
        """The rows that refer to ``name`` (lower-cased), in row order."""
        return self._targets.rows(name)

    def row_name(self, number: int) -> str | None:
        """The lower-cased name of row ``number``, without decoding the row."""
        position = self._row_name[number]
        return None if position == _NO_NAME else self._names.keys()[position]

    def names_containing(self, needle: str) -> list[str]:
        """The row names (lower-cased) that contain ``needle``."""
        return [name for _, name in self._names.containing(needle)]

    def texts_containing(self, needle: str) -> Iterator[tuple[int, str]]:
        """The rows whose searchable text contains ``needle``, with that text."""
        return self._texts.containing(needle)


# --- rows of each kind of record -------------------------------------------------------------


def _person(person: Person) -> list[str | None]:
    return [person.id, person.name, person.organization]


def assignment_row(a: Assignment) -> Row:
    """Encode one IANA record."""
    value = [
        a.service,
        None if a.protocol is None else a.protocol.value,
        a.first,
        a.last,
        a.description,
        a.status.value,
        [_person(p) for p in a.assignees],
        [_person(p) for p in a.contacts],
        a.registered,
        a.modified,
        [[r.kind.value, r.value, r.title] for r in a.references],
        a.notes,
        a.service_code,
        a.unauthorized,
        a.alias_of,
    ]
    spans = () if a.first is None or a.last is None else ((a.first, a.last),)
    names = (a.service,) if a.service else ()
    return Row(value, names, spans, protocol_mask([a.protocol]), a.description)


def assignment_from_row(value: list[Any]) -> Assignment:
    """Decode one IANA record."""
    (service, protocol, first, last, description, status, assignees, contacts) = value[:8]
    (registered, modified, references, notes, code, unauthorized, alias_of) = value[8:]
    return Assignment(
        service=service,
        protocol=None if protocol is None else Protocol(protocol),
        first=first,
        last=last,
        description=description,
        status=Status(status),
        assignees=tuple(Person(*p) for p in assignees),
        contacts=tuple(Person(*p) for p in contacts),
        registered=registered,
        modified=modified,
        references=tuple(Reference(ReferenceKind(k), v, t) for k, v, t in references),
        notes=notes,
        service_code=code,
        unauthorized=unauthorized,
        alias_of=alias_of,
    )


def alias_row(alias: Alias) -> Row:
    """Encode one alias."""
    value = [
        alias.name,
        alias.source.value,
        None if alias.protocol is None else alias.protocol.value,
        alias.port,
        alias.service,
    ]
    spans = () if alias.port is None else ((alias.port, alias.port),)
    # Filed under its service as a target, so that a service's aliases are one lookup away.
    targets = () if alias.service is None else (alias.service,)
    group = SOURCE_ORDER.index(alias.source)
    return Row(value, (alias.name,), spans, protocol_mask([alias.protocol]), "", targets, group)


def alias_from_row(value: list[Any]) -> Alias:
    """Decode one alias."""
    name, source, protocol, port, service = value
    return Alias(
        name, Source(source), None if protocol is None else Protocol(protocol), port, service
    )


def use_row(use: Use) -> Row:
    """Encode one observed use."""
    value = [
        use.name,
        use.title,
        [list(span) for span in use.ports],
        [p.value for p in use.protocols],
        use.category,
        use.description,
        use.source,
    ]
    text = f"{use.title} {use.description}"
    return Row(value, (use.name,), use.ports, protocol_mask(use.protocols), text)


def use_from_row(value: list[Any]) -> Use:
    """Decode one observed use."""
    name, title, ports, protocols, category, description, source = value
    return Use(
        name,
        title,
        tuple((first, last) for first, last in ports),
        tuple(Protocol(p) for p in protocols),
        category,
        description,
        source,
    )
