"""Write the reviewed report pages of tests/test_report.py afresh (read the diff after!)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import portinfo
from tests.test_report import FORMATS, GOLDEN, PORTS

if __name__ == "__main__":
    for port, protocol in PORTS:
        for form, ending in FORMATS.items():
            name = f"report-{port}{'-' + protocol if protocol else ''}.{ending}"
            (GOLDEN / name).write_text(
                portinfo.report(port, protocol, format=form), encoding="utf-8"
            )
    print(f"wrote {len(PORTS) * len(FORMATS)} pages to {GOLDEN}")
