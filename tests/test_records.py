"""The records: frozen attrs classes, checked where built from input, equal by value, picklable."""

from __future__ import annotations

import ast
import collections.abc
import copy
import inspect
import json
import pickle
import sys
from typing import Any

import attrs
import pytest

import portinfo
from portinfo import (
    Alias,
    Assignment,
    InvalidArgumentError,
    Listener,
    Listening,
    Match,
    Person,
    PortInfo,
    PortRange,
    Protocol,
    Reference,
    ReferenceKind,
    SearchResult,
    Service,
    Source,
    Status,
    Use,
)
from portinfo._records import is_registry_date

HTTP = Assignment(
    "http",
    Protocol.TCP,
    80,
    80,
    "World Wide Web HTTP",
    Status.ASSIGNED,
    (Person("IESG", None, "IESG"),),
    (Person("IETF_Chair", "IETF Chair", "IETF"),),
    None,
    "2021-10-01",
    (Reference(ReferenceKind.RFC, "RFC9110"),),
)
RECORDS: list[Any] = [
    HTTP,
    Person("Dotan_Ofek", "Dotan Ofek"),
    Reference(ReferenceKind.URI, "https://example.org", "Example"),
    Alias("www", Source.IANA, Protocol.TCP, 80, "http"),
    Use("x", "X", [(1, 2)], [Protocol.TCP], "other", "A use.", "https://example.org"),
    PortInfo(80, Protocol.TCP, PortRange.SYSTEM, Status.ASSIGNED, (HTTP,), (), ()),
    Service("http", [(80, 80)], [HTTP]),
    SearchResult(Match.EXACT, "http", Source.IANA, [(80, 80)], [Protocol.TCP], "http", "Web"),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_immutable_equal_hashable_picklable(record: Any) -> None:
    assert attrs.has(type(record))
    name = attrs.fields(type(record))[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(record, name, "changed")
    with pytest.raises(AttributeError):
        record.no_such_field = 1
    assert record == copy.deepcopy(record)
    assert hash(record) == hash(pickle.loads(pickle.dumps(record)))
    assert pickle.loads(pickle.dumps(record)) == record
    assert repr(record).startswith(f"{type(record).__name__}(")
    assert attrs.evolve(record) == record
    with pytest.raises(TypeError):
        attrs.evolve(record, nonsense=1)
    with pytest.raises(TypeError):
        _ = record < copy.copy(record)
    assert json.loads(json.dumps(record.as_dict())) == record.as_dict()
    assert set(attrs.asdict(record)) == set(record.as_dict())


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_records_are_not_sequences(record: Any) -> None:
    for attempt in (
        lambda: len(record),
        lambda: record[0],
        lambda: 80 in record,
        lambda: record + record,
        lambda: tuple(record),
        lambda: json.dumps(record),
    ):
        with pytest.raises(TypeError):
            attempt()
    with pytest.raises(TypeError):
        _first, *_rest = record
    assert record != tuple(getattr(record, f.name) for f in attrs.fields(type(record)))
    # A sequence pattern (case [name, *rest]) matches only Sequence instances.
    assert not isinstance(record, collections.abc.Sequence)


PUBLIC_RECORDS = [
    getattr(portinfo, name)
    for name in portinfo.__all__
    if isinstance(getattr(portinfo, name), type) and attrs.has(getattr(portinfo, name))
]


def _definition(cls: type) -> ast.ClassDef:
    """The class statement of ``cls`` in the module that defines it (its ``__module__``
    says ``portinfo``, the name users import it by)."""
    for name, module in sorted(sys.modules.items()):
        if name.startswith("portinfo.") and vars(module).get(cls.__name__) is cls:
            for node in ast.parse(inspect.getsource(module)).body:
                if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
                    return node
    raise AssertionError(f"no module of portinfo defines {cls.__name__}")


@pytest.mark.parametrize("cls", PUBLIC_RECORDS, ids=lambda c: c.__name__)
def test_every_field_is_documented_in_the_source(cls: type) -> None:
    # The docstring under each field is what the API reference (Sphinx autodoc) and IDEs
    # show; help() shows the class's docstring and the fields' names.
    body = _definition(cls).body
    documented = {
        statement.target.id: following.value.value
        for statement, following in zip(body, body[1:])
        if isinstance(statement, ast.AnnAssign)
        and isinstance(statement.target, ast.Name)
        and isinstance(following, ast.Expr)
        and isinstance(following.value, ast.Constant)
        and isinstance(following.value.value, str)
    }
    fields = [field.name for field in attrs.fields(cls)]
    assert fields
    for name in fields:
        assert len(documented.get(name, "").strip()) > 5, (cls.__name__, name)
    assert cls.__doc__
    assert len(PUBLIC_RECORDS) >= 12


def test_enums_serialise_to_their_values() -> None:
    result = RECORDS[-1].as_dict()
    assert result["match"] == "exact"
    assert result["source"] == "iana"
    assert result["protocols"] == ["tcp"]
    assert json.dumps(Match.SUBSTRING) == '"substring"'
    assert [m.rank for m in Match] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: Person(""), InvalidArgumentError),
        (lambda: Person(3), TypeError),  # type: ignore[arg-type]
        (lambda: Reference("rfc", "RFC1"), TypeError),  # type: ignore[arg-type]
        (lambda: Alias("x", "iana"), TypeError),  # type: ignore[arg-type]
        (lambda: Alias("x", Source.NMAP, Protocol.TCP, 70000), ValueError),
        (lambda: Alias("x", Source.NMAP, Protocol.TCP, True), TypeError),
        (lambda: attrs.evolve(HTTP, first=None), ValueError),
        (lambda: attrs.evolve(HTTP, first=81), ValueError),
        (lambda: attrs.evolve(HTTP, registered="2021-02-29"), ValueError),
        (lambda: attrs.evolve(HTTP, modified="21-10-01"), ValueError),
        (lambda: attrs.evolve(HTTP, status="assigned"), TypeError),  # type: ignore[arg-type]
        (lambda: attrs.evolve(HTTP, assignees=("IESG",)), TypeError),
        (lambda: attrs.evolve(HTTP, service=None, first=None, last=None), ValueError),
        (lambda: attrs.evolve(HTTP, service_code="1"), TypeError),  # type: ignore[arg-type]
        (lambda: Use("x", "X", [(2, 1)], [Protocol.TCP], "o", "d", "s"), ValueError),
    ],
)
def test_inconsistent_records_are_refused(build: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        build()


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2005-12", True),
        ("2024-02-29", True),
        ("2023-02-29", False),
        ("2000-02-29", True),
        ("1900-02-29", False),
        ("2024-13", False),
        ("2024-00-10", False),
        ("2024-04-31", False),
        ("2024-4-30", False),
        ("2024", False),
        ("", False),
        ("2024-04-30-1", False),
        ("\uff12\uff10\uff12\uff14-01", False),  # full-width digits
    ],
)
def test_registry_dates(text: str, valid: bool) -> None:
    assert is_registry_date(text) is valid


def test_person_display() -> None:
    assert str(Person("a_b")) == "a_b"
    assert str(Person("a", "Ann")) == "Ann"
    assert str(Person("a", None, "Org")) == "Org"
    assert str(Person("a", "Ann", "Org")) == "Ann (Org)"


def test_portinfo_services_put_primary_names_first() -> None:
    www = attrs.evolve(HTTP, service="www", alias_of="http")
    info = PortInfo(80, None, PortRange.SYSTEM, Status.ASSIGNED, (www, HTTP, www), (), ())
    assert info.services == ("http", "www")


def test_use_covers() -> None:
    use = Use("x", "X", [(1, 2), (10, 10)], [Protocol.TCP], "other", "d", "s")
    assert [p for p in range(12) if use.covers(p)] == [1, 2, 10]


def test_service_protocols() -> None:
    assert Service("http", [(80, 80)], [HTTP]).protocols == (Protocol.TCP,)
    everywhere = attrs.evolve(HTTP, protocol=None)
    assert Service("x", [(1, 1)], [everywhere]).protocols == tuple(Protocol)


def test_every_record_holds_its_ports_as_merged_ascending_spans() -> None:
    given = [(10, 10), (1, 2), (3, 3), (5, 9), (7, 8), (20, 20)]
    merged = ((1, 3), (5, 10), (20, 20))
    use = Use("x", "X", given, [Protocol.TCP], "other", "d", "s", ranges=[(9, 9), (8, 8)])
    service = Service("x", given)
    result = SearchResult(Match.EXACT, "x", Source.IANA, given, [Protocol.TCP])
    assert use.ports == service.ports == result.ports == merged
    assert use.ranges == ((8, 9),)
    assert HTTP.ports == ((80, 80),)
    assert attrs.evolve(HTTP, first=6000, last=6063).ports == ((6000, 6063),)
    name_only = attrs.evolve(HTTP, first=None, last=None)
    assert name_only.ports == ()
    assert not name_only.covers(80)
    expected = [1, 2, 3, 5, 6, 7, 8, 9, 10, 20]
    for record in (service, result):
        assert [p for p in range(30) if record.covers(p)] == expected
    assert [p for p in range(30) if use.listens_on(p)] == expected
    assert [p for p in range(100) if HTTP.covers(p)] == [80]
    assert service.as_dict()["ports"] == [[1, 3], [5, 10], [20, 20]]
    assert Service("x", [(0, 65535), (80, 80)]).ports == ((0, 65535),)


# --- messages that echo input stay short ---------------------------------------------------

_HUGE_TEXT = "x" * 100_000
_HUGE_INT = 10**5000  # past Python's 4,300-digit limit: repr() of it raises ValueError
HOSTILE = [
    _HUGE_TEXT,
    "2024-01-01" + _HUGE_TEXT,
    _HUGE_INT,
    -_HUGE_INT,
    (_HUGE_TEXT,),
    (_HUGE_INT,),
    ((_HUGE_INT, 1),),
    ((1, _HUGE_INT),),
    ((_HUGE_TEXT, 1),),
    [(80, 80)] * 100_000 + [_HUGE_TEXT],
    list(range(100_000)),
]


def _samples() -> list[Any]:
    listener = Listener.at("127.0.0.1", 2039, "tcp", pid=1, process="x")
    return [*RECORDS, listener, Listening((listener,))]


def _refusal(record: Any, field: str, value: object) -> str:
    """The message of the error that a record with ``field`` set to ``value`` raises, or ""."""
    try:
        attrs.evolve(record, **{field: value})
    except (TypeError, ValueError) as error:  # a result record's fields are unchecked
        return str(error)
    return ""


@pytest.mark.parametrize("record", _samples(), ids=lambda r: type(r).__name__)
def test_messages_about_fields_are_short(record: Any) -> None:
    # Every validator shows the value it refuses briefly (show()): a 100,000-character name
    # or a 5,000-digit number in any field gives a message of a line, never repr(int)'s error.
    for field in attrs.fields(type(record)):
        for value in HOSTILE:
            message = _refusal(record, field.name, value)
            assert len(message) <= 300, (field.name, message[:300])
            assert "integer string conversion" not in message, field.name
