"""How answers are written as text: a cell cut to its width, and ports as ranges."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["clip", "port_spans"]


def clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, ending in ``...`` where it was cut."""
    return text if len(text) <= width else text[: max(width - 3, 0)] + "..."[:width]


def port_spans(ports: Iterable[int]) -> str:
    """``6000-6063, 6666``: ports (in any order, repeats allowed) written as ranges."""
    spans: list[list[int]] = []
    for port in sorted(set(ports)):
        if spans and port == spans[-1][1] + 1:
            spans[-1][1] = port
        else:
            spans.append([port, port])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
