"""The port report: the facts of a lookup and the words that explain them, in three forms."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as hs

import portinfo
from portinfo import InvalidArgumentError, InvalidPortError, Protocol
from portinfo.schemas import REPORT_SCHEMA, REPORT_SCHEMA_VERSION
from tests import strategies as st
from tests.conftest import REPOSITORY

if TYPE_CHECKING:
    from portinfo._listening import Format

GOLDEN = REPOSITORY / "tests" / "golden"
PORTS = [
    (2039, None),
    (2024, None),
    (80, None),
    (0, None),
    (1023, None),
    (6000, "tcp"),
    (11434, None),
    (50000, None),
]
FORMATS: dict[Format, str] = {"text": "txt", "markdown": "md", "json": "json"}


def _golden(port: int, protocol: str | None, form: Format) -> str:
    name = f"report-{port}{'-' + protocol if protocol else ''}.{FORMATS[form]}"
    return (GOLDEN / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("port", "protocol"), PORTS)
@pytest.mark.parametrize("form", list(FORMATS))
def test_reports_match_the_reviewed_pages(port: int, protocol: str | None, form: Format) -> None:
    """The pages under tests/golden/ were read and checked by a person; regenerate them
    with `python tests/golden/regenerate.py` after a data refresh, and read the diff."""
    assert portinfo.report(port, protocol, format=form) == _golden(port, protocol, form)


@pytest.mark.parametrize(("port", "protocol"), PORTS)
def test_json_reports_follow_the_schema(port: int, protocol: str | None) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema checks the report schema")
    data = json.loads(portinfo.report(port, protocol, format="json"))
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["schema_version"] == REPORT_SCHEMA_VERSION


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("port", 65536),
        ("port", "80"),
        ("status", "taken"),
        ("protocol", "icmp"),
        ("schema_version", REPORT_SCHEMA_VERSION + 1),
        ("uses", [{"name": "x"}]),
        ("summary", None),
    ],
)
def test_the_schema_refuses_a_report_that_breaks_it(change: str, value: object) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema checks the report schema")
    data = json.loads(portinfo.report(2039, format="json"))
    jsonschema.validate(data, REPORT_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, change: value}, REPORT_SCHEMA)
    del data[change]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, REPORT_SCHEMA)


def _protocol_value(protocol: Protocol | None) -> str | None:
    return None if protocol is None else protocol.value


@given(st.ports, hs.one_of(hs.none(), st.protocols))
@example(2039, None)
@example(2024, Protocol.TCP)
@example(80, None)
@example(8080, Protocol.TCP)  # aliases from the services file and Nmap
@example(27015, None)  # observed uses by range
@example(5353, Protocol.UDP)
@example(1, Protocol.DCCP)
@example(0, None)  # reserved
@example(60001, Protocol.UDP)  # unassigned
@settings(max_examples=40, deadline=None)
def test_json_reports_say_what_lookup_says(port: int, protocol: Protocol | None) -> None:
    info = portinfo.lookup(port, protocol)
    data = json.loads(portinfo.report(port, protocol, format="json"))
    assert (data["port"], data["protocol"]) == (port, _protocol_value(protocol))
    assert data["summary"] == info.summary
    assert data["status"] == info.status.value
    port_range = portinfo.classify(port)
    assert data["range"]["name"] == port_range.value
    assert data["range"]["title"] == port_range.title
    assert data["range"]["first"] <= port <= data["range"]["last"]
    assert [
        (
            a["service"],
            a["protocol"],
            a["description"],
            a["status"],
            a["alias_of"],
            [p["id"] for p in a["assignees"]],
            [r["value"] for r in a["references"]],
        )
        for a in data["assignments"]
    ] == [
        (
            r.service,
            _protocol_value(r.protocol),
            r.description,
            r.status.value,
            r.alias_of,
            [p.id for p in r.assignees],
            [f.value for f in r.references],
        )
        for r in info.assignments
    ]
    assert all(a["first"] <= port <= a["last"] for a in data["assignments"])
    assert [(a["name"], a["source"], a["protocol"], a["port"]) for a in data["aliases"]] == [
        (a.name, a.source.value, _protocol_value(a.protocol), a.port) for a in info.aliases
    ]
    assert [(u["name"], u["kind"]) for u in data["uses"]] == [
        (u.name, "port" if u.listens_on(port) else "range") for u in info.uses
    ]
    assert all(u["span"][0] <= port <= u["span"][1] for u in data["uses"])
    asked = [protocol] if protocol is not None else [Protocol.TCP, Protocol.UDP]
    assert sorted({c["protocol"] for c in data["checks"]}) == sorted(p.value for p in asked)
    # Every command names the port, but Windows' follow-up, which takes the process ID that
    # the netstat command before it finds.
    commands = [c["command"] for c in data["checks"]]
    for before, command in zip(["", *commands], commands):
        assert str(port) in command or (
            command == 'tasklist /svc /fi "PID eq N"' and before.startswith("netstat -ano")
        )
    assert data["data"]["iana_updated"] == portinfo.data_info().iana_updated


def _said(page: str) -> str:
    """The page's words with its line breaks folded, to look for a sentence in it."""
    return " ".join(page.split())


def test_what_the_report_says_of_2039_and_2024() -> None:
    page = _said(portinfo.report(2039))
    assert (
        "prizma is registered here, but what is usually found listening on 2039 is NI"
        " VeriStand Gateway, an unofficial use" in page
    )
    old = _said(portinfo.report(2024, "tcp"))
    assert "xinuexpansion4: the registry gives nothing more than the name" in old
    assert "netstat -ano | findstr :2024" in old
    assert 'netstat -ano | findstr :2024 Windows, for PID N tasklist /svc /fi "PID eq N"' in old
    assert "Get-NetTCPConnection -LocalPort 2024" in old
    assert "nmap -sV -p 2024 HOST" in old


def test_udp_gets_the_udp_commands() -> None:
    page = portinfo.report(53, "udp")
    assert "ss -ulnp 'sport = :53'" in page
    assert "nmap -sU -sV -p 53 HOST" in page
    assert "-sTCP:LISTEN" not in page


def test_ranges_come_after_exact_uses_and_are_marked() -> None:
    data = json.loads(portinfo.report(27015, format="json"))
    kinds = [use["kind"] for use in data["uses"]]
    assert kinds == sorted(kinds, key=lambda kind: kind == "range")
    assert "range" in kinds
    text = _said(portinfo.report(5353, "udp"))
    assert "a range that clients or media use: 5000-5500/udp" in text


def test_unauthorized_use_and_the_dynamic_range_are_explained() -> None:
    assert "IANA notes: Known Unauthorized Use on port 6003." in _said(portinfo.report(6003, "tcp"))
    assert "IANA never assigns them" in _said(portinfo.report(50000))


def test_text_fits_80_columns() -> None:
    for port, protocol in PORTS:
        for line in portinfo.report(port, protocol).splitlines():
            # A source's address is never broken: it may be the one longer line.
            assert len(line) <= 80 or line.strip().startswith("http"), (port, line)


def test_errors() -> None:
    with pytest.raises(InvalidArgumentError, match="format must be one of"):
        portinfo.report(80, format="html")  # type: ignore[arg-type]
    with pytest.raises(InvalidPortError):
        portinfo.report(70000)


def test_format_and_registry_are_checked_before_use() -> None:
    # report() used any registry given (found by tools/fuzz.py).
    with pytest.raises(TypeError, match=r"registry must be a portinfo\.Registry, got int: 5"):
        portinfo.report(80, registry=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match=r"format must be one of .* got \[.json.\]"):
        portinfo.report(80, format=["json"])  # type: ignore[arg-type]


def test_the_report_schema_is_public_and_the_report_keeps_to_it() -> None:
    """portinfo.schemas is the public home of the schema; the private name is gone."""
    jsonschema = pytest.importorskip("jsonschema")
    import portinfo._report
    from portinfo import schemas

    assert {"REPORT_SCHEMA", "REPORT_SCHEMA_VERSION"} <= set(schemas.__all__)
    assert not hasattr(portinfo._report, "REPORT_SCHEMA")
    data = json.loads(portinfo.report(22, "tcp", format="json"))
    jsonschema.validate(data, schemas.REPORT_SCHEMA)
