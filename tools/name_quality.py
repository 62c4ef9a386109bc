"""Measure how well name() names the port people mean, against the services file and Nmap.

    python tools/name_quality.py ../shared/data          # the figures and the disagreements

Over every port and protocol where IANA has two or more services and the raw services file
or Nmap names one of them, how often name() agrees with each (names compared without case
and ``-``, ``_``, ``.``; IANA's twin spellings, where one record says it replaces the other,
count as one service). Then how many of the 100 ports per protocol that Nmap's open
frequencies rank highest get a summary that names an IANA service or an observed use (a
bare scanner label does not count). The frequencies are read from the raw file here and
never leave this tool, which prints shares, counts and port numbers, never a frequency.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import portinfo
from portinfo import Protocol
from portinfo._files import read_file
from portinfo._nmap import parse_nmap
from portinfo._prominence import fold
from portinfo._records import is_primary
from portinfo._services import parse_services

TOP = 100
"""How many of the ports Nmap finds open most often are checked per protocol."""
EXAMPLES = ((2049, "nfs"), (465, "submissions"), (1701, "l2tp"), (750, "kerberos-iv"))
"""The issue's ports, and the name each must get with and without a protocol."""
_REPLACES = re.compile(r'replacement for "([^"]+)"')

Where = tuple[int, Protocol]


def twins(registry: portinfo.Registry) -> dict[str, str]:
    """Each IANA name that another replaces, folded, to the folded name replacing it."""
    found: dict[str, str] = {}
    for record in registry.assignments():
        text = f"{record.description} {record.notes or ''}"
        for old in _REPLACES.findall(text):
            if record.service:
                found[fold(old)] = fold(record.service)
    return found


def same(a: str, b: str, twin: dict[str, str]) -> bool:
    """Whether two names are one service: equal once folded, or IANA's twins."""
    left, right = fold(a), fold(b)
    return twin.get(left, left) == twin.get(right, right)


def contested(registry: portinfo.Registry) -> dict[Where, list[str]]:
    """The IANA services (primary names) on each port and protocol that has two or more."""
    found: dict[Where, list[str]] = {}
    for record in registry.assignments():
        if not is_primary(record) or record.first is None or record.last is None:
            continue
        assert record.service is not None
        for port in range(record.first, record.last + 1):
            for protocol in [record.protocol] if record.protocol else list(Protocol):
                names = found.setdefault((port, protocol), [])
                if record.service not in names:
                    names.append(record.service)
    return {where: names for where, names in found.items() if len(names) > 1}


def agreement(raw: Path, registry: portinfo.Registry) -> list[str]:
    """The agreement figures, printed; the disagreements, returned."""
    twin = twins(registry)
    shared = contested(registry)
    data, label = read_file(raw / "services")
    lines: dict[Where, list[tuple[str, ...]]] = {}
    for entry in parse_services(data, label):
        lines.setdefault((entry.port, entry.protocol), []).append((entry.name, *entry.aliases))
    data, label = read_file(raw / "nmap-services")
    nmap = {(e.port, e.protocol): e.name for e in parse_nmap(data, label)}
    counts = {"services": [0, 0], "nmap": [0, 0], "nmap any": [0, 0]}
    wrong: list[str] = []
    for where, services in sorted(shared.items(), key=lambda item: (item[0][0], item[0][1])):
        name = registry.name(*where) or ""
        held = [n for line in lines.get(where, ()) for n in line]
        if any(same(n, s, twin) for n in held for s in services):
            ok = any(same(name, n, twin) for n in held)
            counts["services"][0] += ok
            counts["services"][1] += 1
            if not ok:
                wrong.append(f"{where[0]}/{where[1].value}: {name}, the services file {held}")
        scanned = nmap.get(where)
        if scanned is None:
            continue
        ok = same(name, scanned, twin)
        counts["nmap any"][0] += ok
        counts["nmap any"][1] += 1
        if any(same(scanned, s, twin) for s in services):
            counts["nmap"][0] += ok
            counts["nmap"][1] += 1
            if not ok:
                wrong.append(f"{where[0]}/{where[1].value}: {name}, Nmap {scanned}")
    print(f"ports and protocols with two or more IANA services: {len(shared)}")
    for key, text in (
        ("services", "a services-file line holds one of them: name() is a name it holds"),
        ("nmap", "Nmap's name there is an IANA name: name() is it"),
        ("nmap any", "Nmap names the port at all: name() is Nmap's name"),
    ):
        agreed, total = counts[key]
        share = 100 * agreed / total if total else 100.0
        print(f"  {text}: {agreed}/{total} ({share:.1f}%)")
    for port, expected in EXAMPLES:
        found = [registry.name(port, p) for p in (None, Protocol.TCP, Protocol.UDP)]
        print(f"  name({port}) = {found[0]} (tcp {found[1]}, udp {found[2]}; wanted {expected})")
    return wrong


def coverage(raw: Path, registry: portinfo.Registry) -> list[str]:
    """The coverage figures of the most-met ports, printed; the ports not covered, returned."""
    data, label = read_file(raw / "nmap-services")
    entries = parse_nmap(data, label)
    missing: list[str] = []
    for protocol in Protocol:
        ranked = sorted(
            (e for e in entries if e.protocol is protocol), key=lambda e: (-e.frequency, e.port)
        )[:TOP]
        if not ranked:
            continue
        named = 0
        for entry in ranked:
            info = registry.lookup(entry.port, protocol)
            known = any(is_primary(a) for a in info.assignments) or any(
                use.listens_on(entry.port) for use in info.uses
            )
            named += known
            if not known:
                missing.append(info.summary)
        print(
            f"  {protocol.value}: {named}/{len(ranked)} of the most-met ports name an IANA"
            " service or an observed use"
        )
    return missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the folder of the raw upstream files")
    args = parser.parse_args()
    registry = portinfo.default_registry()
    wrong = agreement(args.data, registry)
    print(f"of the {TOP} ports per protocol that Nmap finds open most often:")
    missing = coverage(args.data, registry)
    print(f"disagreements ({len(wrong)}):")
    for line in wrong:
        print(f"  {line}")
    print(f"most-met ports with no IANA service and no observed use ({len(missing)}):")
    for line in missing:
        print(f"  {line}")


if __name__ == "__main__":
    main()
