"""The plain data of each record, as ``as_dict()`` gives it: one TypedDict a record.

A public contract: ``info.as_dict()`` is a :class:`PortInfoDict`, whose keys and value
types a type checker knows, so a tool that keeps or sends portinfo's answers as JSON can
type them. Enums are their string values, tuples are lists, nested records are their own
dicts, as in JSON. A test checks that each TypedDict has exactly its record's fields; the
versioning page says what a release may change in them. Importing this module imports
``typing``; ``import portinfo`` alone does not.
"""

from __future__ import annotations

from typing import TypedDict

__all__ = [
    "AliasDict",
    "AssignmentDict",
    "DataInfoDict",
    "DiffDict",
    "ListenerDict",
    "ListeningDict",
    "LocalServiceDict",
    "PersonDict",
    "PortChangeDict",
    "PortInfoDict",
    "RecordChangeDict",
    "ReferenceDict",
    "SearchResultDict",
    "ServiceDict",
    "SourceInfoDict",
    "UseDict",
]


class PersonDict(TypedDict):
    """What ``Person.as_dict()`` gives."""

    id: str
    name: str | None
    organization: str | None


class ReferenceDict(TypedDict):
    """What ``Reference.as_dict()`` gives."""

    kind: str
    value: str
    title: str | None


class AssignmentDict(TypedDict):
    """What ``Assignment.as_dict()`` gives."""

    service: str | None
    protocol: str | None
    first: int | None
    last: int | None
    description: str
    status: str
    assignees: list[PersonDict]
    contacts: list[PersonDict]
    registered: str | None
    modified: str | None
    references: list[ReferenceDict]
    notes: str | None
    service_code: int | None
    unauthorized: str | None
    alias_of: str | None


class AliasDict(TypedDict):
    """What ``Alias.as_dict()`` gives."""

    name: str
    source: str
    protocol: str | None
    port: int | None
    service: str | None


class UseDict(TypedDict):
    """What ``Use.as_dict()`` gives."""

    name: str
    title: str
    ports: list[list[int]]
    protocols: list[str]
    category: str
    description: str
    source: str
    ranges: list[list[int]]
    terms: list[str]
    common: bool


class LocalServiceDict(TypedDict):
    """What ``LocalService.as_dict()`` gives."""

    name: str
    ports: list[list[int]]
    protocols: list[str]
    title: str | None
    description: str | None
    url: str | None
    aliases: list[str]
    file: str | None


class PortInfoDict(TypedDict):
    """What ``PortInfo.as_dict()`` gives."""

    port: int
    protocol: str | None
    range: str
    status: str
    assignments: list[AssignmentDict]
    aliases: list[AliasDict]
    uses: list[UseDict]
    local: list[LocalServiceDict]


class ServiceDict(TypedDict):
    """What ``Service.as_dict()`` gives."""

    name: str
    ports: list[list[int]]
    assignments: list[AssignmentDict]
    aliases: list[AliasDict]
    uses: list[UseDict]
    matched: AliasDict | None
    others: list[ServiceDict]
    listings: list[AliasDict]
    local: list[LocalServiceDict]


class SearchResultDict(TypedDict):
    """What ``SearchResult.as_dict()`` gives."""

    match: str
    name: str
    source: str
    ports: list[list[int]]
    protocols: list[str]
    service: str | None
    description: str


class SourceInfoDict(TypedDict):
    """What ``SourceInfo.as_dict()`` gives."""

    name: str
    file: str
    sha256: str
    date: str | None
    records: int
    newest_record: str | None


class DataInfoDict(TypedDict):
    """What ``DataInfo.as_dict()`` gives."""

    format_version: int
    generated_by: str
    sources: list[SourceInfoDict]
    directory: str | None


class RecordChangeDict(TypedDict):
    """What ``RecordChange.as_dict()`` gives."""

    old: AssignmentDict
    new: AssignmentDict
    fields: list[str]


class PortChangeDict(TypedDict):
    """What ``PortChange.as_dict()`` gives."""

    first: int
    last: int
    protocol: str
    old: str
    new: str


class DiffDict(TypedDict):
    """What ``Diff.as_dict()`` gives."""

    old: SourceInfoDict
    new: SourceInfoDict
    old_newest_record: str | None
    new_newest_record: str | None
    added: list[AssignmentDict]
    removed: list[AssignmentDict]
    changed: list[RecordChangeDict]
    renamed: list[RecordChangeDict]
    statuses: list[PortChangeDict]
    names_gained: list[AliasDict]
    names_lost: list[AliasDict]


class ListenerDict(TypedDict):
    """What ``Listener.as_dict()`` gives."""

    address: str
    port: int
    protocol: str
    family: str
    pid: int | None
    process: str | None
    name: str | None
    service: str | None
    description: str | None
    use: str | None
    unknown: bool
    local: bool


class ListeningDict(TypedDict):
    """What ``Listening.as_dict()`` gives."""

    listeners: list[ListenerDict]
    hidden: bool
    partial: bool
