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


def test_name_agrees_with_the_system_where_both_know_the_port() -> None:
    """Where the system's services file names a port that IANA registers, so does name()."""
    agree = checked = 0
    for port, protocol in [(22, "tcp"), (25, "tcp"), (53, "udp"), (123, "udp"), (443, "tcp")]:
        try:
            system = socket.getservbyport(port, protocol)
        except OSError:
            continue
        checked += 1
        agree += portinfo.name(port, protocol) == system
    assert agree == checked


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
