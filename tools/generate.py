"""Generate portinfo's packaged data from the raw upstream files.

    python tools/generate.py ../shared/data            # write src/portinfo/data/
    python tools/generate.py ../shared/data --check    # exit 1 if the committed data differ

Reads, from the directory given: IANA's ``service-names-port-numbers.xml``, Debian's
``services`` and Nmap's ``nmap-services`` (either of the last two may be absent); and, from
this repository, ``sources/observed-uses.toml``, the curated observed uses. Parses each
with the package's own parser and compiles them with ``portinfo._compile.compile_tables``,
the function ``Registry.from_files`` uses too, then writes the files of the packaged format.
The output depends only on those inputs and this code: never on the clock or on the
interpreter's tables, so the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9 and 3.10 only
    import tomli as tomllib

from portinfo._compile import Inputs, NameFact, Term, compile_tables, source_info
from portinfo._enums import Protocol
from portinfo._files import read_file
from portinfo._iana import parse_iana
from portinfo._nmap import parse_nmap
from portinfo._records import Use, is_registry_date
from portinfo._services import ServicesEntry, parse_services
from portinfo._store import DATA_FILES
from portinfo.exceptions import DataFormatError

REPOSITORY = Path(__file__).resolve().parent.parent
OUTPUT = REPOSITORY / "src" / "portinfo" / "data"
OBSERVED = REPOSITORY / "sources" / "observed-uses.toml"
UPSTREAM = REPOSITORY / "sources" / "upstream.toml"
IANA_FILE = "service-names-port-numbers.xml"
SERVICES_FILE = "services"
NMAP_FILE = "nmap-services"
GENERATED_BY = "tools/generate.py"

CATEGORIES = frozenset(
    {
        "development", "database", "messaging", "container", "cluster", "monitoring", "web",
        "remote-access", "file-sharing", "game", "media", "iot", "industrial", "security",
        "malware", "other",
    }
)  # fmt: skip
_USE_KEYS = frozenset({"name", "title", "ports", "protocols", "category", "description", "source"})
_OPTIONAL_USE_KEYS = frozenset({"ranges", "terms", "common"})
_NAME = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_SPAN = re.compile(r"\A(\d{1,5})-(\d{1,5})\Z")


def _span(value: object, where: str) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        first = last = value
    elif isinstance(value, str) and _SPAN.match(value):
        first, last = (int(part) for part in value.split("-"))
    else:
        raise DataFormatError(f"{where}: a port must be an int or 'first-last', got {value!r}")
    if not 0 <= first <= last <= 65535:
        raise DataFormatError(f"{where}: port range {value!r} is not within 0-65535")
    return first, last


def _is_term(term: object) -> bool:
    """A search term: lower-case printable ASCII, single-spaced, not blank."""
    return (
        isinstance(term, str)
        and term.isascii()
        and term.isprintable()
        and term == term.lower()
        and term == " ".join(term.split())
        and bool(term)
    )


def load_observed(path: Path) -> tuple[list[Use], str | None, list[Term]]:
    """Read and check the curated observed uses, the date the list names, and the terms
    people use for IANA's services (its ``[terms]`` table)."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DataFormatError(f"{path}: {error}") from None
    uses: list[Use] = []
    names: set[str] = set()
    for number, entry in enumerate(document.get("use", []), 1):
        where = f"{path}: use {number} ({entry.get('name')!r})"
        if not _USE_KEYS <= set(entry) <= _USE_KEYS | _OPTIONAL_USE_KEYS:
            raise DataFormatError(
                f"{where}: keys must be {sorted(_USE_KEYS)}, and may be"
                f" {sorted(_OPTIONAL_USE_KEYS)}; got {sorted(entry)}"
            )
        name = entry["name"]
        if not (isinstance(name, str) and _NAME.match(name)) or name in names:
            raise DataFormatError(f"{where}: name must be unique lower-case words joined by '-'")
        names.add(name)
        if entry["category"] not in CATEGORIES:
            raise DataFormatError(f"{where}: unknown category {entry['category']!r}")
        source = entry["source"]
        if not (isinstance(source, str) and source.startswith(("https://", "http://"))):
            raise DataFormatError(f"{where}: source must be an http(s) URL, got {source!r}")
        description = entry["description"]
        if not (isinstance(description, str) and description.strip()) or "\n" in description:
            raise DataFormatError(f"{where}: description must be one non-empty line")
        try:
            protocols = tuple(Protocol(p) for p in entry["protocols"])
        except ValueError as error:
            raise DataFormatError(f"{where}: {error}") from None
        if not protocols:
            raise DataFormatError(f"{where}: protocols must not be empty")
        ports = tuple(sorted({_span(p, where) for p in entry["ports"]}))
        ranges = tuple(sorted({_span(p, where) for p in entry.get("ranges", [])}))
        if not (ports or ranges):
            raise DataFormatError(f"{where}: ports and ranges must not both be empty")
        terms = entry.get("terms", [])
        if not all(_is_term(t) for t in terms):
            raise DataFormatError(f"{where}: terms must be lower-case ASCII words, got {terms!r}")
        common = entry.get("common", False)
        if not isinstance(common, bool):
            raise DataFormatError(f"{where}: common must be true or false, got {common!r}")
        uses.append(
            Use(
                name,
                entry["title"],
                ports,
                protocols,
                entry["category"],
                description,
                source,
                ranges,
                tuple(terms),
                common,
            )
        )
    if not uses:
        raise DataFormatError(f"{path}: no [[use]] entries")
    updated = document.get("updated")
    if updated is not None and not (isinstance(updated, str) and is_registry_date(updated)):
        raise DataFormatError(f"{path}: updated must be a date, YYYY-MM-DD, got {updated!r}")
    service_terms: list[Term] = []
    for service, words in sorted(document.get("terms", {}).items()):
        if not (isinstance(words, list) and words and all(_is_term(w) for w in words)):
            raise DataFormatError(f"{path}: [terms] {service}: lower-case words, got {words!r}")
        service_terms += [Term(word, service) for word in words]
    return uses, updated, service_terms


def upstream_date(name: str, data: bytes, upstream: Path = UPSTREAM) -> str | None:
    """The date ``sources/upstream.toml`` gives the file ``name`` with exactly these bytes."""
    entry = tomllib.loads(upstream.read_text(encoding="utf-8")).get(name, {})
    if entry.get("sha256") != hashlib.sha256(data).hexdigest():
        if entry:
            print(f"generate: {name}: not the file {upstream.name} dates: undated", file=sys.stderr)
        return None
    date = entry.get("date")
    if not (isinstance(date, str) and is_registry_date(date)):
        raise DataFormatError(f"{upstream}: [{name}] date must be YYYY-MM-DD, got {date!r}")
    return date


def generate(raw: Path, observed: Path = OBSERVED) -> dict[str, bytes]:
    """The bytes of every packaged data file, from the raw files in ``raw``."""
    return generate_from(
        raw / IANA_FILE,
        raw / SERVICES_FILE if (raw / SERVICES_FILE).exists() else None,
        raw / NMAP_FILE if (raw / NMAP_FILE).exists() else None,
        observed,
    )


def generate_from(
    iana_path: Path, services_path: Path | None, nmap_path: Path | None, observed: Path
) -> dict[str, bytes]:
    """The bytes of every data file, from these files (services and nmap optional)."""
    iana_data, label = read_file(iana_path)
    iana = parse_iana(iana_data, label)
    sources = [source_info("iana", str(iana_path), iana_data, iana.updated, len(iana.assignments))]
    services: tuple[ServicesEntry, ...] = ()
    if services_path is not None:
        data, label = read_file(services_path)
        services = parse_services(data, label)
        date = upstream_date("services", data)
        sources.append(source_info("services", str(services_path), data, date, len(services)))
    nmap: tuple[NameFact, ...] = ()
    if nmap_path is not None:
        data, label = read_file(nmap_path)
        entries = parse_nmap(data, label)
        nmap = tuple(NameFact(e.name, e.port, e.protocol) for e in entries)
        date = upstream_date("nmap", data)
        sources.append(source_info("nmap", str(nmap_path), data, date, len(entries)))
    uses, updated, terms = load_observed(observed)
    sources.append(
        source_info("observed", str(observed), observed.read_bytes(), updated, len(uses))
    )
    inputs = Inputs(iana, services, nmap, tuple(uses), tuple(terms))
    return compile_tables(inputs, sources, GENERATED_BY)


def differences(generated: Mapping[str, bytes], directory: Path) -> list[str]:
    """The names of the files in ``directory`` that differ from ``generated``."""
    return [
        name
        for name in DATA_FILES
        if not (directory / name).is_file() or (directory / name).read_bytes() != generated[name]
    ]


def main(argv: list[str] | None = None) -> int:
    """Write (or, with --check, compare) the packaged data."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw", type=Path, help="directory holding the raw upstream files")
    parser.add_argument(
        "--out", type=Path, default=OUTPUT, help="where to write (default: %(default)s)"
    )
    parser.add_argument("--observed", type=Path, default=OBSERVED, help="curated observed uses")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    arguments = parser.parse_args(argv)
    try:
        generated = generate(arguments.raw, arguments.observed)
    except (OSError, DataFormatError) as error:
        print(f"generate: {error}", file=sys.stderr)
        return 2
    if arguments.check:
        stale = differences(generated, arguments.out)
        for name in stale:
            print(
                f"generate: {arguments.out / name} differs from what the inputs give",
                file=sys.stderr,
            )
        return 1 if stale else 0
    arguments.out.mkdir(parents=True, exist_ok=True)
    for name in DATA_FILES:
        (arguments.out / name).write_bytes(generated[name])
    counts = json.loads(generated["manifest.json"])["counts"]
    print(f"generate: wrote {len(DATA_FILES)} files to {arguments.out}")
    print(
        f"generate: {counts['untied_names']} names stand for none of the several IANA services"
        " on their port and protocol; resolve_all() gives every one of them"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
