"""Benchmarks for portinfo: import cost, first answers, warm answers, a full sweep, memory.

    python benchmarks/bench.py [--runs 21]

Each cold figure is measured in fresh interpreter processes: the child times its own work
with ``time.perf_counter`` (so the interpreter's start-up, the same for all, is left out)
and prints it. Candidates and their baselines run interleaved, round after round, so that
the machine's drift hits both alike; the table gives medians. Run it by hand, not in CI:
timings on shared machines are noisy, so the figures are for reading, not for asserting.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import timeit

DATA_FILES = (
    "manifest.json people.json iana.jsonl iana.idx aliases.jsonl aliases.idx uses.jsonl uses.idx"
)

# Each snippet prints the milliseconds (or, for memory, kilobytes) of its own work.
TIMED = """
import time
_t0 = time.perf_counter()
{body}
print((time.perf_counter() - _t0) * 1000)
"""
COLD: dict[str, str] = {
    "import attrs": "import attrs",
    "import portinfo": "import portinfo",
    "floor: attrs + importlib.resources + read the data bytes": (
        "import attrs\nfrom importlib.resources import files\n"
        f"_d = files('portinfo').joinpath('data')\n"
        f"_b = [_d.joinpath(n).read_bytes() for n in {DATA_FILES.split()!r}]"
    ),
    "floor without attrs (portinfo no longer needs it)": (
        "from importlib.resources import files\n"
        f"_d = files('portinfo').joinpath('data')\n"
        f"_b = [_d.joinpath(n).read_bytes() for n in {DATA_FILES.split()!r}]"
    ),
    "import portinfo + first lookup(80, 'tcp')": ("import portinfo\nportinfo.lookup(80, 'tcp')"),
    "import portinfo + first resolve('http')": "import portinfo\nportinfo.resolve('http')",
    "import portinfo + first search('veristand')": (
        "import portinfo\nportinfo.search('veristand')"
    ),
    "first search('veristand') after import, the call alone": (
        "import portinfo\n_t0 = time.perf_counter()\nportinfo.search('veristand')"
    ),
    "sweep: lookup every port x 4 protocols": (
        "import portinfo\n"
        "for _p in ('tcp', 'udp', 'sctp', 'dccp'):\n"
        "    for _n in range(65536):\n"
        "        portinfo.lookup(_n, _p)"
    ),
}
MEMORY = """
import resource
{body}
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
RSS: dict[str, str] = {
    "import attrs": "import attrs",
    "every record loaded": (
        "import portinfo\nportinfo.lookup(80, 'tcp')\n"
        "_r = portinfo.default_registry()\n"
        "_n = sum(1 for _ in _r.assignments()) + sum(1 for _ in _r.aliases())"
    ),
    "after the sweep": (
        "import portinfo\n"
        "for _p in ('tcp', 'udp', 'sctp', 'dccp'):\n"
        "    for _n in range(65536):\n"
        "        portinfo.lookup(_n, _p)"
    ),
}


def child(code: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def interleaved(snippets: dict[str, str], template: str, runs: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in snippets}
    for _ in range(runs):
        for name, body in snippets.items():
            samples[name].append(child(template.format(body=body)))
    return {name: statistics.median(values) for name, values in samples.items()}


SEARCHES = (
    "http", "monitoring", "database", "remote desktop", "game server", "sql", "kerberos",
    "printer", "mail", "time", "vnc", "x11", "ssh", "minecraft", "docker", "redis", "backup",
    "voice", "video", "license", "veristand", "postgres", "trojan", "kubernetes", "dns",
)  # fmt: skip
SEARCH_CHILD = """
import time, statistics, portinfo
portinfo.search("warm-up")
_t = []
for _q in {queries!r}:
    _t0 = time.perf_counter()
    portinfo.search(_q)
    _t.append((time.perf_counter() - _t0) * 1000)
print(statistics.median(_t), max(_t))
"""


def later_searches(runs: int) -> tuple[float, float]:
    """Median and worst time of a first (uncached) search for each of SEARCHES."""
    medians, worst = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", SEARCH_CHILD.format(queries=SEARCHES)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        medians.append(float(out[0]))
        worst.append(float(out[1]))
    return statistics.median(medians), statistics.median(worst)


def warm(runs: int) -> dict[str, float]:
    setup = "import socket, portinfo\nportinfo.lookup(80, 'tcp'); portinfo.resolve('http')"
    statements = {
        "socket.getservbyport(80, 'tcp')": "socket.getservbyport(80, 'tcp')",
        "lookup(80, 'tcp')": "portinfo.lookup(80, 'tcp')",
        "resolve('http')": "portinfo.resolve('http')",
    }
    number = 20_000
    results: dict[str, float] = {}
    timers = {name: timeit.Timer(stmt, setup=setup) for name, stmt in statements.items()}
    samples: dict[str, list[float]] = {name: [] for name in statements}
    for _ in range(runs):
        for name, timer in timers.items():
            samples[name].append(timer.timeit(number) / number * 1e6)
    for name, values in samples.items():
        results[name] = statistics.median(values)
    return results


def compile_package() -> None:
    """Write portinfo's bytecode, as pip does when it installs a wheel.

    An editable install under PYTHONDONTWRITEBYTECODE=1 (set on the reference machine)
    would otherwise compile every module from source in every fresh process, which no
    installed copy does and which the baselines (attrs, the standard library) never pay.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("portinfo")
    assert spec is not None
    assert spec.submodule_search_locations is not None
    for location in spec.submodule_search_locations:
        compileall.compile_dir(location, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="rounds (default: %(default)s)")
    runs = parser.parse_args().runs
    compile_package()
    print(f"portinfo benchmarks: Python {platform.python_version()} on {platform.machine()},")
    print(f"{platform.platform()}; medians of {runs} interleaved fresh processes\n")

    cold_fast = {k: v for k, v in COLD.items() if not k.startswith("sweep")}
    cold = interleaved(cold_fast, TIMED, runs)
    cold.update(interleaved({k: v for k, v in COLD.items() if k.startswith("sweep")}, TIMED, 5))
    base = cold["import attrs"]
    floor = cold["floor: attrs + importlib.resources + read the data bytes"]
    bare = cold["floor without attrs (portinfo no longer needs it)"]
    print(f"{'cold, in a fresh process':58s} {'ms':>8s}   vs the floors (ms)")
    for name, value in cold.items():
        if name.startswith("import portinfo +"):
            versus = f"{value - floor:+.2f} vs floor, {value - bare:+.2f} vs bare"
        elif name == "import portinfo":
            versus = f"{value - base:+.2f} ms vs import attrs"
        else:
            versus = ""
        print(f"{name:58s} {value:8.2f}   {versus}")

    print(f"\n{'warm, per call (medians of ' + str(runs) + ' x 20,000 calls)':58s} {'us':>8s}")
    warm_results = warm(runs)
    reference = warm_results["socket.getservbyport(80, 'tcp')"]
    for name, value in warm_results.items():
        print(f"{name:58s} {value:8.3f} {value / reference:>22.2f} x getservbyport")
    median, worst = later_searches(max(3, runs // 3))
    label = f"later searches, {len(SEARCHES)} different words: median (ms)"
    print(f"{label:58s} {median:8.2f}   worst of them {worst:.2f} ms")

    memory = interleaved(RSS, MEMORY, 5)
    print(f"\n{'peak resident memory (ru_maxrss), medians of 5':58s} {'MB':>8s}")
    for name, value in memory.items():
        extra = (
            ""
            if name == "import attrs"
            else f"{(value - memory['import attrs']) / 1024:+.1f} MB vs attrs"
        )
        print(f"{name:58s} {value / 1024:8.1f} {extra:>28s}")


if __name__ == "__main__":
    main()
