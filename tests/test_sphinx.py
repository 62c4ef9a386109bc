"""The documentation site, and the Sphinx extension ``portinfo.sphinx``: both built for real.

Each build runs ``python -m sphinx`` in a fresh process, as a user would. Skipped where
Sphinx, MyST or furo is not installed (the test extra alone, as in the run against the
wheel and under the other Pythons): ``pip install -e '.[docs]'``.
"""

from __future__ import annotations

import importlib.util
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest

import portinfo
from tests.conftest import REPOSITORY, sphinx_build

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SAMPLE = Path(__file__).parent / "sphinx_sample"
MALFORMED = SAMPLE / "malformed"
IANA = (
    "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xhtml"
)


def _need(*modules: str) -> None:
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: the docs extra, pip install -e '.[docs]'")


class _Page(HTMLParser):
    """The links (with their attributes and text), the table cells and the code of an HTML
    page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[dict[str, str], str]] = []
        self.rows: list[list[str]] = []
        self.captions: list[str] = []
        self.ids: list[str] = []
        self.codes: list[str] = []
        self._link: dict[str, str] | None = None
        self._text: list[str] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._code: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "a":
            self._link, self._text = found, []
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._caption = []
        elif tag == "code":
            self._code = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None and self._text is not None:
            self.links.append((self._link, "".join(self._text)))
            self._link = self._text = None
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "caption" and self._caption is not None:
            self.captions.append("".join(self._caption).replace("¶", "").strip())
            self._caption = None
        elif tag == "code" and self._code is not None:
            self.codes.append("".join(self._code))
            self._code = None

    def handle_data(self, data: str) -> None:
        for collecting in (self._text, self._cell, self._caption, self._code):
            if collecting is not None:
                collecting.append(data)

    def link(self, text: str) -> dict[str, str]:
        """The attributes of the one link whose text is ``text``."""
        found = [attributes for attributes, shown in self.links if shown == text]
        assert len(found) == 1, (text, [shown for _, shown in self.links])
        return found[0]


def _description(port: str, service: str) -> str:
    """IANA's description of ``service`` on ``port`` (read here, so a data refresh is fine)."""
    found = {a.description for a in portinfo.lookup(port).assignments if a.service == service}
    assert len(found) == 1, found
    return found.pop()


# --- the documentation site ---------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """docs/ built to HTML with warnings as errors, once: the output and what Sphinx said."""
    _need("sphinx", "myst_parser", "furo")
    out = tmp_path_factory.mktemp("site")
    built = sphinx_build("-W", "--keep-going", "-b", "html", REPOSITORY / "docs", out)
    return out, built.stderr if built.returncode == 0 else built.stderr or "failed"


def _page(site: tuple[Path, str], name: str) -> str:
    out, said = site
    assert said == "", f"the documentation does not build without warnings:\n{said}"
    return (out / f"{name}.html").read_text(encoding="utf-8")


def test_the_documentation_builds_without_warnings(site: tuple[Path, str]) -> None:
    out, said = site
    assert said == ""
    pages = {page.stem for page in out.glob("*.html")}
    expected = {"index", "ranges", "lookup", "names", "data", "cli", "api", "performance"}
    assert expected | {"changelog"} <= pages
    changelog = _page(site, "changelog")
    assert "Keep a Changelog" in changelog
    assert 'href="performance.html"' in changelog  # docs/performance.md, seen from docs/


def test_the_api_reference_documents_every_public_name_and_each_field_once(
    site: tuple[Path, str],
) -> None:
    html = _page(site, "api")
    api = _Page(html)
    for name in portinfo.__all__:
        assert api.ids.count(f"portinfo.{name}") == 1, name
    for field in ("port", "protocol", "range", "status", "assignments", "aliases", "uses"):
        assert api.ids.count(f"portinfo.PortInfo.{field}") == 1, field
    # help()'s "Attributes:" section, built from the same docstrings, is left out.
    assert "Attributes:" not in html


def test_the_index_uses_the_extension(site: tuple[Path, str]) -> None:
    index = _Page(_page(site, "index"))
    assert index.link("443/tcp (https)")["href"] == f"{IANA}?search=443"
    assert index.link("2039 (prizma)")["title"].startswith(_description("2039", "prizma"))
    assert "Elasticsearch" in index.link("9200/tcp (wap-wsp)")["title"]
    assert index.link("Quill API")["href"] == f"{IANA}?search=8200"
    assert index.link("47999/tcp (unassigned)")["href"] == f"{IANA}?search=47999"
    assert index.link("0 (reserved)")["href"] == f"{IANA}?search=0"
    header, *rows = index.rows
    assert header[:2] == ["port", "used for"]
    assert [row[:2] for row in rows] == [
        ["22", ""],
        ["443", "Web console"],
        ["5432", "Database"],
        ["135", ""],
    ]
    date = portinfo.data_info().iana_updated
    assert date
    assert [caption for caption in index.captions if date in caption] == index.captions != []


# --- the extension, in a project of its own -----------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sphinx_sample built to HTML with warnings as errors: the output directory."""
    _need("sphinx", "myst_parser")
    out = tmp_path_factory.mktemp("sample")
    built = sphinx_build("-W", "--keep-going", "-b", "html", SAMPLE, out)
    assert (built.returncode, built.stderr) == (0, ""), built.stderr
    return out


@pytest.fixture(scope="module")
def malformed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sphinx_sample/malformed built to HTML with the sample's configuration, without
    ``-W``: its warnings written to warnings.txt."""
    _need("sphinx", "myst_parser")
    out = tmp_path_factory.mktemp("malformed")
    built = sphinx_build(
        "-b", "html", "-c", SAMPLE, "-w", out / "warnings.txt", MALFORMED, out / "html"
    )
    assert built.returncode == 0, built.stderr
    return out


def _sample_page(out: Path, name: str) -> _Page:
    return _Page((out / f"{name}.html").read_text(encoding="utf-8"))


def test_the_role_names_the_port_links_to_iana_and_explains_it(sample: Path) -> None:
    page = _sample_page(sample, "index")
    https = page.link("443/tcp (https)")
    assert https["title"] == _description("443/tcp", "https")
    assert https["href"] == f"{IANA}?search=443"
    assert page.link("2039 (prizma)")["title"].startswith("Prizma Monitoring Service")
    assert page.link("postgres (5432)")["title"] == _description("5432", "postgresql")
    rst = _sample_page(sample, "other")
    assert rst.link("443/tcp (https)")["title"] == https["title"]
    assert rst.link("53/udp (domain)")["href"] == f"{IANA}?search=53"


def test_an_explicit_title_is_the_text_and_the_port_stays_in_the_tooltip(sample: Path) -> None:
    from portinfo.sphinx import describe

    port = describe("8200/tcp")
    for name in ("index", "other"):  # MyST and reStructuredText
        quill = _sample_page(sample, name).link("Quill API")
        assert quill["href"] == f"{IANA}?search=8200"
        assert quill["title"] == f"{port.label}: {port.description}"
        assert quill["title"].startswith("8200/tcp (")


def test_an_unassigned_port_is_a_fact_that_renders_without_a_warning(sample: Path) -> None:
    # The sample builds with -W (the fixture), so neither port warned.
    unassigned = _sample_page(sample, "index").link("47999/tcp (unassigned)")
    assert unassigned["href"] == f"{IANA}?search=47999"
    assert unassigned["title"] == "Unassigned by IANA; no source names it"
    assert (
        _sample_page(sample, "other").link("47999 (unassigned)")["title"] == (unassigned["title"])
    )


def test_the_tooltip_names_the_observed_use_where_it_is_the_prominent_answer(
    sample: Path,
) -> None:
    page = _sample_page(sample, "index")
    # Elasticsearch is what people find on 9200, RDP what ms-wbt-server is on 3389: the
    # summary says so, and so does the tooltip.
    assert "commonly Elasticsearch REST API" in portinfo.lookup("9200/tcp").summary
    assert page.link("9200/tcp (wap-wsp)")["title"] == (
        f"{_description('9200/tcp', 'wap-wsp')}; commonly Elasticsearch REST API (unofficial)"
    )
    assert page.link("3389 (ms-wbt-server)")["title"] == "Microsoft Remote Desktop (RDP)"
    # HashiCorp Vault is only one use of 8200 among others, not the answer: not in it.
    assert "Vault" in portinfo.lookup("8200/tcp").summary
    assert "Vault" not in page.link("Quill API")["title"]


def test_the_table_lists_the_ports_and_their_labels_with_the_date_of_the_data(
    sample: Path,
) -> None:
    page = _sample_page(sample, "index")
    assert page.captions == [
        f"What Quill listens on (IANA registry of {portinfo.data_info().iana_updated})"
    ]
    header, *rows = page.rows
    assert header == ["port", "used for", "protocol", "name", "range", "description"]
    assert [row[:2] + row[3:5] for row in rows] == [
        ["80", "", "http", "System Ports"],
        ["8200", "Quill API", "trivnet1", "User Ports"],
        ["443", "Quill web console", "https", "System Ports"],
        ["5432", "Quill database", "postgresql", "User Ports"],
        ["443", "", "https", "System Ports"],  # written as the name https
        ["47999", "Quill cluster peers", "", "User Ports"],  # a fact, not an error
    ]
    assert rows[0][2] == "tcp"
    assert "tcp" in rows[2][2].split(", ")
    assert rows[0][5] == _description("80/tcp", "http")
    assert rows[5][5] == "Unassigned by IANA; no source names it"


def test_titles_and_labels_are_text_not_markup(sample: Path) -> None:
    html = (sample / "other.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="other-page">') : html.index("</section>")]
    assert "<b>" not in section
    assert "<script>" not in section
    page = _Page(section)
    assert page.link("<b>Quill</b> & co")["href"] == f"{IANA}?search=8200"
    assert page.link("Quill <8200>")["href"] == f"{IANA}?search=8200"  # "\<" is a "<"
    header, *rows = page.rows
    assert header == ["port", "in Quill", "protocol", "name", "range", "description"]
    assert [row[:2] for row in rows] == [["8200", "<script>alert(1)</script> & co"], ["9200", ""]]


def test_a_table_without_labels_has_no_label_column(tmp_path: Path) -> None:
    _need("sphinx", "myst_parser")
    (tmp_path / "conf.py").write_text(
        'extensions = ["myst_parser", "portinfo.sphinx"]\n', encoding="utf-8"
    )
    (tmp_path / "index.md").write_text(
        "# Ports\n\n```{port-table} 22/tcp, 443\n53/udp\n```\n", encoding="utf-8"
    )
    built = sphinx_build("-W", "-b", "html", tmp_path, tmp_path / "out")
    assert (built.returncode, built.stderr) == (0, "")
    header, *rows = _sample_page(tmp_path / "out", "index").rows
    assert header == ["port", "protocol", "name", "range", "description"]
    assert [row[:3] for row in rows] == [
        ["22", "tcp", "ssh"],
        ["443", "tcp, udp, sctp", "https"],
        ["53", "udp", "domain"],
    ]


def test_each_malformed_entry_is_one_warning_at_its_own_line(malformed: Path) -> None:
    lines = (malformed / "warnings.txt").read_text(encoding="utf-8").splitlines()
    expected = [
        # MyST: roles on the 3rd, 4th and 5th lines of one paragraph, two of them alike
        (MALFORMED / "index.md", 5, "'443/icmp'"),
        (MALFORMED / "index.md", 6, "'no-such-service'"),
        (MALFORMED / "index.md", 7, "'443/icmp'"),
        (MALFORMED / "index.md", 7, "'70000/tcp'"),  # an explicit title's target
        (MALFORMED / "index.md", 13, "'70000/tcp'"),  # in the middle of a table
        # reStructuredText: a role on the 3rd line of a paragraph, a table's middle line
        (MALFORMED / "other.rst", 6, "'8200/icmp'"),
        (MALFORMED / "other.rst", 11, "'70001'"),
    ]
    assert len(lines) == len(expected), lines
    for path, line, text in expected:
        found = [w for w in lines if w.startswith(f"{path}:{line}: WARNING: ") and text in w]
        assert len(found) == 1, (path, line, lines)
        assert found[0].endswith("[portinfo.port]")


def test_a_malformed_entry_is_shown_as_written(malformed: Path) -> None:
    page = _sample_page(malformed / "html", "index")
    assert page.link("443/tcp (https)")["href"] == f"{IANA}?search=443"
    # each role and table entry as written: an explicit title's whole text, too
    roles = ["443/icmp", "no-such-service", "443/icmp", "Quill API <70000/tcp>"]
    assert page.codes == [*roles, "70000/tcp"]
    assert [row[:2] for row in page.rows[1:]] == [
        ["80", "Quill web"],
        ["70000/tcp", "Quill typo"],
        ["5432", "Quill database"],
    ]


# --- what the role and the table show, without a build ------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "ports", "protocols", "name", "port_range"),
    [
        ("443/tcp", "443/tcp (https)", "443", "tcp", "https", "System Ports"),
        (" 2039 ", "2039 (prizma)", "2039", "tcp, udp", "prizma", "User Ports"),
        ("https", "https (443)", "443", "tcp, udp, sctp", "https", "System Ports"),
        ("postgres", "postgres (5432)", "5432", "tcp, udp", "postgresql", "User Ports"),
        ("x11", "x11 (6000-6063)", "6000-6063", "tcp, udp", "x11", "User Ports"),
        ("https/TCP", "https/TCP (443)", "443", "tcp", "https", "System Ports"),
    ],
)
def test_describe(
    text: str, label: str, ports: str, protocols: str, name: str, port_range: str
) -> None:
    _need("sphinx")
    from portinfo.sphinx import IANA_SEARCH, describe

    entry = describe(text)
    assert (entry.text, entry.label, entry.ports, entry.name) == (text.strip(), label, ports, name)
    assert (entry.protocols, entry.range) == (protocols, port_range)
    assert entry.url == IANA_SEARCH.format(ports.split("-", maxsplit=1)[0])
    assert entry.description


def test_describe_explains_a_port_by_what_names_it() -> None:
    _need("sphinx")
    from portinfo.sphinx import describe

    # priv-mail is Nmap's name; IANA's record on 24 reserves it for any private mail system.
    assert describe("24/tcp").description == "any private mail system"
    assert describe("priv-mail").description == "named by Nmap"
    assert describe("ni-veristand-gateway").description == "NI VeriStand Gateway"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("no-such-service", portinfo.UnknownServiceError),
        ("70000", portinfo.InvalidPortError),
        ("443/icmp", portinfo.InvalidProtocolError),
        ("https/icmp", portinfo.InvalidProtocolError),
        ("", portinfo.UnknownServiceError),
    ],
)
def test_describe_refuses_what_it_cannot_read(text: str, error: type[Exception]) -> None:
    _need("sphinx")
    from portinfo.sphinx import describe

    with pytest.raises(error):
        describe(text)


def test_describe_takes_a_protocol_as_lookup_does() -> None:
    _need("sphinx")
    from portinfo.sphinx import describe

    # Flow logs' numbers and the socket tables' tcp6 name a protocol, as everywhere else.
    for written in ("http/tcp", "http/TCP", "http/tcp6", "http/6"):
        entry = describe(written)
        assert (entry.ports, entry.protocols) == ("80", "tcp"), written


def test_describe_tells_what_iana_says_of_a_port_nothing_names() -> None:
    _need("sphinx")
    from portinfo.sphinx import describe

    for written, status in [
        ("47999/tcp", "unassigned"),
        ("0", "reserved"),
        ("47999", "unassigned"),
    ]:
        entry = describe(written)
        assert (entry.label, entry.name) == (f"{written} ({status})", "")
        assert entry.description == f"{status.capitalize()} by IANA; no source names it"
    assert describe("47999/tcp").protocols == "tcp"
    assert describe("0").range == "System Ports"


def test_describe_refuses_a_name_on_a_protocol_no_source_gives_it() -> None:
    _need("sphinx")
    from portinfo.sphinx import UnknownPortError, describe

    with pytest.raises(UnknownPortError, match="'https' on 'dccp'"):
        describe("https/dccp")


@pytest.mark.parametrize(
    ("text", "description"),
    [
        # a common use beside IANA's service: after IANA's description, as "commonly"
        (
            "9200/tcp",
            "WAP connectionless session service; commonly Elasticsearch REST API (unofficial)",
        ),
        ("2039", "Prizma Monitoring Service; commonly NI VeriStand Gateway (unofficial)"),
        # a use that is what IANA's name means: its title says what the name is
        ("3389/tcp", "Microsoft Remote Desktop (RDP)"),
        # uses that are only some of a port's, not the answer: IANA's description alone
        ("8200/tcp", "TRIVNET"),
        # an Nmap label over a range IANA leaves unassigned: who names it, not "Unassigned"
        ("25565", "named by Nmap"),
    ],
)
def test_describe_names_the_prominent_observed_use(text: str, description: str) -> None:
    _need("sphinx")
    from portinfo.sphinx import describe

    assert describe(text).description == description


def test_the_tooltip_tells_the_uses_the_summary_puts_forward_on_every_port() -> None:
    _need("sphinx")
    from portinfo._records import uses_beside
    from portinfo.sphinx import describe

    checked = 0
    for port in range(65536):
        info = portinfo.lookup(port)
        if info.name is None or not any(use.listens_on(port) for use in info.uses):
            continue
        same, others = uses_beside(info, info.name)
        described = describe(str(port)).description
        if same:  # the use that says what the name is, as the summary's lead
            assert described.startswith(same[0].title), (port, described)
        common = [use for use in others if use.common]
        if common:  # the summary's "; commonly ..." word for word
            aside = info.summary[info.summary.index("; commonly ") :]
            assert described.endswith(aside) or described == aside[2:], (port, described)
        else:  # a use among others is not the answer
            assert "commonly" not in described, (port, described)
        assert "; also " not in described, (port, described)
        checked += 1
    assert checked > 100


def test_setup_adds_the_role_and_the_directive_and_is_parallel_safe() -> None:
    _need("sphinx")
    from portinfo.sphinx import PortRole, PortTable, setup

    class App:
        def __init__(self) -> None:
            self.added: dict[str, object] = {}

        def add_role(self, name: str, role: object) -> None:
            self.added[name] = role

        def add_directive(self, name: str, directive: object) -> None:
            self.added[name] = directive

        def add_config_value(self, name: str, default: object, rebuild: str, **_: object) -> None:
            self.added[name] = default

        def connect(self, event: str, callback: object) -> None:
            self.added[event] = callback

    app = App()
    metadata = setup(cast("Sphinx", app))
    assert metadata == {
        "version": portinfo.__version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
    assert isinstance(app.added["port"], PortRole)
    assert app.added["port-table"] is PortTable
    assert app.added["portinfo_local"] is None  # unset: the default registry answers
