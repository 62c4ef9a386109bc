"""Hypothesis strategies shared by the property suites."""

from __future__ import annotations

from hypothesis import strategies as st

from portinfo import Protocol

ports = st.integers(min_value=0, max_value=65535)
"""Every valid port number."""

out_of_range = st.one_of(st.integers(max_value=-1), st.integers(min_value=65536))
"""Every integer that is not a port."""

protocols = st.sampled_from(list(Protocol))

protocol_spellings = st.builds(
    lambda p, upper: p.value.upper() if upper else p.value, protocols, st.booleans()
)
"""Protocols written as strings, in either case."""

not_ports_or_strings = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(),
    st.binary(),
    st.complex_numbers(),
    st.lists(st.integers(), max_size=2),
    st.tuples(st.integers()),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.decimals(allow_nan=False),
    st.fractions(),
)
"""Objects of every type that is neither an int nor a str."""


def _is_port_text(text: str) -> bool:
    stripped = text.strip()
    return stripped.isascii() and stripped.isdigit()


non_digit_text = st.text().filter(lambda s: not _is_port_text(s))
"""Strings that are not a run of ASCII digits (with optional white space around it)."""
