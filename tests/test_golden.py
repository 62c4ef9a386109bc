"""Famous facts of the packaged data, and the examples of the issues, pinned."""

from __future__ import annotations

import pytest

import portinfo
from portinfo import Alias, PortRange, Protocol, Source, Status


def test_the_data_is_dated() -> None:
    info = portinfo.data_info()
    assert info.iana_updated == "2026-08-17"
    assert info.format_version == 3
    assert info.source("iana").records == 14533
    assert info.source("iana").sha256 == (
        "4bbf00ef4dd194ea3098d090b42a832c0f8aef704699956a4a7e24576a49631b"
    )


def test_2039() -> None:
    info = portinfo.lookup(2039)
    assert info.port == 2039
    assert info.range is PortRange.USER
    assert info.status is Status.ASSIGNED
    assert info.services == ("prizma",)
    assert len(info.assignments) == 2
    first = info.assignments[0]
    assert (first.service, first.protocol, first.description) == (
        "prizma",
        Protocol.TCP,
        "Prizma Monitoring Service",
    )
    assert (first.first, first.last) == (2039, 2039)
    assert (first.assignee, first.contact) == ("Dotan Ofek", "Dotan Ofek")
    assert (first.registered, first.modified) == ("2005-12", None)
    assert portinfo.lookup("2039") == info
    assert portinfo.lookup(2039, "tcp").assignments == (first,)
    assert portinfo.lookup("2039/tcp") == portinfo.lookup(2039, "tcp")


def test_2039_is_also_ni_veristand_gateway() -> None:
    (use,) = [u for u in portinfo.lookup(2039).uses if "VeriStand" in u.title]
    assert use.protocols == (Protocol.TCP,)
    assert use.source == "http://www.ni.com/white-paper/12402/en/"
    assert use.description
    # A use is stored once, with its ports, and shown once: as a use, not again as an alias.
    assert all(a.name != "ni-veristand-gateway" for a in portinfo.lookup(2039).aliases)
    assert portinfo.resolve("NI-VeriStand-Gateway").uses == (use,)
    assert portinfo.search("veristand")[0].name == "ni-veristand-gateway"


@pytest.mark.parametrize(
    ("port", "protocol", "services"),
    [
        (80, None, ("http", "www", "www-http")),
        (6031, "tcp", ("x11",)),
        (22, "tcp", ("ssh",)),
        (53, "udp", ("domain",)),
        (443, "tcp", ("https",)),
        (5432, "tcp", ("postgresql",)),
        (11434, "tcp", ("ollama",)),
    ],
)
def test_services(port: int, protocol: str | None, services: tuple[str, ...]) -> None:
    assert portinfo.lookup(port, protocol).services == services


def test_statuses_and_ranges() -> None:
    assert portinfo.lookup(0).status is Status.RESERVED
    assert portinfo.lookup(1023).status is Status.RESERVED
    assert portinfo.lookup(49151).status is Status.RESERVED
    assert portinfo.lookup(50000).status is Status.UNASSIGNED
    assert portinfo.lookup(50000).range is PortRange.DYNAMIC
    assert portinfo.lookup(80, "dccp").assignments == ()


def test_ollama_registration_date() -> None:
    (ollama,) = portinfo.lookup(11434, "tcp").assignments
    assert ollama.registered == "2025-09-26"


def test_resolve() -> None:
    http = portinfo.resolve("HTTP")
    assert (http.name, http.ports) == ("http", ((80, 80),))
    assert {a.service for a in http.assignments} == {"http"}
    assert portinfo.resolve("x11").ports == ((6000, 6063),)
    with pytest.raises(portinfo.UnknownServiceError):
        portinfo.resolve("no-such-service")


@pytest.mark.parametrize(
    ("alias", "service", "source"),
    [
        ("www", "http", Source.IANA),
        ("postgres", "postgresql", Source.SERVICES),
        ("msrpc", "epmap", Source.NMAP),
        ("zeroconf", "mdns", Source.NMAP),
        ("krb5", "kerberos", Source.SERVICES),
        ("sql*net", "sql-net", Source.IANA),
        ("microsoft-ds", "microsoft-ds", None),
        ("rpcbind", "sunrpc", Source.NMAP),
        ("portmapper", "sunrpc", Source.SERVICES),
        ("kerberos-sec", "kerberos", Source.SERVICES),
    ],
)
def test_aliases_resolve_to_the_iana_service(alias: str, service: str, source: Source) -> None:
    found = portinfo.resolve(alias)
    assert found.name == service
    if source is not None:
        assert found.matched is not None
        assert found.matched.source is source


def test_resolve_postgres_ports() -> None:
    assert portinfo.resolve("postgres").ports == ((5432, 5432),)


def test_aliases_of_ports() -> None:
    names_135 = {(a.name, a.source) for a in portinfo.lookup(135).aliases}
    assert ("msrpc", Source.NMAP) in names_135
    assert ("loc-srv", Source.SERVICES) in names_135
    assert Alias("zeroconf", Source.NMAP, Protocol.UDP, 5353, "mdns") in (
        portinfo.lookup(5353, "udp").aliases
    )
    assert portinfo.lookup(2024).aliases == ()  # Nmap's name there is IANA's own
    assert Alias("http-proxy", Source.NMAP, Protocol.TCP, 8080, "http-alt") in (
        portinfo.lookup(8080, "tcp").aliases
    )
    assert any(a.service == "microsoft-ds" for a in portinfo.resolve("microsoft-ds").assignments)


def test_a_name_only_nmap_has() -> None:
    service = portinfo.resolve("priv-mail")
    assert service.name == "priv-mail"
    assert service.assignments == ()
    assert service.ports == ((24, 24),)
    assert service.matched is not None
    assert service.matched.source is Source.NMAP


def test_a_name_that_means_several_services_returns_them_all() -> None:
    found = portinfo.resolve_all("smtps")
    # The services line submissions 465/tcp ssmtp smtps urd ties it on TCP; Nmap's smtps on
    # 465/udp, where IANA has only igmpv3lite (another protocol), is tied to nothing: a
    # service of its own, never IGMPv3 lite.
    assert [s.name for s in found] == ["submissions", "smtps"]
    best = portinfo.resolve("smtps")
    assert best.name == "submissions"
    assert [(s.name, s.assignments) for s in best.others] == [("smtps", ())]


def test_search_by_description_and_protocol() -> None:
    results = portinfo.search("monitoring", protocol="udp")
    assert results
    assert all(Protocol.UDP in r.protocols for r in results)
    assert len(portinfo.search("monitoring", limit=5)) == 5
