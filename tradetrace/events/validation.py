"""Validate whole EPCIS 2.0 documents: accepted whole, or rejected with every problem.

A document is checked against the bundled EPCIS 2.0 JSON Schema (compiled once, JSON Schema
draft-07 without format assertions) and then by :mod:`tradetrace.events.checks`: CBV 2.0
code lists, time zone offsets, GS1 identifiers with check digits, namespaced user
extensions. Problems are named by wire path, with the event index:
``epcisBody.eventList[3].bizStep``. A bizStep, disposition or other CBV value may be a bare
code, a CBV Web URI, a CBV 1.x URN (``urn:epcglobal:cbv:bizstep:shipping``, which the JSON
Schema alone refuses) or a namespaced URI of the user's own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.events import checks, document
from tradetrace.events.prehash import WELL_KNOWN_NAMESPACES

__all__ = ["document_problems", "parse_epcis_document"]

# Definitions whose anyOf (a CBV code or a URI) checks.py replaces with a precise message
# that also accepts the CBV 1.x URN spellings.
_VOCABULARY_DEFINITIONS = frozenset(
    {"bizStep", "disposition", "bizTransaction-type", "source-dest-type", "error-reason"}
    | {"component"}
)
_STANDARD_PREFIXES = frozenset(WELL_KNOWN_NAMESPACES) | {"rdfs", "owl", "xsd", "dcterms"}
_QUOTED_PATTERN = re.compile(r' does not match ".*"$')


class _Schema:
    """The compiled schema and the field names it allows, per document and event type."""

    def __init__(self) -> None:
        source = resources.files("tradetrace.events").joinpath(
            "standards", "epcis-json-schema.json"
        )
        schema = json.loads(source.read_text(encoding="utf-8"))
        self.validator = jsonschema_rs.Draft7Validator(schema, validate_formats=False)
        definitions = schema["definitions"]
        common = definitions["common-event-properties"]["anyOf"][0]["enum"]
        self.event_fields = {
            name: frozenset(common)
            | frozenset(definitions[name]["allOf"][1]["propertyNames"]["anyOf"][1]["enum"])
            for name in (
                *("ObjectEvent", "AggregationEvent", "TransactionEvent"),
                *("TransformationEvent", "AssociationEvent"),
            )
        }
        self.document_fields = {
            name: frozenset(definitions[key]["propertyNames"]["anyOf"][0]["enum"])
            for name, key in (
                ("EPCISDocument", "epcisDocument"),
                ("EPCISQueryDocument", "epcisQueryDocument"),
            )
        }


@cache
def _schema() -> _Schema:
    return _Schema()


def _path(parts: list[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _schema_problems(
    error: jsonschema_rs.ValidationError, *, secondary: bool = False
) -> list[tuple[FieldProblem, bool]]:
    """The problems one schema error stands for, each flagged when it is only a consequence
    of another problem (an ``anyOf`` that failed because of an error reported on its own)."""
    path = _path(error.instance_path)
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return [(FieldProblem(_join(path, str(kind.property)), "is required"), secondary)]
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AnyOf):
        if error.schema_path[-2:-1] and error.schema_path[-2] in _VOCABULARY_DEFINITIONS:
            return []  # checks.py reports these
        return _any_of_problems(path, kind.context)
    if path.endswith("eventTimeZoneOffset"):
        reason = "must be an offset from -14:00 to +14:00, written ±hh:mm"
    else:
        reason = _QUOTED_PATTERN.sub(" has the wrong form", error.message)
    return [(FieldProblem(path or "(document)", reason), secondary)]


def _any_of_problems(
    path: str, alternatives: list[list[jsonschema_rs.ValidationError]]
) -> list[tuple[FieldProblem, bool]]:
    flat = [error for alternative in alternatives for error in alternative]
    if any(error.instance_path[-1:] == ["ilmd"] for error in flat):
        return [(FieldProblem(_join(path, "ilmd"), "is only allowed when action is ADD"), False)]
    names = [[_required_name(error) for error in alternative] for alternative in alternatives]
    if all(name is not None for alternative in names for name in alternative):
        options = [
            str(one[0]) if len(one) == 1 else f"({' and '.join(map(str, one))})" for one in names
        ]
        return [(FieldProblem(path or "(document)", f"needs {' or '.join(options)}"), False)]
    # Some alternative got further before failing: report what it says, unless that field
    # already has a problem of its own.
    deepest = max(alternatives, key=lambda alt: max(len(e.instance_path) for e in alt))
    return [item for error in deepest for item in _schema_problems(error, secondary=True)]


def _required_name(error: jsonschema_rs.ValidationError) -> str | None:
    """The property a ``required`` error names, or ``None`` for other errors."""
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return str(kind.property)
    return None


def _event_list(data: Mapping[str, Any]) -> tuple[str, list[Any]]:
    body = data.get("epcisBody")
    if not isinstance(body, Mapping):
        return "", []
    if data.get("type") == "EPCISQueryDocument":
        results = body.get("queryResults")
        body = results.get("resultsBody") if isinstance(results, Mapping) else None
        base = "epcisBody.queryResults.resultsBody.eventList"
    else:
        base = "epcisBody.eventList"
    events = body.get("eventList") if isinstance(body, Mapping) else None
    return base, events if isinstance(events, list) else []


def _is_mapping(value: object) -> bool:
    return type(value) is dict or isinstance(value, Mapping)  # parsed JSON: a dict, at once


def _is_known_type(kind: object, schema: _Schema) -> bool:
    return isinstance(kind, str) and kind in schema.event_fields


def _is_noise(field: str, untyped: tuple[str, ...]) -> bool:
    return any(field.startswith(path) and field != f"{path}.type" for path in untyped)


def _prefixes(context: object) -> frozenset[str]:
    entries = context if isinstance(context, list) else [context]
    declared = {key for entry in entries if isinstance(entry, Mapping) for key in entry}
    return _STANDARD_PREFIXES | declared


def _sort_key(problem: FieldProblem) -> list[tuple[int, int | str]]:
    parts = re.findall(r"\[(\d+)\]|([^.\[\]]+)", problem.field)
    return [(0, int(index)) if index else (1, name) for index, name in parts]


def document_problems(data: object) -> list[FieldProblem]:
    """Every problem of an EPCIS document in its JSON-LD form; empty when it is valid.

    EPCIS 2.0 §9.3 and the EPCIS 2.0 JSON Schema, CBV 2.0 §6-§8; see the module docstring.
    """
    if not isinstance(data, Mapping):
        return [FieldProblem("(document)", "an EPCIS document is a JSON object")]
    schema = _schema()
    base, events = _event_list(data)
    # An event without a known type matches every type's schema; report only its type.
    untyped = tuple(
        f"{base}[{index}]"
        for index, event in enumerate(events)
        if _is_mapping(event) and not _is_known_type(event.get("type"), schema)
    )
    # A valid document, the usual case, is told apart faster than its errors are listed.
    errors = [] if schema.validator.is_valid(data) else schema.validator.iter_errors(data)
    found = [
        item
        for error in errors
        for item in _schema_problems(error)
        if not _is_noise(item[0].field, untyped)
    ]
    problems = [problem for problem, secondary in found if not secondary]
    reported = {problem.field for problem in problems}
    problems += [p for p, secondary in found if secondary and p.field not in reported]
    prefixes = _prefixes(data.get("@context"))
    known = schema.document_fields.get(str(data.get("type")))
    if known is not None:
        problems += checks.extension_problems(data, known, prefixes, "")
        reason = checks.timestamp_problem(data.get("creationDate"))
        if reason is not None:
            problems.append(FieldProblem("creationDate", reason))
    nothing: frozenset[str] = frozenset()
    for index, event in enumerate(events):
        if _is_mapping(event):
            event_fields = schema.event_fields.get(str(event.get("type")), nothing)
            event_prefixes = prefixes
            if "@context" in event:
                event_prefixes = prefixes | _prefixes(event["@context"])
            path = f"{base}[{index}]"
            problems += checks.event_problems(
                event, path, known=event_fields, prefixes=event_prefixes
            )
    unique = dict.fromkeys((p.field, p.reason) for p in problems)
    return sorted((FieldProblem(field, reason) for field, reason in unique), key=_sort_key)


def parse_epcis_document(
    data: bytes | str | Mapping[str, Any],
) -> document.EpcisDocument | document.EpcisQueryDocument:
    """Validate an EPCIS 2.0 document and return it as a model: all of it, or nothing.

    ``data`` is the JSON text or the parsed JSON. Raises
    :class:`~tradetrace.errors.InvalidDocument` whose ``problems`` name every field at fault
    (EPCIS 2.0 §9.3: capture is all-or-nothing by default, §8.2.3).
    """
    parsed: object = data
    if isinstance(data, bytes | str):
        try:
            parsed = json.loads(data)
        except ValueError as exc:
            raise InvalidDocument(f"invalid EPCIS document: not JSON ({exc})") from exc
    problems = document_problems(parsed)
    if problems or not isinstance(parsed, Mapping):
        raise InvalidDocument.from_problems("EPCIS document", problems)
    return document.document_from_wire(parsed)
