"""Every surface that shows one name first shows the same one: name(), the summary, the
report's first line, --brief, annotate and Registry.table, the Sphinx role's text and
tooltip, the listening table, and a search for the port's number.

Fed every port and protocol on which IANA has two or more services (where the one name
must be chosen), and 500 random ones, each with and without a protocol.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import random

import pytest

import portinfo
from portinfo import Protocol, Registry, report
from portinfo.__main__ import main
from portinfo._listening import Listener
from portinfo._records import is_primary, uses_beside

Pair = tuple[int, "Protocol | None"]
SPHINX = importlib.util.find_spec("sphinx") is not None
"""The role is checked where the docs extra (Sphinx) is installed, as in the main test run."""


def _check_role(written: str, name: str | None, info: portinfo.PortInfo) -> None:
    """The Sphinx role's text and tooltip name ``name`` (or say what IANA says of the port)."""
    from portinfo.sphinx import describe

    entry = describe(written)
    if name is None:  # a fact, not an error: "47999/tcp (unassigned)"
        assert (entry.name, entry.label) == ("", f"{written} ({info.status.value})")
        return
    assert (entry.name, entry.label) == (name, f"{written} ({name})")
    same, _ = uses_beside(info, name)
    own = [a.description for a in info.assignments if a.service == name and is_primary(a)]
    if same:  # the use that says what the name is, as the summary says it (RDP on 3389)
        assert entry.description.startswith(same[0].title)
    elif any(own):  # else the tooltip is IANA's description of the service named
        assert entry.description.startswith(next(text for text in own if text))


def _contested(registry: Registry) -> list[tuple[int, Protocol]]:
    """The ports and protocols on which IANA names two or more services (alias rows
    included, as a reader of the registry counts them)."""
    names: dict[tuple[int, Protocol], set[str]] = {}
    for record in registry.assignments():
        if record.service is None or record.first is None or record.last is None:
            continue
        for port in range(record.first, record.last + 1):
            for protocol in [record.protocol] if record.protocol else list(Protocol):
                names.setdefault((port, protocol), set()).add(record.service.lower())
    return sorted((where for where, found in names.items() if len(found) > 1), key=str)


def _pairs() -> list[Pair]:
    registry = portinfo.default_registry()
    contested = _contested(registry)
    assert 200 < len(contested) < 300, len(contested)  # the issue counted about 230
    rng = random.Random(17)  # noqa: S311  # a repeatable sample, not a secret
    chosen = [(rng.randrange(65536), rng.choice(list(Protocol))) for _ in range(500)]
    pairs: list[Pair] = []
    for port, protocol in contested + chosen:
        pairs += [(port, protocol), (port, None)]
    return list(dict.fromkeys(pairs))


def _first_word(line: str, where: str) -> str | None:
    """The name a one-line answer leads with, after ``where``; None where it leads with
    no name (``2/udp (unassigned, ...)``)."""
    assert line.startswith(f"{where} "), (line, where)
    word = line[len(where) + 1 :].split(" ", 1)[0].rstrip(";")
    return None if word.startswith("(") else word


def _brief(port: int, protocol: Protocol | None) -> str:
    out = io.StringIO()
    arguments = [str(port), "--brief"] + ([] if protocol is None else ["-p", protocol.value])
    with contextlib.redirect_stdout(out):
        assert main(arguments) == 0
    return out.getvalue().rstrip("\n")


def test_every_surface_shows_the_same_first_name() -> None:
    registry = portinfo.default_registry()
    checked = 0
    for port, protocol in _pairs():
        where = str(port) if protocol is None else f"{port}/{protocol.value}"
        info = portinfo.lookup(port, protocol)
        name = portinfo.name(port, protocol)
        assert name == info.name
        assert _first_word(info.summary, where) == name, info.summary
        first_line = report(port, protocol).split("\n", 1)[0]
        assert first_line.startswith(f"Port {where}: ")
        assert _first_word(first_line[len("Port ") :].replace(":", "", 1), where) == name
        assert _first_word(_brief(port, protocol), where) == name
        assert portinfo.annotate([port], protocol) == [name]
        assert registry.table(protocol)[port] == name
        if SPHINX:
            _check_role(where, name, info)
        if name is not None:
            assert portinfo.search(str(port), protocol, limit=1)[0].name == name
        if protocol in (Protocol.TCP, Protocol.UDP):
            listener = Listener.at("127.0.0.1", port, protocol)
            assert listener.name == name
            prominent = [a for a in info.assignments if is_primary(a)]
            assert listener.service == (prominent[0].service if prominent else None)
        checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    ("port", "name"), [(2049, "nfs"), (465, "submissions"), (1701, "l2tp"), (750, "kerberos-iv")]
)
def test_the_issues_ports_give_the_same_name_everywhere(port: int, name: str) -> None:
    assert portinfo.name(port) == name
    assert (
        _first_word(report(port).split("\n")[0].replace("Port ", "").replace(":", ""), str(port))
        == name
    )
    assert _first_word(_brief(port, None), str(port)) == name
    assert portinfo.annotate([port]) == [name]
    if SPHINX:
        _check_role(str(port), name, portinfo.lookup(port))
    assert portinfo.search(str(port), limit=1)[0].name == name
