"""Every name leads to the right service: the services file and Nmap's file, line by line.

Sweeps over the raw upstream files in ../shared/data/ (skipped, saying so, where absent):
every name of every line resolves to a service on its port and protocol, the names of a
services-file line stand for the IANA service their line names, and no answer is left
without ports or protocols when a source gives them.
"""

from __future__ import annotations

import difflib
import itertools
from collections import defaultdict
from pathlib import Path

import pytest

import portinfo
from portinfo import Assignment, Match, Protocol, Service, Source
from portinfo._iana import parse_iana
from portinfo._nmap import NmapEntry, parse_nmap
from portinfo._services import ServicesEntry, parse_services


@pytest.fixture(scope="module")
def services(shared_data: Path) -> tuple[ServicesEntry, ...]:
    return parse_services((shared_data / "services").read_bytes(), "services")


@pytest.fixture(scope="module")
def nmap(shared_data: Path) -> list[NmapEntry]:
    entries = parse_nmap((shared_data / "nmap-services").read_bytes(), "nmap-services")
    return [e for e in entries if e.name != "unknown"]


@pytest.fixture(scope="module")
def iana(shared_data: Path) -> tuple[Assignment, ...]:
    xml = shared_data / "service-names-port-numbers.xml"
    return parse_iana(xml.read_bytes(), "xml").assignments


@pytest.fixture(scope="module")
def iana_names(iana: tuple[Assignment, ...]) -> dict[tuple[int, Protocol], dict[str, str]]:
    """Each IANA name on a port and protocol, with the service it stands for."""
    found: dict[tuple[int, Protocol], dict[str, str]] = defaultdict(dict)
    for record in iana:
        if record.service:
            for port in range(record.first or 0, (record.last or -1) + 1):
                for protocol in [record.protocol] if record.protocol else Protocol:
                    found[port, protocol].setdefault(
                        record.service.lower(), record.alias_of or record.service
                    )
    return found


def _on(found: tuple[Service, ...], port: int, protocol: Protocol) -> bool:
    return any(s.covers(port) and protocol in s.protocols for s in found)


def test_every_services_name_resolves_to_its_port_and_protocol(
    services: tuple[ServicesEntry, ...],
) -> None:
    for entry in services:
        for name in (entry.name, *entry.aliases):
            assert _on(portinfo.resolve_all(name), entry.port, entry.protocol), (name, entry)


def test_every_nmap_name_resolves_to_its_port_and_protocol(nmap: list[NmapEntry]) -> None:
    for entry in nmap:
        assert _on(portinfo.resolve_all(entry.name), entry.port, entry.protocol), entry


def test_a_services_line_stands_for_the_iana_service_it_names(
    services: tuple[ServicesEntry, ...],
    iana: tuple[Assignment, ...],
    iana_names: dict[tuple[int, Protocol], dict[str, str]],
) -> None:
    everywhere = {record.service.lower() for record in iana if record.service}
    ties: dict[str, set[str]] = defaultdict(set)
    for entry in services:
        group = (entry.name, *entry.aliases)
        tie = None
        for protocol in (entry.protocol, *(p for p in Protocol if p is not entry.protocol)):
            here = iana_names.get((entry.port, protocol), {})
            tie = next((here[n.lower()] for n in group if n.lower() in here), None)
            if tie:
                break
        for name in group:
            if tie and name.lower() not in everywhere:  # an IANA name answers for itself
                ties[name.lower()].add(tie.lower())
    assert ties["smtps"] == {"submissions"}
    assert ties["kdc"] == {"kerberos-iv"}
    checked = 0
    for name, tied in ties.items():
        found = [s.name.lower() for s in portinfo.resolve_all(name)]
        assert tied <= set(found), (name, tied, found)
        if len(tied) == 1:
            assert found[0] in tied, (name, tied, found)
            checked += 1
    assert checked > 30


def test_named_examples_of_the_issue() -> None:
    assert portinfo.resolve("smtps").name == "submissions"
    assert portinfo.resolve("ssmtp").name == "submissions"
    for name in ("kerberos4", "kdc"):
        assert portinfo.resolve(name).name == "kerberos-iv", name
    assert "kerberos-iv" in [s.name for s in portinfo.resolve_all("kerberos")]
    users, quote = portinfo.resolve("users"), portinfo.resolve("quote")
    assert (users.ports, quote.ports) == (((11, 11),), ((17, 17),))
    assert any(a.first is None for a in users.assignments)  # the name-only record, kept
    (imap,) = portinfo.resolve_all("imap")
    assert {Protocol.TCP, Protocol.UDP} <= set(imap.protocols)
    assert [s.name for s in portinfo.resolve_all("imaps")] == ["imaps"]


def test_no_answer_is_left_without_ports_or_protocols(
    services: tuple[ServicesEntry, ...], nmap: list[NmapEntry]
) -> None:
    names = {name for e in services for name in (e.name, *e.aliases)}
    names |= {e.name for e in nmap}
    names |= {u.name for u in portinfo.default_registry().uses()}
    for name in sorted(names):
        found = portinfo.resolve(name)
        assert found.ports, name
        assert found.protocols, name


def test_a_wide_range_is_never_a_name_and_never_comes_first() -> None:
    ranged = 0
    for port in range(65536):
        info = portinfo.lookup(port)
        assert all(a.source is not Source.OBSERVED for a in info.aliases), port
        kinds = [use.listens_on(port) for use in info.uses]
        assert kinds == sorted(kinds, reverse=True), port  # listening first, ranges after
        for use in info.uses:
            if not use.listens_on(port):
                assert use.range_at(port) is not None, (port, use.name)
                ranged += 1
    assert ranged > 0


def test_a_well_known_service_ranks_above_an_obscure_exact_match(tmp_path: Path) -> None:
    # IANA calls 4020 "trap" and 15740 "ptp"; the services file lists SNMP's traps (162) and
    # PTP's event and general ports (319, 320), which are what people mean.
    trap = [(r.match, r.name, r.ports) for r in portinfo.search("trap", limit=5)]
    assert trap[:2] == [
        (Match.SUBSTRING, "snmp-trap", ((162, 162),)),
        (Match.SUBSTRING, "snmptrap", ((162, 162),)),
    ]
    assert (Match.EXACT, "trap", ((4020, 4020),)) in trap
    ptp = [(r.name, r.ports) for r in portinfo.search("ptp", limit=2)]
    assert ptp == [("ptp-event", ((319, 319),)), ("ptp-general", ((320, 320),))]
    assert portinfo.search("git")[0].name == "git"  # a well-known exact match stays first
    # What is well known is what the registry's services file lists: a file of one's own
    # that lists 4020 puts it first.
    services = tmp_path / "services"
    services.write_text("trap\t4020/tcp\n")
    mine = portinfo.Registry.from_files(services=services)
    assert mine.search("trap")[0].ports == ((4020, 4020),)


def test_what_people_call_a_service_finds_it() -> None:
    assert [(r.name, r.ports) for r in portinfo.search("dns", limit=1)] == [("domain", ((53, 53),))]
    assert portinfo.resolve("dns").name == "domain"
    assert portinfo.resolve("SMB").name == "microsoft-ds"
    assert {s.name for s in portinfo.resolve_all("dhcp")} == {"bootps", "bootpc"}
    assert portinfo.port("mssql") == 1433
    assert all(a.name != "dns" for a in portinfo.lookup(53).aliases)  # a term is no alias


def _best(names: set[str], text: str) -> Match:
    """The best match of ``text`` among the ``names`` that contain it."""
    matches = [
        Match.EXACT if name == text else Match.PREFIX if name.startswith(text) else Match.SUBSTRING
        for name in names
        if text in name
    ]
    return min(matches, key=lambda match: match.rank)


def test_a_result_found_in_several_ways_keeps_its_best_match() -> None:
    # Tomcat's AJP connector is called "ajp": found by that term (exact) and by its name
    # tomcat-ajp (a substring), it is one result, an exact match, ahead of Nmap's ajp12 and
    # ajp13 (prefixes).
    found = [(r.match, r.name, r.source) for r in portinfo.search("ajp", limit=3)]
    assert found == [
        (Match.EXACT, "tomcat-ajp", Source.OBSERVED),
        (Match.PREFIX, "ajp12", Source.NMAP),
        (Match.PREFIX, "ajp13", Source.NMAP),
    ]
    # The rule over the shipped data: an observed use is found by its name and by each of
    # its terms, and IANA's service by its own name and by what people call it; every result
    # matched by name has the best of its matches.
    registry = portinfo.default_registry()
    ways: dict[tuple[str, Source], set[str]] = defaultdict(set)
    for use in registry.uses():
        ways[use.name, Source.OBSERVED].update((use.name, *use.terms))
    for alias in registry.aliases():
        if alias.source is Source.OBSERVED and alias.service is not None:
            ways[alias.service.lower(), Source.IANA].update(
                (alias.service.lower(), alias.name.lower())
            )
    # Searched for each of these names, and for the longest text that two of them share.
    texts: set[str] = set()
    for names in ways.values():
        texts.update(names)
        for one, other in itertools.combinations(sorted(names), 2):
            common = difflib.SequenceMatcher(None, one, other, autojunk=False)
            shared = common.find_longest_match(0, len(one), 0, len(other))
            texts.add(one[shared.a : shared.a + shared.size].strip())
    several = 0
    for text in sorted(t for t in texts if len(t) >= 2):
        for result in portinfo.search(text, limit=100):
            if result.match in (Match.PORT, Match.DESCRIPTION):
                continue
            name = result.name.lower() if result.source is Source.IANA else result.name
            names = ways.get((name, result.source), set()) | {result.name.lower()}
            several += sum(text in n for n in names) > 1
            assert result.match is _best(names, text), (text, result)
    assert several > 100  # results found in more than one way were met
