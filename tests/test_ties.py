"""Which IANA service another source's name stands for: a list audited by hand.

Each entry was checked against the raw services file, Nmap's file and IANA's registry, and
says why the name is, or is not, an alias of the IANA service on its port. The test reads
the packaged data's answer; it does not re-run the compiler's rule, so a change to the rule
that ties a name wrongly (or unties one rightly tied) fails here.
"""

from __future__ import annotations

import pytest

import portinfo
from portinfo import Protocol, Source

TCP, UDP = Protocol.TCP, Protocol.UDP

TIES: list[tuple[str, Source, int, Protocol, str | None, str]] = [
    # --- a services-file line that also names the IANA service ---
    ("smtps", Source.SERVICES, 465, TCP, "submissions", "line: submissions ssmtp smtps urd"),
    ("ssmtp", Source.SERVICES, 465, TCP, "submissions", "same line"),
    ("kerberos4", Source.SERVICES, 750, UDP, "kerberos-iv", "line: kerberos4 kerberos-iv kdc"),
    ("kdc", Source.SERVICES, 750, UDP, "kerberos-iv", "same line"),
    ("loc-srv", Source.SERVICES, 135, TCP, "epmap", "line: epmap loc-srv"),
    ("portmapper", Source.SERVICES, 111, TCP, "sunrpc", "line: sunrpc portmapper"),
    ("webcache", Source.SERVICES, 8080, TCP, "http-alt", "line: http-alt webcache"),
    ("postgres", Source.SERVICES, 5432, TCP, "postgresql", "line: postgresql postgres"),
    ("whois", Source.SERVICES, 43, TCP, "nicname", "line: whois nicname"),
    # --- an Nmap name that such a line holds on the same port and protocol ---
    ("smtps", Source.NMAP, 465, TCP, "submissions", "the services line holds smtps"),
    ("whois", Source.NMAP, 43, UDP, "nicname", "line on 43 holds whois; IANA has nicname/udp"),
    # --- the same name spelled another way ---
    ("sqlnet", Source.NMAP, 66, TCP, "sql-net", "sql-net without its hyphen"),
    ("L2TP", Source.NMAP, 1701, UDP, None, "IANA's own l2tp in capitals: no alias row at all"),
    # --- curated ties, each with a source in sources/observed-uses.toml ---
    ("msrpc", Source.NMAP, 135, TCP, "epmap", "MS RPC endpoint mapper is DCE epmap"),
    ("zeroconf", Source.NMAP, 5353, UDP, "mdns", "zero-configuration lookup is mDNS"),
    ("dhcps", Source.NMAP, 67, UDP, "bootps", "DHCP uses BOOTP's server port"),
    ("dhcpc", Source.NMAP, 68, UDP, "bootpc", "DHCP uses BOOTP's client port"),
    ("kerberos", Source.NMAP, 750, UDP, "kerberos-iv", "a KDC's version 4 port"),
    ("http-proxy", Source.NMAP, 8080, TCP, "http-alt", "an HTTP proxy speaks HTTP"),
    ("rpcbind", Source.NMAP, 111, TCP, "sunrpc", "rpcbind is the ONC RPC binder"),
    ("vnc", Source.NMAP, 5900, TCP, "rfb", "VNC speaks RFB"),
    ("irc", Source.NMAP, 6667, TCP, "ircu", "IRC; ircu is an IRC server"),
    ("mongod", Source.NMAP, 27017, TCP, "mongodb", "the MongoDB server"),
    ("globalcatLDAP", Source.NMAP, 3268, TCP, "msft-gc", "AD Global Catalog"),
    ("kpasswd5", Source.NMAP, 464, UDP, "kpasswd", "Kerberos change-password"),
    ("nat-t-ike", Source.NMAP, 4500, UDP, "ipsec-nat-t", "IKE/ESP in UDP for NAT"),
    ("x11-1", Source.SERVICES, 6001, TCP, "x11", "X display :1 is X11 on 6001"),
    ("X11:1", Source.NMAP, 6001, TCP, "x11", "X display :1 is X11 on 6001"),
    # --- not ties: another product or protocol on a port IANA registers ---
    ("webmin", Source.SERVICES, 10000, TCP, None, "a web admin panel, not NDMP backup"),
    ("snet-sensor-mgmt", Source.NMAP, 10000, TCP, None, "a sensor console, not NDMP"),
    ("icq", Source.NMAP, 4000, UDP, None, "ICQ messaging is not terabase"),
    ("remoteanything", Source.NMAP, 4000, TCP, None, "a remote-control tool, not terabase"),
    ("fsp", Source.SERVICES, 21, UDP, None, "File Service Protocol is not FTP"),
    ("bgpd", Source.SERVICES, 2605, TCP, None, "Quagga's BGP vty, not nsc-posa"),
    ("zebra", Source.SERVICES, 2601, TCP, None, "Quagga's zebra vty, not discp-client"),
    ("ospfd", Source.SERVICES, 2604, TCP, None, "Quagga's OSPF vty, not nsc-ccs"),
    ("jetdirect", Source.NMAP, 9101, TCP, None, "HP printing, not Bacula's director"),
    ("jetdirect", Source.NMAP, 9102, TCP, None, "HP printing, not Bacula's file daemon"),
    ("jetdirect", Source.NMAP, 9100, TCP, None, "no source ties it to pdl-datastream"),
    ("squid-http", Source.NMAP, 3128, TCP, None, "the Squid proxy, not ndl-aas"),
    ("https-alt", Source.NMAP, 8443, TCP, None, "HTTPS, not the pcsync-https product"),
    ("smtps", Source.NMAP, 465, UDP, None, "SMTPS is not IGMPv3 lite; the line is TCP"),
    ("kerberos-master", Source.SERVICES, 751, UDP, None, "Kerberos admin, not pump"),
    ("krb-prop", Source.SERVICES, 754, TCP, None, "Kerberos propagation, not tell"),
    ("ircd", Source.SERVICES, 6667, TCP, "ircu", "curated: an IRC daemon is IRC"),
]


def _alias(name: str, source: Source, port: int, protocol: Protocol) -> portinfo.Alias | None:
    found = [
        a for a in portinfo.lookup(port, protocol).aliases if a.name == name and a.source is source
    ]
    assert len(found) <= 1, found
    return found[0] if found else None


@pytest.mark.parametrize(("name", "source", "port", "protocol", "service", "why"), TIES)
def test_a_name_stands_for_the_service_its_source_ties_it_to(
    name: str, source: Source, port: int, protocol: Protocol, service: str | None, why: str
) -> None:
    alias = _alias(name, source, port, protocol)
    if name == "L2TP":  # IANA's own name: not another name of the port
        assert alias is None
        return
    assert alias is not None, why
    assert alias.service == service, why


def test_the_audit_is_long_enough() -> None:
    assert len(TIES) >= 40
    assert sum(service is None for *_, service, _ in TIES) >= 15  # non-ties too


@pytest.mark.parametrize(
    ("name", "first", "never"),
    [
        ("webmin", "webmin", {"ndmp"}),
        ("icq", "icq", {"terabase"}),
        ("fsp", "fsp", {"ftp"}),
        ("bgpd", "bgpd", {"nsc-posa"}),
        ("jetdirect", "jetdirect", {"bacula-dir", "bacula-fd", "bacula-sd", "peerwire"}),
        ("msrpc", "epmap", set()),
    ],
)
def test_resolve_follows_only_ties(name: str, first: str, never: set[str]) -> None:
    found = [service.name for service in portinfo.resolve_all(name)]
    assert found[0] == first
    assert not never & set(found)
    if first == name:  # a service of its own borrows no IANA record
        assert portinfo.resolve(name).assignments == ()
