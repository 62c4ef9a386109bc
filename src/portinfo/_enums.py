"""The closed sets of values: transport protocols, assignment statuses and alias sources.

Each is a ``str``-valued enum whose values read well in JSON and whose ``str()`` is the
value itself on every supported Python.
"""

from __future__ import annotations

import enum

__all__ = ["Protocol", "Source", "Status"]


class _StrEnum(str, enum.Enum):
    # Python 3.11 changed str() of mixed-in enums; pin it to the value everywhere.
    def __str__(self) -> str:
        return str(self.value)


class Protocol(_StrEnum):
    """A transport protocol of the IANA registry."""

    TCP = "tcp"
    UDP = "udp"
    SCTP = "sctp"
    DCCP = "dccp"


class Status(_StrEnum):
    """The status of a port, or of one registry record.

    ``ASSIGNED``: a service is registered. ``RESERVED``: IANA holds the number back and
    assigns it to no one. ``UNASSIGNED``: free for a future assignment, or not covered by
    any record at all.
    """

    ASSIGNED = "assigned"
    RESERVED = "reserved"
    UNASSIGNED = "unassigned"


class Source(_StrEnum):
    """Where a name for a port or service comes from."""

    IANA = "iana"
    """The IANA registry's own alias and duplicate rows."""
    SERVICES = "services"
    """A system services file (``/etc/services``): its primary names and aliases."""
    NMAP = "nmap"
    """The service names that Nmap prints in its scans."""
    OBSERVED = "observed"
    """Well-known unofficial uses of ports, curated by the portinfo project."""
