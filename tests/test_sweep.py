"""Sweeps over the real upstream files: every record reachable, the data reproducible.

These need the raw files in ../shared/data/ and skip, saying so, where they are absent.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pytest

import portinfo
from portinfo import Assignment, Protocol, Registry, Source
from portinfo._iana import parse_iana
from portinfo._nmap import parse_nmap
from portinfo._services import parse_services
from portinfo._store import DATA_FILES
from tests.conftest import REPOSITORY

sys.path.insert(0, str(REPOSITORY / "tools"))
import generate


@pytest.fixture(scope="module")
def upstream(shared_data: Path) -> tuple[Assignment, ...]:
    xml = shared_data / "service-names-port-numbers.xml"
    return parse_iana(xml.read_bytes(), str(xml)).assignments


def test_every_record_is_reachable_by_port_with_its_fields_intact(
    upstream: tuple[Assignment, ...],
) -> None:
    registry = portinfo.default_registry()
    assert list(registry.assignments()) == list(upstream)
    for record in upstream:
        protocols = list(Protocol) if record.protocol is None else [record.protocol]
        # Every port of a range, but no more than the ends and a middle one of a huge one.
        ports = range(record.first or 0, (record.last or -1) + 1)
        sample = ports if len(ports) <= 64 else [ports[0], ports[len(ports) // 2], ports[-1]]
        for port in sample:
            for protocol in protocols:
                assert record in portinfo.lookup(port, protocol).assignments, (record, port)


def test_every_name_is_reachable_by_resolve(upstream: tuple[Assignment, ...]) -> None:
    by_name: dict[str, list[Assignment]] = defaultdict(list)
    for record in upstream:
        if record.service:
            by_name[record.service.lower()].append(record)
    for name, records in by_name.items():
        found = portinfo.resolve(name)
        candidates = (found, *found.others)
        if records[0].alias_of is None or any(r.alias_of is None for r in records):
            # IANA's own service of that name; first, unless IANA gives it no port and
            # another service of that name has one (see resolve_all).
            own = [s for s in candidates if s.assignments == tuple(records)]
            assert own, name
            assert own[0] is found or not own[0].ports, name
        else:
            assert any(s.name.lower() == records[0].alias_of.lower() for s in candidates), name


def test_the_packaged_data_regenerates_byte_for_byte(shared_data: Path) -> None:
    generated = generate.generate(shared_data)
    package = REPOSITORY / "src" / "portinfo" / "data"
    assert sorted(generated) == sorted(DATA_FILES)
    assert generate.differences(generated, package) == []
    for name, data in generated.items():
        first_line = data.split(b"\n", 1)[0]
        assert b"generate.py" in first_line, name
        assert b"do not edit" in first_line.lower(), name


def test_the_csv_answers_like_the_packaged_data(shared_data: Path) -> None:
    csv = Registry.from_files(iana=shared_data / "service-names-port-numbers.csv")
    packaged = portinfo.default_registry()
    assert csv.data_info().source("iana").file == "service-names-port-numbers.csv"
    by_key: dict[tuple[object, ...], list[Assignment]] = defaultdict(list)
    for record in packaged.assignments():
        by_key[(record.service, record.protocol, record.first, record.last)].append(record)
    compared = 0
    differing = set()
    for record in csv.assignments():
        matches = by_key.get((record.service, record.protocol, record.first, record.last), [])
        if len(matches) != 1:
            continue
        (newer,) = matches
        if (newer.modified or "") > "2026-02-26" or (newer.registered or "") > "2026-02-26":
            continue  # changed upstream after the CSV's date: not a record in common
        compared += 1
        fields = ("description", "assignee", "contact", "registered", "modified", "notes")
        mismatch = [
            f
            for f in fields
            if " ".join(str(getattr(newer, f)).split()) != " ".join(str(getattr(record, f)).split())
        ]
        if [str(r) for r in newer.references] != [str(r) for r in record.references]:
            mismatch.append("references")
        if mismatch or newer.status is not record.status or newer.alias_of != record.alias_of:
            differing.add(record.service)
    assert compared > 14_000
    # IANA edited these three between the two files without touching their dates:
    # drafts published as RFCs 10003, 9918 and 9946, and a capital letter.
    assert differing == {"pkix-cmc", "netconf-tls", "udpstp"}


def test_every_services_alias_and_primary_name_resolves(shared_data: Path) -> None:
    entries = parse_services((shared_data / "services").read_bytes(), "services")
    for entry in entries:
        for name in (entry.name, *entry.aliases):
            found = portinfo.resolve(name)
            candidates = (found, *found.others)
            assert any(s.covers(entry.port) for s in candidates), (name, entry.port)


def test_every_nmap_name_that_differs_from_iana_resolves(shared_data: Path) -> None:
    entries = parse_nmap((shared_data / "nmap-services").read_bytes(), "nmap-services")
    registry = portinfo.default_registry()
    shipped = {(a.name, a.port, a.protocol) for a in registry.aliases() if a.source is Source.NMAP}
    checked = 0
    for entry in entries:
        if entry.name == "unknown":
            continue
        own = {
            a.service.lower()
            for a in portinfo.lookup(entry.port, entry.protocol).assignments
            if a.service
        }
        if entry.name.lower() in own:
            assert (entry.name, entry.port, entry.protocol) not in shipped
            continue
        assert (entry.name, entry.port, entry.protocol) in shipped
        found = portinfo.resolve(entry.name)
        assert any(s.covers(entry.port) for s in (found, *found.others)), entry
        checked += 1
    assert checked == len(shipped)


def test_every_shipped_alias_resolves_to_a_service_on_its_port() -> None:
    for alias in portinfo.default_registry().aliases():
        found = portinfo.resolve(alias.name)
        candidates = (found, *found.others)
        if alias.port is not None:
            assert any(s.covers(alias.port) for s in candidates), alias
        if alias.service is not None:
            assert any(s.name.lower() == alias.service.lower() for s in candidates), alias


def test_every_observed_use_is_documented_and_on_a_valid_port() -> None:
    uses = list(portinfo.default_registry().uses())
    assert len(uses) >= 200
    assert len({u.name for u in uses}) == len(uses)
    for use in uses:
        assert use.description.strip(), use.name
        assert use.source.startswith(("https://", "http://")), use.name
        assert "wikipedia.org" not in use.source, use.name
        assert use.ports or use.ranges, use.name
        for first, last in use.ports + use.ranges:
            assert 0 <= first <= last <= 65535
            assert use in portinfo.lookup(first).uses
            assert use in portinfo.lookup(last).uses
        assert any(use in s.uses for s in portinfo.resolve_all(use.name)), use.name
