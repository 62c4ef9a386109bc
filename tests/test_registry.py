"""The registry's queries, on a registry built from tiny hand-written upstream files."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from portinfo import (
    Alias,
    DataFormatError,
    InvalidArgumentError,
    InvalidPortError,
    InvalidProtocolError,
    Match,
    NoRankingError,
    PortRange,
    Protocol,
    Registry,
    Source,
    Status,
    UnknownServiceError,
    UnknownSourceError,
)
from portinfo._data import Data, packaged
from tests.conftest import DATA


def test_lookup_single_port(tiny: Registry) -> None:
    info = tiny.lookup(2039)
    assert info.port == 2039
    assert info.range is PortRange.USER
    assert info.status is Status.ASSIGNED
    assert info.services == ("prizma",)
    assert [a.protocol for a in info.assignments] == [Protocol.TCP, Protocol.UDP]
    assert tiny.lookup("2039/udp").assignments == (info.assignments[1],)
    assert tiny.lookup(" 2039 ", "UDP") == tiny.lookup("2039/udp")


def test_lookup_keeps_every_name_primary_first(tiny: Registry) -> None:
    assert tiny.lookup(80).services == ("http", "www", "www-http")
    assert tiny.lookup(66, "tcp").services == ("sql-net", "sql*net")


def test_lookup_ranges_and_blank_protocols(tiny: Registry) -> None:
    for port in (6000, 6031, 6063):
        assert tiny.lookup(port, "tcp").services == ("x11",)
    assert tiny.lookup(6064, "tcp").assignments == ()
    assert tiny.lookup(6031, "udp").assignments == ()
    for protocol in Protocol:
        (unassigned,) = tiny.lookup(4, protocol).assignments
        assert unassigned.protocol is None


def test_statuses(tiny: Registry) -> None:
    assert tiny.lookup(0).status is Status.RESERVED
    assert tiny.lookup(49151).status is Status.RESERVED
    assert tiny.lookup(4).status is Status.UNASSIGNED
    assert tiny.lookup(50000).status is Status.UNASSIGNED
    assert tiny.lookup(50000).assignments == ()
    assert tiny.lookup(50000).range is PortRange.DYNAMIC
    assert tiny.lookup(80, "dccp").assignments == ()
    assert tiny.lookup(80, "dccp").status is Status.UNASSIGNED


def test_lookup_errors(tiny: Registry) -> None:
    with pytest.raises(InvalidPortError, match=r"use resolve\('http'\)"):
        tiny.lookup("http")
    with pytest.raises(InvalidPortError, match=r"use resolve\('http'\)"):
        tiny.lookup("http/tcp")
    with pytest.raises(InvalidPortError, match="65536"):
        tiny.lookup(65536)
    with pytest.raises(InvalidProtocolError, match="'icmp'"):
        tiny.lookup(80, "icmp")
    with pytest.raises(TypeError, match="list"):
        tiny.lookup([80])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="protocol must be"):
        tiny.lookup(80, ["tcp"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        tiny.lookup(80.0)  # type: ignore[arg-type]


def test_aliases_of_a_port(tiny: Registry) -> None:
    aliases = tiny.lookup(80, "tcp").aliases
    assert Alias("www", Source.IANA, Protocol.TCP, 80, "http") in aliases
    # The services file's "www" repeats an IANA name of the port: it is given once, as IANA's.
    assert [a.name for a in aliases] == ["www", "www-http", "web-test"]
    assert all(a.name != "http" for a in aliases)  # IANA's own name is not an alias
    assert tiny.lookup(66, "tcp").aliases[0].source is Source.IANA
    services = [a.name for a in tiny.lookup(66, "tcp").aliases if a.source is Source.SERVICES]
    # In file order; sql-net is IANA's own name there.
    assert services == ["sqlnet", "oracle-sql-test"]


def test_nmap_names_where_they_differ(tiny: Registry) -> None:
    assert Alias("mail-test", Source.NMAP, Protocol.TCP, 24, None) in tiny.lookup(24).aliases
    assert all(a.source is not Source.NMAP for a in tiny.lookup(80).aliases)
    assert all(a.name != "unknown" for a in tiny.lookup(4).aliases)
    assert [a.name for a in tiny.lookup(6001).aliases if a.source is Source.NMAP] == ["x11-test"]


def test_resolve_by_own_name_case_insensitive(tiny: Registry) -> None:
    service = tiny.resolve("HTTP")
    assert service.name == "http"
    assert service.ports == ((80, 80),)
    assert service.matched is None
    assert {a.name for a in service.aliases} == {"www", "www-http", "web-test"}
    assert tiny.resolve("x11").ports == ((6000, 6063),)
    assert tiny.resolve("dccp-ping").ports == ()


def test_a_name_in_another_case_is_answered_from_the_cache() -> None:
    registry = Registry.packaged()
    first = registry.resolve("HTTP")
    assert first.others  # http stands for several services: the answer is built, once
    assert registry.resolve("HTTP") is first
    assert registry.resolve(" http") is first
    assert registry.resolve("http") is first


def test_resolve_by_alias(tiny: Registry) -> None:
    www = tiny.resolve("www")
    assert www.name == "http"
    assert www.matched == Alias("www", Source.IANA, Protocol.TCP, 80, "http")
    assert tiny.resolve("sql*net").name == "sql-net"
    assert tiny.resolve("Oracle-SQL-Test").name == "sql-net"
    assert tiny.resolve("x11-zero").name == "x11"  # its services line names x11 too
    # Nmap's x11-test on 6001 is within IANA's x11 range, but no source ties the two: it
    # is a service of its own, not x11 because x11 is the only IANA service there.
    untied = tiny.resolve("x11-test")
    assert (untied.name, untied.ports, untied.assignments) == ("x11-test", ((6001, 6001),), ())


def test_resolve_a_name_no_iana_record_has(tiny: Registry) -> None:
    service = tiny.resolve("mail-test")
    assert service.name == "mail-test"
    assert service.ports == ((24, 24),)
    assert service.assignments == ()
    assert service.matched is not None
    assert service.matched.source is Source.NMAP


def test_resolve_errors(tiny: Registry) -> None:
    with pytest.raises(UnknownServiceError, match="'no-such-service'") as caught:
        tiny.resolve("no-such-service")
    assert isinstance(caught.value, LookupError)
    with pytest.raises(UnknownServiceError, match=r"use lookup\(80\)"):
        tiny.resolve("80")
    with pytest.raises(UnknownServiceError):
        tiny.resolve("")
    with pytest.raises(TypeError, match="int"):
        tiny.resolve(80)  # type: ignore[arg-type]


def test_search_ranks_exact_prefix_substring_description(tiny: Registry) -> None:
    results = tiny.search("www")
    assert [(r.match, r.name, r.source) for r in results][:1] == [(Match.EXACT, "www", Source.IANA)]
    assert [r.name for r in results].count("www") == 1  # the services file's "www" repeats it
    assert (Match.PREFIX, "www-http") in [(r.match, r.name) for r in results]
    monitoring = tiny.search("monitoring", limit=100)  # observed uses come from the package
    iana = [(r.match, r.name, r.ports) for r in monitoring if r.source is Source.IANA]
    assert iana == [(Match.DESCRIPTION, "prizma", ((2039, 2039),))]
    ranks = [(r.match.rank, r.ports[0][0] if r.ports else 65536) for r in monitoring]
    assert ranks == sorted(ranks)
    assert all(r.source is not Source.IANA for r in tiny.search("monitoring", protocol="sctp"))
    limited = tiny.search("x", limit=6)
    assert len(limited) == 6
    # Well-known services first, even where only a substring matches: the services file
    # lists x11 and x11-zero; then the common uses whose names hold an x (Express's
    # generator, Squid's proxy...), lowest port first, before any obscure name.
    assert [(r.match, r.name) for r in limited[:3]] == [
        (Match.PREFIX, "x11"),
        (Match.PREFIX, "x11-zero"),
        (Match.SUBSTRING, "express-generator-app"),
    ]
    common = limited[2:]
    assert all(r.match is Match.SUBSTRING and r.source is Source.OBSERVED for r in common)
    assert [r.ports[0] for r in common] == sorted(r.ports[0] for r in common)
    assert tiny.search("   ") == ()


def test_search_errors(tiny: Registry) -> None:
    with pytest.raises(TypeError):
        tiny.search(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 1"):
        tiny.search("x", limit=0)
    with pytest.raises(TypeError):
        tiny.search("x", limit=True)
    with pytest.raises(InvalidProtocolError):
        tiny.search("x", protocol="icmp")


def test_top_ports_from_a_users_nmap_file(tiny: Registry) -> None:
    assert tiny.top_ports(3) == (80, 8080, 6000)
    assert tiny.top_ports(1, protocol="udp") == (2039,)
    assert tiny.top_ports(0) == ()
    with pytest.raises(ValueError, match="at least 0"):
        tiny.top_ports(-1)


def test_top_ports_breaks_ties_towards_the_lower_port() -> None:
    tied = Registry.from_files(iana=DATA / "tiny.xml", nmap=DATA / "tied-nmap-services")
    assert tied.top_ports(6) == (5000, 81, 700, 9000, 20, 3000)
    assert tied.top_ports(10) == (5000, 81, 700, 9000, 20, 3000)
    assert tied.top_ports(2) == (5000, 81)  # a cut inside a tie keeps the lower ports
    assert tied.top_ports(5) == (5000, 81, 700, 9000, 20)
    assert tied.top_ports(2, protocol="udp") == (90, 700)
    assert tied.top_ports(1, protocol="udp") == (90,)


def test_top_ports_needs_an_nmap_file() -> None:
    registry = Registry.from_files(iana=DATA / "tiny.xml")
    with pytest.raises(NoRankingError, match="from_files\\(nmap="):
        registry.top_ports(10)


def test_data_info_describes_the_users_files(tiny: Registry) -> None:
    info = tiny.data_info()
    assert info.iana_updated == "2026-01-02"
    assert info.source("iana").file == "tiny.xml"
    assert info.source("iana").records == 15
    assert info.source("services").file == "tiny-services"
    assert info.source("nmap").records == 8
    assert [s.name for s in info.sources] == ["iana", "services", "nmap", "observed"]
    with pytest.raises(LookupError):
        info.source("wikipedia")


@pytest.mark.parametrize(
    ("name", "error"),
    [("x" * 100_000, UnknownSourceError), (10**5000, TypeError), (None, TypeError), (1, TypeError)],
    ids=["long name", "long int", "None", "int"],
)
def test_data_info_source_checks_its_name(tiny: Registry, name: object, error: type) -> None:
    # A name that is no source is a LookupError; a value of another type a TypeError; the
    # message shows either briefly (not 100,000 characters, nor an int's 5,000 digits).
    with pytest.raises(error) as caught:
        tiny.data_info().source(name)  # type: ignore[arg-type]
    assert len(str(caught.value)) < 200


def test_from_files_reads_and_checks_everything_first(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="cannot be read"):
        Registry.from_files(iana=tmp_path / "missing.xml")
    bad = tmp_path / "bad-services"
    bad.write_text("http eighty/tcp\n")
    with pytest.raises(DataFormatError, match="bad-services: line 1"):
        Registry.from_files(iana=DATA / "tiny.xml", services=bad)
    nmap = tmp_path / "bad-nmap"
    nmap.write_text("http\t80/tcp\tmany\n")
    with pytest.raises(DataFormatError, match="bad-nmap: line 1"):
        Registry.from_files(nmap=nmap)


def test_csv_registry_answers_like_the_xml_one() -> None:
    xml = Registry.from_files(iana=DATA / "tiny.xml")
    csv = Registry.from_files(iana=DATA / "tiny.csv")
    for port in (0, 4, 24, 66, 80, 1021, 2039, 6031, 49151):
        left, right = xml.lookup(port), csv.lookup(port)
        assert left.services == right.services
        assert left.status is right.status
        assert [a.assignee for a in left.assignments] == [a.assignee for a in right.assignments]


def test_a_registry_is_made_one_way_each() -> None:
    for argument in ((), ("portinfo/data",)):
        with pytest.raises(TypeError, match=r"Registry.packaged\(\) or Registry.from_files\(\)"):
            Registry(*argument)
    assert not hasattr(Registry, "from_iana_file")
    for internal in ("assignment", "alias", "use", "tables"):
        assert not hasattr(Registry.packaged(), internal), internal


def test_nothing_is_read_before_the_first_query(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def loader() -> object:
        calls.append(1)
        raise RuntimeError("loaded")

    monkeypatch.setattr("portinfo._registry.packaged", loader)
    registry = Registry.packaged()
    assert calls == []
    assert "not loaded" in repr(registry)
    with pytest.raises(RuntimeError):
        registry.lookup(80)
    assert calls == [1]


def test_first_queries_from_many_threads_load_once(tiny: Registry) -> None:
    loads = []

    def counting_loader() -> Data:
        loads.append(1)
        return packaged()

    registry = Registry(counting_loader)
    barrier = threading.Barrier(8)
    answers = []

    def ask() -> None:
        barrier.wait()
        answers.append(registry.lookup(80, "tcp").services)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == [1]
    assert len(answers) == 8
    assert all(a == ("http", "www", "www-http") for a in answers)


def test_from_files_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(DataFormatError, match="named pipe"):
        Registry.from_files(services=fifo)
    with pytest.raises(DataFormatError, match="directory"):
        Registry.from_files(iana=tmp_path)
    with pytest.raises(DataFormatError, match="NUL"):
        Registry.from_files(nmap="bad\0name")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a " * 6000, "at most 200 characters"),
        ("h" * 10_000_000, "at most 200 characters"),
        (" ".join(f"w{n}" for n in range(13)), "at most 12 different words"),
    ],
)
def test_search_refuses_absurd_text_quickly(tiny: Registry, text: str, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message) as caught:
        tiny.search(text)
    assert len(str(caught.value)) < 200  # the text is shortened in the message


def test_search_counts_a_repeated_word_once(tiny: Registry) -> None:
    assert tiny.search("monitoring " * 50) == tiny.search("monitoring")
    assert tiny.search("a " * 4000) == tiny.search("a")  # took 7.8 s before words were deduplicated
    assert tiny.search(" ".join(["http"] * 12 + ["www"])) == tiny.search("http www")


def test_names_match_in_ascii_only(tiny: Registry) -> None:
    with pytest.raises(UnknownServiceError):
        tiny.resolve("\u212aerberos")  # KELVIN SIGN lower-cases to "k" in Unicode
    assert tiny.port("\u212aerberos") is None


def test_integer_subclasses_answer_as_ints(tiny: Registry) -> None:
    import pickle
    from http import HTTPStatus

    info = tiny.lookup(HTTPStatus.OK)
    assert type(info.port) is int
    assert pickle.loads(pickle.dumps(info)) == info
    assert tiny.lookup(HTTPStatus.OK) == tiny.lookup(200)


def test_an_index_that_changes_gets_the_answer_for_its_value_now(tiny: Registry) -> None:
    class Moving:
        value = 80

        def __index__(self) -> int:
            return self.value

    moving = Moving()
    assert tiny.lookup(moving).port == 80
    moving.value = 2039
    assert tiny.lookup(moving).port == 2039


def test_a_port_number_finds_the_names_on_it_and_a_name_its_port() -> None:
    import portinfo

    found = [(r.match, r.name, r.source) for r in portinfo.search("8443", limit=3)]
    assert found[:2] == [
        (Match.PORT, "pcsync-https", Source.IANA),
        (Match.PORT, "https-alt", Source.NMAP),
    ]
    assert portinfo.search("https-alt")[0].ports == ((8443, 8443),)
    assert all(r.name != "google-cast" for r in portinfo.search("50000"))  # a range's, not its
    (http_alt,) = [r for r in portinfo.search("http-alt") if r.source is Source.IANA]
    assert http_alt.description == "HTTP Alternate (see port 80)"  # 8080's, not 591's


def test_a_huge_limit_gives_a_short_message(tiny: Registry) -> None:
    with pytest.raises(InvalidArgumentError, match="at least 1") as caught:
        tiny.search("http", limit=-(10**5000))
    assert len(str(caught.value)) < 200


def test_protocol_is_positional_or_keyword_everywhere(tiny: Registry) -> None:
    import portinfo

    # One way for every function that takes a protocol: after the key, by position or by
    # name; the options after it are keyword-only.
    functions: list[Callable[..., object]] = [portinfo.lookup, portinfo.name, portinfo.port]
    functions += [portinfo.report, portinfo.search]
    functions += [tiny.lookup, tiny.name, tiny.port, tiny.search]
    for function in functions:
        parameters = list(inspect.signature(function).parameters.values())
        protocol = parameters[1]
        assert protocol.name == "protocol", function
        assert protocol.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, function
        assert protocol.default is None, function
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters[2:]), function
    assert portinfo.search("domain", "udp", limit=3) == portinfo.search(
        "domain", protocol="udp", limit=3
    )
    assert tiny.search("http", "sctp") == tiny.search("http", protocol="sctp")
    assert tiny.search("http", "sctp") != tiny.search("http")


_PEAK_MEMORY = """
import portinfo
registry = portinfo.Registry.packaged()
calls = [registry.resolve, registry.resolve_all, registry.port, portinfo.resolve, portinfo.port]
calls += [registry.lookup, registry.name, portinfo.lookup]
half = 5 * 1024 * 1024
for i in range(100):  # 10 MB of spaces around a name or port, a different text each time
    call = calls[i % len(calls)]
    key = ("HTTP", "ssh")[i % 2] if i % len(calls) < 5 else "22/TCP"
    assert call(" " * (half + i) + key + " " * (half - i))
status = open("/proc/self/status").read()
print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_caches_keep_the_normalised_key_never_the_text() -> None:
    # A cache keyed by the text as given kept every one: 100 calls held 1 GB.
    import subprocess
    import sys

    command = [sys.executable, "-c", _PEAK_MEMORY]
    found = subprocess.run(command, check=False, capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert int(found.stdout) < 200, f"peak memory {found.stdout.strip()} MB"
