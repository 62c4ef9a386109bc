"""Benchmarks for portinfo, measured against the targets of its performance issue.

Run it with the project's virtual environment (it refuses to run outside one, exit 2: the
system Python's site-packages preload modules, which would distort every cold figure)::

    .venv/bin/python benchmarks/bench.py                      # 21 rounds; sweeps, memory 5
    .venv/bin/python benchmarks/bench.py --quick              # a smoke run, a few rounds
    .venv/bin/python benchmarks/bench.py --runs 11 --markdown # a table for docs/performance.md

It measures whichever portinfo the running interpreter imports, and discovers what to
compare it with (the attrs classes a first query defines, the resources module it uses,
the packaged data files) from that package at run time. It first writes the package's
bytecode, as pip does when it installs a wheel.

Every figure is a median over fresh processes (warm figures: over rounds in this process)
run interleaved with its floor or baseline, round after round and in alternating order, so
that the machine's drift hits both alike; each is printed with that floor or baseline and
the ratio or difference measured in the same run. The figures:

``import portinfo``
    Whole-process wall time of ``python -c "import portinfo"`` minus that of
    ``python -c "pass"`` (same flags), timed around each child by this process. Target: at
    most 2 ms. Also lists the modules ``import portinfo`` adds to ``sys.modules``, of which
    ``typing``, ``re`` and ``enum`` (or their submodules) must be none.
``import portinfo`` + first ``lookup(80, "tcp")`` / ``resolve("http")``
    Timed by the child itself with ``time.perf_counter`` from its first statement (imports
    included) to its last. Target: at most the floor + 10 ms. The floor is a child, timed
    alike, that imports ``attrs`` and ``importlib.resources`` (or the
    ``importlib_resources`` backport, if that is what the first query imports), defines as
    many ``@attrs.frozen`` classes as the first query leaves defined in ``portinfo``
    modules, with the same numbers of (``int``) fields, and reads with ``read_bytes()``
    every file under ``files("portinfo") / "data"``. It locates the package through its
    spec, without running the package's ``__init__``.
warm ``lookup(80, "tcp")``, warm ``resolve("http")``
    Nanoseconds per call, with ``timeit`` in this process, every callable bound to a local
    name. Targets: at most 5x (``lookup``) or 3x (``resolve``) a bare function returning a
    dict entry for the same arguments
    (``def floor(port, protocol=None): return table[port, protocol]``), and at least 20x
    faster than ``socket.getservbyport(80, "tcp")``.
every port x 4 protocols
    A child that imports portinfo and looks up every port 0..65535 for tcp, udp, sctp and
    dccp (262,144 calls), against a child that asks ``socket.getservbyport`` the same
    262,144 questions (most of which miss, each miss reading the whole services database).
    Timed as the first queries are. Target: at most 0.25x the ``getservbyport`` child.
peak memory
    ``VmHWM`` from ``/proc/self/status``, read by the child itself at its end (Linux only;
    a child's ``ru_maxrss`` read by its parent includes the parent's memory at the fork),
    after the first answer and after the sweep, against a child that imports ``attrs``.
    Targets: at most 8 MiB and 16 MiB over it.
later searches
    Median and worst time of a first search for each of 25 different words after a first
    search has loaded what searching needs. Target (earlier docs): a median of at most 2 ms.
``Registry.from_files`` (issue 20)
    A fresh child imports portinfo, then times ``Registry.from_files(...)`` and its first
    ``lookup(80)``: with a one-line services file, with IANA's whole XML (the one in
    ``../shared/data``, where it is; skipped if not), and, where ``from_files`` takes
    ``local=``, with a one-line local file. Targets: at most 1 s, 1 s and 50 ms. Also
    printed, for reading: the same call again in one process (the packaged inputs read).
    A first call in a fresh process reads the packaged data, as any first lookup does
    (some 45 ms on its own), so the 50 ms of a one-line local file are what it adds to
    that: ``import portinfo`` + first ``lookup(80, "tcp")`` in a fresh child whose
    ``PORTINFO_LOCAL`` names the file (the default registry compiles it on that lookup),
    against the same child without it, interleaved: at most the packaged + 50 ms.
saved registry (issue 20)
    ``import portinfo`` + first ``lookup(80, "tcp")`` in a fresh child whose
    ``PORTINFO_DATA`` names a saved copy of the packaged data (``Registry.save``), against
    the same child without it (the packaged data), interleaved. Target: at most the
    packaged + 2 ms (loading a saved registry costs what loading the packaged one does).
free ports
    In a child whose first lookup has read the data: the first ``free(1024, 49151)`` (which
    gathers the claimed ports) and the median of later ones over the whole port space
    (``free(0, 65535, n=100, avoid=())``) and over one protocol. No target: for reading.

Also printed, for reading: the slowest imports of the first lookup (one ``-X importtime``
run, against a bare interpreter's). Run it by hand, not in CI: on shared machines timings
are noisy, so the figures are for reading, not for asserting. Every child runs with
``PORTINFO_DATA`` and ``PORTINFO_LOCAL`` unset, but where a figure sets them.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple

PROTOCOLS = ("tcp", "udp", "sctp", "dccp")
FORBIDDEN = ("typing", "re", "enum")  # modules `import portinfo` must not import
NUMBER = 20_000  # calls per warm sample
# Issue 16 moved two targets to make room for one fast path, written once, in the registry
# (a module function now calls the registry's method): warm lookup 3x -> 5x, sweep 0.2x -> 0.25x.
WARM_LIMIT = {"lookup": 5}  # times the dict floor; 3 for the other queries
SWEEP_LIMIT = 0.25  # times the getservbyport child
FROM_FILES_LIMIT = {"services": 1000.0, "iana": 1000.0, "local": 50.0}  # ms (issue 20)
SAVED_LIMIT = 2.0  # ms over the packaged data's first lookup (issue 20)
SHARED_XML = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SHARED_XML /= "service-names-port-numbers.xml"
DISCOVERY = ("PORTINFO_DATA", "PORTINFO_LOCAL")  # a user's own data: unset in every child


class Query(NamedTuple):
    function: str  # a function of portinfo
    args: tuple[int | str, ...]

    @property
    def source(self) -> str:
        return f"{self.function}({', '.join(json.dumps(arg) for arg in self.args)})"

    @property
    def key(self) -> tuple[int | str | None, ...]:
        """The key ``floor(*args)`` reads: ``table[port, protocol]``, protocol None if absent."""
        return (*self.args, None)[:2]


QUERIES = (Query("lookup", (80, "tcp")), Query("resolve", ("http",)))
SOCKET = 'getservbyport(80, "tcp")'

# Child programs. A timed child prints the milliseconds from its first statement to its end.
TIMED = """\
import time
_t0 = time.perf_counter()
{body}
print((time.perf_counter() - _t0) * 1000)
"""
PEAK_RSS = """\
{body}
with open("/proc/self/status") as _status:
    print(next(int(_line.split()[1]) for _line in _status if _line.startswith("VmHWM:")))
"""
SWEEP = f"""\
import portinfo
for _protocol in {PROTOCOLS!r}:
    for _port in range(65536):
        portinfo.lookup(_port, _protocol)
"""
SOCKET_SWEEP = f"""\
import socket
for _protocol in {PROTOCOLS!r}:
    for _port in range(65536):
        try:
            socket.getservbyport(_port, _protocol)
        except OSError:
            pass
"""
ADDED_MODULES = """\
import sys
_before = set(sys.modules)
import portinfo
print("\\n".join(sorted(set(sys.modules) - _before)))
"""
# Run after a first query: what the floor must match. Every class defined in a portinfo
# module (found through object's subclasses, so also classes not bound to a module name),
# after a collection: attrs leaves the class it replaces by a slotted one to the collector.
PROBE = """\
import gc, json, sys
import attrs
gc.collect()
_seen, _stack = set(), [object]
while _stack:
    _class = _stack.pop()
    if _class not in _seen:
        _seen.add(_class)
        _stack.extend(type.__subclasses__(_class))
_ours = [c for c in _seen if str(getattr(c, "__module__", "")).partition(".")[0] == "portinfo"]
print(json.dumps({
    "fields": sorted(len(attrs.fields(c)) for c in _ours if attrs.has(c)),
    "resources": "importlib_resources" if "importlib_resources" in sys.modules
    else "importlib.resources",
    "uses_resources": "importlib_resources" in sys.modules
    or "importlib.resources" in sys.modules,
    "origin": sys.modules["portinfo"].__spec__.origin,
}))
"""
READ_DATA = """\
def _read_all(_node):
    for _child in _node.iterdir():
        if _child.is_dir():
            _read_all(_child)
        else:
            _child.read_bytes()
_package = importlib.util.module_from_spec(importlib.util.find_spec("portinfo"))
_read_all(_resources.files(_package) / "data")
"""
WARM_SETUP = """\
from socket import getservbyport
from portinfo import {functions}
def floor(port, protocol=None):
    return table[port, protocol]
"""
SEARCHES = (
    "http", "monitoring", "database", "remote desktop", "game server", "sql", "kerberos",
    "printer", "mail", "time", "vnc", "x11", "ssh", "minecraft", "docker", "redis", "backup",
    "voice", "video", "license", "veristand", "postgres", "trojan", "kubernetes", "dns",
)  # fmt: skip
FROM_FILES_CHILD = """\
import time, portinfo
_t0 = time.perf_counter()
portinfo.Registry.from_files({argument}={path!r}).lookup(80)
_first = (time.perf_counter() - _t0) * 1000
_t0 = time.perf_counter()
portinfo.Registry.from_files({argument}={path!r}).lookup(80)
print((time.perf_counter() - _t0) * 1000, _first)
"""
SEARCH_CHILD = """\
import time, statistics, portinfo
portinfo.search("warm-up")
_t = []
for _q in {queries!r}:
    _t0 = time.perf_counter()
    portinfo.search(_q)
    _t.append((time.perf_counter() - _t0) * 1000)
print(statistics.median(_t), max(_t))
"""
FREE_CHILD = """\
import time, statistics, portinfo
portinfo.lookup(80)
_t0 = time.perf_counter()
portinfo.free(1024, 49151)
_first = (time.perf_counter() - _t0) * 1000
_t = []
for _protocol in (None, "tcp", None, "udp", None):
    _t0 = time.perf_counter()
    portinfo.free(0, 65535, protocol=_protocol, n=100, avoid=())
    _t.append((time.perf_counter() - _t0) * 1000)
print(_first, statistics.median(_t))
"""


class Probe(NamedTuple):
    """What a first query leaves behind, as the probe child reports it."""

    fields: list[int]  # field counts of the attrs classes defined in portinfo modules
    resources: str  # the module the floor imports: importlib.resources or the backport
    uses_resources: bool  # whether the first query imported either
    origin: str  # where the child's portinfo lives


# Running children and interleaving their measurements.


def run_child(
    code: str, *flags: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter, with ``env`` added to this one's environment
    (less :data:`DISCOVERY`); stop the benchmark if it fails."""
    environment = {k: v for k, v in os.environ.items() if k not in DISCOVERY}
    result = subprocess.run(
        [sys.executable, *flags, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**environment, **(env or {})},
    )
    if result.returncode:
        sys.exit(f"a child process failed:\n{code}\n{result.stderr}")
    return result


def printed(code: str, env: Mapping[str, str] | None = None) -> Callable[[], float]:
    """A measure: the last number the child running ``code`` prints."""
    return lambda: float(run_child(code, env=env).stdout.split()[-1])


def timed(body: str, env: Mapping[str, str] | None = None) -> Callable[[], float]:
    """A measure: the milliseconds a fresh child takes to run ``body``, timed by itself."""
    return printed(TIMED.format(body=body), env)


def peak_rss(body: str) -> Callable[[], float]:
    """A measure: a fresh child's peak resident memory after ``body``, in MiB."""
    measure = printed(PEAK_RSS.format(body=body))
    return lambda: measure() / 1024


def wall(code: str) -> Callable[[], float]:
    """A measure: the whole-process wall time of a child running ``code``, in ms."""

    def measure() -> float:
        start = time.perf_counter()
        run_child(code)
        return (time.perf_counter() - start) * 1000

    return measure


def interleaved(measures: Mapping[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Median of each measure over ``rounds`` rounds, the order reversed every other round."""
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for index in range(rounds):
        order = list(measures.items())
        for name, measure in order if index % 2 == 0 else reversed(order):
            samples[name].append(measure())
    return {name: statistics.median(values) for name, values in samples.items()}


# What to compare with, discovered from the package.


def probe(query: Query) -> Probe:
    out = run_child(f"import portinfo\nportinfo.{query.source}\n{PROBE}").stdout
    return Probe(**json.loads(out))


def floor_body(found: Probe) -> str:
    """The floor of a first query: attrs, the resources module, its classes, the data."""
    classes = "".join(
        f"@attrs.frozen\nclass _C{index}:\n"
        + "".join(f"    f{field}: int\n" for field in range(fields))
        + ("" if fields else "    pass\n")
        for index, fields in enumerate(found.fields)
    )
    return (
        f"import attrs\nimport importlib.util\nimport {found.resources} as _resources\n"
        f"{classes}{READ_DATA}"
    )


def added_modules() -> list[str]:
    return run_child(ADDED_MODULES).stdout.split()


def forbidden(modules: Sequence[str]) -> list[str]:
    """Which of FORBIDDEN ``modules`` holds, itself or through a submodule."""
    return sorted({name.partition(".")[0] for name in modules} & set(FORBIDDEN))


def import_times(code: str) -> dict[str, tuple[int, int]]:
    """Self and cumulative microseconds of each module a child imports (``-X importtime``)."""
    times: dict[str, tuple[int, int]] = {}
    for line in run_child(code, "-X", "importtime").stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if line.startswith("import time:") and fields[0].strip().isdigit():
            times[fields[2].strip()] = (int(fields[0]), int(fields[1]))
    return times


def slowest_imports(code: str, top: int = 8) -> list[tuple[str, int, int]]:
    """The modules ``code`` imports beyond a bare interpreter's, slowest (self time) first."""
    bare = import_times("pass")
    added = [(name, *spent) for name, spent in import_times(code).items() if name not in bare]
    return sorted(added, key=lambda row: -row[1])[:top]


# The measurements.


def warm(rounds: int) -> dict[str, float]:
    """Nanoseconds per call: each query, its dict floor, and getservbyport."""
    setup = WARM_SETUP.format(functions=", ".join(query.function for query in QUERIES))
    table = {query.key: query.source for query in QUERIES}
    statements = {SOCKET: SOCKET}
    for query in QUERIES:
        statements[query.source] = query.source
        statements[floor_name(query)] = f"floor{query.source.removeprefix(query.function)}"
    timers = {
        name: timeit.Timer(statement, setup, globals={"table": table})
        for name, statement in statements.items()
    }
    return interleaved({name: per_call(timer) for name, timer in timers.items()}, rounds)


def per_call(timer: timeit.Timer) -> Callable[[], float]:
    """A measure: nanoseconds per call of ``timer``'s statement, over NUMBER calls."""
    return lambda: timer.timeit(NUMBER) / NUMBER * 1e9


def floor_name(query: Query) -> str:
    return f"floor for {query.source}"


def later_searches(rounds: int) -> tuple[float, float]:
    """Median and worst time of a first (uncached) search for each of SEARCHES."""
    medians, worst = [], []
    for _ in range(rounds):
        median, most = run_child(SEARCH_CHILD.format(queries=SEARCHES)).stdout.split()
        medians.append(float(median))
        worst.append(float(most))
    return statistics.median(medians), statistics.median(worst)


def from_files_cases(scratch: Path, takes: Sequence[str]) -> dict[str, tuple[str, Path]]:
    """The files of the from_files figures, by name: the argument each is for, and its
    path; ``takes`` are the arguments ``from_files`` takes."""
    services = scratch / "one-line.services"
    services.write_text("http 80/tcp www\n", encoding="utf-8")
    cases = {"services": ("services", services)}
    if SHARED_XML.is_file():
        cases["iana"] = ("iana", SHARED_XML)
    if "local" in takes:  # where Registry.from_files takes your own ports (issue 19)
        local = scratch / "one-line-local.services"
        local.write_text("quill-api 8200/tcp # Quill API\n", encoding="utf-8")
        cases["local"] = ("local", local)
    return cases


def from_files_figures(
    cases: Mapping[str, tuple[str, Path]], rounds: int
) -> dict[str, tuple[float, float]]:
    """Median milliseconds of each case's first call in a fresh child, and of the same call
    again in that child."""
    first: dict[str, list[float]] = {name: [] for name in cases}
    again: dict[str, list[float]] = {name: [] for name in cases}
    for index in range(rounds):
        order = list(cases.items())
        for name, (argument, path) in order if index % 2 == 0 else reversed(order):
            code = FROM_FILES_CHILD.format(argument=argument, path=str(path))
            repeated, once = map(float, run_child(code).stdout.split())
            first[name].append(once)
            again[name].append(repeated)
    return {
        name: (statistics.median(first[name]), statistics.median(again[name])) for name in cases
    }


def saved_figures(directory: Path, rounds: int) -> dict[str, float]:
    """Median import + first lookup of the packaged data, and of a saved registry."""
    body = 'import portinfo\nportinfo.lookup(80, "tcp")'
    saved = {"PORTINFO_DATA": str(directory)}
    return interleaved({"packaged": timed(body), "saved": timed(body, saved)}, rounds)


def issue_20_rows(rounds: int) -> list[Row]:
    """The rows of ``from_files`` for each file, and of a saved registry's first lookup."""
    import portinfo

    rows = []
    with tempfile.TemporaryDirectory(prefix="portinfo-bench-") as scratch:
        takes = list(inspect.signature(portinfo.Registry.from_files).parameters)
        cases = from_files_cases(Path(scratch), takes)
        if "iana" not in cases:
            print(f"from_files of a new IANA file: skipped, no file at {SHARED_XML}")
        for name, (once, again) in from_files_figures(cases, rounds).items():
            argument = cases[name][0]
            described = "IANA's whole XML" if name == "iana" else f"a one-line {name} file"
            rows.append(
                Row(
                    f"`from_files({argument}=...)`, {described}: call + lookup, fresh process",
                    f"at most {show(FROM_FILES_LIMIT[name], 'ms')}",
                    f"again in the process: {show(again, 'ms')}",
                    show(once, "ms"),
                    "-",
                    once <= FROM_FILES_LIMIT[name],
                )
            )
        portinfo.Registry.packaged().save(Path(scratch) / "saved")
        ms = saved_figures(Path(scratch) / "saved", rounds)
        local = cases.get("local")
        if local is not None:
            body = 'import portinfo\nportinfo.lookup(80, "tcp")'
            env = {"PORTINFO_LOCAL": str(local[1])}
            added = interleaved({"packaged": timed(body), "local": timed(body, env)}, rounds)
            measure = (
                f"import + first `{QUERIES[0].source}`, a one-line local file (PORTINFO_LOCAL)"
            )
            base, value = added["packaged"], added["local"]
            rows.append(
                at_most_over(measure, "packaged", base, value, FROM_FILES_LIMIT["local"], "ms")
            )
    measure = f"import + first `{QUERIES[0].source}`, saved registry (PORTINFO_DATA)"
    rows.append(at_most_over(measure, "packaged", ms["packaged"], ms["saved"], SAVED_LIMIT, "ms"))
    return rows


def free_ports(rounds: int) -> tuple[float, float]:
    """Medians of a first ``free`` after the first lookup, and of later ones."""
    firsts, laters = [], []
    for _ in range(rounds):
        first, later = run_child(FREE_CHILD).stdout.split()
        firsts.append(float(first))
        laters.append(float(later))
    return statistics.median(firsts), statistics.median(laters)


def compile_package() -> None:
    """Write portinfo's bytecode, as pip does when it installs a wheel.

    An editable install under PYTHONDONTWRITEBYTECODE=1 (set on the reference machine)
    would otherwise compile every module from source in every fresh process, which no
    installed copy does and which the baselines (attrs, the standard library) never pay.
    """
    import compileall

    spec = importlib.util.find_spec("portinfo")
    assert spec is not None
    assert spec.submodule_search_locations is not None
    for location in spec.submodule_search_locations:
        compileall.compile_dir(location, quiet=1)


# The results, one row per target.

FORMATS = {"ms": ".2f", "ns": ".0f", "s": ".2f", "MiB": ".1f"}


def show(value: float, unit: str, *, sign: bool = False) -> str:
    return f"{value:{'+' if sign else ''}{FORMATS[unit]}} {unit}"


@dataclass(frozen=True)
class Row:
    measure: str
    target: str
    baseline: str
    measured: str
    comparison: str
    met: bool

    def cells(self) -> list[str]:
        met = "yes" if self.met else "no"
        return [self.measure, self.target, self.baseline, self.measured, self.comparison, met]


HEADINGS = ["measure", "target", "floor/baseline", "measured", "ratio or difference", "met?"]


def at_most_over(
    measure: str, base_name: str, base: float, value: float, limit: float, unit: str
) -> Row:
    return Row(
        measure,
        f"at most {base_name} + {limit:g} {unit}",
        f"{base_name}: {show(base, unit)}",
        show(value, unit),
        show(value - base, unit, sign=True),
        value - base <= limit,
    )


def at_most_times(
    measure: str, base_name: str, base: float, value: float, limit: float, unit: str
) -> Row:
    return Row(
        measure,
        f"at most {limit:g}x {base_name}",
        f"{base_name}: {show(base, unit)}",
        show(value, unit),
        f"{value / base:.2f}x",
        value / base <= limit,
    )


def at_least_faster(
    measure: str, base_name: str, base: float, value: float, limit: float, unit: str
) -> Row:
    return Row(
        measure,
        f"at least {limit:g}x faster than {base_name}",
        f"{base_name}: {show(base, unit)}",
        show(value, unit),
        f"{base / value:.1f}x faster",
        base / value >= limit,
    )


def render(rows: Sequence[Row], *, markdown: bool) -> list[str]:
    table = [HEADINGS, *(row.cells() for row in rows)]
    if markdown:
        table.insert(1, ["---"] * len(HEADINGS))
        return ["| " + " | ".join(cells) + " |" for cells in table]
    widths = [max(len(cells[column]) for cells in table) for column in range(len(HEADINGS))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()
        for cells in table
    ]


# The command line.


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of rounds")
    return value


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=positive, help="rounds of the cold and warm figures (21)")
    parser.add_argument("--sweep-runs", type=positive, help="rounds of the sweeps (5)")
    parser.add_argument("--memory-runs", type=positive, help="rounds of the memory figures (5)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 3, 1 and 2 rounds")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    defaults = (3, 1, 2) if args.quick else (21, 5, 5)
    for name, default in zip(("runs", "sweep_runs", "memory_runs"), defaults):
        if getattr(args, name) is None:
            setattr(args, name, default)
    return args


def refuse_unless_ready() -> None:
    """Exit 2 outside a virtual environment, or without portinfo or attrs to measure."""
    if sys.prefix == sys.base_prefix:
        print(
            f"{sys.executable} is not in a virtual environment: the system Python's"
            " site-packages preload modules. Run this with a venv's python, e.g."
            " .venv/bin/python benchmarks/bench.py",
            file=sys.stderr,
        )
        sys.exit(2)
    for name in ("portinfo", "attrs"):
        if importlib.util.find_spec(name) is None:
            print(
                f"{name} is not installed in {sys.prefix}; the benchmark needs it", file=sys.stderr
            )
            sys.exit(2)


def progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def main() -> None:
    args = arguments()
    refuse_unless_ready()
    print(f"interpreter: {sys.executable}")
    print(f"version:     Python {sys.version.split()[0]} ({platform.python_implementation()})")
    print(f"platform:    {platform.platform()} ({platform.machine()})")
    print(f"venv:        {sys.prefix}")
    compile_package()
    found = {query: probe(query) for query in QUERIES}
    print(f"portinfo:    {found[QUERIES[0]].origin}")
    print(
        f"rounds:      {args.runs} (cold, warm), {args.sweep_runs} (sweeps),"
        f" {args.memory_runs} (memory); medians, interleaved"
    )
    for query, what in found.items():
        imported = "imports" if what.uses_resources else "does not import"
        print(
            f"first {query.source}: {len(what.fields)} attrs classes (fields: {what.fields});"
            f" {imported} {what.resources}; the floor imports {what.resources}"
        )
    rows: list[Row] = []

    progress("modules added by import portinfo")
    added = added_modules()
    bad = forbidden(added)
    rows.append(
        Row(
            "modules `import portinfo` adds",
            f"none of {', '.join(FORBIDDEN)}",
            "bare interpreter",
            f"{len(added)} modules",
            f"adds {', '.join(bad)}" if bad else "none of them",
            not bad,
        )
    )

    progress("cold starts")
    cold = {"bare": wall("pass"), "import": wall("import portinfo")}
    for query in QUERIES:
        cold[f"floor {query.source}"] = timed(floor_body(found[query]))
        cold[query.source] = timed(f"import portinfo\nportinfo.{query.source}")
    ms = interleaved(cold, args.runs)
    rows.append(
        at_most_over("`import portinfo` (whole process)", "bare", ms["bare"], ms["import"], 2, "ms")
    )
    for query in QUERIES:
        value, base = ms[query.source], ms[f"floor {query.source}"]
        rows.append(
            at_most_over(f"import + first `{query.source}`", "floor", base, value, 10, "ms")
        )

    progress("warm calls")
    ns = warm(args.runs)
    for query in QUERIES:
        measure = f"warm `{query.source}`"
        limit = WARM_LIMIT.get(query.function, 3)
        rows.append(
            at_most_times(
                measure, "dict floor", ns[floor_name(query)], ns[query.source], limit, "ns"
            )
        )
        rows.append(at_least_faster(measure, f"`{SOCKET}`", ns[SOCKET], ns[query.source], 20, "ns"))

    progress("sweeps (every port x 4 protocols)")
    sweeps = interleaved({"socket": timed(SOCKET_SWEEP), "portinfo": timed(SWEEP)}, args.sweep_runs)
    rows.append(
        at_most_times(
            "every port x 4 protocols, fresh process",
            "getservbyport",
            sweeps["socket"] / 1000,
            sweeps["portinfo"] / 1000,
            SWEEP_LIMIT,
            "s",
        )
    )

    progress("peak memory")
    first = QUERIES[0]
    mib = interleaved(
        {
            "attrs": peak_rss("import attrs"),
            "first": peak_rss(f"import portinfo\nportinfo.{first.source}"),
            "sweep": peak_rss(SWEEP),
        },
        args.memory_runs,
    )
    for name, measure, limit in (
        ("first", f"peak RSS after the first `{first.source}`", 8),
        ("sweep", "peak RSS after the sweep", 16),
    ):
        rows.append(at_most_over(measure, "`import attrs`", mib["attrs"], mib[name], limit, "MiB"))

    progress("later searches")
    median, worst = later_searches(max(3, args.runs // 3))
    rows.append(
        Row(
            f"later searches, {len(SEARCHES)} different words",
            "median at most 2 ms",
            "-",
            f"median {show(median, 'ms')}, worst {show(worst, 'ms')}",
            "-",
            median <= 2,
        )
    )

    progress("Registry.from_files and a saved registry")
    rows += issue_20_rows(args.runs)

    progress("free ports")
    first_free, later_free = free_ports(max(3, args.runs // 3))
    rows.append(
        Row(
            "first `free(1024, 49151)`, later `free(0, 65535, n=100)`",
            "-",
            "-",
            f"first {show(first_free, 'ms')}, later {show(later_free, 'ms')}",
            "-",
            True,
        )
    )

    progress("slowest imports")
    slowest = slowest_imports(f"import portinfo\nportinfo.{first.source}")
    print()
    print("\n".join(render(rows, markdown=args.markdown)))
    print(f"\nmodules `import portinfo` adds ({len(added)}): {', '.join(added) or 'none'}")
    print(f"slowest imports of import portinfo + first {first.source} (one run, us):")
    for name, own, cumulative in slowest:
        print(f"    {own:7d} self {cumulative:8d} cumulative  {name}")


if __name__ == "__main__":
    main()
