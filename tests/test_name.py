"""One name when you want one: name(), port(), PortInfo.name and PortInfo.summary."""

from __future__ import annotations

import socket

import pytest

import portinfo
from portinfo import InvalidPortError, InvalidProtocolError
from portinfo._records import is_primary


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
        (24, "tcp", "24/tcp priv-mail (only a scanner's label is known: Nmap's; IANA: reserved)"),
        (5800, "tcp", "5800/tcp vnc-http (VNC server's web viewer, unofficial; as nmap names it)"),
        (3128, "tcp", "3128/tcp ndl-aas; commonly Squid caching proxy (unofficial)"),
        (
            4444,
            None,
            "4444 krb524; IANA also lists nv-video;"
            " commonly Metasploit payload handler (unofficial)",
        ),
        (
            8080,
            "tcp",
            "8080/tcp http-alt; commonly Apache Tomcat HTTP connector, Apache Traffic Server"
            " HTTP proxy or Jenkins web interface (unofficial)",
        ),
        (
            3000,
            "tcp",
            "3000/tcp hbci; IANA also lists remoteware-cl; commonly Grafana, Create React"
            " App development server, Express application or 2 more (unofficial)",
        ),
        (60001, "udp", "60001/udp (unassigned, Dynamic and/or Private Ports)"),
    ],
)
def test_summary_is_one_readable_line(port: int, protocol: str | None, summary: str) -> None:
    assert portinfo.lookup(port, protocol).summary == summary


NO_DESCRIPTION = "(registered, no description)"
"""What a summary says where no IANA record on the port and protocol describes anything."""


def test_no_summary_claims_a_description_is_missing_where_one_is_given() -> None:
    """Every port, on every protocol and on none: a summary says there is no description
    only where no IANA record there has one; and where it leads with an IANA service that
    has a description other than its bare name (and no common use outranks it), it says it,
    even one that only repeats the name in another case (telnet's "Telnet")."""
    claimed = described = repeated = 0
    for protocol in (None, *portinfo.Protocol):
        for port in range(65536):
            info = portinfo.lookup(port, protocol)
            summary = info.summary
            texts = [a.description for a in info.assignments if a.service and a.description]
            if NO_DESCRIPTION in summary:
                assert not texts, (port, protocol, summary)
                claimed += 1
                continue
            own = [a for a in info.assignments if is_primary(a)]
            if not own or any(use.common and use.listens_on(port) for use in info.uses):
                continue
            service = own[0].service
            assert service is not None
            if any(service.lower() in (u.name, *u.terms) for u in info.uses if u.listens_on(port)):
                continue  # the summary gives that use's title instead
            first = next(
                (
                    a.description.split("\n")[0]
                    for a in own
                    if a.service == service and a.description
                ),
                "",
            )
            if first and first != service:
                assert summary.split(" ", 1)[1].startswith(f"{service} ({first})"), summary
                described += 1
                repeated += first.lower() == service.lower()
    assert claimed > 100, claimed  # the rule was met, and often
    assert described > 10000, described
    assert repeated > 1000, repeated  # telnet's "Telnet" and the like


@pytest.mark.parametrize(
    ("port", "protocol", "summary"),
    [
        (23, "tcp", "23/tcp telnet (Telnet)"),
        (3306, "tcp", "3306/tcp mysql (MySQL)"),
        (
            2049,
            "tcp",
            "2049/tcp nfs (Network File System - Sun Microsystems); IANA also lists shilp",
        ),
        (1701, "udp", "1701/udp l2tp; IANA also lists l2f"),  # l2tp's description is "l2tp"
    ],
)
def test_a_description_that_repeats_the_name_in_another_case_is_given(
    port: int, protocol: str, summary: str
) -> None:
    assert portinfo.lookup(port, protocol).summary == summary
