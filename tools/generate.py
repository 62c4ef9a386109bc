"""Generate portinfo's packaged data from the raw upstream files.

    python tools/generate.py ../shared/data            # write src/portinfo/data/
    python tools/generate.py ../shared/data --check    # exit 1 if the committed data differ

Reads, from the directory given: IANA's ``service-names-port-numbers.xml``, Debian's
``services`` and Nmap's ``nmap-services`` (either of the last two may be absent); and, from
this repository, ``sources/observed-uses.toml``, the curated observed uses. A thin command
line over ``portinfo._compile.compile_files``, the function ``Registry.from_files`` uses
too, which parses each file with the package's own parser and compiles them; this script
adds only the dates of the undated files (``sources/upstream.toml``) and the writing.
The output depends only on those inputs and this code: never on the clock or on the
interpreter's tables, so the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9 and 3.10 only
    import tomli as tomllib

from portinfo._compile import compile_files
from portinfo._records import is_registry_date
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
    files, _ = compile_files(
        iana=iana_path,
        services=services_path,
        nmap=nmap_path,
        uses=observed,
        base=None,
        generated_by=GENERATED_BY,
        date_of=upstream_date,
    )
    return files


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
        f"generate: {counts['untied_names']} names of the services file or Nmap on ports IANA"
        " names stand for no IANA service there (no source ties them): each is its own service"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
