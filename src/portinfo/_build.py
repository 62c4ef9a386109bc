"""Compiling the data: from parsed upstream sources to the files of the packaged format.

The generator (``tools/generate.py``) writes what :func:`compile_files` returns into
``src/portinfo/data/``; :meth:`portinfo.Registry.from_files` keeps it in memory. Both call
the same function, so a user's own files are compiled exactly as the packaged ones were.

Here too is where the aliases are derived: IANA's own alias rows, a services file's
primary names (where they differ from IANA's) and alias column, Nmap's names (where they
differ from IANA's, or IANA has none), and the names of the curated observed uses. Each
alias is tied to the IANA service on its port and protocol, where there is one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence

from portinfo._enums import Protocol, Source, Status
from portinfo._format import (
    FORMAT_VERSION,
    SOURCE_ORDER,
    alias_row,
    assignment_row,
    encode_table,
    use_row,
)
from portinfo._iana import IanaRegistry
from portinfo._nmap import UNKNOWN, NmapEntry
from portinfo._records import Alias, Assignment, Use
from portinfo._services import ServicesEntry

__all__ = [
    "AliasIndex",
    "compile_files",
    "iana_aliases",
    "nmap_aliases",
    "services_aliases",
    "source_info",
    "use_aliases",
]

_PROTOCOL_ORDER = {p: n for n, p in enumerate(Protocol)}
_SOURCE_RANK = {s: n for n, s in enumerate(SOURCE_ORDER)}


class AliasIndex:
    """The IANA names on each port and protocol, for deciding what is an alias of what."""

    def __init__(self, assignments: Iterable[Assignment]) -> None:
        self._names: dict[tuple[int, Protocol], set[str]] = {}
        self._primary: dict[tuple[int, Protocol], str] = {}
        for a in assignments:
            if not a.service:
                continue
            protocols = list(Protocol) if a.protocol is None else [a.protocol]
            for port in a.ports:
                for protocol in protocols:
                    self._names.setdefault((port, protocol), set()).add(a.service.lower())
                    if a.alias_of is None and a.status is Status.ASSIGNED:
                        self._primary.setdefault((port, protocol), a.service)

    def is_iana_name(self, name: str, port: int, protocol: Protocol) -> bool:
        """Whether IANA has a record called ``name`` on ``port`` and ``protocol``."""
        return name.lower() in self._names.get((port, protocol), ())

    def primary(self, port: int | None, protocol: Protocol | None) -> str | None:
        """The first IANA service (not an alias row) on ``port`` and ``protocol``."""
        if port is None:
            return None
        for candidate in [protocol] if protocol is not None else list(Protocol):
            found = self._primary.get((port, candidate))
            if found is not None:
                return found
        return None


def iana_aliases(assignments: Iterable[Assignment]) -> list[Alias]:
    """IANA's own alias rows (``This entry is an alias to "sql-net"``, duplicates of http)."""
    found: list[Alias] = []
    for a in assignments:
        if a.service is None or a.alias_of is None:
            continue
        ports: Iterable[int | None] = a.ports if a.first is not None else [None]
        found.extend(Alias(a.service, Source.IANA, a.protocol, port, a.alias_of) for port in ports)
    return found


def services_aliases(entries: Iterable[ServicesEntry], index: AliasIndex) -> list[Alias]:
    """A services file's primary names that differ from IANA's, and its whole alias column."""
    found: list[Alias] = []
    for entry in entries:
        target = index.primary(entry.port, entry.protocol)
        if not index.is_iana_name(entry.name, entry.port, entry.protocol):
            found.append(Alias(entry.name, Source.SERVICES, entry.protocol, entry.port, target))
        found.extend(
            Alias(name, Source.SERVICES, entry.protocol, entry.port, target)
            for name in entry.aliases
        )
    return found


def nmap_aliases(entries: Iterable[NmapEntry | Alias], index: AliasIndex) -> list[Alias]:
    """Nmap's names where they differ from IANA's on the same port and protocol."""
    found: list[Alias] = []
    for entry in entries:
        if entry.port is None or entry.protocol is None or entry.name.lower() == UNKNOWN:
            continue
        if not index.is_iana_name(entry.name, entry.port, entry.protocol):
            target = index.primary(entry.port, entry.protocol)
            found.append(Alias(entry.name, Source.NMAP, entry.protocol, entry.port, target))
    return found


def use_aliases(uses: Iterable[Use]) -> list[Alias]:
    """The names of the observed uses, on each of their ports and protocols."""
    return [
        Alias(use.name, Source.OBSERVED, protocol, port, None)
        for use in uses
        for first, last in use.ports
        for port in range(first, last + 1)
        for protocol in use.protocols
    ]


def _alias_key(alias: Alias) -> tuple[int, int, int, str, str]:
    return (
        -1 if alias.port is None else alias.port,
        -1 if alias.protocol is None else _PROTOCOL_ORDER[alias.protocol],
        _SOURCE_RANK[alias.source],
        alias.name.lower(),
        alias.name,
    )


def source_info(
    name: str, path: str, data: bytes, date: str | None, records: int
) -> dict[str, object]:
    """The manifest's entry for one input: its name, file, checksum, date and count."""
    return {
        "name": name,
        "file": os.path.basename(path),
        "sha256": hashlib.sha256(data).hexdigest(),
        "date": date,
        "records": records,
    }


def _json(header: Mapping[str, object], body: Mapping[str, object]) -> bytes:
    """Indented JSON whose first line holds the header, so that it says what made the file."""
    rest = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True)
    first = json.dumps({"_header": header}, sort_keys=True)[:-1]
    return f"{first},{rest[1:]}\n".encode()


def compile_files(
    iana: IanaRegistry,
    aliases: Sequence[Alias],
    uses: Sequence[Use],
    sources: Sequence[Mapping[str, object]],
    generated_by: str,
) -> dict[str, bytes]:
    """The bytes of every data file (see :data:`DATA_FILES`), deterministically.

    ``sources`` describes each input (name, file, sha256, date, records) for the manifest.
    """
    header = {
        "generated_by": generated_by,
        "inputs": {str(s["name"]): f"{s['file']} sha256:{s['sha256']}" for s in sources},
        "note": "Generated data: do not edit by hand; regenerate with tools/generate.py.",
        "format": FORMAT_VERSION,
    }
    ordered_aliases = sorted(set(aliases), key=_alias_key)
    ordered_uses = sorted(uses, key=lambda u: (u.ports[0], u.name) if u.ports else (-1, u.name))
    files: dict[str, bytes] = {}
    for name, rows in (
        ("iana", [assignment_row(a) for a in iana.assignments]),
        ("aliases", [alias_row(a) for a in ordered_aliases]),
        ("uses", [use_row(u) for u in ordered_uses]),
    ):
        files[f"{name}.jsonl"], files[f"{name}.idx"] = encode_table(rows, header)
    people = {
        pid: [person.name, person.organization] for pid, person in sorted(iana.people.items())
    }
    files["people.json"] = _json(
        header, {"people": people, "footnotes": dict(sorted(iana.footnotes.items()))}
    )
    files["manifest.json"] = _json(
        header,
        {
            "format": FORMAT_VERSION,
            "generated_by": generated_by,
            "sources": [dict(s) for s in sources],
            "counts": {
                "iana_records": len(iana.assignments),
                "aliases": len(ordered_aliases),
                "uses": len(ordered_uses),
                "people": len(people),
            },
        },
    )
    return files
