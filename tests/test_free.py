"""Free ports: ``portinfo.free`` and ``portinfo free``.

What counts as claimed is checked independently of the bitmap that ``free`` builds: a port
is claimed on a protocol where :func:`portinfo.lookup` finds an IANA record that assigns or
reserves it, another name, or an observed use (exact or a wide range) on it.
"""

from __future__ import annotations

import inspect
import json
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import portinfo
from portinfo import (
    InvalidArgumentError,
    InvalidPortError,
    InvalidProtocolError,
    Protocol,
    Registry,
    Status,
)
from portinfo.__main__ import main
from portinfo._free import DEFAULT_AVOID, EPHEMERAL

PROTOCOLS: tuple[Protocol | None, ...] = (None, *Protocol)
EVERYWHERE = 65536


def is_claimed(info: portinfo.PortInfo) -> bool:
    """Whether some source claims the port of ``info`` (on its protocol, or any)."""
    registered = any(a.status is not Status.UNASSIGNED for a in info.assignments)
    return registered or bool(info.aliases) or bool(info.uses)


def unclaimed(registry: Registry, protocol: Protocol | None) -> set[int]:
    return {p for p in range(65536) if not is_claimed(registry.lookup(p, protocol))}


def ephemeral(systems: Iterable[str]) -> set[int]:
    spans = {each.system: (each.first, each.last) for each in EPHEMERAL}
    return {p for system in systems for p in range(spans[system][0], spans[system][1] + 1)}


@pytest.fixture(scope="module")
def packaged_unclaimed() -> dict[Protocol | None, set[int]]:
    registry = portinfo.default_registry()
    return {protocol: unclaimed(registry, protocol) for protocol in PROTOCOLS}


# --- the whole port space --------------------------------------------------------------


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_free_is_exactly_what_no_source_claims(
    protocol: Protocol | None, packaged_unclaimed: dict[Protocol | None, set[int]]
) -> None:
    every = portinfo.free(0, 65535, protocol=protocol, n=EVERYWHERE, avoid=())
    assert len(every) == len(set(every))  # each port once
    assert set(every) == packaged_unclaimed[protocol]
    outside = portinfo.free(0, 65535, protocol=protocol, n=EVERYWHERE)
    assert set(outside) == packaged_unclaimed[protocol] - ephemeral(DEFAULT_AVOID)
    assert not set(outside) & ephemeral(("linux", "windows", "macos"))
    with_freebsd = portinfo.free(0, 65535, protocol=protocol, n=EVERYWHERE, avoid=EPHEMERAL_NAMES)
    assert max(with_freebsd) < 10000


EPHEMERAL_NAMES = tuple(each.system for each in EPHEMERAL)


def test_free_on_no_protocol_is_free_on_every_protocol(
    packaged_unclaimed: dict[Protocol | None, set[int]],
) -> None:
    each = set.intersection(*(packaged_unclaimed[p] for p in Protocol))
    assert packaged_unclaimed[None] == each
    assert set(portinfo.free(0, 65535, n=EVERYWHERE, avoid=())) == each


def _user_files(tmp: Path) -> Registry:
    """A registry whose own names and uses (as a local source stores its entries: other
    names of ports, observed uses) sit on ports the packaged data leave free."""
    services = tmp / "services"
    services.write_text("inhouse-api\t29584/tcp\tquill\ninhouse-udp\t23781/udp\n")
    uses = tmp / "uses.toml"
    uses.write_text(
        'updated = "2026-12-07"\n\n[[use]]\nname = "inhouse-media"\ntitle = "In-house media"\n'
        'ports = [29376]\nranges = ["26000-26999"]\nprotocols = ["udp"]\ncategory = "other"\n'
        'description = "Our own media relay."\nsource = "https://example.com/media"\n'
    )
    return Registry.from_files(services=services, uses=uses)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_users_names_and_uses_count_as_claims(tmp_path: Path, protocol: Protocol | None) -> None:
    registry = _user_files(tmp_path)
    every = registry.free(0, 65535, protocol=protocol, n=EVERYWHERE, avoid=())
    assert set(every) == unclaimed(registry, protocol)


def test_a_users_ports_are_taken(tmp_path: Path) -> None:
    before = portinfo.free(20000, 30000, n=EVERYWHERE)
    assert {29584, 23781, 29376, 26500} <= set(before)
    registry = _user_files(tmp_path)
    after = set(registry.free(20000, 30000, n=EVERYWHERE))
    assert not {29584, 23781, 29376} & after
    assert not set(range(26000, 27000)) & after  # a wide range of a use is taken too
    assert 29584 in registry.free(20000, 30000, protocol="udp", n=EVERYWHERE)  # on tcp only


def test_the_tiny_registry(tiny: Registry) -> None:
    for protocol in PROTOCOLS:
        every = tiny.free(0, 65535, protocol=protocol, n=EVERYWHERE, avoid=())
        assert set(every) == unclaimed(tiny, protocol)


# --- the order ---------------------------------------------------------------------------


def _claimed_list(free_ports: set[int]) -> list[int]:
    return [p for p in range(65536) if p not in free_ports]


def _best_first(taken: list[int], candidates: list[int], n: int) -> list[int]:
    """The rule, written the slow way: each next port is the candidate farthest from every
    claimed and every chosen port, ties to the lower port."""
    chosen: list[int] = []
    left = list(candidates)
    while left and len(chosen) < n:

        def distance(port: int) -> int:
            near = [abs(port - c) for c in chosen]
            at = bisect_left(taken, port)
            near += [abs(port - taken[i]) for i in (at - 1, at) if 0 <= i < len(taken)]
            return min(near, default=10**6)

        best = min(left, key=lambda p: (-distance(p), p))
        chosen.append(best)
        left.remove(best)
    return chosen


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(0, 65535),
    width=st.integers(0, 400),
    n=st.integers(1, 6),
    protocol=st.sampled_from(PROTOCOLS),
    avoid=st.lists(
        st.tuples(st.integers(0, 65535), st.integers(0, 300)).map(
            lambda t: (t[0], min(65535, t[0] + t[1]))
        ),
        max_size=3,
    ),
)
@example(first=29000, width=400, n=6, protocol=None, avoid=[])
@example(first=0, width=10, n=6, protocol=None, avoid=[])  # claimed ports all round
@example(first=65300, width=235, n=6, protocol=Protocol.DCCP, avoid=[])  # the top end
@example(first=29100, width=300, n=6, protocol=None, avoid=[(29300, 29500)])  # a hole
def test_the_order_is_the_documented_rule(
    packaged_unclaimed: dict[Protocol | None, set[int]],
    first: int,
    width: int,
    n: int,
    protocol: Protocol | None,
    avoid: list[tuple[int, int]],
) -> None:
    last = min(65535, first + width)
    free_ports = packaged_unclaimed[protocol]
    avoided = {p for low, high in avoid for p in range(low, high + 1)}
    candidates = [p for p in range(first, last + 1) if p in free_ports and p not in avoided]
    expected = _best_first(_claimed_list(free_ports), candidates, n)
    assert list(portinfo.free(first, last, protocol=protocol, n=n, avoid=avoid)) == expected


def test_the_best_port_is_the_middle_of_the_widest_gap() -> None:
    best = portinfo.free(20000, 30000, n=1)[0]
    below = max(p for p in range(20000, best) if is_claimed(portinfo.lookup(p)))
    above = min(p for p in range(best, 30001) if is_claimed(portinfo.lookup(p)))
    assert best == (below + above) // 2  # the lower of two middles


def test_ties_go_to_the_lower_port() -> None:
    # 23563 and 24000 are claimed, every port between free: 23781 and 23782 are both 218
    # from the nearer of them.
    assert portinfo.free(23564, 23999, n=1) == (23781,)
    assert portinfo.free(23782, 23999, n=1) == (23782,)
    assert portinfo.free(20000, 30000, n=2)[1] == 23781


def test_a_port_at_the_end_of_the_window_can_win() -> None:
    # The nearest claimed port lies outside the window: the window's edge is no claim.
    assert portinfo.free(29170, 29200, n=1) == (29200,)
    assert portinfo.free(29900, 29998, n=1) == (29900,)


# --- bounds ------------------------------------------------------------------------------


def test_bounds() -> None:
    assert portinfo.free(29584, 29584) == (29584,)  # a one-port range
    assert portinfo.free(80, 80) == ()  # claimed
    assert portinfo.free(40000, 41000, protocol="tcp") == ()  # Linux's ephemeral ports
    assert portinfo.free(40000, 41000, protocol="tcp", avoid=("windows",))  # Linux's not avoided
    assert portinfo.free(40000, 41000, avoid=()) == ()  # Google Cast's wide udp range
    assert portinfo.free("20000", " 30000 ", n=1) == portinfo.free(20000, 30000, n=1)
    assert len(portinfo.free(20000, 30000, n=3)) == 3
    assert len(portinfo.free(20000, 30000)) == 10  # n's default
    found = portinfo.free(20000, 20100, n=EVERYWHERE)
    assert all(20000 <= p <= 20100 for p in found)


def test_avoid_spellings() -> None:
    linux = portinfo.free(30000, 40000, n=5, avoid=("linux",))
    assert portinfo.free(30000, 40000, n=5, avoid="Linux ") == linux  # one name, any case
    assert portinfo.free(30000, 40000, n=5, avoid=["32768-60999"]) == linux
    assert portinfo.free(30000, 40000, n=5, avoid=[(32768, 60999)]) == linux
    assert portinfo.free(30000, 40000, n=5, avoid=[("32768", "60999")]) == linux
    assert portinfo.free(30000, 40000, n=5, avoid=iter(["linux"])) == linux  # any iterable
    assert portinfo.free(30000, 40000, n=5, avoid=["linux", "linux", "macos"]) == linux


def test_the_defaults_are_the_same_everywhere() -> None:
    assert DEFAULT_AVOID == ("linux", "windows", "macos")
    for function in (portinfo.free, Registry.free):
        parameters = inspect.signature(function).parameters
        assert parameters["avoid"].default == DEFAULT_AVOID
        assert parameters["n"].default == 10
        assert parameters["protocol"].default is None


def test_the_registry_method_and_the_function_agree() -> None:
    registry = Registry.packaged()
    assert registry.free(1024, 49151, protocol="udp") == portinfo.free(1024, 49151, protocol="udp")
    assert portinfo.free(1024, 49151, registry=registry) == portinfo.free(1024, 49151)


def test_the_ephemeral_ranges_are_the_documented_defaults() -> None:
    found = {each.system: (each.first, each.last) for each in EPHEMERAL}
    assert found == {
        "linux": (32768, 60999),
        "windows": (49152, 65535),
        "macos": (49152, 65535),
        "freebsd": (10000, 65535),
    }
    assert all(each.source.startswith("https://") and each.setting for each in EPHEMERAL)
    page = (Path(__file__).parents[1] / "docs" / "free.md").read_text(encoding="utf-8")
    for each in EPHEMERAL:
        assert each.source in page
        assert f"{each.first}-{each.last}" in page


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "options", "error", "message"),
    [
        ((30000, 20000), {}, InvalidArgumentError, "first must be at most last, got first=30000"),
        ((-1, 20000), {}, InvalidPortError, "got -1"),
        ((0, 65536), {}, InvalidPortError, "got 65536"),
        (("80/tcp", 90), {}, InvalidPortError, "protocol suffix"),
        ((True, 90), {}, TypeError, "bool"),
        ((1.0, 90), {}, TypeError, "float"),
        ((1, 90), {"n": 0}, InvalidArgumentError, "n must be at least 1, got 0"),
        ((1, 90), {"n": True}, TypeError, "n must be an int, got bool"),
        ((1, 90), {"n": 2.0}, TypeError, "n must be an int, got float"),
        ((1, 90), {"protocol": "icmp"}, InvalidProtocolError, "'icmp'"),
        ((1, 90), {"avoid": ("beos",)}, InvalidArgumentError, "linux, windows, macos, freebsd"),
        ((1, 90), {"avoid": ("",)}, InvalidArgumentError, "got ''"),
        ((1, 90), {"avoid": ("60999-32768",)}, InvalidArgumentError, "'60999-32768'"),
        ((1, 90), {"avoid": ((5, 1),)}, InvalidArgumentError, "(5, 1)"),
        ((1, 90), {"avoid": ("1-70000",)}, InvalidPortError, "'70000', in avoid's '1-70000'"),
        ((1, 90), {"avoid": ((1, -1),)}, InvalidPortError, "-1, in avoid's (1, -1)"),
        ((1, 90), {"avoid": ((1,),)}, TypeError, "tuple: (1,)"),
        ((1, 90), {"avoid": (5,)}, TypeError, "int: 5"),
        ((1, 90), {"avoid": 5}, TypeError, "avoid must be an iterable"),
        ((1, 90), {"avoid": None}, TypeError, "NoneType"),
        ((1, 90), {"registry": "packaged"}, TypeError, "registry must be a portinfo.Registry"),
    ],
)
def test_bad_input_names_itself(
    arguments: tuple[object, object], options: dict[str, object], error: type, message: str
) -> None:
    registry = Registry.packaged()
    if "registry" not in options:
        options = {**options, "registry": registry}
    with pytest.raises(error) as raised:
        portinfo.free(*arguments, **options)  # type: ignore[arg-type]
    assert message in str(raised.value)
    assert repr(registry) == "<portinfo.Registry (not loaded yet)>"  # checked before reading


# --- the command line --------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli(capsys, "free", "20000-30000", "-n", "3")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Free ports of 20000-30000 on every protocol, avoiding linux")
    assert all(len(line) < 80 for line in lines)
    assert [int(line) for line in lines[-3:]] == list(portinfo.free(20000, 30000, n=3))


def test_the_command_forms(capsys: pytest.CaptureFixture[str]) -> None:
    expected = list(portinfo.free(20000, 30000, protocol="udp", n=5))
    status, out, _ = cli(capsys, "free", "20000-30000", "-p", "udp", "-n", "5", "--brief")
    assert (status, [int(p) for p in out.split()]) == (0, expected)
    status, out, _ = cli(capsys, "free", "20000-30000", "-p", "udp", "-n", "5", "--json")
    assert json.loads(out) == [{"port": p, "protocol": "udp"} for p in expected]
    status, out, _ = cli(capsys, "free", "20000-30000", "-n", "2", "--format", "csv")
    assert out.splitlines() == [
        "port,protocol",
        *(f"{p}," for p in portinfo.free(20000, 30000, n=2)),
    ]
    status, out, _ = cli(capsys, "free", "20000-30000", "-n", "2", "--markdown")
    assert out.splitlines()[2:] == [f"- {p}" for p in portinfo.free(20000, 30000, n=2)]


def test_the_command_defaults_to_the_user_ports(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = cli(capsys, "free", "--brief")
    assert status == 0
    assert [int(p) for p in out.split()] == list(portinfo.free(1024, 49151))


def test_the_command_avoids(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = cli(capsys, "free", "20000-30000", "--avoid", "freebsd")
    assert (status, out) == (1, "")
    assert err == "portinfo: no port of 20000-30000 is free on every protocol\n"
    status, out, _ = cli(
        capsys, "free", "40000-41000", "-p", "tcp", "--avoid", "windows", "--avoid", "40500-41000",
        "--brief",
    )  # fmt: skip
    expected = portinfo.free(40000, 41000, protocol="tcp", avoid=("windows", (40500, 41000)))
    assert expected
    assert [int(p) for p in out.split()] == list(expected)
    status, out, _ = cli(capsys, "free", "50000-50100", "--avoid", "none", "--brief")
    assert [int(p) for p in out.split()] == list(portinfo.free(50000, 50100, avoid=()))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["free", "30000-20000"], "first must be at most last"),
        (["free", "20000"], "free takes a range FIRST-LAST, got '20000'"),
        (["free", "1-2", "3-4"], "free takes one range"),
        (["free", "1-70000"], "'70000'"),
        (["free", "1-2", "--avoid", "beos"], "'beos'"),
        (["free", "1-2", "-n", "0"], "n must be at least 1"),
        (["free", "1-2", "-p", "icmp"], "'icmp'"),
        (["free", "1-2", "--search", "x"], "free takes one range"),
        (["free", "1-2", "--status", "assigned"], "--status keeps the ports of a range, not of"),
        (["free", "1-2", "--data-info"], "free takes no --data-info"),
        (["80", "--avoid", "linux"], "--avoid is for portinfo free"),
    ],
)
def test_the_command_refuses_bad_input(
    capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    status, out, err = cli(capsys, *arguments)
    assert (status, out) == (2, "")
    assert err.startswith("portinfo: ")
    assert message in err
    assert err.count("\n") == 1


def test_the_report_points_to_the_command() -> None:
    for port, protocol in ((2024, None), (47999, None), (2024, "tcp"), (1023, "udp")):
        text = " ".join(portinfo.report(port, protocol).split())
        option = f" -p {protocol}" if protocol else ""
        assert f"portinfo free{option} lists the ports that no source claims" in text
    for port in (80, 443, 2039):  # registered, with a description: nothing to point to
        assert "portinfo free" not in portinfo.report(port)
