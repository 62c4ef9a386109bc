"""A saved registry: Registry.save writes the data files, Registry.from_directory,
PORTINFO_DATA, the config file's ``data`` and ``portinfo --data`` answer from them.

A saved registry is the data files as the package ships them, byte for byte; writing is
atomic (a failure leaves the directory as it was); loading is as lazy and as checked as the
packaged data's. The end-to-end test runs an unmodified script in a fresh environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import portinfo
import portinfo._api
from portinfo import DataFormatError, InvalidArgumentError, NoRankingError, Registry
from portinfo._store import DATA_FILES, packaged_files
from tests.conftest import DATA

TINY = DATA / "tiny.xml"


@pytest.fixture(scope="module")
def tiny_iana() -> Registry:
    """A registry of the tiny IANA file over the packaged rest: 2039 is prizma alone."""
    return Registry.from_files(iana=TINY)


def _files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in directory.iterdir()}


def test_a_saved_registry_is_its_data_files_byte_for_byte(
    tmp_path: Path, tiny_iana: Registry
) -> None:
    Registry.packaged().save(tmp_path / "packaged")
    assert _files(tmp_path / "packaged") == packaged_files()
    tiny_iana.save(tmp_path / "tiny")
    assert sorted(_files(tmp_path / "tiny")) == sorted(DATA_FILES)
    assert _files(tmp_path / "tiny") == tiny_iana._load().files


def test_a_saved_registry_answers_as_the_one_saved(tmp_path: Path, tiny_iana: Registry) -> None:
    tiny_iana.save(tmp_path / "saved")
    saved = Registry.from_directory(tmp_path / "saved")
    for port in (0, 22, 80, 2039, 6000, 49151, 65535):
        assert saved.lookup(port) == tiny_iana.lookup(port), port
    assert saved.resolve_all("http") == tiny_iana.resolve_all("http")
    assert saved.search("veristand") == tiny_iana.search("veristand")
    info = saved.data_info()
    assert info.directory == str((tmp_path / "saved").resolve())
    assert info.sources == tiny_iana.data_info().sources
    assert info.generated_by == "portinfo.Registry.from_files"
    assert tiny_iana.data_info().directory is None
    assert Registry.packaged().data_info().directory is None
    assert info.as_dict()["directory"] == info.directory


def test_loading_is_lazy_and_checked_like_the_packaged_data(
    tmp_path: Path, tiny_iana: Registry
) -> None:
    tiny_iana.save(tmp_path / "saved")
    registry = Registry.from_directory(tmp_path / "saved")
    assert "not loaded" in repr(registry)
    (tmp_path / "saved" / "names.idx").write_bytes(b"")  # damaged after it was named
    with pytest.raises(DataFormatError, match=r"names\.idx: its size or checksum differs"):
        registry.lookup(80)
    with pytest.raises(DataFormatError, match="saved registry is damaged; save it again"):
        registry.lookup(80)  # again: nothing half-loaded is kept


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("iana.jsonl", r"iana\.jsonl: its size or checksum differs from the manifest's"),
        ("manifest.json", r"manifest\.json: its content differs from its own checksum"),
        ("missing", r"uses\.idx: cannot be read: .*; a saved registry is a directory"),
    ],
)
def test_a_damaged_saved_registry_is_refused(
    tmp_path: Path, tiny_iana: Registry, damage: str, message: str
) -> None:
    directory = tmp_path / "saved"
    tiny_iana.save(directory)
    if damage == "missing":
        (directory / "uses.idx").unlink()
    elif damage == "manifest.json":
        path = directory / damage
        path.write_bytes(path.read_bytes().replace(b'"2026-01-02"', b'"2026-01-03"', 1))
    else:
        path = directory / damage
        data = bytearray(path.read_bytes())
        data[-3] ^= 1
        path.write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match=message):
        Registry.from_directory(directory).lookup(80)


def test_what_names_no_directory_is_refused_at_once(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="does not exist; a saved registry is a directory"):
        Registry.from_directory(tmp_path / "nothing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(DataFormatError, match="is not a directory"):
        Registry.from_directory(tmp_path / "file")
    with pytest.raises(DataFormatError, match=r"manifest\.json: cannot be read"):
        Registry.from_directory(tmp_path).lookup(80)  # a directory, but no registry
    for wrong in (3, b"/tmp", None):
        with pytest.raises(TypeError, match=r"directory must be a str or an os\.PathLike"):
            Registry.from_directory(wrong)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"directory must be a str or an os\.PathLike"):
            Registry.packaged().save(wrong)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="directory must be a path"):
        Registry.packaged().save("")


def test_nmap_frequencies_are_never_saved(tmp_path: Path) -> None:
    ranked = Registry.from_files(iana=TINY, nmap=DATA / "tiny-nmap-services")
    assert ranked.top_ports(3)
    ranked.save(tmp_path / "saved")
    saved = Registry.from_directory(tmp_path / "saved")
    with pytest.raises(NoRankingError):
        saved.top_ports(3)
    assert saved.lookup(80) == ranked.lookup(80)
    # What is written is the data files, which hold no figure: those stay in memory.
    assert _files(tmp_path / "saved") == ranked._load().files
    assert ranked._load().frequencies


# --- where it may write ----------------------------------------------------------------------


def test_save_creates_replaces_and_refuses(tmp_path: Path, tiny_iana: Registry) -> None:
    target = tmp_path / "a" / "b" / "saved"
    Registry.packaged().save(target)  # the parents too
    tiny_iana.save(target)  # over a saved registry: replaced whole
    assert Registry.from_directory(target).lookup(2039).services == ("prizma",)
    empty = tmp_path / "empty"
    empty.mkdir()
    tiny_iana.save(empty)
    assert sorted(os.listdir(empty)) == sorted(DATA_FILES)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    (other / "manifest.json").write_text("{}")
    with pytest.raises(InvalidArgumentError, match=r"holds files that are not a saved registry's"):
        tiny_iana.save(other)
    assert sorted(os.listdir(other)) == ["manifest.json", "notes.txt"]
    with pytest.raises(InvalidArgumentError, match="is a file, not a directory"):
        tiny_iana.save(other / "notes.txt")
    assert sorted(os.listdir(tmp_path)) == ["a", "empty", "other"]  # nothing left beside


@pytest.mark.parametrize("already", [False, True])
def test_a_failed_save_leaves_nothing_half_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_iana: Registry, already: bool
) -> None:
    target = tmp_path / "saved"
    if already:
        Registry.packaged().save(target)
    written: list[str] = []
    real_fsync = os.fsync

    def fail_on_the_fifth(descriptor: int) -> None:
        written.append("file")
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fail_on_the_fifth)
    with pytest.raises(OSError, match="No space left on device") as caught:
        tiny_iana.save(target)
    assert caught.value.filename == str(target)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == (["saved"] if already else [])
    if already:  # the registry that was there is there, whole
        assert _files(target) == packaged_files()


def test_a_failed_rename_puts_the_old_registry_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_iana: Registry
) -> None:
    target = tmp_path / "saved"
    Registry.packaged().save(target)
    real_rename = os.rename

    def refuse_the_new(source: str, destination: str) -> None:
        if source.endswith("new"):
            raise PermissionError(13, "Permission denied")
        real_rename(source, destination)

    monkeypatch.setattr(os, "rename", refuse_the_new)
    with pytest.raises(PermissionError):
        tiny_iana.save(target)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["saved"]
    assert _files(target) == packaged_files()


# --- every tool on the machine: PORTINFO_DATA, the config file, --data ------------------------


def test_the_default_registry_follows_portinfo_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_iana: Registry
) -> None:
    tiny_iana.save(tmp_path / "saved")
    monkeypatch.setattr(portinfo._api, "_default", None)
    monkeypatch.setenv("PORTINFO_DATA", str(tmp_path / "saved"))
    assert portinfo.lookup(22).services == ()  # the tiny file has no ssh
    assert portinfo.data_info().directory == str(tmp_path / "saved")
    assert Registry.packaged().lookup(22).services == ("ssh",)  # the package stays itself
    monkeypatch.setattr(portinfo._api, "_default", None)
    monkeypatch.setenv("PORTINFO_DATA", str(tmp_path / "missing"))
    with pytest.raises(DataFormatError, match="the saved registry PORTINFO_DATA names"):
        portinfo.lookup(22)
    monkeypatch.setattr(portinfo._api, "_default", None)
    monkeypatch.setenv("PORTINFO_DATA", "")  # set to nothing: nothing set
    assert portinfo.lookup(22).services == ("ssh",)


def test_the_default_registry_follows_the_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_iana: Registry
) -> None:
    tiny_iana.save(tmp_path / "saved")
    config = tmp_path / "config.toml"
    config.write_text('data = "saved"\n')  # relative to the config file's directory
    monkeypatch.setattr(portinfo._api, "_default", None)
    monkeypatch.setenv("PORTINFO_CONFIG", str(config))
    monkeypatch.chdir(DATA)
    assert portinfo.data_info().directory == str(tmp_path / "saved")
    assert portinfo.lookup(22).services == ()
    monkeypatch.setattr(portinfo._api, "_default", None)
    monkeypatch.setenv("PORTINFO_DATA", "")  # the variable set to nothing turns it off
    assert portinfo.lookup(22).services == ("ssh",)
    for text, message in (
        ("data = 3\n", "data must be a path, got 3"),
        ("data = [\n", "not valid TOML"),
        ('colour = "blue"\n', "unknown key 'colour'"),
    ):
        config.write_text(text)
        monkeypatch.delenv("PORTINFO_DATA", raising=False)
        monkeypatch.setattr(portinfo._api, "_default", None)
        with pytest.raises(DataFormatError, match=message):
            portinfo.lookup(22)


def _main(*argv: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "portinfo", *argv], capture_output=True, text=True, check=False
    )
    return done.returncode, done.stdout, done.stderr


def test_the_command_line_takes_a_saved_registry_for_one_call(
    tmp_path: Path, tiny_iana: Registry
) -> None:
    tiny_iana.save(tmp_path / "saved")
    status, out, _ = _main("--data", str(tmp_path / "saved"), "22", "--brief")
    assert (status, out) == (0, "22 ssh (as services names it)\n")  # IANA's record is not in it
    status, out, _ = _main("--data", str(tmp_path / "saved"), "--data-info")
    assert status == 0
    assert out.splitlines()[:2] == [
        f"portinfo {portinfo.__version__}, data format 3, made by portinfo.Registry.from_files",
        f"  saved in  {tmp_path / 'saved'}",
    ]
    info = json.loads(_main("--data", str(tmp_path / "saved"), "--data-info", "--json")[1])
    assert info[0]["directory"] == str(tmp_path / "saved")
    status, _, err = _main("--data", str(tmp_path / "saved"), "--iana", str(TINY), "80")
    assert status == 2
    assert "--iana cannot change" in err
    status, _, err = _main("--data", "", "80")
    assert (status, err) == (2, "portinfo: --data needs a directory name, got ''\n")
    status, _, err = _main("--data", str(tmp_path / "missing"), "80")
    assert status == 2
    assert err.startswith(f"portinfo: {tmp_path / 'missing'}: does not exist")


# --- done when: a newer registry in every tool, in a fresh environment ------------------------

SCRIPT = "from portinfo import lookup\nprint(lookup(22).services, lookup(2039).name)\n"


def _fresh(tmp_path: Path, **variables: str) -> dict[str, str]:
    """An environment with nothing of the user's: no configuration, a home of its own."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PORTINFO_CONFIG": str(tmp_path / "no-config.toml"),
        **variables,
    }


def _run(argv: list[str], environment: dict[str, str], where: Path) -> str:
    done = subprocess.run(
        argv, capture_output=True, text=True, check=True, env=environment, cwd=where
    )
    return done.stdout


def _saved_in_a_fresh_process(iana: Path, directory: Path, tmp_path: Path) -> None:
    made = f"portinfo.Registry.from_files(iana={str(iana)!r})"
    code = f"import portinfo\n{made}.save({str(directory)!r})"
    _run([sys.executable, "-c", code], _fresh(tmp_path), tmp_path)


@pytest.mark.parametrize("source", ["tiny", "shared"])
def test_a_saved_registry_serves_an_unmodified_script(
    tmp_path: Path, request: pytest.FixtureRequest, source: str
) -> None:
    """Save a registry compiled from an IANA file, point PORTINFO_DATA at it, and an
    unmodified ``from portinfo import lookup`` script answers from it, in a process with
    nothing of this one's; ``portinfo --data-info`` names the directory. From the tiny
    file, and from IANA's real XML with one service renamed (a visible difference)."""
    if source == "shared":
        xml = request.getfixturevalue("shared_data") / "service-names-port-numbers.xml"
        iana = tmp_path / "renamed.xml"
        iana.write_bytes(
            xml.read_bytes().replace(b"<name>ssh</name>", b"<name>secure-shell</name>")
        )
        expected = "('secure-shell',) prizma\n"
    else:
        iana, expected = TINY, "() prizma\n"
    directory = tmp_path / "newer"
    _saved_in_a_fresh_process(iana, directory, tmp_path)
    (tmp_path / "script.py").write_text(SCRIPT)
    python = [sys.executable, str(tmp_path / "script.py")]
    assert _run(python, _fresh(tmp_path), tmp_path) == "('ssh',) prizma\n"  # the package
    assert _run(python, _fresh(tmp_path, PORTINFO_DATA=str(directory)), tmp_path) == expected
    command = [sys.executable, "-m", "portinfo", "--data-info"]
    shown = _run(command, _fresh(tmp_path, PORTINFO_DATA=str(directory)), tmp_path)
    assert f"  saved in  {directory}\n" in shown
    assert f"  iana      {iana.name}" in shown
