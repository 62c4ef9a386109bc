"""The caps on a user's file (``portinfo._files``): a file over one is refused, naming the
file and the cap, before its cost can grow; within them, compiling is linear in records."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

import portinfo._files
from portinfo import DataFormatError, Registry
from portinfo._files import MAX_ALIASES, MAX_ON_PORT, MAX_RECORDS, MAX_SAME_NAME
from portinfo._iana import CSV_COLUMNS, parse_iana
from portinfo._nmap import parse_nmap
from portinfo._observed import parse_observed
from portinfo._services import parse_services
from tests.conftest import DATA, REPOSITORY

sys.path.insert(0, str(REPOSITORY / "tools"))
import bound

HEADER = ",".join(CSV_COLUMNS)


def _csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows, ""]).encode()


def test_the_real_files_are_within_the_caps_by_a_wide_margin() -> None:
    # The caps leave room for years of growth: today's files are far from each.
    shared = REPOSITORY.parent / "shared" / "data"
    if not shared.is_dir():
        pytest.skip("needs the raw upstream files in ../shared/data")
    iana = parse_iana((shared / "service-names-port-numbers.xml").read_bytes(), "iana.xml")
    nmap = parse_nmap((shared / "nmap-services").read_bytes(), "nmap-services")
    assert len(iana.assignments) * 3 < MAX_RECORDS
    assert len(nmap) * 1.5 < MAX_RECORDS
    assert parse_services((shared / "services").read_bytes(), "services")


@pytest.mark.parametrize("records", [MAX_RECORDS + 1, 250_000])
def test_an_iana_xml_over_the_cap_on_records_is_refused(records: int) -> None:
    head = b'<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">'
    data = head + b"<record><name>x</name></record>" * records + b"</registry>"
    start = time.process_time()
    with pytest.raises(DataFormatError, match=r"^evil\.xml: more than 50,000 records, the cap"):
        parse_iana(data, "evil.xml")
    assert time.process_time() - start < 10  # refused before any record is built


def test_an_iana_csv_over_the_cap_on_records_is_refused_as_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(portinfo._files, "MAX_RECORDS", 5)
    monkeypatch.setattr(portinfo._iana, "MAX_RECORDS", 5)
    rows = [f"s{n},{n},tcp,S,,,,,,,," for n in range(6)]
    assert len(parse_iana(_csv(*rows[:5]), "ok.csv").assignments) == 5
    with pytest.raises(DataFormatError, match=r"^big\.csv: more than 5 records, the cap"):
        parse_iana(_csv(*rows), "big.csv")


def test_records_crowding_one_port_are_refused() -> None:
    wide = [f"w{n},0-65535,tcp,Wide,,,,,,,," for n in range(MAX_ON_PORT - 1)]
    assert len(parse_iana(_csv(*wide, "one,80,tcp,One,,,,,,,,"), "ok.csv").assignments) == 32
    with pytest.raises(
        DataFormatError, match=r"^crowd\.csv: 33 records cover port 80/tcp, more than the cap of 32"
    ):
        parse_iana(_csv(*wide, "one,80,tcp,One,,,,,,,,", "two,79-81,,Two,,,,,,,,"), "crowd.csv")
    assert len(parse_iana(_csv(*wide, "one,80,udp,One,,,,,,,,"), "ok.csv").assignments) == 32


def test_a_services_file_over_the_caps_is_refused() -> None:
    line = "name 80/tcp " + " ".join(f"a{n}" for n in range(MAX_ALIASES)) + "\n"
    assert parse_services(line.encode(), "ok")[0].aliases[-1] == f"a{MAX_ALIASES - 1}"
    with pytest.raises(DataFormatError, match=r"^many: line 2: 33 aliases, more than the cap"):
        parse_services(f"{line}name 81/tcp {' '.join(['b'] * 33)}\n".encode(), "many")
    crowd = "".join(f"s{n} 53/udp\n" for n in range(MAX_ON_PORT + 1))
    with pytest.raises(DataFormatError, match=r"^crowd: 33 lines cover port 53/udp"):
        parse_services(crowd.encode(), "crowd")
    same = "".join(f"x {n}/tcp X\n" for n in range(MAX_SAME_NAME // 2 + 1))
    with pytest.raises(DataFormatError, match=r"^same: 2,002 names named 'x', more than the cap"):
        parse_services(same.encode(), "same")
    lines = (MAX_RECORDS // (1 + MAX_ALIASES)) + 1
    many = "".join(f"s{n} {n % 65536}/tcp {' '.join(['a'] * MAX_ALIASES)}\n" for n in range(lines))
    with pytest.raises(DataFormatError, match=r"^names: more than 50,000 names, the cap"):
        parse_services(many.encode(), "names")


def test_a_60_mb_services_file_with_10000_aliases_a_line_is_refused_at_once() -> None:
    # It took 124 s and 7.8 GB to load.
    line = "svc 80/tcp " + " ".join(f"alias{n}" for n in range(10_000)) + "\n"
    data = (line * (60_000_000 // len(line))).encode()
    start = time.process_time()
    with pytest.raises(DataFormatError, match=r"^huge: line 1: 10,000 aliases, more than the cap"):
        parse_services(data, "huge")
    assert time.process_time() - start < 10


def test_an_nmap_file_over_the_caps_is_refused() -> None:
    too_many = bound.crowded_nmap(MAX_RECORDS + 1)
    with pytest.raises(DataFormatError, match=r"^nmap: more than 50,000 entries, the cap"):
        parse_nmap(too_many.encode(), "nmap")
    same = "".join(f"x\t{n}/tcp\t0.1\n" for n in range(MAX_SAME_NAME + 1))
    with pytest.raises(DataFormatError, match=r"^nmap: 2,001 entries named 'x'"):
        parse_nmap(same.encode(), "nmap")
    unknown = "".join(f"unknown\t{n}/tcp\t0.1\n" for n in range(MAX_SAME_NAME + 1))
    assert len(parse_nmap(unknown.encode(), "nmap")) == MAX_SAME_NAME + 1  # not a name


def test_an_observed_uses_file_over_the_caps_is_refused() -> None:
    text = (REPOSITORY / "sources" / "observed-uses.toml").read_text(encoding="utf-8")
    use = (
        '[[use]]\nname = "u{n}"\ntitle = "U"\nports = []\nranges = ["0-65535"]\n'
        'protocols = ["tcp"]\ncategory = "other"\ndescription = "d"\nsource = "https://example.org/"\n'
    )
    crowd = "".join(use.format(n=n) for n in range(MAX_ON_PORT + 1))
    with pytest.raises(DataFormatError, match=r"^uses\.toml: 33 uses cover port 0/tcp"):
        parse_observed(crowd.encode(), "uses.toml")
    assert parse_observed(text.encode(), "observed-uses.toml").uses


def test_within_the_caps_loading_is_linear_and_answers_are_quick(tmp_path: Path) -> None:
    # 40,000 records over 0-65535 took 9.7 s and 200,000 took 195 s (quadratic), and then
    # lookup(80) 1.4 s; the most crowded files the caps allow load in time linear in their
    # records (docs/guarantees.md has the figures at the caps, from tools/bound.py).
    timings = []
    for records in (4_000, 16_000):
        path = tmp_path / f"iana{records}.csv"
        path.write_text(bound.crowded_iana(records), encoding="utf-8")
        start = time.process_time()
        registry = Registry.from_files(iana=path)
        registry.lookup(0)
        timings.append(time.process_time() - start)
        for query in ("lookup", "search"):
            start = time.process_time()
            registry.lookup(30000) if query == "lookup" else registry.search("svc")
            assert time.process_time() - start < 1.0, query
        assert len(registry.lookup(30000, "udp").assignments) == MAX_ON_PORT
    # Four times the records, at most about four times the time (plus the fixed cost of
    # the packaged data the files are compiled with); quadratic would be sixteen.
    assert timings[1] < 6 * timings[0], timings
    assert DATA.is_dir()
