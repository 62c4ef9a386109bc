"""Input validation: the one place where ports and protocols given by callers are checked.

Every public function that takes a port or a protocol passes it through here, so the rules
and the error messages are the same everywhere. A port is an ``int`` from 0 to 65535 (any
type with ``__index__`` but ``bool`` counts) or a string of ASCII digits, optionally with
surrounding white space; where a protocol may be given, ``"80/tcp"`` is accepted too.
"""

from __future__ import annotations

import operator
from typing import SupportsIndex

from portinfo._enums import Protocol
from portinfo.exceptions import InvalidPortError, InvalidProtocolError

__all__ = [
    "MAX_PORT",
    "parse_port",
    "parse_port_protocol",
    "parse_protocol",
    "show",
]

MAX_PORT = 65535


_PROTOCOL_NAMES = ", ".join(repr(p.value) for p in Protocol)
_BY_NAME: dict[str, Protocol] = {p.value: p for p in Protocol}
# The spellings callers use most, for a lookup without strip() and lower().
_COMMON: dict[object, Protocol | None] = {None: None}
for _protocol in Protocol:
    _COMMON.update(
        {_protocol: _protocol, _protocol.value: _protocol, _protocol.value.upper(): _protocol}
    )


def show(value: object) -> str:
    """``repr(value)``, shortened in the middle when it is too long for a readable message."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:28]}...{text[-28:]} ({len(text)} characters)"


def _out_of_range(value: object) -> InvalidPortError:
    return InvalidPortError(f"port must be an integer from 0 to {MAX_PORT}, got {show(value)}")


def _wrong_type(value: object) -> TypeError:
    return TypeError(f"port must be an int or a str, got {type(value).__name__}: {show(value)}")


def _parse_digits(value: str, text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise InvalidPortError(
            f"port must be an integer from 0 to {MAX_PORT} written in ASCII decimal digits,"
            f" got {show(value)}"
        )
    # Checked before int(): a huge digit string would otherwise hit Python's
    # int-from-str digit limit (ValueError) instead of the range error.
    if len(text.lstrip("0")) > len(str(MAX_PORT)):
        raise _out_of_range(value)
    number = int(text)
    if number > MAX_PORT:
        raise _out_of_range(value)
    return number


def _parse_number(value: object) -> int:
    if isinstance(value, bool):
        raise TypeError(f"port must be an int or a str, got bool: {value!r} is not a port")
    if isinstance(value, int):
        if 0 <= value <= MAX_PORT:
            return value
        raise _out_of_range(value)
    if not isinstance(value, SupportsIndex):
        raise _wrong_type(value)
    try:
        number = operator.index(value)  # numpy integers and other integer-like types
    except TypeError:  # a type that has __index__ but refuses, as numpy.bool_ does
        raise _wrong_type(value) from None
    if 0 <= number <= MAX_PORT:
        return number
    raise InvalidPortError(
        f"port must be an integer from 0 to {MAX_PORT}, got {show(value)} (= {number})"
    )


def parse_port(value: object) -> int:
    """Return ``value`` as a port number, or raise ``InvalidPortError`` or ``TypeError``.

    A protocol suffix (``"80/tcp"``) is not accepted here: use :func:`parse_port_protocol`
    where a protocol may be given.
    """
    if isinstance(value, str):
        text = value.strip()
        number_text, slash, _ = text.partition("/")
        if slash and number_text.strip().isdigit():
            raise InvalidPortError(
                f"a protocol suffix is not accepted here, got {show(value)};"
                f" give the port alone, e.g. {number_text.strip()!r}"
            )
        return _parse_digits(value, text)
    return _parse_number(value)


def parse_protocol(value: object) -> Protocol:
    """Return ``value`` as a :class:`Protocol`; case-insensitive for strings."""
    if isinstance(value, Protocol):
        return value
    if not isinstance(value, str):
        raise TypeError(
            f"protocol must be a Protocol or a str, got {type(value).__name__}: {show(value)}"
        )
    found = _BY_NAME.get(value.strip().lower())
    if found is None:
        raise InvalidProtocolError(f"protocol must be one of {_PROTOCOL_NAMES}, got {show(value)}")
    return found


def parse_port_protocol(value: object, protocol: object = None) -> tuple[int, Protocol | None]:
    """Return ``(port, protocol)`` from a port that may carry a ``/protocol`` suffix.

    ``protocol`` is the separately given protocol, if any; given both ways, they must agree.
    """
    if value.__class__ is int and 0 <= value <= MAX_PORT:  # the common case, first
        try:
            return value, _COMMON[protocol]
        except (KeyError, TypeError):  # another spelling, or an unhashable object
            pass
    given = None if protocol is None else parse_protocol(protocol)
    if isinstance(value, str) and "/" in value:
        number_text, _, suffix = value.strip().partition("/")
        port = _parse_digits(value, number_text.strip())
        try:
            found = parse_protocol(suffix)
        except InvalidProtocolError:
            raise InvalidProtocolError(
                f"protocol must be one of {_PROTOCOL_NAMES}, got {show(suffix)} in {show(value)}"
            ) from None
        if given is not None and given is not found:
            raise InvalidProtocolError(
                f"{show(value)} names protocol {found.value!r}"
                f" but protocol={show(protocol)} was also given"
            )
        return port, found
    return parse_port(value), given
