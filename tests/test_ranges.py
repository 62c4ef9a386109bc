"""RFC 6335 range classification, at every boundary and for every port."""

from __future__ import annotations

import pytest
from hypothesis import example, given

from portinfo import InvalidPortError, PortinfoError, PortRange, classify
from tests import strategies as st


def test_the_three_ranges_as_rfc_6335_names_them() -> None:
    assert [(r.first, r.last, r.title) for r in PortRange] == [
        (0, 1023, "System Ports"),
        (1024, 49151, "User Ports"),
        (49152, 65535, "Dynamic and/or Private Ports"),
    ]


def test_other_names() -> None:
    assert PortRange.SYSTEM.aliases == ("well-known",)
    assert PortRange.USER.aliases == ("registered",)
    assert PortRange.DYNAMIC.aliases == ("private", "ephemeral")


def test_values_read_well_as_strings() -> None:
    assert [str(r) for r in PortRange] == ["system", "user", "dynamic"]
    assert PortRange("user") is PortRange.USER


def test_ranges_tile_the_port_space() -> None:
    ranges = list(PortRange)
    assert ranges[0].first == 0
    assert ranges[-1].last == 65535
    for lower, upper in zip(ranges, ranges[1:]):
        assert upper.first == lower.last + 1


@pytest.mark.parametrize(
    ("port", "expected"),
    [
        (0, PortRange.SYSTEM),
        (80, PortRange.SYSTEM),
        (1023, PortRange.SYSTEM),
        (1024, PortRange.USER),
        (2039, PortRange.USER),
        (49151, PortRange.USER),
        (49152, PortRange.DYNAMIC),
        (65535, PortRange.DYNAMIC),
        ("1023", PortRange.SYSTEM),
        (" 1024 ", PortRange.USER),
        ("049152", PortRange.DYNAMIC),
    ],
)
def test_boundaries(port: object, expected: PortRange) -> None:
    assert classify(port) is expected  # type: ignore[arg-type]


@given(st.ports)
@example(0)
@example(1023)
@example(1024)
@example(49151)
@example(49152)
@example(65535)
def test_exactly_one_range_contains_each_port(port: int) -> None:
    containing = [r for r in PortRange if port in r]
    assert containing == [classify(port)]
    assert containing[0].first <= port <= containing[0].last
    assert classify(str(port)) is classify(port)


@given(st.out_of_range)
@example(-1)
@example(65536)
@example(10**100)
def test_integers_outside_the_port_space_are_rejected(number: int) -> None:
    with pytest.raises(InvalidPortError) as caught:
        classify(number)
    if len(repr(number)) <= 60:
        assert repr(number) in str(caught.value)
    assert "0 to 65535" in str(caught.value)
    assert not any(number in r for r in PortRange)


@given(st.not_ports_or_strings)
@example(True)
@example(80.0)
@example(None)
@example(b"80")
def test_other_types_raise_type_error(value: object) -> None:
    with pytest.raises(TypeError) as caught:
        classify(value)  # type: ignore[arg-type]
    assert type(value).__name__ in str(caught.value)
    assert not isinstance(caught.value, PortinfoError)


@given(st.non_digit_text)
@example("80x")
@example("")
@example("٨٠")
@example("+80")
@example("-1")
@example("0x50")
@example("8 0")
@example("²")
@example("80/tcp")
def test_strings_that_are_not_ascii_digits_are_invalid_ports(text: str) -> None:
    with pytest.raises(InvalidPortError) as caught:
        classify(text)
    assert isinstance(caught.value, ValueError)


def test_contains_is_false_rather_than_raising() -> None:
    assert 2039 in PortRange.USER
    assert "2039" in PortRange.USER
    assert 2039 not in PortRange.SYSTEM
    assert -1 not in PortRange.SYSTEM
    assert True not in PortRange.SYSTEM
    assert "se" not in PortRange.USER
