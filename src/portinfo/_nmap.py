"""The parser of Nmap's ``nmap-services`` file.

Each line is ``name<TAB>port/protocol<TAB>open-frequency[<TAB># comment]``. Only the facts
are kept: the name, the port, the protocol and, for ranking a user's own registry, the open
frequency. Comments are dropped. None of this file's contents ship with portinfo beyond
names, ports and protocols (see the data page of the documentation).

The file is UTF-8 text; lines end at ``\\n`` (or ``\\r\\n``) only. Every line that is not
blank or a comment must be well formed, or :class:`~portinfo.DataFormatError` names the file
and the line: the name is a service name by :func:`~portinfo._validate.is_service_name`,
the port is written by the one rule of
:func:`~portinfo._validate.port_from_text` (ASCII digits, 0 to 65535), the protocol is tcp,
udp, sctp or dccp, and the frequency is a decimal number of 0 or more in ASCII (``0.123456``,
``1e-05``), at most 64 characters long. ASCII blanks around a field are ignored.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from portinfo._enums import Protocol
from portinfo._files import (
    check_names,
    check_on_port,
    check_records,
    decode_text,
    label,
    numbered_lines,
)
from portinfo._validate import MAX_PORT, SERVICE_NAME_RULE, is_service_name, port_from_text, show
from portinfo.exceptions import DataFormatError

__all__ = ["UNKNOWN", "NmapEntry", "parse_nmap"]

UNKNOWN = "unknown"
"""Nmap's word for a port it has no name for: not a name."""

_BLANKS = " \v\f\r"
_FREQUENCY = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_FREQUENCY_LENGTH = 64
_PROTOCOLS = ", ".join(p.value for p in Protocol)


class NmapEntry(NamedTuple):
    """One line of nmap-services."""

    name: str
    port: int
    protocol: Protocol
    frequency: float


def _frequency(text: str) -> float | None:
    """The open frequency that ``text`` writes, or ``None`` if it is not one."""
    if len(text) > _FREQUENCY_LENGTH or _FREQUENCY.fullmatch(text) is None:
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def parse_nmap(data: bytes, source: str) -> tuple[NmapEntry, ...]:
    """Every entry of an nmap-services file, in file order; ``DataFormatError`` on a bad line.

    ``source`` names the file in messages, shortened if it is long (see :func:`label`)."""
    source = label(source)
    entries: list[NmapEntry] = []
    for number, line in numbered_lines(decode_text(data, source)):
        if not line.strip(_BLANKS + "\t") or line.lstrip(_BLANKS + "\t").startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise DataFormatError(
                f"{source}: line {number}: expected 'name<TAB>port/protocol<TAB>frequency',"
                f" got {show(line)}"
            )
        name, where, frequency_text = (f.strip(_BLANKS) for f in fields[:3])
        if not name:
            raise DataFormatError(f"{source}: line {number}: bad name: the name is empty")
        if not is_service_name(name):
            raise DataFormatError(
                f"{source}: line {number}: bad name {show(name)}: expected {SERVICE_NAME_RULE}"
            )
        port_text, _, protocol_text = where.partition("/")
        port = port_from_text(port_text)
        try:
            protocol = Protocol(protocol_text.lower())
        except ValueError:
            protocol = None
        if port is None or protocol is None:
            raise DataFormatError(
                f"{source}: line {number}: bad port/protocol {show(where)}: expected a port"
                f" from 0 to {MAX_PORT} in ASCII digits, '/' and one of {_PROTOCOLS}"
            )
        frequency = _frequency(frequency_text)
        if frequency is None:
            raise DataFormatError(
                f"{source}: line {number}: bad frequency {show(frequency_text)}: expected a"
                " decimal number, 0 or more, such as 0.123456"
            )
        entries.append(NmapEntry(name, port, protocol, frequency))
        check_records(len(entries), "entries", source)
    if not entries:
        raise DataFormatError(f"{source}: no entries: not an nmap-services file")
    check_on_port(((e.port, e.port, e.protocol) for e in entries), "entries", source)
    check_names((e.name for e in entries if e.name.lower() != UNKNOWN), "entries", source)
    return tuple(entries)
