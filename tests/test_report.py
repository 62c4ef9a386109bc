"""The port report: the facts of a lookup and the words that explain them, in three forms."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

import portinfo
from portinfo import InvalidArgumentError, InvalidPortError
from portinfo._report import REPORT_SCHEMA, SCHEMA_VERSION
from tests.conftest import REPOSITORY

if TYPE_CHECKING:
    from portinfo._listening import Format

GOLDEN = REPOSITORY / "tests" / "golden"
PORTS = [
    (2039, None),
    (2024, None),
    (80, None),
    (0, None),
    (1023, None),
    (6000, "tcp"),
    (11434, None),
    (50000, None),
]
FORMATS: dict[Format, str] = {"text": "txt", "markdown": "md", "json": "json"}


def _golden(port: int, protocol: str | None, form: Format) -> str:
    name = f"report-{port}{'-' + protocol if protocol else ''}.{FORMATS[form]}"
    return (GOLDEN / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("port", "protocol"), PORTS)
@pytest.mark.parametrize("form", list(FORMATS))
def test_reports_match_the_reviewed_pages(port: int, protocol: str | None, form: Format) -> None:
    """The pages under tests/golden/ were read and checked by a person; regenerate them
    with `python tests/golden/regenerate.py` after a data refresh, and read the diff."""
    assert portinfo.report(port, protocol, format=form) == _golden(port, protocol, form)


@pytest.mark.parametrize(("port", "protocol"), PORTS)
def test_json_reports_follow_the_schema(port: int, protocol: str | None) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema checks the report schema")
    data = json.loads(portinfo.report(port, protocol, format="json"))
    jsonschema.validate(data, REPORT_SCHEMA)
    assert data["schema_version"] == SCHEMA_VERSION
    assert json.loads(json.dumps(data)) == data


def _said(page: str) -> str:
    """The page's words with its line breaks folded, to look for a sentence in it."""
    return " ".join(page.split())


def test_what_the_report_says_of_2039_and_2024() -> None:
    page = _said(portinfo.report(2039))
    assert (
        "prizma is registered here, but what is usually found listening on 2039 is NI"
        " VeriStand Gateway, an unofficial use" in page
    )
    old = _said(portinfo.report(2024, "tcp"))
    assert "xinuexpansion4: the registry gives nothing more than the name" in old
    assert "netstat -ano | findstr :2024" in old
    assert "Get-NetTCPConnection -LocalPort 2024" in old
    assert "nmap -sV -p 2024 HOST" in old


def test_udp_gets_the_udp_commands() -> None:
    page = portinfo.report(53, "udp")
    assert "ss -ulnp 'sport = :53'" in page
    assert "nmap -sU -sV -p 53 HOST" in page
    assert "-sTCP:LISTEN" not in page


def test_ranges_come_after_exact_uses_and_are_marked() -> None:
    data = json.loads(portinfo.report(27015, format="json"))
    kinds = [use["kind"] for use in data["uses"]]
    assert kinds == sorted(kinds, key=lambda kind: kind == "range")
    assert "range" in kinds
    text = _said(portinfo.report(5353, "udp"))
    assert "a range that clients or media use: 5000-5500/udp" in text


def test_unauthorized_use_and_the_dynamic_range_are_explained() -> None:
    assert "IANA notes: Known Unauthorized Use on port 6003." in _said(portinfo.report(6003, "tcp"))
    assert "IANA never assigns them" in _said(portinfo.report(50000))


def test_text_fits_80_columns() -> None:
    for port, protocol in PORTS:
        for line in portinfo.report(port, protocol).splitlines():
            # A source's address is never broken: it may be the one longer line.
            assert len(line) <= 80 or line.strip().startswith("http"), (port, line)


def test_errors() -> None:
    with pytest.raises(InvalidArgumentError, match="format must be one of"):
        portinfo.report(80, format="html")  # type: ignore[arg-type]
    with pytest.raises(InvalidPortError):
        portinfo.report(70000)


class RefusingStr(str):
    """A str whose own ``__eq__`` and ``__hash__`` fail."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no eq")

    def __hash__(self) -> int:
        raise RuntimeError("no hash")


def test_format_and_registry_are_checked_before_use() -> None:
    # report() compared the caller's format with its own __eq__ and used any registry
    # given (found by tools/fuzz.py).
    assert portinfo.report(80, format=RefusingStr("json")).startswith("{")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"registry must be a portinfo\.Registry, got int: 5"):
        portinfo.report(80, registry=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match=r"format must be one of .* got \[.json.\]"):
        portinfo.report(80, format=["json"])  # type: ignore[arg-type]
