"""Turn JSON Schema validation errors into :class:`FieldProblem`s a person can act on.

Each problem names the field at fault with a dotted and indexed path
(``credentialSubject.inspections[0].heatNumber``, as ``errors.FieldProblem`` describes) and gives
a short lower-case reason with no trailing period (STYLE.md §5). A reason says what was expected
and at most the JSON type found: it never echoes the value, which may be personal data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from jsonschema_rs import ValidationError, ValidationErrorKind

from tradetrace.errors import FieldProblem

__all__ = ["ROOT", "field_path", "problems_from_errors"]

ROOT: Final = "credential"
"""The field name used for the credential as a whole."""

_PLAIN_KEY: Final = re.compile(r"[A-Za-z_@$][A-Za-z0-9_@$-]*")
_FORMAT_NAMES: Final = {
    "date": "a date (YYYY-MM-DD)",
    "date-time": "an RFC 3339 date-time with a time zone offset",
    "email": "an email address",
    "uri": "an absolute URI",
}
_Kind = ValidationErrorKind


def problems_from_errors(errors: Iterable[ValidationError]) -> list[FieldProblem]:
    """One problem per violation, in the order the validator found them, without duplicates.

    A missing property and a property the schema does not allow are reported at that property's
    own path. When no alternative of a ``oneOf``/``anyOf`` matches, the problems inside the
    closest alternative are reported (the one with the fewest problems, all of them below the
    value itself); if every alternative already fails on the value itself, the value is.
    """
    found: dict[FieldProblem, None] = {}
    for error in errors:
        found.update(dict.fromkeys(_describe(error)))
    return list(found)


def field_path(path: Sequence[str | int]) -> str:
    """``credentialSubject.goods[0].commodityCode``; keys that are not plain go in brackets."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part)}]"
    return text or ROOT


def _describe(error: ValidationError) -> list[FieldProblem]:
    path = error.instance_path
    match error.kind:
        case _Kind.Required(property=name):
            return [FieldProblem(field_path([*path, name]), "missing required property")]
        case _Kind.AdditionalProperties(unexpected=names):
            reason = "property not allowed by the schema"
            return [FieldProblem(field_path([*path, name]), reason) for name in names]
        case _Kind.OneOfNotValid(context=alternatives) | _Kind.AnyOf(context=alternatives):
            below = [alt for alt in alternatives if all(_is_below(e, path) for e in alt)]
            if below:
                closest = min(below, key=len)
                return [problem for inner in closest for problem in _describe(inner)]
            return [FieldProblem(field_path(path), "matches none of the allowed alternatives")]
    return [FieldProblem(field_path(path), _reason(error))]


def _is_below(error: ValidationError, path: Sequence[str | int]) -> bool:
    inner = error.instance_path
    return len(inner) > len(path) and inner[: len(path)] == list(path)


def _reason(error: ValidationError) -> str:
    match error.kind:
        case _Kind.Type(types=types):
            return f"expected {' or '.join(types)}, got {_json_type(error.instance)}"
        case _Kind.Enum(options=options):
            return f"expected one of {_shorten(', '.join(json.dumps(v) for v in options))}"
        case _Kind.Constant(expected_value=value):
            return f"expected {_shorten(json.dumps(value))}"
        case _Kind.Format(format=name):
            return f"expected {_FORMAT_NAMES.get(name, f'the {name} format')}"
        case _Kind.Pattern(pattern=pattern):
            return f"expected a value matching {pattern}"
        case _Kind.MinItems(limit=limit) | _Kind.MaxItems(limit=limit):
            return _size(error, limit, "item")
        case _Kind.MinLength(limit=limit) | _Kind.MaxLength(limit=limit):
            return _size(error, limit, "character")
        case _Kind.OneOfMultipleValid():
            return "matches more than one of the allowed alternatives"
    return f"breaks the schema's {error.kind.name} rule"


def _size(error: ValidationError, limit: int, unit: str) -> str:
    bound = "at least" if error.kind.name.startswith("min") else "at most"
    size = len(error.instance) if isinstance(error.instance, str | list) else 0
    return f"expected {bound} {limit} {unit}{'' if limit == 1 else 's'}, got {size}"


def _json_type(value: object) -> str:
    kinds = (
        (type(None), "null"),
        (bool, "boolean"),
        (int, "integer"),
        (float, "number"),
        (str, "string"),
        (Mapping, "object"),
        (list | tuple, "array"),
    )
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
