"""The IANA parser, on tiny hand-written registries in IANA's XML and CSV forms."""

from __future__ import annotations

import os
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as hs

import portinfo._iana
from portinfo import Assignment, DataFormatError, Person, Protocol, ReferenceKind, Status
from portinfo._iana import WITHHELD, IanaRegistry, clean_text, parse_iana, withhold_addresses
from tests.conftest import DATA
from tests.test_files import call_watching_fifo


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
    assert x11.ports == ((6000, 6063),)
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
    assert ping.ports == ()
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
        same = attrs.evolve(from_xml, references=from_csv.references)
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


# --- e-mail addresses: withheld in linear time -------------------------------------------------

OLD_EMAIL = re.compile(r"[\w.+-]+(?:&|@)[\w-]+(?:\.[\w-]+)+")
"""The pattern that withholding replaced: exact but quadratic, so only for short texts."""


@given(hs.text(alphabet="ab_.+-@& \n\u00e9\u0660\u2028", max_size=40))
@example("a@b.c+x@y.z")
@example("a.b@c.d.")
@example("x@y.z@w.v")
@example("\u00e9@\u00e9.\u00e9 and \u0660&\u0660.\u0660")
@example("mail bob&example.org, or -+.@a-.-")
@example("a@b.c.@d.e")
def test_withholding_is_what_the_old_pattern_withheld(text: str) -> None:
    assert withhold_addresses(text) == OLD_EMAIL.sub(WITHHELD, text)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("a" * 200_000, "a" * 200_000),
        ("a." * 100_000, "a." * 100_000),
        ("@" + "a" * 200_000, "@" + "a" * 200_000),
        ("a@" * 100_000, "a@" * 100_000),
        ("x@" + "a" * 200_000, "x@" + "a" * 200_000),
        ("a" * 200_000 + "@example.org", WITHHELD),
        ("x@" + "a." * 100_000, WITHHELD + "."),
        ("a@b.c+" * 50_000, WITHHELD * 50_000 + "+"),
    ],
    ids=["word", "dots", "at-word", "ats", "no-dot", "long-local", "long-domain", "many"],
)
def test_withholding_is_linear_in_a_long_word(word: str, expected: str) -> None:
    # The old pattern took minutes on each of these (quadratic backtracking); now milliseconds.
    assert clean_text(word) == expected


def test_a_long_word_in_a_file_does_not_stall_loading() -> None:
    word = "a" * 131_000  # just under the csv module's field size limit
    csv_data = CSV_HEADER + f"\nhttp,80,tcp,{word},,,,,,,,\n".encode()
    assert parse_iana(csv_data, "long.csv").assignments[0].description == word
    xml_data = xml_record(
        f"<name>http</name><protocol>tcp</protocol><description>{word}a</description>"
        "<number>80</number>".encode()
    )
    assert parse_iana(xml_data, "long.xml").assignments[0].description == word + "a"


def test_the_real_registry_withholds_its_four_addresses(shared_data: Path) -> None:
    registry = parse_iana((shared_data / "service-names-port-numbers.xml").read_bytes(), "xml")
    texts = [repr(a) for a in registry.assignments]
    assert sum(t.count(WITHHELD) for t in texts) == 4
    suspects = [t.replace(WITHHELD, "") for t in texts if "@" in t or "&" in t]
    assert not [t for t in suspects if OLD_EMAIL.search(t)]


# --- every problem of a user's file is a DataFormatError naming the file and place -------------

CSV_HEADER = (DATA / "tiny.csv").read_bytes().splitlines()[0]


def xml_record(body: bytes, *, prolog: bytes = b"") -> bytes:
    """A registry of one record with ``body``, after ``prolog``."""
    return prolog + XML_HEAD.encode() + b"<record>" + body + b"</record></registry>"


RECORD = b"<name>a</name><protocol>tcp</protocol><description/>"
DOCUMENT = xml_record(RECORD + b"<number>80</number>").decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (CSV_HEADER + b'\n""\n', "line 2: expected 12 fields, found 1"),
        (CSV_HEADER + b"\n,\n", "line 2: expected 12 fields, found 2"),
        (CSV_HEADER + b"\n" + b"x," * 20 + b"\n", "line 2 ('x'): expected 12 fields, found 21"),
        (xml_record(RECORD + b'<xref type="draft"/>'), "record 1 ('a'): draft reference"),
        (xml_record(RECORD + b'<xref type="uri" data=" "/>'), "record 1 ('a'): uri reference"),
        (xml_record(RECORD + b'<xref type="note"/>'), "record 1 ('a'): note reference"),
        (xml_record(RECORD + b'<xref type="rfc"/>'), "record 1 ('a'): RFC reference"),
        (
            b'<?xml version="1.0" encoding="bogus"?>\n' + DOCUMENT.encode(),
            "line 1: the XML declares encoding 'bogus'; portinfo reads UTF-8",
        ),
        (
            b'<?xml version="1.0" encoding="utf-16"?>' + DOCUMENT.encode(),
            "line 1: the XML declares encoding 'utf-16'; portinfo reads UTF-8",
        ),
        (
            b'<?xml version="1.0" encoding="ISO-8859-1"?>' + DOCUMENT.encode(),
            "declares encoding 'ISO-8859-1'",
        ),
        (
            ('<?xml version="1.0" encoding="UTF-16"?>' + DOCUMENT).encode("utf-16"),
            "the file is UTF-16 (it starts with its byte order mark); portinfo reads UTF-8",
        ),
        ((DATA / "tiny.csv").read_text("utf-8").encode("utf-16"), "UTF-16"),
        ((DATA / "tiny.csv").read_text("utf-8").encode("utf-32"), "UTF-32"),
        (DOCUMENT.encode("utf-16-le"), "UTF-16"),
        ((DATA / "tiny.csv").read_text("utf-8").encode("utf-16-be"), "NUL"),
        (CSV_HEADER + b"\nhttp,80,tcp,d\x00,,,,,,,,\n", "line 2: a NUL byte"),
        (CSV_HEADER + b"\nhttp,80,tcp,d\xff,,,,,,,,\n", "line 2: not UTF-8"),
        (
            xml_record(RECORD + b"<number>" + b"9" * 5000 + b"</number>"),
            "port number must be N or N-M, got '99999",
        ),
        (
            xml_record(b"<description/><number>" + b"0" * 5000 + b"80</number>"),
            "record 1 ('0000",
        ),
        (CSV_HEADER + b"\nhttp," + b"9" * 5000 + b",tcp,d,,,,,,,,\n", "line 2 ('http'): port"),
        (CSV_HEADER + b"\n," + b"9" * 5000 + b",tcp,d,,,,,,,,\n", "line 2 ('99999"),
        (xml_record(RECORD + b"<sc>" + b"1" * 5000 + b"</sc>"), "service code must be"),
        (
            xml_record(RECORD + b'<xref type="rfc" data="rfc' + b"1" * 5000 + b'"/>'),
            "RFC reference",
        ),
        (
            xml_record(b"<name>" + b"n" * 100_000 + b"</name><protocol>icmp</protocol>"),
            "record 1 ('nnnn",
        ),
        (
            xml_record(RECORD + b"<note>" + b"<b>" * 5000 + b"</b>" * 5000 + b"</note>"),
            "elements nested more than",
        ),
    ],
    ids=lambda value: value[:40].decode("latin-1") if isinstance(value, bytes) else None,
)
def test_every_problem_is_a_data_format_error(content: bytes, message: str) -> None:
    with pytest.raises(DataFormatError) as caught:
        parse_iana(content, "bad-file")
    assert str(caught.value).startswith("bad-file: ")
    assert message in str(caught.value)
    assert len(str(caught.value)) < 300


# --- one rule for ports -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["\u0668\u0660", "\uff18\uff10\uff18\uff10", "8_0", "+80", "80 -90", "80-\u0669\u0660", "80-"],
)
def test_a_port_number_is_ascii_digits(number: str) -> None:
    xml_data = xml_record(RECORD + f"<number>{number}</number>".encode())
    with pytest.raises(DataFormatError, match="port number must be N or N-M"):
        parse_iana(xml_data, "bad-file")
    csv_data = CSV_HEADER + f"\nhttp,{number},tcp,d,,,,,,,,\n".encode()
    with pytest.raises(DataFormatError, match=r"line 2 .*port number must be N or N-M"):
        parse_iana(csv_data, "bad-file")


def test_leading_zeros_and_surrounding_white_space_are_allowed() -> None:
    xml_data = xml_record(RECORD + b"<number>\n  0080-00090 </number>")
    (record,) = parse_iana(xml_data, "ok").assignments
    assert (record.first, record.last) == (80, 90)


@pytest.mark.parametrize("tag", ["number", "name", "protocol", "description", "note", "sc"])
def test_a_second_element_of_a_kind_is_an_error(tag: str) -> None:
    body = RECORD + b"<number>80</number><note>n</note><sc>1</sc>"
    data = xml_record(body + f"<{tag}>81</{tag}>".encode())
    with pytest.raises(DataFormatError, match=f"record 1 .*: more than one <{tag}>"):
        parse_iana(data, "bad-file")


# --- lines end at newlines only ----------------------------------------------------------------


def test_clean_text_breaks_lines_at_newlines_only() -> None:
    assert clean_text("one\x0ctwo\x85three\u2028four\x1cfive\x0bsix") == (
        "one two three four five six"
    )
    assert clean_text(" a \r\n\n  b\n\t\nc ") == "a\nb\nc"


def test_line_separators_in_the_xml_are_not_line_breaks() -> None:
    xml_data = xml_record(
        b"<name>a</name><protocol>tcp</protocol><number>80</number>"
        b"<description>one&#x2028;two&#x85;three<br/>four</description>"
    )
    (record,) = parse_iana(xml_data, "ok").assignments
    assert record.description == "one two three\nfour"


def test_csv_line_numbers_count_newlines_only() -> None:
    data = (
        CSV_HEADER
        + '\nhttp,80,tcp,"a\u2028b\x85c\x0cd\n",,,,,,,,\n'.encode()
        + b"http,80,tcp,d,,,2020-02-30,,,,,\n"
    )
    with pytest.raises(DataFormatError, match="line 4 \\('http'\\): registration date"):
        parse_iana(data, "bad-file")


# --- no entity declarations, no external DTD ---------------------------------------------------

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE registry [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{(f"&lol{n - 1};" if n > 1 else "&lol;") * 10}">'.encode()
        for n in range(1, 10)
    )
    + b"]>"
)


@pytest.mark.parametrize(
    ("prolog", "body"),
    [
        (b'<!DOCTYPE registry [<!ENTITY t "tcp">]>', b"<protocol>&t;</protocol>"),
        (LAUGHS, b"<description>&lol9;</description>"),
        (b'<!DOCTYPE registry [<!ENTITY % p "x">]>', b""),
        (b'<!DOCTYPE registry [<!ENTITY e SYSTEM "e.txt">]>', b""),
    ],
    ids=["internal", "billion-laughs", "parameter", "external"],
)
def test_entity_declarations_are_refused(prolog: bytes, body: bytes) -> None:
    data = xml_record(b"<name>a</name><number>80</number>" + body, prolog=prolog)
    with pytest.raises(DataFormatError, match="declares entities; portinfo reads none"):
        parse_iana(data, "bad-file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (FIFOs)")
@pytest.mark.parametrize(
    ("prolog", "body", "message"),
    [
        (
            '<!DOCTYPE registry [<!ENTITY x SYSTEM "file://{path}">]>',
            "<description>&x;</description>",
            "declares entities",
        ),
        (
            '<!DOCTYPE registry [<!ENTITY % x SYSTEM "file://{path}"> %x;]>',
            "",
            "declares entities",
        ),
        ('<!DOCTYPE registry SYSTEM "file://{path}">', "", "refers to an external DTD"),
        ('<!DOCTYPE registry PUBLIC "-//X//Y//EN" "{path}">', "", "refers to an external DTD"),
    ],
    ids=["general", "parameter", "system-dtd", "public-dtd"],
)
def test_external_entities_are_refused_unread(
    tmp_path: Path, prolog: str, body: str, message: str
) -> None:
    # The "file" is a FIFO: opening it to read would block until a writer comes.
    fifo = tmp_path / "secret"
    os.mkfifo(fifo)
    data = xml_record(
        f"<name>a</name><number>80</number>{body}".encode(),
        prolog=prolog.format(path=fifo).encode(),
    )
    outcome = call_watching_fifo(fifo, lambda: parse_iana(data, "bad-file"))
    assert isinstance(outcome, DataFormatError)
    assert message in str(outcome)


def test_a_document_type_without_entities_is_read() -> None:
    prolog = b"<!DOCTYPE registry [<!ELEMENT registry ANY><!-- <!ENTITY x 'y'> -->]>"
    data = xml_record(RECORD + b"<number>80</number>", prolog=prolog)
    assert parse_iana(data, "ok").assignments[0].first == 80


def test_with_an_old_expat_any_entity_declaration_text_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Expat before 2.4.1 has no bound on entity expansion: there, the bytes are searched
    # for "<!ENTITY" before expat sees them, even in a comment, where a parser would not look.
    data = xml_record(RECORD + b"<number>80</number>", prolog=b"<!-- <!ENTITY x 'y'> -->")
    assert parse_iana(data, "ok").assignments[0].first == 80
    monkeypatch.setattr(portinfo._iana, "EXPAT_BOUNDS_ENTITIES", False)
    with pytest.raises(DataFormatError, match=r"expat .* older than 2\.4\.1"):
        parse_iana(data, "bad-file")
    assert portinfo._iana.EXPAT_BOUNDS_ENTITIES is False


@pytest.mark.parametrize(
    "data", [b"<registry", b"Service Name\n", b"\xff\xfe<\x00", b"nothing"], ids=str
)
def test_a_long_source_is_shortened_in_messages(data: bytes) -> None:
    # As in the services parser (found by tools/fuzz.py).
    source = "/" + "d" * 3000 + "/service-names-port-numbers.xml"
    with pytest.raises(DataFormatError) as caught:
        parse_iana(data, source)
    assert len(str(caught.value)) < 400
    assert str(caught.value).startswith("'/dddd")


def test_a_draft_reference_keeps_its_section() -> None:
    """IANA cites some drafts by section (``draft-zubov-snif-05, Section 4.3``): the
    section stays in the title, in the XML and in the CSV, and the URL is the draft's."""
    section = "draft-zubov-snif-05, Section 4.3"
    xref = f'<xref type="draft" data="draft-zubov-snif-05" section="4.3">{section}</xref>'
    from_xml = parse_iana(xml_record(RECORD + b"<number>80</number>" + xref.encode()), "x")
    from_csv = parse_iana(CSV_HEADER + f'\na,80,tcp,,,,,,"[{section}]",,,\n'.encode(), "c")
    for registry in (from_xml, from_csv):
        (reference,) = registry.assignments[0].references
        assert (reference.value, reference.title, str(reference)) == (
            "draft-zubov-snif-05",
            section,
            section,
        )
        assert reference.url == "https://datatracker.ietf.org/doc/draft-zubov-snif-05"
