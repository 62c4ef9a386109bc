"""The documentation site, and the Sphinx extension ``portinfo.sphinx``: both built for real.

Each build runs ``python -m sphinx`` in a fresh process, as a user would. Skipped where
Sphinx, MyST or furo is not installed (the test extra alone, as in the run against the
wheel and under the other Pythons): ``pip install -e '.[docs]'``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pytest

import portinfo
from tests.conftest import REPOSITORY

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SAMPLE = Path(__file__).parent / "sphinx_sample"
IANA = (
    "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xhtml"
)


def _need(*modules: str) -> None:
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed: the docs extra, pip install -e '.[docs]'")


def _sphinx(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", *map(str, arguments)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPOSITORY,
    )


class _Page(HTMLParser):
    """The links (with their attributes and text) and the table cells of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[dict[str, str], str]] = []
        self.rows: list[list[str]] = []
        self.captions: list[str] = []
        self.ids: list[str] = []
        self._link: dict[str, str] | None = None
        self._text: list[str] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
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

    def handle_data(self, data: str) -> None:
        for collecting in (self._text, self._cell, self._caption):
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
    built = _sphinx("-W", "--keep-going", "-b", "html", REPOSITORY / "docs", out)
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
    assert index.link("2039 (prizma)")["title"] == _description("2039", "prizma")
    date = portinfo.data_info().iana_updated
    assert date
    assert [caption for caption in index.captions if date in caption] == index.captions != []


# --- the extension, in a project of its own -----------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sphinx_sample built to HTML, its warnings written to warnings.txt."""
    _need("sphinx", "myst_parser")
    out = tmp_path_factory.mktemp("sample")
    built = _sphinx("-b", "html", "-w", out / "warnings.txt", SAMPLE, out / "html")
    assert built.returncode == 0, built.stderr
    return out


def test_the_role_names_the_port_links_to_iana_and_explains_it(sample: Path) -> None:
    page = _Page((sample / "html" / "index.html").read_text(encoding="utf-8"))
    https = page.link("443/tcp (https)")
    assert https["title"] == _description("443/tcp", "https")
    assert https["href"] == f"{IANA}?search=443"
    assert page.link("2039 (prizma)")["title"] == "Prizma Monitoring Service"
    assert page.link("postgres (5432)")["title"] == _description("5432", "postgresql")
    rst = _Page((sample / "html" / "other.html").read_text(encoding="utf-8"))
    assert rst.link("443/tcp (https)")["title"] == https["title"]
    assert rst.link("53/udp (domain)")["href"] == f"{IANA}?search=53"


def test_the_table_lists_the_ports_with_the_date_of_the_data(sample: Path) -> None:
    page = _Page((sample / "html" / "index.html").read_text(encoding="utf-8"))
    assert page.captions == [
        f"What the sample listens on (IANA registry of {portinfo.data_info().iana_updated})"
    ]
    header, *rows = page.rows
    assert header == ["port", "protocol", "name", "range", "description"]
    assert [row[:1] + row[2:4] for row in rows] == [
        ["80", "http", "System Ports"],
        ["443", "https", "System Ports"],
        ["5432", "postgresql", "User Ports"],
        ["443", "https", "System Ports"],  # written as the name https
        ["70000/tcp", "", ""],  # not a port: shown as written, and a warning
    ]
    assert rows[0][1] == "tcp"
    assert "tcp" in rows[1][1].split(", ")
    assert rows[0][4] == _description("80/tcp", "http")


def test_each_unknown_entry_is_one_warning_naming_its_file_and_line(sample: Path) -> None:
    lines = (sample / "warnings.txt").read_text(encoding="utf-8").splitlines()
    expected = [
        (SAMPLE / "index.md", 6, "'no-such-service'"),  # the role, in MyST
        (SAMPLE / "index.md", 15, "'70000/tcp'"),  # a line of the table
        (SAMPLE / "other.rst", 6, "'icmp'"),  # the role, in reStructuredText
    ]
    assert len(lines) == len(expected), lines
    for path, line, text in expected:
        found = [w for w in lines if w.startswith(f"{path}:{line}: WARNING: ") and text in w]
        assert len(found) == 1, (path, line, lines)
        assert found[0].endswith("[portinfo.port]")


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


def test_describe_refuses_a_port_nothing_names() -> None:
    _need("sphinx")
    from portinfo.sphinx import UnknownPortError, describe

    with pytest.raises(UnknownPortError, match="port '0'"):
        describe("0")  # IANA reserves it; no source names it
    with pytest.raises(UnknownPortError, match="'https' on 'dccp'"):
        describe("https/dccp")


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
