"""Input validation: the one place where ports and protocols given by callers are checked.

Every public function that takes a port or a protocol passes it through here, so the rules
and the error messages are the same everywhere. A port is an ``int`` from 0 to 65535 (an
``int`` subclass such as an ``IntEnum``, or any type with ``__index__``, counts and gives a
plain ``int``; ``bool`` does not count) or a string of ASCII digits, optionally with
surrounding white space; where a protocol may be given, ``"80/tcp"`` is accepted too. The
command line also reads a port from a socket address as tools print them,
:func:`address_port`. The parsers of the upstream files read their port fields by the same rule,
:func:`port_from_text`: ASCII decimal digits only, leading zeros allowed, at most
:data:`MAX_PORT_DIGITS` of them. :func:`show` puts any value into a message, briefly.
"""

from __future__ import annotations

import operator
import re

from portinfo._enums import Protocol
from portinfo.exceptions import InvalidArgumentError, InvalidPortError, InvalidProtocolError

__all__ = [
    "ADDRESS_RULE",
    "MAX_PORT",
    "MAX_PORT_DIGITS",
    "PROTOCOL_NUMBERS",
    "PROTOCOL_RULE",
    "SERVICE_NAME_RULE",
    "address_port",
    "is_service_name",
    "name_key",
    "parse_lookup",
    "parse_port",
    "parse_port_protocol",
    "parse_protocol",
    "plain_int",
    "port_from_text",
    "show",
]

MAX_PORT = 65535

MAX_PORT_DIGITS = 16
"""The most digits a port may be written with, leading zeros included (``00080``).

Checked before ``int()``, so that a long digit string costs nothing and never meets Python's
limit on converting long digit strings (4,300 digits), which raises a ``ValueError`` of its own.
"""


SERVICE_NAME_RULE = (
    "a service name: 1 to 63 ASCII letters, digits and - _ . + * / :, starting with a letter"
    " or digit"
)
"""What a name in a services or nmap-services file may be, as error messages say it."""
_SERVICE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+*/:-]{0,62}")


def is_service_name(text: str) -> bool:
    """Whether ``text`` looks like a service name: RFC 6335's letters, digits and hyphens,
    with the characters that real registries and files also use (``_`` in ``gds_db``,
    ``.`` in ``z39.50``, ``+`` in ``whois++``, ``*`` in ``sql*net``, ``/`` in ``cl/1``,
    ``:`` in Nmap's ``X11:1``), at most 63 of them (a DNS label), and never starting with
    anything but a letter or digit."""
    return _SERVICE_NAME.fullmatch(text) is not None


_BY_NAME: dict[str, Protocol] = {p.value: p for p in Protocol}
_BY_NAME.update({"tcp6": Protocol.TCP, "udp6": Protocol.UDP})  # the socket tables' spellings
PROTOCOL_NUMBERS = {6: Protocol.TCP, 17: Protocol.UDP, 132: Protocol.SCTP, 33: Protocol.DCCP}
"""The IANA protocol numbers, as flow logs and IP headers write protocols."""
PROTOCOL_RULE = (
    "'tcp', 'udp', 'sctp' or 'dccp' (any case), 'tcp6' or 'udp6', or an IANA protocol"
    " number: 6, 17, 132 or 33"
)
"""What a protocol may be, as error messages say it."""
# The spellings callers use most, for a lookup without strip() and lower().
_COMMON: dict[object, Protocol | None] = {None: None}
for _protocol in Protocol:
    _COMMON.update(
        {_protocol: _protocol, _protocol.value: _protocol, _protocol.value.upper(): _protocol}
    )


_SHOW_LENGTH = 60
# Below 2**192 an int has at most 58 digits: its repr fits in a message as it is. Above, show
# gives its number of digits instead, as repr() of an int over 4,300 digits raises ValueError.
_SHOW_INT_BITS = 192
# Up to 2**17 bits (some 40,000 digits) the count is exact, at the cost of a power of ten of
# that size (a millisecond or two). Above, powers of ten cost too much (seconds, for a
# megabyte of int): the count is the estimate from the bit length, "about", and may be one too many.
_EXACT_DIGITS_BITS = 2**17
_LOG10_2 = 0.30102999566398120


def _digits(number: int) -> tuple[int, bool]:
    """How many decimal digits ``number`` (1 or more) has, found without converting it to text,
    and whether the count is exact (see :data:`_EXACT_DIGITS_BITS`)."""
    count = int(number.bit_length() * _LOG10_2) + 1  # right, or one too many
    if number.bit_length() > _EXACT_DIGITS_BITS:
        return count, False
    while count > 1 and 10 ** (count - 1) > number:  # a loop, in case the float was off
        count -= 1
    while 10**count <= number:
        count += 1
    return count, True


def _describe_int(value: int) -> str:
    name = type(value).__name__
    kind = "int" if type(value) is int else f"{name} (int)"
    sign = "negative " if value < 0 else ""
    article = "an" if (sign or kind)[0] in "aeiouAEIOU" else "a"
    count, exact = _digits(abs(value))
    return f"{article} {sign}{kind} of {'' if exact else 'about '}{count:,} digits"


def plain_int(value: object, what: str, *, least: int | None = None) -> int:
    """``value``, checked to be an ``int``: a ``TypeError`` naming ``what`` for a ``bool``
    or anything but an ``int``, and an :class:`~portinfo.InvalidArgumentError` for one
    under ``least``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {show(value)}")
    if least is not None and value < least:
        raise InvalidArgumentError(f"{what} must be at least {least}, got {show(value)}")
    return value


def show(value: object) -> str:
    """``repr(value)``, shortened in the middle when it is too long for a readable message.

    An ``int`` too long to show is described by its number of digits (``"an int of 5,001
    digits"``) and never converted to text; a value whose ``repr`` would write one (a list
    that holds it) is shown by its type's name.
    """
    if isinstance(value, int) and value.bit_length() > _SHOW_INT_BITS:
        return _describe_int(value)
    try:
        text = repr(value)
    except ValueError:  # Python's limit on converting an int of over 4,300 digits to text
        return f"<{type(value).__name__} object>"
    if len(text) <= _SHOW_LENGTH:
        return text
    return f"{text[:28]}...{text[-28:]} ({len(text)} characters)"


def port_from_text(text: str) -> int | None:
    """The port that ``text`` writes, or ``None``: the one rule for a port written as text.

    ASCII decimal digits only (no sign, no ``_``, no white space, no digits of other
    scripts), 1 to :data:`MAX_PORT_DIGITS` of them (leading zeros count), with a value from
    0 to :data:`MAX_PORT`. The API and the parsers of every upstream file read ports by it.
    """
    if 0 < len(text) <= MAX_PORT_DIGITS and text.isascii() and text.isdigit():
        number = int(text)
        if number <= MAX_PORT:
            return number
    return None


def _out_of_range(value: object) -> InvalidPortError:
    return InvalidPortError(f"port must be an integer from 0 to {MAX_PORT}, got {show(value)}")


def _wrong_type(value: object) -> TypeError:
    return TypeError(f"port must be an int or a str, got {type(value).__name__}: {show(value)}")


def _parse_digits(value: str, text: str) -> int:
    number = port_from_text(text)
    if number is not None:
        return number
    if not (text.isascii() and text.isdigit()):
        raise InvalidPortError(
            f"port must be an integer from 0 to {MAX_PORT} written in ASCII decimal digits,"
            f" got {show(value)}"
        )
    if len(text) > MAX_PORT_DIGITS:
        raise InvalidPortError(
            f"port must be an integer from 0 to {MAX_PORT} written in at most"
            f" {MAX_PORT_DIGITS} digits, got {show(value)}"
        )
    raise _out_of_range(value)


def _index(value: object) -> int | None:
    """The integer that ``value`` stands for (an ``int``, or any type with ``__index__``,
    such as NumPy's), or ``None`` for another type: one without ``__index__``, or one whose
    ``__index__`` raises ``TypeError`` to say it is no integer, as ``numpy.bool_``'s does."""
    try:
        return operator.index(value)  # type: ignore[arg-type]  # checked here
    except TypeError:
        return None


def _parse_number(value: object) -> int:
    if isinstance(value, bool):
        raise TypeError(f"port must be an int or a str, got bool: {value!r} is not a port")
    number = _index(value)
    if number is None:
        raise _wrong_type(value)
    if 0 <= number <= MAX_PORT:
        return int(number)  # an IntEnum's or NumPy's port, as a plain int
    if number is value:
        raise _out_of_range(value)
    raise InvalidPortError(
        f"port must be an integer from 0 to {MAX_PORT}, got {show(value)} (= {show(number)})"
    )


def parse_port(value: object) -> int:
    """Return ``value`` as a port number, or raise ``InvalidPortError`` or ``TypeError``.

    A protocol suffix (``"80/tcp"``) is not accepted here: use :func:`parse_port_protocol`
    where a protocol may be given.
    """
    if isinstance(value, str):
        text = value.strip()
        number_text, slash, _ = text.partition("/")
        number_text = number_text.strip()
        if slash and number_text.isascii() and number_text.isdigit():
            raise InvalidPortError(
                f"a protocol suffix is not accepted here, got {show(value)};"
                f" give the port alone, e.g. {show(number_text)}"
            )
        return _parse_digits(value, text)
    return _parse_number(value)


def _wrong_protocol_type(value: object) -> TypeError:
    return TypeError(
        f"protocol must be a Protocol, a str or an int, got {type(value).__name__}: {show(value)}"
    )


def parse_protocol(value: object) -> Protocol:
    """Return ``value`` as a :class:`Protocol`, however a person, a flow log or a socket
    table writes it: a ``Protocol``; ``"tcp"``, ``"udp"``, ``"sctp"`` or ``"dccp"`` in any
    case; the socket tables' ``"tcp6"`` and ``"udp6"``; or the IANA protocol number, 6, 17,
    132 or 33, as an ``int`` (of any integer type) or a string of digits.

    Raises :class:`~portinfo.InvalidProtocolError` for another value and ``TypeError`` for
    another type (``bool`` among them).
    """
    if isinstance(value, Protocol):
        return value
    if isinstance(value, str):
        key = value.strip().lower()
        found = _BY_NAME.get(key)
        if found is None and key.isascii() and key.isdigit() and len(key) <= 3:
            found = PROTOCOL_NUMBERS.get(int(key))
    else:
        number = None if isinstance(value, bool) else _index(value)
        if number is None:
            raise _wrong_protocol_type(value)
        found = PROTOCOL_NUMBERS.get(number)
    if found is None:
        raise InvalidProtocolError(f"protocol must be {PROTOCOL_RULE}, got {show(value)}")
    return found


def parse_port_protocol(value: object, protocol: object = None) -> tuple[int, Protocol | None]:
    """Return ``(port, protocol)`` from a port that may carry a ``/protocol`` suffix.

    ``protocol`` is the separately given protocol, if any; given both ways, they must agree.
    """
    if value.__class__ is int and 0 <= value <= MAX_PORT:  # the common case, first
        # Only None, a str or a Protocol is looked up unchecked: a value of another type
        # may not hash (a list; NumPy's timedelta64 raises ValueError), so it is checked.
        kind = protocol.__class__
        if (protocol is None or kind is str or kind is Protocol) and protocol in _COMMON:
            return value, _COMMON[protocol]
    given = None if protocol is None else parse_protocol(protocol)
    if isinstance(value, str) and "/" in value:
        number_text, _, suffix = value.strip().partition("/")
        port = _parse_digits(value, number_text.strip())
        try:
            found = parse_protocol(suffix)
        except InvalidProtocolError:
            raise InvalidProtocolError(
                f"protocol must be {PROTOCOL_RULE}, got {show(suffix)} in {show(value)}"
            ) from None
        if given is not None and given is not found:
            raise InvalidProtocolError(
                f"{show(value)} names protocol {found.value!r}"
                f" but protocol={show(protocol)} was also given"
            )
        return port, found
    return parse_port(value), given


def name_key(name: object) -> str:
    """A service name as the tables file it: stripped and lower-cased, or ``""`` where it
    can't be a name (names are ASCII, so ``"\\u212aerberos"`` is not ``kerberos``); a
    ``TypeError`` for anything but a ``str``."""
    if not isinstance(name, str):
        raise TypeError(f"service name must be a str, got {type(name).__name__}: {show(name)}")
    key = name.strip()
    return key.lower() if key.isascii() else ""


def parse_lookup(port: object, protocol: object) -> tuple[int, Protocol | None]:
    """:func:`parse_port_protocol`, with a hint to resolve a name where one was given."""
    try:
        return parse_port_protocol(port, protocol)
    except InvalidPortError as error:
        name = port.strip().partition("/")[0] if isinstance(port, str) else ""
        if len(name) <= 64 and name[:1].isalpha():
            raise InvalidPortError(
                f"{error}; to find a service by name, use resolve({name!r})"
            ) from None
        raise


ADDRESS_RULE = "HOST:PORT, [IPv6]:PORT, *:PORT or, as netstat writes IPv6, ADDRESS:PORT (:::22)"
"""What a socket address may be, as error messages say it."""
_IPV6_TEXT = frozenset("0123456789abcdefABCDEF:.")


def _is_ipv6(text: str) -> bool:
    import ipaddress  # noqa: PLC0415  # only for a query written as an unbracketed IPv6 address

    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _checked_port(port: str, text: str) -> str:
    """``port``, the part of the socket address ``text`` after its last colon, where it is a
    port (with an optional ``/protocol``) or a range; else an :class:`InvalidPortError`."""
    head = port.partition("/")[0].strip()
    if not head:
        raise InvalidPortError(
            f"a socket address needs a port after its last ':', got {show(text)}"
        )
    first, dash, last = head.partition("-")
    if not (dash and first and last) and port_from_text(head) is None:
        raise InvalidPortError(
            f"port must be an integer from 0 to {MAX_PORT}, got {show(port)} in {show(text)}"
        )
    return port


def address_port(text: str) -> str | None:
    """The port of ``text`` written as a socket address, as text; ``None`` where ``text`` is
    not written as one (it has no ``:`` and starts with no ``[``).

    The forms are those that tools print: ``127.0.0.1:22`` and ``localhost:22``,
    ``[::1]:22`` (ss, URLs), ``*:22`` (ss's any address), ``:22`` (no host, as Go and Docker
    write a listening address), and an IPv6 address without brackets, as netstat writes it:
    ``:::22`` (``::`` and port 22) and ``::1:631``, where what comes before the last ``:``
    must be an IPv6 address. The port is returned as written, for the caller to read: it may
    carry a protocol (``*:53/udp``) or be a range (``*:6000-6010``).

    Raises :class:`~portinfo.InvalidPortError` naming ``text`` for a socket address without
    a port (``*:``, ``:::``, ``[::1]``, or ``::1``, an IPv6 address alone) or with one that is
    not a port (``*:99999``).
    """
    if text.startswith("["):
        host, bracket, port = text[1:].partition("]")
        if not (bracket and host and port.startswith(":")):
            raise InvalidPortError(
                f"a socket address in brackets must be [ADDRESS]:PORT, got {show(text)}"
            )
        return _checked_port(port[1:], text)
    host, colon, port = text.rpartition(":")
    if not colon:
        return None
    if ":" not in host:
        return _checked_port(port, text)
    if not _IPV6_TEXT.issuperset(host.partition("%")[0]):
        return None  # not an address: a name, say, which the caller looks up as one
    if _is_ipv6(host):
        return _checked_port(port, text)
    if _is_ipv6(text):
        raise InvalidPortError(
            f"{show(text)} is an IPv6 address without a port: give one as [ADDRESS]:PORT"
        )
    raise InvalidPortError(f"a socket address must be {ADDRESS_RULE}, got {show(text)}")
