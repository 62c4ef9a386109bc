"""The JSON Schemas of portinfo's JSON outputs: public contracts that tools may pin.

Each schema is a JSON Schema (draft 2020-12) as a plain ``dict``, ready for
``jsonschema.validate``; each output carries a ``schema_version`` that changes only when a
field changes meaning or goes away (a new field may come within a version). The test
suite checks every output it makes against its schema, and the versioning page of the
docs says what a release may change.
"""

from __future__ import annotations

from typing import Any

from portinfo._enums import Protocol, ReferenceKind, Source, Status
from portinfo._ranges import PortRange

__all__ = ["DIFF_SCHEMA", "DIFF_SCHEMA_VERSION", "REPORT_SCHEMA", "REPORT_SCHEMA_VERSION"]

REPORT_SCHEMA_VERSION = 1
"""The version of the JSON report's shape (``portinfo PORT --json``,
``report(format="json")``); it changes only when a field changes meaning or goes away
(new fields may be added within a version)."""

_NULLABLE_TEXT = {"type": ["string", "null"]}
_PROTOCOL = {"enum": [None, *(p.value for p in Protocol)]}
_DATE = {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"}
_PERSON = {
    "type": "object",
    "required": ["id", "name", "organization"],
    "properties": {
        "id": {"type": "string"},
        "name": _NULLABLE_TEXT,
        "organization": _NULLABLE_TEXT,
    },
}
_PORT = {"type": ["integer", "null"], "minimum": 0, "maximum": 65535}

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "portinfo port report",
    "type": "object",
    "required": [
        "schema_version", "port", "protocol", "summary", "range", "status",
        "status_meaning", "assignments", "aliases", "uses", "local", "notes", "checks",
        "data",
    ],
    "properties": {
        "schema_version": {"const": REPORT_SCHEMA_VERSION},
        "port": {"type": "integer", "minimum": 0, "maximum": 65535},
        "protocol": _PROTOCOL,
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
                    "service": _NULLABLE_TEXT,
                    "protocol": _PROTOCOL,
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
                "properties": {"source": {"enum": [s.value for s in Source]}},
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
        "local": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "name", "ports", "protocols", "title", "description", "url", "aliases",
                    "file",
                ],
                "properties": {
                    "ports": {"type": "array", "items": {"type": "array"}},
                    "protocols": {"type": "array", "items": {"enum": [p.value for p in Protocol]}},
                    "title": _NULLABLE_TEXT,
                    "description": _NULLABLE_TEXT,
                    "url": _NULLABLE_TEXT,
                    "aliases": {"type": "array", "items": {"type": "string"}},
                    "file": _NULLABLE_TEXT,
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
            "properties": {"iana_updated": _NULLABLE_TEXT, "iana_newest_record": _DATE},
        },
    },
}  # fmt: skip
"""The shape of a port report in JSON: what :func:`portinfo.report` gives with
``format="json"`` and ``portinfo PORT --json`` prints."""

DIFF_SCHEMA_VERSION = 1
"""The version of the JSON diff's shape (``portinfo diff --format json``,
``render_diff(format="json")``); it changes only when a field changes meaning or goes away
(new fields may be added within a version)."""

DIFF_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "portinfo diff of two registries' data",
    "type": "object",
    "required": [
        "schema_version", "warning", "older", "empty", "old", "new", "old_newest_record",
        "new_newest_record", "added", "removed", "changed", "renamed", "statuses",
        "names_gained", "names_lost",
    ],
    "properties": {
        "schema_version": {"const": DIFF_SCHEMA_VERSION},
        "warning": _NULLABLE_TEXT,
        "older": {"type": "boolean"},
        "empty": {"type": "boolean"},
        "old": {"$ref": "#/$defs/source"},
        "new": {"$ref": "#/$defs/source"},
        "old_newest_record": _DATE,
        "new_newest_record": _DATE,
        "added": {"type": "array", "items": {"$ref": "#/$defs/record"}},
        "removed": {"type": "array", "items": {"$ref": "#/$defs/record"}},
        "changed": {"type": "array", "items": {"$ref": "#/$defs/change"}},
        "renamed": {"type": "array", "items": {"$ref": "#/$defs/change"}},
        "statuses": {"type": "array", "items": {"$ref": "#/$defs/status"}},
        "names_gained": {"type": "array", "items": {"$ref": "#/$defs/name"}},
        "names_lost": {"type": "array", "items": {"$ref": "#/$defs/name"}},
    },
    "$defs": {
        "source": {
            "type": "object",
            "required": ["name", "file", "sha256", "date", "records", "newest_record"],
            "properties": {
                "name": {"const": "iana"},
                "file": {"type": "string"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "date": _DATE,
                "records": {"type": "integer", "minimum": 0},
                "newest_record": _DATE,
            },
        },
        "record": {
            "type": "object",
            "required": [
                "service", "protocol", "first", "last", "description", "status", "assignees",
                "contacts", "registered", "modified", "references", "notes", "service_code",
                "unauthorized", "alias_of",
            ],
            "properties": {
                "service": _NULLABLE_TEXT,
                "protocol": _PROTOCOL,
                "first": _PORT,
                "last": _PORT,
                "description": {"type": "string"},
                "status": {"enum": [s.value for s in Status]},
                "assignees": {"type": "array", "items": _PERSON},
                "contacts": {"type": "array", "items": _PERSON},
                "registered": _DATE,
                "modified": _DATE,
                "references": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["kind", "value", "title"],
                        "properties": {
                            "kind": {"enum": [k.value for k in ReferenceKind]},
                            "value": {"type": "string"},
                            "title": _NULLABLE_TEXT,
                        },
                    },
                },
                "notes": _NULLABLE_TEXT,
                "service_code": {"type": ["integer", "null"]},
                "unauthorized": _NULLABLE_TEXT,
                "alias_of": _NULLABLE_TEXT,
            },
        },
        "change": {
            "type": "object",
            "required": ["old", "new", "fields"],
            "properties": {
                "old": {"$ref": "#/$defs/record"},
                "new": {"$ref": "#/$defs/record"},
                "fields": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            },
        },
        "status": {
            "type": "object",
            "required": ["first", "last", "protocol", "old", "new"],
            "properties": {
                "first": {"type": "integer", "minimum": 0, "maximum": 65535},
                "last": {"type": "integer", "minimum": 0, "maximum": 65535},
                "protocol": {"enum": [p.value for p in Protocol]},
                "old": {"enum": [s.value for s in Status]},
                "new": {"enum": [s.value for s in Status]},
            },
        },
        "name": {
            "type": "object",
            "required": ["name", "source", "protocol", "port", "service"],
            "properties": {
                "name": {"type": "string"},
                "source": {"enum": [s.value for s in Source]},
                "protocol": _PROTOCOL,
                "port": _PORT,
                "service": _NULLABLE_TEXT,
            },
        },
    },
}  # fmt: skip
"""The shape of a diff of two registries in JSON: what ``portinfo diff --format json``
prints and :func:`portinfo.render_diff` gives with ``format="json"``."""
