"""Prominence: where IANA registers several services on a port, the one people mean leads.

The rule is tested on made-up records pushed through the compiler's own function; the
packaged data's answers are pinned on the ports the issue named (2049, 465, 1701, 750).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import portinfo
from portinfo import Assignment, Protocol, Status
from portinfo._compile import base_inputs
from portinfo._data import packaged
from portinfo._prominence import fold, lead_bits
from portinfo._rows import LEAD, PORT_LEAD
from portinfo._services import ServicesEntry

TCP, UDP = Protocol.TCP, Protocol.UDP


def _record(service: str, port: int, protocol: Protocol, last: int | None = None) -> Assignment:
    return Assignment(service, protocol, port, last or port, "", Status.ASSIGNED)


def _line(port: int, protocol: Protocol, *names: str) -> ServicesEntry:
    return ServicesEntry(names[0], port, protocol, names[1:])


@pytest.mark.parametrize(
    ("port", "protocol", "name"),
    [
        (2049, "tcp", "nfs"),  # IANA lists shilp first; the services file and Nmap say nfs
        (2049, "udp", "nfs"),
        (465, "tcp", "submissions"),  # submissions 465/tcp ssmtp smtps urd
        (1701, "udp", "l2tp"),  # l2f 1701/udp l2tp, and Nmap says L2TP
        (750, "udp", "kerberos-iv"),  # kerberos4 750/udp kerberos-iv kdc
        (2049, None, "nfs"),
        (465, None, "submissions"),
        (1701, None, "l2tp"),  # the protocol whose services line decides: UDP
        (750, None, "kerberos-iv"),
        (1701, "tcp", "l2f"),  # no services line on TCP; Nmap says l2f there
        (42, "tcp", "nameserver"),  # no services line; Nmap names IANA's second
        (80, None, "http"),  # one IANA service (and its alias rows): as ever
    ],
)
def test_the_prominent_service_is_the_one_name(port: int, protocol: str | None, name: str) -> None:
    assert portinfo.name(port, protocol) == name
    info = portinfo.lookup(port, protocol)
    assert info.assignments[0].service == name
    # Every record is still there, the others in registry order.
    others = [a for a in info.assignments if a.service != name]
    registry_order = [
        a for a in portinfo.default_registry().assignments() if a in set(info.assignments)
    ]
    assert others == [a for a in registry_order if a.service != name]


def test_a_services_line_holds_the_pick_and_nmap_chooses_within_it() -> None:
    records = [_record("first", 10, TCP), _record("second", 10, TCP), _record("third", 10, TCP)]
    lines = [_line(10, TCP, "third-alias", "third", "second")]
    # The line holds third and second; Nmap names second: second.
    leads = lead_bits(records, lines, [("Second", 10, TCP)])
    assert leads.picks == {(10, TCP): "second"}
    assert leads.bits == [0, LEAD | PORT_LEAD, 0]
    # Nmap names one the line does not hold: the line's first that IANA has, third.
    assert lead_bits(records, lines, [("first", 10, TCP)]).picks == {(10, TCP): "third"}
    # No line: Nmap's name (compared without case, -, _ and .), else IANA's first.
    assert lead_bits(records, [], [("SEC_OND", 10, TCP)]).picks == {(10, TCP): "second"}
    leads = lead_bits(records, [], [])
    assert leads.picks == {(10, TCP): "first"}
    assert leads.bits == [LEAD | PORT_LEAD, 0, 0]  # marked even where it is IANA's first


def test_without_a_protocol_the_services_line_decides_which_protocol_leads() -> None:
    records = [
        _record("old", 20, TCP),
        _record("new", 20, TCP),
        _record("old", 20, UDP),
        _record("new", 20, UDP),
    ]
    # TCP: Nmap says old; UDP: a services line says new. With no protocol: new.
    leads = lead_bits(records, [_line(20, UDP, "new")], [("old", 20, TCP)])
    assert leads.picks == {(20, TCP): "old", (20, UDP): "new"}
    assert leads.port_picks == {20: "new"}
    assert [bool(b & PORT_LEAD) for b in leads.bits] == [False, True, False, True]
    # No line anywhere: TCP's pick.
    leads = lead_bits(records, [], [("new", 20, TCP), ("old", 20, UDP)])
    assert leads.port_picks == {20: "new"}


def test_a_range_row_never_leads_on_some_of_its_ports_only() -> None:
    records = [_record("wide", 30, TCP, 39), _record("narrow", 31, TCP), _record("x", 35, TCP)]
    leads = lead_bits(records, [_line(31, TCP, "narrow"), _line(35, TCP, "wide")], [])
    assert leads.picks == {(31, TCP): "narrow", (35, TCP): "wide"}
    # wide leads on 35 but not on 31: it is left unmarked, and on 35 it is IANA's first.
    assert leads.bits[0] & LEAD == 0
    assert leads.bits[1] & LEAD


def test_fold_compares_names_as_sources_spell_them() -> None:
    assert fold("L2TP") == fold("l2tp")
    assert fold("netbios_ns") == fold("netbios-ns") == fold("NetBIOS.NS")


# --- worked out again: a changed services file or Nmap's names over compiled data -------------


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_leads_worked_out_again_are_those_worked_out_afresh(data: st.DataObject) -> None:
    """Over the packaged data, with some of its services lines and Nmap's names (and its
    leads) dropped, and lines added that name another of IANA's services on a port that
    has several (which may move the lead): only the rows around the changed ports are
    picked again, and the bytes are those of picking every row afresh."""
    base = base_inputs(packaged())
    iana = base.iana().assignments
    names = (*base.nmap(), *base.leads())
    every = data.draw(st.integers(1, 7), label="drop every nth line")
    services = [entry for n, entry in enumerate(base.services()) if n % every]
    every = data.draw(st.integers(1, 9), label="drop every nth name")
    nmap = [fact for n, fact in enumerate(names) if n % every]
    contested = sorted(lead_bits(iana, base.services(), names).picks)
    for port, protocol in data.draw(st.lists(st.sampled_from(contested), max_size=20)):
        here = [
            a.service
            for a in iana
            if a.service and a.covers(port) and a.protocol in (protocol, None)
        ]
        services.append(ServicesEntry(data.draw(st.sampled_from(here)), port, protocol, ()))
    afresh = bytes(lead_bits(iana, services, nmap).bits)
    assert base.groups_with(services, nmap) == afresh


def test_leads_worked_out_again_move_where_a_line_says() -> None:
    base = base_inputs(packaged())
    moved = base.groups_with([_line(2049, TCP, "shilp")], (*base.nmap(), *base.leads()))
    assert moved != base.groups()
    registry_rows = base.iana().assignments
    leads = [registry_rows[n].service for n, bits in enumerate(moved) if bits & LEAD]
    assert "shilp" in leads
