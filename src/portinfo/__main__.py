"""The command line: ``portinfo PORT``, ``portinfo NAME``, ``portinfo --search TEXT``.

Prints what portinfo knows, as text for people or as JSON (``--json``) for programs.
Exit status: 0 when something was found, 1 when nothing was (an unknown name, a search
with no result), 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from portinfo._api import data_info, lookup, resolve_all, search
from portinfo._records import Assignment, PortInfo
from portinfo._results import SearchResult, Service
from portinfo.exceptions import PortinfoError, UnknownServiceError

__all__ = ["main"]


def _assignment(a: Assignment) -> str:
    protocol = a.protocol.value if a.protocol else "any protocol"
    if a.first is None:
        where = "(no port)"
    else:
        where = str(a.first) if a.first == a.last else f"{a.first}-{a.last}"
    name = a.service or a.status.value.capitalize()
    parts = [f"{name} {where}/{protocol}"]
    if a.description and a.description != name:
        parts.append(a.description.splitlines()[0])
    if a.assignee:
        parts.append(f"assignee {a.assignee}")
    if a.registered:
        parts.append(f"registered {a.registered}")
    if a.alias_of:
        parts.append(f"alias of {a.alias_of}")
    return " | ".join(parts)


def _port_text(info: PortInfo) -> list[str]:
    names = f" ({', '.join(info.range.aliases)})" if info.range.aliases else ""
    protocol = f"/{info.protocol.value}" if info.protocol else ""
    lines = [f"{info.port}{protocol}: {info.status.value}, {info.range.title}{names}"]
    lines += [f"  IANA     {_assignment(a)}" for a in info.assignments]
    lines += [
        f"  alias    {a.name} ({a.source.value}, {a.protocol.value if a.protocol else 'any'})"
        + (f" for {a.service}" if a.service else "")
        for a in info.aliases
    ]
    lines += [
        f"  observed {u.title} ({', '.join(p.value for p in u.protocols)}): {u.description}"
        f" [{u.source}]"
        for u in info.uses
    ]
    return lines


def _service_text(service: Service) -> list[str]:
    ports = ", ".join(map(str, service.ports[:12])) + (" ..." if len(service.ports) > 12 else "")
    how = (
        f" (as {service.matched.source.value} name {service.matched.name!r})"
        if service.matched
        else ""
    )
    lines = [f"{service.name}: ports {ports or 'none'}{how}"]
    lines += [f"  IANA     {_assignment(a)}" for a in service.assignments]
    aliases = sorted({a.name for a in service.aliases})
    if aliases:
        lines.append(f"  aliases  {', '.join(aliases)}")
    lines += [f"  observed {u.title}: {u.description} [{u.source}]" for u in service.uses]
    return lines


def _result_text(result: SearchResult) -> str:
    ports = ",".join(map(str, result.ports[:6])) + ("..." if len(result.ports) > 6 else "")
    source = result.source.value
    return f"{result.match!s:11} {result.name:28} {source:8} {ports:20} {result.description}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="portinfo",
        description="What a port number is: its range, IANA assignments, aliases and known uses.",
    )
    parser.add_argument("query", nargs="*", help="ports (80, 53/udp) or service names (http)")
    parser.add_argument("-p", "--protocol", help="tcp, udp, sctp or dccp")
    parser.add_argument("-s", "--search", metavar="TEXT", help="search names and descriptions")
    parser.add_argument("-n", "--limit", type=int, default=20, help="search results (default 20)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--data-info", action="store_true", help="the data's sources and dates")
    arguments = parser.parse_args(argv)
    if not (arguments.query or arguments.search or arguments.data_info):
        parser.error("give a port, a service name, --search TEXT or --data-info")
    out: list[object] = []
    text: list[str] = []
    found = True
    try:
        if arguments.data_info:
            info = data_info()
            out.append(info.as_dict())
            text += [f"portinfo data, format {info.format_version}, made by {info.generated_by}"]
            text += [
                f"  {s.name:9} {s.file:32} {s.date or '':10} {s.records:6} records"
                f"  sha256 {s.sha256[:16]}..."
                for s in info.sources
            ]
        for query in arguments.query:
            if query.strip().partition("/")[0].strip().isdigit():
                port_info = lookup(query, arguments.protocol)
                out.append(port_info.as_dict())
                text += _port_text(port_info)
            else:
                try:
                    services = resolve_all(query)
                except UnknownServiceError as error:
                    print(f"portinfo: {error}", file=sys.stderr)
                    found = False
                    continue
                out += [s.as_dict() for s in services]
                for service in services:
                    text += _service_text(service)
        if arguments.search is not None:
            results = search(arguments.search, protocol=arguments.protocol, limit=arguments.limit)
            out += [r.as_dict() for r in results]
            text += [_result_text(r) for r in results]
            found = found and bool(results)
    except (PortinfoError, ValueError, TypeError) as error:
        print(f"portinfo: {error}", file=sys.stderr)
        return 2
    if arguments.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    elif text:
        print("\n".join(text))
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
