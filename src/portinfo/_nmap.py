"""The parser of Nmap's ``nmap-services`` file.

Each line is ``name<TAB>port/protocol<TAB>open-frequency[<TAB># comment]``. Only the facts
are kept: the name, the port, the protocol and, for ranking a user's own registry, the open
frequency. Comments are dropped. None of this file's contents ship with portinfo beyond
names, ports and protocols (see the data page of the documentation).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from portinfo._enums import Protocol
from portinfo._validate import MAX_PORT
from portinfo.exceptions import DataFormatError

__all__ = ["UNKNOWN", "NmapEntry", "parse_nmap"]

UNKNOWN = "unknown"
"""Nmap's word for a port it has no name for: not a name."""


class NmapEntry(NamedTuple):
    """One line of nmap-services."""

    name: str
    port: int
    protocol: Protocol
    frequency: float


def parse_nmap(data: bytes, source: str) -> tuple[NmapEntry, ...]:
    """Every entry of an nmap-services file, in file order; ``DataFormatError`` on a bad line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataFormatError(f"{source}: not UTF-8 text ({error})") from None
    entries: list[NmapEntry] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise DataFormatError(
                f"{source}: line {number}: expected 'name<TAB>port/protocol<TAB>frequency',"
                f" got {line!r}"
            )
        name, where, frequency_text = (f.strip() for f in fields[:3])
        port_text, _, protocol_text = where.partition("/")
        try:
            port = int(port_text)
            protocol = Protocol(protocol_text.lower())
            frequency = float(frequency_text)
        except ValueError:
            raise DataFormatError(
                f"{source}: line {number}: bad port/protocol or frequency in {line!r}"
            ) from None
        if not (0 <= port <= MAX_PORT) or not name or not math.isfinite(frequency) or frequency < 0:
            raise DataFormatError(
                f"{source}: line {number}: bad name, port or frequency in {line!r}"
            )
        entries.append(NmapEntry(name, port, protocol, frequency))
    if not entries:
        raise DataFormatError(f"{source}: no entries: not an nmap-services file")
    return tuple(entries)
