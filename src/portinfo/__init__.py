"""portinfo: what a port number is.

RFC 6335 range classification, every record of the IANA Service Name and Transport
Protocol Port Number Registry, and the other names ports and services go by, answered
from data shipped inside the package.

Importing portinfo imports none of its modules: each public name is imported from its
module on first use (PEP 562), so ``import portinfo`` costs next to nothing and a program
pays only for what it uses.
"""

from __future__ import annotations

__version__ = "0.3.0.dev0"

# Neither typing nor importlib is imported at run time: typing alone costs more than
# importing portinfo should. Type checkers treat this name as True.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from portinfo._annotate import annotate
    from portinfo._api import (
        data_info,
        default_registry,
        free,
        lookup,
        name,
        port,
        resolve,
        resolve_all,
        search,
    )
    from portinfo._diff import Diff, PortChange, RecordChange
    from portinfo._diffreport import render_diff
    from portinfo._enums import Match, Protocol, ReferenceKind, Source, Status
    from portinfo._listening import Listener, Listening, listening, render_listeners
    from portinfo._manifest import DataInfo, SourceInfo
    from portinfo._own import LocalService
    from portinfo._ranges import PortRange, classify
    from portinfo._records import (
        Alias,
        Assignment,
        Person,
        PortInfo,
        Reference,
        Use,
    )
    from portinfo._registry import Registry
    from portinfo._report import report
    from portinfo._results import Service
    from portinfo._search import SearchResult
    from portinfo.exceptions import (
        DataFormatError,
        InvalidArgumentError,
        InvalidPortError,
        InvalidProtocolError,
        ListeningError,
        MissingDependencyError,
        NoRankingError,
        PortinfoError,
        UnknownServiceError,
        UnknownSourceError,
    )

__all__ = [
    "Alias",
    "Assignment",
    "DataFormatError",
    "DataInfo",
    "Diff",
    "InvalidArgumentError",
    "InvalidPortError",
    "InvalidProtocolError",
    "Listener",
    "Listening",
    "ListeningError",
    "LocalService",
    "Match",
    "MissingDependencyError",
    "NoRankingError",
    "Person",
    "PortChange",
    "PortInfo",
    "PortRange",
    "PortinfoError",
    "Protocol",
    "RecordChange",
    "Reference",
    "ReferenceKind",
    "Registry",
    "SearchResult",
    "Service",
    "Source",
    "SourceInfo",
    "Status",
    "UnknownServiceError",
    "UnknownSourceError",
    "Use",
    "__version__",
    "annotate",
    "classify",
    "data_info",
    "default_registry",
    "free",
    "listening",
    "lookup",
    "name",
    "port",
    "render_diff",
    "render_listeners",
    "report",
    "resolve",
    "resolve_all",
    "search",
]

_MODULES = {
    "portinfo._annotate": ("annotate",),
    "portinfo._api": (
        "data_info", "default_registry", "free", "lookup", "name", "port", "resolve",
        "resolve_all", "search",
    ),
    "portinfo._diff": ("Diff", "PortChange", "RecordChange"),
    "portinfo._diffreport": ("render_diff",),
    "portinfo._enums": ("Match", "Protocol", "ReferenceKind", "Source", "Status"),
    "portinfo._listening": ("Listener", "Listening", "listening", "render_listeners"),
    "portinfo._ranges": ("PortRange", "classify"),
    "portinfo._manifest": ("DataInfo", "SourceInfo"),
    "portinfo._own": ("LocalService",),
    "portinfo._records": ("Alias", "Assignment", "Person", "PortInfo", "Reference", "Use"),
    "portinfo._registry": ("Registry",),
    "portinfo._report": ("report",),
    "portinfo._results": ("Service",),
    "portinfo._search": ("SearchResult",),
    "portinfo.exceptions": (
        "DataFormatError", "InvalidArgumentError", "InvalidPortError", "InvalidProtocolError",
        "ListeningError", "MissingDependencyError", "NoRankingError", "PortinfoError",
        "UnknownServiceError", "UnknownSourceError",
    ),
}  # fmt: skip
_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'portinfo' has no attribute {name!r}")
    value = getattr(__import__(module, fromlist=(name,)), name)
    globals()[name] = value  # later accesses skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
