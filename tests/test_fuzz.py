"""A bounded run of tools/fuzz.py over every entry point, and what portinfo never does.

The run is small (a few thousand inputs in all, with a fixed seed, so that it repeats) and
asserts what the full run asserts: no exception but the documented ones, no message over
1,000 characters, no call over 1 s of CPU time, no hang, no crash. A call over the limit by
the wall clock only is left out: it says the machine was busy. The full run is
``python tools/fuzz.py``; docs/guarantees.md gives its last figures.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import strategies as hs

from portinfo import Registry
from tests.conftest import DATA, REPOSITORY

sys.path.insert(0, str(REPOSITORY / "tools"))
import fuzz

SEED = 20260817
EXAMPLES = 200
"""Inputs per entry point; fewer for those whose every call compiles a registry and renders
it, or runs the command line as a program (about 0.3 s each, a few seconds in all)."""
FEWER = {"Registry.from_files": 100, "cli": 200, "render": 12, "stdin": 8, "streams": 8}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, fuzz.Outcome]:
    names = list(fuzz.entries())
    examples = {name: FEWER.get(name, EXAMPLES) for name in names}
    return {o.entry: o for o in fuzz.run(names, examples, timeout=1.0, seed=SEED, jobs=2)}


@pytest.mark.parametrize("name", list(fuzz.entries()))
def test_no_undocumented_error_and_no_slow_call(
    outcomes: dict[str, fuzz.Outcome], name: str
) -> None:
    outcome = outcomes[name]
    assert outcome.examples > 0
    found = {k: f for k, f in outcome.failures.items() if f.kind != "slow by the wall clock only"}
    assert not found, "\n" + dataclasses.replace(outcome, failures=found).render()


def test_the_loader_s_run_says_what_it_covered(outcomes: dict[str, fuzz.Outcome]) -> None:
    outcome = outcomes["Registry.from_files"]
    assert set(outcome.covered) == {"iana", "services", "nmap", "local", "local.toml"}
    results = {key for counts in outcome.covered.values() for key in counts}
    assert {"result:loaded", "result:DataFormatError"} <= results
    assert sum(n for c in outcome.covered.values() for k, n in c.items() if k[:5] == "sort:") == 100
    assert outcome.row().startswith("| `Registry.from_files` | 100 | ")
    assert outcome.coverage()[0].startswith("  covered: iana: ")


def test_documented_errors_are_told_apart() -> None:
    import portinfo

    def raised(call: object) -> BaseException:
        try:
            call()  # type: ignore[operator]
        except Exception as error:  # what the fuzz sees
            return error
        raise AssertionError("no exception")

    assert fuzz.documented(raised(lambda: portinfo.lookup(65536)))
    assert fuzz.documented(raised(lambda: portinfo.lookup(1.5)))  # type: ignore[arg-type]
    assert not fuzz.documented(raised(portinfo.lookup))  # Python's own TypeError: no argument
    assert not fuzz.documented(ValueError("not portinfo's"))


def test_shorten_survives_what_it_shows() -> None:
    assert fuzz.shorten(10**5000) == "<int of 16,610 bits>"
    assert fuzz.shorten("x" * 10**6).endswith("(str of 1,000,000)")
    assert fuzz.shorten(["x" * 10**6] * 8).endswith(", ...]")


def _entry(call: Callable[[float], object]) -> fuzz.Entry:
    """An entry point that makes ``call(seconds)`` for a few amounts of seconds."""
    return fuzz.Entry(
        "test",
        lambda _: hs.sampled_from([0.0, 0.3]),
        lambda seconds, _: (functools.partial(call, seconds), f"call({seconds})"),
    )


def _busy(seconds: float) -> None:
    end = time.process_time() + seconds / 10
    while time.process_time() < end:
        pass


def _crash(seconds: float) -> None:
    if seconds:
        os._exit(3)


def _deaf(seconds: float) -> None:
    """Sleeps where no signal reaches it, as a long call into C code would."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(seconds * 100)


def _catalogue() -> dict[str, fuzz.Entry]:
    """The test's entry points, which children (forked or spawned) import from here."""
    return {"crash": _entry(_crash), "deaf": _entry(_deaf)}


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="SIGALRM is POSIX")
def test_a_slow_call_and_a_hang_are_reported() -> None:
    shared = fuzz.Shared.make(multiprocessing.get_context())
    outcome = fuzz.explore(_entry(time.sleep), 10, 0.02, 0, shared, lambda *_: None)
    # A sleep is over the limit by the clock but not in CPU time, and is cut at 10 times it.
    assert {f.kind for f in outcome.failures.values()} == {"hang"}
    assert outcome.slowest < 0.3
    outcome = fuzz.explore(_entry(_busy), 10, 0.02, 0, shared, lambda *_: None)
    assert {f.kind for f in outcome.failures.values()} == {"slow"}


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
def test_a_crash_and_a_hang_in_c_are_reported_by_the_parent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fuzz, "KILL_GRACE", 0.5)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    crashed, deaf = fuzz.run(["crash", "deaf"], 10, 0.02, seed=0, jobs=2, catalogue=_catalogue)
    assert crashed.failures[("crash",)].input == "call(0.3)"
    assert "status 3" in crashed.failures[("crash",)].message
    assert deaf.failures[("hang",)].input == "call(0.3)"
    # A child that dies or is killed leaves no scratch directory behind: the parent removes it.
    assert list(tmp_path.iterdir()) == []


# What the package never does: write a file, or touch the network. An audit hook (PEP 578)
# sees every open() and os.open() with its flags, and every socket operation, in a fresh
# interpreter that asks portinfo the usual questions, loads users' files and runs the CLI.
AUDITED = """
import io, json, os, sys
from contextlib import redirect_stderr, redirect_stdout

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
CHANGING = {
    "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.truncate", "os.chmod", "os.chown",
    "os.link", "os.symlink", "os.utime", "shutil.rmtree", "shutil.copyfile", "shutil.move",
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork", "os.kill",
    "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect",
}
seen = {"reads": 0, "bad": []}

def hook(event, args):
    if event == "open":
        path, mode, flags = args
        if (mode is not None and any(c in mode for c in "wax+")) or (flags or 0) & WRITING:
            seen["bad"].append(f"open for writing: {path!r} {mode!r} {flags!r}")
        else:
            seen["reads"] += 1
    elif event.startswith("socket.") or event in CHANGING:
        seen["bad"].append(f"{event}: {args!r}"[:300])

sys.addaudithook(hook)

import portinfo
from portinfo import Registry
from portinfo.__main__ import main

portinfo.lookup(80), portinfo.lookup("53/udp"), portinfo.name(443), portinfo.port("http")
portinfo.resolve("msrpc"), portinfo.resolve_all("http"), portinfo.search("veristand")
portinfo.classify(2039), portinfo.data_info()
if hasattr(portinfo, "report"):
    portinfo.report(2039)
if hasattr(portinfo, "annotate"):
    portinfo.annotate([80, 443])
DATA = sys.argv[1]
mine = Registry.from_files(
    iana=f"{DATA}/tiny.xml", services=f"{DATA}/tiny-services", nmap=f"{DATA}/tiny-nmap-services"
)
mine.lookup(80), mine.resolve("http"), mine.search("http"), mine.top_ports(3)
Registry.from_files(iana=f"{DATA}/tiny.csv").lookup(80)
SAVED = sys.argv[2]  # a saved registry (Registry.save, before the hook): read, never written
Registry.from_directory(SAVED).lookup(80)
with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
    main(["80", "http", "--search", "web"]), main(["--json", "443/tcp"]), main(["--data-info"])
    main(["--data", SAVED, "80", "--data-info"])
print(json.dumps(seen))
"""


def test_no_writes_and_no_network(tmp_path: Path) -> None:
    Registry.from_files(iana=DATA / "tiny.xml").save(tmp_path / "saved")
    done = subprocess.run(
        [sys.executable, "-B", "-c", textwrap.dedent(AUDITED), str(DATA), str(tmp_path / "saved")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["reads"] > 0  # the hook saw the package read its data
    assert seen["bad"] == []


# The judges of the new entry points (issue 18) can fail: each finds what it is for.


def test_unsafe_outputs_are_found() -> None:
    with pytest.raises(fuzz.MisbehaviourError, match="formula"):
        fuzz._check_output("csv", "port,name\n80,=cmd\n", "test")
    with pytest.raises(fuzz.MisbehaviourError, match="control"):
        fuzz._check_output("text", "80 \x1b[2J\n", "test")
    with pytest.raises(fuzz.MisbehaviourError, match="json"):
        fuzz._check_output("json", "[{", "test")
    pytest.importorskip("markdown_it", reason="markdown-it-py comes with the docs extra")
    with pytest.raises(fuzz.MisbehaviourError, match="markup"):
        fuzz._check_output("markdown", "a <script>alert(1)</script>\n", "test")
    with pytest.raises(fuzz.MisbehaviourError, match="scheme"):
        fuzz._check_output("markdown", "[x](ftp://evil.example/)\n", "test")


def test_broken_exits_are_found() -> None:
    traceback = b"Traceback (most recent call last):\n  File x\nKeyboardInterrupt\n"
    assert fuzz._stream_problems(0, b"portinfo: no such name\n", (0, 1, 2)) == []
    assert fuzz._stream_problems(1, traceback, (130,))[:2] == [
        "exit status 1, not one of [130]",
        f"a traceback on stderr: {traceback.decode()}",
    ]
    assert fuzz._stream_problems(2, b"portinfo: " + b"x" * 2000 + b"\n", (2,)) == [
        "a message of 2,010 characters"
    ]


def test_a_line_neither_answered_nor_reported_is_found() -> None:
    case = fuzz.StdinCase((b"80", b"70000", b"22"), "\n", True, ("--brief",), (), None)
    http, ssh = b"80 http (World Wide Web HTTP)\n", b"22 ssh (The Secure Shell (SSH) Protocol)\n"
    said = b"portinfo: port must be an integer from 0 to 65535, got '70000'\n"
    assert fuzz._compare(case, 2, http + ssh, said) == []
    lost = fuzz._compare(case, 2, http, said)  # the last answer lost
    assert [problem[:19] for problem in lost] == ["answers that differ"]
    quiet = fuzz._compare(case, 0, http + ssh, b"")  # the bad line neither said nor counted
    assert [p.split(",")[0] for p in quiet] == [
        "exit status 0",
        "0 lines on stderr",
    ]
