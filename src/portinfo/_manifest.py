"""The manifest of a registry's data: which inputs, of which date, with which checksums."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from portinfo._records import Record, public
from portinfo._validate import show
from portinfo.exceptions import DataFormatError, UnknownSourceError

if TYPE_CHECKING:
    from portinfo.dicts import DataInfoDict, SourceInfoDict

__all__ = ["DataInfo", "SourceInfo", "data_info_from_manifest", "dated"]


@attrs.frozen
class SourceInfo(Record):
    """One input of the data: which file, its date, its checksum, and how much it gave."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> SourceInfoDict: ...

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
    newest_record: str | None = None
    """The latest registration or modification date among its records (IANA's registry,
    whose records carry dates): the one date a file without its own (IANA's CSV) proves,
    and what "older" compares, since IANA's ``<updated>`` can be later. ``None`` for the
    other sources, and in data compiled before portinfo recorded it."""


@attrs.frozen
class DataInfo(Record):
    """What a registry's data is made of: the manifest."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> DataInfoDict: ...

    format_version: int
    """The version of the data format."""
    generated_by: str
    """What compiled the data."""
    sources: tuple[SourceInfo, ...]
    """Each input, in the order IANA, services, Nmap, observed uses."""
    directory: str | None = None
    """The saved registry the data were read from (an absolute path: see
    :meth:`Registry.from_directory`, ``PORTINFO_DATA``, ``portinfo --data``), or ``None``
    for the packaged data and for data compiled in memory."""

    @property
    def iana_updated(self) -> str | None:
        """The IANA registry's own date of last update, such as ``"2026-08-17"``."""
        return self.source("iana").date

    def source(self, name: str) -> SourceInfo:
        """The input called ``name``; raises :class:`~portinfo.UnknownSourceError` if none,
        ``TypeError`` if ``name`` is not a ``str``."""
        if not isinstance(name, str):
            raise TypeError(f"source name must be a str, got {type(name).__name__}: {show(name)}")
        for found in self.sources:
            if found.name == name:
                return found
        names = ", ".join(repr(s.name) for s in self.sources)
        raise UnknownSourceError(f"no source named {show(name)}; the sources are {names}")


_SOURCE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "file": str,
    "sha256": str,
    "date": (str, type(None)),
    "records": int,
}


def _source(entry: Mapping[str, Any]) -> SourceInfo:
    for key, kind in _SOURCE_FIELDS.items():
        if not isinstance(entry[key], kind):
            raise TypeError(f"source field {key!r} is {entry[key]!r}")
    newest = entry.get("newest_record")  # optional: data of format 3 made before it was kept
    if not isinstance(newest, (str, type(None))):
        raise TypeError(f"source field 'newest_record' is {newest!r}")
    return SourceInfo(**{key: entry[key] for key in _SOURCE_FIELDS}, newest_record=newest)


def dated(what: str, date: str | None, newest_record: str | None) -> str:
    """``what`` with the date a sentence can give it: its own (``"IANA registry of
    2026-08-17"``); for a file with none, such as IANA's CSV, the date its records prove
    (``"IANA registry, newest record 2026-02-25"``); else ``"IANA registry, undated"``."""
    if date:
        return f"{what} of {date}"
    return f"{what}, newest record {newest_record}" if newest_record else f"{what}, undated"


def dated_iana(info: DataInfo) -> str:
    """The IANA registry of ``info`` with the date a sentence can give it (see :func:`dated`)."""
    iana = info.source("iana")
    return dated("IANA registry", iana.date, iana.newest_record)


def data_info_from_manifest(
    manifest: Mapping[str, Any], where: str, directory: str | None = None
) -> DataInfo:
    """The :class:`DataInfo` of a decoded ``manifest.json`` (of a saved registry in
    ``directory``, if given); ``DataFormatError`` if malformed."""
    try:
        sources = tuple(map(_source, manifest["sources"]))
        version, made_by = manifest["format"], manifest["generated_by"]
    except (KeyError, TypeError) as error:
        raise DataFormatError(f"{where}: the manifest is malformed ({error})") from None
    if not (isinstance(version, int) and isinstance(made_by, str)):
        raise DataFormatError(f"{where}: the manifest's format or generated_by is malformed")
    return DataInfo(version, made_by, sources, directory)


public(DataInfo, SourceInfo)
