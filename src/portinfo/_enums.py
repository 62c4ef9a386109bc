"""The closed sets of values: protocols, statuses, sources, reference kinds and search matches.

Each is a ``str``-valued enum: its value reads well in JSON, its ``str()`` is the value itself
on every supported Python, and it compares and hashes equal to that value, so
``Protocol.TCP == "tcp"``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

__all__ = ["Match", "Protocol", "ReferenceKind", "Source", "Status", "in_order"]


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


def in_order(found: Iterable[Protocol | None]) -> tuple[Protocol, ...]:
    """The protocols ``found``, in :class:`Protocol`'s order; ``None`` (an IANA record
    with a blank protocol) stands for all four."""
    seen = set(found)
    return tuple(Protocol) if None in seen else tuple(p for p in Protocol if p in seen)


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
    """Where a name for a port or service comes from.

    The first four in the order ties are broken between them; ``LOCAL``, your own, comes
    before all of them wherever one name is shown (see the names page).
    """

    IANA = "iana"
    """The IANA registry's own alias and duplicate rows."""
    SERVICES = "services"
    """A system services file (``/etc/services``): its primary names and aliases."""
    NMAP = "nmap"
    """The service names that Nmap prints in its scans."""
    OBSERVED = "observed"
    """Well-known unofficial uses of ports, curated by the portinfo project."""
    LOCAL = "local"
    """Your own names of ports, from the local files you keep (see
    :class:`~portinfo.LocalService`)."""


class ReferenceKind(_StrEnum):
    """What a reference of an IANA record points to."""

    RFC = "rfc"
    DRAFT = "draft"
    URI = "uri"
    TEXT = "text"
    NOTE = "note"


class Match(_StrEnum):
    """How a search result matched, best first: within well-known services and within the
    rest, results are ranked in this order."""

    EXACT = "exact"
    """The text is the name, in any case."""
    PORT = "port"
    """The text is a port number, and the name is on that port."""
    PREFIX = "prefix"
    """The name starts with the text."""
    SUBSTRING = "substring"
    """The name contains the text."""
    DESCRIPTION = "description"
    """Every word of the text starts a word of the description or of the observed use."""

    @property
    def rank(self) -> int:
        """0 for the best kind of match, then 1, 2, 3, 4: the order of results."""
        return _MATCH_RANK[self]


_MATCH_RANK = {match: rank for rank, match in enumerate(Match)}

# Shown as portinfo.Protocol and so on, the names users import them by.
for _enum in (Protocol, Status, Source, ReferenceKind, Match):
    _enum.__module__ = "portinfo"
