"""Text from files is data, wherever it is written (issue 18).

One hostile file per upstream format (tests/data/hostile.xml, hostile.csv, hostile-services,
hostile-nmap-services, and the two formats of a local file, hostile-local.toml and
hostile-local-services) holds every trick: raw HTML, ``javascript:`` links, a ``)`` that would
end a link, formulas, Markdown emphasis, and the control characters that clear a screen, set a
window's title or make a hyperlink. Each is rendered in every output form, and each output is
checked by parsing it: Markdown by markdown-it (with the table, strikethrough, dollar-maths and
MyST-role rules), CSV and TSV by the csv module, text and JSON character by character, the
Sphinx role and table by building a site and reading its HTML.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import portinfo
from portinfo import DataFormatError, Registry
from portinfo.__main__ import main
from portinfo._escape import json_text, markdown, markdown_link, spreadsheet, terminal
from portinfo._listening import Listener, render_listeners
from portinfo._nmap import parse_nmap
from portinfo._services import parse_services
from tests.conftest import DATA, REPOSITORY, sphinx_build

sys.path.insert(0, str(REPOSITORY / "tools"))
import safe_output
from safe_output import CONTROL

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it.token import Token

FILES = {
    "xml": {
        "iana": DATA / "hostile.xml",
        "services": DATA / "hostile-services",
        "nmap": DATA / "hostile-nmap-services",
        "local": DATA / "hostile-local.toml",
    },
    "csv": {"iana": DATA / "hostile.csv", "local": DATA / "hostile-local-services"},
}
PORTS = {
    "xml": ["1237", "1238", "1239", "1240", "1241"],  # 1240-1241: your own (local) services
    "csv": ["1241", "1242", "1243", "1244", "1245", "1246"],
}
# Text in the hostile files that must read as itself in Markdown, not as markup.
LITERAL = {
    "xml": ["<script>alert(1)</script>", "*emphasis*", "**bold**", "~~gone~~", "SQL*NET", "a*b*c"],
    "csv": ["<script>alert(1)</script>", "*emphasis*", "_under_", "`code`", "SQL*NET", "a*b*c"],
}


@pytest.fixture(scope="module", params=list(FILES))
def hostile(request: pytest.FixtureRequest) -> tuple[str, Registry]:
    kind: str = request.param
    return kind, Registry.from_files(**FILES[kind])


def _arguments(kind: str) -> list[str]:
    return [f"--{source}={path}" for source, path in FILES[kind].items()]


def _cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    main(list(arguments))
    return capsys.readouterr().out


# --- the checks, by parsing ---------------------------------------------------------------


def _tokens(text: str) -> list[Token]:
    pytest.importorskip("markdown_it", reason="markdown-it-py comes with the docs extra")
    return safe_output.markdown_tokens(text)


def assert_safe_markdown(text: str, literal: Sequence[str] = ()) -> None:
    """No HTML, maths, role or strikethrough; links only to http, https or mailto; the
    ``literal`` texts read as themselves; no control character."""
    pytest.importorskip("markdown_it", reason="markdown-it-py comes with the docs extra")
    safe_output.check_markdown(text, literal)


def assert_safe_table(text: str, delimiter: str) -> None:
    """Every cell that comes from data starts with no formula character."""
    safe_output.check_table(text, delimiter)


def assert_safe_text(text: str) -> None:
    safe_output.check_text(text)


# --- the presenters -----------------------------------------------------------------------


def test_reports_are_safe_in_every_format(hostile: tuple[str, Registry]) -> None:
    kind, registry = hostile
    for port in PORTS[kind]:
        assert_safe_text(portinfo.report(port, format="text", registry=registry))
        page = portinfo.report(port, format="markdown", registry=registry)
        assert_safe_markdown(page)
        dumped = portinfo.report(port, format="json", registry=registry)
        assert_safe_text(dumped)
        json.loads(dumped)
    everything = "\n".join(
        portinfo.report(port, format="markdown", registry=registry) for port in PORTS[kind]
    )
    assert_safe_markdown(everything, LITERAL[kind])


def test_json_keeps_the_text_as_it_is(hostile: tuple[str, Registry]) -> None:
    """JSON escapes, and loses nothing: the loaded text is the file's, controls and all."""
    kind, registry = hostile
    port = PORTS[kind][0]
    data = json.loads(portinfo.report(port, format="json", registry=registry))
    assert data["assignments"][0]["description"] == registry.lookup(port).assignments[0].description
    assert CONTROL.search(data["assignments"][0]["description"])


def test_your_own_services_text_reads_as_itself_everywhere(hostile: tuple[str, Registry]) -> None:
    """The hostile local files lead their ports, and their text is escaped in every form."""
    kind, registry = hostile
    port = "1240" if kind == "xml" else "1246"
    info = registry.lookup(port)
    assert info.local
    assert info.name == info.local[0].name
    text = portinfo.report(port, format="text", registry=registry)
    assert_safe_text(text)
    assert "Your own (local):" in text
    page = portinfo.report(port, format="markdown", registry=registry)
    assert_safe_markdown(page, ["<script>alert(1)</script>", "*emphasis*"])
    data = json.loads(portinfo.report(port, format="json", registry=registry))
    assert [own["title"] for own in data["local"]] == [own.title for own in info.local]
    assert any(CONTROL.search(own["title"] + (own["description"] or "")) for own in data["local"])


def test_the_markdown_links_are_the_files_whole_addresses() -> None:
    """A ``)`` in a URI or a draft's name stays inside its link; javascript: makes none."""
    registry = Registry.from_files(**FILES["xml"])
    tokens = _tokens(portinfo.report(1237, format="markdown", registry=registry))
    hrefs = [str(t.attrs["href"]) for t in tokens if t.type == "link_open"]
    assert "https://example.com/a%29%5D%28javascript:alert%284%29%29" in hrefs
    assert (
        "https://datatracker.ietf.org/doc/draft-evil%29%5D%28javascript:alert%2810%29%29" in hrefs
    )
    assert not [href for href in hrefs if "javascript" in href.split(":", 1)[0].lower()]
    mail = _tokens(portinfo.report(1238, format="markdown", registry=registry))
    assert [str(t.attrs["href"]) for t in mail if t.type == "link_open"][:1] == [
        "mailto:someone@example.com"
    ]


def test_the_packaged_sql_net_is_no_emphasis() -> None:
    page = portinfo.report(66, format="markdown")
    whole = (
        'Oracle SQL*NET IANA assigned this well-formed service name as a replacement for "sql*net".'
    )
    assert_safe_markdown(page, [whole])
    emphasis = [t for t in _tokens(page) if t.type == "em_open"]
    assert len(emphasis) == 1  # the line that dates the data, the page's own


@pytest.mark.parametrize("form", ["text", "markdown", "json", "csv", "tsv"])
def test_the_command_line_is_safe_in_every_format(
    hostile: tuple[str, Registry], form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    kind, _ = hostile
    ports, files = PORTS[kind], _arguments(kind)
    queries = [*ports, f"{ports[0]}-{ports[-1]}", "a*b*c", "=cmd"]
    outputs = [
        _cli(capsys, *files, "--format", form, *queries),
        _cli(capsys, *files, "--format", form, "--brief", *ports),
        _cli(capsys, *files, "--format", form, "--search", "cmd"),
        _cli(capsys, *files, "--format", form, "--search", "list"),
        _cli(capsys, *files, "--format", form, "--search", "h1" if kind == "csv" else "a*b*c"),
    ]
    for output in outputs:
        assert output
        if form in ("csv", "tsv"):
            assert_safe_table(output, "," if form == "csv" else "\t")
        elif form == "markdown":
            assert_safe_markdown(output)
        else:
            assert_safe_text(output)
            if form == "json":
                json.loads(output)


def test_a_formula_in_a_file_is_a_quoted_cell(capsys: pytest.CaptureFixture[str]) -> None:
    """The cell keeps the file's text after one ``'``, as OWASP advises; a port is a port."""
    output = _cli(capsys, *_arguments("csv"), "--format", "csv", "1244")
    rows = list(csv.DictReader(io.StringIO(output)))
    assert [(row["port"], row["name"]) for row in rows] == [("1244", "'=cmd")]
    found = _cli(capsys, *_arguments("csv"), "--format", "tsv", "--search", "cmd")
    cells = {row["name"]: row for row in csv.DictReader(io.StringIO(found), delimiter="\t")}
    assert cells["'+cmd"]["description"].startswith("'-2+3 @SUM(1)")


def test_listening_renders_safely(hostile: tuple[str, Registry]) -> None:
    kind, registry = hostile
    sockets = [
        Listener.at(
            "127.0.0.1",
            port,
            "tcp",
            pid=7,
            process="\x1b]0;title\x07<b>evil</b>*x*\x9b2J",
            registry=registry,
        )
        for port in PORTS[kind]
    ]
    assert_safe_text(render_listeners(sockets, format="text", width=200))
    assert_safe_markdown(render_listeners(sockets, format="markdown"), ["<b>evil</b>*x*"])
    dumped = render_listeners(sockets, format="json")
    assert_safe_text(dumped)
    assert json.loads(dumped)[0]["process"].startswith("\x1b]0;title")


# --- the rules, one by one ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("a\x9bb\x7f", "a\\x9bb\\x7f"),
        ("\u202etxt", "\\u202etxt"),
        ("two\nlines\ttab", "two\nlines\\x09tab"),
        ("plain café", "plain café"),
    ],
)
def test_terminal_shows_controls(text: str, shown: str) -> None:
    assert terminal(text) == shown


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.com/a)b", "[x](https://example.com/a%29b)"),
        ("http://example.com/<x>", "[x](http://example.com/%3Cx%3E)"),
        ("mailto:a@example.com", "[x](mailto:a@example.com)"),
        ("javascript:alert(1)", "x"),
        ("JAVASCRIPT:alert(1)", "x"),
        ("data:text/html,x", "x"),
        ("https:no-host", "x"),
        ("ftp://example.com/", "x"),
        (None, "x"),
    ],
)
def test_markdown_links(url: str | None, linked: str) -> None:
    assert markdown_link("x", url) == linked


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "\\x09=1"),
        ("a=1", "a=1"),
        ("http", "http"),
    ],
)
def test_spreadsheet_cells(text: str, cell: str) -> None:
    assert spreadsheet(text) == cell


def test_markdown_text_reads_as_itself() -> None:
    for text in ["# h", "- x", "1. x", "> q", "a|b", "<i>", "&amp;", "x\ny", "$x$", "{r}`x`"]:
        assert_safe_markdown(markdown(text), [" ".join(text.split())])
    assert markdown("127.0.0.1") == "127.0.0.1"


def test_json_text_escapes_what_json_leaves_raw() -> None:
    dumped = json.dumps({"a": "\x7f\x9b\u202e\u2028é"}, ensure_ascii=False)
    assert json.loads(json_text(dumped)) == {"a": "\x7f\x9b\u202e\u2028é"}
    assert not CONTROL.search(json_text(dumped))


# --- names in services and nmap-services files -------------------------------------------


def test_the_real_files_names_all_parse(shared_data: Path) -> None:
    """Every line of the real services and nmap-services files still parses."""
    assert len(parse_services((shared_data / "services").read_bytes(), "services")) > 300
    assert len(parse_nmap((shared_data / "nmap-services").read_bytes(), "nmap-services")) > 27000


@pytest.mark.parametrize(
    "name", ["=cmd", "+cmd", "-cmd", "@cmd", "_x_", "<script>", "a<b", "x\x1b[2J", "é", "a" * 64]
)
def test_a_name_that_is_no_service_name_is_refused(name: str) -> None:
    services = DATA.joinpath("hostile-services").read_bytes() + f"{name}\t99/tcp\n".encode()
    with pytest.raises(DataFormatError, match=r"^evil-services: line 6: bad name "):
        parse_services(services, "evil-services")
    aliased = f"ok\t99/tcp\tfine {name}\n".encode()
    with pytest.raises(DataFormatError, match=r"^evil-services: line 1: bad name "):
        parse_services(aliased, "evil-services")
    nmap = DATA.joinpath("hostile-nmap-services").read_bytes() + f"{name}\t99/tcp\t0.1\n".encode()
    with pytest.raises(DataFormatError, match=r"^evil-nmap: line 7: bad name "):
        parse_nmap(nmap, "evil-nmap")


def test_the_command_line_names_the_file_and_line(tmp_path: Path) -> None:
    evil = tmp_path / "evil-services"
    evil.write_text("http 80/tcp\n=cmd 81/tcp\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "portinfo", "--services", str(evil), "80"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert f"{evil}: line 2: bad name '=cmd'" in done.stderr


# --- the Sphinx role and table ------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {key: value or "" for key, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_sphinx_role_and_table_render_safely(tmp_path: Path) -> None:
    for module in ("sphinx", "myst_parser"):
        pytest.importorskip(module, reason="the docs extra")
    source = tmp_path / "source"
    source.mkdir()
    registry = ", ".join(f"{key}={str(path)!r}" for key, path in FILES["xml"].items())
    (source / "conf.py").write_text(
        "import portinfo, portinfo._api\n"
        f"portinfo._api._default = portinfo.Registry.from_files({registry})\n"
        "extensions = ['myst_parser', 'portinfo.sphinx']\n",
        encoding="utf-8",
    )
    (source / "index.md").write_text(
        "# Hostile\n\n{port}`1237/tcp` {port}`1237/udp` {port}`1238` {port}`a*b*c`"
        " {port}`=cmd` {port}`1240`\n\n```{port-table}\n1237\n1238\n1239\n1240\n=cmd\n```\n",
        encoding="utf-8",
    )
    built = sphinx_build("-b", "html", source, tmp_path / "out")
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    page = _Tags()  # the page's own section: the theme around it has scripts of its own
    page.feed(html[html.index('<section id="hostile">') : html.index("</section>")])
    for tag, attributes in page.tags:
        assert tag not in ("script", "img", "iframe", "b", "object", "embed"), (tag, attributes)
        assert not [key for key in attributes if key.startswith("on")], (tag, attributes)
        href = attributes.get("href", "") if tag == "a" else ""
        if ":" in href.split("/", 1)[0]:
            assert href.startswith(("http://", "https://")), href
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text  # as text, in the table
    titles = [
        a.get("title", "")
        for t, a in page.tags
        if t == "a" and "portinfo-port" in a.get("class", "")
    ]
    assert any("<script>alert(1)</script>" in title for title in titles), titles
    assert "1237/tcp (=cmd)" in text
