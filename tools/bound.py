"""Measure the load bound: the largest files the caps allow, compiled, and their slowest answers.

    python tools/bound.py                  # files at the caps (50,000 records each)
    python tools/bound.py --records 10000  # smaller files of the same shape

Writes, into a temporary directory, the worst files that portinfo's caps on a user's file
(``portinfo._files``: records per file, records on one port and protocol, aliases per
services line, records with one name) still let through, and times
``Registry.from_files`` on each and on all three together, then the slowest answers found:
a lookup of a crowded port on every protocol, the resolve of a name, a search whose text
matches every name. The files are generated at run time and never committed.

- IANA's registry (CSV): records over spans of ports, on each of the four protocols, so
  that every port is covered by :data:`~portinfo._files.MAX_ON_PORT` records of each
  protocol and a segment starts at every few ports: the most the per-port cap allows.
- A services file: lines of :data:`~portinfo._files.MAX_ALIASES` aliases, the cap's number
  of lines on each port and protocol.
- An nmap-services file: one entry on each port and protocol, then again, to the cap.

docs/guarantees.md gives the figures of a run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from portinfo import Registry
from portinfo._files import MAX_ALIASES, MAX_ON_PORT, MAX_RECORDS
from portinfo._iana import CSV_COLUMNS

PROTOCOLS = ("tcp", "udp", "sctp", "dccp")


def crowded_iana(records: int) -> str:
    """IANA's CSV: ``records`` records, each port and protocol covered by the most the cap
    allows, a segment every few ports (the rest of the records, if any, have no port)."""
    step = max(1, -(-65536 * len(PROTOCOLS) // records))
    lines = [",".join(CSV_COLUMNS)]
    for protocol in PROTOCOLS:
        for first in range(0, 65536, step):
            last = min(first + step * MAX_ON_PORT - 1, 65535)
            lines.append(f"svc-{len(lines)},{first}-{last},{protocol},Service {len(lines)},,,,,,,,")
    lines += (f"svc-{n},,,Service {n},,,,,,,," for n in range(len(lines), records + 1))
    return "\n".join(lines[: records + 1]) + "\n"


def crowded_services(names: int) -> str:
    """A services file of ``names`` names: lines of the most aliases the cap allows, the
    cap's number of lines on each port and protocol."""
    lines: list[str] = []
    per_line = 1 + MAX_ALIASES
    for n in range(names // per_line):
        port, protocol = n // MAX_ON_PORT % 65536, PROTOCOLS[n // MAX_ON_PORT // 65536 % 4]
        aliases = " ".join(f"a{n}-{k}" for k in range(MAX_ALIASES))
        lines.append(f"s{n} {port}/{protocol} {aliases} # line {n}")
    return "\n".join(lines) + "\n"


def crowded_nmap(entries: int) -> str:
    """An nmap-services file of ``entries`` entries, each name on one port and protocol."""
    return "".join(
        f"n{n}\t{n % 65536}/{PROTOCOLS[n // 65536 % 4]}\t0.00{n % 1000:03d}\n"
        for n in range(entries)
    )


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _slowest_answer(registry: Registry, name: str, text: str) -> tuple[float, str]:
    """The slowest of a few answers that the crowded files make as large as they can be."""
    calls: dict[str, Callable[[], object]] = {
        "lookup(30000)": lambda: registry.lookup(30000),
        "lookup(65535)": lambda: registry.lookup(65535),
        f"resolve({name!r})": lambda: registry.resolve(name),
        f"search({text!r})": lambda: registry.search(text),
    }
    return max((_timed(call), label) for label, call in calls.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=MAX_RECORDS, help="records a file")
    records = parser.parse_args(argv).records
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        files = {
            "iana": (root / "iana.csv", crowded_iana(records), "svc-1", "svc"),
            "services": (root / "services", crowded_services(records), "a1-1", "a"),
            "nmap": (root / "nmap-services", crowded_nmap(records), "n1", "n"),
        }
        for path, text, _, _ in files.values():
            path.write_text(text, encoding="utf-8")
        print(f"{records:,} records a file ({sys.version.split()[0]})")
        for kind, (path, text, name, search) in files.items():
            start = time.perf_counter()
            registry = Registry.from_files(**{kind: path})
            registry.lookup(0)
            load = time.perf_counter() - start
            slowest, label = _slowest_answer(registry, name, search)
            print(
                f"  {kind:9} {len(text) / 1e6:5.1f} MB  load {load:6.2f} s"
                f"  slowest answer {slowest:.3f} s ({label})"
            )
        start = time.perf_counter()
        every = Registry.from_files(**{kind: spec[0] for kind, spec in files.items()})
        every.lookup(0)
        load = time.perf_counter() - start
        slowest, label = _slowest_answer(every, "svc-1", "s")
        print(f"  all three        load {load:6.2f} s  slowest answer {slowest:.3f} s ({label})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
