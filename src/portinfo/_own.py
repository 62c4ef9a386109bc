"""``LocalService``: one of your own services, from a local file you keep.

Kept apart from :mod:`portinfo._records`, as the answers of resolution and search are, so
that a program that only looks up ports in the packaged data never builds its class (some
0.4 ms of every first lookup): it is imported where local files are read or their rows
decoded. Built from a user's file, it checks its fields with validators, whatever built it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from portinfo._enums import Protocol
from portinfo._records import (
    Record,
    as_tuple,
    checked_spans,
    in_spans,
    nonempty_text,
    optional_text,
    public,
    tuple_of,
)
from portinfo._validate import show
from portinfo.exceptions import InvalidArgumentError

if TYPE_CHECKING:
    from portinfo.dicts import LocalServiceDict

__all__ = ["LocalService"]


def _optional_line(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    optional_text(instance, attribute, value)
    if isinstance(value, str) and "\n" in value:
        raise InvalidArgumentError(f"{attribute.name} must be one line, got {show(value)}")


def _protocols(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    tuple_of(Protocol)(instance, attribute, value)
    if not value:
        raise InvalidArgumentError(f"{attribute.name} must not be empty")


@attrs.frozen
class LocalService(Record):
    """One of your own services, from a local file you keep: a name of yours for ports.

    Read from a TOML file's ``[[service]]`` table or a services-format line (see the page
    "Your own ports"). Your own names come first wherever one name of a port is shown, and
    never hide IANA's records: a port keeps them in :attr:`PortInfo.assignments`.
    """

    if TYPE_CHECKING:  # the runtime method is Record.as_dict; this says what it gives

        def as_dict(self) -> LocalServiceDict: ...

    name: str = attrs.field(validator=nonempty_text)
    """Your name of the service, such as ``"quill-api"``: the port's name everywhere."""
    ports: tuple[tuple[int, int], ...] = attrs.field(converter=checked_spans)
    """The ports it is on, as ``(first, last)`` spans, ascending and merged."""
    protocols: tuple[Protocol, ...] = attrs.field(converter=as_tuple, validator=_protocols)
    """The protocols it uses."""
    title: str | None = attrs.field(default=None, validator=_optional_line)
    """What it is, in a few words (``"Quill API"``); a services line's comment."""
    description: str | None = attrs.field(default=None, validator=_optional_line)
    """One line more about it, where the file gives one."""
    url: str | None = attrs.field(default=None, validator=optional_text)
    """Where its documentation is, where the file gives it."""
    aliases: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=tuple_of(str))
    """Its other names, which :func:`portinfo.resolve` and search find it by."""
    file: str | None = attrs.field(default=None, validator=optional_text)
    """The name of the local file it comes from (without its directory)."""

    def __attrs_post_init__(self) -> None:
        if not self.ports:
            raise InvalidArgumentError(f"local service {show(self.name)} must have ports")

    def covers(self, port: int) -> bool:
        """Whether ``port`` is one of its ports."""
        return in_spans(port, self.ports)


public(LocalService)
