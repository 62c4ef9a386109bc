"""Whole columns at once: one field of every port in a column, with no Python call per row.

:func:`annotate` takes a column of ports (a list or other sequence, a NumPy array, a pandas
or Polars Series, a PyArrow array) and one protocol or a column of them, and gives the same
kind of column holding each row's service name, description, range or observed use. Each
registry, protocol and field has one table of 65,536 values (:func:`build_table`), built
once from the registry's compiled tables and kept; a column is then checked and looked up
with its own library's vectorised operations, a take from that table. None of NumPy,
pandas, Polars or PyArrow is imported here: a column's library is found among the modules
already imported (it made the column), and used only then.
"""

from __future__ import annotations

import importlib
import math
import operator
import sys
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Union, cast, overload

from portinfo._api import registry_or_default
from portinfo._enums import Protocol
from portinfo._locks import Lock
from portinfo._table import FIELDS, Field, check_field
from portinfo._validate import (
    MAX_PORT,
    PROTOCOL_NUMBERS,
    PROTOCOL_RULE,
    parse_protocol,
    port_from_text,
    show,
)
from portinfo.exceptions import InvalidArgumentError, InvalidPortError, InvalidProtocolError

if TYPE_CHECKING:
    from portinfo._registry import Registry

__all__ = ["FIELDS", "Field", "annotate", "build_table", "parse_flow_protocol"]

Errors = Literal["raise", "coerce"]
ProtocolLike = Union[Protocol, str, int]

_T = TypeVar("_T")
_PORTS = MAX_PORT + 1
_PROTOCOLS = tuple(Protocol)
_CODE = {protocol: code for code, protocol in enumerate(_PROTOCOLS)}
# What the per-value parsers give besides a port or a protocol's code.
_MISSING, _BAD = -1, -2
# A protocol's code is its place in _PROTOCOLS; a missing one is 4, a bad one 5.
_NO_CODE = len(_PROTOCOLS)
# The index of the None slots: after one protocol's table, or after all four's, where a
# row's index is code * 65536 + port. The slot after it holds None too, for bad rows.
_ONE_MISSING = _PORTS
_ALL_MISSING = _NO_CODE * _PORTS

_NUMBER_LIMIT = 255  # protocol numbers are one byte
_COERCE_HINT = "errors='coerce' gives a missing value for it instead"
_FEW = 16
"""Up to how many distinct values a column of protocols is mapped by one comparison each
(faster than hashing every row, where they are few, as protocols are)."""
_UNSET = -3


class _UnsupportedError(Exception):
    """A column of a supported kind whose type of values is not (dates, say)."""


# --- protocols ---------------------------------------------------------------------------


def parse_flow_protocol(value: object) -> Protocol:
    """``value`` as a :class:`Protocol`, as :func:`portinfo._validate.parse_protocol` reads
    it (a name, ``"tcp6"``/``"udp6"``, an IANA protocol number), and also an integral float
    (``6.0``), as pandas stores numbers beside missing values."""
    if _is_float(value):
        number = _integral(value)
        if number is None:
            raise InvalidProtocolError(f"protocol must be {PROTOCOL_RULE}, got {show(value)}")
        value = number
    elif _is_bool(value):
        raise TypeError(f"protocol must be a Protocol, a str or an int, got bool: {value!r}")
    return parse_protocol(value)


def _is_bool(value: object) -> bool:
    # numpy.bool_ is no bool subclass; its type is called "bool" (NumPy 2) or "bool_".
    return isinstance(value, bool) or type(value).__name__ in ("bool", "bool_")


def _integral(value: object) -> int | None:
    """The integer that ``value`` is (an ``int`` of any type, or an integral float); else
    ``None``. ``bool`` is not asked about here."""
    if _is_float(value):
        number_f = float(value)  # type: ignore[arg-type]  # a float, or NumPy's
        return int(number_f) if number_f.is_integer() else None
    try:
        return int(operator.index(value))  # type: ignore[arg-type]  # any integer type
    except TypeError:  # no integer, or one that says so, as numpy.bool_ does
        return None


def _is_float(value: object) -> bool:
    """Whether ``value`` is a float: Python's, or NumPy's (float32 is no float subclass)."""
    kind = type(value)
    return isinstance(value, float) or (
        kind.__module__ == "numpy" and kind.__name__.startswith(("float", "longdouble"))
    )


def _is_missing(value: object) -> bool:
    """Whether ``value`` is how a column writes a missing value: None, NaN, pandas' NA."""
    if value is None:
        return True
    if _is_float(value):
        return math.isnan(value)  # type: ignore[arg-type]  # a float, or NumPy's
    kind = type(value)
    return kind.__name__ in ("NAType", "NaTType") and kind.__module__.startswith("pandas")


def _port_value(value: object) -> int:
    """The port that one value of a column is, or :data:`_MISSING`, or :data:`_BAD`."""
    if value.__class__ is int:
        return value if 0 <= value <= MAX_PORT else _BAD
    if isinstance(value, str):
        number = port_from_text(value.strip())
        return _BAD if number is None else number
    if _is_missing(value):
        return _MISSING
    if _is_bool(value):
        return _BAD
    number = _integral(value)
    return number if number is not None and 0 <= number <= MAX_PORT else _BAD


def _protocol_code(value: object) -> int:
    """The code of the protocol that one value of a column is, or :data:`_MISSING`, or
    :data:`_BAD`."""
    if _is_missing(value):
        return _MISSING
    try:
        return _CODE[parse_flow_protocol(value)]
    except (TypeError, ValueError):
        return _BAD


# --- the tables --------------------------------------------------------------------------

# Per registry (held weakly, so a registry's tables go with it): 16 tables at most (4
# protocols x 4 fields), and each one's copy in the column libraries that have asked for it.
_kept: weakref.WeakKeyDictionary[Registry, dict[tuple[object, ...], Any]] = (
    weakref.WeakKeyDictionary()
)
_lock = Lock(reentrant=True)  # re-entrant: a library's copy of a table asks for the table


def _cached(registry: Registry, key: tuple[object, ...], make: Callable[[], _T]) -> _T:
    """The value kept under ``key`` for ``registry``, made by ``make`` the first time.

    Made under a lock, so that threads asking at once make it once; it is made once per
    registry, and there are few keys.
    """
    kept = _kept.get(registry)
    found = None if kept is None else kept.get(key)
    if found is not None:  # kept already: no lock to read it (a dict read is atomic)
        return cast(_T, found)
    with _lock:
        kept = _kept.get(registry)
        if kept is None:
            kept = _kept[registry] = {}
        found = kept.get(key)
        if found is None:
            found = kept[key] = make()
        return found


def build_table(
    registry: Registry | None, protocol: ProtocolLike | None, field: Field = "service"
) -> tuple[str | None, ...]:
    """The value of ``field`` for each port 0..65535 on ``protocol``: a tuple of 65,536.

    :meth:`Registry.table` of ``registry`` (the default registry where it is ``None``),
    for a protocol as a column may write it (see :func:`parse_flow_protocol`), or ``None``
    for any protocol.
    """
    wanted = None if protocol is None else parse_flow_protocol(protocol)
    return registry_or_default(registry).table(wanted, check_field(field))


def _library(
    kind: str, registry: Registry, protocols: tuple[Protocol | None, ...], field: Field
) -> Any:
    """The tables of ``protocols`` (one, or all four for a column of protocols) one after
    another, then two None slots (for missing and bad rows), as a column of ``kind``'s
    library, made once and kept."""

    def make() -> Any:
        values: list[str | None] = []
        for each in protocols:
            values += build_table(registry, each, field)
        values += [None, None]
        if kind == "numpy":
            array = _lib("numpy").empty(len(values), dtype=object)
            array[:] = values
            return array
        if kind == "polars":
            pl = _lib("polars")
            return pl.Series(values=values, dtype=pl.String)
        if kind == "arrow":
            pa = _lib("pyarrow")
            return pa.array(values, type=pa.string())
        return tuple(values)

    return _cached(registry, (kind, protocols, field), make)


# --- columns -----------------------------------------------------------------------------


def _lib(name: str) -> Any:
    """A column library's module: imported already where its column exists."""
    return importlib.import_module(name)


def _family(column: object) -> str | None:
    """Which library ``column`` belongs to, found among the modules already imported."""
    modules = sys.modules
    numpy = modules.get("numpy")
    if numpy is not None and isinstance(column, numpy.ndarray):
        return "numpy"
    pandas = modules.get("pandas")
    if pandas is not None and isinstance(column, pandas.Series):
        return "pandas"
    polars = modules.get("polars")
    if polars is not None and isinstance(column, polars.Series):
        return "polars"
    pyarrow = modules.get("pyarrow")
    if pyarrow is not None and isinstance(column, (pyarrow.Array, pyarrow.ChunkedArray)):
        return "arrow"
    if isinstance(column, Sequence) and not isinstance(column, (str, bytes, bytearray)):
        return "list"
    return None


def _engine(family: str) -> str:
    """The library that computes on a family's columns (pandas computes with NumPy)."""
    return "numpy" if family == "pandas" else family


def _check_numpy(column: Any, name: str) -> None:
    np = _lib("numpy")
    if isinstance(column, np.ma.MaskedArray):
        raise TypeError(f"{name} must not be a masked array: fill it first (array.filled())")
    if column.ndim != 1:
        raise TypeError(f"{name} must be one column, got a NumPy array of shape {column.shape}")


def _describe(family: str, column: Any) -> str:
    kind = {
        "numpy": "NumPy array",
        "pandas": "pandas Series",
        "polars": "Polars Series",
        "arrow": "PyArrow array",
    }[family]
    return f"a {kind} of {column.type if family == 'arrow' else column.dtype}"


# --- NumPy (and pandas) ------------------------------------------------------------------


def _settled(parsed: list[int], missing: int) -> list[int]:
    """Parsed values (with _MISSING and _BAD) as indexes: ``missing`` and ``missing + 1``."""
    return [missing if p == _MISSING else missing + 1 if p == _BAD else p for p in parsed]


def _settle(found: Any, missing: int) -> tuple[Any, bool]:
    """Parsed values (with _MISSING and _BAD) as indexes: ``missing`` and ``missing + 1``."""
    bad = found == _BAD
    has_bad = bool(bad.any())
    found[found == _MISSING] = missing
    if has_bad:
        found[bad] = missing + 1
    return found, has_bad


def _numpy_distinct(np: Any, values: Any, parse: Callable[[object], int]) -> Any:
    """``parse`` of each row of an array of Python objects (or strings), called once per
    distinct value; the rows are then mapped in C. Returns the parsed values."""
    items = values.tolist()
    count = len(items)
    try:
        parsed = dict.fromkeys(items)
    except TypeError:  # an unhashable value (a list, say): then each row on its own
        return np.fromiter(map(parse, items), np.intp, count)
    for item in parsed:
        parsed[item] = parse(item)
    found = np.fromiter(map(parsed.__getitem__, items), np.intp, count)
    if parse is _port_value and (True in parsed or False in parsed):
        # 1 and True (0 and False) are one key of a dict, whichever came first; a bool is
        # never a port, and its key may stand for the number too.
        kinds = list(map(type, items))
        bools = {bool, np.bool_}.intersection(kinds)
        if bools:
            for item in parsed:
                if type(item) in bools:
                    parsed[item] = int(item)
            found = np.fromiter(map(parsed.__getitem__, items), np.intp, count)
            found[np.fromiter(map(bools.__contains__, kinds), bool, count)] = _BAD
    return found


def _numpy_few(np: Any, values: Any, parse: Callable[[object], int]) -> Any | None:
    """``parse`` of each row of an array of objects or strings that holds at most
    :data:`_FEW` distinct values, by one comparison each, in the order they first come;
    ``None`` where there are more (or a value that can't be compared)."""
    count = len(values)
    found = np.full(count, _UNSET, np.intp)
    probe = np.empty((), dtype=values.dtype)
    start = 0
    for _ in range(_FEW + 1):
        position = start + int(np.argmax(found[start:] == _UNSET)) if start < count else count
        if position == count or found[position] != _UNSET:
            return found
        value = probe[()] = values[position]
        try:
            same = values == probe  # a 0-d probe: a value that is a list stays one value
        except (TypeError, ValueError):  # pandas' NA, an array in a cell: no truth value
            return None
        found[same] = found[position] = parse(value)  # NaN equals nothing, not even itself
        start = position + 1
    return None


def _numpy_ports(values: Any, missing: int) -> tuple[Any, bool]:
    """Each row's index in a table: the port, or ``missing`` (None, NaN), or ``missing + 1``
    (not a port); and whether any row is not a port."""
    np = _lib("numpy")
    kind, bad = values.dtype.kind, missing + 1
    if kind in "iu":
        if not len(values) or (values.min() >= 0 and values.max() <= MAX_PORT):
            return values.astype(np.intp, copy=False), False
        wrong = (values < 0) | (values > MAX_PORT)
        index = values.astype(np.intp)  # any value too large to fit is wrong: replaced
        index[wrong] = bad
        return index, True
    if kind == "f":
        values = values.astype(np.float64, copy=False)  # float16 can't hold ``missing``
        with np.errstate(invalid="ignore"):
            ok = (values >= 0) & (values <= MAX_PORT) & (np.floor(values) == values)
        index = np.where(ok, values, missing).astype(np.intp)
        wrong = ~ok & ~np.isnan(values)
        has_bad = bool(wrong.any())
        if has_bad:
            index[wrong] = bad
        return index, has_bad
    if kind == "b":
        return np.full(len(values), bad, np.intp), len(values) > 0
    if kind in "OUST":
        return _settle(_numpy_distinct(np, values, _port_value), missing)
    raise _UnsupportedError


def _number_codes(bad: int) -> list[int]:
    """The code of each of the 256 IANA protocol numbers: its protocol's, else ``bad``."""
    codes = [bad] * (_NUMBER_LIMIT + 1)
    for number, protocol in PROTOCOL_NUMBERS.items():
        codes[number] = _CODE[protocol]
    return codes


def _numpy_protocols(values: Any) -> tuple[Any, bool]:
    """Each row's protocol code, 4 where missing and 5 where not a protocol; and whether
    any row is not a protocol."""
    np = _lib("numpy")
    kind = values.dtype.kind
    if kind in "iuf":
        codes = np.array(_number_codes(_NO_CODE + 1), np.intp)
        if kind == "u" and values.dtype.itemsize == 1:
            found = codes.take(values)
        else:
            with np.errstate(invalid="ignore"):
                inside = (values >= 0) & (values <= _NUMBER_LIMIT)
                if kind == "f":
                    inside &= np.floor(values) == values
            found = codes.take(np.where(inside, values, 0).astype(np.intp))  # 0 is none
            if kind == "f":
                found[np.isnan(values)] = _NO_CODE
        return found, bool((found == _NO_CODE + 1).any())
    if kind == "b":
        return np.full(len(values), _NO_CODE + 1, np.intp), len(values) > 0
    if kind in "OUST":
        found = _numpy_few(np, values, _protocol_code)
        if found is None:
            found = _numpy_distinct(np, values, _protocol_code)
        return _settle(found, _NO_CODE)
    raise _UnsupportedError


def _pandas(
    series: Any,
    numpy_engine: Callable[[Any, int], tuple[Any, bool]],
    arrow_engine: Callable[[Any, int], tuple[Any, bool]],
    missing: int,
) -> tuple[Any, bool]:
    """A pandas column through the NumPy engine (or the Arrow one, for Arrow-backed
    columns); a categorical column's categories are parsed once each."""
    pd, np = _lib("pandas"), _lib("numpy")
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories = pd.Series(dtype.categories)
        parsed, has_bad = _pandas(categories, numpy_engine, arrow_engine, missing)
        index = np.append(parsed, missing).take(series.cat.codes.to_numpy())  # -1: the last
        return index, has_bad and bool((index == missing + 1).any())
    if isinstance(dtype, np.dtype):
        return numpy_engine(series.to_numpy(), missing)
    if str(getattr(dtype, "storage", "")).startswith("pyarrow") or (
        type(dtype).__name__ == "ArrowDtype"
    ):
        index, has_bad = arrow_engine(_lib("pyarrow").array(series), missing)
        return np.asarray(index, dtype=np.intp), has_bad
    kind = getattr(getattr(dtype, "numpy_dtype", None), "kind", "O")
    if kind in "iuf":  # a nullable integer or float column: its NA is NaN here
        return numpy_engine(series.to_numpy(dtype="float64", na_value=np.nan), missing)
    return numpy_engine(series.to_numpy(dtype=object, na_value=None), missing)


def _pandas_ports(series: Any, missing: int) -> tuple[Any, bool]:
    return _pandas(series, _numpy_ports, _arrow_ports, missing)


def _pandas_protocols(series: Any) -> tuple[Any, bool]:
    return _pandas(
        series,
        lambda values, _: _numpy_protocols(values),
        lambda values, _: _arrow_protocols(values),
        _NO_CODE,
    )


# --- Polars ------------------------------------------------------------------------------


def _polars_distinct(series: Any, parse: Callable[[object], int], missing: int) -> tuple[Any, bool]:
    """A string column's indexes: ``parse`` of each distinct value, mapped to the rows by
    a comparison each where they are few, else through an Enum's codes."""
    pl = _lib("polars")
    distinct = series.drop_nulls().unique().to_list()
    parsed = [parse(value) for value in distinct]
    lookup = _settled(parsed, missing)
    value = pl.col("v")
    if len(distinct) <= _FEW:
        chain = pl.when(value.is_null()).then(missing)
        for word, index in zip(distinct, lookup):
            chain = chain.when(value == word).then(index)
        found = pl.DataFrame({"v": series}).select(chain.otherwise(missing).cast(pl.Int64))
        return found.to_series(), _BAD in parsed
    positions = series.cast(pl.Enum(distinct)).to_physical().cast(pl.Int64)
    positions = positions.fill_null(len(distinct))  # nulls: the last entry
    lookup.append(missing)
    return pl.Series(values=lookup, dtype=pl.Int64).gather(positions), _BAD in parsed


def _polars_ports(series: Any, missing: int) -> tuple[Any, bool]:
    pl = _lib("polars")
    dtype, bad = series.dtype, missing + 1
    if dtype in (pl.Categorical, pl.Enum):
        series, dtype = series.cast(pl.String), pl.String
    value = pl.col("v")
    if dtype.is_integer():
        if not series.null_count() and (
            series.is_empty() or (series.min() >= 0 and series.max() <= MAX_PORT)
        ):
            return series.cast(pl.Int64), False  # every row a port: nothing to replace
        wrong = ((value < 0) | (value > MAX_PORT)).fill_null(False)
        number = value.cast(pl.Int64, strict=False)  # too large to fit: wrong, replaced
        expression = pl.when(value.is_null()).then(missing).when(wrong).then(bad).otherwise(number)
    elif dtype.is_float():
        ok = (value >= 0) & (value <= MAX_PORT) & (value.floor() == value) & value.is_not_nan()
        number = value.cast(pl.Int64, strict=False)
        missed = value.is_null() | value.is_nan()
        expression = pl.when(missed).then(missing).when(ok).then(number).otherwise(bad)
    elif dtype in (pl.Boolean, pl.Null):
        expression = pl.when(value.is_null()).then(missing).otherwise(bad)
    elif dtype == pl.String:
        return _polars_distinct(series, _port_value, missing)
    else:
        raise _UnsupportedError
    index = pl.DataFrame({"v": series}).select(expression.cast(pl.Int64)).to_series()
    return index, bool((index == bad).any())


def _polars_protocols(series: Any) -> tuple[Any, bool]:
    pl = _lib("polars")
    dtype, bad = series.dtype, _NO_CODE + 1
    if dtype in (pl.Categorical, pl.Enum):
        series, dtype = series.cast(pl.String), pl.String
    if dtype == pl.String:
        return _polars_distinct(series, _protocol_code, _NO_CODE)
    value = pl.col("v")
    if dtype.is_integer() or dtype.is_float():
        # A number's code is looked up in a table of the 256 protocol numbers.
        inside, gone = (value >= 0) & (value <= _NUMBER_LIMIT), value.is_null()
        if dtype.is_float():
            inside = inside & (value.floor() == value) & value.is_not_nan()
            gone = gone | value.is_nan()
        codes = _number_codes(bad)
        position = pl.when(inside).then(value.cast(pl.Int64, strict=False)).otherwise(0)
        taken = pl.lit(pl.Series(values=codes, dtype=pl.Int64)).gather(position)
        expression = pl.when(gone).then(_NO_CODE).otherwise(taken)
    elif dtype in (pl.Boolean, pl.Null):
        expression = pl.when(value.is_null()).then(_NO_CODE).otherwise(bad)
    else:
        raise _UnsupportedError
    found = pl.DataFrame({"v": series}).select(expression.cast(pl.Int64)).to_series()
    return found, bool((found == bad).any())


# --- PyArrow -----------------------------------------------------------------------------


def _arrow_distinct(values: Any, parse: Callable[[object], int], missing: int) -> tuple[Any, bool]:
    """A column's indexes: ``parse`` of each distinct value of each chunk (its dictionary,
    once encoded), mapped to the rows by the dictionary's indices."""
    pa, pc = _lib("pyarrow"), _lib("pyarrow.compute")
    known: dict[object, int] = {}

    def indexes(chunk: Any) -> Any:
        if not pa.types.is_dictionary(chunk.type):
            chunk = pc.dictionary_encode(chunk)
        words = chunk.dictionary.to_pylist()
        for word in words:
            if word not in known:
                known[word] = parse(word)
        lookup = _settled([known[word] for word in words], missing)
        lookup.append(missing)  # for nulls
        positions = pc.fill_null(chunk.indices.cast(pa.int64()), len(words))
        return pc.take(pa.array(lookup, type=pa.int64()), positions)

    if isinstance(values, pa.ChunkedArray):
        found = pa.chunked_array([indexes(c) for c in values.chunks], type=pa.int64())
    else:
        found = indexes(values)
    return found, _BAD in known.values()


def _arrow_ports(values: Any, missing: int) -> tuple[Any, bool]:
    pa, pc = _lib("pyarrow"), _lib("pyarrow.compute")
    kind, bad = values.type, missing + 1
    gone, wrong = pa.scalar(missing, pa.int64()), pa.scalar(bad, pa.int64())
    if pa.types.is_integer(kind):
        if not values.null_count:
            least, most = pc.min_max(values).values()
            if least.as_py() is None or (least.as_py() >= 0 and most.as_py() <= MAX_PORT):
                return values.cast(pa.int64()), False  # every row a port (or none at all)
        # Compared in the column's own type: a uint64 over 2**63 does not fit Arrow's int64.
        signed = pa.types.is_signed_integer(kind)
        high = pc.greater(values, pa.scalar(MAX_PORT, pa.int64() if signed else pa.uint64()))
        low = pc.less(values, pa.scalar(0, kind)) if signed else high
        outside = pc.fill_null(pc.or_(low, high), False)
        number = pc.fill_null(pc.cast(values, pa.int64(), safe=False), gone)
        return pc.if_else(outside, wrong, number), bool(pc.any(outside).as_py())
    if pa.types.is_floating(kind):
        values = values.cast(pa.float64())  # Arrow compares no float16 (halffloat)
        missed = pc.fill_null(pc.is_nan(values), True)
        ok = pc.and_(
            pc.and_(pc.greater_equal(values, 0), pc.less_equal(values, MAX_PORT)),
            pc.equal(pc.floor(values), values),
        )
        ok = pc.fill_null(ok, False)
        number = pc.cast(values, pa.int64(), safe=False)
        index = pc.if_else(ok, number, pc.if_else(missed, gone, wrong))
        return index, not bool(pc.all(pc.or_(ok, missed)).as_py())
    if pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return _arrow_none(values, missing)
    if _arrow_text(kind) or pa.types.is_dictionary(kind):
        return _arrow_distinct(values, _port_value, missing)
    raise _UnsupportedError


def _arrow_protocols(values: Any) -> tuple[Any, bool]:
    pa = _lib("pyarrow")
    kind = values.type
    if pa.types.is_boolean(kind) or pa.types.is_null(kind):
        return _arrow_none(values, _NO_CODE)
    if (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_dictionary(kind)
        or _arrow_text(kind)
    ):
        return _arrow_distinct(values, _protocol_code, _NO_CODE)
    raise _UnsupportedError


def _arrow_none(values: Any, missing: int) -> tuple[Any, bool]:
    """A column none of whose values can be a port or a protocol (bools, or nulls only)."""
    pa, pc = _lib("pyarrow"), _lib("pyarrow.compute")
    valid = pc.is_valid(values)
    found = pc.if_else(valid, pa.scalar(missing + 1, pa.int64()), pa.scalar(missing, pa.int64()))
    return found, bool(pc.any(valid).as_py())


def _arrow_text(kind: Any) -> bool:
    pa = _lib("pyarrow")
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind)) or (
        str(kind) == "string_view"
    )


# --- lists -------------------------------------------------------------------------------


def _list_values(
    values: Sequence[object], parse: Callable[[object], int], missing: int
) -> tuple[list[int], bool]:
    """A sequence's indexes, row by row: a list is Python objects already."""
    found = [parse(value) for value in values]
    return _settled(found, missing), _BAD in found


# --- across libraries --------------------------------------------------------------------


def _ports(family: str, column: Any, missing: int) -> tuple[Any, bool]:
    if family == "list":
        return _list_values(column, _port_value, missing)
    if family == "numpy":
        return _numpy_ports(column, missing)
    if family == "pandas":
        return _pandas_ports(column, missing)
    if family == "polars":
        return _polars_ports(column, missing)
    return _arrow_ports(column, missing)


def _protocols(family: str, column: Any) -> tuple[Any, bool]:
    if family == "list":
        return _list_values(column, _protocol_code, _NO_CODE)
    if family == "numpy":
        return _numpy_protocols(column)
    if family == "pandas":
        return _pandas_protocols(column)
    if family == "polars":
        return _polars_protocols(column)
    return _arrow_protocols(column)


def _first(engine: str, index: Any, value: int) -> int:
    """The position of the first row whose index is ``value`` (there is one)."""
    if engine == "list":
        return int(index.index(value))
    if engine == "numpy":
        return int(_lib("numpy").argmax(index == value))
    if engine == "polars":
        return int((index == value).arg_max())
    return int(_lib("pyarrow.compute").index(index, value).as_py())


def _moved(codes: Any, source: str, target: str) -> Any:
    """Protocol codes computed by one engine, as a column of another's (all are int64)."""
    if source == target:
        return codes
    if target == "list":
        if source == "numpy":
            return codes.tolist()
        return codes.to_list() if source == "polars" else codes.to_pylist()
    if target == "numpy":
        np = _lib("numpy")
        return np.asarray(codes, dtype=np.intp)
    if target == "polars":
        pl = _lib("polars")
        if source == "arrow":
            return pl.from_arrow(codes)
        return pl.Series(values=codes, dtype=pl.Int64)
    pa = _lib("pyarrow")
    return codes.to_arrow() if source == "polars" else pa.array(codes, type=pa.int64())


def _combined(engine: str, codes: Any, ports: Any) -> Any:
    """Each row's index in the table of all four protocols: ``code * 65536 + port``, or
    the None slot where either is missing or bad."""
    if engine == "list":
        return [min(c * _PORTS + p, _ALL_MISSING) for c, p in zip(codes, ports)]
    if engine == "numpy":
        index = codes * _PORTS + ports
        return _lib("numpy").minimum(index, _ALL_MISSING, out=index)
    if engine == "polars":
        return (codes * _PORTS + ports).clip(upper_bound=_ALL_MISSING)
    pc = _lib("pyarrow.compute")
    return pc.min_element_wise(pc.add(pc.multiply(codes, _PORTS), ports), _ALL_MISSING)


def _taken(family: str, table: Any, index: Any, ports: Any) -> Any:
    """The table's values at ``index``, as the kind of column ``ports`` is."""
    if family == "list":
        return [table[i] for i in index]
    if family == "numpy":
        return table.take(index)
    if family == "pandas":
        values = table.take(index)
        pd = _lib("pandas")
        return pd.Series(values, index=ports.index, name=ports.name, dtype=object, copy=False)
    if family == "polars":
        return table.gather(index).alias(ports.name)
    found = _lib("pyarrow.compute").take(table, index)
    pa = _lib("pyarrow")
    if isinstance(ports, pa.Array) and isinstance(found, pa.ChunkedArray):
        found = found.combine_chunks()  # protocols were chunked: the answer follows ports
    return found


def _where(family: str, column: Any, position: int, name: str) -> tuple[str, object]:
    """How to name a row in a message, ``ports[3]`` (with its label, for pandas), and its
    value as a plain Python value."""
    where = f"{name}[{position}]"
    if family == "pandas":
        label = column.index[position]
        if type(label).__module__ == "numpy" and hasattr(label, "item"):
            label = label.item()
        if label != position:
            where += f" (label {show(label)})"
        value = column.iloc[position]
    elif family == "arrow":
        value = column[position].as_py()
    else:
        value = column[position]
    # A NumPy scalar (shape ()) becomes its Python value; an array in a cell stays an array.
    if type(value).__module__ == "numpy" and getattr(value, "shape", None) == ():
        value = value.item()
    return where, value


@overload
def annotate(
    ports: Sequence[object],
    protocols: ProtocolLike | Sequence[object] | None = ...,
    *,
    field: Field = ...,
    errors: Errors = ...,
    registry: Registry | None = ...,
) -> list[str | None]: ...
@overload
def annotate(
    ports: Any,
    protocols: Any = ...,
    *,
    field: Field = ...,
    errors: Errors = ...,
    registry: Registry | None = ...,
) -> Any: ...
def annotate(
    ports: Any,
    protocols: Any = None,
    *,
    field: Field = "service",
    errors: Errors = "raise",
    registry: Registry | None = None,
) -> Any:
    """The ``field`` of each port of a column: the same kind of column, one value a row.

    ``ports`` is a list (or any sequence), a NumPy array, a pandas Series, a Polars Series
    or a PyArrow array (or chunked array). Its values are integers from 0 to 65535 (of any
    integer type), integral floats (as pandas stores integers beside missing values) or
    strings of digits; None, NaN and nulls are missing values. ``protocols`` is ``None``
    (the default: any protocol, as :func:`portinfo.name` without one), one protocol, or a
    column of them of the same length (of any of those kinds), each a protocol's name in
    any case, an IANA protocol number or a socket table's name: ``"tcp"``, ``"UDP"``,
    ``6``, ``"17"``, ``"tcp6"``; a missing value in a column of protocols gives a missing
    answer. ``field`` is ``"service"``
    (exactly what :meth:`Registry.name` gives), ``"description"``, ``"range"`` or
    ``"use"``.

    Gives a list for a sequence, an object array for a NumPy array, a Series (object dtype)
    with the same index and name for a pandas Series, a String Series with the same name
    for a Polars Series, a string array (chunked for a chunked array) for a PyArrow array;
    missing (None, or null) where a row has no such value, or a missing port or protocol.

    A value that is neither a port nor missing raises
    :class:`~portinfo.InvalidPortError` naming the first such row and its value (a bad
    protocol, :class:`~portinfo.InvalidProtocolError`); with ``errors="coerce"`` such rows
    are missing instead. Columns of different lengths, or another ``field`` or
    ``errors``, raise :class:`~portinfo.InvalidArgumentError`; anything that is not a
    supported column raises ``TypeError``. ``registry`` is the registry to answer from
    (the default registry where ``None``).

    Each port is looked up in a table built once per registry, protocol and field
    (:meth:`Registry.table`), with the column library's own take, not with a call per row.
    """
    chosen = check_field(field)
    if not isinstance(errors, str) or errors not in ("raise", "coerce"):
        raise InvalidArgumentError(f"errors must be 'raise' or 'coerce', got {show(errors)}")
    owner = registry_or_default(registry)
    family = _column_family(ports)
    engine = _engine(family)
    given, one = _protocols_argument(protocols, ports)
    missing = _ONE_MISSING if given is None else _ALL_MISSING
    index = _port_index(family, ports, missing, errors == "raise")
    if given is None:
        return _taken(family, _library(engine, owner, (one,), chosen), index, ports)
    codes = _protocol_codes(given, protocols, errors == "raise")
    index = _combined(engine, _moved(codes, _engine(given), engine), index)
    return _taken(family, _library(engine, owner, _PROTOCOLS, chosen), index, ports)


def _column_family(ports: object) -> str:
    """The library of the column ``ports`` (checked); ``TypeError`` for anything else."""
    family = _family(ports)
    if family is None:
        raise TypeError(
            "ports must be a column: a list or other sequence, a NumPy array, a pandas or"
            f" Polars Series, or a PyArrow array; got {type(ports).__name__}: {show(ports)}"
            " (for one port, use portinfo.name() or portinfo.lookup())"
        )
    if family == "numpy":
        _check_numpy(ports, "ports")
    return family


def _protocols_argument(protocols: Any, ports: Any) -> tuple[str | None, Protocol | None]:
    """The library of a column of protocols (``None`` for one protocol or none), and the
    one protocol where it is not a column."""
    given = None if protocols is None or isinstance(protocols, str) else _family(protocols)
    if given is None:
        return None, None if protocols is None else parse_flow_protocol(protocols)
    if given == "numpy":
        _check_numpy(protocols, "protocols")
    if len(protocols) != len(ports):
        raise InvalidArgumentError(
            "ports and protocols must have the same length, got"
            f" {len(ports):,} ports and {len(protocols):,} protocols"
        )
    return given, None


def _port_index(family: str, ports: Any, missing: int, strict: bool) -> Any:
    """Each row's port as an index into a table (``missing`` for a missing one, the slot
    after it for a bad one); ``strict``: an error naming the first bad row instead."""
    try:
        index, has_bad = _ports(family, ports, missing)
    except _UnsupportedError:
        raise TypeError(
            f"ports must hold integers, floats or strings of digits, got {_describe(family, ports)}"
        ) from None
    if has_bad and strict:
        where, value = _where(family, ports, _first(_engine(family), index, missing + 1), "ports")
        raise InvalidPortError(
            f"{where} = {show(value)} is not a port (an integer from 0 to {MAX_PORT});"
            f" {_COERCE_HINT}"
        )
    return index


def _protocol_codes(given: str, protocols: Any, strict: bool) -> Any:
    """Each row's protocol as its code (:data:`_NO_CODE` for a missing one, the code after
    it for a bad one); ``strict``: an error naming the first bad row instead."""
    try:
        codes, has_bad = _protocols(given, protocols)
    except _UnsupportedError:
        raise TypeError(
            f"protocols must hold names or numbers, got {_describe(given, protocols)}"
        ) from None
    if has_bad and strict:
        source = _engine(given)
        where, value = _where(given, protocols, _first(source, codes, _NO_CODE + 1), "protocols")
        raise InvalidProtocolError(
            f"{where} = {show(value)} is not a protocol: a protocol is {PROTOCOL_RULE};"
            f" {_COERCE_HINT}"
        )
    return codes
