"""The errors portinfo raises.

Every error of the library's own derives from :class:`PortinfoError`. Each also derives
from the built-in exception a caller would reach for: a bad argument is a
:class:`ValueError`, a name that is not known is a :class:`LookupError`. A value of the
wrong type raises the built-in :class:`TypeError` itself. Messages name the offending input
with ``repr`` and say what would have been accepted.
"""

from __future__ import annotations

__all__ = [
    "DataFormatError",
    "InvalidArgumentError",
    "InvalidPortError",
    "InvalidProtocolError",
    "ListeningError",
    "MissingDependencyError",
    "NoRankingError",
    "PortinfoError",
    "UnknownServiceError",
    "UnknownSourceError",
]


class PortinfoError(Exception):
    """The root of every error that portinfo raises itself."""


class InvalidArgumentError(PortinfoError, ValueError):
    """An argument of the right type but a wrong value (a search limit of 0, say)."""


class InvalidPortError(InvalidArgumentError):
    """A port that is out of range (0 to 65535) or a string that is not a port number."""


class InvalidProtocolError(InvalidArgumentError):
    """A transport protocol other than tcp, udp, sctp or dccp."""


class UnknownServiceError(PortinfoError, LookupError):
    """A service name or alias that no source knows."""


class UnknownSourceError(PortinfoError, LookupError):
    """A data source that a registry's manifest does not list."""


class DataFormatError(PortinfoError, ValueError):
    """A data file that is not in the format it claims; names the file and the place."""


class NoRankingError(PortinfoError, LookupError):
    """A ranking by open frequency was asked of a registry built without an nmap-services file."""


class MissingDependencyError(PortinfoError, ImportError):
    """An optional extra that a feature needs is not installed; the message says how to get
    it (``pip install 'pyportinfo[local]'`` for :func:`portinfo.listening`)."""


class ListeningError(PortinfoError, OSError):
    """The system would not list its sockets to :func:`portinfo.listening` (a ``/proc``
    that is not there or not readable, or psutil's own error); the message says what failed.
    """
