"""What changed between the data of two registries: records, ports' status and names.

:func:`diff` compares a registry with a newer one (the packaged data with a refresh, or
with a user's newer IANA file) into a :class:`Diff`: IANA's records added, removed and
changed field by field, services renamed, ports whose status changed, other names gained
or lost, and the date of each side's newest record, so that data older than what they
would replace are told before anything else. How a diff is written is
:mod:`portinfo._diffreport`'s job.

Records are matched by service name (in any case), ports and protocol. Where several
records share those (IANA lists ``rdp`` twice with no port), they are matched in registry
order and the rest are added or removed: every record is kept. A named record left over
on one side and one on the other, on the same ports and protocol, are a rename. Fields are
compared as IANA means them, not as a format writes them: text with its white space
folded (IANA's XML keeps its line breaks, its CSV does not), people by their IANA id,
references by the label the registry shows and their address where both have one (the
CSV writes a labelled URI's label alone).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from portinfo._enums import Protocol, Status
from portinfo._iana import newest_record
from portinfo._manifest import SourceInfo
from portinfo._records import Alias, Assignment, Person, Record, Reference, public

if TYPE_CHECKING:
    from portinfo._registry import Registry
    from portinfo.dicts import DiffDict, PortChangeDict, RecordChangeDict

__all__ = ["Diff", "PortChange", "RecordChange", "compare", "diff", "differing"]

_Key = tuple[Any, ...]
_LEVEL = {Status.UNASSIGNED: 0, Status.RESERVED: 1, Status.ASSIGNED: 2}
_STATUS = (Status.UNASSIGNED, Status.RESERVED, Status.ASSIGNED)


@attrs.frozen
class RecordChange(Record):
    """An IANA record of both registries whose fields differ: both values, and which."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> RecordChangeDict: ...

    old: Assignment
    """The record as the older data have it."""
    new: Assignment
    """The record as the newer data have it."""
    fields: tuple[str, ...]
    """The names of the fields that differ, in the order of :class:`Assignment`'s fields
    (``("description", "modified")``); ``service`` is among them for a rename."""


@attrs.frozen
class PortChange(Record):
    """A span of ports on one protocol whose IANA status changed."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> PortChangeDict: ...

    first: int
    """The first port of the span."""
    last: int
    """The last port of the span (``first`` again for one port)."""
    protocol: Protocol
    """The protocol."""
    old: Status
    """The ports' status in the older data."""
    new: Status
    """Their status in the newer data."""

    @property
    def ports(self) -> tuple[tuple[int, int], ...]:
        """The span as every record's ``ports`` holds ports: ``((first, last),)``."""
        return ((self.first, self.last),)

    @property
    def kind(self) -> str:
        """``"assigned"`` (newly), ``"de-assigned"`` (to reserved or unassigned),
        ``"reserved"`` (from unassigned) or ``"released"`` (from reserved to unassigned)."""
        if self.new is Status.ASSIGNED:
            return "assigned"
        if self.old is Status.ASSIGNED:
            return "de-assigned"
        return "reserved" if self.new is Status.RESERVED else "released"


@attrs.frozen
class Diff(Record):
    """What changed from one registry's data (the older) to another's (the newer)."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> DiffDict: ...

    old: SourceInfo
    """The IANA input of the older data: file, date, checksum, count."""
    new: SourceInfo
    """The IANA input of the newer data."""
    old_newest_record: str | None
    """The latest registration or modification date among the older data's records."""
    new_newest_record: str | None
    """The same of the newer data's: :attr:`older` compares the two."""
    added: tuple[Assignment, ...]
    """The records only the newer data have, in their registry order."""
    removed: tuple[Assignment, ...]
    """The records only the older data have, in their registry order."""
    changed: tuple[RecordChange, ...]
    """The records both have (same name, ports and protocol) whose other fields differ."""
    renamed: tuple[RecordChange, ...]
    """Records whose service has another name on the same ports and protocol."""
    statuses: tuple[PortChange, ...]
    """The ports whose status changed (newly assigned, de-assigned, reserved, released),
    as spans, by protocol and then port."""
    names_gained: tuple[Alias, ...]
    """Other names (of every source) only the newer data have."""
    names_lost: tuple[Alias, ...]
    """Other names only the older data have."""

    @property
    def older(self) -> bool:
        """Whether the newer data's newest record is older than the older data's: the new
        file is in fact older than what it would replace."""
        old, new = self.old_newest_record, self.new_newest_record
        return old is not None and new is not None and new < old

    @property
    def warning(self) -> str | None:
        """The sentence that says so, where :attr:`older`; else ``None``."""
        if not self.older:
            return None
        return (
            f"{self.new.file} is older than the data it would replace: its newest record is"
            f" of {self.new_newest_record}, that of {self.old.file} of {self.old_newest_record}"
        )

    @property
    def empty(self) -> bool:
        """Whether no record, port status or name differs (the dates and files may)."""
        parts = (self.added, self.removed, self.changed, self.renamed, self.statuses)
        return not any(parts) and not self.names_gained and not self.names_lost


public(Diff, PortChange, RecordChange)


# --- comparing records ---------------------------------------------------------------------


def _text(value: str | None) -> str | None:
    return " ".join(value.split()) if value else value


def _ids(people: tuple[Person, ...]) -> tuple[str, ...]:
    return tuple(person.id for person in people)


def _same_references(old: tuple[Reference, ...], new: tuple[Reference, ...]) -> bool:
    return len(old) == len(new) and all(
        _text(str(a)) == _text(str(b)) and (a.url is None or b.url is None or a.url == b.url)
        for a, b in zip(old, new)
    )


def _equal(old: object, new: object) -> bool:
    return old == new


_SAME: dict[str, Callable[[Any, Any], bool]] = {
    field.name: _equal for field in attrs.fields(Assignment)
}
_SAME.update(
    {name: lambda a, b: _text(a) == _text(b) for name in ("description", "notes", "unauthorized")}
)
_SAME.update({name: lambda a, b: _ids(a) == _ids(b) for name in ("assignees", "contacts")})
_SAME["references"] = _same_references
# The service name is compared as it is: a change of case is a change (the name is shown).


def differing(old: Assignment, new: Assignment) -> tuple[str, ...]:
    """The names of the fields in which ``old`` and ``new`` differ, as IANA means them."""
    return tuple(
        name for name, same in _SAME.items() if not same(getattr(old, name), getattr(new, name))
    )


def _key(record: Assignment) -> _Key:
    service = record.service.lower() if record.service else None
    return (service, record.first, record.last, record.protocol)


def _by_key(numbers: Iterable[int], key: Callable[[int], _Key]) -> dict[_Key, list[int]]:
    grouped: dict[_Key, list[int]] = {}
    for number in numbers:
        grouped.setdefault(key(number), []).append(number)
    return grouped


def _pairs(old: Sequence[Assignment], new: Sequence[Assignment]) -> dict[int, int]:
    """The record of ``new`` that each record of ``old`` is (by position): the one with its
    name, ports and protocol. Where several share those, one the same in every field is
    taken first, then the rest in registry order."""
    waiting = _by_key(range(len(new)), lambda n: _key(new[n]))
    shared = Counter(_key(record) for record in old)
    pairs: dict[int, int] = {}
    for number, record in enumerate(old):  # the same record, wherever it is among them
        candidates = waiting.get(_key(record), [])
        if len(candidates) > 1 or (candidates and shared[_key(record)] > 1):
            same = next((n for n in candidates if not differing(record, new[n])), None)
            if same is not None:
                candidates.remove(same)
                pairs[number] = same
    for number, record in enumerate(old):  # the rest, in order
        left = waiting.get(_key(record))
        if number not in pairs and left:
            pairs[number] = left.pop(0)
    return pairs


def _match(
    old: Sequence[Assignment], new: Sequence[Assignment]
) -> tuple[list[Assignment], list[Assignment], list[RecordChange], list[RecordChange]]:
    """Added, removed, changed and renamed records, each in its side's registry order."""
    pairs = _pairs(old, new)
    removed = [n for n in range(len(old)) if n not in pairs]
    matched = set(pairs.values())
    added = [n for n in range(len(new)) if n not in matched]
    renames = _renames([old[n] for n in removed], [new[n] for n in added])
    renamed_old, renamed_new = {o for o, _ in renames}, {n for _, n in renames}
    return (
        [new[n] for i, n in enumerate(added) if i not in renamed_new],
        [old[n] for i, n in enumerate(removed) if i not in renamed_old],
        [
            RecordChange(old[o], new[n], f)
            for o, n in sorted(pairs.items())
            if (f := differing(old[o], new[n]))
        ],
        [
            RecordChange(old[removed[o]], new[added[n]], differing(old[removed[o]], new[added[n]]))
            for o, n in renames
        ],
    )


def _renames(removed: Sequence[Assignment], added: Sequence[Assignment]) -> list[tuple[int, int]]:
    """The named records left over on each side on the same ports and protocol, paired in
    order: positions in ``removed`` and in ``added``."""

    def where(record: Assignment) -> _Key:
        return (record.first, record.last, record.protocol)

    named = [n for n, record in enumerate(added) if record.service and record.first is not None]
    waiting = _by_key(named, lambda n: where(added[n]))
    renames = []
    for number, record in enumerate(removed):
        candidates = waiting.get(where(record)) if record.service else None
        if candidates:
            renames.append((number, candidates.pop(0)))
    return renames


# --- ports and names -----------------------------------------------------------------------


def _statuses(records: Iterable[Assignment]) -> dict[Protocol, bytearray]:
    """Each port's status on each protocol: assigned if a record assigns it, else reserved
    if one reserves it, else unassigned (as :meth:`portinfo.Registry.lookup` says)."""
    levels = {protocol: bytearray(65536) for protocol in Protocol}
    ordered = sorted((r for r in records if r.first is not None), key=lambda r: _LEVEL[r.status])
    for record in ordered:
        level = _LEVEL[record.status]
        if not level or record.first is None or record.last is None:
            continue
        for protocol in [record.protocol] if record.protocol else list(Protocol):
            levels[protocol][record.first : record.last + 1] = bytes([level]) * (
                record.last - record.first + 1
            )
    return levels


def _port_changes(old: Sequence[Assignment], new: Sequence[Assignment]) -> list[PortChange]:
    """The spans of ports whose status differs, by protocol and then port. A status can
    change only where some record's span begins or ends, so only those places are read."""
    before, after = _statuses(old), _statuses(new)
    cuts = {0, 65536}
    for record in (*old, *new):
        if record.first is not None and record.last is not None:
            cuts.update((record.first, record.last + 1))
    bounds = sorted(cuts)
    changes: list[PortChange] = []
    for protocol in Protocol:
        was, now = before[protocol], after[protocol]
        if was == now:
            continue
        for first, end in zip(bounds, bounds[1:]):
            pair = (was[first], now[first])
            if pair[0] == pair[1]:
                continue
            last = changes[-1] if changes else None
            if (
                last
                and last.protocol is protocol
                and last.last == first - 1
                and ((_LEVEL[last.old], _LEVEL[last.new]) == pair)
            ):
                changes[-1] = attrs.evolve(last, last=end - 1)
            else:
                status = (_STATUS[pair[0]], _STATUS[pair[1]])
                changes.append(PortChange(first, end - 1, protocol, *status))
    return changes


def _only_in(mine: Iterable[Alias], theirs: Iterable[Alias]) -> tuple[Alias, ...]:
    """The names of ``mine`` that ``theirs`` lacks, counted as a multiset, in order."""
    extra = Counter(mine) - Counter(theirs)
    kept = []
    for alias in mine:
        if extra[alias]:
            extra[alias] -= 1
            kept.append(alias)
    return tuple(kept)


def compare(
    old: tuple[SourceInfo, Sequence[Assignment], Sequence[Alias]],
    new: tuple[SourceInfo, Sequence[Assignment], Sequence[Alias]],
) -> Diff:
    """The :class:`Diff` from ``old`` to ``new``, each an IANA source with every record and
    every other name of its data."""
    (old_source, old_records, old_names), (new_source, new_records, new_names) = old, new
    added, removed, changed, renamed = _match(old_records, new_records)
    return Diff(
        old=old_source,
        new=new_source,
        old_newest_record=newest_record(old_records),
        new_newest_record=newest_record(new_records),
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
        renamed=tuple(renamed),
        statuses=tuple(_port_changes(old_records, new_records)),
        names_gained=_only_in(new_names, old_names),
        names_lost=_only_in(old_names, new_names),
    )


def diff(old: Registry, new: Registry) -> Diff:
    """What changed from ``old``'s data to ``new``'s (see :meth:`portinfo.Registry.diff`)."""
    if not isinstance(new, type(old)):  # a Registry (this module cannot import the facade)
        raise TypeError(f"diff() compares with a Registry, got {type(new).__name__}")
    sides = [
        (
            registry.data_info().source("iana"),
            tuple(registry.assignments()),
            tuple(registry.aliases()),
        )
        for registry in (old, new)
    ]
    return compare(sides[0], sides[1])
