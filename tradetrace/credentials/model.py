"""The envelope of Verifiable Credentials and Presentations: VC Data Model 2.0, and 1.1 for the
interoperability ecosystem, parsed once at the edge (STYLE.md rule 3).

:class:`Credential` and :class:`Presentation` check what every credential must get right,
whatever its content: ``@context`` starts with the data model's base context (VC DM 2.0 §4.3,
VC DM 1.1 §4.1), ``type`` names ``VerifiableCredential`` or ``VerifiablePresentation`` (§4.5),
``id`` and ``issuer`` are URLs (§4.4, §4.7), the validity period is made of XML Schema
``dateTimeStamp`` values (§4.9: ``validFrom``/``validUntil``; VC DM 1.1 §4.6, §4.7:
``issuanceDate``/``expirationDate``), ``credentialSubject`` is there (§4.8) and
``credentialStatus`` entries are typed objects (§4.10). Property names of the other data model
version, and snake_case spellings of the wire names, are named as errors. The content of
``credentialSubject`` is left to :mod:`tradetrace.credentials.content`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Final, Self

import pydantic

from tradetrace import errors
from tradetrace.credentials import jcs
from tradetrace.credentials.content import DataModel
from tradetrace.types import Sha256Digest

__all__ = [
    "URL",
    "VC_1_1_CONTEXT",
    "VC_2_0_CONTEXT",
    "Credential",
    "DataModel",
    "DateTimeStamp",
    "Presentation",
    "parse_date_time_stamp",
    "secured_bytes",
    "secured_digest",
]

VC_2_0_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
"""The first ``@context`` entry of a VC Data Model 2.0 document (VC DM 2.0 §4.3)."""
VC_1_1_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"
"""The first ``@context`` entry of a VC Data Model 1.1 document (VC DM 1.1 §4.1)."""

# XML Schema 1.1 Part 2 §3.4.28 dateTimeStamp: a dateTime whose time zone is required. The
# shape is checked here; datetime.fromisoformat then checks the ranges (month, day, hour...).
_DATE_TIME_STAMP: Final = re.compile(
    r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
_MAX_OFFSET: Final = timedelta(hours=14)
# RFC 3986 §3.1: a URL has a scheme; VC DM 2.0 §4.4 requires a URL for every id.
_URL: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")
URL: Final = _URL
"""What every ``id``, ``issuer`` and context URL must fully match: a scheme, a colon and no
white space (RFC 3986 §3.1; VC DM 2.0 §4.4)."""
_SNAKE_CASE: Final = {
    "credential_subject": "credentialSubject",
    "credential_status": "credentialStatus",
    "credential_schema": "credentialSchema",
    "valid_from": "validFrom",
    "valid_until": "validUntil",
    "issuance_date": "issuanceDate",
    "expiration_date": "expirationDate",
    "verifiable_credential": "verifiableCredential",
}
_OTHER_MODEL: Final = {
    DataModel.VC_2_0: {"issuanceDate": "validFrom", "expirationDate": "validUntil"},
    DataModel.VC_1_1: {"validFrom": "issuanceDate", "validUntil": "expirationDate"},
}
# Most documents use none of these names, which one set test shows.
_SNAKE_CASE_NAMES: Final = frozenset(_SNAKE_CASE)


def parse_date_time_stamp(value: object) -> datetime:
    """Parse an XML Schema 1.1 ``dateTimeStamp`` (a ``dateTime`` with a time zone, XSD 1.1 Part 2
    §3.4.28) into an aware UTC :class:`datetime`; fractions beyond microseconds are truncated.

    Years outside 0001-9999 and the end-of-day form ``24:00:00`` are refused: no Python
    ``datetime`` holds them, and no credential needs them.

    Raises:
        errors.InvalidDocument: not such a string, or a date, time or offset out of range.
    """
    if not isinstance(value, str) or not _DATE_TIME_STAMP.fullmatch(value):
        raise errors.InvalidDocument(
            "expected an XML Schema dateTimeStamp such as 2026-01-31T12:00:00Z"
        )
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise errors.InvalidDocument(f"invalid date or time: {exc}") from None
    offset = moment.utcoffset()
    if offset is None or abs(offset) > _MAX_OFFSET:
        raise errors.InvalidDocument("time zone offset outside -14:00..+14:00")
    return moment.astimezone(UTC)


def _date_time_stamp(value: object) -> datetime:
    try:
        return parse_date_time_stamp(value)
    except errors.InvalidDocument as exc:
        raise ValueError(exc.message) from None  # pydantic reports it as a field problem


DateTimeStamp = Annotated[datetime, pydantic.PlainValidator(_date_time_stamp)]
"""A pydantic field type for :func:`parse_date_time_stamp` (VC DM 2.0 §4.9)."""


def _url(value: object) -> str:
    if not isinstance(value, str) or not _URL.fullmatch(value):
        raise ValueError("expected a URL")
    return value


def _context(value: object) -> tuple[str | dict[str, Any], ...]:
    entries = [value] if isinstance(value, str | dict) else value
    if not isinstance(entries, list) or not entries:
        raise ValueError("expected a non-empty array of context URLs and objects")
    if entries[0] not in (VC_2_0_CONTEXT, VC_1_1_CONTEXT):
        raise ValueError(f"the first entry must be {VC_2_0_CONTEXT} (or {VC_1_1_CONTEXT})")
    for entry in entries[1:]:
        if not (isinstance(entry, dict) or (isinstance(entry, str) and _URL.fullmatch(entry))):
            raise ValueError("expected context URLs and objects only")
    return tuple(entries)


def _types(value: object) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValueError("expected a string or a non-empty array of strings")
    return tuple(names)


def _identified(value: object) -> str:
    """An issuer or holder: a URL, or an object whose ``id`` is one (VC DM 2.0 §4.7, §5.5)."""
    if isinstance(value, dict):
        if "id" not in value:
            raise ValueError("an issuer or holder object needs an id")
        value = value["id"]
    return _url(value)


def _objects(value: object) -> tuple[dict[str, Any], ...]:
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise ValueError("expected an object or a non-empty array of objects")
    return tuple(items)


def _typed_objects(value: object) -> tuple[dict[str, Any], ...]:
    """Objects that each need a ``type`` (VC DM 2.0 §4.10, §4.11, §5.3, §5.6, §5.7)."""
    items = _objects(value)
    if not all(isinstance(item.get("type"), str | list) for item in items):
        raise ValueError("each entry needs a type")
    return items


def _values(value: object) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


_Url = Annotated[str, pydantic.PlainValidator(_url)]
_Context = Annotated[tuple[str | dict[str, Any], ...], pydantic.PlainValidator(_context)]
_Types = Annotated[tuple[str, ...], pydantic.PlainValidator(_types)]
_Identified = Annotated[str, pydantic.PlainValidator(_identified)]
_Objects = Annotated[tuple[dict[str, Any], ...], pydantic.PlainValidator(_objects)]
_Typed = Annotated[tuple[dict[str, Any], ...], pydantic.PlainValidator(_typed_objects)]
_Values = Annotated[tuple[Any, ...], pydantic.PlainValidator(_values)]


class _Envelope(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True, extra="ignore")

    context: _Context = pydantic.Field(alias="@context")
    id: _Url | None = None
    types: _Types = pydantic.Field(alias="type")

    @property
    def data_model(self) -> DataModel:
        """The data model version the first ``@context`` entry names."""
        return DataModel.VC_1_1 if self.context[0] == VC_1_1_CONTEXT else DataModel.VC_2_0

    @classmethod
    def _parse(cls, data: object, what: str, required_type: str) -> Self:
        problems: list[errors.FieldProblem] = []
        # dict first: the usual input, and a quicker test than the Mapping ABC.
        fields: Mapping[str, Any] = data if isinstance(data, (dict, Mapping)) else {}
        if not _SNAKE_CASE_NAMES.isdisjoint(fields):
            problems = _naming_problems(fields)
        try:
            parsed = cls.model_validate(data)
        except pydantic.ValidationError as exc:
            problems += [
                errors.FieldProblem(
                    ".".join(str(part) for part in error["loc"]) or "document",
                    _lower_first(error["msg"].removeprefix("Value error, ")),
                )
                for error in exc.errors(include_url=False)
            ]
            raise errors.InvalidDocument.from_problems(what, problems) from None
        if required_type not in parsed.types:
            problems.append(errors.FieldProblem("type", f"must include {required_type}"))
        problems += parsed._model_problems(fields)
        if problems:
            raise errors.InvalidDocument.from_problems(what, problems)
        return parsed

    def _model_problems(self, data: Mapping[str, Any]) -> list[errors.FieldProblem]:
        names = _OTHER_MODEL[self.data_model]
        if names.keys().isdisjoint(data):
            return []
        return [
            errors.FieldProblem(name, f"not a VC {self.data_model.value} property, use {other}")
            for name, other in names.items()
            if name in data
        ]


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def _naming_problems(data: Mapping[str, Any]) -> list[errors.FieldProblem]:
    return [
        errors.FieldProblem(name, f"unknown property, the wire name is {wire}")
        for name, wire in _SNAKE_CASE.items()
        if name in data
    ]


class Credential(_Envelope):
    """A credential's envelope (VC DM 2.0 §4; VC DM 1.1 §4); build it with :meth:`from_dict`.

    Both data models fill :attr:`not_before` and :attr:`not_after`; the wire fields stay as read.
    """

    issuer: _Identified
    valid_from: DateTimeStamp | None = pydantic.Field(default=None, alias="validFrom")
    valid_until: DateTimeStamp | None = pydantic.Field(default=None, alias="validUntil")
    issuance_date: DateTimeStamp | None = pydantic.Field(default=None, alias="issuanceDate")
    expiration_date: DateTimeStamp | None = pydantic.Field(default=None, alias="expirationDate")
    credential_subject: _Objects = pydantic.Field(alias="credentialSubject")
    credential_status: _Typed = pydantic.Field(default=(), alias="credentialStatus")
    credential_schema: _Typed = pydantic.Field(default=(), alias="credentialSchema")

    @classmethod
    def from_dict(cls, data: object) -> Credential:
        """Validate the envelope of a credential decoded from JSON (VC DM 2.0 §4, 1.1 §4).

        Raises:
            errors.InvalidDocument: ``problems`` names every field at fault.
        """
        return cls._parse(data, "credential", "VerifiableCredential")

    @property
    def not_before(self) -> datetime | None:
        """Start of the validity period: ``validFrom`` (2.0) or ``issuanceDate`` (1.1)."""
        return self.valid_from if self.data_model is DataModel.VC_2_0 else self.issuance_date

    @property
    def not_after(self) -> datetime | None:
        """End of the validity period: ``validUntil`` (2.0) or ``expirationDate`` (1.1)."""
        return self.valid_until if self.data_model is DataModel.VC_2_0 else self.expiration_date

    def _model_problems(self, data: Mapping[str, Any]) -> list[errors.FieldProblem]:
        problems = super()._model_problems(data)
        if self.data_model is DataModel.VC_2_0:
            start, end = self.valid_from, self.valid_until
        else:
            if self.issuance_date is None:
                problem = errors.FieldProblem("issuanceDate", "required in a VC 1.1 credential")
                problems.append(problem)
            start, end = self.issuance_date, self.expiration_date
        if start is not None and end is not None and end < start:
            field = "validUntil" if self.data_model is DataModel.VC_2_0 else "expirationDate"
            problems.append(errors.FieldProblem(field, "ends before the validity period starts"))
        return problems


class Presentation(_Envelope):
    """A presentation's envelope (VC DM 2.0 §4.13; VC DM 1.1 §4.10).

    ``verifiable_credential`` keeps each entry as read; the verifier checks each one.
    """

    holder: _Identified | None = None
    verifiable_credential: _Values = pydantic.Field(default=(), alias="verifiableCredential")

    @classmethod
    def from_dict(cls, data: object) -> Presentation:
        """Validate the envelope of a presentation decoded from JSON (VC DM 2.0 §4.13).

        Raises:
            errors.InvalidDocument: ``problems`` names every field at fault.
        """
        return cls._parse(data, "presentation", "VerifiablePresentation")


def secured_bytes(secured: str | Mapping[str, Any]) -> bytes:
    """The wire form of a secured document: a compact JWS in ASCII (RFC 7515 §7.1), or compact
    JSON in UTF-8 (RFC 8259 §8.1).

    Raises:
        errors.InvalidDocument: the value has no JSON form.
    """
    if isinstance(secured, str):
        return secured.encode("ascii", "strict")
    try:
        text = json.dumps(secured, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return text.encode("utf-8")
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        raise errors.InvalidDocument(f"document has no JSON form: {exc}") from None


def secured_digest(secured: str | Mapping[str, Any]) -> Sha256Digest:
    """The SHA-256 that identifies a secured document in a transparency log, as hex.

    A compact JWS is hashed as sent; a document with a Data Integrity proof in its RFC 8785
    canonical form, so re-serializing it (indentation, member order) keeps its digest.

    Raises:
        errors.CanonicalizationError: the JSON has no RFC 8785 form.
    """
    data = secured.encode("ascii") if isinstance(secured, str) else jcs.canonicalize(secured)
    return Sha256Digest(hashlib.sha256(data).hexdigest())
