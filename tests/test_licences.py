"""What the data's licences allow us to ship: checked against the raw files as a whole.

Nmap's open-frequency figures may guide and measure our work, but none of them may appear
in the package, its tests or its docs; the package ships only names, ports and protocols
from Nmap's file. The figures are read here from the raw file and never written anywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPOSITORY

_FIGURE = re.compile(r"\d\.\d{6}")
# Figures of few significant digits ("0.500000", "0.000010") are too common to be Nmap's.
_DISTINCTIVE = re.compile(r"\d\.\d*[1-9]\d*[1-9]\d*[1-9]\d*")
_WHERE = ("src", "tests", "docs", "tools", "benchmarks", "sources", "README.md", "CHANGELOG.md")


def _figures(nmap: Path) -> set[str]:
    found = set()
    for line in nmap.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split("\t")
        figure = fields[2] if len(fields) >= 3 and not line.startswith("#") else ""
        if _FIGURE.fullmatch(figure) and _DISTINCTIVE.fullmatch(figure):
            found.add(figure)
    return found


def test_no_nmap_frequency_figure_ships_or_is_written_down(shared_data: Path) -> None:
    figures = _figures(shared_data / "nmap-services")
    assert len(figures) > 400  # the file's figures were read at all
    found = []
    for name in _WHERE:
        root = REPOSITORY / name
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or "_build" in path.parts:
                continue
            text = path.read_bytes().decode("utf-8", errors="replace")
            found += [f"{path}: {m}" for m in _FIGURE.findall(text) if m in figures]
    assert not found, found
