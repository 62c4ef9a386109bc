"""The records: immutable, checked on construction, equal by value, picklable."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from portinfo import (
    Alias,
    Assignment,
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
    Service("http", [80], [HTTP]),
    SearchResult(Match.EXACT, "http", Source.IANA, [80], [Protocol.TCP], "http", "Web"),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_immutable_equal_hashable_picklable(record: Any) -> None:
    with pytest.raises(AttributeError):
        record.name = "changed"
    assert record == copy.deepcopy(record)
    assert hash(record) == hash(pickle.loads(pickle.dumps(record)))
    assert pickle.loads(pickle.dumps(record)) == record
    assert record != tuple(record)  # never equal to a bare tuple of the same values
    assert tuple(record) != record
    assert repr(record).startswith(f"{type(record).__name__}(")
    assert record.replace() == record
    with pytest.raises(TypeError, match="no field"):
        record.replace(nonsense=1)
    with pytest.raises(TypeError):
        _ = record < copy.copy(record)


def test_fields_by_name_and_match_args() -> None:
    assert HTTP.service == "http"
    assert Assignment.__match_args__[:4] == ("service", "protocol", "first", "last")


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: Person(""), ValueError),
        (lambda: Person(3), TypeError),  # type: ignore[arg-type]
        (lambda: Reference("rfc", "RFC1"), TypeError),  # type: ignore[arg-type]
        (lambda: Alias("x", "iana"), TypeError),  # type: ignore[arg-type]
        (lambda: Alias("x", Source.NMAP, Protocol.TCP, 70000), ValueError),
        (lambda: Alias("x", Source.NMAP, Protocol.TCP, True), ValueError),
        (lambda: HTTP.replace(first=None), ValueError),
        (lambda: HTTP.replace(first=81), ValueError),
        (lambda: HTTP.replace(registered="2021-02-29"), ValueError),
        (lambda: HTTP.replace(modified="21-10-01"), ValueError),
        (lambda: HTTP.replace(status="assigned"), TypeError),
        (lambda: HTTP.replace(assignees=("IESG",)), TypeError),
        (lambda: HTTP.replace(service=None, first=None, last=None), ValueError),
        (lambda: HTTP.replace(service_code="1"), TypeError),
        (lambda: Use("x", "X", [(2, 1)], [Protocol.TCP], "o", "d", "s"), ValueError),
        (lambda: PortInfo(70000, None, PortRange.SYSTEM, Status.ASSIGNED), ValueError),
        (lambda: PortInfo(80, None, PortRange.USER, Status.ASSIGNED), ValueError),
        (
            lambda: PortInfo(80, None, PortRange.SYSTEM, Status.ASSIGNED, ("http",)),  # type: ignore[arg-type]
            TypeError,
        ),
        (lambda: PortInfo(80, "tcp", PortRange.SYSTEM, Status.ASSIGNED), TypeError),  # type: ignore[arg-type]
        (lambda: Service("x", [80], matched="www"), TypeError),  # type: ignore[arg-type]
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
    www = HTTP.replace(service="www", alias_of="http")
    info = PortInfo(80, None, PortRange.SYSTEM, Status.ASSIGNED, (www, HTTP, www), (), ())
    assert info.services == ("http", "www")


def test_use_covers() -> None:
    use = Use("x", "X", [(1, 2), (10, 10)], [Protocol.TCP], "other", "d", "s")
    assert [p for p in range(12) if use.covers(p)] == [1, 2, 10]


def test_service_protocols() -> None:
    assert Service("http", [80], [HTTP]).protocols == (Protocol.TCP,)
    assert Service("x", [1], [HTTP.replace(protocol=None)]).protocols == tuple(Protocol)
