"""Locks that survive ``os.fork()``: a child process gets each one back free.

A lock held by another thread when a process forks stays held in the child, where that
thread does not exist, so the child would wait for it forever: a fork pool started while
a thread was loading the data would hang on its first query. Every lock of portinfo is a
:class:`Lock` of this module, and the child of a fork gets a fresh one in its place
(``os.register_at_fork``): the child then loads for itself what the parent was loading.
"""

from __future__ import annotations

import os
import threading
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Union

    _Inner = Union[threading.Lock, threading.RLock]  # what threading makes

__all__ = ["Lock"]

_every: weakref.WeakSet[Lock] = weakref.WeakSet()


class Lock:
    """A lock (re-entrant with ``reentrant=True``) to use in a ``with`` statement, that a
    forked child gets back free."""

    __slots__ = ("__weakref__", "_lock", "_make")

    def __init__(self, *, reentrant: bool = False) -> None:
        self._make: Callable[[], _Inner] = threading.RLock if reentrant else threading.Lock
        self._lock = self._make()
        _every.add(self)

    def __enter__(self) -> bool:
        return self._lock.acquire()

    def __exit__(self, *_: object) -> None:
        self._lock.release()


def _renew() -> None:
    """In the child of a fork: every lock made afresh (the child has one thread only)."""
    for lock in list(_every):
        lock._lock = lock._make()  # this module's own class


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_renew)
