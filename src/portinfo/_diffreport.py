"""A diff of two registries' data, written out: text, Markdown, or JSON with a schema.

:func:`render_diff` writes a :class:`~portinfo.Diff` in three forms: text for a terminal
(80 columns), Markdown that a changelog or a release note can hold as it is (what
``tools/refresh.py`` writes into CHANGELOG.md), and JSON in the shape of
:data:`portinfo.schemas.DIFF_SCHEMA` (with a ``schema_version``). Each starts with the
warning where the new data are older than what they would replace. Every text that comes
from a data file goes through the escape of its form (:mod:`portinfo._escape`).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from portinfo._diff import Diff, PortChange, RecordChange
from portinfo._enums import ReferenceKind
from portinfo._escape import json_text, markdown, terminal
from portinfo._records import Alias, Assignment, Person, Reference
from portinfo._validate import show
from portinfo.exceptions import InvalidArgumentError
from portinfo.schemas import DIFF_SCHEMA_VERSION

if TYPE_CHECKING:
    from portinfo._manifest import SourceInfo

__all__ = ["FORMATS", "diff_data", "markdown_diff", "render_diff"]

Format = Literal["text", "markdown", "json"]
FORMATS = ("text", "markdown", "json")
WIDTH = 80

"""The JSON Schema (draft 2020-12) of :func:`diff_data`, the JSON form of a diff."""


def diff_data(diff: Diff) -> dict[str, Any]:
    """The diff as plain data, in the shape of :data:`portinfo.schemas.DIFF_SCHEMA`: the warning (or
    ``None``) first, whether the new data are older and whether nothing differs, then
    every field of :class:`~portinfo.Diff`."""
    return {
        "schema_version": DIFF_SCHEMA_VERSION,
        "warning": diff.warning,
        "older": diff.older,
        "empty": diff.empty,
        **diff.as_dict(),
    }


# --- the words -------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _where(record: Assignment) -> str:
    """``4480/tcp``, ``6000-6063``, or ``no port, tcp``: where a record is."""
    protocol = record.protocol.value if record.protocol else None
    if record.first is None:
        return f"no port, {protocol}" if protocol else "no port"
    ports = str(record.first) if record.first == record.last else f"{record.first}-{record.last}"
    return f"{ports}/{protocol}" if protocol else ports


def _record(record: Assignment) -> tuple[str, str]:
    """A record as a heading and its description (each one line, unescaped; no description
    where it only repeats the status, as on IANA's Unassigned rows)."""
    name = record.service or record.status.value
    description = _one_line(record.description)
    return f"{_where(record)} {name}", "" if description.lower() == name else description


def _reference(reference: Reference) -> str:
    shown = _one_line(str(reference))
    if reference.kind is ReferenceKind.URI and reference.url != shown:
        return f"{shown} <{reference.url}>"
    return shown


def _value(value: object) -> str:
    """A field's value on one line, as IANA shows it; ``(none)`` where it has none."""
    if value is None or value in ((), ""):
        return "(none)"
    if isinstance(value, tuple):
        if all(isinstance(item, Person) for item in value):
            return ", ".join(_one_line(str(item)) for item in value)
        return "; ".join(_reference(item) for item in value)
    if isinstance(value, Enum):
        return str(value.value)
    return _one_line(str(value))


def _source(label: str, source: SourceInfo, newest: str | None) -> str:
    dated = f"dated {source.date}" if source.date else "undated"
    newest_text = f"newest record {newest}" if newest else "no dated record"
    return f"{label}: {source.file}, {source.records} records, {dated}, {newest_text}"


def _summary(diff: Diff) -> str:
    if diff.empty:
        return "No record, port status or name differs."
    added, spans = len(diff.added), len(diff.statuses)
    return (
        f"{added} record{'s' * (added != 1)} added, {len(diff.removed)} removed,"
        f" {len(diff.changed)} changed, {len(diff.renamed)} renamed;"
        f" {spans} span{'s' * (spans != 1)} of ports changed status;"
        f" {len(diff.names_gained)} other names gained, {len(diff.names_lost)} lost."
    )


_STATUS_WORDS = {
    "assigned": "newly assigned (was {old})",
    "de-assigned": "de-assigned (now {new})",
    "reserved": "reserved (was {old})",
    "released": "no longer reserved (now {new})",
}


def _status(change: PortChange) -> str:
    ports = change.first if change.first == change.last else f"{change.first}-{change.last}"
    words = _STATUS_WORDS[change.kind].format(old=change.old.value, new=change.new.value)
    return f"{ports}/{change.protocol.value}: {words}"


def _name(alias: Alias) -> str:
    where = "no port" if alias.port is None else str(alias.port)
    if alias.protocol is not None:
        where += f"/{alias.protocol.value}"
    tie = f", for {alias.service}" if alias.service else ""
    return f"{alias.name} ({alias.source.value}, {where}{tie})"


def _sections(diff: Diff) -> Iterable[tuple[str, list[Any], str]]:
    """Each part of the diff that is not empty: its title, items and kind."""
    parts = (
        ("Records removed", list(diff.removed), "record"),
        ("Records added", list(diff.added), "record"),
        ("Records changed", list(diff.changed), "change"),
        ("Services renamed", list(diff.renamed), "change"),
        ("Ports whose status changed", list(diff.statuses), "status"),
        ("Names lost", list(diff.names_lost), "name"),
        ("Names gained", list(diff.names_gained), "name"),
    )
    return ((f"{title} ({len(items)})", items, kind) for title, items, kind in parts if items)


# --- text ------------------------------------------------------------------------------------


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH - 1,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [first.rstrip()]


def _text_change(change: RecordChange) -> list[str]:
    heading, _ = _record(change.old)
    if change.new.service != change.old.service:
        heading += f" -> {change.new.service}"
    lines = [f"  {terminal(heading)}"]
    for field in change.fields:
        if field == "service":
            continue
        old, new = (terminal(_value(getattr(r, field))) for r in (change.old, change.new))
        lines += _wrap(old, f"    {field}: - ", "      ")
        lines += _wrap(new, f"    {' ' * len(field)}  + ", "      ")
    return lines


def _text(diff: Diff) -> str:
    lines: list[str] = []
    if diff.warning:
        lines += [*_wrap(f"Warning: {terminal(diff.warning)}.", "", "  "), ""]
    lines += [
        *_wrap(terminal(_source("Old", diff.old, diff.old_newest_record)), "", "  "),
        *_wrap(terminal(_source("New", diff.new, diff.new_newest_record)), "", "  "),
        "",
        *_wrap(_summary(diff), "", ""),
    ]
    render: dict[str, Callable[[Any], list[str]]] = {
        "record": lambda r: _wrap(terminal(": ".join(filter(None, _record(r)))), "  ", "      "),
        "change": _text_change,
        "status": lambda c: [f"  {_status(c)}"],
        "name": lambda a: _wrap(terminal(_name(a)), "  ", "    "),
    }
    for title, items, kind in _sections(diff):
        lines += ["", f"{title}:"]
        for item in items:
            lines += render[kind](item)
    return "\n".join(lines) + "\n"


# --- Markdown --------------------------------------------------------------------------------


def _markdown_change(change: RecordChange) -> list[str]:
    heading, _ = _record(change.old)
    if change.new.service != change.old.service:
        heading += f" → {change.new.service}"
    lines = [f"- **{markdown(heading)}**"]
    for field in change.fields:
        if field != "service":
            old, new = (markdown(_value(getattr(r, field))) for r in (change.old, change.new))
            lines.append(f"  - {field}: {old} → {new}")
    return lines


def _markdown_record(record: Assignment) -> str:
    heading, description = _record(record)
    return f"- **{markdown(heading)}**" + (f": {markdown(description)}" if description else "")


def markdown_diff(diff: Diff, level: int = 2) -> str:
    """The diff in Markdown, its sections headed at ``level`` (``4`` inside a changelog's
    ``### Data``)."""
    hashes = "#" * level
    lines: list[str] = []
    if diff.warning:
        lines += [f"**Warning:** {markdown(diff.warning)}.", ""]
    lines += ["| | file | date | newest record | records |", "| --- | --- | --- | --- | --- |"]
    for label, source, newest in (
        ("old", diff.old, diff.old_newest_record),
        ("new", diff.new, diff.new_newest_record),
    ):
        cells = (source.file, source.date or "undated", newest or "none")
        lines.append(f"| {label} | {' | '.join(map(markdown, cells))} | {source.records} |")
    lines += ["", _summary(diff)]
    render: dict[str, Callable[[Any], list[str]]] = {
        "record": lambda r: [_markdown_record(r)],
        "change": _markdown_change,
        "status": lambda c: [f"- {markdown(_status(c))}"],
        "name": lambda a: [f"- {markdown(_name(a))}"],
    }
    for title, items, kind in _sections(diff):
        lines += ["", f"{hashes} {title}", ""]
        for item in items:
            lines += render[kind](item)
    return "\n".join(lines) + "\n"


def render_diff(diff: Diff, *, format: Format = "text") -> str:
    """``diff`` (what :meth:`Registry.diff <portinfo.Registry.diff>` gives) as a page.

    ``format`` is ``"text"`` (80 columns), ``"markdown"`` or ``"json"`` (in the shape of
    the JSON Schema ``portinfo.schemas.DIFF_SCHEMA``). Each starts with the warning
    where the new data are older than what they would replace; text from the data files
    is escaped for the form. A format other than the three raises
    :class:`~portinfo.InvalidArgumentError`, a ``diff`` that is not a
    :class:`~portinfo.Diff` ``TypeError``.
    """
    if not isinstance(diff, Diff):
        raise TypeError(f"render_diff() writes a Diff, got {type(diff).__name__}")
    if not isinstance(format, str) or format not in FORMATS:
        raise InvalidArgumentError(
            f"format must be one of {', '.join(map(repr, FORMATS))}, got {show(format)}"
        )
    if format == "json":
        return json_text(json.dumps(diff_data(diff), indent=2, ensure_ascii=False)) + "\n"
    return markdown_diff(diff) if format == "markdown" else _text(diff)
