"""Range classification: the three port ranges of RFC 6335, section 6.

System Ports 0-1023, User Ports 1024-49151, and the Dynamic and/or Private Ports
49152-65535. The ranges tile 0..65535 with no gap and no overlap.
"""

from __future__ import annotations

import enum

from portinfo._validate import MAX_PORT, parse_port

TYPE_CHECKING = False  # typing is not imported at run time: it costs more than this module
if TYPE_CHECKING:
    from typing import SupportsIndex

__all__ = ["PortRange", "classify", "range_of"]


class PortRange(enum.Enum):
    """One of the three port ranges of RFC 6335.

    ``first`` and ``last`` are the bounds (both included), ``title`` is RFC 6335's name
    and ``aliases`` the other names people use. ``port in PortRange.USER`` tests a port.
    Not a ``str`` subclass, so that type checkers accept ``port in PortRange.USER``; its
    ``value`` and ``str()`` are the lower-case name.
    """

    SYSTEM = "system"
    USER = "user"
    DYNAMIC = "dynamic"

    @property
    def first(self) -> int:
        """The lowest port of the range."""
        return _FACTS[self][0]

    @property
    def last(self) -> int:
        """The highest port of the range."""
        return _FACTS[self][1]

    @property
    def title(self) -> str:
        """The range's name in RFC 6335, such as ``"User Ports"``."""
        return _FACTS[self][2]

    @property
    def aliases(self) -> tuple[str, ...]:
        """Other names in common use, such as ``("registered",)`` for the User Ports."""
        return _FACTS[self][3]

    def __str__(self) -> str:
        return str(self.value)

    def __contains__(self, port: object) -> bool:
        """Whether ``port`` (anything :func:`classify` accepts) lies in this range."""
        try:
            number = parse_port(port)
        except (TypeError, ValueError):
            return False
        return self.first <= number <= self.last


# The one definition of the bounds: everything else reads them from PortRange.
_SYSTEM_LAST = 1023
_USER_LAST = 49151
_FACTS: dict[PortRange, tuple[int, int, str, tuple[str, ...]]] = {
    PortRange.SYSTEM: (0, _SYSTEM_LAST, "System Ports", ("well-known",)),
    PortRange.USER: (_SYSTEM_LAST + 1, _USER_LAST, "User Ports", ("registered",)),
    PortRange.DYNAMIC: (
        _USER_LAST + 1,
        MAX_PORT,
        "Dynamic and/or Private Ports",
        ("private", "ephemeral"),
    ),
}
_SYSTEM, _USER, _DYNAMIC = PortRange.SYSTEM, PortRange.USER, PortRange.DYNAMIC


def range_of(port: int) -> PortRange:
    """The range of a port already checked to be an ``int`` from 0 to 65535."""
    if port <= _SYSTEM_LAST:
        return _SYSTEM
    return _USER if port <= _USER_LAST else _DYNAMIC


def classify(port: SupportsIndex | str) -> PortRange:
    """Return the RFC 6335 range that ``port`` lies in.

    ``port`` is an ``int`` from 0 to 65535 or a string of ASCII digits. Raises
    :class:`~portinfo.InvalidPortError` for anything out of range or malformed and
    ``TypeError`` for other types.
    """
    return range_of(parse_port(port))


PortRange.__module__ = "portinfo"  # shown as portinfo.PortRange, the name users import
