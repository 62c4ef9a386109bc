"""The answer of name resolution: ``Service``.

Kept apart from :mod:`portinfo._records`, so that a program that only looks up ports never
builds its class (and search's ``SearchResult`` is in :mod:`portinfo._search`, so that
resolving a name never builds that one). It is assembled by the registry from parts
already checked, so it carries no validators (see :mod:`portinfo._records`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from portinfo._enums import Protocol, in_order
from portinfo._records import (
    Alias,
    Assignment,
    Record,
    Use,
    as_tuple,
    in_spans,
    merge_spans,
    public,
)

if TYPE_CHECKING:
    from portinfo._own import LocalService
    from portinfo.dicts import ServiceDict

__all__ = ["Service", "spans_on"]


@attrs.frozen
class Service(Record):
    """A service found by name: its IANA records and ports, and how the name was matched."""

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> ServiceDict: ...

    name: str
    """The IANA service name; or, for a name that no IANA record has (your own service's,
    say), the name itself."""
    ports: tuple[tuple[int, int], ...] = attrs.field(converter=merge_spans)
    """Every port the service is on, as ``(first, last)`` spans, ascending and merged:
    ``((80, 80),)``, ``((6000, 6063),)`` (empty for a name-only registration)."""
    assignments: tuple[Assignment, ...] = attrs.field(default=(), converter=as_tuple)
    """The service's IANA records (none when IANA does not know the name)."""
    aliases: tuple[Alias, ...] = attrs.field(default=(), converter=as_tuple)
    """The other names of the service, from every source."""
    uses: tuple[Use, ...] = attrs.field(default=(), converter=as_tuple)
    """The curated observed use, when the name is one."""
    matched: Alias | None = None
    """How the name asked for was found, when it is not the service's own IANA name."""
    others: tuple[Service, ...] = attrs.field(default=(), converter=as_tuple)
    """The other services the same name stands for (an alias used on several ports)."""
    listings: tuple[Alias, ...] = attrs.field(default=(), converter=as_tuple)
    """Where other sources (a services file, Nmap) list this very name, each with its
    source, port and protocol: how a name IANA registers without a port, or on other
    protocols, reaches the ports people use it on."""
    local: tuple[LocalService, ...] = attrs.field(default=(), converter=as_tuple)
    """Your own services of this name, from local files, when the name is one of yours
    (a service of yours comes first among those a name stands for)."""

    @property
    def protocols(self) -> tuple[Protocol, ...]:
        """Every protocol the service is on, by any source (all four where an IANA record
        leaves it blank)."""
        # A name-only IANA record (no port) has no protocol either: it says nothing here.
        found: set[Protocol | None] = {a.protocol for a in self.assignments if a.first is not None}
        found.update(a.protocol for a in self.listings if a.port is not None)
        found.update(p for u in self.uses for p in u.protocols)
        found.update(p for own in self.local for p in own.protocols)
        return in_order(found)

    def covers(self, port: int) -> bool:
        """Whether ``port`` is one of the service's ports."""
        return in_spans(port, self.ports)


def spans_on(service: Service, protocol: Protocol | None) -> list[tuple[int, int]]:
    """The ports of ``service`` on ``protocol`` (any, for ``None``), as spans: its IANA
    records', those other sources list its name on, its observed uses' (not their wide
    ranges) and your own services'. A record or listing with a blank protocol is on all four."""
    spans = [
        (a.first, a.last)
        for a in service.assignments
        if a.first is not None and a.last is not None and a.applies_to(protocol)
    ]
    spans += [
        (a.port, a.port)
        for a in service.listings
        if a.port is not None and (protocol is None or a.protocol in (None, protocol))
    ]
    spans += [span for u in service.uses if protocol in (None, *u.protocols) for span in u.ports]
    spans += [
        span for own in service.local if protocol in (None, *own.protocols) for span in own.ports
    ]
    return spans


public(Service)
