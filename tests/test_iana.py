"""The IANA parser, on tiny hand-written registries in IANA's XML and CSV forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from portinfo import Assignment, DataFormatError, Person, Protocol, ReferenceKind, Status
from portinfo._iana import IanaRegistry, clean_text, parse_iana
from tests.conftest import DATA


@pytest.fixture(scope="module")
def xml() -> IanaRegistry:
    return parse_iana((DATA / "tiny.xml").read_bytes(), "tiny.xml")


@pytest.fixture(scope="module")
def csv(xml: IanaRegistry) -> IanaRegistry:
    return parse_iana(
        (DATA / "tiny.csv").read_bytes(), "tiny.csv", people=xml.people, footnotes=xml.footnotes
    )


def named(registry: IanaRegistry, name: str) -> list[Assignment]:
    return [a for a in registry.assignments if a.service == name]


def test_every_record_is_kept_in_order(xml: IanaRegistry) -> None:
    assert xml.format == "xml"
    assert xml.updated == "2026-01-02"
    assert len(xml.assignments) == 15
    assert [a.first for a in xml.assignments[:4]] == [0, 4, 24, 66]


def test_ranges(xml: IanaRegistry) -> None:
    (x11,) = named(xml, "x11")
    assert (x11.first, x11.last) == (6000, 6063)
    assert list(x11.ports) == list(range(6000, 6064))
    assert x11.unauthorized == "Known Unauthorized Use on port 6003"


def test_blank_protocol_is_none(xml: IanaRegistry) -> None:
    unassigned = xml.assignments[1]
    assert unassigned.protocol is None
    assert unassigned.status is Status.UNASSIGNED
    assert all(unassigned.applies_to(p) for p in Protocol)


def test_statuses(xml: IanaRegistry) -> None:
    assert xml.assignments[0].status is Status.RESERVED
    assert xml.assignments[2].status is Status.RESERVED  # "any private mail system"
    assert named(xml, "http")[0].status is Status.ASSIGNED


def test_name_only_records(xml: IanaRegistry) -> None:
    (ping,) = named(xml, "dccp-ping")
    assert ping.first is None
    assert ping.last is None
    assert list(ping.ports) == []
    assert ping.registered == "2012-11-14"


def test_duplicates_and_aliases(xml: IanaRegistry) -> None:
    assert named(xml, "www")[0].alias_of == "http"
    assert named(xml, "www-http")[0].alias_of == "http"
    assert named(xml, "sql*net")[0].alias_of == "sql-net"
    assert named(xml, "http")[0].alias_of is None
    assert named(xml, "sql-net")[0].alias_of is None  # it names sql*net, but is not an alias


def test_people_are_names_and_organisations_never_addresses(xml: IanaRegistry) -> None:
    (http,) = named(xml, "http")
    assert http.assignees == (Person("IESG", None, "IESG"),)
    assert http.contacts == (Person("IETF_Chair", "IETF Chair", "IETF"),)
    assert http.assignee == "IESG"
    assert http.contact == "IETF Chair (IETF)"
    (agent,) = named(xml, "printer-agent")
    assert agent.assignee == "Ann Example, Bob Example (Example Org)"
    for person in xml.people.values():
        assert "&" not in repr(person)
        assert "@" not in repr(person)
        assert "tel:" not in repr(person)


def test_without_assignee_the_person_is_both(xml: IanaRegistry) -> None:
    (prizma, _) = named(xml, "prizma")
    assert prizma.assignee == prizma.contact == "Dotan Ofek"
    assert prizma.registered == "2005-12"
    assert prizma.modified is None


def test_text_is_normalised(xml: IanaRegistry) -> None:
    (sql_net,) = named(xml, "sql-net")
    assert sql_net.description == (
        "Oracle SQL*NET\n"
        'IANA assigned this well-formed service name as a replacement for "sql*net".'
    )
    (alias,) = named(xml, "sql*net")
    assert alias.notes is not None
    assert alias.notes.splitlines()[1] == "This entry is now historic, not usable for use with many"


def test_references(xml: IanaRegistry) -> None:
    (exp1,) = named(xml, "exp1")
    kinds = [r.kind for r in exp1.references]
    assert kinds == [ReferenceKind.NOTE, ReferenceKind.URI, ReferenceKind.TEXT]
    note, uri, text = exp1.references
    assert note.title == "Only for explicitly-configured experiments."
    assert (uri.value, uri.title, str(uri), uri.url) == (
        "https://example.org/spec",
        "Example spec",
        "Example spec",
        "https://example.org/spec",
    )
    assert text.value == "Ann Example <(e-mail address withheld)> 15 June 2009"
    assert exp1.service_code == 1145656131
    (http,) = named(xml, "http")
    assert str(http.references[0]) == "RFC9110"
    assert http.references[0].url == "https://www.rfc-editor.org/rfc/rfc9110"


def test_e_mail_addresses_are_withheld_wherever_they_appear() -> None:
    assert clean_text("write to <bob&example.org> or bob@example.org") == (
        "write to <(e-mail address withheld)> or (e-mail address withheld)"
    )
    assert clean_text("R&D and C&S stay") == "R&D and C&S stay"


def test_csv_and_xml_agree(xml: IanaRegistry, csv: IanaRegistry) -> None:
    assert csv.format == "csv"
    assert csv.updated is None
    assert len(csv.assignments) == len(xml.assignments)
    for from_xml, from_csv in zip(xml.assignments, csv.assignments):
        same = from_xml.replace(references=from_csv.references)
        assert same == from_csv, from_xml.service
        assert [str(r) for r in from_xml.references] == [str(r) for r in from_csv.references]


def test_csv_keeps_unknown_person_ids(xml: IanaRegistry) -> None:
    registry = parse_iana((DATA / "tiny.csv").read_bytes(), "tiny.csv")
    (prizma, _) = named(registry, "prizma")
    assert prizma.assignees == (Person("Dotan_Ofek"),)
    assert prizma.assignee == "Dotan_Ofek"


XML_HEAD = '<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "neither IANA's XML"),
        (b"hello, world", "neither IANA's XML"),
        (b"<registry", "line 1, column"),
        (b"<html><body/></html>", "not the <registry"),
        (XML_HEAD.encode() + b"</registry>", "no <record> elements"),
        (
            XML_HEAD.encode() + b"<record><name>a</name><protocol>tcp</protocol><description/>"
            b"<number>80x</number></record></registry>",
            "record 1 ('a'): port number must be N or N-M, got '80x'",
        ),
        (
            XML_HEAD.encode() + b"<record><name>a</name><protocol>icmp</protocol><description/>"
            b"<number>80</number></record></registry>",
            "unknown transport protocol 'icmp'",
        ),
        (
            XML_HEAD.encode()
            + b'<record date="2005-13"><name>a</name><protocol>tcp</protocol><description/>'
            b"<number>80</number></record></registry>",
            "registration date must be YYYY-MM-DD or YYYY-MM, got '2005-13'",
        ),
        (
            XML_HEAD.encode()
            + b'<record><name>a</name><xref type="person" data="Nobody"/><description/>'
            b"<number>80</number></record></registry>",
            "person 'Nobody' is not in the people list",
        ),
        (
            XML_HEAD.encode() + b"<record><name>a</name><protocol>tcp</protocol><description/>"
            b"<number>70000</number></record></registry>",
            "must lie within 0-65535",
        ),
        (
            XML_HEAD.encode()
            + b"<record><protocol>tcp</protocol><description>x</description></record></registry>",
            "a record with no port must have a service name",
        ),
        (b"Service Name,Port\n", "line 1: the header must be IANA's columns"),
        (
            (DATA / "tiny.csv").read_bytes().splitlines()[0] + b"\nhttp,80,tcp\n",
            "line 2 ('http'): expected 12 fields, found 3",
        ),
        (
            (DATA / "tiny.csv").read_bytes().splitlines()[0]
            + b"\nhttp,80,tcp,d,,,2020-02-30,,,,,\n",
            "line 2 ('http'): registration date must be YYYY-MM-DD or YYYY-MM, got '2020-02-30'",
        ),
        (
            (DATA / "tiny.csv").read_bytes().splitlines()[0] + b"\nhttp,80,tcp,d,,,,,,x,,\n",
            "service code must be a number",
        ),
        ((DATA / "tiny.csv").read_bytes().splitlines()[0] + b"\n", "header but no records"),
        (b"Service Name,\xff\n", "not UTF-8"),
    ],
)
def test_malformed_files_name_the_file_and_the_place(content: bytes, message: str) -> None:
    with pytest.raises(DataFormatError) as caught:
        parse_iana(content, "bad-file")
    assert str(caught.value).startswith("bad-file")
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_file_detection_ignores_a_byte_order_mark(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + (DATA / "tiny.csv").read_bytes()
    assert parse_iana(data, "bom.csv").format == "csv"
