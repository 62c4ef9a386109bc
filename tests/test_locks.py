"""A process forked while another thread holds one of portinfo's locks (loading the data,
making the default registry, building a table for annotate) does not hang in the child."""

from __future__ import annotations

import os
import signal
import threading
import time
import warnings
from collections.abc import Callable

import pytest

import portinfo
from portinfo import Registry
from portinfo._annotate import _cached
from portinfo._data import Data, packaged

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

TIMEOUT = 20.0


def _child_finishes(work: Callable[[], object]) -> bool:
    """Fork; the child exits 0 where ``work()`` is true. Whether it does, within the
    timeout (a child that hangs is killed)."""
    with warnings.catch_warnings():  # Python 3.12 warns of forking a threaded process
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child, which coverage does not follow
        code = 1
        try:
            code = 0 if work() else 1
        finally:
            os._exit(code)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return False


def _fork_while_held(
    hold: Callable[[Callable[[], None]], object], work: Callable[[], object]
) -> bool:
    """Run ``hold(block)`` in a thread, where ``block()`` waits until released; fork while
    it waits (holding the lock), and say whether the child finishes ``work``."""
    entered, release = threading.Event(), threading.Event()
    holder: list[threading.Thread] = []

    def block() -> None:
        if threading.current_thread() in holder:
            entered.set()
            release.wait(TIMEOUT)

    thread = threading.Thread(target=hold, args=(block,))
    holder.append(thread)
    thread.start()
    try:
        assert entered.wait(TIMEOUT), "the holding thread never took the lock"
        return _child_finishes(work)
    finally:
        release.set()
        thread.join(TIMEOUT)


def test_fork_while_a_thread_loads_the_data() -> None:
    block: list[Callable[[], None]] = []

    def load() -> Data:
        block[0]()
        return packaged()

    registry = Registry(load)

    def hold(wait: Callable[[], None]) -> None:
        block.append(wait)
        registry.lookup(22)

    assert _fork_while_held(hold, lambda: registry.lookup(22).services == ("ssh",))


def test_fork_while_a_thread_makes_the_default_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    block: list[Callable[[], None]] = []
    made = portinfo._api._configured  # called under the default registry's lock

    def configured_later() -> Registry:
        block[0]()
        return made()

    monkeypatch.setattr(portinfo._api, "_default", None)
    monkeypatch.setattr(portinfo._api, "_configured", configured_later)

    def hold(wait: Callable[[], None]) -> None:
        block.append(wait)
        portinfo.default_registry()

    assert _fork_while_held(hold, lambda: portinfo.lookup(22).services == ("ssh",))


def test_fork_while_a_thread_builds_a_table_for_annotate() -> None:
    registry = Registry.packaged()

    def hold(wait: Callable[[], None]) -> None:
        _cached(registry, ("test", "fork"), wait)

    assert _fork_while_held(hold, lambda: _cached(registry, ("test", "fork"), lambda: 1) == 1)
