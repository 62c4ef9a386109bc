"""Range classification: the three port ranges of RFC 6335, section 6.

System Ports 0-1023, User Ports 1024-49151, and the Dynamic and/or Private Ports
49152-65535. The ranges tile 0..65535 with no gap and no overlap.
"""

from __future__ import annotations

import enum

from portinfo._validate import parse_port

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


_FACTS: dict[PortRange, tuple[int, int, str, tuple[str, ...]]] = {
    PortRange.SYSTEM: (0, 1023, "System Ports", ("well-known",)),
    PortRange.USER: (1024, 49151, "User Ports", ("registered",)),
    PortRange.DYNAMIC: (49152, 65535, "Dynamic and/or Private Ports", ("private", "ephemeral")),
}


def range_of(port: int) -> PortRange:
    """The range of a port already checked to be an ``int`` from 0 to 65535."""
    if port <= 1023:
        return PortRange.SYSTEM
    return PortRange.USER if port <= 49151 else PortRange.DYNAMIC


def classify(port: object) -> PortRange:
    """Return the RFC 6335 range that ``port`` lies in.

    ``port`` is an ``int`` from 0 to 65535 or a string of ASCII digits. Raises
    :class:`~portinfo.InvalidPortError` for anything out of range or malformed and
    ``TypeError`` for other types.
    """
    return range_of(parse_port(port))
