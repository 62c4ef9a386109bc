"""How answers are written as text: a cell cut to its width, and ports as ranges."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["clip", "port_spans"]


def clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, ending in ``...`` where it was cut."""
    return text if len(text) <= width else text[: max(width - 3, 0)] + "..."[:width]


def port_spans(spans: Iterable[tuple[int, int]]) -> str:
    """``6000-6063, 6666``: ``(first, last)`` spans, as a record's ``ports`` holds them
    (ascending and merged), written as text."""
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
