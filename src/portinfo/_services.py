"""The parser of a system services file, in the ``/etc/services`` format.

Each line is ``name port/protocol [alias ...] [# comment]``. The facts are read: the
name, the port, the protocol and the aliases; and a line's comment, which only a local file
of your own uses (as its service's title: see :mod:`portinfo._local`), and which nothing
compiles into the data. Lines for protocols
other than tcp, udp, sctp and dccp (AppleTalk's ``ddp``, say) are skipped; every other line
must be well formed, or :class:`~portinfo.DataFormatError` names the file and the line.

The file is UTF-8 text; lines end at ``\\n`` (or ``\\r\\n``) only, and fields are separated
by ASCII white space only (space, tab, ``\\v``, ``\\f``, ``\\r``): a form feed never ends a
line, and a no-break space or U+2028 never splits a field, as no editor would show it so. A
port is written by the one rule of :func:`~portinfo._validate.port_from_text` (ASCII
digits, 0 to 65535); a protocol is a name of ASCII letters, digits and ``. _ + -``; a name
or alias is a service name by :func:`~portinfo._validate.is_service_name` (so that no name
holds markup, a formula or a control character).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from portinfo._enums import Protocol
from portinfo._files import (
    MAX_ALIASES,
    check_names,
    check_on_port,
    check_records,
    decode_text,
    label,
    numbered_lines,
)
from portinfo._validate import MAX_PORT, SERVICE_NAME_RULE, is_service_name, port_from_text, show
from portinfo.exceptions import DataFormatError

__all__ = ["ServicesEntry", "parse_services"]

_BLANKS = re.compile(r"[ \t\v\f\r]+")
_PROTOCOL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")


class ServicesEntry(NamedTuple):
    """One line of a services file."""

    name: str
    port: int
    protocol: Protocol
    aliases: tuple[str, ...]
    comment: str = ""
    """The text after ``#`` on the line, stripped (empty where there is none)."""


def parse_services(data: bytes, source: str) -> tuple[ServicesEntry, ...]:
    """Every entry of a services file, in file order; ``DataFormatError`` on a bad line.

    ``source`` names the file in messages, shortened if it is long (see :func:`label`)."""
    source = label(source)
    entries: list[ServicesEntry] = []
    names = 0
    for number, line in numbered_lines(decode_text(data, source)):
        body, _, comment = line.partition("#")
        fields = _BLANKS.split(body.strip(" \t\v\f\r"))
        if fields == [""]:
            continue
        if len(fields) < 2:
            raise DataFormatError(
                f"{source}: line {number}: expected 'name port/protocol', got {show(line)}"
            )
        name, where, *aliases = fields
        if len(aliases) > MAX_ALIASES:
            raise DataFormatError(
                f"{source}: line {number}: {len(aliases):,} aliases, more than the cap of"
                f" {MAX_ALIASES} on one line (the real files give 3 at most)"
            )
        port_text, slash, protocol_text = where.partition("/")
        port = port_from_text(port_text)
        if not slash or port is None:
            raise DataFormatError(
                f"{source}: line {number}: expected port/protocol with a port from 0 to"
                f" {MAX_PORT} in ASCII digits, got {show(where)}"
            )
        if _PROTOCOL_NAME.fullmatch(protocol_text) is None:
            raise DataFormatError(
                f"{source}: line {number}: expected port/protocol with a protocol name"
                f" (ASCII letters, digits and . _ + -), got {show(where)}"
            )
        try:
            protocol = Protocol(protocol_text.lower())
        except ValueError:
            continue  # ddp and other protocols that portinfo does not cover
        for each in (name, *aliases):
            if not is_service_name(each):
                raise DataFormatError(
                    f"{source}: line {number}: bad name {show(each)}: expected {SERVICE_NAME_RULE}"
                )
        names += 1 + len(aliases)
        check_records(names, "names", source)
        entries.append(ServicesEntry(name, port, protocol, tuple(aliases), comment.strip()))
    if not entries:
        raise DataFormatError(f"{source}: no tcp, udp, sctp or dccp entries: not a services file")
    check_on_port(((e.port, e.port, e.protocol) for e in entries), "lines", source)
    check_names((name for e in entries for name in (e.name, *e.aliases)), "names", source)
    return tuple(entries)
