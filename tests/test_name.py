"""One name when you want one: name(), port(), PortInfo.name and PortInfo.summary."""

from __future__ import annotations

import socket

import pytest

import portinfo
from portinfo import InvalidPortError, InvalidProtocolError


@pytest.mark.parametrize(
    ("port", "protocol", "name"),
    [
        (80, "tcp", "http"),
        (53, "udp", "domain"),
        (3389, "tcp", "ms-wbt-server"),  # IANA's service comes first
        (24, "tcp", "priv-mail"),  # Nmap's, where IANA names nothing
        (50000, "tcp", "ibm-db2"),  # Nmap's before an observed use's
        (10250, "tcp", "kubelet-api"),  # an observed use that listens there
        (60001, "udp", None),  # mosh's range covers it, but a range names nothing
        (5353, "tcp", "mdns"),
        (2024, "sctp", None),  # never a name from another protocol
    ],
)
def test_name_follows_one_order_of_sources(port: int, protocol: str, name: str | None) -> None:
    assert portinfo.name(port, protocol) == name
    assert portinfo.lookup(port, protocol).name == name


def test_name_of_any_protocol() -> None:
    assert portinfo.name(80) == "http"
    assert portinfo.name(2024) == "xinuexpansion4"


def test_port_is_getservbyname_without_exceptions() -> None:
    assert portinfo.port("http") == 80
    assert portinfo.port("HTTPS", "tcp") == 443
    assert portinfo.port("domain", "udp") == 53
    assert portinfo.port("postgres") == 5432  # a services file's alias
    assert portinfo.port("msrpc") == 135  # Nmap's name
    assert portinfo.port("users") == 11  # IANA's name-only record, placed by the services file
    assert portinfo.port("no-such-service") is None
    assert portinfo.port("x11", "dccp") is None


def test_bad_input_still_raises() -> None:
    with pytest.raises(InvalidPortError):
        portinfo.name(70000)
    with pytest.raises(InvalidProtocolError):
        portinfo.port("http", "icmp")
    with pytest.raises(TypeError):
        portinfo.port(80)  # type: ignore[arg-type]


def _system_name(port: int, protocol: str) -> str | None:
    """The name the host's services database gives the port, or ``None`` if it has none."""
    try:
        return socket.getservbyport(port, protocol)
    except OSError:  # a services file may leave a port out
        return None


def test_name_agrees_with_the_system_where_both_know_the_port() -> None:
    """Where the system's services file names a port that IANA registers, so does name()."""
    try:
        socket.getservbyname("domain", "udp")
    except OSError:
        pytest.skip(
            "this host has no services database (socket.getservbyname('domain', 'udp')"
            " fails, as without /etc/services): nothing to compare name() with"
        )
    asked = [(22, "tcp"), (25, "tcp"), (53, "udp"), (123, "udp"), (443, "tcp")]
    system = {key: name for key in asked if (name := _system_name(*key)) is not None}
    assert len(system) > 0, "the services database knows none of the ports compared"
    assert {key: portinfo.name(*key) for key in system} == system


@pytest.mark.parametrize(
    ("port", "protocol", "summary"),
    [
        (3389, "tcp", "3389/tcp ms-wbt-server (Microsoft Remote Desktop, RDP)"),
        (9200, "tcp", "9200/tcp wap-wsp; commonly Elasticsearch REST API (unofficial)"),
        (2024, "tcp", "2024/tcp xinuexpansion4 (registered, no description)"),
        (2039, "tcp", "2039/tcp prizma; commonly NI VeriStand Gateway (unofficial)"),
        (80, None, "80 http (World Wide Web HTTP)"),
        (24, "tcp", "24/tcp priv-mail (as nmap names it; IANA: reserved)"),
        (60001, "udp", "60001/udp (unassigned, Dynamic and/or Private Ports)"),
    ],
)
def test_summary_is_one_readable_line(port: int, protocol: str | None, summary: str) -> None:
    assert portinfo.lookup(port, protocol).summary == summary


NO_DESCRIPTION = "(registered, no description)"
"""What a summary says in place of a description that the registry does not give."""


def test_a_description_that_only_repeats_the_name_is_no_description() -> None:
    """On every port of every IANA record that names a service, where no observed use
    listens: the summary gives the description of the port's first record of IANA's own,
    unless that is empty or only repeats the service's name (in any case), where it says
    there is none."""
    wanted: set[tuple[int, portinfo.Protocol | None]] = set()
    for record in portinfo.default_registry().assignments():
        if record.service and record.first is not None and record.last is not None:
            for port in range(record.first, record.last + 1):
                wanted.update({(port, None), (port, record.protocol)})
    repeated = described = 0
    for port, protocol in sorted(wanted, key=lambda key: (key[0], str(key[1]))):
        info = portinfo.lookup(port, protocol)
        own = [
            a
            for a in info.assignments
            if a.service and a.alias_of is None and a.status is portinfo.Status.ASSIGNED
        ]
        if not own or any(use.listens_on(port) for use in info.uses):
            continue
        service = own[0].service
        assert service is not None
        description = own[0].description.split("\n")[0]
        where = f"{port}" if protocol is None else f"{port}/{protocol.value}"
        if description.lower() in ("", service.lower()):
            expected = f"{where} {service} {NO_DESCRIPTION}"
            repeated += bool(description)
        else:
            expected = f"{where} {service} ({description})"
            described += 1
        assert info.summary == expected
    assert repeated > 1000, repeated  # the rule was met, and often
    assert described > 1000, described
