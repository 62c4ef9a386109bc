"""A range's ports kept by ``--status`` and ``--only``: checked over the whole port space
against IANA's own file, and on random ranges against the registry's answers."""

from __future__ import annotations

import contextlib
import io
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import portinfo
from portinfo import Protocol, Status
from portinfo.__main__ import main

_NS = "{http://www.iana.org/assignments}"


def cli(*arguments: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(arguments))
    return status, out.getvalue(), err.getvalue()


def tsv_rows(text: str) -> list[tuple[int, str, str]]:
    """The (port, protocol, status) of each row of a ``--format tsv`` table."""
    header, *rows = text.splitlines()
    assert header.split("\t")[:4] == ["port", "protocol", "name", "status"]
    return [(int(r.split("\t")[0]), r.split("\t")[1], r.split("\t")[3]) for r in rows]


@pytest.fixture(scope="module")
def assigned_on(shared_data: Path) -> dict[int, set[str]]:
    """Each port's protocols on which IANA's XML has a named record, read from the file
    itself (a named record is an assignment, and one without a protocol, such as
    active-net's 3322-3325, is on every protocol), ranges counted port by port."""
    found: dict[int, set[str]] = defaultdict(set)
    tree = ET.parse(shared_data / "service-names-port-numbers.xml")  # noqa: S314  # IANA's own
    for record in tree.getroot().iter(f"{_NS}record"):
        name = (record.findtext(f"{_NS}name") or "").strip()
        number = (record.findtext(f"{_NS}number") or "").strip()
        protocol = (record.findtext(f"{_NS}protocol") or "").strip().lower()
        if not (name and number):
            continue
        first, _, last = number.partition("-")
        for port in range(int(first), int(last or first) + 1):
            found[port].update([protocol] if protocol else ("tcp", "udp", "sctp", "dccp"))
    return found


@pytest.mark.parametrize("protocol", [p.value for p in Protocol])
def test_only_keeps_the_ports_iana_assigns_on_that_protocol_alone(
    assigned_on: dict[int, set[str]], protocol: str
) -> None:
    status, out, err = cli("0-65535", "--only", protocol, "--format", "tsv")
    expected = sorted(port for port, on in assigned_on.items() if on == {protocol})
    assert (status, err) == ((0, "") if expected else (1, err))
    rows = tsv_rows(out) if expected else []
    assert [port for port, _, _ in rows] == expected
    assert {(p, s) for _, p, s in rows} <= {(protocol, "assigned")}


def test_the_udp_only_system_ports(assigned_on: dict[int, set[str]]) -> None:
    """The question of the issue: "UDP-only system ports" is one command."""
    status, out, _ = cli("0-1023", "--only", "udp", "--brief")
    listed = [int(line.split("/")[0]) for line in out.splitlines()]
    assert status == 0
    assert listed == sorted(p for p in range(1024) if assigned_on.get(p) == {"udp"})
    assert 514 not in listed  # syslog is UDP's, but TCP's 514 is assigned too (shell)


@pytest.mark.parametrize("protocol", ["tcp", "udp"])
def test_status_assigned_keeps_the_ports_iana_names_a_service_on(
    assigned_on: dict[int, set[str]], protocol: str
) -> None:
    status, out, _ = cli("0-65535", "-p", protocol, "--status", "assigned", "--format", "tsv")
    expected = sorted(port for port, on in assigned_on.items() if protocol in on)
    assert status == 0
    assert [port for port, _, _ in tsv_rows(out)] == expected


_STATUSES = st.sets(st.sampled_from([s.value for s in Status]), min_size=1)


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(0, 65535),
    width=st.integers(0, 300),
    statuses=_STATUSES,
    only=st.sampled_from([p.value for p in Protocol]),
)
def test_only_agrees_with_lookup(first: int, width: int, statuses: set[str], only: str) -> None:
    """A port is kept when it has one of the statuses on ``only`` and on no other."""
    last = min(first + width, 65535)
    wanted = {Status(s) for s in statuses}
    expected = [
        port
        for port in range(first, last + 1)
        if portinfo.lookup(port, only).status in wanted
        and not any(portinfo.lookup(port, p).status in wanted for p in Protocol if p != only)
    ]
    status, out, err = cli(
        f"{first}-{last}", "--only", only, "--status", ",".join(sorted(statuses)), "--format", "tsv"
    )
    if not expected:
        assert (status, out) == (1, "")
        assert err.endswith(f" on {only} alone\n")
        return
    assert status == 0
    assert [port for port, _, _ in tsv_rows(out)] == expected


@settings(max_examples=60, deadline=None)
@given(first=st.integers(0, 65535), width=st.integers(0, 300), statuses=_STATUSES)
def test_status_agrees_with_lookup(first: int, width: int, statuses: set[str]) -> None:
    """Without -p a range gives its tcp and udp rows; --status keeps those of its statuses."""
    last = min(first + width, 65535)
    expected = [
        (port, protocol, portinfo.lookup(port, protocol).status.value)
        for port in range(first, last + 1)
        for protocol in ("tcp", "udp")
        if portinfo.lookup(port, protocol).status.value in statuses
    ]
    status, out, _ = cli(f"{first}-{last}", "--status", ",".join(statuses), "--format", "tsv")
    assert status == (0 if expected else 1)
    assert (tsv_rows(out) if expected else []) == expected


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["80", "--only", "udp"], "--only keeps the ports of a range (FIRST-LAST), not of '80'"),
        (["http", "--only", "udp"], "--only keeps the ports of a range (FIRST-LAST)"),
        (["--only", "udp"], "--only keeps the ports of a range: give one"),
        (["0-4096"], "a range lists at most 4096 ports, got '0-4096' (with --status or --only"),
        (["0-9", "--only", "udp", "-p", "tcp"], "give --only or -p, not both"),
        (["0-9", "--only", "tpc"], "got 'tpc'"),
        (["listening", "--status", "assigned"], "not of portinfo listening"),
        (["listening", "--only", "udp"], "not of portinfo listening"),
        (["free", "--only", "udp"], "not of portinfo free"),
        (["diff", "new.xml", "--status", "assigned"], "not of portinfo diff"),
    ],
)
def test_bad_filters_are_bad_input(arguments: list[str], message: str) -> None:
    status, out, err = cli(*arguments)
    assert (status, out) == (2, "")
    assert err.startswith("portinfo: ")
    assert message in err
    assert err.count("\n") == 1


def test_a_stream_gives_a_row_for_a_line_that_is_not_a_range(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("0-300\n22\n"))
    status, out, _ = cli("-", "--only", "udp", "--format", "tsv")
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    assert status == 2
    assert [(r[0], r[2], r[3]) for r in rows[:1]] == [("1", "270", "udp")]
    # The message is a text cell like any other: a leading "-" is neutralised for spreadsheets.
    assert rows[-1][0] == "2"
    assert rows[-1][-1].startswith("'--only keeps the ports of a range")
