"""A saved registry: a registry's data files written into a directory, and read back.

:func:`save` writes the data files of a registry into a directory, in the packaged format
(the tables, the footnotes, and the manifest with the checksum of every other file: see
:mod:`portinfo._store`). It writes them into a new directory beside it, and renames that
into place once every file is written and flushed to the disk, so that a failure leaves
nothing half-written: the directory is as it was, or holds the whole new registry. A
directory that holds a saved registry is replaced; any other that is not empty is refused.
:func:`saved` is the loader of :meth:`portinfo.Registry.from_directory`: it reads the files
on the first query, each through :func:`~portinfo._files.read_file`, and
:class:`~portinfo._data.Data` checks them against the manifest as it checks the packaged
data, so that loading a saved registry costs what loading the packaged one does, and a
damaged one raises the same :class:`~portinfo.DataFormatError`. :func:`configured` is the
saved registry that ``PORTINFO_DATA`` or the config file's ``data`` names (see
:mod:`portinfo._config`), for the default registry.

Nmap's open frequencies (:meth:`portinfo.Registry.top_ports`) are no data file and are
never saved: they are the Nmap project's figures, which portinfo neither ships nor writes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping

from portinfo._data import Data
from portinfo._files import label, read_file
from portinfo._store import DATA_FILES
from portinfo._validate import show
from portinfo.exceptions import DataFormatError, InvalidArgumentError

__all__ = ["MANIFEST", "read_saved", "save", "saved"]

MANIFEST = "manifest.json"
_FILE_NAME = re.compile(r"\A[a-z][a-z_-]*\.(?:jsonl|idx|json)\Z")
"""What a data file is called: a table's two files, the footnotes, the manifest."""
_NOT_SAVED = "a saved registry is a directory that Registry.save() wrote"


def _directory(directory: object) -> str:
    """``directory`` as a ``str``; ``TypeError`` for anything but a path."""
    name = os.fspath(directory) if isinstance(directory, os.PathLike) else directory
    if not isinstance(name, str):
        raise TypeError(
            f"directory must be a str or an os.PathLike[str], got {type(directory).__name__}:"
            f" {show(directory)}"
        )
    if not name or "\0" in name:
        raise InvalidArgumentError(f"directory must be a path, got {show(name)}")
    return name


def _listed(manifest: bytes) -> set[str]:
    """The data files that ``manifest`` lists, where it can be read (where it cannot, the
    check of the data says so)."""
    try:
        listed = json.loads(manifest)["files"]
    except (ValueError, KeyError, TypeError):
        return set()
    if not isinstance(listed, dict):
        return set()
    return {name for name in listed if isinstance(name, str) and _FILE_NAME.match(name)}


# --- reading -------------------------------------------------------------------------------


def read_saved(directory: str) -> dict[str, bytes]:
    """The bytes of every data file of the saved registry in ``directory``: those of
    :data:`~portinfo._store.DATA_FILES`, and any other its manifest lists. Raises
    :class:`~portinfo.DataFormatError` naming a file that cannot be read."""
    try:
        manifest, _ = read_file(os.path.join(directory, MANIFEST))
        names = sorted((set(DATA_FILES) | _listed(manifest)) - {MANIFEST})
        files = {name: read_file(os.path.join(directory, name))[0] for name in names}
    except DataFormatError as error:
        raise DataFormatError(f"{error}; {_NOT_SAVED}") from None
    return {MANIFEST: manifest, **files}


def saved(directory: object, named_by: str = "") -> Callable[[], Data]:
    """The loader of the saved registry in ``directory``: the path is checked now (a
    ``TypeError`` for what is not one, a :class:`~portinfo.DataFormatError` where it names
    no directory), the files are read and checked when it is called (on the first query).
    ``named_by`` is the setting that named the directory, which its errors then name."""
    name = _directory(directory)

    def named(error: DataFormatError) -> DataFormatError:
        return (
            DataFormatError(f"{error} (the saved registry {named_by} names)") if named_by else error
        )

    if not os.path.isdir(name):
        problem = "is not a directory" if os.path.exists(name) else "does not exist"
        raise named(DataFormatError(f"{label(name)}: {problem}; {_NOT_SAVED}"))
    where = os.path.abspath(name)

    def load() -> Data:
        try:
            return Data(read_saved(where), label(where), directory=where)
        except DataFormatError as error:
            raise named(error) from None

    return load


# --- writing -------------------------------------------------------------------------------


def _replaceable(target: str, shown: str) -> bool:
    """Whether ``target`` is there to be replaced (an empty directory, or a saved
    registry), ``False`` where it is not there; refuses anything else."""
    try:
        entries = os.listdir(target)
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        raise InvalidArgumentError(
            f"{shown}: is a file, not a directory; save a registry into a directory"
        ) from None
    if not entries:
        return True
    known = set(DATA_FILES)
    if MANIFEST in entries:
        with contextlib.suppress(DataFormatError):
            known |= _listed(read_file(os.path.join(target, MANIFEST))[0])
    others = sorted(set(entries) - known)
    if MANIFEST in entries and not others:
        return True
    raise InvalidArgumentError(
        f"{shown}: holds files that are not a saved registry's ({show(others[0])}"
        f"{' and more' if len(others) > 1 else ''}); save into a new or empty directory,"
        " or over a saved registry"
    )


def _write(directory: str, files: Mapping[str, bytes]) -> None:
    """Write ``files`` into the new directory ``directory``, each flushed to the disk."""
    for name, data in files.items():
        if not _FILE_NAME.match(name):  # a name the data never have: refused, not written
            raise ValueError(f"not a data file: {name!r}")
        with open(os.path.join(directory, name), "xb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())


def _sync(directory: str) -> None:
    """Flush ``directory``'s own entries to the disk, where the system can (POSIX)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def save(files: Mapping[str, bytes], directory: object) -> None:
    """Write the data files ``files`` into ``directory`` (see the module's docstring).

    Raises ``TypeError`` for a ``directory`` that is not a path,
    :class:`~portinfo.InvalidArgumentError` for a file or a directory that holds other
    files than a saved registry's, and ``OSError`` (naming ``directory``) where the system
    refuses to write; in every case, nothing is left half-written.
    """
    given = _directory(directory)
    shown, target = label(given), os.path.realpath(given)
    replacing = _replaceable(target, shown)
    parent = os.path.dirname(target)
    try:
        os.makedirs(parent, exist_ok=True)
        # A directory of our own beside the target: the new registry is made in it (with the
        # permissions a new directory gets), and the old one moved into it to be removed.
        holder = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}-", dir=parent)
    except OSError as error:
        raise OSError(error.errno, error.strerror, given) from None
    try:
        staging, old = os.path.join(holder, "new"), os.path.join(holder, "old")
        os.mkdir(staging)
        _write(staging, files)
        if replacing:
            os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            if replacing:
                os.rename(old, target)  # the old registry back in its place
            raise
        _sync(parent)
    except OSError as error:
        raise OSError(error.errno, error.strerror, given) from None
    finally:
        shutil.rmtree(holder, ignore_errors=True)
