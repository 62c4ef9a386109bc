"""The docs cover the whole public API (their examples run through Sybil, see conftest.py)."""

from __future__ import annotations

import portinfo
from tests.conftest import REPOSITORY


def test_every_public_name_is_in_the_api_reference() -> None:
    reference = (REPOSITORY / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [name for name in portinfo.__all__ if f"`{name}" not in reference]
    assert missing == []


def test_every_page_is_linked_from_the_index() -> None:
    index = (REPOSITORY / "docs" / "index.md").read_text(encoding="utf-8")
    for page in sorted((REPOSITORY / "docs").glob("*.md")):
        if page.name != "index.md":
            assert f"({page.name})" in index, page.name


def test_every_public_contract_is_in_the_api_reference() -> None:
    """The public schema and TypedDict modules: every name they export is documented."""
    from portinfo import dicts, schemas

    reference = (REPOSITORY / "docs" / "api.md").read_text(encoding="utf-8")
    for module in (dicts, schemas):
        assert f"automodule:: {module.__name__}" in reference
        for name in module.__all__:
            assert callable(getattr(module, name)) or name.isupper(), name
