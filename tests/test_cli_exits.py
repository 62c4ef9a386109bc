"""The command line's errors and exits, as docs/cli.md documents them: closed and broken
streams, undecodable input and Ctrl-C end with their status and one line on standard error,
never a traceback, and the answers found before are printed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence

import pytest

import portinfo
from portinfo.__main__ import main
from portinfo.schemas import REPORT_SCHEMA
from tests.conftest import DATA
from tests.test_cli import SCRIPT, run

COMMAND = [SCRIPT] if SCRIPT else [sys.executable, "-m", "portinfo"]
SHELL = shutil.which("sh") or "/bin/sh"
HTTP = "80 http (World Wide Web HTTP)\n"
SSH = "22 ssh (The Secure Shell (SSH) Protocol)\n"


def in_shell(redirect: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The command run by a shell with ``redirect`` (``>&-`` closes standard output)."""
    words = " ".join(f"'{word}'" for word in [*COMMAND, *arguments])
    return subprocess.run(
        [SHELL, "-c", f"{words} {redirect}"], capture_output=True, text=True, check=False
    )


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("portinfo: ")
    return stderr


def test_a_closed_standard_output() -> None:
    done = in_shell(">&-", "80", "--brief")
    assert done.returncode == 2
    assert "standard output is closed" in one_line(done.stderr)


def test_a_closed_standard_input() -> None:
    done = in_shell("<&-", "80", "-", "--brief")
    assert done.returncode == 2
    assert done.stdout == HTTP  # the answer found before is printed
    assert "standard input is closed" in one_line(done.stderr)


def run_bytes(
    stdin: bytes, arguments: Sequence[str], encoding: str | None
) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONIOENCODING"}
    if encoding is not None:
        env["PYTHONIOENCODING"] = encoding
    return subprocess.run(
        [*COMMAND, *arguments], input=stdin, capture_output=True, env=env, check=False
    )


@pytest.mark.parametrize(
    "encoding",
    [None, "utf-8", "utf-8:strict", "ascii", "ascii:strict", "cp1252", "utf-8:replace"],
)
def test_undecodable_standard_input_is_a_bad_line(encoding: str | None) -> None:
    # Bytes that are not text in stdin's encoding make a bad line (2), said on one line,
    # whatever error handler PYTHONIOENCODING names; the lines around it are answered.
    done = run_bytes(b"80\n\xff\xfe\x81\n22\n", ["-", "--brief"], encoding)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, stderr
    assert "is not text" in stderr
    assert done.stdout.decode() == HTTP + SSH
    one_line(stderr)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16:strict"])
def test_input_that_no_line_of_can_be_decoded(encoding: str) -> None:
    # A UTF-16 decoder fails whatever its error handler: reading stops there, with one line.
    done = run_bytes(b"80\n\xff\xfe\x81\n22\n", ["2039", "-", "--brief"], encoding)
    codec = "utf-32" if "32" in encoding else "utf-16"
    stderr = done.stderr.decode(codec)
    assert done.returncode == 2
    assert "standard input is not text" in one_line(stderr)
    assert done.stdout.decode(codec).startswith("2039 prizma")


def test_ctrl_c_prints_what_was_found_and_says_so_once() -> None:
    process = subprocess.Popen(
        [*COMMAND, "80", "70000", "-", "--brief"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    # The bad query's line says that the queries are being answered: the next is "-",
    # whose producer never closes its end.
    first = process.stderr.readline()
    assert first.startswith("portinfo: port must be an integer")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert out == HTTP
    assert one_line(err) == "portinfo: interrupted\n"


def test_ctrl_c_before_any_answer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(portinfo, "default_registry", interrupted)
    assert main(["80"]) == 130
    out, err = capsys.readouterr()
    assert (out, err) == ("", "portinfo: interrupted\n")


@pytest.mark.parametrize(
    "arguments",
    [
        ["--iana", "", "80"],
        ["--services", "", "80"],
        ["--nmap", "", "80"],
        ["listening", "--iana", "/nonexistent"],
        ["listening", "--services", ""],
    ],
)
def test_a_file_option_is_never_ignored(arguments: list[str]) -> None:
    done = run(*arguments)
    assert done.returncode == 2, done.stdout
    assert done.stdout == ""
    assert "needs a file name" in one_line(done.stderr) or "/nonexistent" in done.stderr


def test_listening_answers_from_your_files() -> None:
    pytest.importorskip("psutil", reason="portinfo listening needs pip install 'pyportinfo[local]'")
    done = run("listening", "--json", "--iana", str(DATA / "tiny.xml"))
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout)


@pytest.mark.parametrize("text", ["", "  "])
def test_an_empty_search_is_bad_input(text: str) -> None:
    done = run("-s", text)
    assert done.returncode == 2
    assert "--search needs a text" in one_line(done.stderr)
    with_query = run("80", "--brief", "-s", text)
    assert (with_query.returncode, with_query.stdout) == (2, HTTP)


@pytest.mark.parametrize(
    "arguments", [["--version", "80"], ["--version", "-s", "http"], ["--version", "--data-info"]]
)
def test_version_takes_no_queries(arguments: list[str]) -> None:
    done = run(*arguments)
    assert (done.returncode, done.stdout) == (2, "")
    assert "--version takes no" in one_line(done.stderr)
    alone = run("--version", "--iana", str(DATA / "tiny.xml"))  # the date of your own file
    assert alone.stdout.startswith("portinfo ")
    assert "(IANA registry of 2026-01-02)" in alone.stdout


@pytest.mark.parametrize("form", ["csv", "tsv"])
def test_data_info_as_a_table(form: str) -> None:
    done = run("--data-info", "--format", form)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    separator = "," if form == "csv" else "\t"
    header = ["name", "file", "sha256", "date", "records", "newest_record"]
    assert lines[0].split(separator) == header
    assert [line.split(separator)[0] for line in lines[1:]] == [
        "iana",
        "services",
        "nmap",
        "observed",
    ]
    assert lines[1].split(separator)[3] == "2026-08-17"
    assert lines[1].split(separator)[5] == "2026-08-17"  # IANA's newest record
    assert lines[2].split(separator)[5] == ""  # a services file's lines carry no dates


@pytest.mark.parametrize(
    "arguments",
    [["80", "-s", "http"], ["80", "--data-info"], ["--data-info", "-s", "http"]],
)
def test_one_table_at_a_time(arguments: list[str]) -> None:
    done = run(*arguments, "--format", "csv")
    assert (done.returncode, done.stdout) == (2, "")
    assert "prints one table" in one_line(done.stderr)


def test_json_gives_a_report_a_port_for_ranges_and_names() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema checks the report schema")

    ranged = json.loads(run("6000-6002", "--json").stdout)
    assert [r["port"] for r in ranged] == [6000, 6001, 6002]
    named = json.loads(run("x11", "--json", "-p", "tcp").stdout)
    assert [r["port"] for r in named] == list(range(6000, 6064))
    for report in [*ranged, *named]:
        jsonschema.validate(report, REPORT_SCHEMA)
    assert named[0]["protocol"] == "tcp"
    brief = json.loads(run("6000-6001", "--json", "--brief").stdout)  # summary rows
    assert [(r["port"], r["protocol"]) for r in brief] == [
        (6000, "tcp"),
        (6000, "udp"),
        (6001, "tcp"),
        (6001, "udp"),
    ]
