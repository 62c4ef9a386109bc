"""Your own ports (issue 19): local files, their two formats, the one name they lead, the
configuration that brings them to every tool, and their faults.

The files are written here, small and by hand, and pushed through the real parsers and the
real compile; the packaged data answers everything else.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import portinfo
from portinfo import DataFormatError, LocalService, Protocol, Registry, Source
from portinfo.__main__ import main
from portinfo._compile import compile_files
from portinfo._config import CONFIG_VARIABLE, LOCAL, Setting, config_path, find
from portinfo._data import packaged
from portinfo._files import MAX_ON_PORT, MAX_RECORDS
from portinfo._listening import Listener
from portinfo._store import DATA_FILES, LOCAL_FILES
from tests.conftest import REPOSITORY, sphinx_build

TOML = """\
[[service]]
name = "quill-api"
ports = [8200]
protocols = ["tcp"]
title = "Quill API"
description = "REST API of the Quill server"
url = "https://docs.example.com/quill"
aliases = ["quill"]

[[service]]
name = "quill-agents"
ports = ["9300-9309", 9400]
protocols = ["TCP", "udp"]
"""
SERVICES = """\
# our own
quill-relay   47999/tcp   relay     # Quill relay
quill-relay   47999/udp             # Quill relay
quill-api     8200/tcp
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """A local TOML file and a local services file."""
    toml, services = tmp_path / "ports.toml", tmp_path / "quill.services"
    toml.write_text(TOML, encoding="utf-8")
    services.write_text(SERVICES, encoding="utf-8")
    return toml, services


@pytest.fixture
def registry(files: tuple[Path, Path]) -> Registry:
    return Registry.from_files(local=list(files))


def _found(setting: Setting) -> tuple[tuple[str, ...], str]:
    """What :func:`find` gives for ``setting``: its paths and where they were set."""
    found = find(setting)
    return found.paths, found.origin


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the two formats ------------------------------------------------------------------------


def test_a_toml_file_gives_its_services(files: tuple[Path, Path]) -> None:
    toml, _ = files
    found = list(Registry.from_files(local=toml).local())
    assert found == [
        LocalService(
            "quill-api",
            ((8200, 8200),),
            (Protocol.TCP,),
            "Quill API",
            "REST API of the Quill server",
            "https://docs.example.com/quill",
            ("quill",),
            "ports.toml",
        ),
        LocalService(
            "quill-agents",
            ((9300, 9309), (9400, 9400)),
            (Protocol.TCP, Protocol.UDP),
            file="ports.toml",
        ),
    ]


def test_a_services_file_gives_a_service_a_line(files: tuple[Path, Path]) -> None:
    _, services = files
    found = list(Registry.from_files(local=str(services)).local())
    assert [(s.name, s.ports, s.protocols, s.title, s.aliases) for s in found] == [
        ("quill-relay", ((47999, 47999),), (Protocol.TCP,), "Quill relay", ("relay",)),
        ("quill-relay", ((47999, 47999),), (Protocol.UDP,), "Quill relay", ()),
        ("quill-api", ((8200, 8200),), (Protocol.TCP,), None, ()),
    ]
    assert {s.file for s in found} == {"quill.services"}


def test_a_services_comment_is_never_compiled_into_other_data(tmp_path: Path) -> None:
    """A services file given with services= keeps its facts only, as before."""
    services = _write(tmp_path, "services", "http 80/tcp www # zqx-comment\n")
    built = Registry.from_files(services=services)
    assert "zqx" not in repr(list(built.aliases()))
    files, _ = compile_files(services=services, base=packaged(), generated_by="t")
    assert not any(b"zqx" in data for data in files.values())


# --- one name, everywhere ---------------------------------------------------------------------


def test_your_name_comes_first_and_keeps_ianas(registry: Registry) -> None:
    info = registry.lookup(8200, "tcp")
    assert info.name == registry.name(8200) == "quill-api"
    assert [a.service for a in info.assignments] == ["trivnet1"]  # not hidden
    assert [own.file for own in info.local] == ["ports.toml", "quill.services"]  # first file first
    assert info.summary.startswith("8200/tcp quill-api (Quill API, local); IANA registers trivnet1")
    assert registry.name(8200, "udp") == "trivnet1"  # yours is on tcp only
    assert registry.name(9305, "udp") == registry.name(9400) == "quill-agents"
    assert registry.lookup(9301).summary.startswith("9301 quill-agents (local)")
    assert registry.lookup(47999, "udp").summary == "47999/udp quill-relay (Quill relay, local)"
    assert Registry.packaged().name(8200) == "trivnet1"


def test_the_table_and_annotate_agree_with_name(registry: Registry) -> None:
    for protocol in (None, *Protocol):
        table = registry.table(protocol)
        for port in (8200, 9300, 9309, 9310, 9400, 47999, 443):
            assert table[port] == registry.name(port, protocol), (port, protocol)
    assert portinfo.annotate([8200, 47999], registry=registry) == ["quill-api", "quill-relay"]
    described = portinfo.annotate([8200, 47999, 9300], field="description", registry=registry)
    assert described == ["Quill API", "Quill relay", None]


def test_resolve_finds_yours_first(registry: Registry) -> None:
    service = registry.resolve("quill")
    assert (service.name, service.ports, service.protocols) == (
        "quill-api",
        ((8200, 8200),),
        (Protocol.TCP,),
    )
    assert service.matched is not None
    assert service.matched.source is Source.LOCAL
    assert [own.file for own in service.local] == ["ports.toml", "quill.services"]
    relay = registry.resolve("quill-relay")
    assert relay.protocols == (Protocol.TCP, Protocol.UDP)
    assert len(relay.local) == 2
    assert [a.name for a in relay.aliases] == ["relay"]
    assert registry.port("quill-agents", "udp") == 9300
    assert registry.suggest("quill-agent") == ["quill-agents"]


def test_a_name_of_yours_that_iana_has_comes_first(tmp_path: Path) -> None:
    own = _write(tmp_path, "db.services", "postgresql 5433/tcp # our second database\n")
    registry = Registry.from_files(local=own)
    assert [(s.name, s.ports, bool(s.local)) for s in registry.resolve_all("postgresql")] == [
        ("postgresql", ((5433, 5433),), True),
        ("postgresql", ((5432, 5432),), False),
    ]
    assert registry.lookup(5433, "tcp").summary.startswith("5433/tcp postgresql (our second")


def test_search_puts_yours_first(registry: Registry) -> None:
    by_port = [(r.match.value, r.name, r.source) for r in registry.search("8200", limit=2)]
    assert by_port == [("port", "quill-api", Source.LOCAL), ("port", "trivnet1", Source.IANA)]
    found = registry.search("quill")
    assert {r.name for r in found} == {"quill-api", "quill-agents", "quill-relay"}
    assert all(r.source is Source.LOCAL for r in found)
    assert found[0].name == "quill-api"  # the exact match (an alias) first
    described = registry.search("rest api", limit=1)[0]
    assert (described.name, described.description) == (
        "quill-api",
        "Quill API: REST API of the Quill server",
    )


def test_your_ports_are_never_free(registry: Registry, tmp_path: Path) -> None:
    """free() counts your own services' ports as taken, as it does every source's."""
    shipped = Registry.packaged().free(20000, 30000, n=3)
    own = _write(tmp_path, "ours.services", f"ours {shipped[0]}/udp # now taken\n")
    mine = Registry.from_files(local=own)
    assert shipped[0] not in mine.free(20000, 30000, n=3)  # on any protocol
    on_tcp = Registry.packaged().free(20000, 30000, n=3, protocol="tcp")
    assert mine.free(20000, 30000, n=3, protocol="tcp") == on_tcp  # yours is on udp
    assert not {8200, *range(9300, 9310)} & set(registry.free(8000, 9999, n=5000, avoid=()))


def test_every_detailed_answer_marks_yours(registry: Registry) -> None:
    info = registry.lookup(8200, "tcp").as_dict()
    assert info["local"][0]["name"] == "quill-api"
    assert registry.resolve("quill").as_dict()["local"][0]["file"] == "ports.toml"
    assert registry.search("quill", limit=1)[0].as_dict()["source"] == "local"
    report = json.loads(portinfo.report(8200, "tcp", format="json", registry=registry))
    assert [own["name"] for own in report["local"]] == ["quill-api", "quill-api"]
    assert Listener.at("::", 8200, "tcp", registry=registry).as_dict()["local"] is True
    assert Listener.at("::", 8200, "udp", registry=registry).local is False


def test_the_report_says_iana_registers_it_to_someone_else(registry: Registry) -> None:
    text = portinfo.report(8200, "tcp", registry=registry)
    assert text.startswith("Port 8200/tcp: quill-api (Quill API, local); IANA registers")
    assert "Your own (local):\n  quill-api (8200/tcp): Quill API\n" in text
    assert "trivnet1 (8200/tcp): TRIVNET" in text  # IANA's record, still there
    note = (
        "IANA registers 8200/tcp to trivnet1 (someone else); your own quill-api (from"
        " ports.toml) is not registered there."
    )
    assert note in " ".join(text.split())
    page = portinfo.report(8200, "tcp", format="markdown", registry=registry)
    assert "## Your own (local)" in page
    assert "(someone else)" in page
    assert "[documentation](https://docs.example.com/quill)" in page
    free = portinfo.report(47999, "tcp", registry=registry)
    assert "someone else" not in free  # IANA registers nothing there


def test_data_info_lists_each_local_file(files: tuple[Path, Path], registry: Registry) -> None:
    local = [s for s in registry.data_info().sources if s.name == "local"]
    assert [(s.file, s.records, s.date) for s in local] == [
        ("ports.toml", 2, None),
        ("quill.services", 3, None),
    ]
    assert local[0].sha256 == __import__("hashlib").sha256(files[0].read_bytes()).hexdigest()
    assert registry.data_info().source("iana") == Registry.packaged().data_info().source("iana")


# --- how it is compiled -------------------------------------------------------------------------


def test_the_packaged_tables_are_reused_as_they_are(files: tuple[Path, Path]) -> None:
    base = packaged()
    fast, _ = compile_files(local=list(files), base=base, generated_by="t")
    for name in DATA_FILES:
        if name != "manifest.json":
            assert fast[name] is base.files[name], name
    # Compiled the whole way (an observed-uses file given), the local table is the same bytes.
    whole, _ = compile_files(
        uses=REPOSITORY / "sources" / "observed-uses.toml",
        local=list(files),
        base=base,
        generated_by="t",
    )
    for name in LOCAL_FILES:
        assert whole[name] == fast[name]
    assert compile_files(base=base, generated_by="t")[0].keys() == set(DATA_FILES)


def test_a_file_named_twice_is_read_once(files: tuple[Path, Path]) -> None:
    toml, _ = files
    twice = Registry.from_files(local=[toml, str(toml), toml.parent / "." / toml.name])
    assert len(list(twice.local())) == 2


@pytest.mark.parametrize("given", [123, b"ports.toml", {"a": 1}, [None]])
def test_local_must_be_paths(given: object) -> None:
    with pytest.raises(TypeError, match="path"):
        Registry.from_files(local=given)  # type: ignore[arg-type]


# --- bad files ------------------------------------------------------------------------------------

BAD_TOML = [
    ("[[service]\nname = 1\n", r"not valid TOML: .*line 1"),
    ("x = 1\n", r"no \[\[service\]\] tables"),
    ('[[use]]\nname = "x"\n', r"its \[\[use\]\] tables are observed uses: give it as uses="),
    ('x = 1\n[[service]]\nname = "a"\nports = [1]\nprotocols = ["tcp"]\n', "unknown key 'x'"),
    ("[[service]]\nname = 'a'\nports = [1]\n", r"1 \('a'\): no key 'protocols'"),
    ("[[service]]\nname = '=a'\nports = [1]\nprotocols = ['tcp']\n", "bad name '=a'"),
    ("[[service]]\nname = 'a'\nports = []\nprotocols = ['tcp']\n", "ports must not be empty"),
    ("[[service]]\nname = 'a'\nports = ['9-1']\nprotocols = ['tcp']\n", "not within 0-65535"),
    ("[[service]]\nname = 'a'\nports = [1]\nprotocols = ['icmp']\n", "protocols must be tcp"),
    ("[[service]]\nname = 'a'\nports = [1]\nprotocols = []\n", "protocols must not be empty"),
    (
        "[[service]]\nname = 'a'\nports = [1]\nprotocols = ['tcp']\ntitle = \"x\\ny\"\n",
        "title must be one non-empty line",
    ),
    (
        "[[service]]\nname = 'a'\nports = [1]\nprotocols = ['tcp']\nurl = 'javascript:x'\n",
        "url must be an http",
    ),
    (
        "[[service]]\nname = 'a'\nports = [1]\nprotocols = ['tcp']\n\n"
        "[[service]]\nname = 'A'\nports = [2]\nprotocols = ['tcp']\n",
        "line 6: name 'A' is used twice",
    ),
    ("[[service]]\nname = 'a'\nports = [1]\nprotocols = ['tcp']\naliases = ['x y']\n", "bad name"),
]


@pytest.mark.parametrize(("text", "message"), BAD_TOML)
def test_a_bad_toml_file_is_refused_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, "bad.toml", text)
    with pytest.raises(DataFormatError, match=rf"^{path}: (.*)?{message}"):
        Registry.from_files(local=path)


def test_a_bad_services_line_is_refused_naming_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "our.services", "a 1/tcp\nb 70000/tcp # too high\n")
    with pytest.raises(DataFormatError, match=rf"^{path}: line 2: expected port/protocol"):
        Registry.from_files(local=path)


def test_the_caps_hold(tmp_path: Path) -> None:
    crowded = "".join(f"n{n} 7/tcp\n" for n in range(MAX_ON_PORT + 1))
    with pytest.raises(DataFormatError, match="cover port 7/tcp, more than the cap"):
        Registry.from_files(local=_write(tmp_path, "crowded", crowded))
    many = "".join(
        f"[[service]]\nname = 'n{n}'\nports = [{n}]\nprotocols = ['tcp']\n"
        for n in range(MAX_RECORDS + 1)
    )
    with pytest.raises(DataFormatError, match="more than 50,000 services"):
        Registry.from_files(local=_write(tmp_path, "many.toml", many))
    half = "".join(f"n{n} 7/tcp\n" for n in range(MAX_ON_PORT // 2 + 1))
    files = [_write(tmp_path, f"half{n}", half) for n in range(2)]
    with pytest.raises(DataFormatError, match=r"^the local files \(half0, half1\): 34 services"):
        Registry.from_files(local=files)
    with pytest.raises(DataFormatError, match="is a directory"):
        Registry.from_files(local=tmp_path)


def test_nothing_half_loaded(files: tuple[Path, Path], tmp_path: Path) -> None:
    """One bad file among good ones: no registry at all, and the error names the bad one."""
    bad = _write(tmp_path, "bad.services", "fine 1/tcp\n=bad 2/tcp\n")
    with pytest.raises(DataFormatError, match=rf"^{bad}: line 2"):
        Registry.from_files(local=[*files, bad])


# --- every tool at once: the configuration ----------------------------------------------------


@pytest.fixture
def fresh_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """A default registry made afresh in this test (and the old one back after it)."""
    monkeypatch.setattr(portinfo._api, "_default", None)


def test_the_suite_runs_with_discovery_cleared() -> None:
    assert LOCAL.variable not in os.environ
    assert "PORTINFO_DATA" not in os.environ
    assert not Path(config_path()).exists()
    assert _found(LOCAL) == ((), "")
    assert portinfo.default_registry().name(8200) == "trivnet1"


def test_the_variable_comes_first(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml, services = files
    config = _write(tmp_path, "config.toml", 'local = ["quill.services"]\n')
    monkeypatch.setenv(CONFIG_VARIABLE, str(config))
    assert _found(LOCAL) == ((str(services),), str(config))  # relative to the config file
    monkeypatch.setenv(LOCAL.variable, os.pathsep.join([str(toml), "", str(services)]))
    assert _found(LOCAL) == ((str(toml), str(services)), LOCAL.variable)
    monkeypatch.setenv(LOCAL.variable, "")  # set to nothing: the file's setting is off
    assert _found(LOCAL) == ((), LOCAL.variable)


def test_the_config_file_is_where_platformdirs_says(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    monkeypatch.delenv(CONFIG_VARIABLE)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # platformdirs' on Linux
    expected = os.path.join(
        platformdirs.user_config_dir("portinfo", appauthor=False), "config.toml"
    )
    assert config_path() == expected
    if sys.platform.startswith("linux"):
        assert expected == str(tmp_path / "portinfo" / "config.toml")
        Path(expected).parent.mkdir()
        Path(expected).write_text(f"local = {str(files[0])!r}\n", encoding="utf-8")
        assert _found(LOCAL) == ((str(files[0]),), expected)


@pytest.mark.parametrize(
    ("home", "xdg"),
    [
        ("/home/ann", None),
        ("/home/ann", ""),
        ("/home/ann", "/srv/conf"),
        ("/home/ann", "relative/conf"),  # platformdirs' own case: versions differ
        ("/home/ann/", "/srv/conf/"),
        ("relative-home", None),  # platformdirs' own case: the fast path stands aside
        (None, None),
    ],
)
def test_the_config_path_without_platformdirs_is_platformdirs_path(
    monkeypatch: pytest.MonkeyPatch, home: str | None, xdg: str | None
) -> None:
    """Where the environment is plain, the config path is worked out without importing
    platformdirs (6 ms off the first answer); in every such case, it is platformdirs'."""
    import platformdirs

    from portinfo._config import _xdg_config_dir

    monkeypatch.delenv(CONFIG_VARIABLE)
    for name, value in (("HOME", home), ("XDG_CONFIG_HOME", xdg)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    fast = _xdg_config_dir()
    plain = home is not None and os.path.isabs(home) and (not xdg or os.path.isabs(xdg))
    if not sys.platform.startswith("linux") or not plain:
        assert fast is None
        return
    assert fast is not None
    assert os.path.normpath(fast) == os.path.normpath(
        platformdirs.user_config_dir("portinfo", appauthor=False)
    )
    assert config_path() == os.path.join(fast, "config.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("local = [", "not valid TOML"),
        ('locals = ["x"]', "unknown key 'locals'; the keys are"),
        ("local = 3", "local must be a path or a list of paths, got 3"),
        ('local = ["a", ""]', "local must be a path or a list"),
    ],
)
def test_a_bad_config_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    config = _write(tmp_path, "config.toml", text + "\n")
    monkeypatch.setenv(CONFIG_VARIABLE, str(config))
    with pytest.raises(DataFormatError, match=f"^{config}: {message}"):
        find(LOCAL)


def test_the_default_registry_follows_the_configuration(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, fresh_default: None
) -> None:
    monkeypatch.setenv(LOCAL.variable, str(files[0]))
    registry = portinfo.default_registry()
    assert repr(registry) == "<portinfo.Registry (not loaded yet)>"  # nothing read yet
    assert portinfo.name(8200) == "quill-api"
    assert portinfo.data_info().sources[-1].file == "ports.toml"
    assert Registry.packaged().name(8200) == "trivnet1"  # the shipped data alone


def test_a_broken_configured_file_is_named_at_each_use_until_mended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_default: None
) -> None:
    path = _write(tmp_path, "ports.toml", "[[service]]\nname = 'a'\n")
    monkeypatch.setenv(LOCAL.variable, str(path))
    for _ in range(2):
        with pytest.raises(
            DataFormatError, match=rf"^{path}: .*\(a file named by PORTINFO_LOCAL\)$"
        ):
            portinfo.lookup(80)
    path.write_text("[[service]]\nname = 'a'\nports = [80]\nprotocols = ['tcp']\n")
    assert portinfo.name(80, "tcp") == "a"


def test_importing_reads_no_configuration(files: tuple[Path, Path]) -> None:
    """A program that imports portinfo, with a broken configured file, fails only on asking."""
    code = (
        "import portinfo, sys; from portinfo import lookup\n"
        "assert 'portinfo._config' not in sys.modules and 'platformdirs' not in sys.modules\n"
        "print(portinfo.name(47999, 'tcp'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, LOCAL.variable: str(files[1])},
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "quill-relay\n", "")


def test_your_files_add_to_a_saved_registry(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_default: None
) -> None:
    """PORTINFO_DATA names a saved registry, PORTINFO_LOCAL your files: the default
    registry is the one with the other added; a registry saved with local files keeps them,
    after those added to it later."""
    toml, services = files
    saved = tmp_path / "saved"
    Registry.from_files(local=services).save(saved)
    assert Registry.from_directory(saved).name(47999) == "quill-relay"  # kept in the save
    monkeypatch.setenv("PORTINFO_DATA", str(saved))
    monkeypatch.setenv(LOCAL.variable, str(toml))
    info = portinfo.data_info()
    assert info.directory == str(saved.resolve())
    assert [s.file for s in info.sources if s.name == "local"] == ["ports.toml", "quill.services"]
    assert portinfo.name(8200) == "quill-api"
    assert [own.file for own in portinfo.lookup(8200, "tcp").local] == [
        "ports.toml",
        "quill.services",
    ]  # the files added now first, then the saved registry's own
    status, out, _ = _run("--data", str(saved), "--local", str(toml), "9300", "--brief")
    assert (status, out.split(" ")[1]) == (0, "quill-agents")


# --- the command line ----------------------------------------------------------------------------


def _run(*arguments: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(arguments))
    return status, out.getvalue(), err.getvalue()


def test_local_on_the_command_line_adds_and_comes_first(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, fresh_default: None
) -> None:
    toml, services = files
    status, out, _ = _run("--local", str(services), "47999", "8200", "-p", "tcp", "--brief")
    assert status == 0
    assert out.splitlines()[0] == "47999/tcp quill-relay (Quill relay, local)"
    assert out.splitlines()[1].startswith("8200/tcp quill-api (local); IANA registers trivnet1;")
    monkeypatch.setenv(LOCAL.variable, str(toml))  # configured, and --local besides
    status, out, _ = _run("--local", str(services), "47999", "8200", "9300", "--brief")
    assert [line.split(" ")[1] for line in out.splitlines()] == [
        "quill-relay",
        "quill-api",
        "quill-agents",
    ]
    assert "(local);" in out.splitlines()[1]  # the --local file's entry, not the configured one
    status, out, _ = _run("--local", str(services), "--data-info")
    assert "local     quill.services" in out
    assert "PORTINFO_LOCAL names local files: ports.toml" in out
    assert _run("--local", "", "80")[0] == 2


def test_a_name_missing_from_a_replaced_services_file_says_why(files: tuple[Path, Path]) -> None:
    _, services = files
    status, _, err = _run("--services", str(services), "postgres")
    assert status == 1
    assert "replaced the shipped services file, which names it" in err
    assert "--local instead" in err
    status, out, _ = _run("--local", str(services), "postgres", "--brief")
    assert (status, out) == (0, "5432 postgresql (PostgreSQL Database)\n")
    assert "did you mean" in _run("--services", str(services), "postgresx")[2]


# --- one configuration, every surface (the "done when") ------------------------------


def test_one_local_file_changes_the_first_name_on_every_surface(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, fresh_default: None
) -> None:
    """PORTINFO_LOCAL names the file; name(), summary, the report, --brief, annotate,
    listening (on a faked socket list) and the Sphinx role all show its name first."""
    monkeypatch.setenv(LOCAL.variable, str(files[0]))
    assert portinfo.name(8200, "tcp") == "quill-api"
    assert portinfo.lookup(8200, "tcp").summary.startswith("8200/tcp quill-api (Quill API")
    assert portinfo.report(8200, "tcp").startswith("Port 8200/tcp: quill-api (Quill API, local)")
    assert _run("8200", "-p", "tcp", "--brief")[1].startswith("8200/tcp quill-api (Quill API")
    assert portinfo.annotate([8200], "tcp") == ["quill-api"]
    from tests.test_listening import FakePsutil, install, tcp

    install(monkeypatch, FakePsutil([tcp("0.0.0.0", 8200, 10)], {10: "quill"}), root=True)  # noqa: S104
    assert [x.name for x in portinfo.listening().listeners] == ["quill-api"]
    status, out, _ = _run("listening")
    assert status == 0
    assert "quill-api" in out
    assert "trivnet1" not in out.split("quill-api")[0]
    if importlib.util.find_spec("sphinx") is not None:  # the docs extra
        from portinfo.sphinx import describe

        entry = describe("8200/tcp")
        assert (entry.label, entry.description) == ("8200/tcp (quill-api)", "Quill API")


def test_a_sphinx_project_names_its_own_ports(files: tuple[Path, Path], tmp_path: Path) -> None:
    for module in ("sphinx", "myst_parser"):
        pytest.importorskip(module, reason="the docs extra")
    source = tmp_path / "site"
    source.mkdir()
    (source / "ports.toml").write_text(TOML, encoding="utf-8")
    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "portinfo.sphinx"]\nportinfo_local = ["ports.toml"]\n',
        encoding="utf-8",
    )
    (source / "index.md").write_text(
        "# Ports\n\nOn {port}`8200/tcp`, {port}`quill` and {port}`443/tcp`.\n\n"
        "```{port-table}\n8200/tcp\nquill-agents\n```\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    built = sphinx_build("-W", "-b", "html", source, out)
    assert built.returncode == 0, built.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="https://docs.example.com/quill" title="Quill API">8200/tcp (quill-api)<' in html
    assert ">quill (8200)<" in html
    assert ">443/tcp (https)<" in html
    assert "<td><p>quill-agents</p></td>" in html
