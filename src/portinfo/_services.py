"""The parser of a system services file, in the ``/etc/services`` format.

Each line is ``name port/protocol [alias ...] [# comment]``. Only the facts are read: the
name, the port, the protocol and the aliases. Comments are dropped. Lines for protocols
other than tcp, udp, sctp and dccp (AppleTalk's ``ddp``, say) are skipped.
"""

from __future__ import annotations

from typing import NamedTuple

from portinfo._enums import Protocol
from portinfo._validate import MAX_PORT
from portinfo.exceptions import DataFormatError

__all__ = ["ServicesEntry", "parse_services"]


class ServicesEntry(NamedTuple):
    """One line of a services file."""

    name: str
    port: int
    protocol: Protocol
    aliases: tuple[str, ...]


def parse_services(data: bytes, source: str) -> tuple[ServicesEntry, ...]:
    """Every entry of a services file, in file order; ``DataFormatError`` on a bad line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataFormatError(f"{source}: not UTF-8 text ({error})") from None
    entries: list[ServicesEntry] = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.partition("#")[0].split()
        if not fields:
            continue
        if len(fields) < 2:
            raise DataFormatError(
                f"{source}: line {number}: expected 'name port/protocol', got {line!r}"
            )
        name, where, *aliases = fields
        port_text, slash, protocol_text = where.partition("/")
        if not (
            slash and port_text.isascii() and port_text.isdigit() and int(port_text) <= MAX_PORT
        ):
            raise DataFormatError(
                f"{source}: line {number}: expected port/protocol with a port from 0 to"
                f" {MAX_PORT}, got {where!r}"
            )
        try:
            protocol = Protocol(protocol_text.lower())
        except ValueError:
            continue  # ddp and other protocols that portinfo does not cover
        entries.append(ServicesEntry(name, int(port_text), protocol, tuple(aliases)))
    if not entries:
        raise DataFormatError(f"{source}: no tcp, udp, sctp or dccp entries: not a services file")
    return tuple(entries)
