"""The loaded data: the tables of one registry, their records decoded on demand, and the
answer to a port lookup built from them.

A :class:`Data` is made once per registry, from the bytes of the data files (the packaged
ones, a saved registry's, or ones compiled in memory from a user's files), after their
manifest and checksums have been verified. It never changes afterwards. Records are
decoded from their rows when first asked for and kept in bounded caches, so that memory
stays bounded whatever is asked.
:meth:`Data.port_info` is the one path of every first question about a port; the registry
keeps its answers (see :mod:`portinfo._registry`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from portinfo._enums import Protocol, Status
from portinfo._ranges import range_of
from portinfo._records import Alias, Person, PortInfo, Use, use_order
from portinfo._rows import (
    LEAD,
    OWN_NAME,
    PORT_LEAD,
    alias_from_row,
    assignment_decoder,
    local_from_row,
    person_from_row,
    use_from_row,
)
from portinfo._store import (
    LOCAL_FILES,
    LOCAL_TABLE,
    PROTOCOL_BITS,
    TABLES,
    Table,
    encode_table,
    packaged_files,
    verify,
)
from portinfo.exceptions import NoRankingError

if TYPE_CHECKING:
    from portinfo._own import LocalService

__all__ = ["RECORD_CACHE", "Data", "packaged"]

RECORD_CACHE = 2048
"""How many decoded records of each kind a registry keeps (the least recently used go).
A sweep over the ports meets a record on consecutive ports, so a small cache decodes each
about once."""


class Data:
    """Everything a registry answers from, once loaded (internal; never handed out)."""

    def __init__(
        self,
        files: Mapping[str, bytes],
        where: str,
        frequencies: Mapping[tuple[int, Protocol], float] | None = None,
        *,
        directory: str | None = None,
    ) -> None:
        self.manifest = verify(files, where, saved=directory is not None)
        self.files = files
        self.directory = directory  # where a saved registry was read from
        tables = {
            name: Table(files[f"{name}.jsonl"], files[f"{name}.idx"], f"{where}/{name}")
            for name in TABLES
        }
        self.iana, self.people = tables["iana"], tables["people"]
        self.names, self.uses = tables["names"], tables["uses"]
        jsonl, idx = LOCAL_FILES  # your own services: only where local files were given
        self.local = (
            Table(files[jsonl], files[idx], f"{where}/{LOCAL_TABLE}")
            if jsonl in files
            else _no_local()
        )
        # Few ports have other names or observed uses: a byte test spares the rest a bisect.
        self.named_ports, self.used_ports = self.names.coverage(), self.uses.coverage()
        self.own_ports = self.local.coverage()
        self.frequencies = frequencies
        decode = assignment_decoder(self.person)
        self._people: dict[int, Person] = {}
        cache = functools.lru_cache(maxsize=RECORD_CACHE)
        self.assignment = cache(lambda number: decode(self.iana.row(number)))
        self.alias = cache(lambda number: alias_from_row(self.names.row(number))[0])
        self.use = cache(lambda number: use_from_row(self.uses.row(number)))
        self.own = cache(lambda number: local_from_row(self.local.row(number)))

    def person(self, number: int) -> Person:
        """The person of row ``number`` (few people, each kept once decoded)."""
        person = self._people.get(number)
        if person is None:
            person = self._people[number] = person_from_row(self.people.row(number))
        return person

    @staticmethod
    def rows_at(table: Table, port: int, protocol: Protocol | None) -> Sequence[int]:
        """The rows of ``table`` on ``port`` that cover ``protocol`` (any, for ``None``;
        a row whose protocol mask is 0 covers all four)."""
        rows = table.at_port(port)
        if protocol is None or not rows:
            return rows
        bit, masks = PROTOCOL_BITS[protocol], table.masks
        return [n for n in rows if not masks[n] or masks[n] & bit]

    def port_info(self, port: int, protocol: Protocol | None) -> PortInfo:
        """What is known of ``port`` (checked) on ``protocol``: the answer of a lookup."""
        rows = self.rows_at(self.iana, port, protocol)
        if len(rows) > 1:  # the prominent service first, the rest in registry order
            groups, lead = self.iana.groups, LEAD if protocol is not None else PORT_LEAD
            rows = sorted(rows, key=lambda n: not groups[n] & lead)
        assignments = tuple(map(self.assignment, rows))
        status = _UNASSIGNED  # assigned if any record assigns it, else reserved if any does
        for assignment in assignments:
            if assignment.status is _ASSIGNED:
                status = _ASSIGNED
                break
            if assignment.status is _RESERVED:
                status = _RESERVED
        aliases: tuple[Alias, ...] = ()
        if self.named_ports[port]:
            groups = self.names.groups
            rows = self.rows_at(self.names, port, protocol)
            aliases = tuple(self.alias(n) for n in rows if not groups[n] & OWN_NAME)
        uses: tuple[Use, ...] = ()
        if self.used_ports[port]:
            # Those that listen on the port first (the usual ones first), wide ranges after.
            found = list(map(self.use, self.rows_at(self.uses, port, protocol)))
            if len(found) > 1:
                found.sort(key=lambda u: (not u.listens_on(port), use_order(u)))
            uses = tuple(found)
        own: tuple[LocalService, ...] = ()
        if self.own_ports[port]:  # your own services, the first file's first
            own = tuple(map(self.own, self.rows_at(self.local, port, protocol)))
        return PortInfo(port, protocol, range_of(port), status, assignments, aliases, uses, own)

    def top_ports(self, n: int, protocol: Protocol) -> tuple[int, ...]:
        """The ``n`` ports most often found open on ``protocol``, ties to the lower port."""
        if self.frequencies is None:
            raise NoRankingError(
                "this registry has no open-frequency figures: portinfo does not ship Nmap's."
                " Build one from your own nmap-services file, e.g."
                " Registry.from_files(nmap='/usr/share/nmap/nmap-services')"
            )
        import heapq  # noqa: PLC0415  # only with open-frequency figures (0.3 ms of imports)

        found = ((-f, port) for (port, p), f in self.frequencies.items() if p is protocol)
        return tuple(port for _, port in heapq.nsmallest(n, found))


_ASSIGNED, _RESERVED, _UNASSIGNED = Status.ASSIGNED, Status.RESERVED, Status.UNASSIGNED


@functools.lru_cache(maxsize=1)
def _no_local() -> Table:
    """The empty table of your own services, of data compiled with no local file."""
    return Table(*encode_table([], {}), LOCAL_TABLE)


def packaged() -> Data:
    """The data shipped with portinfo, read with ``importlib.resources`` and verified."""
    return Data(packaged_files(), "portinfo/data")
