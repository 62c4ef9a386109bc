"""tools/refresh.py: new upstream files are checked, and only good ones replace the data.

Each test works in a temporary copy: "shipped" data generated from the tiny registry into
a directory of its own, a changelog of its own, and raw directories holding later states
of the tiny registry (made here from tests/data/tiny.xml). The package's own data and
CHANGELOG.md are never touched.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from portinfo._store import DATA_FILES
from tests.conftest import DATA, REPOSITORY

sys.path.insert(0, str(REPOSITORY / "tools"))
import generate
import refresh

CHANGELOG = """# Changelog

## [Unreleased]

### Added: something (issue 20)

- A thing.

### Data

- IANA registry of 2026-01-02.

## [0.1.0] - 2025-01-01

### Data

- An old entry.
"""
TINY = (DATA / "tiny.xml").read_text(encoding="utf-8")
BENCHER = """  <record date="2026-08-01">
    <name>bencher</name>
    <protocol>tcp</protocol>
    <xref type="person" data="Ann_Example"/>
    <description>Bencher API</description>
    <number>6610</number>
  </record>
"""
PRIZMA_UDP = """  <record date="2005-12">
    <name>prizma</name>
    <protocol>udp</protocol>
    <xref type="person" data="Dotan_Ofek"/>
    <description>Prizma Monitoring Service</description>
    <number>2039</number>
  </record>
"""
DE_ASSIGNED = """  <record updated="2026-03-01">
    <protocol>udp</protocol>
    <description>Reserved</description>
    <number>2039</number>
    <note>De-assigned on 2026-03-01, previously prizma</note>
  </record>
"""


def _raw(directory: Path, xml: str) -> Path:
    directory.mkdir()
    (directory / generate.IANA_FILE).write_text(xml, encoding="utf-8")
    (directory / generate.SERVICES_FILE).write_bytes((DATA / "tiny-services").read_bytes())
    return directory


def _newer(text: str = TINY) -> str:
    """The tiny registry some months on: bencher assigned, prizma's udp port de-assigned
    (marked by IANA), and a later date."""
    assert PRIZMA_UDP in text
    text = text.replace(PRIZMA_UDP, DE_ASSIGNED).replace("2026-01-02", "2026-08-17")
    return text.replace("  <footnote", BENCHER + "  <footnote")


@pytest.fixture
def shipped(tmp_path: Path) -> tuple[Path, Path]:
    """A data directory generated from the tiny registry, and a changelog."""
    out = tmp_path / "data"
    out.mkdir()
    files = generate.generate(_raw(tmp_path / "raw-old", TINY))
    for name, data in files.items():
        (out / name).write_bytes(data)
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(CHANGELOG, encoding="utf-8")
    return out, changelog


def _run(raw: Path, shipped: tuple[Path, Path]) -> int:
    out, changelog = shipped
    return refresh.main([str(raw), "--out", str(out), "--changelog", str(changelog)])


def _snapshot(shipped: tuple[Path, Path]) -> dict[str, bytes]:
    out, changelog = shipped
    return {"CHANGELOG": changelog.read_bytes(), **{p.name: p.read_bytes() for p in out.iterdir()}}


def test_good_files_replace_the_data_and_the_report_goes_into_the_changelog(
    tmp_path: Path, shipped: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _raw(tmp_path / "raw", _newer())
    assert _run(raw, shipped) == 0, capsys.readouterr().err
    out, changelog = shipped
    assert generate.differences(generate.generate(raw), out) == []  # as generate.py writes them
    assert sorted(p.name for p in out.iterdir()) == sorted(DATA_FILES)
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []
    text = changelog.read_text(encoding="utf-8")
    data = text.index("### Data\n")
    entry = text[data : text.index("- IANA registry of 2026-01-02.")]
    assert entry.startswith(
        "### Data\n\n#### Refreshed: IANA registry of 2026-08-17 (was the IANA registry of"
        " 2026-01-02)\n\n"
    )
    assert "##### Records added (2)" in entry
    assert "- **6610/tcp bencher**: Bencher API" in entry
    assert "- 2039/udp: de-assigned (now reserved)" in entry
    assert text.endswith("### Data\n\n- An old entry.\n")  # the released sections unchanged
    assert "wrote 10 files" in capsys.readouterr().out
    assert _run(raw, shipped) == 0  # again: already what the files give
    assert "nothing to do" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        (TINY.replace(PRIZMA_UDP, ""), "prizma on 2039/udp: gone, and IANA did not mark it"),
        (
            _newer().replace("<name>dccp-ping</name>", "<name>dccp-pong</name>"),
            "dccp-ping (no port): gone, and IANA has no record of it",
        ),
        (
            _newer().replace("  <footnote", BENCHER.replace("6610", "6611") * 3 + "  <footnote"),
            "iana: 19 records against 15 shipped, more than 10% apart",
        ),
        ("<registry", "the new files do not parse: "),
    ],
)
def test_a_failed_check_writes_nothing(
    xml: str,
    problem: str,
    tmp_path: Path,
    shipped: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _snapshot(shipped)
    assert _run(_raw(tmp_path / "raw", xml), shipped) == 1
    err = capsys.readouterr().err
    assert "refresh: nothing written:\n" in err
    assert problem in err
    assert _snapshot(shipped) == before
    assert [p.name for p in shipped[0].parent.iterdir() if p.name.startswith(".")] == []


def test_older_files_are_refused(
    tmp_path: Path, shipped: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(_raw(tmp_path / "raw", _newer()), shipped) == 0
    before = _snapshot(shipped)
    assert _run(_raw(tmp_path / "raw-old-again", TINY), shipped) == 1
    err = capsys.readouterr().err
    assert "older data: service-names-port-numbers.xml is older than the data it would" in err
    assert "its newest record is of 2024-12-20" in err
    assert _snapshot(shipped) == before


def test_a_changelog_without_a_data_section_is_refused(
    tmp_path: Path, shipped: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    shipped[1].write_text("# Changelog\n\n## [Unreleased]\n\n### Added\n\n- x\n", encoding="utf-8")
    before = _snapshot(shipped)
    assert _run(_raw(tmp_path / "raw", _newer()), shipped) == 2
    assert "no '### Data' section under '## [Unreleased]'" in capsys.readouterr().err
    assert _snapshot(shipped) == before


def test_the_real_files_are_the_shipped_data(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy of the package's data refreshed from the files it was generated from."""
    out = tmp_path / "data"
    out.mkdir()
    for name in DATA_FILES:
        (out / name).write_bytes((generate.OUTPUT / name).read_bytes())
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(CHANGELOG, encoding="utf-8")
    assert _run(shared_data, (out, changelog)) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert changelog.read_text(encoding="utf-8") == CHANGELOG
