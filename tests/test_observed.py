"""The observed-uses parser: the curated list as a whole, each check it makes, and a file of
your own through Registry.from_files."""

from __future__ import annotations

from pathlib import Path

import pytest

from portinfo import DataFormatError, Protocol, Registry, Use
from portinfo._observed import parse_observed
from tests.conftest import REPOSITORY

CURATED = REPOSITORY / "sources" / "observed-uses.toml"
ONE = """\
updated = "2026-12-01"

[[use]]
name = "quill-api"
title = "Quill API"
ports = [8200, "8300-8302"]
protocols = ["tcp"]
category = "web"
description = "The Quill product's REST API."
source = "https://example.com/quill"
terms = ["quill"]
common = true

[terms]
domain = ["dns"]
"""


def test_every_curated_use_is_read_and_shipped() -> None:
    parsed = parse_observed(CURATED.read_bytes(), str(CURATED))
    shipped = list(Registry.packaged().uses())
    assert sorted(u.name for u in parsed.uses) == sorted(u.name for u in shipped)
    assert {u.name: u for u in parsed.uses} == {u.name: u for u in shipped}
    assert parsed.updated == Registry.packaged().data_info().source("observed").date
    assert ("dns", "domain") in parsed.terms


def test_a_small_file() -> None:
    parsed = parse_observed(ONE.encode(), "mine.toml")
    assert parsed.updated == "2026-12-01"
    assert parsed.uses == (
        Use(
            "quill-api", "Quill API", ((8200, 8200), (8300, 8302)), (Protocol.TCP,), "web",
            "The Quill product's REST API.", "https://example.com/quill", (), ("quill",), True,
        ),
    )  # fmt: skip
    assert [tuple(t) for t in parsed.terms] == [("dns", "domain")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("ports = [8200", "ports = [70000"), "not within 0-65535"),
        (("ports = [8200", "ports = [true"), "a port must be an int or 'first-last'"),
        (('"8300-8302"', '"8302-8300"'), "not within 0-65535"),
        (('name = "quill-api"', 'name = "Quill API"'), "name must be lower-case words"),
        (('category = "web"', 'category = "cooking"'), "unknown category 'cooking'"),
        (('source = "https://', 'source = "ftp://'), "source must be an http(s) URL"),
        (('title = "Quill API"', 'title = " "'), "title must be one non-empty line"),
        (('protocols = ["tcp"]', 'protocols = ["icmp"]'), "protocols must be tcp, udp"),
        (('protocols = ["tcp"]', "protocols = []"), "protocols must not be empty"),
        (('protocols = ["tcp"]', 'protocols = "tcp"'), "protocols must be a list"),
        (('ports = [8200, "8300-8302"]', "ports = []"), "ports and ranges must not both"),
        (('terms = ["quill"]', 'terms = ["Quill"]'), "terms must be lower-case ASCII"),
        (("common = true", 'common = "yes"'), "common must be true or false"),
        (("common = true", "colour = 1"), "keys must be"),
        (('updated = "2026-12-01"', 'updated = "2026-13-01"'), "updated must be a date"),
        (('domain = ["dns"]', "domain = []"), "[terms] domain: lower-case words"),
        (("[[use]]", "[[use]]]"), "not valid TOML"),
        (("[[use]]", "use = [1]\n[[other]]"), "use 1: must be a table, got int"),
    ],
)
def test_each_check_names_the_file_and_entry(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in ONE
    with pytest.raises(DataFormatError, match=r"mine\.toml") as caught:
        parse_observed(ONE.replace(old, new, 1).encode(), "mine.toml")
    assert message in str(caught.value)


LONG = "x" * 100_000


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('category = "web"', f'category = "{LONG}"'),
        ('source = "https://example.com/quill"', f'source = "ftp://{LONG}"'),
        ('terms = ["quill"]', f'terms = ["{LONG.upper()}"]'),
        ("common = true", f'common = "{LONG}"'),
        ('updated = "2026-12-01"', f'updated = "{LONG}"'),
        ('domain = ["dns"]', f'domain = ["{LONG.upper()}"]'),
        ('ports = [8200, "8300-8302"]', f'ports = ["{LONG}"]'),
        ('ports = [8200, "8300-8302"]', f"ports = [{'9' * 5000}]"),
        ('protocols = ["tcp"]', f'protocols = "{LONG}"'),
    ],
    ids=lambda text: text[:20],
)
def test_messages_show_the_files_values_briefly(old: str, new: str) -> None:
    assert old in ONE
    with pytest.raises(DataFormatError, match=r"mine\.toml") as caught:
        parse_observed(ONE.replace(old, new, 1).encode(), "mine.toml")
    assert len(str(caught.value)) < 300


def test_a_name_used_twice_and_a_file_with_no_use() -> None:
    twice = ONE.replace(
        "[terms]", ONE.split("\n\n", 1)[1].split("[terms]", maxsplit=1)[0] + "[terms]"
    )
    with pytest.raises(DataFormatError, match="name 'quill-api' is used twice"):
        parse_observed(twice.encode(), "mine.toml")
    with pytest.raises(DataFormatError, match="no \\[\\[use\\]\\] entries"):
        parse_observed(b'updated = "2026-12-01"\n', "mine.toml")


def test_a_uses_file_of_your_own_replaces_the_curated_list(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(ONE, encoding="utf-8")
    registry = Registry.from_files(uses=path)
    assert [u.name for u in registry.uses()] == ["quill-api"]
    assert registry.lookup(8301, "tcp").uses[0].title == "Quill API"
    assert registry.resolve("quill").name == "quill-api"
    assert registry.resolve("dns").name == "domain"  # its [terms], not the curated ones'
    source = registry.data_info().source("observed")
    assert (source.file, source.date, source.records) == ("mine.toml", "2026-12-01", 1)
    # Everything else is the packaged data's.
    assert (
        registry.lookup(80, "tcp").assignments == Registry.packaged().lookup(80, "tcp").assignments
    )


def test_a_key_of_any_length_gives_a_short_message() -> None:
    """Found by tools/fuzz.py: a key of a thousand characters was written whole into the
    message; it is shortened, as every value of a file is."""
    from portinfo._observed import checked_table

    table = {"name": "x", "x" * 5000: 1}
    with pytest.raises(DataFormatError, match="unknown key 'xxx") as caught:
        checked_table(table, "f: line 1", frozenset({"name"}), frozenset())
    assert len(str(caught.value)) < 200
    with pytest.raises(DataFormatError, match="no key 'name'"):
        checked_table({}, "f: line 1", frozenset({"name"}), frozenset())
