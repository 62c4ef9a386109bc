"""The manifest of a registry's data: which inputs, of which date, with which checksums."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from portinfo._frozen import FrozenRecord
from portinfo._records import items, text

__all__ = ["DataInfo", "SourceInfo", "data_info_from_manifest"]


class SourceInfo(FrozenRecord):
    """One input of the data: which file, its date, its checksum, and how much it gave."""

    __slots__ = ()
    _fields = ("name", "file", "sha256", "date", "records")
    name: str
    """``"iana"``, ``"services"``, ``"nmap"`` or ``"observed"``."""
    file: str
    """The file's name, without its directory."""
    sha256: str
    """The SHA-256 of the file's bytes, in hex."""
    date: str | None
    """The source's own date where it states one (IANA's ``<updated>``), else ``None``."""
    records: int
    """How many entries were read from it."""

    def __new__(
        cls, name: str, file: str, sha256: str, date: str | None, records: int
    ) -> SourceInfo:
        if records.__class__ is not int or records < 0:
            raise ValueError(f"records must be a count, got {records!r}")
        return cls._make(
            text("name", name),
            text("file", file),
            text("sha256", sha256),
            None if date is None else text("date", date),
            records,
        )


class DataInfo(FrozenRecord):
    """What a registry's data is made of: the manifest."""

    __slots__ = ()
    _fields = ("format_version", "generated_by", "sources")
    format_version: int
    """The version of the data format."""
    generated_by: str
    """What compiled the data."""
    sources: tuple[SourceInfo, ...]
    """Each input, in the order IANA, services, Nmap, observed uses."""

    def __new__(
        cls, format_version: int, generated_by: str, sources: Iterable[SourceInfo]
    ) -> DataInfo:
        return cls._make(
            format_version,
            text("generated_by", generated_by),
            items("sources", SourceInfo, sources),
        )

    @property
    def iana_updated(self) -> str | None:
        """The IANA registry's own date of last update, such as ``"2026-08-17"``."""
        return self.source("iana").date

    def source(self, name: str) -> SourceInfo:
        """The input called ``name``; raises ``LookupError`` if there is none."""
        for found in self.sources:
            if found.name == name:
                return found
        names = ", ".join(repr(s.name) for s in self.sources)
        raise LookupError(f"no source named {name!r}; the sources are {names}")


def data_info_from_manifest(manifest: Mapping[str, Any]) -> DataInfo:
    """The :class:`DataInfo` of a decoded ``manifest.json``."""
    return DataInfo(
        manifest["format"],
        manifest["generated_by"],
        (SourceInfo(**source) for source in manifest["sources"]),
    )
