"""The command line, run as users run it: the installed ``portinfo`` console script."""

from __future__ import annotations

import contextlib
import io
import json
import os
import queue
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import portinfo
from tests import strategies
from tests.conftest import DATA

SCRIPT = shutil.which("portinfo", path=str(Path(sys.executable).parent))


def run(
    *arguments: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed console script (or ``python -m portinfo`` where there is none)."""
    command = [SCRIPT] if SCRIPT else [sys.executable, "-m", "portinfo"]
    return subprocess.run(
        [*command, *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        check=False,
    )


def test_the_console_script_is_installed() -> None:
    assert SCRIPT is not None, "pip install . puts a portinfo command next to python"


def test_a_port_gives_its_report() -> None:
    done = run("2039")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Port 2039: prizma; commonly NI VeriStand Gateway")
    assert "Range: User Ports (1024-49151)" in done.stdout
    assert "ss -tlnp 'sport = :2039'" in done.stdout
    assert all(
        len(line) <= 80 or line.strip().startswith("http") for line in done.stdout.splitlines()
    )


@pytest.mark.parametrize("arguments", [["2039/udp"], ["2039", "-p", "udp"]])
def test_a_protocol_narrows_the_report(arguments: list[str]) -> None:
    done = run(*arguments)
    assert done.returncode == 0
    assert "(2039/udp)" in done.stdout
    assert "(2039/tcp)" not in done.stdout
    assert "ss -ulnp 'sport = :2039'" in done.stdout
    assert "-sTCP:LISTEN" not in done.stdout


def test_a_name_gives_the_report_of_its_port() -> None:
    done = run("msrpc")
    assert done.returncode == 0
    assert done.stdout.startswith("epmap ('msrpc', as nmap names it): port 135\nPort 135: epmap")


def test_a_protocol_narrows_a_name_too() -> None:
    done = run("http", "-p", "udp", "--json")
    reports = json.loads(done.stdout)
    assert reports
    assert all(r["protocol"] == "udp" for r in reports)
    assert all(a["protocol"] != "tcp" for r in reports for a in r["assignments"])


def test_search_is_a_table() -> None:
    done = run("--search", "monitoring", "-n", "3")
    lines = done.stdout.splitlines()
    assert done.returncode == 0
    assert len(lines) == 3
    assert all(len(line) <= 80 for line in lines)


def test_a_range_is_a_compact_table() -> None:
    done = run("6000-6002", "-p", "tcp")
    assert done.stdout.splitlines() == [
        line for line in done.stdout.splitlines() if line.startswith(("6000/", "6001/", "6002/"))
    ]
    assert len(done.stdout.splitlines()) == 3
    both = run("6000-6001")
    assert len(both.stdout.splitlines()) == 4  # tcp and udp


def test_json_is_a_list_of_reports_in_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema checks the report schema")
    from portinfo.schemas import REPORT_SCHEMA

    reports = json.loads(run("2039", "0", "--json").stdout)
    assert [r["port"] for r in reports] == [2039, 0]
    for report in reports:
        jsonschema.validate(report, REPORT_SCHEMA)


def test_markdown_everywhere() -> None:
    assert run("2039", "--markdown").stdout.startswith("# Port 2039\n")
    assert run("msrpc", "--markdown").stdout.startswith("**epmap ('msrpc', as nmap names it)")


def test_version_names_the_data_date() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith(f"portinfo {portinfo.__version__} (IANA registry of 2026-")


def test_an_unknown_name_suggests_close_ones() -> None:
    done = run("postgress")
    assert done.returncode == 1
    assert "did you mean postgres" in done.stderr


@pytest.mark.parametrize("query", ["-1", "0x50", "80.0", "", "70000", "6000-5000", "0-65535"])
def test_bad_input_exits_2(query: str) -> None:
    done = run(query)
    assert done.returncode == 2, (query, done.stdout, done.stderr)
    assert done.stderr.startswith("portinfo: ")
    assert "Traceback" not in done.stderr


def test_a_bad_protocol_is_bad_input() -> None:
    done = run("--protocol", "icmp", "http")
    assert done.returncode == 2
    assert "'icmp'" in done.stderr


def test_several_queries_print_the_good_ones_and_exit_with_the_worst() -> None:
    done = run("80", "no-such-service", "--brief")
    assert (done.returncode, done.stdout) == (1, "80 http (World Wide Web HTTP)\n")
    worst = run("80", "no-such-service", "70000", "--brief")
    assert worst.returncode == 2
    assert worst.stdout == "80 http (World Wide Web HTTP)\n"
    assert worst.stderr.count("portinfo: ") == 2


def test_addresses_and_standard_input() -> None:
    done = run("-", "--brief", "-p", "tcp", stdin="127.0.0.1:22\n[::1]:443\n\n0.0.0.0:2039\n")
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == [
        "22/tcp",
        "443/tcp",
        "2039/tcp",
    ]


def test_tables_for_programs() -> None:
    tsv = run("6000-6001", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t") == ["port", "protocol", "name", "status", "range", "summary"]
    assert tsv[1].split("\t")[:3] == ["6000", "tcp", "x11"]
    csv_rows = run("--search", "veristand", "--format", "csv").stdout.splitlines()
    assert csv_rows[0].startswith("match,name,source,ports")
    assert "ni-veristand-gateway" in csv_rows[1]


def test_a_closed_pipe_stops_quietly() -> None:
    command = f"'{SCRIPT}' 6000-10000 | head -1" if SCRIPT else "exit 0"
    shell = shutil.which("sh") or "/bin/sh"
    done = subprocess.run([shell, "-c", command], capture_output=True, text=True, check=False)
    assert "Traceback" not in done.stderr
    assert "BrokenPipe" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_an_error_not_a_traceback() -> None:
    command = [SCRIPT] if SCRIPT else [sys.executable, "-m", "portinfo"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*command, "80"], stdout=full, stderr=subprocess.PIPE, text=True, check=False
        )
    assert done.returncode == 2
    assert "cannot write the output" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "arguments", [["4413"], ["4413", "--json"], ["--search", "fort", "-n", "50"]]
)
def test_an_ascii_terminal_gets_no_encoding_error(arguments: list[str]) -> None:
    done = run(*arguments, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert "UnicodeEncodeError" not in done.stderr
    done.stdout.encode("ascii")


def test_no_colour_without_a_terminal() -> None:
    assert "\x1b[" not in run("2039").stdout
    assert "\x1b[" not in run("2039", env={"NO_COLOR": ""}).stdout


def test_your_own_files() -> None:
    done = run(
        "2039",
        "--brief",
        "--iana",
        str(DATA / "tiny.xml"),
        "--nmap",
        str(DATA / "tiny-nmap-services"),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2039 prizma")
    missing = run("80", "--iana", "/no/such/file")
    assert missing.returncode == 2
    assert "/no/such/file" in missing.stderr


def test_data_info_and_nothing_to_do() -> None:
    info = json.loads(run("--data-info", "--json").stdout)
    assert info[0]["sources"][0]["date"] == "2026-08-17"
    assert run().returncode == 2  # argparse: nothing asked


def test_listening_lists_our_socket() -> None:
    pytest.importorskip("psutil", reason="portinfo listening needs pip install 'pyportinfo[local]'")
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        done = run("listening", "-p", "tcp", "--json")
    assert done.returncode == 0, done.stderr
    mine = [entry for entry in json.loads(done.stdout) if entry["port"] == port]
    assert mine
    assert mine[0]["pid"] == os.getpid()
    assert mine[0]["protocol"] == "tcp"


def test_listening_without_psutil_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['psutil'] = None\n"
        "from portinfo.__main__ import main\n"
        "sys.exit(main(['listening']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "pip install 'pyportinfo[local]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_long_query_is_shortened_in_messages() -> None:
    # "nothing matches" and a bad range echoed the whole query: 7,393 characters for one
    # search (found by tools/fuzz.py).
    done = run("-s", "80ab cd " * 900)
    assert done.returncode == 1
    assert done.stderr.startswith("portinfo: nothing matches '80ab cd 80ab")
    assert done.stderr.endswith("(7202 characters)\n")
    done = run("1-" + "2" * 3000)
    assert done.returncode == 2
    assert len(done.stderr) < 200
    assert "a range must be FIRST-LAST within 0-65535, got '1-222" in done.stderr


def _command() -> list[str]:
    return [SCRIPT] if SCRIPT else [sys.executable, "-m", "portinfo"]


@pytest.mark.parametrize(
    ("arguments", "first"),
    [
        (["--brief"], "22 ssh (The Secure Shell (SSH) Protocol)\n"),
        ([], "Port 22: ssh (The Secure Shell (SSH) Protocol)\n"),
        (["--format", "csv"], "line,input,port,protocol,name,status,range,summary,error\n"),
        (["--json"], '{"line": 1, "input": "22", "schema_version": 1, "port": 22, '),
    ],
)
def test_standard_input_is_answered_line_by_line(arguments: list[str], first: str) -> None:
    # A producer that never closes (tail -f, a socket) still gets each answer as it writes
    # its line: the answer is read here before standard input is closed.
    with _streaming(arguments) as (process, stdin, lines):
        stdin.write("22\n")
        stdin.flush()
        assert lines.get(timeout=30).startswith(first)  # stdin still open
        stdin.write("80\n")
        stdin.close()
        assert process.wait(timeout=30) == 0


def test_a_bad_line_s_row_is_written_as_it_is_read() -> None:
    with _streaming(["--format", "tsv"]) as (process, stdin, lines):
        stdin.write("# a comment\n\nnope-nope\n")
        stdin.flush()
        assert lines.get(timeout=30).startswith("line\tinput\t")
        assert lines.get(timeout=30).startswith("3\tnope-nope\t\t")  # stdin still open
        stdin.write("22\n")
        stdin.close()
        assert process.wait(timeout=30) == 1
        assert lines.get(timeout=30).startswith("4\t22\t22\t")


@contextlib.contextmanager
def _streaming(
    arguments: list[str],
) -> Iterator[tuple[subprocess.Popen[str], IO[str], queue.Queue[str]]]:
    """``portinfo - ARGUMENTS`` running, its standard input, and a queue of the lines it has
    written so far (read by a thread, so that a test sees each as it comes)."""
    with subprocess.Popen(
        [*_command(), "-", *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        stdin, stdout = process.stdin, process.stdout
        assert stdin is not None
        assert stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=lambda: list(map(lines.put, stdout)))
        reader.start()
        try:
            yield process, stdin, lines
        finally:
            process.kill()
            reader.join()


def test_json_from_standard_input_is_json_lines() -> None:
    done = run("-", "--json", stdin="22\nnope-nope\n6000-6001\n80/udp\n")
    assert done.returncode == 1
    records = [json.loads(line) for line in done.stdout.splitlines()]
    # A report a port of a range, and an error object for the line that found nothing.
    assert [(r["line"], r["input"], r.get("port")) for r in records] == [
        (1, "22", 22),
        (2, "nope-nope", None),
        (3, "6000-6001", 6000),
        (3, "6000-6001", 6001),
        (4, "80/udp", 80),
    ]
    assert records[0]["schema_version"] == 1
    assert list(records[1]) == ["line", "input", "error"]
    assert "is named 'nope-nope'" in records[1]["error"]
    assert [r["error"] for r in records if "port" in r] == [None] * 4
    assert records[-1]["protocol"] == "udp"


_PEAK = """
import sys
from portinfo.__main__ import main
status = main(sys.argv[1:])
hwm = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
sys.stderr.write(f"peak {int(hwm) // 1024}\\n")
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_memory_does_not_grow_with_the_lines_of_standard_input() -> None:
    # Answers were kept until the end: 100,000 lines held 754 MB, 2.9 GB with --json.
    def peak(lines: int) -> int:
        queries = "".join(f"{(n * 7919) % 65536}\n" for n in range(lines))
        done = subprocess.run(
            [sys.executable, "-c", _PEAK, "-", "--json"],
            input=queries,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return int(done.stderr.rpartition("peak ")[2])

    assert peak(4000) - peak(400) < 20  # MB; keeping every answer, it grew by 100 MB


# --- pipelines that join back ------------------------------------------------------------

PORTS_TXT = """\
# ports seen on the gateway, one a line
22

   # an indented comment, and blank lines of spaces and tabs
\t
*:22
:::8080
443/udp
nope-nope
=1+2
#80
70000
127.0.0.1:631
[::1]:53
:::
\x1b]0;title\x07
ssh
*:99999
"""
"""A file of queries: comments, blank lines, good lines and bad ones (``nope-nope`` is no
name, ``=1+2`` would be a formula, ``:::`` has no port, the escape would set a terminal's
title), each of which answers with one row."""


def _queried_lines() -> list[tuple[int, str]]:
    """The lines of :data:`PORTS_TXT` that are queries, by their line numbers (from 1)."""
    lines = enumerate(PORTS_TXT.splitlines(), 1)
    return [(n, t.strip()) for n, t in lines if t.strip() and not t.strip().startswith("#")]


BAD_LINES = {"nope-nope": 1, "=1+2": 1, "70000": 2, ":::": 2, "\x1b]0;title\x07": 1, "*:99999": 2}


@pytest.mark.parametrize("form", ["tsv", "csv"])
def test_a_table_from_standard_input_has_a_row_a_line_and_joins_back(form: str) -> None:
    import csv
    import io

    from portinfo._escape import spreadsheet

    done = subprocess.run(  # the pipeline the issue names, as a shell runs it
        [
            shutil.which("sh") or "/bin/sh",
            "-c",
            f"cat | {shlex.join(_command())} - --format {form}",
        ],
        input=PORTS_TXT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2  # a bad line is still reported by the exit status
    assert done.stderr.count("portinfo: ") == len(BAD_LINES)
    rows = list(csv.reader(io.StringIO(done.stdout), delimiter="\t" if form == "tsv" else ","))
    header, rows = rows[0], rows[1:]
    assert header == [
        "line", "input", "port", "protocol", "name", "status", "range", "summary", "error",
    ]  # fmt: skip
    queried = _queried_lines()
    assert len(rows) == len(queried) == 13  # one row a line that is not blank or a comment
    assert [(int(row[0]), row[1]) for row in rows] == [
        (number, spreadsheet(text)) for number, text in queried
    ]
    for row, (_, text) in zip(rows, queried):
        assert bool(row[-1]) is (text in BAD_LINES), row
        assert bool(row[2]) is (text not in BAD_LINES), row
    by_input = {row[1]: row for row in rows}
    assert by_input["*:22"][2:5] == by_input["22"][2:5] == ["22", "", "ssh"]
    assert by_input[":::8080"][2] == "8080"
    assert by_input["'=1+2"][-1].startswith("no service or alias is named '=1+2'")
    assert by_input[":::"][-1] == "a socket address needs a port after its last ':', got ':::'"
    assert "\x1b" not in done.stdout  # the escape is shown, not written
    assert by_input["\\x1b]0;title\\x07"][-1].endswith("'\\x1b]0;title\\x07'")


def test_json_lines_from_standard_input_have_an_object_a_line_that_joins_back() -> None:
    for arguments in (["--json", "--brief"], ["--json"]):
        done = run("-", *arguments, stdin=PORTS_TXT)
        assert done.returncode == 2
        objects = [json.loads(line) for line in done.stdout.splitlines()]
        queried = _queried_lines()
        assert [(o["line"], o["input"]) for o in objects] == queried
        for item, (_, text) in zip(objects, queried):
            if text in BAD_LINES:
                assert list(item) == ["line", "input", "error"]
                assert item["error"]
            else:
                assert item["error"] is None
                assert item["port"] in (22, 8080, 443, 631, 53)


def test_a_line_of_several_ports_gives_a_row_for_each_with_its_input() -> None:
    done = run("80", "-", "--format", "tsv", "-p", "tcp", stdin="6000-6002\nx11\n")
    rows = [line.split("\t") for line in done.stdout.splitlines()[1:]]
    assert [(r[0], r[1], r[2]) for r in rows[:5]] == [
        ("", "80", "80"),  # an argument: no line number
        ("1", "6000-6002", "6000"),
        ("1", "6000-6002", "6001"),
        ("1", "6000-6002", "6002"),
        ("2", "x11", "6000"),
    ]
    assert len(rows) == 1 + 3 + 64


def test_an_undecodable_line_gets_a_row_with_its_bytes_shown() -> None:
    done = subprocess.run(
        [*_command(), "-", "--format", "csv"],
        input=b"80\n\xff\xfe8\n22\n",
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2
    rows = done.stdout.decode().splitlines()
    assert len(rows) == 4
    assert rows[2].startswith("2,\\xff\\xfe8,,,,,,,")
    assert rows[2].endswith("is not text: bytes its encoding cannot decode")


@pytest.mark.parametrize(
    "address", ["*:22", ":::22", "[::]:22", "0.0.0.0:22", "127.0.0.1:22", ":22", "[::1]:22"]
)
def test_netstat_and_ss_addresses_are_their_port(address: str) -> None:
    done = run(address, "--brief")
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "22 ssh (The Secure Shell (SSH) Protocol)\n",
        "",
    )


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (":::", "a socket address needs a port after its last ':', got ':::'"),
        ("*:", "a socket address needs a port after its last ':', got '*:'"),
        ("::1", "'::1' is an IPv6 address without a port: give one as [ADDRESS]:PORT"),
        ("*:99999", "port must be an integer from 0 to 65535, got '99999' in '*:99999'"),
    ],
)
def test_a_malformed_address_is_bad_input(address: str, message: str) -> None:
    done = run(address, "--brief")
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"portinfo: {message}\n")


@settings(max_examples=60, deadline=None)
@given(
    hs.sampled_from(["*:{}", ":::{}", "[::]:{}", "0.0.0.0:{}", "[fe80::1%eth0]:{}", "::1:{}"]),
    strategies.ports,
    hs.sampled_from(["", "/tcp", "/udp"]),
)
def test_every_address_form_answers_as_its_port(form: str, port: int, protocol: str) -> None:
    from portinfo.__main__ import main

    def answer(query: str) -> tuple[int, str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            status = main([query, "--brief"])
        return status, out.getvalue()

    assert answer(form.format(port) + protocol) == answer(f"{port}{protocol}")
