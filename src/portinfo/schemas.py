"""The JSON Schemas of portinfo's JSON outputs: public contracts that tools may pin.

Each schema is a JSON Schema (draft 2020-12) as a plain ``dict``, ready for
``jsonschema.validate``; each output carries a ``schema_version`` that changes only when a
field changes meaning or goes away (a new field may come within a version). The test
suite checks every output it makes against its schema, and the versioning page of the
docs says what a release may change.
"""

from __future__ import annotations

from typing import Any

from portinfo._enums import Protocol, Status
from portinfo._ranges import PortRange

__all__ = ["REPORT_SCHEMA", "REPORT_SCHEMA_VERSION"]

REPORT_SCHEMA_VERSION = 1
"""The version of the JSON report's shape (``portinfo PORT --json``,
``report(format="json")``); it changes only when a field changes meaning or goes away
(new fields may be added within a version)."""

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "portinfo port report",
    "type": "object",
    "required": [
        "schema_version", "port", "protocol", "summary", "range", "status",
        "status_meaning", "assignments", "aliases", "uses", "notes", "checks", "data",
    ],
    "properties": {
        "schema_version": {"const": REPORT_SCHEMA_VERSION},
        "port": {"type": "integer", "minimum": 0, "maximum": 65535},
        "protocol": {"enum": [None, *(p.value for p in Protocol)]},
        "summary": {"type": "string"},
        "range": {
            "type": "object",
            "required": ["name", "title", "first", "last", "aliases", "meaning"],
            "properties": {
                "name": {"enum": [r.value for r in PortRange]},
                "title": {"type": "string"},
                "first": {"type": "integer"},
                "last": {"type": "integer"},
                "aliases": {"type": "array", "items": {"type": "string"}},
                "meaning": {"type": "string"},
            },
        },
        "status": {"enum": [s.value for s in Status]},
        "status_meaning": {"type": "string"},
        "assignments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["service", "protocol", "first", "last", "description", "status"],
                "properties": {
                    "service": {"type": ["string", "null"]},
                    "protocol": {"enum": [None, *(p.value for p in Protocol)]},
                    "status": {"enum": [s.value for s in Status]},
                    "references": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["kind", "value", "title", "url"],
                        },
                    },
                },
            },
        },
        "aliases": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "source", "protocol", "port", "service"],
                "properties": {"source": {"enum": ["iana", "services", "nmap", "observed"]}},
            },
        },
        "uses": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "title", "kind", "span", "source", "description"],
                "properties": {
                    "kind": {"enum": ["port", "range"]},
                    "span": {"type": "array", "items": {"type": "integer"}},
                },
            },
        },
        "notes": {"type": "array", "items": {"type": "string"}},
        "checks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["protocol", "where", "command"],
                "properties": {
                    "protocol": {"enum": [p.value for p in Protocol]},
                    "where": {"type": "string"},
                    "command": {"type": "string"},
                },
            },
        },
        "data": {
            "type": "object",
            "required": ["iana_updated", "source"],
            "properties": {"iana_updated": {"type": ["string", "null"]}},
        },
    },
}  # fmt: skip
"""The shape of a port report in JSON: what :func:`portinfo.report` gives with
``format="json"`` and ``portinfo PORT --json`` prints."""
