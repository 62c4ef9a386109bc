"""The port report: everything portinfo knows about one port, laid out as a reference page.

:func:`report` renders one structure, built by :func:`report_data`, in three forms: text
for a terminal (fitting 80 columns), Markdown that a documentation site can publish as it
is, and JSON whose shape is :data:`portinfo.schemas.REPORT_SCHEMA` (with a
``schema_version``). The facts
come from one :func:`portinfo.lookup`; the words that explain them (what a range means,
what reserved and unassigned mean, how to see what is listening) are written here. Your
own services (local files) lead the report, and never hide IANA's records: where IANA
registers the port to another service, a note says so.
"""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING, Any, SupportsIndex

from portinfo._api import registry_or_default
from portinfo._enums import Protocol, Status
from portinfo._escape import json_text, markdown, markdown_link, terminal
from portinfo._manifest import dated
from portinfo._ranges import PortRange
from portinfo._records import is_primary, person_label, reference_label
from portinfo._registry import Registry
from portinfo._validate import show
from portinfo.exceptions import InvalidArgumentError
from portinfo.schemas import REPORT_SCHEMA_VERSION

if TYPE_CHECKING:
    from portinfo._listening import Format  # render_listeners' formats, the same three
    from portinfo._own import LocalService
    from portinfo._records import PortInfo, Use

__all__ = ["FORMATS", "report", "report_data"]

FORMATS = ("text", "markdown", "json")
WIDTH = 80

_RANGE_MEANING = {
    PortRange.SYSTEM: (
        "RFC 6335 calls ports 0-1023 the System Ports (also 'well-known'). IANA assigns them"
        " only through IETF Review or IESG Approval, and most systems let only a"
        " privileged process listen on them."
    ),
    PortRange.USER: (
        "RFC 6335 calls ports 1024-49151 the User Ports (also 'registered'). IANA assigns"
        " them on application, after an expert's review; any process may listen on them."
    ),
    PortRange.DYNAMIC: (
        "RFC 6335 calls ports 49152-65535 the Dynamic and/or Private Ports. IANA never"
        " assigns them; operating systems pick the client (ephemeral) end of connections"
        " from this range, so a socket here is most often a client's, or a service that"
        " chose a free port for itself."
    ),
}
_STATUS_MEANING = {
    Status.ASSIGNED: "IANA has assigned the port to the service(s) below.",
    Status.RESERVED: (
        "IANA holds the number back: it is assigned to no service and should not be used"
        " without an assignment."
    ),
    Status.UNASSIGNED: (
        "No service is assigned: the number is free for a future assignment, and anything"
        " found listening on it does so without a registration."
    ),
}
_CHECKS = {
    Protocol.TCP: (
        ("Linux", "ss -tlnp 'sport = :{p}'"),
        ("Linux", "lsof -nP -iTCP:{p} -sTCP:LISTEN"),
        ("macOS", "lsof -nP -iTCP:{p} -sTCP:LISTEN"),
        ("Windows", "netstat -ano | findstr :{p}"),
        ("Windows, for PID N", 'tasklist /svc /fi "PID eq N"'),  # N: netstat's last column
        ("Windows PowerShell", "Get-NetTCPConnection -LocalPort {p} -State Listen"),
        ("from outside", "nmap -sV -p {p} HOST"),
    ),
    Protocol.UDP: (
        ("Linux", "ss -ulnp 'sport = :{p}'"),
        ("Linux", "lsof -nP -iUDP:{p}"),
        ("macOS", "lsof -nP -iUDP:{p}"),
        ("Windows", "netstat -ano -p udp | findstr :{p}"),
        ("Windows, for PID N", 'tasklist /svc /fi "PID eq N"'),
        ("Windows PowerShell", "Get-NetUDPEndpoint -LocalPort {p}"),
        ("from outside", "nmap -sU -sV -p {p} HOST"),
    ),
    Protocol.SCTP: (
        ("Linux", "ss -Slnp 'sport = :{p}'"),
        ("from outside", "nmap -sY -p {p} HOST"),
    ),
    Protocol.DCCP: (("Linux", "ss -dlnp 'sport = :{p}'"),),
}


def _use_entry(use: Use, port: int) -> dict[str, Any]:
    span = use.range_at(port)
    kind = "port" if use.listens_on(port) else "range"
    if kind == "port":
        span = next((a, b) for a, b in use.ports if a <= port <= b)
    assert span is not None
    return {
        "name": use.name,
        "title": use.title,
        "kind": kind,
        "span": list(span),
        "protocols": [p.value for p in use.protocols],
        "category": use.category,
        "description": use.description,
        "source": use.source,
    }


def _someone_else(info: PortInfo) -> list[str]:
    """Where your own service is on a port IANA registers to another service, a note that
    says so: your name does not make the port yours in IANA's registry."""
    own = info.local[0] if info.local else None
    if own is None:
        return []
    records = [
        a for a in info.assignments
        if is_primary(a) and a.service and a.service.lower() != own.name.lower()
    ]  # fmt: skip
    if not records:
        return []
    protocols = {a.protocol for a in records}
    protocol = info.protocol or (protocols.pop() if len(protocols) == 1 else None)
    where = f"{info.port}/{protocol}" if protocol else str(info.port)
    services = " and ".join(dict.fromkeys(a.service or "" for a in records))
    source = f" (from {own.file})" if own.file else ""
    return [
        f"IANA registers {where} to {services} (someone else); your own {own.name}{source}"
        " is not registered there."
    ]


def _notes(info: PortInfo) -> list[str]:
    notes: list[str] = _someone_else(info)
    for record in info.assignments:
        if record.service and not (record.description or record.assignees or record.registered):
            note = (
                f"{record.service}: the registry gives nothing more than the name (no"
                " description, assignee or date); such registrations are old, and the"
                " name is rarely what is listening today."
            )
            if note not in notes:
                notes.append(note)
    registered = {a.service.lower() for a in info.assignments if a.service}
    unofficial = [
        use
        for use in info.uses
        if use.listens_on(info.port)
        and use.name.lower() not in registered
        and not registered.intersection(use.terms)
    ]
    if registered and unofficial:
        names = ", ".join(sorted({a.service for a in info.assignments if a.service}))
        if unofficial[0].common:
            notes.append(
                f"{names} is registered here, but what is usually found listening on"
                f" {info.port} is {unofficial[0].title}, an unofficial use."
            )
        else:
            found = " and ".join(use.title for use in unofficial[:2])
            notes.append(f"Besides {names}, {found} also listen on {info.port} (unofficial).")
    unauthorized = dict.fromkeys(a.unauthorized for a in info.assignments if a.unauthorized)
    notes += [f"IANA notes: {text}." for text in unauthorized]
    if _open_to_take(info):
        option = f" -p {info.protocol.value}" if info.protocol else ""
        notes.append(
            f"For a service of your own, portinfo free{option} lists the ports that no source"
            " claims, away from the systems' ephemeral ranges (portinfo.free() in Python)."
        )
    return notes


def _open_to_take(info: PortInfo) -> bool:
    """Whether the port is one a user may be weighing for a service of their own: IANA
    assigns it to no one (unassigned or reserved), or only to bare names (no description,
    assignee or date)."""
    return info.status is not Status.ASSIGNED or all(
        not (record.description or record.assignees or record.registered)
        for record in info.assignments
        if record.status is Status.ASSIGNED
    )


def _local_entry(own: LocalService) -> dict[str, Any]:
    return dict(own.as_dict())


def report_data(info: PortInfo, registry: Registry) -> dict[str, Any]:
    """The report of ``info`` as plain data, in the shape of ``portinfo.schemas.REPORT_SCHEMA``."""
    protocols = [info.protocol] if info.protocol is not None else [Protocol.TCP, Protocol.UDP]
    assignments = []
    for record in info.assignments:
        entry: dict[str, Any] = dict(record.as_dict())
        entry["references"] = [{**dict(r.as_dict()), "url": r.url} for r in record.references]
        assignments.append(entry)
    iana = registry.data_info().source("iana")
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "port": info.port,
        "protocol": None if info.protocol is None else info.protocol.value,
        "summary": info.summary,
        "range": {
            "name": info.range.value,
            "title": info.range.title,
            "first": info.range.first,
            "last": info.range.last,
            "aliases": list(info.range.aliases),
            "meaning": _RANGE_MEANING[info.range],
        },
        "status": info.status.value,
        "status_meaning": _STATUS_MEANING[info.status],
        "assignments": assignments,
        "aliases": [alias.as_dict() for alias in info.aliases],
        "uses": [_use_entry(use, info.port) for use in info.uses],
        "local": [_local_entry(own) for own in info.local],
        "notes": _notes(info),
        "checks": [
            {"protocol": protocol.value, "where": where, "command": command.format(p=info.port)}
            for protocol in protocols
            for where, command in _CHECKS[protocol]
        ],
        "data": {
            "iana_updated": iana.date,
            "iana_newest_record": iana.newest_record,
            "source": "IANA Service Name and Transport Protocol Port Number Registry",
        },
    }


def _dated(data: dict[str, Any]) -> str:
    """The data's source with its date, or the date its records prove (IANA's CSV has none)."""
    return dated(data["source"], data["iana_updated"], data.get("iana_newest_record"))


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH - 1,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent.rstrip()]


def _assignment_lines(entry: dict[str, Any]) -> list[str]:
    name = entry["service"] or entry["status"].capitalize()
    where = entry["protocol"] or "all protocols"
    head = f"{name} ({_ports_cell(entry)}/{where})"
    if entry["description"] and entry["description"] != name:
        head += f": {entry['description'].splitlines()[0]}"
    lines = _wrap(head, "      ", "  ")
    facts = []
    assignees = ", ".join(_person(p) for p in entry["assignees"])
    if assignees:
        facts.append(f"assignee {assignees}")
    for key, label in (("registered", "registered"), ("modified", "modified")):
        if entry[key]:
            facts.append(f"{label} {entry[key]}")
    if entry["alias_of"]:
        facts.append(f"an alias of {entry['alias_of']}")
    references = ", ".join(_reference(r) for r in entry["references"])
    if references:
        facts.append(f"references {references}")
    if facts:
        lines += _wrap("; ".join(facts) + ".", "      ")
    return lines


def _person(person: dict[str, Any]) -> str:
    return person_label(person["id"], person["name"], person["organization"])


def _reference(reference: dict[str, Any]) -> str:
    return reference_label(reference["kind"], reference["value"], reference["title"])


def _ports_cell(entry: dict[str, Any]) -> str:
    """An IANA record's ports: ``80`` or ``6000-6063``."""
    first, last = entry["first"], entry["last"]
    return str(first) if first == last else f"{first}-{last}"


def _text(data: dict[str, Any]) -> str:
    where = f"{data['port']}/{data['protocol']}" if data["protocol"] else str(data["port"])
    about = data["summary"].split(" ", 1)[1] if " " in data["summary"] else ""
    lines = _wrap(f"Port {where}: {about}".rstrip(": "), "  ", "")
    lines += _local_lines(data["local"])
    lines.append("")
    lines.append(
        f"Range: {data['range']['title']} ({data['range']['first']}-{data['range']['last']})"
    )
    lines += _wrap(data["range"]["meaning"], "  ")
    lines.append("")
    lines.append(f"IANA status: {data['status']}")
    lines += _wrap(data["status_meaning"], "  ")
    for entry in data["assignments"]:
        lines += _assignment_lines(entry)
    others = _other_names(data["aliases"])
    if others:
        lines += ["", "Other names:"]
        for (name, source, service), on in others.items():
            stands = f", for {service}" if service else ""
            lines.append(f"  {name} ({source}, {'/'.join(on)}{stands})")
    if data["uses"]:
        lines += ["", "Observed uses (unofficial):"]
        for use in data["uses"]:
            protocols = "/".join(use["protocols"])
            if use["kind"] == "range":
                first, last = use["span"]
                where = f"a range that clients or media use: {first}-{last}/{protocols}"
                head = f"  {use['title']} ({where})"
            else:
                head = f"  {use['title']} ({protocols})"
            lines += _wrap(f"{head}: {use['description']}", "      ", "")
            lines.append(f"      {use['source']}")  # a URL is not broken, however long
    if data["notes"]:
        lines += ["", "Notes:"]
        for note in data["notes"]:
            lines += _wrap(note, "    ", "  - ")
    for protocol in dict.fromkeys(check["protocol"] for check in data["checks"]):
        lines += ["", f"What is listening on it ({protocol}):"]
        for check in data["checks"]:
            if check["protocol"] == protocol:
                lines.append(f"  {check['where']:19} {check['command']}")
    lines += ["", *_wrap(f"Data: {_dated(data['data'])}.")]
    return "\n".join(lines) + "\n"


def _where(own: dict[str, Any]) -> str:
    """Your own service's ports and protocols: ``8200/tcp``, ``9000-9009, 9100/tcp/udp``."""
    spans = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in own["ports"])
    return f"{spans}/{'/'.join(own['protocols'])}"


def _local_lines(local: list[dict[str, Any]]) -> list[str]:
    """The report's text of your own services on the port, under its first line."""
    lines: list[str] = []
    if local:
        lines += ["", "Your own (local):"]
    for own in local:
        title = f": {own['title']}" if own["title"] else ""
        lines += _wrap(f"{own['name']} ({_where(own)}){title}", "      ", "  ")
        if own["description"]:
            lines += _wrap(own["description"], "      ")
        if own["aliases"]:
            lines += _wrap(f"other names: {', '.join(own['aliases'])}", "      ")
        if own["url"]:
            lines.append(f"      {own['url']}")  # a URL is not broken, however long
        if own["file"]:
            lines += _wrap(f"from {own['file']}", "      ")
    return lines


def _markdown_local(local: list[dict[str, Any]]) -> list[str]:
    """Your own services on the port, as a Markdown list (no lines where there are none)."""
    if not local:
        return []
    out = ["## Your own (local)", ""]
    for own in local:
        said = ". ".join(_cell(text) for text in (own["title"], own["description"]) if text)
        extra = [f"other names: {_cell(', '.join(own['aliases']))}"] if own["aliases"] else []
        extra += [markdown_link("documentation", own["url"])] if own["url"] else []
        extra += [f"from {_cell(own['file'])}"] if own["file"] else []
        tail = f" ({'; '.join(extra)})" if extra else ""
        out.append(f"- **{_cell(own['name'])}** ({_where(own)}){': ' if said else ''}{said}{tail}")
    return [*out, ""]


def _other_names(aliases: list[dict[str, Any]]) -> dict[tuple[str, str, str | None], list[str]]:
    """The other names to show, each once with its protocols: not IANA's alias rows, which
    the records above already show."""
    found: dict[tuple[str, str, str | None], list[str]] = {}
    for alias in aliases:
        if alias["source"] != "iana":
            protocols = found.setdefault((alias["name"], alias["source"], alias["service"]), [])
            if (alias["protocol"] or "any") not in protocols:
                protocols.append(alias["protocol"] or "any")
    return found


def _cell(value: object) -> str:
    return markdown(str(value))  # text from data reads as text: no markup, no HTML


def _visible(value: Any) -> Any:
    """The report's data with every string's control characters shown (see _escape)."""
    if isinstance(value, str):
        return terminal(value)
    if isinstance(value, dict):
        return {key: _visible(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_visible(item) for item in value]
    return value


def _markdown_assignments(assignments: list[dict[str, Any]]) -> list[str]:
    """The IANA records of a report as a Markdown table (no lines where there are none)."""
    if not assignments:
        return []
    out = [
        "| service | protocol | ports | description | assignee | registered | references |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for entry in assignments:
        references = ", ".join(markdown_link(_reference(r), r["url"]) for r in entry["references"])
        out.append(
            f"| {_cell(entry['service'] or entry['status'])} | {entry['protocol'] or 'all'}"
            f" | {_ports_cell(entry)} | {_cell(entry['description'])}"
            f" | {_cell(', '.join(_person(p) for p in entry['assignees']))}"
            f" | {entry['registered'] or ''} | {references} |"
        )
    return [*out, ""]


def _markdown(data: dict[str, Any]) -> str:
    where = f"{data['port']}/{data['protocol']}" if data["protocol"] else str(data["port"])
    out = [f"# Port {where}", "", f"**{_cell(data['summary'])}**", ""]
    out += _markdown_local(data["local"])
    out += [
        f"## Range: {data['range']['title']} ({data['range']['first']}-{data['range']['last']})",
        "",
        data["range"]["meaning"],
        "",
        f"## IANA status: {data['status']}",
        "",
        data["status_meaning"],
        "",
    ]
    out += _markdown_assignments(data["assignments"])
    others = _other_names(data["aliases"])
    if others:
        out += [
            "## Other names",
            "",
            "| name | source | protocols | stands for |",
            "| --- | --- | --- | --- |",
        ]
        out += [
            f"| {_cell(name)} | {source} | {'/'.join(on)} | {_cell(service or '')} |"
            for (name, source, service), on in others.items()
        ]
        out.append("")
    if data["uses"]:
        out += ["## Observed uses (unofficial)", ""]
        for use in data["uses"]:
            kind = (
                ""
                if use["kind"] == "port"
                else f" (a range clients or media use: {use['span'][0]}-{use['span'][1]})"
            )
            out.append(
                f"- **{_cell(use['title'])}**{kind}, {'/'.join(use['protocols'])}:"
                f" {_cell(use['description'])} ({markdown_link('source', use['source'])})"
            )
        out.append("")
    if data["notes"]:
        out += ["## Notes", ""] + [f"- {_cell(note)}" for note in data["notes"]] + [""]
    out += [
        "## What is listening on it",
        "",
        "| where | protocol | command |",
        "| --- | --- | --- |",
    ]
    out += [f"| {c['where']} | {c['protocol']} | `{_cell(c['command'])}` |" for c in data["checks"]]
    out += ["", f"*Data: {_dated(data['data'])}.*", ""]
    return "\n".join(out)


def report(
    port: SupportsIndex | str,
    protocol: Protocol | str | int | None = None,
    *,
    format: Format = "text",  # the word users know from the command line's --format
    registry: Registry | None = None,
) -> str:
    """Everything portinfo knows about ``port``, as a reference page.

    ``format`` is ``"text"`` (for a terminal, 80 columns), ``"markdown"`` (a page a
    documentation site can publish as it is) or ``"json"`` (with a ``schema_version``, in
    the shape of the JSON Schema ``portinfo.schemas.REPORT_SCHEMA``). ``port`` and
    ``protocol`` are taken as by :func:`portinfo.lookup`, and bad ones raise the same
    errors; a format other than the three raises :class:`~portinfo.InvalidArgumentError`.
    """
    if not isinstance(format, str) or format not in FORMATS:
        raise InvalidArgumentError(
            f"format must be one of {', '.join(map(repr, FORMATS))}, got {show(format)}"
        )
    registry = registry_or_default(registry)
    data = report_data(registry.lookup(port, protocol), registry)
    if format == "json":
        return json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    return _markdown(data) if format == "markdown" else _text(_visible(data))
