"""Whole columns at once: annotate() on millions of rows, against the ways people do it today.

Run it with the project's virtual environment (it refuses to run outside one, exit 2)::

    .venv/bin/python benchmarks/bench_bulk.py               # 10 million rows, 5 rounds
    .venv/bin/python benchmarks/bench_bulk.py --quick       # 1 million rows, 3 rounds
    .venv/bin/python benchmarks/bench_bulk.py --rows 2000000

The rows are (destination port, protocol) pairs shaped as a flow log's: three in four are
well-known ports (443, 80, 53 and two dozen more, each on its usual protocol), the rest a
long tail of registered ports and dynamic ports, four in five on tcp. They come from
NumPy's generator with a fixed seed, so every run labels the same rows.

Measured, as rows per second (the median of rounds that run the candidates in turn, so
that the machine's drift hits them alike; each round of each one starts after a garbage
collection and runs with the collector off):

``annotate``
    ``portinfo.annotate(ports, protocols)`` with the columns as each library holds them:
    NumPy (int64 ports, uint8 IANA protocol numbers, as flow records carry them), pandas
    (int64 ports, protocol names in pandas' default text dtype, as ``read_csv`` gives
    them), Polars (Int64, String) and PyArrow (int64, string); then the same columns with
    one protocol for every row (``protocols="tcp"``).
``socket``
    What people write today with the standard library: ``ports.map(f)`` on the pandas
    column, per protocol, where ``f`` calls ``socket.getservbyport(port, protocol)``
    inside ``try``/``except OSError``. It is slow (glibc reads ``/etc/services`` from the
    start for each miss), so it runs on a sample of the first 200,000 rows (20,000 with
    ``--quick``) and its rate is scaled to the whole column; the output says so.
``dict``
    ``ports.map(d)`` on the pandas column, per protocol, with ``d`` a dict of port to name
    read from ``/etc/services`` (its first name for each port and protocol).

Targets: ``annotate`` at least 100x the ``socket`` way and at least 5x the ``dict`` way.

Also measured: the cold build of a table (:meth:`portinfo.Registry.table`) in
fresh processes, the median of several: one protocol's table, with the registry's data
read beforehand; all four protocols' tables, as the first ``annotate()`` with a column
of protocols needs them; and a whole first call, ``import portinfo`` to the answer.
Target: a table in under 200 ms.

Run it by hand, not in CI: on shared machines timings are noisy, so the figures are for
reading, not for asserting.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

# The ports most flow logs are made of, with the protocol each is used on and a weight.
WELL_KNOWN = (
    (443, "tcp", 30),
    (80, "tcp", 12),
    (53, "udp", 14),
    (22, "tcp", 4),
    (123, "udp", 4),
    (25, "tcp", 2),
    (587, "tcp", 2),
    (993, "tcp", 2),
    (3389, "tcp", 2),
    (445, "tcp", 2),
    (8080, "tcp", 3),
    (8443, "tcp", 2),
    (3306, "tcp", 1),
    (5432, "tcp", 1),
    (6379, "tcp", 1),
    (9200, "tcp", 1),
    (27017, "tcp", 1),
    (5353, "udp", 2),
    (1900, "udp", 1),
    (161, "udp", 1),
    (389, "tcp", 1),
    (636, "tcp", 1),
    (143, "tcp", 1),
    (853, "tcp", 1),
    (5060, "udp", 1),
    (1194, "udp", 1),
    (51820, "udp", 1),
    (443, "udp", 3),  # QUIC
)
SEED = 20261128
NUMBERS = {"tcp": 6, "udp": 17}
TARGET_SOCKET, TARGET_DICT, TARGET_BUILD_MS = 100.0, 5.0, 200.0


def refuse_outside_a_venv() -> None:
    if sys.prefix == sys.base_prefix:
        print(
            "bench_bulk.py measures an installed portinfo with its column libraries: run it"
            " with a virtual environment's Python, e.g. .venv/bin/python"
            " benchmarks/bench_bulk.py",
            file=sys.stderr,
        )
        raise SystemExit(2)


def make_rows(count: int) -> tuple[Any, Any]:
    """``count`` ports (int64) and their protocols (``"tcp"``/``"udp"``), seeded."""
    import numpy as np

    rng = np.random.default_rng(SEED)
    known_ports = np.array([port for port, _, _ in WELL_KNOWN])
    known_udp = np.array([protocol == "udp" for _, protocol, _ in WELL_KNOWN])
    weights = np.array([weight for _, _, weight in WELL_KNOWN], dtype=float)
    kind = rng.choice(3, size=count, p=[0.75, 0.15, 0.10])  # well-known, tail, dynamic
    pick = rng.choice(len(WELL_KNOWN), size=count, p=weights / weights.sum())
    tail = rng.integers(1, 49152, size=count)
    dynamic = rng.integers(49152, 65536, size=count)
    ports = np.where(kind == 0, known_ports[pick], np.where(kind == 1, tail, dynamic))
    udp = np.where(kind == 0, known_udp[pick], rng.random(count) < 0.2)
    protocols = np.where(udp, "udp", "tcp")
    return ports.astype(np.int64), protocols


def services_dicts() -> dict[str, dict[int, str]]:
    """Port to name per protocol, from /etc/services: its first name for each."""
    found: dict[str, dict[int, str]] = {"tcp": {}, "udp": {}}
    with open("/etc/services", encoding="utf-8", errors="replace") as lines:
        for line in lines:
            fields = line.split("#", 1)[0].split()
            if len(fields) < 2 or "/" not in fields[1]:
                continue
            number, _, protocol = fields[1].partition("/")
            if protocol in found and number.isdigit():
                found[protocol].setdefault(int(number), fields[0])
    return found


def per_protocol(ports: Any, protocols: Any, label: Callable[[Any, str], Any]) -> Any:
    """The pandas way with a column of protocols: label each protocol's rows apart."""
    import pandas as pd

    out = pd.Series(None, index=ports.index, dtype=object)
    for protocol in ("tcp", "udp"):
        rows = protocols == protocol
        out[rows] = label(ports[rows], protocol)
    return out


def socket_label(ports: Any, protocol: str) -> Any:
    def name(port: int) -> str | None:
        try:
            return socket.getservbyport(port, protocol)
        except OSError:
            return None

    return ports.map(name)


def timed(run: Callable[[], object]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = run()
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    del result
    return elapsed


def medians(candidates: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Seconds per run of each candidate: the median of ``rounds``, taken in turn."""
    for run in candidates.values():  # a warm-up: tables built, libraries loaded
        run()
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for round_number in range(rounds):
        order = list(candidates)
        if round_number % 2:
            order.reverse()
        for name in order:
            times[name].append(timed(candidates[name]))
    return {name: statistics.median(found) for name, found in times.items()}


BUILD = """\
import time
import portinfo
registry = portinfo.Registry.packaged()
registry.lookup(0)  # the data read first: this times the build alone
start = time.perf_counter()
registry.table("tcp", "service")
one = time.perf_counter() - start
start = time.perf_counter()
for protocol in ("udp", "sctp", "dccp"):
    registry.table(protocol, "service")
print(one * 1000, (one + time.perf_counter() - start) * 1000)
"""
FIRST_CALL = """\
import time
start = time.perf_counter()
import portinfo
from portinfo._annotate import annotate
annotate([443, 53], ["tcp", "udp"])
print((time.perf_counter() - start) * 1000)
"""


def cold(code: str, runs: int) -> list[float]:
    """The medians of what each fresh process of ``code`` prints, figure by figure."""
    figures: list[list[float]] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        figures.append([float(x) for x in done.stdout.split()])
    return [statistics.median(column) for column in zip(*figures)]


def rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds / 1e6:,.2f} M" if rows / seconds >= 1e6 else f"{rows / seconds:,.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--rows", type=int, help="rows to label (default 10,000,000)")
    parser.add_argument("--quick", action="store_true", help="1,000,000 rows, fewer rounds")
    args = parser.parse_args(argv)
    refuse_outside_a_venv()
    import numpy as np
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    import portinfo
    from portinfo._annotate import annotate

    rows = args.rows or (1_000_000 if args.quick else 10_000_000)
    rounds, builds = (3, 3) if args.quick else (5, 7)
    sample = min(rows, 20_000 if args.quick else 200_000)

    print(f"# portinfo {portinfo.__version__}: annotate() on {rows:,} rows\n")
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, pandas"
        f" {pd.__version__}, Polars {pl.__version__}, PyArrow {pa.__version__};"
        f" {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}"
        f" {platform.release()}.\n"
    )
    ports, names = make_rows(rows)
    numbers = np.where(names == "udp", NUMBERS["udp"], NUMBERS["tcp"]).astype(np.uint8)
    frame = pd.DataFrame({"port": ports, "proto": names.tolist()})
    polars_ports, polars_names = pl.Series("port", ports), pl.Series("proto", names)
    arrow_ports, arrow_names = pa.array(ports), pa.array(names)
    udp_share = float((names == "udp").mean())
    print(
        f"Rows: {rows:,}, seed {SEED}; {udp_share:.0%} udp; {int((ports < 1024).sum()):,}"
        f" system, {int((ports >= 49152).sum()):,} dynamic ports; the pandas column of"
        f" protocols is {frame['proto'].dtype}.\n"
    )

    # Every way must give the same labels, where it knows the port at all.
    check = annotate(frame["port"], frame["proto"])
    assert np.array_equal(annotate(ports, numbers), check.to_numpy())
    assert annotate(polars_ports, polars_names).to_list()[:1000] == check.tolist()[:1000]
    assert annotate(arrow_ports, arrow_names).to_pylist()[:1000] == check.tolist()[:1000]
    del check

    dicts = services_dicts()
    socket_rows = frame.iloc[:sample]
    scenarios = {
        "a column of protocols": {
            "annotate, NumPy": lambda: annotate(ports, numbers),
            "annotate, pandas": lambda: annotate(frame["port"], frame["proto"]),
            "annotate, Polars": lambda: annotate(polars_ports, polars_names),
            "annotate, PyArrow": lambda: annotate(arrow_ports, arrow_names),
            "dict": lambda: per_protocol(
                frame["port"], frame["proto"], lambda p, proto: p.map(dicts[proto])
            ),
        },
        'one protocol, "tcp"': {
            "annotate, NumPy": lambda: annotate(ports, "tcp"),
            "annotate, pandas": lambda: annotate(frame["port"], "tcp"),
            "annotate, Polars": lambda: annotate(polars_ports, "tcp"),
            "annotate, PyArrow": lambda: annotate(arrow_ports, "tcp"),
            "dict": lambda: frame["port"].map(dicts["tcp"]),
        },
    }
    sockets = {
        "a column of protocols": lambda: per_protocol(
            socket_rows["port"], socket_rows["proto"], socket_label
        ),
        'one protocol, "tcp"': lambda: socket_label(socket_rows["port"], "tcp"),
    }
    all_met = True
    for scenario, candidates in scenarios.items():
        seconds = medians(candidates, rounds)
        socket_seconds = medians({"socket": sockets[scenario]}, max(1, rounds // 2))["socket"]
        socket_per_row = socket_seconds / sample
        dict_per_row = seconds["dict"] / rows
        print(f"## {scenario} ({rows:,} rows, median of {rounds} rounds)\n")
        print("| way | rows/s | time | vs socket | vs dict | targets met? |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for name, took in seconds.items():
            per_row = took / rows
            versus_socket, versus_dict = socket_per_row / per_row, dict_per_row / per_row
            met = "-"
            if name.startswith("annotate"):
                ok = versus_socket >= TARGET_SOCKET and versus_dict >= TARGET_DICT
                all_met &= ok
                met = "yes" if ok else "no"
            print(
                f"| {name} | {rate(rows, took)} | {took * 1000:,.0f} ms |"
                f" {versus_socket:,.0f}x | {versus_dict:,.1f}x | {met} |"
            )
        print(
            f"| socket (scaled from {sample:,} rows) | {rate(sample, socket_seconds)} |"
            f" {socket_per_row * rows:,.1f} s | 1x | {dict_per_row / socket_per_row:,.3f}x | - |\n"
        )

    one, four = cold(BUILD, builds)
    (first,) = cold(FIRST_CALL, builds)
    build_met = one < TARGET_BUILD_MS
    all_met &= build_met
    print(f"## Building the tables (fresh processes, median of {builds})\n")
    print("| what | time | target | met? |")
    print("| --- | ---: | --- | --- |")
    print(
        f"| one table: tcp, service (description and use with it) | {one:,.1f} ms |"
        f" under {TARGET_BUILD_MS:.0f} ms | {'yes' if build_met else 'no'} |"
    )
    print(f"| all four protocols' service tables | {four:,.1f} ms | - | - |")
    print(
        "| a whole first call: import portinfo, annotate([443, 53], ['tcp', 'udp'])"
        f" | {first:,.1f} ms | - | - |\n"
    )
    print(
        f"Targets: annotate at least {TARGET_SOCKET:.0f}x the socket way and"
        f" {TARGET_DICT:.0f}x the dict way; a table in under {TARGET_BUILD_MS:.0f} ms."
        f" All met: {'yes' if all_met else 'no'}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
