"""Reading a user's own upstream file: safely from disk, then as UTF-8 text in numbered lines.

:func:`read_file` reads the bytes of a file a caller names (for
:meth:`portinfo.Registry.from_files`): only a regular file, and at most
:data:`MAX_FILE_BYTES` of it, so a wrong path (a directory, a named pipe, a device such as
``/dev/zero``, a disk image) is refused with a :class:`~portinfo.DataFormatError` naming
the path and the reason instead of blocking or filling the memory. :func:`decode_text` and
:func:`numbered_lines` are how the line-based parsers read those bytes: UTF-8 only (a file
in UTF-16 or UTF-32 is named as such), lines ending at ``\\n`` or ``\\r\\n`` and nowhere
else, so that line numbers in messages are the ones an editor shows.

The caps on what a file may hold are here too, in one place (:data:`MAX_RECORDS`,
:data:`MAX_ON_PORT`, :data:`MAX_SAME_NAME`, :data:`MAX_ALIASES`): every parser refuses a
file over one with a :class:`~portinfo.DataFormatError` naming the file and the cap, so
that compiling a file takes time linear in its records and no answer grows without bound.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import accumulate

from portinfo._enums import Protocol
from portinfo._validate import plain_int, show
from portinfo.exceptions import DataFormatError

__all__ = [
    "MAX_ALIASES",
    "MAX_FILE_BYTES",
    "MAX_ON_PORT",
    "MAX_RECORDS",
    "MAX_SAME_NAME",
    "check_names",
    "check_on_port",
    "check_records",
    "decode_text",
    "encoding_problem",
    "label",
    "numbered_lines",
    "read_file",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest file :func:`read_file` reads, in bytes (64 MiB).

IANA's registry in XML, the largest of the upstream files, is under 4 MB, and a services or
nmap-services file is smaller still: the limit leaves room for years of growth while a path
that names something else (a log, an image, a disk) is refused before it is read into memory.
"""

MAX_RECORDS = 50_000
"""The most records a file may hold: IANA's records, a services file's names (a line's name
and each of its aliases), nmap-services' lines, the uses of an observed-uses file.

The largest real files hold 27,461 (nmap-services), 14,533 (IANA's registry) and some
15,000 (the largest services files, Fedora's): room for three times today's registry and
nearly twice Nmap's file. The cap keeps every answer under a second: a search whose text
is in every name of a file ranks each of them (100,000 names took up to 1.3 s).
"""
MAX_ON_PORT = 32
"""The most records of one file that may cover one port and protocol (a record with no
protocol counts for each). IANA's registry has at most 3 (80/tcp: http, www and
www-http), the other files 1: every record is kept, so an answer grows with the records
on its port, and this cap keeps each answer small."""
MAX_ALIASES = 32
"""The most aliases one line of a services file may give (the real files give 3 at most)."""
MAX_SAME_NAME = 2_000
"""The most records of one file that may bear one name, in any case (Nmap's
``vrml-multi-use`` is on 199 ports, IANA's ``http-alt`` on 6): a service's answer holds
every record of its name."""

_CHUNK = 1024 * 1024
# A path up to this long is shown as it is; a longer one (PATH_MAX allows 4,096) is shortened,
# so that a message that names it stays well under 1,000 characters.
_LONGEST_LABEL = 400
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
# Opening must never wait: O_NONBLOCK makes opening a named pipe return at once, should
# one replace the file between the check and the open. O_NOCTTY keeps a terminal from
# becoming ours. Neither flag exists on Windows, which has neither problem.
_NONBLOCKING = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS = (
    os.O_RDONLY
    | _NONBLOCKING
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def label(path: str) -> str:
    """``path`` as messages show it: as it is, or its ``repr`` if it has unprintable
    characters, shortened in the middle if it is longer than a few hundred characters.

    The parsers show the source they are given through it, so that whatever names a file,
    a message stays short and shows what a plain path would hide.
    """
    if len(path) > _LONGEST_LABEL:
        return show(path)
    text = path if path.isprintable() else repr(path)
    # A repr may be six times as long as the path (a lone surrogate is '\\udc80').
    return text if len(text) <= _LONGEST_LABEL else show(path)


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is (``"a directory"``), or ``None``."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def _wrong_path(path: object) -> TypeError:
    return TypeError(
        f"path must be a str or an os.PathLike[str], got {type(path).__name__}: {show(path)}"
    )


def read_file(path: str | os.PathLike[str], *, limit: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
    """The bytes of the regular file at ``path``, and the path as a ``str`` (which messages
    show through :func:`label`).

    Raises :class:`~portinfo.DataFormatError` naming the path when it holds a NUL character,
    cannot be read (with the operating system's reason), is not a regular file (a
    directory, a named pipe, a device: checked before opening, so nothing blocks), or is
    larger than ``limit`` bytes (at most ``limit + 1`` bytes are ever read, even of a file
    that grows meanwhile). A ``path`` that is neither a ``str`` nor an
    ``os.PathLike[str]`` raises :class:`TypeError`.
    """
    name = os.fspath(path) if isinstance(path, os.PathLike) else path
    if not isinstance(name, str):
        raise _wrong_path(path)
    limit = plain_int(limit, "limit")
    if limit < 0:
        raise ValueError(f"limit must be a number of bytes, 0 or more, got {show(limit)}")
    shown = label(name)
    if "\0" in name:
        raise DataFormatError(f"{shown}: a file name cannot contain a NUL character")
    try:
        kind = _kind(os.stat(name).st_mode)
        if kind is not None:
            raise DataFormatError(f"{shown}: is {kind}, not a regular file")
        descriptor = os.open(name, _OPEN_FLAGS)
    except OSError as error:
        raise DataFormatError(f"{shown}: cannot be read: {error.strerror or error}") from None
    except UnicodeError:  # a lone surrogate, which no file name on disk can hold
        raise DataFormatError(f"{shown}: cannot be read: not a valid file name") from None
    try:
        status = os.fstat(descriptor)
        kind = _kind(status.st_mode)  # again: what was opened may not be what was checked
        if kind is not None:
            raise DataFormatError(f"{shown}: is {kind}, not a regular file")
        if _NONBLOCKING:  # a regular file after all: reads may wait for the disk again
            os.set_blocking(descriptor, True)
        if status.st_size > limit:
            raise DataFormatError(
                f"{shown}: {status.st_size:,} bytes, more than the limit of {limit:,} bytes"
            )
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(descriptor, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as error:
        raise DataFormatError(f"{shown}: cannot be read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if left <= 0:
        raise DataFormatError(f"{shown}: grew past the limit of {limit:,} bytes while read")
    return b"".join(chunks), name


# --- text -------------------------------------------------------------------------------------

_BYTE_ORDER_MARKS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_ADVICE = "portinfo reads UTF-8 only: convert it, e.g. with iconv -t UTF-8"


def encoding_problem(data: bytes) -> str | None:
    """Why ``data`` cannot be UTF-8 text, judged by its first bytes, or ``None``.

    A UTF-16 or UTF-32 byte order mark names its encoding; XML in UTF-16 without a mark is
    recognised by its first character, ``<``, followed or preceded by a NUL byte.
    """
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return f"the file is {encoding} (it starts with its byte order mark); {_ADVICE}"
    if data[:2] in (b"<\x00", b"\x00<"):
        return f"the file is UTF-16 (it starts with '<' and a NUL byte); {_ADVICE}"
    return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes, source: str) -> str:
    """``data`` as text: UTF-8, with a byte order mark dropped, and no NUL character.

    Anything else raises :class:`~portinfo.DataFormatError` naming ``source`` and the line.
    """
    problem = encoding_problem(data)
    if problem is not None:
        raise DataFormatError(f"{source}: {problem}")
    nul = data.find(b"\0")
    if nul >= 0:
        raise DataFormatError(
            f"{source}: line {_line_of(data, nul)}: a NUL byte, which no text has (is the file"
            f" UTF-16 or UTF-32 without a byte order mark?); {_ADVICE}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        raise DataFormatError(
            f"{source}: line {_line_of(data, error.start)}: not UTF-8 text (byte 0x{bad}:"
            f" {error.reason}); {_ADVICE}"
        ) from None


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line of ``text`` with its number from 1, as an editor numbers them.

    A line ends at ``\\n`` (a ``\\r`` before it goes too), never at the other characters
    that :meth:`str.splitlines` breaks at: a form feed, U+0085 or U+2028 in a comment stays
    in the comment. Text that ends with a line end yields an empty last line.
    """
    for number, line in enumerate(text.split("\n"), 1):
        yield number, line[:-1] if line.endswith("\r") else line


# --- caps -------------------------------------------------------------------------------------


def check_records(count: int, what: str, source: str) -> None:
    """Refuse a file whose ``count`` records (``what``: "records", "names"...) are more than
    :data:`MAX_RECORDS`, with a :class:`~portinfo.DataFormatError` naming ``source``."""
    if count > MAX_RECORDS:
        raise DataFormatError(
            f"{source}: more than {MAX_RECORDS:,} {what}, the cap on one file (the largest"
            " real file holds 27,461)"
        )


def check_on_port(
    spans: Iterable[tuple[int, int, Protocol | None]], what: str, source: str
) -> None:
    """Refuse a file where more than :data:`MAX_ON_PORT` of its records (each a ``(first,
    last, protocol)`` span; ``None`` for every protocol) cover one port and protocol, naming
    ``source``, the port and the cap. Linear in the records: each adds 1 where its span
    starts and takes it away after its end, and one running sum per protocol counts."""
    spans = list(spans)
    if len(spans) <= MAX_ON_PORT:  # too few to be over the cap anywhere: no sums needed
        return
    ends = {protocol: [0] * (65537) for protocol in Protocol}
    for first, last, protocol in spans:
        for each in Protocol if protocol is None else (protocol,):
            counts = ends[each]
            counts[first] += 1
            counts[last + 1] -= 1
    for protocol, counts in ends.items():
        covering = list(accumulate(counts))
        most = max(covering)
        if most > MAX_ON_PORT:
            port = covering.index(most)
            raise DataFormatError(
                f"{source}: {most:,} {what} cover port {port}/{protocol.value}, more than the"
                f" cap of {MAX_ON_PORT} on one port and protocol (IANA's registry has at most 3)"
            )


def check_names(names: Iterable[str], what: str, source: str) -> None:
    """Refuse a file where more than :data:`MAX_SAME_NAME` of its records bear one name (in
    any case), naming ``source``, the name and the cap."""
    counts = Counter(name.lower() for name in names)
    if counts:
        name, most = counts.most_common(1)[0]
        if most > MAX_SAME_NAME:
            raise DataFormatError(
                f"{source}: {most:,} {what} named {show(name)}, more than the cap of"
                f" {MAX_SAME_NAME:,} with one name"
            )
