"""portinfo: what a port number is.

RFC 6335 range classification, every record of the IANA Service Name and Transport
Protocol Port Number Registry, and the other names ports and services go by, answered
from data shipped inside the package.
"""

from __future__ import annotations

from portinfo._enums import Protocol
from portinfo._ranges import PortRange, classify
from portinfo.exceptions import (
    InvalidPortError,
    InvalidProtocolError,
    PortinfoError,
)

__all__ = [
    "InvalidPortError",
    "InvalidProtocolError",
    "PortRange",
    "PortinfoError",
    "Protocol",
    "classify",
]
