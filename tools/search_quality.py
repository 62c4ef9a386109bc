"""Measure how often search() puts first the port people meet most, by Nmap's figures.

    python tools/search_quality.py ../shared/data             # the packaged registry
    python tools/search_quality.py ../shared/data --misses 20 # and the first 20 misses

The queries are the words (three letters or more, not numbers) of every name and alias in
the services file. For each query that finds something, the top result "meets most" when
none of the first ten results is on a port that Nmap's open frequencies rank higher. The
figures only measure the ranking: they never leave this tool, which prints two shares and
the misses' names and ports, not a frequency.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import portinfo
from portinfo._files import read_file
from portinfo._nmap import parse_nmap
from portinfo._services import parse_services

SHOWN = 10
"""How many results of each search are compared."""


def queries(services: Path) -> list[str]:
    """The distinct words of the names and aliases of a services file, sorted."""
    data, label = read_file(services)
    words: set[str] = set()
    for entry in parse_services(data, label):
        for name in (entry.name, *entry.aliases):
            words.update(re.split(r"[-_.]", name.lower()))
    return sorted(w for w in words if len(w) >= 3 and not w.isdigit())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the folder of the raw upstream files")
    parser.add_argument("--misses", type=int, default=0, help="show the first N misses")
    args = parser.parse_args()
    data, label = read_file(args.data / "nmap-services")
    frequency: dict[tuple[int, str], float] = {}
    for entry in parse_nmap(data, label):
        key = (entry.port, entry.protocol.value)
        frequency[key] = max(frequency.get(key, 0.0), entry.frequency)

    def met(result: portinfo.SearchResult) -> float:
        ports = [p for first, last in result.ports for p in range(first, last + 1)][:50]
        return max(
            (frequency.get((p, q.value), 0.0) for p in ports for q in result.protocols),
            default=0.0,
        )

    asked = first = top3 = 0
    misses: list[str] = []
    for query in queries(args.data / "services"):
        results = portinfo.search(query, limit=SHOWN)
        scores = [met(r) for r in results]
        if not scores or max(scores) == 0.0:
            continue  # nothing found, or nothing Nmap has seen open
        asked += 1
        best = max(scores)
        first += scores[0] == best
        top3 += best in scores[:3]
        if scores[0] != best:
            top = results[scores.index(best)]
            misses.append(
                f"{query}: first {results[0].name} {results[0].ports[:2]},"
                f" met most {top.name} {top.ports[:2]}"
            )
    print(f"{asked} queries: the port met most is first in {first} ({first / asked:.0%}),")
    print(f"in the first three in {top3} ({top3 / asked:.0%})")
    for line in misses[: args.misses]:
        print(" ", line)


if __name__ == "__main__":
    main()
