"""Name resolution: from a service name or any other name to the services it stands for.

A name leads, in this order, to your own service of that name (a local file's, by its
name or an alias); to the service whose own IANA name it is; to the IANA services
it is an alias of, by source (IANA, services file, Nmap, observed uses) and then by lowest
port; and last, where some source uses the name on a port that IANA has no service for, to
the name itself as a service of its own, on those ports. The registry keeps the answers
(see :mod:`portinfo._registry`); this module works them out from the loaded data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from portinfo._data import Data
from portinfo._enums import Protocol, Source
from portinfo._records import Alias
from portinfo._results import Service, spans_on
from portinfo._rows import OWN_NAME, SOURCE_RANK
from portinfo._validate import show
from portinfo.exceptions import UnknownServiceError

if TYPE_CHECKING:
    from portinfo._own import LocalService

__all__ = ["find", "first_port", "similar_names"]


def find(data: Data, key: str, name: str) -> tuple[Service, ...]:
    """Every service ``key`` (the :func:`~portinfo._validate.name_key` of ``name``) stands
    for, best first; :class:`~portinfo.UnknownServiceError` naming ``name`` where none."""
    found = _find(data, key) if key else ()
    if not found:
        hint = ""
        digits = name.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= 5:
            hint = f"; to look up a port number, use lookup({digits})"
        raise UnknownServiceError(f"no service or alias is named {show(name)}{hint}")
    return found


def _find(data: Data, key: str) -> tuple[Service, ...]:
    found: dict[str, Service] = _local(data, key)  # your own first
    own = any(data.assignment(n).alias_of is None for n in data.iana.named(key))
    if own:
        service = _service(data, key, None)
        assert service is not None
        found[key] = service
    named = sorted(
        map(data.alias, data.names.named(key)),
        key=lambda a: (SOURCE_RANK[a.source], -1 if a.port is None else a.port),
    )
    untied: list[Alias] = []
    for alias in named:
        targets = [alias.service.lower()] if alias.service else []
        if not targets and alias.port is not None and not own:
            untied.append(alias)  # a name no source ties to an IANA service: its own
        for target in targets:
            if target != key and target not in found:
                service = _service(data, target, alias)
                if service is not None:
                    found[target] = service
    if not own and untied:
        service = _service(data, key, untied[0], untied)
        if service is not None:
            # Keyed apart from IANA names: this is the name as a service of its own.
            found.setdefault(f"\0{key}", service)
    # Observed uses called so, by name or by what people call them ("rdp").
    for use in map(data.use, data.uses.named(key)):
        if f"\0{use.name}" not in found and (use.name != key or not own):
            matched = None if use.name == key else Alias(key, Source.OBSERVED)
            service = _service(data, use.name, matched)
            if service is not None:
                found[f"\0{use.name}"] = service
    # A name IANA registers without a port, that no other source gives one either, comes
    # after the services that do have ports: resolve() answers with a port where any is.
    return tuple(sorted(found.values(), key=lambda service: not service.ports))


def _local(data: Data, key: str) -> dict[str, Service]:
    """Your own services that ``key`` names, by name or alias: one service a name, with
    every entry of that name (a services file's tcp and udp lines), keyed apart from the
    other services."""
    found: dict[str, Service] = {}
    for number in data.local.named(key):
        first = data.own(number)
        name = first.name.lower()
        if f"\1{name}" in found:
            continue
        entries = [own for own in map(data.own, data.local.named(name)) if own.name.lower() == name]
        alias = next((a for a in first.aliases if a.lower() == key), None)
        others = dict.fromkeys(
            _local_alias(a, own) for own in entries for a in own.aliases if a.lower() != key
        )
        found[f"\1{name}"] = Service(
            first.name,
            [span for own in entries for span in own.ports],
            aliases=tuple(others),
            matched=None if alias is None else _local_alias(alias, first),
            local=tuple(entries),
        )
    return found


def _local_alias(name: str, own: LocalService) -> Alias:
    """``name``, an alias of your own service ``own``, as an :class:`Alias` of the local
    source, with its port and protocol where it has one of each."""
    protocol = own.protocols[0] if len(own.protocols) == 1 else None
    (first, last), *more = own.ports
    return Alias(name, Source.LOCAL, protocol, first if first == last and not more else None)


def _service(
    data: Data, key: str, matched: Alias | None, listings: Sequence[Alias] = ()
) -> Service | None:
    """The service called ``key``: its IANA records, its other names, the other sources'
    listings of the same name (``listings`` where given, else every one) and the observed
    uses of that name."""
    assignments = tuple(map(data.assignment, data.iana.named(key)))
    if not listings and assignments:
        # The other sources' listings of this name, but not those that stand for another
        # service where IANA already gives this one ports (Nmap's "kerberos" on 750/udp is
        # kerberos-iv's, not IANA's kerberos on 88).
        has_ports = any(a.first is not None for a in assignments)
        listings = [
            alias
            for alias in map(data.alias, data.names.named(key))
            if alias.source is not Source.IANA
            and not (has_ports and alias.service and alias.service.lower() != key)
        ]
    uses = tuple(u for u in map(data.use, data.uses.named(key)) if u.name == key)
    if not (assignments or listings or uses):
        return None
    name = assignments[0].service if assignments else None
    name = name or (listings[0].name if listings else uses[0].name)
    ports = [span for a in assignments for span in a.ports]  # Service merges them
    ports += [(alias.port, alias.port) for alias in listings if alias.port is not None]
    ports += [span for u in uses for span in u.ports + u.ranges]
    groups = data.names.groups
    others = (data.alias(n) for n in data.names.targeting(key) if not groups[n] & OWN_NAME)
    aliases = tuple(alias for alias in others if alias.name.lower() != key)
    return Service(name, ports, assignments, aliases, uses, matched, (), tuple(listings))


def first_port(services: Sequence[Service], protocol: Protocol | None) -> int | None:
    """The lowest port of the first of ``services`` that is on ``protocol`` (any, for
    ``None``), not counting an observed use's wide ranges."""
    for service in services:
        spans = spans_on(service, protocol)
        if spans:
            return min(first for first, _ in spans)
    return None


def similar_names(data: Data, name: str, n: int = 3) -> list[str]:
    """Up to ``n`` names the data know that are close to ``name``: for "did you mean"."""
    import difflib  # noqa: PLC0415  # only for a name that is not found

    tables = (data.local, data.iana, data.names, data.uses)
    names = {key for table in tables for key in table.names()}
    return difflib.get_close_matches(name.lower(), names, n=n, cutoff=0.75)
