"""The base of portinfo's records: immutable values, compared and hashed by their fields.

A record class names its fields in ``_fields`` and checks its values in ``__new__``; this
base stores them in a tuple and gives every record the rest: read-only attributes, equality
and hashing by value (only between records of the same class), a ``repr`` that shows every
field, ``replace()``, pickling and pattern matching by position.

Why not attrs or dataclasses: both generate each class's methods with ``compile()`` at import,
which cost about 1 ms a class on the reference machine and put the first lookup well over
its budget; and a tuple is built several times faster than a slotted object, which the sweep
over every port needs (docs/performance.md has the figures).
"""

from __future__ import annotations

from enum import Enum
from operator import itemgetter
from typing import Any, ClassVar, TypeVar

__all__ = ["FrozenRecord"]

_R = TypeVar("_R", bound="FrozenRecord")


def _plain(value: object) -> Any:
    if isinstance(value, FrozenRecord):
        return value.as_dict()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


class FrozenRecord(tuple):  # type: ignore[type-arg]
    """An immutable record whose fields, named in ``_fields``, are held as a tuple."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    __match_args__: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for index, name in enumerate(cls._fields):
            setattr(cls, name, property(itemgetter(index)))
        cls.__match_args__ = cls._fields  # type: ignore[misc]  # match by position

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    @classmethod
    def _make(cls: type[_R], *values: object) -> _R:
        """Store ``values``, in the order of ``_fields``: for ``__new__`` only."""
        return tuple.__new__(cls, values)

    def __getnewargs__(self) -> tuple[Any, ...]:
        return tuple(self)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return tuple.__eq__(self, other)
        # A record never equals a plain tuple, even one holding the same values.
        return False if isinstance(other, tuple) else NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = tuple.__hash__

    def __lt__(self, other: object) -> bool:
        return NotImplemented  # records have no order

    __le__ = __gt__ = __ge__ = __lt__

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"{type(self).__name__}({fields})"

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict, nested records and enums included, ready for ``json.dumps``."""
        return {name: _plain(value) for name, value in zip(self._fields, self)}

    def replace(self: _R, **changes: Any) -> _R:
        """A copy with some fields changed, checked again as by the constructor."""
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values = dict(zip(self._fields, self))
        values.update(changes)
        return self.__class__(**values)
