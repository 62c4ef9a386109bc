"""The answers of name resolution and search: ``Service``, ``SearchResult`` and ``Match``.

Kept apart from :mod:`portinfo._records`, so that a program that only looks up ports
never builds these classes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from portinfo._enums import Protocol, Source
from portinfo._frozen import FrozenRecord
from portinfo._records import Alias, Assignment, Use, check_port, items, member, text

__all__ = ["Match", "SearchResult", "Service"]


class Service(FrozenRecord):
    """A service found by name: its IANA records and ports, and how the name was matched."""

    __slots__ = ()
    _fields = ("name", "ports", "assignments", "aliases", "uses", "matched", "others")
    name: str
    """The IANA service name; or, for a name that no IANA record has, the name itself."""
    ports: tuple[int, ...]
    """Every port the service is on, ascending (empty for a name-only registration)."""
    assignments: tuple[Assignment, ...]
    """The service's IANA records (none when IANA does not know the name)."""
    aliases: tuple[Alias, ...]
    """The other names of the service, from every source."""
    uses: tuple[Use, ...]
    """The curated observed use, when the name is one."""
    matched: Alias | None
    """How the name asked for was found, when it is not the service's own IANA name."""
    others: tuple[Service, ...]
    """The other services the same name stands for (an alias used on several ports)."""

    def __new__(
        cls,
        name: str,
        ports: Iterable[int],
        assignments: Iterable[Assignment] = (),
        aliases: Iterable[Alias] = (),
        uses: Iterable[Use] = (),
        matched: Alias | None = None,
        others: Iterable[Service] = (),
    ) -> Service:
        if matched is not None and not isinstance(matched, Alias):
            raise TypeError(f"matched must be an Alias or None, got {matched!r}")
        return cls._make(
            text("name", name),
            tuple(check_port("ports", p) for p in ports),
            items("assignments", Assignment, assignments),
            items("aliases", Alias, aliases),
            items("uses", Use, uses),
            matched,
            items("others", Service, others),
        )

    @property
    def protocols(self) -> tuple[Protocol, ...]:
        """The protocols of its IANA records (all four where a record leaves it blank)."""
        found = {a.protocol for a in self.assignments}
        if None in found:
            return tuple(Protocol)
        return tuple(p for p in Protocol if p in found)


class Match(enum.IntEnum):
    """How a search result matched, best first: results are ranked in this order."""

    EXACT = 1
    """The text is the name, in any case."""
    PREFIX = 2
    """The name starts with the text."""
    SUBSTRING = 3
    """The name contains the text."""
    DESCRIPTION = 4
    """Every word of the text starts a word of the description or of the observed use."""

    def __str__(self) -> str:
        return self.name.lower()


class SearchResult(FrozenRecord):
    """One result of :func:`portinfo.search`: a name, where it is from, and its ports."""

    __slots__ = ()
    _fields = ("match", "name", "source", "ports", "protocols", "service", "description")
    match: Match
    """How it matched; results come in this order, then by lowest port."""
    name: str
    """The service name, alias or observed use that matched, or whose description did."""
    source: Source
    """Where the name comes from."""
    ports: tuple[int, ...]
    """The ports the name is on, ascending (empty for a name-only IANA registration)."""
    protocols: tuple[Protocol, ...]
    """The protocols the name is on."""
    service: str | None
    """The IANA service the name stands for, where there is one (its own name for IANA's)."""
    description: str
    """IANA's description, or the observed use's title and description."""

    def __new__(
        cls,
        match: Match,
        name: str,
        source: Source,
        ports: Iterable[int],
        protocols: Iterable[Protocol],
        service: str | None = None,
        description: str = "",
    ) -> SearchResult:
        return cls._make(
            member("match", Match, match),
            text("name", name),
            member("source", Source, source),
            tuple(check_port("ports", p) for p in ports),
            items("protocols", Protocol, protocols),
            None if service is None else text("service", service),
            text("description", description, empty=True),
        )
