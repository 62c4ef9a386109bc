"""What listens on this machine: real sockets found with psutil, a fake psutil for the
fallbacks, the records, and their renderings as text, Markdown and JSON."""

from __future__ import annotations

import json
import os
import pickle
import socket
import subprocess
import sys
import types
from collections.abc import Iterator
from typing import Any, NamedTuple

import attrs
import pytest

from portinfo import (
    InvalidArgumentError,
    InvalidProtocolError,
    ListeningError,
    PortinfoError,
    Protocol,
    Registry,
    _listening,
)
from portinfo.__main__ import main
from portinfo._api import default_registry
from portinfo._listening import (
    INSTALL_HINT,
    Listener,
    Listening,
    listening,
    render_listeners,
)
from portinfo.exceptions import MissingDependencyError

EVERY4 = "0.0.0.0"  # noqa: S104  # an address in the data, bound to nothing

# --- a fake psutil -----------------------------------------------------------------------


class Conn(NamedTuple):
    """psutil's ``sconn``: what ``net_connections`` gives (``pconn`` less ``pid``)."""

    fd: int
    family: int
    type: int
    laddr: tuple[Any, ...]
    raddr: tuple[Any, ...]
    status: str
    pid: int | None


def tcp(
    address: str,
    port: int,
    pid: int | None = None,
    *,
    status: str = "LISTEN",
    raddr: tuple[Any, ...] = (),
) -> Conn:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    return Conn(3, family, socket.SOCK_STREAM, (address, port), raddr, status, pid)


def udp(address: str, port: int, pid: int | None = None, *, raddr: tuple[Any, ...] = ()) -> Conn:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    return Conn(4, family, socket.SOCK_DGRAM, (address, port), raddr, "NONE", pid)


class FakeError(Exception):
    pass


class FakeNoSuchProcessError(FakeError):
    pass


class FakeAccessDeniedError(FakeError):
    pass


class FakeProcess:
    """psutil.Process from 6.0: ``name()`` and ``net_connections()``."""

    def __init__(self, psutil: FakePsutil, pid: int) -> None:
        self.psutil = psutil
        self.pid = pid

    def name(self) -> str:
        found = self.psutil.names.get(self.pid, FakeNoSuchProcessError)
        if isinstance(found, type):
            raise found(self.pid)
        return found

    def _connections(self, kind: str) -> list[Conn]:
        self.psutil.kinds.append(kind)
        found = self.psutil.per_process[self.pid]
        if isinstance(found, type):
            raise found(self.pid)
        return found

    def net_connections(self, kind: str = "inet") -> list[Conn]:
        return self._connections(kind)


class FakeOldProcess(FakeProcess):
    """psutil.Process before 6.0, which had ``connections()`` only."""

    net_connections = None  # type: ignore[assignment]

    def connections(self, kind: str = "inet") -> list[Conn]:
        return self._connections(kind)


class FakePsutil(types.ModuleType):
    """Just the part of psutil that portinfo uses, answering from fixed tables."""

    Error = FakeError
    NoSuchProcess = FakeNoSuchProcessError
    AccessDenied = FakeAccessDeniedError
    CONN_LISTEN = "LISTEN"

    def __init__(
        self,
        connections: list[Conn] | type[Exception],
        names: dict[int, str | type[FakeError]] | None = None,
        per_process: dict[int, list[Conn] | type[FakeError]] | None = None,
        *,
        old: bool = False,
    ) -> None:
        super().__init__("psutil")
        self.connections = connections
        self.names = names or {}
        self.per_process = per_process or {}
        self.process_class = FakeOldProcess if old else FakeProcess
        self.kinds: list[str] = []

    def net_connections(self, kind: str = "inet") -> list[Conn]:
        self.kinds.append(kind)
        if isinstance(self.connections, type):
            raise self.connections()
        return self.connections

    def Process(self, pid: int) -> FakeProcess:  # noqa: N802  # psutil's name
        return self.process_class(self, pid)

    def process_iter(self) -> Iterator[FakeProcess]:
        return (self.process_class(self, pid) for pid in self.per_process)


def install(monkeypatch: pytest.MonkeyPatch, fake: FakePsutil, *, root: bool = False) -> None:
    monkeypatch.setitem(sys.modules, "psutil", fake)
    monkeypatch.setattr(_listening, "_privileged", lambda: root)


def listening_use(registry: Registry, port: int, protocol: str) -> str | None:
    info = registry.lookup(port, protocol)
    return next((use.title for use in info.uses if use.listens_on(port)), None)


# --- listening() on the fake -------------------------------------------------------------

SOCKETS = [
    udp(EVERY4, 2039, None),
    tcp("127.0.0.1", 2039, 10),
    tcp("127.0.0.1", 2039, 10),  # the same socket through another descriptor
    tcp("::", 8080, 11),
    tcp(EVERY4, 40000, 12),
    tcp(EVERY4, 24, 13),
    tcp("127.0.0.1", 50001, 10, status="ESTABLISHED", raddr=("127.0.0.1", 2039)),
    udp("127.0.0.1", 5, 10, raddr=("127.0.0.1", 53)),  # connected: a client's
    udp("127.0.0.1", 5, 10),
    tcp("127.0.0.1", 1, 10)._replace(laddr=()),  # no address
    Conn(5, socket.AF_UNIX, socket.SOCK_STREAM, ("/run/x",), (), "LISTEN", 10),
]
NAMES: dict[int, str | type[FakeError]] = {10: "server", 11: "proxy", 12: "mystery", 13: "mail"}


def test_sockets_that_wait_for_others_with_what_their_ports_are(
    monkeypatch: pytest.MonkeyPatch, tiny: Registry
) -> None:
    fake = FakePsutil(SOCKETS, NAMES)
    install(monkeypatch, fake, root=True)
    found = listening(registry=tiny)
    assert fake.kinds == ["inet"]
    assert (found.hidden, found.partial, found.note) == (False, False, None)
    where = [
        (x.port, x.protocol.value, x.address, x.family, x.pid, x.process) for x in found.listeners
    ]
    assert where == [
        (5, "udp", "127.0.0.1", "ipv4", 10, "server"),
        (24, "tcp", EVERY4, "ipv4", 13, "mail"),
        (2039, "tcp", "127.0.0.1", "ipv4", 10, "server"),
        (2039, "udp", EVERY4, "ipv4", None, None),
        (8080, "tcp", "::", "ipv6", 11, "proxy"),
        (40000, "tcp", EVERY4, "ipv4", 12, "mystery"),
    ]
    by_port = {(x.port, x.protocol.value): x for x in found.listeners}
    prizma = by_port[2039, "tcp"]
    assert (prizma.name, prizma.service, prizma.description, prizma.unknown) == (
        "prizma",
        "prizma",
        "Prizma Monitoring Service",
        False,
    )
    assert prizma.use == listening_use(tiny, 2039, "tcp") == "NI VeriStand Gateway"
    assert by_port[2039, "udp"].use is None
    # Named by Nmap only, with observed uses: no IANA service, and not unknown.
    proxy = by_port[8080, "tcp"]
    assert (proxy.name, proxy.service, proxy.description) == ("proxy-test", None, None)
    assert proxy.use == listening_use(tiny, 8080, "tcp")
    assert not proxy.unknown
    # Reserved by IANA, named by Nmap: a reservation is no service.
    mail = by_port[24, "tcp"]
    assert (mail.name, mail.service, mail.description, mail.unknown) == (
        "mail-test",
        None,
        None,
        False,
    )
    for key in ((5, "udp"), (40000, "tcp")):
        assert by_port[key].unknown
        assert (by_port[key].name, by_port[key].service, by_port[key].use) == (None, None, None)
    for item in found.listeners:
        assert item.unknown is (tiny.name(item.port, item.protocol) is None)


def test_a_protocol_narrows_the_question(monkeypatch: pytest.MonkeyPatch, tiny: Registry) -> None:
    fake = FakePsutil(SOCKETS, NAMES)
    install(monkeypatch, fake, root=True)
    assert {x.protocol for x in listening("UDP", registry=tiny).listeners} == {Protocol.UDP}
    assert {x.protocol for x in listening(Protocol.TCP, registry=tiny).listeners} == {Protocol.TCP}
    assert fake.kinds == ["udp", "tcp"]


@pytest.mark.parametrize("protocol", ["sctp", "dccp", Protocol.SCTP])
def test_sctp_and_dccp_have_no_sockets_table(
    monkeypatch: pytest.MonkeyPatch, protocol: str | Protocol
) -> None:
    monkeypatch.setitem(sys.modules, "psutil", None)  # checked before psutil is needed
    with pytest.raises(InvalidProtocolError, match=r"'tcp' or 'udp' .*no (sctp|dccp) sockets"):
        listening(protocol)


def test_bad_protocols(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psutil", None)
    with pytest.raises(InvalidProtocolError, match="'http'"):
        listening("http")
    with pytest.raises(TypeError, match="protocol must be"):
        listening(6.0)  # type: ignore[arg-type]
    assert listening.__doc__ is not None  # 6, an IANA protocol number, is tcp: see below


def test_without_psutil(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psutil", None)
    with pytest.raises(MissingDependencyError) as raised:
        listening()
    assert (
        str(raised.value)
        == INSTALL_HINT
        == ("psutil is not installed: pip install 'pyportinfo[local]'")
    )
    assert isinstance(raised.value, PortinfoError)
    assert isinstance(raised.value, ImportError)
    assert raised.value.name == "psutil"


def test_importing_the_module_imports_no_psutil() -> None:
    code = "import sys, portinfo._listening; print('psutil' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_other_users_processes_are_hidden_and_said_once(
    monkeypatch: pytest.MonkeyPatch, tiny: Registry
) -> None:
    install(monkeypatch, FakePsutil([tcp(EVERY4, 22, None), tcp("::", 80, 10)], NAMES))
    found = listening(registry=tiny)
    assert [(x.port, x.pid, x.process) for x in found.listeners] == [
        (22, None, None),
        (80, 10, "server"),
    ]
    assert (found.hidden, found.partial) == (True, False)
    assert found.note is not None
    assert "administrator" in found.note


def test_to_root_a_socket_without_process_is_the_kernels(
    monkeypatch: pytest.MonkeyPatch, tiny: Registry
) -> None:
    install(monkeypatch, FakePsutil([tcp(EVERY4, 22, None)]), root=True)
    assert listening(registry=tiny).hidden is False


def test_a_process_denied_or_gone(monkeypatch: pytest.MonkeyPatch, tiny: Registry) -> None:
    names: dict[int, str | type[FakeError]] = {7: FakeAccessDeniedError, 8: FakeNoSuchProcessError}
    install(monkeypatch, FakePsutil([tcp("::1", 80, 8)], names), root=True)
    gone = listening(registry=tiny)
    assert [(x.pid, x.process) for x in gone.listeners] == [(8, None)]
    assert not gone.hidden  # it ended: nothing was hidden
    install(monkeypatch, FakePsutil([tcp("::1", 80, 7), tcp("::1", 81, 7)], names), root=True)
    denied = listening(registry=tiny)
    assert [(x.pid, x.process) for x in denied.listeners] == [(7, None), (7, None)]
    assert denied.hidden  # even to root, where the system says no


@pytest.mark.parametrize("old", [False, True], ids=["psutil>=6", "psutil<6"])
def test_access_denied_lists_process_by_process(
    monkeypatch: pytest.MonkeyPatch, tiny: Registry, old: bool
) -> None:
    own = [tcp("127.0.0.1", 2039), udp("::", 40000), tcp("127.0.0.1", 40001, status="CLOSE_WAIT")]
    fake = FakePsutil(
        FakeAccessDeniedError,
        {10: "server", 11: "other", 12: "gone"},
        {10: own, 11: FakeAccessDeniedError, 12: FakeNoSuchProcessError},
        old=old,
    )
    install(monkeypatch, fake)
    found = listening("tcp", registry=tiny)
    assert fake.kinds == ["tcp", "tcp", "tcp", "tcp"]  # once at all, then for each process
    assert [(x.port, x.protocol.value, x.pid, x.process) for x in found.listeners] == [
        (2039, "tcp", 10, "server")
    ]
    assert (found.partial, found.hidden) == (True, False)
    assert found.note is not None
    assert "not listed" in found.note
    assert [x.port for x in listening(registry=tiny).listeners] == [2039, 40000]


@pytest.mark.parametrize(
    "error", [PermissionError, FileNotFoundError, FakeError, FakeNoSuchProcessError]
)
def test_a_system_that_will_not_list_its_sockets(
    monkeypatch: pytest.MonkeyPatch, tiny: Registry, error: type[Exception]
) -> None:
    # Where /proc/net is missing or not readable (a container, a hardened system), psutil
    # raises FileNotFoundError or PermissionError, or an error of its own.
    install(monkeypatch, FakePsutil(error))
    with pytest.raises(
        ListeningError, match=f"cannot list this machine's sockets \\({error.__name__}"
    ):
        listening(registry=tiny)
    assert issubclass(ListeningError, PortinfoError)
    assert issubclass(ListeningError, OSError)


def test_a_process_list_that_fails(monkeypatch: pytest.MonkeyPatch, tiny: Registry) -> None:
    fake = FakePsutil(FakeAccessDeniedError)
    fake.process_iter = lambda: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))  # type: ignore[method-assign]
    install(monkeypatch, fake)
    with pytest.raises(ListeningError, match="Permission denied"):
        listening(registry=tiny)


def test_the_command_says_what_failed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install(monkeypatch, FakePsutil(FileNotFoundError))
    assert main(["listening"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "portinfo: cannot list this machine's sockets (FileNotFoundError)\n"


# --- listening() on real sockets ---------------------------------------------------------

REGISTERED = (2039, 5432, 6379, 11434, 8080, 3306)


def _tcp_server(port: int) -> socket.socket | None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        server.bind(("127.0.0.1", port))
        server.listen()
    except OSError:  # taken
        server.close()
        return None
    return server


class Opened(NamedTuple):
    unknown: socket.socket
    """A TCP server on a free port that nothing names."""
    udp: socket.socket
    """A UDP socket bound to a free port."""
    registered: socket.socket | None
    """A TCP server on the first free registered port, if any."""
    client: socket.socket
    """A TCP client connected to ``unknown``: not a listener."""
    connected_udp: socket.socket
    """A UDP socket connected to ``udp``: a client's, not a listener."""
    accepted: socket.socket
    """The server's side of ``client``'s connection."""


@pytest.fixture
def opened() -> Iterator[Opened]:
    pytest.importorskip("psutil", reason="psutil is the 'local' extra: pip install -e '.[local]'")
    registry = default_registry()
    tried: list[socket.socket] = []
    unknown = None
    for _ in range(200):
        server = _tcp_server(0)
        assert server is not None
        if registry.name(server.getsockname()[1], "tcp") is None:
            unknown = server
            break
        tried.append(server)
    for server in tried:
        server.close()
    if unknown is None:
        pytest.skip("the system gave 200 free ports that all have a name")
    registered = next(filter(None, map(_tcp_server, REGISTERED)), None)
    bound = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    bound.bind(("127.0.0.1", 0))
    connected_udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    connected_udp.connect(bound.getsockname())
    client = socket.create_connection(unknown.getsockname())
    accepted, _ = unknown.accept()
    sockets = Opened(unknown, bound, registered, client, connected_udp, accepted)
    try:
        yield sockets
    finally:
        for item in sockets:
            if item is not None:
                item.close()


def _port(item: socket.socket) -> int:
    port: int = item.getsockname()[1]
    return port


def _ours(found: Listening, item: socket.socket) -> Listener:
    port = _port(item)
    kind = Protocol.TCP if item.type == socket.SOCK_STREAM else Protocol.UDP
    (mine,) = [
        x for x in found.listeners if x.port == port and x.protocol is kind and x.pid == os.getpid()
    ]
    return mine


def test_our_own_sockets_are_found(opened: Opened) -> None:
    import psutil

    process = psutil.Process().name()
    found = listening()
    assert list(found.listeners) == sorted(
        found.listeners, key=lambda x: (x.port, x.protocol.value, x.address)
    )
    unknown = _ours(found, opened.unknown)
    assert (unknown.address, unknown.family, unknown.protocol) == (
        "127.0.0.1",
        "ipv4",
        Protocol.TCP,
    )
    assert (unknown.pid, unknown.process) == (os.getpid(), process)
    assert unknown.unknown
    assert (unknown.name, unknown.service, unknown.description, unknown.use) == (None,) * 4

    bound = _ours(found, opened.udp)
    assert (bound.address, bound.protocol, bound.process) == ("127.0.0.1", Protocol.UDP, process)
    assert bound.unknown is (portinfo_name(bound.port, "udp") is None)
    assert bound.name == portinfo_name(bound.port, "udp")

    # Clients are not listeners: an established TCP connection, a connected UDP socket.
    ours = {(x.port, x.protocol) for x in found.listeners if x.pid == os.getpid()}
    assert (_port(opened.client), Protocol.TCP) not in ours
    assert (_port(opened.connected_udp), Protocol.UDP) not in ours

    if opened.registered is None:
        pytest.skip(f"none of the registered ports {REGISTERED} is free here")
    registered = _ours(found, opened.registered)
    port = registered.port
    info = default_registry().lookup(port, "tcp")
    assert registered.name == info.name == info.assignments[0].service
    assert registered.service == info.assignments[0].service
    assert registered.description == info.assignments[0].description
    assert registered.use == listening_use(default_registry(), port, "tcp")
    assert not registered.unknown
    if port == 2039:
        assert (registered.name, registered.description, registered.use) == (
            "prizma",
            "Prizma Monitoring Service",
            "NI VeriStand Gateway",
        )


def portinfo_name(port: int, protocol: str) -> str | None:
    return default_registry().name(port, protocol)


def test_our_own_sockets_in_every_rendering(opened: Opened) -> None:
    found = listening()
    unknown = _ours(found, opened.unknown)
    bound = _ours(found, opened.udp)
    text = render_listeners(found)
    assert all(len(line) <= 80 for line in text.splitlines())
    (line,) = [x for x in text.splitlines() if f" {unknown.port}/tcp " in x]
    assert line.startswith("! ")
    assert "127.0.0.1" in line
    assert f"({os.getpid()})" in line
    assert "unknown" in line
    assert any(f" {bound.port}/udp " in x for x in text.splitlines())

    markdown = render_listeners(found, format="markdown")
    (row,) = [x for x in markdown.splitlines() if x.startswith(f"| {unknown.port} | tcp |")]
    assert f"| {os.getpid()} | **unknown** |" in row

    rows = json.loads(render_listeners(found, format="json"))
    assert unknown.as_dict() in rows
    assert bound.as_dict() in rows
    mine = next(r for r in rows if r == unknown.as_dict())
    assert mine["protocol"] == "tcp"
    assert mine["unknown"] is True

    if opened.registered is not None:
        registered = _ours(found, opened.registered)
        (line,) = [x for x in text.splitlines() if f" {registered.port}/tcp " in x]
        assert line.startswith("  ")
        assert f" {registered.name} " in line
        assert f"| {registered.name} |" in markdown
        assert registered.as_dict() in rows


# --- the records -------------------------------------------------------------------------


def test_listener_at(tiny: Registry) -> None:
    made = Listener.at("::1", "2039", "TCP", pid=4242, process="python3", registry=tiny)
    assert made == Listener(
        "::1",
        2039,
        Protocol.TCP,
        "ipv6",
        4242,
        "python3",
        "prizma",
        "prizma",
        "Prizma Monitoring Service",
        listening_use(tiny, 2039, "tcp"),
        False,
    )
    assert Listener.at(EVERY4, 40000, "tcp", registry=tiny).family == "ipv4"
    assert Listener.at("::", 2039, "udp", family="ipv4", registry=tiny).family == "ipv4"
    # A port's own IANA service, before the rows IANA marks as its duplicates.
    assert Listener.at("::", 80, "tcp", registry=tiny).service == "http"
    with pytest.raises(InvalidArgumentError):
        Listener.at("::", 70000, "tcp", registry=tiny)
    with pytest.raises(InvalidProtocolError):
        Listener.at("::", 80, "tpc", registry=tiny)
    with pytest.raises(TypeError):
        Listener.at(1, 80, "tcp", registry=tiny)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"address": ""}, InvalidArgumentError),
        ({"address": None}, TypeError),
        ({"port": 70000}, InvalidArgumentError),
        ({"port": True}, TypeError),
        ({"protocol": "tcp"}, TypeError),
        ({"family": "ipv5"}, InvalidArgumentError),
        ({"pid": -1}, InvalidArgumentError),
        ({"pid": "1"}, TypeError),
        ({"process": ""}, InvalidArgumentError),
        ({"name": 3}, TypeError),
        ({"unknown": 1}, TypeError),
    ],
)
def test_invalid_listeners_are_refused(
    tiny: Registry, change: dict[str, Any], error: type[Exception]
) -> None:
    good = Listener.at("::1", 2039, "tcp", pid=1, process="x", registry=tiny)
    with pytest.raises(error):
        attrs.evolve(good, **change)


def test_the_records_are_frozen_plain_data(tiny: Registry) -> None:
    item = Listener.at("::1", 2039, "tcp", pid=1, process="x", registry=tiny)
    answer = Listening([item], hidden=True)
    for record in (item, answer):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(record, attrs.fields(type(record))[0].name, None)
        assert pickle.loads(pickle.dumps(record)) == record
        assert json.loads(json.dumps(record.as_dict())) == record.as_dict()
    assert answer.listeners == (item,)
    assert answer.as_dict()["listeners"] == [item.as_dict()]
    assert item.as_dict()["protocol"] == "tcp"
    with pytest.raises(TypeError):
        len(answer)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Listening([item.as_dict()])


# --- rendering ---------------------------------------------------------------------------


@pytest.fixture
def sample(tiny: Registry) -> list[Listener]:
    return [
        Listener.at("127.0.0.1", 2039, "tcp", pid=4242, process="python3", registry=tiny),
        Listener.at("::", 40000, "tcp", pid=7, process="mystery", registry=tiny),
        Listener.at(EVERY4, 2039, "udp", registry=tiny),
    ]


def test_text(sample: list[Listener]) -> None:
    assert render_listeners(sample) == "\n".join(
        [
            "  PORT       ADDRESS    PROCESS         NAME    ABOUT",
            "  2039/tcp   127.0.0.1  python3 (4242)  prizma  Prizma Monitoring Service; ob...",
            "! 40000/tcp  ::         mystery (7)     -       unknown",
            "  2039/udp   0.0.0.0    -               prizma  Prizma Monitoring Service",
            "! unknown: no IANA service, no services-file or Nmap name, no known use",
        ]
    )
    assert render_listeners(Listening(sample)) == render_listeners(sample)
    assert (
        render_listeners(sample, width=200)
        .splitlines()[1]
        .endswith("Prizma Monitoring Service; observed: NI VeriStand Gateway")
    )


def test_text_fits_80_columns_whatever_the_cells(tiny: Registry) -> None:
    wide = [
        Listener.at(
            "fe80::1234:5678:9abc:def0%enp0s31f6",
            65535,
            "udp",
            pid=4194304,
            process="a-process-with-a-very-long-name",
            registry=tiny,
        ),
        Listener.at("::", 8080, "tcp", pid=1, process="x" * 40, registry=tiny),
    ]
    text = render_listeners(wide)
    assert max(map(len, text.splitlines())) <= 80
    assert "(4194304)" in text  # the process's ID outlives a cut name
    assert "..." in text
    assert max(map(len, render_listeners(wide, width=100).splitlines())) <= 100
    short = Listener.at("::", 80, "tcp", pid=1, process="x", registry=tiny)
    assert render_listeners([short]).splitlines()[1].startswith("  80/tcp  ::       x (1)    http")


@pytest.mark.parametrize(
    ("width", "error"),
    [
        (0, InvalidArgumentError),
        (-(10**5000), InvalidArgumentError),
        (None, TypeError),
        (True, TypeError),
        (80.0, TypeError),
        ("80", TypeError),
    ],
    ids=["0", "long negative", "None", "bool", "float", "str"],
)
def test_width_is_checked(sample: list[Listener], width: object, error: type) -> None:
    with pytest.raises(error) as caught:
        render_listeners(sample, width=width)  # type: ignore[arg-type]
    assert len(str(caught.value)) < 200  # a 5,000-digit width is shown by its digits


def test_markdown(sample: list[Listener]) -> None:
    assert render_listeners(sample, format="markdown") == "\n".join(
        [
            "| port | protocol | address | process | pid | name | IANA description"
            " | observed use |",
            "| ---: | --- | --- | --- | ---: | --- | --- | --- |",
            "| 2039 | tcp | 127.0.0.1 | python3 | 4242 | prizma | Prizma Monitoring Service"
            " | NI VeriStand Gateway |",
            "| 40000 | tcp | :: | mystery | 7 | **unknown** |  |  |",
            "| 2039 | udp | 0.0.0.0 |  |  | prizma | Prizma Monitoring Service |  |",
        ]
    )


def test_markdown_cells_cannot_break_the_table(tiny: Registry) -> None:
    item = Listener.at("::", 1, "tcp", pid=1, process="a|b <script>\n*x*", registry=tiny)
    (row,) = render_listeners([item], format="markdown").splitlines()[2:]
    assert "| a\\|b \\<script\\> \\*x\\* |" in row
    assert row.count(" | ") == 7


def test_json(sample: list[Listener]) -> None:
    rows = json.loads(render_listeners(sample, format="json"))
    assert rows == [item.as_dict() for item in sample]
    assert rows[1] == {
        "address": "::",
        "port": 40000,
        "protocol": "tcp",
        "family": "ipv6",
        "pid": 7,
        "process": "mystery",
        "name": None,
        "service": None,
        "description": None,
        "use": None,
        "unknown": True,
        "local": False,
    }


def test_nothing_listens() -> None:
    assert render_listeners([]) == "no listening sockets"
    assert render_listeners([], format="markdown").count("\n") == 1
    assert render_listeners(Listening(()), format="json") == "[]"


def test_rendering_errors(sample: list[Listener]) -> None:
    with pytest.raises(
        InvalidArgumentError, match="'text', 'markdown', 'json', 'tsv' or 'csv', got 'html'"
    ):
        render_listeners(sample, format="html")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        render_listeners(sample, format=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        render_listeners([sample[0].as_dict()])  # type: ignore[list-item]
    with pytest.raises(InvalidArgumentError):
        render_listeners(sample, width=0)
    with pytest.raises(TypeError):
        render_listeners(sample, width=80.0)  # type: ignore[arg-type]


def test_a_registry_is_checked_before_the_system_is_asked() -> None:
    # Any object passed for a registry was used as one (found by tools/fuzz.py); it is
    # refused before psutil is imported, so the error is the same where psutil is absent.
    with pytest.raises(TypeError, match=r"registry must be a portinfo\.Registry, got int: 0"):
        listening(registry=0)  # type: ignore[arg-type]


# --- TSV and CSV, and a table as wide as there is room for --------------------------------


def _rows(text: str, delimiter: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.mark.parametrize(("form", "delimiter"), [("tsv", "\t"), ("csv", ",")])
def test_tables_for_programs(sample: list[Listener], form: str, delimiter: str) -> None:
    text = render_listeners(sample, format=form)  # type: ignore[arg-type]
    assert not text.endswith("\n")
    rows = _rows(text, delimiter)
    assert rows[0] == list(_listening.COLUMNS) == [
        "port", "protocol", "address", "family", "pid", "process",
        "name", "service", "description", "use", "unknown",
    ]  # fmt: skip
    assert rows[1:] == [
        [
            "2039", "tcp", "127.0.0.1", "ipv4", "4242", "python3", "prizma", "prizma",
            "Prizma Monitoring Service", "NI VeriStand Gateway", "false",
        ],
        ["40000", "tcp", "::", "ipv6", "7", "mystery", "", "", "", "", "true"],
        ["2039", "udp", EVERY4, "ipv4", "", "", "prizma", "prizma",
         "Prizma Monitoring Service", "", "false"],
    ]  # fmt: skip
    assert render_listeners([], format=form) == delimiter.join(_listening.COLUMNS)  # type: ignore[arg-type]


@pytest.mark.parametrize("form", ["tsv", "csv"])
def test_table_cells_are_one_line_and_no_formula(tiny: Registry, form: str) -> None:
    hostile = Listener.at(
        "::1", 1, "tcp", pid=1, process="=HYPERLINK(x)\tand\nmore\x1b[2J", registry=tiny
    )
    text = render_listeners([hostile], format=form)  # type: ignore[arg-type]
    assert text.count("\n") == 1  # a header and one row
    (row,) = _rows(text, "\t" if form == "tsv" else ",")[1:]
    assert row[5] == "'=HYPERLINK(x) and more\\x1b[2J"
    assert "\x1b" not in text


def _long(name: str, process: str) -> Listener:
    return Listener(
        "127.0.0.1", 4242, Protocol.TCP, "ipv4", 655, process, name, None, None, None, False
    )


def test_a_name_is_cut_only_where_the_width_does_not_allow_it() -> None:
    item = _long("a-very-long-service-name-26", "avahi-daemon")
    for width in (100, 200):  # room for every cell whole: nothing is cut
        (_header, line) = render_listeners([item], width=width).splitlines()
        assert "avahi-daemon (655)  a-very-long-service-name-26  no IANA service" in line
        assert "..." not in line
        assert len(line) <= width
    # 80 columns leave the last column its 14 only if the widest cell gives up 5: it is
    # cut, and says so; the process, which fits, is whole.
    (_header, line) = render_listeners([item]).splitlines()
    assert len(line) <= 80
    assert "avahi-daemon (655)  a-very-long-servic...  no IANA ser..." in line


def test_the_widest_cells_give_way_first_and_every_line_fits(tiny: Registry) -> None:
    items = [_long("x" * n, "p" * (40 - n)) for n in range(1, 40, 3)]
    for width in (80, 90, 120, 160):
        lines = render_listeners(items, width=width).splitlines()
        assert max(map(len, lines)) <= width
    whole = render_listeners(items, width=200)
    assert "..." not in whole
    assert all(f"{'p' * (40 - n)} (655)" in whole for n in range(1, 40, 3))


def test_the_command_prints_tables_for_programs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install(monkeypatch, FakePsutil([tcp("127.0.0.1", 22, 10), udp("::", 5353, None)], NAMES))
    assert main(["listening", "--format", "tsv"]) == 0
    out, err = capsys.readouterr()
    rows = _rows(out, "\t")
    assert rows[0] == list(_listening.COLUMNS)
    assert [row[:7] for row in rows[1:]] == [
        ["22", "tcp", "127.0.0.1", "ipv4", "10", "server", "ssh"],
        ["5353", "udp", "::", "ipv6", "", "", "mdns"],
    ]
    assert err == f"portinfo: {Listening((), hidden=True).note}\n"
    assert main(["listening", "--format", "csv", "-p", "udp"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("5353,udp,::,ipv6,,,mdns,")


def test_the_command_s_width(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install(monkeypatch, FakePsutil([tcp("127.0.0.1", 2039, 10)], {10: "a" * 25}), root=True)
    monkeypatch.delenv("COLUMNS", raising=False)
    whole = "a" * 25 + " (10)"  # 30 columns: a cap of 20 cut it, whatever the width

    def table(*arguments: str) -> list[str]:
        assert main(["listening", *arguments]) == 0
        return capsys.readouterr().out.splitlines()

    piped = table()  # not a terminal, no COLUMNS: 80 columns, room for the process
    assert max(map(len, piped)) <= 80
    assert whole in piped[1]
    assert piped[1].endswith("...")  # what the port is, cut to fit
    wide = table("--width", "160")
    assert wide[1].endswith("Prizma Monitoring Service; observed: NI VeriStand Gateway")
    monkeypatch.setenv("COLUMNS", "160")
    assert table() == wide
    assert table("--width", "80") == piped  # --width first


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["listening", "--width", "0"], "--width must be at least 1, got 0"),
        (["80", "--width", "100"], "--width sets the width of portinfo listening's table only"),
    ],
)
def test_a_bad_width(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    install(monkeypatch, FakePsutil([tcp("127.0.0.1", 22, 10)], NAMES))
    assert main(arguments) == 2
    assert capsys.readouterr() == ("", f"portinfo: {message}\n")
