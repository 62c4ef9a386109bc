"""The parsers of your own port files (the local source): a TOML file, and a services file.

A local file holds the names you give your own services' ports, which come first wherever
portinfo shows one name of a port. It is in one of two formats, told apart by its name:

- a file whose name ends in ``.toml`` holds one ``[[service]]`` table per service, read by
  :func:`parse_local_toml`. The keys are those of the observed-uses file's ``[[use]]``
  (``sources/observed-uses.toml``) where they mean the same thing: ``name``, ``ports``
  (ints, and ``"first-last"`` strings for a block), ``protocols``, ``title`` and
  ``description``; and ``url`` for where its documentation is, ``aliases`` for its other
  names. ``name``, ``ports`` and ``protocols`` are required; a service of your own needs
  no category, no source to cite, and no separate wide ranges;
- any other file is a services file (``name port/protocol [alias ...] # comment``), as
  administrators keep them, read by :func:`portinfo._services.parse_services`, the one
  parser of that format: each line is a service, its comment the title.

Both are checked whole before anything is built: a bad entry raises
:class:`~portinfo.DataFormatError` naming the file and the line, and the caps of
:mod:`portinfo._files` hold as for every other file.
"""

from __future__ import annotations

import os
import re
from typing import Any

from portinfo._enums import Protocol
from portinfo._files import check_names, check_on_port, check_records, label
from portinfo._observed import checked_table, list_field, load_toml, port_span
from portinfo._own import LocalService
from portinfo._services import parse_services
from portinfo._validate import SERVICE_NAME_RULE, is_service_name, show
from portinfo.exceptions import DataFormatError

__all__ = ["TABLE", "is_toml", "parse_local", "parse_local_services", "parse_local_toml"]

TABLE = "service"
"""The name of the tables of a local TOML file: ``[[service]]``."""
_REQUIRED = frozenset({"name", "ports", "protocols"})
_OPTIONAL = frozenset({"title", "description", "url", "aliases"})
_HEADER = re.compile(rf"^[ \t]*\[\[[ \t]*{TABLE}[ \t]*\]\]", re.MULTILINE)


def is_toml(path: str) -> bool:
    """Whether the local file at ``path`` is read as TOML (its name ends in ``.toml``)."""
    return path.lower().endswith(".toml")


def parse_local(data: bytes, path: str) -> tuple[LocalService, ...]:
    """The services of the local file ``path`` whose bytes are ``data``, in file order, in
    the format its name says (see the module)."""
    parse = parse_local_toml if is_toml(path) else parse_local_services
    return parse(data, path)


def parse_local_services(data: bytes, path: str) -> tuple[LocalService, ...]:
    """A services file's lines as your own services: a line's comment is its title."""
    file = os.path.basename(path) or path
    return tuple(
        LocalService(
            entry.name,
            ((entry.port, entry.port),),
            (entry.protocol,),
            entry.comment or None,
            aliases=entry.aliases,
            file=file,
        )
        for entry in parse_services(data, path)
    )


def parse_local_toml(data: bytes, path: str) -> tuple[LocalService, ...]:
    """Every ``[[service]]`` table of a local TOML file; ``DataFormatError`` on a bad one."""
    source = label(path)
    document = load_toml(data, source)
    entries = document.get(TABLE)
    if not (isinstance(entries, list) and entries):
        hint = (
            " (its [[use]] tables are observed uses: give it as uses=)" if "use" in document else ""
        )
        raise DataFormatError(f"{source}: no [[{TABLE}]] tables{hint}")
    extra = sorted(set(document) - {TABLE})
    if extra:
        raise DataFormatError(
            f"{source}: unknown key {show(extra[0])}: a local file holds [[{TABLE}]] tables only"
        )
    check_records(len(entries), "services", source)
    # The line of each table's header, where every table is one (not an inline table).
    text = data.decode("utf-8-sig")
    lines = [text.count("\n", 0, m.start()) + 1 for m in _HEADER.finditer(text)]
    file = os.path.basename(path) or path
    found: dict[str, LocalService] = {}
    for number, entry in enumerate(entries, 1):
        where = f"{source}: line {lines[number - 1]}" if len(lines) == len(entries) else source
        service = _service(entry, f"{where}: [[{TABLE}]] {number}", file)
        if service.name.lower() in found:
            raise DataFormatError(f"{where}: name {show(service.name)} is used twice")
        found[service.name.lower()] = service
    services = tuple(found.values())
    spans = (
        (first, last, protocol)
        for service in services
        for first, last in service.ports
        for protocol in service.protocols
    )
    check_on_port(spans, "services", source)
    check_names((n for s in services for n in (s.name, *s.aliases)), "names", source)
    return services


def _service(entry: object, where: str, file: str) -> LocalService:
    """One ``[[service]]`` table, checked."""
    entry, where = checked_table(entry, where, _REQUIRED, _OPTIONAL)
    name = entry["name"]
    aliases = list_field(entry, "aliases", where)
    for each in (name, *aliases):
        if not (isinstance(each, str) and is_service_name(each)):
            raise DataFormatError(f"{where}: bad name {show(each)}: expected {SERVICE_NAME_RULE}")
    ports = list_field(entry, "ports", where)
    if not ports:
        raise DataFormatError(f"{where}: ports must not be empty")
    protocols = list_field(entry, "protocols", where)
    try:
        protocols = [Protocol(p.lower()) for p in protocols]
    except (ValueError, AttributeError):
        raise DataFormatError(
            f"{where}: protocols must be tcp, udp, sctp or dccp, got {show(protocols)}"
        ) from None
    if not protocols:
        raise DataFormatError(f"{where}: protocols must not be empty")
    return LocalService(
        name,
        [port_span(port, where) for port in ports],
        tuple(dict.fromkeys(protocols)),
        _line(entry, "title", where),
        _line(entry, "description", where),
        _url(entry.get("url"), where),
        tuple(dict.fromkeys(a for a in aliases if a.lower() != name.lower())),
        file,
    )


def _line(entry: dict[str, Any], key: str, where: str) -> str | None:
    text = entry.get(key)
    if text is not None and not (isinstance(text, str) and text.strip() and "\n" not in text):
        raise DataFormatError(f"{where}: {key} must be one non-empty line, got {show(text)}")
    return text


def _url(url: object, where: str) -> str | None:
    if url is not None and not (
        isinstance(url, str) and url.startswith(("https://", "http://")) and url.isprintable()
    ):
        raise DataFormatError(f"{where}: url must be an http(s) URL, got {show(url)}")
    return url
