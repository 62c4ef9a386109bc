"""Refresh portinfo's packaged data from newer upstream files, checked, with its change report.

    python tools/refresh.py path/to/raw-files       # check, regenerate, write the report

Reads the raw directory as ``tools/generate.py`` does (IANA's
``service-names-port-numbers.xml``, and ``services`` and ``nmap-services`` where present),
compiles it with generate.py's own function, and checks the result against the data
shipped now (``src/portinfo/data``):

- the new files parse (a file out of its format is named, with its line or record);
- each input's record count is within :data:`BOUND` (10 %) of the shipped one's: IANA's
  registry grows by well under 1 % a year, and Debian's and Nmap's files change by a few
  percent between releases, so a larger jump is a truncated or wrong file;
- the new IANA registry is not older than the shipped one (the dates of their newest
  records, as :meth:`portinfo.Registry.diff` compares them);
- nothing disappears without IANA marking it: a named record that the new registry lacks
  must have been de-assigned, which IANA writes as a record with no name (Reserved or
  Unassigned, with a note such as "De-assigned on ...") on each of its ports and
  protocols; a service renamed on the same ports is no removal.

Only when every check passes does it write the new data (into a directory beside the
shipped one, swapped in whole) and the change report, the diff in Markdown, at the top of
CHANGELOG.md's ``### Data`` section under ``## [Unreleased]``. A failed check writes
nothing: the shipped data and the changelog stay as they were. Exit status: 0 refreshed
(or already up to date), 1 a check failed, 2 the changelog has no place for the report.
Update ``sources/upstream.toml`` first for a new services or nmap-services file, so that
it is dated (generate.py says "undated" otherwise).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from generate import OBSERVED, OUTPUT, REPOSITORY, generate
from portinfo import Diff, Registry
from portinfo._data import Data
from portinfo._diffreport import markdown_diff
from portinfo._manifest import dated
from portinfo._store import DATA_FILES
from portinfo.exceptions import DataFormatError

CHANGELOG = REPOSITORY / "CHANGELOG.md"
BOUND = 0.10
"""How far (as a fraction of the shipped count) an input's record count may move."""
DATA_HEADING = "### Data"
UNRELEASED = "## [Unreleased]"


class RefreshError(Exception):
    """A check that failed (status 1), or a changelog with no place for the report (2):
    nothing written."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def registry_of(files: Mapping[str, bytes], where: str) -> Registry:
    """A registry of compiled data files (checked against their manifest)."""
    data = Data(files, where)
    return Registry(lambda: data)


def shipped_files(directory: Path) -> dict[str, bytes]:
    """The data files in ``directory``."""
    return {name: (directory / name).read_bytes() for name in DATA_FILES}


def count_problems(old: Registry, new: Registry) -> Iterator[str]:
    """Each input whose record count moved by more than :data:`BOUND`."""
    shipped = {source.name: source.records for source in old.data_info().sources}
    for source in new.data_info().sources:
        before = shipped.get(source.name)
        if before and abs(source.records - before) > BOUND * before:
            yield (
                f"{source.name}: {source.records} records against {before} shipped, more than"
                f" {BOUND:.0%} apart: a truncated or wrong file?"
            )


def unmarked_removals(found: Diff, new: Registry) -> Iterator[str]:
    """Each named record the new registry lacks without a nameless record of IANA's
    (Reserved, Unassigned) on every one of its ports and protocols."""
    for record in found.removed:
        if record.service is None:
            continue  # a range of Reserved or Unassigned ports, cut afresh
        if record.first is None or record.last is None:
            yield f"{record.service} (no port): gone, and IANA has no record of it"
            continue
        for port in range(record.first, record.last + 1):
            info = new.lookup(port, record.protocol)
            if not any(a.service is None for a in info.assignments):
                where = f"{port}/{record.protocol.value}" if record.protocol else str(port)
                yield f"{record.service} on {where}: gone, and IANA did not mark it de-assigned"
                break


def problems(old: Registry, new: Registry, found: Diff) -> list[str]:
    """Every check that fails, in words; none when the new data may be shipped."""
    failed = list(count_problems(old, new))
    if found.older:
        failed.append(f"older data: {found.warning}")
    return failed + list(unmarked_removals(found, new))


def report(found: Diff) -> str:
    """The changelog's entry: a heading, then the diff in Markdown."""
    new = dated("IANA registry", found.new.date, found.new_newest_record)
    old = dated("the IANA registry", found.old.date, found.old_newest_record)
    return f"#### Refreshed: {new} (was {old})\n\n{markdown_diff(found, level=5)}"


def with_report(changelog: str, entry: str) -> str:
    """``changelog`` with ``entry`` at the top of the ``### Data`` section of its
    ``## [Unreleased]`` section; :class:`RefreshError` if it has none."""
    start = changelog.find(f"\n{UNRELEASED}\n")
    end = changelog.find("\n## ", start + 1) if start >= 0 else -1
    end = len(changelog) if end < 0 else end
    heading = changelog.find(f"\n{DATA_HEADING}\n", start, end) if start >= 0 else -1
    if heading < 0:
        raise RefreshError(f"no '{DATA_HEADING}' section under '{UNRELEASED}' in it", 2)
    at = heading + len(DATA_HEADING) + 2
    return f"{changelog[:at]}\n{entry}{changelog[at:]}"


def write_data(files: Mapping[str, bytes], directory: Path) -> None:
    """Write ``files`` into a directory beside ``directory``, then swap it in whole."""
    new = Path(tempfile.mkdtemp(prefix=f".{directory.name}.new-", dir=directory.parent))
    old = new.with_name(new.name.replace(".new-", ".old-"))
    for name, data in files.items():
        (new / name).write_bytes(data)
    new.chmod(directory.stat().st_mode & 0o7777)
    directory.rename(old)
    new.rename(directory)
    shutil.rmtree(old)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` into ``path`` through a file beside it, swapped in."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
    os.chmod(temporary, path.stat().st_mode & 0o7777)
    os.replace(temporary, path)


def refresh(raw: Path, out: Path, changelog: Path, observed: Path) -> str:
    """Check the files in ``raw`` and, if every check passes, write the data into ``out``
    and the report into ``changelog``; returns what was done. Raises
    :class:`RefreshError` (nothing written) where a check fails."""
    try:
        files = generate(raw, observed)
    except (OSError, DataFormatError) as error:
        raise RefreshError(f"the new files do not parse: {error}") from None
    shipped = shipped_files(out)
    if files == shipped:
        return f"{out} is already what {raw} gives: nothing to do"
    old, new = registry_of(shipped, str(out)), registry_of(files, str(raw))
    found = old.diff(new)
    failed = problems(old, new, found)
    if failed:
        raise RefreshError("\n".join(failed))
    text = with_report(changelog.read_text(encoding="utf-8"), report(found))
    write_data(files, out)
    write_text(changelog, text)
    return f"wrote {len(files)} files to {out} and the change report to {changelog}"


def main(argv: list[str] | None = None) -> int:
    """Refresh the data; see the module's docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw", type=Path, help="directory holding the new upstream files")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="the shipped data directory")
    parser.add_argument("--changelog", type=Path, default=CHANGELOG, help="CHANGELOG.md")
    parser.add_argument("--observed", type=Path, default=OBSERVED, help="curated observed uses")
    arguments = parser.parse_args(argv)
    try:
        done = refresh(arguments.raw, arguments.out, arguments.changelog, arguments.observed)
    except RefreshError as error:
        print(f"refresh: nothing written:\n{error}", file=sys.stderr)
        return error.status
    print(f"refresh: {done}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
