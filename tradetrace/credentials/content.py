"""Content validation: a credential's subject and content fields against its type's JSON Schema.

The SVIP credential profile takes its content from the W3C CCG Traceability Vocabulary
(standards.md §1, §3). :func:`validate_content` finds the credential's supported type (see
:mod:`tradetrace.credentials.content_registry`), validates it against that type's bundled schema
(JSON Schema 2020-12, the dialect of the vocabulary's OpenAPI 3.1 documents) and either returns a
:class:`ContentResult` or raises :class:`InvalidDocument` listing every violation.

What is checked, from the type's own schema (``properties`` and ``required``): ``type``, ``id``,
``issuer``, the validity period, ``credentialSubject`` and, where the schema defines them,
``name``, ``description``, ``evidence`` and ``relatedLink``. What is not, because another check
owns it: ``@context`` (the JSON-LD check; the vocabulary pins the VC 2.0 contexts, which would
refuse every VC 1.1 credential), ``proof`` (integrity), ``credentialStatus`` (status) and
``credentialSchema`` (the vocabulary fixes its type to ``OpenApiSpecificationValidator2022``).
Other top-level properties are left to the data model and JSON-LD checks, so a signed credential
or a VC 1.1 one is not refused for its envelope.

A credential that names no supported type is not an error: the result has ``matched=None`` and
the verification report marks the schema check ``skipped`` (``schema_unknown_type``). A failure
raises, and the report marks the check ``invalid`` (``schema_invalid``).

VC 1.1 credentials (first ``@context`` ``https://www.w3.org/2018/credentials/v1``) carry
``issuanceDate`` and ``expirationDate``; they are validated, and required, where the schema has
``validFrom`` and ``validUntil``. Every other credential is read as VC 2.0.

Formats (``date``, ``date-time``, ``uri``, ``email``) are asserted, as the vocabulary's own tests
do with ajv-formats (w3c-ccg/traceability-vocab ``packages/traceability-tests/utils/validator.js``).
Validation runs on jsonschema-rs: the bundled schemas are its only registry (``offline``, so no
``$ref`` is ever fetched), and each validator is compiled once per type and data model, so a
credential validates in tens of microseconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any, Final

import jsonschema_rs

from tradetrace.credentials.content_problems import ROOT, problems_from_errors
from tradetrace.credentials.content_registry import (
    CredentialType,
    Domain,
    find_credential_type,
    supported_types,
)
from tradetrace.errors import FieldProblem, InvalidDocument

__all__ = [
    "ContentCode",
    "ContentResult",
    "CredentialType",
    "DataModel",
    "Domain",
    "find_credential_type",
    "schema_example",
    "supported_types",
    "validate_content",
]

_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
_VC_1_1_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"
_NOT_CONTENT: Final = frozenset({"@context", "proof", "credentialSchema", "credentialStatus"})
_VC_1_1_NAMES: Final = {"validFrom": "issuanceDate", "validUntil": "expirationDate"}


class ContentCode(StrEnum):
    """Stable reason codes for the schema check of a verification report."""

    SCHEMA_VALID = "schema_valid"
    """The content matches the schema of its type (:func:`validate_content` returned)."""
    SCHEMA_INVALID = "schema_invalid"
    """The content breaks its schema (:func:`validate_content` raised :class:`InvalidDocument`)."""
    SCHEMA_UNKNOWN_TYPE = "schema_unknown_type"
    """No supported type is named in ``type``: the check is skipped, not failed."""


class DataModel(StrEnum):
    """The W3C Verifiable Credentials Data Model version of the envelope."""

    VC_1_1 = "1.1"
    """First ``@context`` ``https://www.w3.org/2018/credentials/v1``: ``issuanceDate``."""
    VC_2_0 = "2.0"
    """Any other credential, read as VC 2.0 (the SVIP profile's model): ``validFrom``."""


@dataclass(frozen=True, slots=True)
class ContentResult:
    """The outcome of a content check that did not fail.

    ``matched`` is the type whose schema was used, or ``None`` when the credential names no
    supported type: the verifier then reports the schema check as skipped with
    :attr:`ContentCode.SCHEMA_UNKNOWN_TYPE`.
    """

    matched: CredentialType | None
    data_model: DataModel

    @property
    def code(self) -> ContentCode:
        """``schema_valid`` when a schema was applied, else ``schema_unknown_type``."""
        if self.matched is None:
            return ContentCode.SCHEMA_UNKNOWN_TYPE
        return ContentCode.SCHEMA_VALID

    @property
    def schema_id(self) -> str | None:
        """The ``$id`` of the schema used, if any."""
        return None if self.matched is None else self.matched.schema_id


def validate_content(credential: Mapping[str, Any]) -> ContentResult:
    """Validate ``credential``'s content against the schema of the supported type it names.

    Raises :class:`InvalidDocument` when the credential is not an object, when ``type`` is
    missing or malformed or names two supported types, or when the content breaks the schema;
    ``problems`` then holds one :class:`FieldProblem` per violation, with a path such as
    ``credentialSubject.inspections[0].heatNumber``. Returns a result with ``matched=None``,
    and raises nothing, for a credential whose types are all unsupported.
    """
    if not isinstance(credential, Mapping):
        raise InvalidDocument.from_problems(ROOT, [FieldProblem(ROOT, "expected a JSON object")])
    data_model = _data_model(credential)
    credential_type = _matching_type(credential)
    if credential_type is None:
        return ContentResult(matched=None, data_model=data_model)
    validator = _content_validator(credential_type, data_model)
    document = credential if isinstance(credential, dict) else dict(credential)
    try:
        # The boolean check is the quick one; the errors are collected only for invalid content.
        if validator.is_valid(document):
            return _valid(credential_type, data_model)
        problems = problems_from_errors(validator.iter_errors(document))
    except ValueError as exc:  # a value that is not JSON: a non-string key, a set, a proxy
        reason = "expected JSON values only (objects with string keys, arrays and scalars)"
        raise InvalidDocument.from_problems(ROOT, [FieldProblem(ROOT, reason)]) from exc
    raise InvalidDocument.from_problems(f"{credential_type.name} content", problems)


def schema_example(credential_type: CredentialType) -> dict[str, Any] | None:
    """The example credential the type's bundled schema carries (the vocabulary's own), if any."""
    schema = _schemas().get(credential_type.schema_id)
    example = None if schema is None else schema.get("example")
    if isinstance(example, str):
        example = json.loads(example)
    return dict(example) if isinstance(example, dict) else None


def _data_model(credential: Mapping[str, Any]) -> DataModel:
    context = credential.get("@context")
    first = context[0] if isinstance(context, list | tuple) and context else context
    return DataModel.VC_1_1 if first == _VC_1_1_CONTEXT else DataModel.VC_2_0


def _matching_type(credential: Mapping[str, Any]) -> CredentialType | None:
    declared = credential.get("type")
    if isinstance(declared, str):
        declared = [declared]
    if not isinstance(declared, list | tuple) or not all(isinstance(n, str) for n in declared):
        reason = "expected a string or an array of strings"
        if "type" not in credential:
            reason = "missing required property"
        raise InvalidDocument.from_problems(ROOT, [FieldProblem("type", reason)])
    return _type_named(tuple(declared))


@lru_cache(maxsize=1024)
def _type_named(declared: tuple[str, ...]) -> CredentialType | None:
    """The one supported type among the names of a ``type``; a few lists recur, so cached."""
    found = [t for name in dict.fromkeys(declared) if (t := find_credential_type(name))]
    if len(found) > 1:
        names = ", ".join(t.name for t in found)
        reason = f"names more than one supported credential type: {names}"
        raise InvalidDocument.from_problems(ROOT, [FieldProblem("type", reason)])
    return found[0] if found else None


@cache
def _valid(credential_type: CredentialType, data_model: DataModel) -> ContentResult:
    return ContentResult(matched=credential_type, data_model=data_model)


# --- schemas and validators -------------------------------------------------------------------


def _schema_files(folder: Traversable) -> Iterator[Traversable]:
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _schema_files(entry)
        elif entry.name.endswith(".json"):
            yield entry


@cache
def _schemas() -> Mapping[str, dict[str, Any]]:
    """Every schema bundled in ``schemas/``, keyed by its ``$id``; read once."""
    folder = resources.files("tradetrace.credentials").joinpath("schemas")
    documents = [json.loads(f.read_text(encoding="utf-8")) for f in _schema_files(folder)]
    return MappingProxyType({document["$id"]: document for document in documents})


@cache
def _registry() -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry(list(_schemas().items()), draft=jsonschema_rs.Draft202012)


def _compile(schema: dict[str, Any]) -> jsonschema_rs.Validator:
    # offline: a $ref outside the bundled schemas fails instead of being fetched.
    return jsonschema_rs.Draft202012Validator(
        schema, registry=_registry(), validate_formats=True, offline=True
    )


@cache
def _schema_validator(schema_id: str) -> jsonschema_rs.Validator:
    """A validator for one whole bundled schema (used on the schemas' own examples)."""
    return _compile({"$ref": schema_id})


@cache
def _content_validator(
    credential_type: CredentialType, data_model: DataModel
) -> jsonschema_rs.Validator:
    """The content part of ``credential_type``'s schema, for one data model; compiled once."""
    schema = _schemas()[credential_type.schema_id]
    required = set(schema.get("required", ()))
    properties: dict[str, Any] = {}
    wire_required: list[str] = []
    for name in schema["properties"]:
        if name in _NOT_CONTENT:
            continue
        wire = _VC_1_1_NAMES.get(name, name) if data_model is DataModel.VC_1_1 else name
        pointer = name.replace("~", "~0").replace("/", "~1")
        properties[wire] = {"$ref": f"{credential_type.schema_id}#/properties/{pointer}"}
        if name in required:
            wire_required.append(wire)
    return _compile({"$schema": _DIALECT, "properties": properties, "required": wire_required})
