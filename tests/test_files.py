"""Reading a user's file: only a regular file, bounded in size, refused with reasons."""

from __future__ import annotations

import os
import stat
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import portinfo._files
from portinfo import DataFormatError
from portinfo._files import MAX_FILE_BYTES, decode_text, label, numbered_lines, read_file
from portinfo._validate import show

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (FIFOs)")


def call_watching_fifo(fifo: Path, function: Callable[[], object], seconds: float = 10) -> object:
    """``function()``'s result or exception; fails if it blocks opening or reading ``fifo``.

    Opening a FIFO to read waits for a writer, so a call that blocks is released by
    opening the FIFO for writing (and closing it: end of file), then the test fails.
    """
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(function())
        except BaseException as error:  # handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(seconds)
        pytest.fail(f"blocked for {seconds} s on the FIFO {fifo}")
    return outcome[0]


def test_reads_a_file_by_str_or_path(tmp_path: Path) -> None:
    path = tmp_path / "services"
    path.write_bytes(b"http 80/tcp\n")
    assert read_file(path) == (b"http 80/tcp\n", str(path))
    assert read_file(str(path)) == (b"http 80/tcp\n", str(path))
    (tmp_path / "empty").write_bytes(b"")
    assert read_file(tmp_path / "empty") == (b"", str(tmp_path / "empty"))


def test_a_symbolic_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real").write_bytes(b"data")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert read_file(tmp_path / "link") == (b"data", str(tmp_path / "link"))


@pytest.mark.parametrize("path", [b"/etc/services", 3, None, True, ["/etc/services"]])
def test_a_path_of_the_wrong_type_is_a_type_error(path: Any) -> None:
    with pytest.raises(TypeError, match=r"path must be a str or an os\.PathLike"):
        read_file(path)


class BytesPath:
    def __fspath__(self) -> bytes:
        return b"/etc/services"


def test_a_path_like_giving_bytes_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"path must be a str or an os\.PathLike"):
        read_file(BytesPath())  # type: ignore[arg-type]


class RefusingPath:
    """A path-like object whose own ``__fspath__`` fails."""

    def __fspath__(self) -> str:
        raise RuntimeError("no path")


def test_a_path_like_s_own_error_propagates_unchanged() -> None:
    with pytest.raises(RuntimeError, match="no path"):
        read_file(RefusingPath())


def test_a_nul_byte_in_the_path(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match=r"'a\\x00b': a file name cannot contain a NUL"):
        read_file("a\x00b")


def test_a_missing_file_gives_the_operating_system_s_reason(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="cannot be read: No such file") as caught:
        read_file(tmp_path / "missing")
    assert str(caught.value).startswith(f"{tmp_path / 'missing'}: ")
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(DataFormatError, match="cannot be read: Not a directory"):
        read_file(tmp_path / "file" / "child")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads all")
def test_an_unreadable_file_gives_the_operating_system_s_reason(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_bytes(b"x")
    path.chmod(0)
    with pytest.raises(DataFormatError, match="cannot be read: Permission denied"):
        read_file(path)


def test_a_path_that_cannot_be_encoded() -> None:
    with pytest.raises(DataFormatError, match=r"'\\ud800': cannot be read"):
        read_file("\ud800")


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="is a directory, not a regular file"):
        read_file(tmp_path)


@needs_fifo
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    outcome = call_watching_fifo(fifo, lambda: read_file(fifo))
    assert isinstance(outcome, DataFormatError)
    assert "is a named pipe (FIFO), not a regular file" in str(outcome)


@needs_fifo
def test_a_fifo_swapped_in_after_the_check_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The path was a regular file when checked and is a FIFO when opened: the open must
    # not wait for a writer, and the opened file is checked again.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, **k: regular if p == str(fifo) else real_stat(p))
    outcome = call_watching_fifo(fifo, lambda: read_file(fifo))
    assert isinstance(outcome, DataFormatError)
    assert "is a named pipe (FIFO), not a regular file" in str(outcome)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_refused_unread() -> None:
    with pytest.raises(DataFormatError, match="is a character device, not a regular file"):
        read_file("/dev/zero")


def test_the_limit_is_documented_and_generous() -> None:
    assert MAX_FILE_BYTES == 64 * 1024 * 1024
    assert read_file.__kwdefaults__ == {"limit": MAX_FILE_BYTES}
    assert "MAX_FILE_BYTES" in (portinfo._files.__doc__ or "")


def test_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * 1001)
    assert read_file(path, limit=1001) == (b"x" * 1001, str(path))
    with pytest.raises(DataFormatError, match="1,001 bytes, more than the limit of 1,000"):
        read_file(path, limit=1000)
    with pytest.raises(ValueError, match="a negative int of 5,001 digits"):
        read_file(path, limit=-(10**5000))


def test_a_file_that_grows_while_read_is_read_no_further(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing"
    path.write_bytes(b"x" * 1_000_000)
    small = os.stat_result((stat.S_IFREG | 0o644, 0, 0, 1, 0, 0, 10, 0, 0, 0))
    monkeypatch.setattr(os, "stat", lambda p, **k: small)
    monkeypatch.setattr(os, "fstat", lambda fd: small)
    read_sizes: list[int] = []
    real_read = os.read

    def read(fd: int, size: int) -> bytes:
        read_sizes.append(size)
        return real_read(fd, size)

    monkeypatch.setattr(os, "read", read)
    with pytest.raises(DataFormatError, match="grew past the limit of 1,000 bytes while read"):
        read_file(path, limit=1000)
    assert sum(read_sizes) <= 1001


@pytest.mark.parametrize(
    ("limit", "error"), [(-1, ValueError), (1.5, TypeError), (True, TypeError)]
)
def test_a_bad_limit(tmp_path: Path, limit: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="limit must be"):
        read_file(tmp_path, limit=limit)


def test_a_label_shows_what_a_plain_path_would_hide(tmp_path: Path) -> None:
    path = tmp_path / "new\nline"
    with pytest.raises(DataFormatError) as caught:
        read_file(path)
    assert str(caught.value).startswith(repr(str(path)) + ": cannot be read")


def _deep(tmp_path: Path, length: int) -> Path:
    """A path of about ``length`` characters, in directories that exist."""
    path = tmp_path
    while len(str(path)) < length - 210:
        path = path / ("d" * 200)
    path.mkdir(parents=True, exist_ok=True)
    return path / "services"


@pytest.mark.skipif(sys.platform == "win32", reason="Windows limits paths to 260 characters")
def test_a_long_path_is_shortened_in_messages(tmp_path: Path) -> None:
    # A path as long as PATH_MAX allows was shown whole: messages of 4,000 characters
    # (found by tools/fuzz.py through the command line's --services).
    path = _deep(tmp_path, 3000)
    with pytest.raises(DataFormatError) as caught:
        read_file(path)
    message = str(caught.value)
    assert len(message) < 300
    assert message.startswith(repr(str(path))[:28])
    assert "/services' (" in message
    assert ": cannot be read: " in message


def test_label_shows_a_path_as_it_is_up_to_a_point() -> None:
    assert label("/etc/services") == "/etc/services"
    assert label("new\nline") == repr("new\nline")
    long = "/" + "d" * 1000
    assert label(long) == show(long)
    assert label(label(long)) == label(long)  # a label stays as it is


def test_a_path_whose_repr_is_long_is_shortened() -> None:
    # 300 lone surrogates are 1,800 characters of repr: a --nmap path of them made a
    # message of 1,809 characters (found by tools/fuzz.py at 100,000 examples).
    path = "80/tcp" + "\udc80" * 300
    assert label(path) == show(path)
    assert len(label(path)) < 100
    with pytest.raises(DataFormatError) as caught:
        read_file(path)
    assert len(str(caught.value)) < 200


# --- text: UTF-8, lines at newlines -------------------------------------------------------------


def test_decode_text() -> None:
    assert decode_text(b"\xef\xbb\xbfabc\xc3\xa9", "f") == "abc\u00e9"
    with pytest.raises(DataFormatError, match=r"^f: line 2: not UTF-8 text \(byte 0xff"):
        decode_text(b"a\n\xff", "f")
    with pytest.raises(DataFormatError, match=r"^f: line 3: a NUL byte"):
        decode_text(b"a\n\nb\x00", "f")
    for encoding, name in [("utf-16", "UTF-16"), ("utf-32", "UTF-32")]:
        with pytest.raises(DataFormatError, match=rf"^f: the file is {name} .*reads UTF-8"):
            decode_text("abc".encode(encoding), "f")


def test_numbered_lines_break_at_newlines_only() -> None:
    text = "a\r\nb\x0cc\x85d\u2028e\rf\n\ng"
    assert list(numbered_lines(text)) == [(1, "a"), (2, "b\x0cc\x85d\u2028e\rf"), (3, ""), (4, "g")]
    assert list(numbered_lines("a\n")) == [(1, "a"), (2, "")]
