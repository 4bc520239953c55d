"""JSON Schemas of the Traceability Interop API request bodies, and their validation.

``requests.schema.json`` transcribes the request schemas of the interop OpenAPI description
(w3c-ccg/traceability-interop ``docs/openapi``) and the VC-API status update (w3c-ccg/vc-api
``UpdateCredentialStatusRequest``); ``README.md`` here gives each origin, licence and every
change. :func:`validate_body` checks a parsed body against one of its ``$defs`` and names
every field at fault, so each bad request becomes a 400 problem that names the field.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, Final

import jsonschema_rs

from tradetrace import errors

__all__ = ["REQUEST_SCHEMAS", "validate_body"]

REQUEST_SCHEMAS: Final = frozenset(
    {
        "IssueRequest",
        "ProveRequest",
        "StatusRequest",
        "SubmitPresentationRequest",
        "TraceablePresentation",
        "VcApiStatusRequest",
        "VerifyCredentialRequest",
        "VerifyPresentationRequest",
    }
)
"""The ``$defs`` a request body can be validated against."""

_MAX_REASON: Final = 200


@cache
def _document() -> dict[str, Any]:
    text = resources.files(__name__).joinpath("requests.schema.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@cache
def _validator(name: str) -> jsonschema_rs.Validator:
    schema = {**_document(), "$ref": f"#/$defs/{name}"}
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def _field(path: list[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def _flatten(error: jsonschema_rs.ValidationError) -> list[jsonschema_rs.ValidationError]:
    """The errors to report: for ``oneOf``, those of the branch that got furthest into the
    value (the alternative the client most likely meant)."""
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.OneOfNotValid) and kind.context:
        best = max(kind.context, key=lambda branch: max(len(e.instance_path) for e in branch))
        if max(len(e.instance_path) for e in best) > len(error.instance_path):
            return [item for inner in best for item in _flatten(inner)]
    return [error]


def _problem(error: jsonschema_rs.ValidationError) -> errors.FieldProblem:
    path = list(error.instance_path)
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return errors.FieldProblem(_field([*path, kind.property]), "required")
    reason = error.message
    if len(reason) > _MAX_REASON:
        reason = reason[:_MAX_REASON] + "…"
    return errors.FieldProblem(_field(path), reason)


def validate_body(name: str, body: object, *, what: str = "request") -> None:
    """Check ``body`` against the request schema ``name`` (one of :data:`REQUEST_SCHEMAS`).

    Raises:
        errors.InvalidDocument: the body breaks the schema; ``problems`` names each field.
    """
    found = [
        _problem(item) for error in _validator(name).iter_errors(body) for item in _flatten(error)
    ]
    if found:
        unique = list(dict.fromkeys(found))
        raise errors.InvalidDocument.from_problems(what, unique)
