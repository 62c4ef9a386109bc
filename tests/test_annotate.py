"""Whole columns at once: annotate() on each kind of column, and its tables against lookup().

The tables are proven equal to the one-at-a-time path for every port and protocol, on the
packaged registry and on the tiny one; annotate() on every kind of column is then checked
against the tables and against lookup(). Each optional column library is skipped where it
is not installed (CI also runs the suite with only the test extra).
"""

from __future__ import annotations

import datetime
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import pytest
from hypothesis import given
from hypothesis import strategies as st

import portinfo
from portinfo import (
    InvalidArgumentError,
    InvalidPortError,
    InvalidProtocolError,
    PortInfo,
    Protocol,
    Registry,
    Source,
    Status,
    default_registry,
)
from portinfo._annotate import FIELDS, Field, annotate, build_table, parse_flow_protocol
from tests import strategies
from tests.conftest import DATA, REPOSITORY

# Famous ports and the edges of each range; 8080 has a name on tcp only, 3389 an
# observed use, 6031 a range record, 0 no name at all.
SAMPLE = [80, 443, 53, 22, 2039, 3389, 6031, 8080, 0, 1023, 1024, 49151, 49152, 65535]


def numpy() -> Any:
    return pytest.importorskip("numpy", reason="annotate() on NumPy arrays needs numpy")


def pandas() -> Any:
    return pytest.importorskip("pandas", reason="annotate() on pandas Series needs pandas")


def polars() -> Any:
    return pytest.importorskip("polars", reason="annotate() on Polars Series needs polars")


def pyarrow() -> Any:
    return pytest.importorskip("pyarrow", reason="annotate() on PyArrow arrays needs pyarrow")


def expected(info: PortInfo, field: str) -> str | None:
    """What annotate() should give for ``field``, worked out from a lookup() answer."""
    listening = next((u for u in info.uses if u.listens_on(info.port)), None)
    if field == "service":
        return info.name
    if field == "range":
        return info.range.value
    if field == "use":
        return None if listening is None else listening.title
    record = next(
        (
            a
            for a in info.assignments
            if a.service and a.alias_of is None and a.status is Status.ASSIGNED
        ),
        None,
    )
    if record is not None:
        return record.description or None
    if any(a.source in (Source.SERVICES, Source.NMAP) for a in info.aliases):
        return None  # a services file or Nmap names it: they describe nothing
    return None if listening is None else listening.title


def answers(
    ports: Sequence[int | None], protocols: object = "tcp", field: str = "service"
) -> list[str | None]:
    """What annotate() should give, row by row, from lookup() on the default registry."""
    rows = protocols if isinstance(protocols, list) else [protocols] * len(ports)
    found: list[str | None] = []
    for port, protocol in zip(ports, rows):
        if port is None or protocol is None:
            found.append(None)
        else:
            info = default_registry().lookup(port, parse_flow_protocol(protocol))
            found.append(expected(info, field))
    return found


# --- the tables, against the one-at-a-time path ------------------------------------------


@pytest.fixture(scope="module", params=["packaged", "tiny"])
def registry(request: pytest.FixtureRequest) -> Registry:
    if request.param == "packaged":
        return Registry.packaged()
    return Registry.from_files(
        iana=DATA / "tiny.xml", services=DATA / "tiny-services", nmap=DATA / "tiny-nmap-services"
    )


@pytest.mark.parametrize("protocol", [*Protocol, None])
def test_every_table_entry_is_what_lookup_says(
    registry: Registry, protocol: Protocol | None
) -> None:
    tables = {field: build_table(registry, protocol, field) for field in FIELDS}
    for field in FIELDS:
        assert len(tables[field]) == 65536
    wrong: list[tuple[int, str, str | None, str | None]] = []
    for port in range(65536):
        info = registry.lookup(port, protocol)
        assert tables["service"][port] == registry.name(port, protocol)
        wrong += [
            (port, field, tables[field][port], expected(info, field))
            for field in FIELDS
            if tables[field][port] != expected(info, field)
        ]
    assert wrong == []


def test_famous_entries() -> None:
    registry = default_registry()
    assert build_table(registry, "tcp", "service")[80] == "http"
    assert build_table(registry, "udp", "service")[53] == "domain"
    assert build_table(registry, "tcp", "description")[80] == "World Wide Web HTTP"
    assert build_table(registry, "tcp", "use")[3389] == "Microsoft Remote Desktop (RDP)"
    ranges = build_table(registry, "tcp", "range")
    assert (ranges[1023], ranges[1024], ranges[49151], ranges[49152], ranges[65535]) == (
        "system",
        "user",
        "user",
        "dynamic",
        "dynamic",
    )


def test_a_table_is_built_once_and_kept() -> None:
    registry = Registry.packaged()
    first = build_table(registry, "tcp", "service")
    assert build_table(registry, Protocol.TCP, "service") is first
    assert build_table(registry, 6, "service") is first
    assert build_table(registry, " TCP6 ", "service") is first
    assert build_table(None, "tcp", "service") is build_table(default_registry(), "tcp", "service")
    assert build_table(Registry.packaged(), "tcp", "service") is not first  # one set per registry


def test_threads_asking_at_once_share_one_table() -> None:
    registry = Registry.packaged()
    found: list[tuple[str | None, ...]] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        found.append(build_table(registry, "udp", "description"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8
    assert all(table is found[0] for table in found)


def test_build_table_checks_its_arguments() -> None:
    with pytest.raises(InvalidArgumentError, match="'service', 'description', 'range', 'use'"):
        build_table(None, "tcp", "name")  # type: ignore[arg-type]
    with pytest.raises(InvalidProtocolError, match="'icmp'"):
        build_table(None, "icmp")
    with pytest.raises(TypeError, match=r"registry must be a portinfo\.Registry, got str"):
        build_table("tcp", "tcp")  # type: ignore[arg-type]


# --- protocols as flow logs write them ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "protocol"),
    [
        ("tcp", Protocol.TCP),
        ("UDP", Protocol.UDP),
        (" Sctp ", Protocol.SCTP),
        ("dccp", Protocol.DCCP),
        (Protocol.UDP, Protocol.UDP),
        ("tcp6", Protocol.TCP),
        ("UDP6", Protocol.UDP),
        (6, Protocol.TCP),
        (17, Protocol.UDP),
        (132, Protocol.SCTP),
        (33, Protocol.DCCP),
        ("6", Protocol.TCP),
        ("017", Protocol.UDP),
        (17.0, Protocol.UDP),
    ],
)
def test_parse_flow_protocol(value: object, protocol: Protocol) -> None:
    assert parse_flow_protocol(value) is protocol


@pytest.mark.parametrize("value", ["icmp", "", "tcp4", "1", 1, 0, 255, -6, 6.5, "6.0", "0006"])
def test_parse_flow_protocol_refuses_other_values(value: object) -> None:
    with pytest.raises(InvalidProtocolError, match="IANA protocol number: 6, 17, 132 or 33"):
        parse_flow_protocol(value)


@pytest.mark.parametrize("value", [None, True, b"tcp", ["tcp"]])
def test_parse_flow_protocol_refuses_other_types(value: object) -> None:
    with pytest.raises(TypeError, match="protocol must be a Protocol, a str or an int"):
        parse_flow_protocol(value)


def test_parse_flow_protocol_takes_numpy_numbers() -> None:
    np = numpy()
    assert parse_flow_protocol(np.uint8(17)) is Protocol.UDP
    assert parse_flow_protocol(np.float32(132)) is Protocol.SCTP
    with pytest.raises(TypeError):
        parse_flow_protocol(np.bool_(True))


# --- each kind of column -----------------------------------------------------------------


@pytest.mark.parametrize("field", FIELDS)
def test_list(field: Field) -> None:
    found = annotate(SAMPLE, "tcp", field=field)
    assert isinstance(found, list)
    assert found == answers(SAMPLE, "tcp", field)
    assert annotate(tuple(SAMPLE), "udp", field=field) == answers(SAMPLE, "udp", field)


def test_list_of_mixed_values() -> None:
    ports = [80, "443", " 22 ", 53.0, None, float("nan"), 2039]
    assert annotate(ports) == ["http", "https", "ssh", "domain", None, None, "prizma"]
    assert annotate(range(79, 82)) == ["finger", "http", "hosts2-ns"]


@pytest.mark.parametrize("field", FIELDS)
def test_numpy(field: Field) -> None:
    np = numpy()
    for dtype in ("int64", "uint16", "int32", "float64"):
        found = annotate(np.array(SAMPLE, dtype=dtype), "udp", field=field)
        assert isinstance(found, np.ndarray)
        assert found.dtype == object
        assert found.tolist() == answers(SAMPLE, "udp", field)


@pytest.mark.parametrize("field", FIELDS)
def test_pandas_keeps_index_and_name(field: Field) -> None:
    pd = pandas()
    index = pd.Index([f"conn{n}" for n in range(len(SAMPLE))], name="uid")
    ports = pd.Series(SAMPLE, index=index, name="id.resp_p")
    found = annotate(ports, "tcp", field=field)
    assert isinstance(found, pd.Series)
    assert found.index.equals(index)
    assert found.name == "id.resp_p"
    assert found.dtype == object
    assert found.tolist() == answers(SAMPLE, "tcp", field)


@pytest.mark.parametrize("field", FIELDS)
def test_polars_keeps_name(field: Field) -> None:
    pl = polars()
    found = annotate(pl.Series("port", SAMPLE), "tcp", field=field)
    assert isinstance(found, pl.Series)
    assert found.name == "port"
    assert found.dtype == pl.String
    assert found.to_list() == answers(SAMPLE, "tcp", field)


@pytest.mark.parametrize("field", FIELDS)
def test_pyarrow(field: Field) -> None:
    pa = pyarrow()
    found = annotate(pa.array(SAMPLE), "tcp", field=field)
    assert isinstance(found, pa.Array)
    assert found.type == pa.string()
    assert found.to_pylist() == answers(SAMPLE, "tcp", field)
    chunked = pa.chunked_array([SAMPLE[:5], SAMPLE[5:]])
    found = annotate(chunked, "udp", field=field)
    assert isinstance(found, pa.ChunkedArray)
    assert found.to_pylist() == answers(SAMPLE, "udp", field)


def test_more_column_types() -> None:
    """Nullable, categorical, Arrow-backed and text columns are columns of ports too."""
    ports = [80, 443, None, 53]
    want = ["http", "https", None, "domain"]
    pd = pandas()
    for dtype in ("Int64", "UInt16", "Float64", "category", "object"):
        assert annotate(pd.Series(ports, dtype=dtype)).tolist() == want, dtype
    text = pd.Series(["80", "443", None, "53"])
    assert annotate(text).tolist() == want
    assert annotate(text.astype("category")).tolist() == want
    pa = pyarrow()
    assert annotate(pd.Series(ports, dtype="int64[pyarrow]")).tolist() == want
    assert annotate(pd.Series(text, dtype="string[pyarrow]")).tolist() == want
    assert annotate(pa.array(["80", "443", None, "53"])).to_pylist() == want
    assert annotate(pa.array(["80", "443", None, "53"]).dictionary_encode()).to_pylist() == want
    assert annotate(pa.array(ports, type=pa.uint16())).to_pylist() == want
    assert annotate(pa.array([80.0, 443.0, None, 53.0])).to_pylist() == want
    pl = polars()
    assert annotate(pl.Series(["80", "443", None, "53"])).to_list() == want
    assert annotate(pl.Series(["80", "443", None, "53"], dtype=pl.Categorical)).to_list() == want
    assert annotate(pl.Series(ports, dtype=pl.UInt16)).to_list() == want
    assert annotate(pl.Series([80.0, 443.0, None, 53.0])).to_list() == want
    np = numpy()
    assert annotate(np.array(["80", "443", "x", "53"]), errors="coerce").tolist() == want
    assert annotate(np.array(ports, dtype=object)).tolist() == want


def test_empty_columns() -> None:
    assert annotate([]) == []
    assert annotate([], []) == []
    np, pd, pl, pa = numpy(), pandas(), polars(), pyarrow()
    assert annotate(np.array([], dtype=np.int64), np.array([], dtype=object)).tolist() == []
    assert annotate(pd.Series([], dtype="float64")).tolist() == []
    assert annotate(pl.Series([], dtype=pl.Int64), pl.Series([], dtype=pl.String)).to_list() == []
    assert annotate(pa.array([], type=pa.int64()), pa.array([], pa.string())).to_pylist() == []


# --- columns of protocols ----------------------------------------------------------------

MIXED_PORTS = [80, 53, 80, 53, 2039, 2039, 443, 8080, 9, 9]
MIXED = ["tcp", "UDP", 6, "17", Protocol.SCTP, " Tcp ", "tcp6", "udp6", 132, 33.0]


def test_protocol_column_of_mixed_spellings() -> None:
    want = answers(MIXED_PORTS, MIXED)
    assert want[:4] == ["http", "domain", "http", "domain"]
    assert annotate(MIXED_PORTS, MIXED) == want
    np = numpy()
    assert annotate(np.array(MIXED_PORTS), np.array(MIXED, dtype=object)).tolist() == want
    pd = pandas()
    assert annotate(pd.Series(MIXED_PORTS), pd.Series(MIXED)).tolist() == want


def test_protocol_column_of_numbers() -> None:
    ports, numbers = [80, 53, 53, 443, 9], [6, 17, 6, 17, 33]
    want = answers(ports, numbers)
    assert want[:4] == ["http", "domain", "domain", "https"]
    np = numpy()
    for dtype in ("uint8", "int64", "float64"):
        assert annotate(np.array(ports), np.array(numbers, dtype=dtype)).tolist() == want
    pd = pandas()
    assert annotate(pd.Series(ports), pd.Series(numbers, dtype="Int64")).tolist() == want
    pl = polars()
    assert annotate(pl.Series(ports), pl.Series(numbers, dtype=pl.UInt8)).to_list() == want
    assert annotate(pl.Series(ports), pl.Series(numbers, dtype=pl.Float64)).to_list() == want
    pa = pyarrow()
    assert annotate(pa.array(ports), pa.array(numbers, type=pa.uint8())).to_pylist() == want


def test_protocol_columns_of_text() -> None:
    ports = [80, 53, 80, 53, 9, 9]
    names = ["tcp", "udp", "TCP", "Udp", "sctp", "dccp"]
    want = answers(ports, names)
    np, pd, pl, pa = numpy(), pandas(), polars(), pyarrow()
    assert annotate(np.array(ports), np.array(names)).tolist() == want
    assert annotate(pd.Series(ports), pd.Series(names)).tolist() == want
    assert annotate(pd.Series(ports), pd.Series(names, dtype="category")).tolist() == want
    assert annotate(pd.Series(ports), pd.Series(names, dtype=object)).tolist() == want
    assert annotate(pl.Series(ports), pl.Series(names)).to_list() == want
    assert annotate(pl.Series(ports), pl.Series(names, dtype=pl.Categorical)).to_list() == want
    assert annotate(pa.array(ports), pa.array(names)).to_pylist() == want
    assert annotate(pa.array(ports), pa.array(names).dictionary_encode()).to_pylist() == want


def test_protocol_columns_of_many_spellings() -> None:
    """More distinct spellings than are compared one by one: hashed instead."""
    spellings = ["tcp", "TCP", "Tcp", "tCp", "tcP", "TCp", "tCP", "TcP", " tcp", "tcp ", "6"]
    spellings += ["udp", "UDP", "Udp", "uDp", "udP", "UDp", "uDP", "UdP", "17", "udp6", "tcp6"]
    ports = [53] * len(spellings)
    want = answers(ports, spellings)
    np, pl = numpy(), polars()
    assert annotate(np.array(ports), np.array(spellings)).tolist() == want
    assert annotate(np.array(ports), np.array(spellings, dtype=object)).tolist() == want
    assert annotate(pl.Series(ports), pl.Series(spellings)).to_list() == want


@pytest.mark.parametrize("ports_kind", ["list", "numpy", "pandas", "polars", "arrow"])
@pytest.mark.parametrize("protocols_kind", ["list", "numpy", "pandas", "polars", "arrow"])
def test_any_kind_of_protocols_with_any_kind_of_ports(ports_kind: str, protocols_kind: str) -> None:
    ports, protocols = [80, 53, None, 443, 70000], ["tcp", "udp", "tcp", None, "tcp"]
    make: dict[str, Callable[[list[Any]], Any]] = {
        "list": list,
        "numpy": lambda values: numpy().array(values, dtype=object),
        "pandas": lambda values: pandas().Series(values),
        "polars": lambda values: polars().Series(values),
        "arrow": lambda values: pyarrow().array(values),
    }
    found = annotate(make[ports_kind](ports), make[protocols_kind](protocols), errors="coerce")
    plain = found if isinstance(found, list) else _plain(found)
    assert plain == ["http", "domain", None, None, None]


def _plain(column: Any) -> list[Any]:
    for method in ("to_pylist", "to_list", "tolist"):
        if hasattr(column, method):
            return getattr(column, method)()  # type: ignore[no-any-return]
    return list(column)


# --- missing values ----------------------------------------------------------------------


def test_pandas_float_column_with_nan() -> None:
    pd, np = pandas(), numpy()
    ports = pd.Series([80, None, 443], index=[7, 8, 9], name="p")
    assert ports.dtype == np.float64
    found = annotate(ports, field="range")
    assert found.tolist() == ["system", None, "system"]
    assert found.isna().tolist() == [False, True, False]
    assert found.index.tolist() == [7, 8, 9]
    assert annotate(np.array([80.0, np.nan])).tolist() == ["http", None]


def test_missing_values_in_each_kind() -> None:
    assert annotate([None, 80], [6, None]) == [None, None]
    pd, pl, pa = pandas(), polars(), pyarrow()
    found = annotate(pd.Series([80, None], dtype="Int64"), pd.Series(["tcp", pd.NA]))
    assert found.tolist() == ["http", None]
    assert annotate(pl.Series([None, 80, 53]), pl.Series(["tcp", None, "udp"])).to_list() == [
        None,
        None,
        "domain",
    ]
    assert annotate(pa.array([None, 80]), pa.array(["udp", None])).null_count == 2
    assert annotate(pl.Series([None, None])).to_list() == [None, None]
    assert annotate(pa.array([None, None])).to_pylist() == [None, None]


# --- errors ------------------------------------------------------------------------------


def bad_port(position: int, shown: str, label: str = "") -> str:
    return re.escape(f"ports[{position}]{label} = {shown} is not a port")


BAD_PORTS: list[tuple[list[object], int, str]] = [
    ([80, 443, 53, 70000, -1], 3, "70000"),
    ([80, -1], 1, "-1"),
    ([80.0, 53.5], 1, "53.5"),
    ([80, "http"], 1, "'http'"),
    ([80, "80/tcp"], 1, "'80/tcp'"),
    ([True, 80], 0, "True"),
    ([80, float("inf")], 1, "inf"),
    ([80, [80]], 1, "[80]"),
]


@pytest.mark.parametrize(("ports", "position", "shown"), BAD_PORTS)
def test_bad_port_in_a_list(ports: list[object], position: int, shown: str) -> None:
    with pytest.raises(InvalidPortError, match=bad_port(position, shown)):
        annotate(ports)
    coerced = annotate(ports, errors="coerce")
    assert coerced[position] is None
    assert coerced[0 if position else 1] is not None


def test_an_array_in_a_cell_is_not_a_port() -> None:
    # A cell holding an array was turned into a scalar with .item(): one of two elements
    # was a bare ValueError, and one of one element passed for its element in the message
    # (found by tools/fuzz.py).
    np = numpy()
    with pytest.raises(InvalidPortError, match=bad_port(0, "array([ 80, 443])")):
        annotate((np.array([80, 443]), np.array([80, 443])), "tcp")
    with pytest.raises(InvalidPortError, match=bad_port(0, "array([80])")):
        annotate([np.array([80]), 22], "tcp")
    assert annotate([np.array([80]), np.int16(22)], "tcp", errors="coerce") == [None, "ssh"]


def test_bad_ports_in_numpy() -> None:
    np = numpy()
    with pytest.raises(InvalidPortError, match=bad_port(3, "70000")):
        annotate(np.array([80, 443, 53, 70000, -1]))
    with pytest.raises(InvalidPortError, match=bad_port(1, "-1")):
        annotate(np.array([80, -1], dtype=np.int8))
    with pytest.raises(InvalidPortError, match=bad_port(1, "18446744073709551615")):
        annotate(np.array([80, 2**64 - 1], dtype=np.uint64))
    with pytest.raises(InvalidPortError, match=bad_port(2, "0.5")):
        annotate(np.array([80, np.nan, 0.5]))
    with pytest.raises(InvalidPortError, match=bad_port(0, "True")):
        annotate(np.array([True, False]))
    with pytest.raises(InvalidPortError, match=bad_port(1, "'x'")):
        annotate(np.array(["80", "x"]))
    with pytest.raises(InvalidPortError, match=bad_port(2, "True")):
        annotate(np.array([1, 0, True], dtype=object))
    assert annotate(np.array([1, 0, True, False], dtype=object), errors="coerce").tolist() == [
        "tcpmux",
        None,
        None,
        None,
    ]
    found = annotate(np.array([80, 70000, -5, 443]), errors="coerce")
    assert found.tolist() == ["http", None, None, "https"]


def test_bad_ports_in_pandas_name_the_label() -> None:
    pd = pandas()
    ports = pd.Series([80, 2.5, None], index=["a", "b", "c"])
    with pytest.raises(InvalidPortError, match=bad_port(1, "2.5", " (label 'b')")):
        annotate(ports)
    assert annotate(ports, errors="coerce").tolist() == ["http", None, None]
    with pytest.raises(InvalidPortError, match=bad_port(1, "'x'", " (label 11)")):
        annotate(pd.Series(["80", "x"], index=[10, 11]))
    with pytest.raises(InvalidPortError, match=bad_port(2, "70000")):
        annotate(pd.Series([80, 53, 70000]).astype("category"))
    with pytest.raises(InvalidPortError, match=bad_port(1, "True")):
        annotate(pd.Series([None, True], dtype="boolean"))


def test_bad_ports_in_polars_and_arrow() -> None:
    pl, pa = polars(), pyarrow()
    with pytest.raises(InvalidPortError, match=bad_port(2, "99999")):
        annotate(pl.Series([80, None, 99999]))
    with pytest.raises(InvalidPortError, match=bad_port(1, "0.5")):
        annotate(pl.Series([float("nan"), 0.5]))
    with pytest.raises(InvalidPortError, match=bad_port(1, "'ssh'")):
        annotate(pl.Series(["22", "ssh"]))
    with pytest.raises(InvalidPortError, match=bad_port(0, "False")):
        annotate(pl.Series([False]))
    assert annotate(pl.Series([80, -1, None]), errors="coerce").to_list() == ["http", None, None]
    # A chunked array names the row across its chunks.
    with pytest.raises(InvalidPortError, match=bad_port(3, "-1")):
        annotate(pa.chunked_array([[80, 53], [443, -1]]))
    with pytest.raises(InvalidPortError, match=bad_port(1, "'x'")):
        annotate(pa.array(["80", "x"]))
    with pytest.raises(InvalidPortError, match=bad_port(1, "1.5")):
        annotate(pa.array([None, 1.5]))
    with pytest.raises(InvalidPortError, match=bad_port(0, "True")):
        annotate(pa.array([True]))
    found = annotate(pa.chunked_array([["80", "70000"], ["x", "22"]]), errors="coerce")
    assert found.to_pylist() == ["http", None, None, "ssh"]


def test_arrow_uint64_past_int64() -> None:
    # uint64 values at or above 2**63 do not fit the int64 that Arrow compares them in.
    pa, pd = pyarrow(), pandas()
    for big in (2**63, 2**64 - 1):
        column = pa.array([80, None, big], pa.uint64())
        with pytest.raises(InvalidPortError, match=bad_port(2, str(big))):
            annotate(column)
        assert annotate(column, errors="coerce").to_pylist() == ["http", None, None]
        chunked = pa.chunked_array([[80], [big, 22]], pa.uint64())
        with pytest.raises(InvalidPortError, match=bad_port(1, str(big))):
            annotate(chunked)
        series = pd.Series(column, dtype=pd.ArrowDtype(pa.uint64()))
        with pytest.raises(InvalidPortError, match=bad_port(2, str(big))):
            annotate(series)
    assert annotate(pa.array([22, 80], pa.uint64())).to_pylist() == ["ssh", "http"]
    assert annotate(pa.array([22, 80], pa.uint8())).to_pylist() == ["ssh", "http"]


def test_float16_ports_without_a_warning() -> None:
    # The suite turns warnings into errors: a float16 column (whose largest value is 65504,
    # below the index that stands for a missing value) is read without an overflow warning.
    np, pd, pa = numpy(), pandas(), pyarrow()
    values = [80.0, None, 22.0, 0.5, 60000.0]
    expected = ["http", None, "ssh", None, portinfo.name(60000)]
    array = np.array([np.nan if v is None else v for v in values], dtype=np.float16)
    with pytest.raises(InvalidPortError, match=bad_port(3, "0.5")):
        annotate(array)
    assert annotate(array, errors="coerce").tolist() == expected
    assert annotate(pd.Series(array), errors="coerce").tolist() == expected
    arrow = pa.array(values, pa.float16())
    with pytest.raises(InvalidPortError, match=bad_port(3, "0.5")):
        annotate(arrow)
    assert annotate(arrow, errors="coerce").to_pylist() == expected
    assert annotate(pa.chunked_array([arrow]), errors="coerce").to_pylist() == expected


def bad_protocol(position: int, shown: str, label: str = "") -> str:
    return re.escape(f"protocols[{position}]{label} = {shown} is not a protocol")


def test_bad_protocols_in_each_kind() -> None:
    with pytest.raises(InvalidProtocolError, match=bad_protocol(1, "'icmp'")):
        annotate([80, 80], ["tcp", "icmp"])
    with pytest.raises(InvalidProtocolError, match=bad_protocol(0, "True")):
        annotate([80], [True])
    assert annotate([80, 80], ["tcp", 1], errors="coerce") == ["http", None]
    np, pd, pl, pa = numpy(), pandas(), polars(), pyarrow()
    with pytest.raises(InvalidProtocolError, match=bad_protocol(2, "1")):
        annotate(np.array([80, 80, 80]), np.array([6, 17, 1], dtype=np.uint8))
    with pytest.raises(InvalidProtocolError, match=bad_protocol(1, "6.5")):
        annotate(np.array([80, 80]), np.array([6.0, 6.5]))
    with pytest.raises(InvalidProtocolError, match=bad_protocol(1, "'gre'")):
        annotate(np.array([80, 80]), np.array(["tcp", "gre"]))
    with pytest.raises(InvalidProtocolError, match=bad_protocol(1, "'icmp'", " (label 'y')")):
        annotate(pd.Series([80, 80]), pd.Series(["tcp", "icmp"], index=["x", "y"]))
    with pytest.raises(InvalidProtocolError, match=bad_protocol(1, "'icmp'")):
        annotate(pd.Series([80, 80]), pd.Series(["tcp", "icmp"], dtype="category"))
    with pytest.raises(InvalidProtocolError, match=bad_protocol(1, "'icmp'")):
        annotate(pl.Series([80, 80]), pl.Series(["tcp", "icmp"]))
    with pytest.raises(InvalidProtocolError, match=bad_protocol(1, "1")):
        annotate(pl.Series([80, 80]), pl.Series([6, 1]))
    with pytest.raises(InvalidProtocolError, match=bad_protocol(2, "'icmp'")):
        annotate(pa.array([80, 80, 80]), pa.chunked_array([["tcp"], ["udp", "icmp"]]))
    with pytest.raises(InvalidProtocolError, match=bad_protocol(0, "True")):
        annotate(pa.array([80]), pa.array([True]))
    found = annotate(pl.Series([80, 53]), pl.Series(["icmp", "udp"]), errors="coerce")
    assert found.to_list() == [None, "domain"]


def test_a_bad_port_is_reported_before_a_bad_protocol() -> None:
    with pytest.raises(InvalidPortError, match=bad_port(1, "-1")):
        annotate([80, -1], ["icmp", "tcp"])


def test_single_bad_protocol() -> None:
    with pytest.raises(InvalidProtocolError, match="'icmp'"):
        annotate([80], "icmp")
    with pytest.raises(TypeError, match="got bool"):
        annotate([80], True)


def test_lengths_must_agree() -> None:
    with pytest.raises(InvalidArgumentError, match="got 2 ports and 1 protocols"):
        annotate([80, 53], ["tcp"])
    np = numpy()
    with pytest.raises(InvalidArgumentError, match="same length"):
        annotate(np.array([80]), np.array(["tcp", "udp"]))


def test_field_and_errors_are_checked() -> None:
    with pytest.raises(InvalidArgumentError, match="'service', 'description', 'range', 'use'"):
        annotate([80], field="name")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="field must be a str"):
        annotate([80], field=None)  # type: ignore[call-overload]
    with pytest.raises(InvalidArgumentError, match="'raise' or 'coerce'"):
        annotate([80], errors="ignore")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"registry must be a portinfo\.Registry"):
        annotate([80], registry="packaged")  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("column", "named"),
    [(80, "int"), ("80", "str"), ({80: "tcp"}, "dict"), (iter([80]), "list_iterator")],
)
def test_what_is_not_a_column(column: object, named: str) -> None:
    with pytest.raises(TypeError, match=f"ports must be a column: .* got {named}"):
        annotate(column)


def test_what_is_not_a_supported_column() -> None:
    np, pd = numpy(), pandas()
    with pytest.raises(TypeError, match="got DataFrame"):
        annotate(pd.DataFrame({"port": [80]}))
    with pytest.raises(TypeError, match=re.escape("a NumPy array of shape (1, 2)")):
        annotate(np.array([[80, 443]]))
    with pytest.raises(TypeError, match="masked array"):
        annotate(np.ma.masked_array([80, 443], mask=[False, True]))
    with pytest.raises(TypeError, match="a NumPy array of datetime64"):
        annotate(np.array(["2026-01-01"], dtype="datetime64[D]"))
    with pytest.raises(TypeError, match="a pandas Series of datetime64"):
        annotate(pd.Series(pd.to_datetime(["2026-01-01"])))
    with pytest.raises(TypeError, match="protocols must hold names or numbers, got a NumPy"):
        annotate(np.array([80]), np.array([1j]))
    pl, pa = polars(), pyarrow()
    with pytest.raises(TypeError, match="a Polars Series of Date"):
        annotate(pl.Series([datetime.date(2026, 1, 1)]))
    with pytest.raises(TypeError, match="a PyArrow array of list<item: int64>"):
        annotate(pa.array([[80]]))


# --- the registry, and the libraries imported --------------------------------------------


def test_answers_from_the_registry_given(tiny: Registry) -> None:
    assert annotate([80, 66, 8080], "tcp", registry=tiny) == [
        tiny.name(80, "tcp"),
        tiny.name(66, "tcp"),
        tiny.name(8080, "tcp"),
    ]
    assert annotate([80, 66, 8080], registry=tiny) == [tiny.name(p) for p in (80, 66, 8080)]
    assert annotate([8080], registry=tiny) == ["proxy-test"]


def test_without_a_protocol_every_port_is_what_name_says() -> None:
    # Any protocol, as name(port) means: 737 is named on udp only.
    every = list(range(65536))
    found = annotate(every)
    assert found[737] == portinfo.name(737) == "sometimes-rpc2"
    assert annotate([737], "tcp") == [None]
    assert found == [portinfo.name(port) for port in every]
    assert annotate(every, None) == found
    assert build_table(None, None) is build_table(default_registry(), None)
    assert default_registry().table(None) is build_table(None, None)


def test_the_core_imports_no_column_library() -> None:
    code = (
        "import sys\n"
        "from portinfo._annotate import annotate\n"
        "assert annotate([80, 443], ['tcp', 17]) == ['http', 'https']\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'polars', 'pyarrow') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


port_columns = st.lists(
    st.one_of(strategies.ports, strategies.out_of_range, st.none()), max_size=30
)
spellings = st.sampled_from(["tcp", "UDP", 6, 17, "sctp", "33", " dccp", None])


def protocol_columns(length: int) -> st.SearchStrategy[list[object]]:
    return st.lists(spellings, min_size=length, max_size=length)


@given(port_columns, st.data())
def test_a_list_agrees_with_name(ports: list[int | None], data: st.DataObject) -> None:
    protocols = data.draw(protocol_columns(len(ports)))
    assert annotate(ports, protocols, errors="coerce") == [
        None
        if port is None or protocol is None or not 0 <= port <= 65535
        else default_registry().name(port, parse_flow_protocol(protocol))
        for port, protocol in zip(ports, protocols)
    ]


@pytest.mark.skipif(
    importlib.util.find_spec("numpy") is None, reason="the NumPy engine needs numpy"
)
@given(port_columns, st.data())
def test_numpy_agrees_with_a_list(ports: list[int | None], data: st.DataObject) -> None:
    import numpy as np

    protocols = data.draw(protocol_columns(len(ports)))
    want = annotate(ports, protocols, errors="coerce")
    for column in (np.array(ports, dtype=object), np.array(ports, dtype=float)):
        found = annotate(column, np.array(protocols, dtype=object), errors="coerce")
        assert found.tolist() == want


# --- the PySpark example of docs/bulk.md -------------------------------------------------


def spark_example() -> str:
    """The PySpark block of docs/bulk.md: the one after its "pyspark-example" marker."""
    page = (REPOSITORY / "docs" / "bulk.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- pyspark-example -->\n```\w*\n(.*?)\n```", page, re.DOTALL)
    assert found is not None, "docs/bulk.md has no block after <!-- pyspark-example -->"
    return found.group(1)


def test_pyspark_example_is_in_the_docs() -> None:
    source = spark_example()
    compile(source, "docs/bulk.md", "exec")
    assert "F.broadcast" in source
    assert "pandas_udf" in source


def spark_missing(reason: str) -> NoReturn:
    """Skip the PySpark example, or fail it where the run asks for it (CI's spark step)."""
    if os.environ.get("PORTINFO_REQUIRE_SPARK"):
        pytest.fail(f"PORTINFO_REQUIRE_SPARK is set, yet {reason}")
    pytest.skip(reason)


# PySpark warns that it does not fully support pandas 3; the example's features work.
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_pyspark_example(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs the docs' PySpark block; skips without the spark extra or Java, unless
    PORTINFO_REQUIRE_SPARK=1 is set (as .ci/run does), where that is a failure."""
    missing = [m for m in ("pyspark", "pandas", "pyarrow") if importlib.util.find_spec(m) is None]
    if missing:
        spark_missing(
            f"{', '.join(missing)} not installed (the spark extra: pip install -e '.[spark]')"
        )
    if shutil.which("java") is None:
        spark_missing("PySpark needs a Java runtime on PATH, and there is none")
    monkeypatch.setenv("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON", sys.executable))
    namespace: dict[str, Any] = {}
    exec(compile(spark_example(), "docs/bulk.md", "exec"), namespace)  # noqa: S102
    try:
        joined = [row["service"] for row in namespace["joined"].orderBy("ts").collect()]
        with_udf = [row["service"] for row in namespace["with_udf"].orderBy("ts").collect()]
    finally:
        namespace["spark"].stop()
    assert joined == with_udf == ["https", "domain", "ms-wbt-server", None]


def test_field_and_errors_are_checked_strings() -> None:
    class Evil(str):
        def __eq__(self, other: object) -> bool:
            raise RuntimeError("broken __eq__")

        __hash__ = str.__hash__

    # A caller's own __eq__ runs, and its error propagates unchanged (docs/guarantees.md).
    with pytest.raises(RuntimeError, match="broken __eq__"):
        annotate([80], field=Evil("service"))  # type: ignore[call-overload]
    # Anything but a str is refused, not compared: an array's __eq__ answers with an array.
    with pytest.raises(InvalidArgumentError, match="errors must be"):
        annotate([80], errors=[1, 2])  # type: ignore[call-overload]
