"""One compile path: the generator and Registry.from_files make the same tables of the same inputs.

For each combination of inputs, the tables that ``tools/generate.py`` writes and the ones
that ``Registry.from_files`` builds in memory are compared byte for byte (all but the first
line of each file, which names what made it), and the two registries' answers are compared
for every port, protocol and name where the inputs are small enough to walk in a test.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from portinfo import Protocol, Registry, Source
from portinfo._compile import NameFact
from portinfo._compile import compile_files as compile_with
from portinfo._data import Data, packaged
from portinfo._files import MAX_ON_PORT
from portinfo._iana import parse_iana
from portinfo._nmap import parse_nmap
from portinfo._store import TABLES, Table
from tests.conftest import DATA, REPOSITORY

sys.path.insert(0, str(REPOSITORY / "tools"))
import generate

OBSERVED = REPOSITORY / "sources" / "observed-uses.toml"
TINY = (DATA / "tiny.xml", DATA / "tiny-services", DATA / "tiny-nmap-services")


def _tables(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Every table file without its first line (which says what made it)."""
    return {
        f"{name}.{kind}": files[f"{name}.{kind}"].split(b"\n", 1)[1]
        for name in TABLES
        for kind in ("jsonl", "idx")
    }


def _registry(files: Mapping[str, bytes]) -> Registry:
    data = Data(files, "generated")
    return Registry(lambda: data)


def compile_files(
    iana: Path, services: Path | None = None, nmap: Path | None = None
) -> tuple[dict[str, bytes], object]:
    """What Registry.from_files compiles of these files: the rest from the package."""
    return compile_with(
        iana=iana, services=services, nmap=nmap, base=packaged(), generated_by="test"
    )


def _names(files: Mapping[str, bytes]) -> list[tuple[Any, ...]]:
    table = Table(files["names.jsonl"], files["names.idx"], "names")
    return [tuple(table.row(n)) for n in range(len(table))]


def _same_answers(left: Registry, right: Registry) -> None:
    for protocol in (None, *Protocol):
        for port in range(65536):
            assert left.lookup(port, protocol) == right.lookup(port, protocol), (port, protocol)
    names = {a.service for a in left.assignments() if a.service}
    names |= {a.name for a in left.aliases()} | {u.name for u in left.uses()}
    assert names
    for name in sorted(names):
        assert left.resolve_all(name) == right.resolve_all(name), name


def test_tiny_files_compile_alike() -> None:
    generated = generate.generate_from(*TINY, OBSERVED)
    built, _ = compile_files(iana=TINY[0], services=TINY[1], nmap=TINY[2])
    assert _tables(generated) == _tables(built)
    _same_answers(
        _registry(generated), Registry.from_files(iana=TINY[0], services=TINY[1], nmap=TINY[2])
    )


def test_the_real_files_compile_alike(shared_data: Path) -> None:
    files = (
        shared_data / "service-names-port-numbers.xml",
        shared_data / "services",
        shared_data / "nmap-services",
    )
    generated = generate.generate_from(*files, OBSERVED)
    built, _ = compile_files(iana=files[0], services=files[1], nmap=files[2])
    assert _tables(generated) == _tables(built)
    # Given the IANA file alone, the services and Nmap facts come from the package: the
    # package was compiled from these very files, so nothing differs either.
    assert _tables(generated) == _tables(compile_files(iana=files[0])[0])


@pytest.mark.parametrize("iana", ["tiny", "renamed"])
def test_an_iana_file_alone_takes_the_packaged_facts(
    shared_data: Path, tmp_path: Path, iana: str
) -> None:
    """A smaller or a changed IANA file with the packaged services and Nmap facts.

    The only difference from compiling the raw files: Nmap names that the real registry
    gives the same port, which the package leaves out (the data's licence terms ship only
    Nmap's names that differ from IANA's), and which a changed registry no longer has.
    """
    xml = shared_data / "service-names-port-numbers.xml"
    if iana == "tiny":
        path = DATA / "tiny.xml"
    else:  # IANA's file with one service renamed, as a later registry might do
        path = tmp_path / "renamed.xml"
        path.write_bytes(
            xml.read_bytes().replace(b"<name>ssh</name>", b"<name>secure-shell</name>")
        )
    services, nmap = shared_data / "services", shared_data / "nmap-services"
    generated = generate.generate_from(path, services, nmap, OBSERVED)
    alone, _ = compile_files(iana=path)
    for name in ("iana", "people", "uses"):
        assert _tables(generated)[f"{name}.jsonl"] == _tables(alone)[f"{name}.jsonl"]
    renamed_or_absent = _iana_names(xml) - _iana_names(path)
    left_out = Counter(
        NameFact(e.name, e.port, e.protocol)
        for e in parse_nmap(nmap.read_bytes(), "nmap")
        if (e.name.lower(), e.port, e.protocol) in renamed_or_absent
    )
    rows_generated, rows_alone = _names(generated), _names(alone)
    missing = Counter(rows_generated) - Counter(rows_alone)
    assert Counter(rows_alone) - Counter(rows_generated) == Counter()
    assert sorted(NameFact(r[0], r[3], Protocol(r[2])) for r in missing) == sorted(left_out)
    if iana == "renamed":
        assert left_out
        assert {fact.name for fact in left_out} == {"ssh"}


def _iana_names(path: Path) -> set[tuple[str, int, Protocol]]:
    """Every (name, port, protocol) that an IANA file gives, names lower-cased."""
    return {
        (a.service.lower(), port, protocol)
        for a in parse_iana(path.read_bytes(), str(path)).assignments
        if a.service
        for first, last in a.ports
        for port in range(first, last + 1)
        for protocol in ([a.protocol] if a.protocol else Protocol)
    }


def test_ranges_stay_ranges_however_wide(tmp_path: Path) -> None:
    """32 records over every port (the cap) compile as 32 records, not 32 x 65,536 entries."""
    header = (DATA / "tiny.csv").read_bytes().splitlines()[0]
    rows = [f"x{n},0-65535,tcp,Wide {n},,,,,,,,".encode() for n in range(MAX_ON_PORT - 1)]
    rows += [b'wide-alias,0-65535,tcp,,,,,,,,,This entry is an alias to "x1".']
    path = tmp_path / "wide.csv"
    path.write_bytes(b"\n".join([header, *rows]) + b"\n")
    files, _ = compile_files(iana=path)
    assert sum(len(data) for data in files.values()) < 2_500_000
    registry = _registry(files)
    for port in (0, 12345, 65535):
        info = registry.lookup(port, "tcp")
        assert len(info.assignments) == MAX_ON_PORT
        assert [a.name for a in info.aliases if a.source is Source.IANA] == ["wide-alias"]
    assert registry.resolve("wide-alias").name == "x1"


# --- reuse: a compile over the package encodes only what its inputs changed ---------------


def _encoded_afresh(
    monkeypatch: pytest.MonkeyPatch, files: Mapping[str, Any], generated_by: str = "test"
) -> dict[str, bytes]:
    """What compile_files makes of ``files`` over the package when it reuses nothing."""
    import portinfo._compile

    every = portinfo._compile.compile_tables
    with monkeypatch.context() as patched:
        patched.setattr(
            portinfo._compile,
            "compile_tables",
            lambda inputs, sources, made_by, base=None: every(inputs, sources, made_by, None),
        )
        return compile_with(base=packaged(), generated_by=generated_by, **files)[0]


ONE_LINE = "http 80/tcp www\nshilp 2049/tcp\n"  # also makes shilp lead on 2049/tcp


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"services": "one-line"},
        {"services": DATA / "tiny-services"},
        {"nmap": DATA / "tiny-nmap-services"},
        {"services": DATA / "tiny-services", "nmap": DATA / "tiny-nmap-services"},
        {"uses": OBSERVED},
        {"iana": DATA / "tiny.xml"},
        {"iana": DATA / "tiny.csv"},
    ],
    ids=repr,
)
def test_what_is_reused_is_what_encoding_again_gives(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, files: dict[str, Any]
) -> None:
    if files.get("services") == "one-line":
        files = {"services": tmp_path / "services"}
        files["services"].write_text(ONE_LINE)
    reused, _ = compile_with(base=packaged(), generated_by="test", **files)
    assert reused == _encoded_afresh(monkeypatch, files)


@pytest.mark.parametrize("name", ["services", "nmap-services", "service-names-port-numbers.csv"])
def test_what_is_reused_is_what_encoding_again_gives_for_real_files(
    monkeypatch: pytest.MonkeyPatch, shared_data: Path, name: str
) -> None:
    kind = {"services": "services", "nmap-services": "nmap"}.get(name, "iana")
    files: dict[str, Any] = {kind: shared_data / name}
    reused, _ = compile_with(base=packaged(), generated_by="test", **files)
    assert reused == _encoded_afresh(monkeypatch, files)


def test_the_package_compiled_over_itself_is_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """What reuse stands on: the inputs read back from the packaged data compile to the
    packaged data, byte for byte, whether its tables are reused or encoded again."""
    from portinfo._store import packaged_files

    shipped = packaged_files()
    again, _ = compile_with(base=packaged(), generated_by=generate.GENERATED_BY)
    assert again == shipped
    assert _encoded_afresh(monkeypatch, {}, generate.GENERATED_BY) == shipped
