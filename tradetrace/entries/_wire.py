"""The wire conventions of the entry models, and the checked field types they share.

**Wire names.** Python attributes are snake_case. On input a field may be written in snake_case
(``entry_date``) or camelCase (``entryDate``), the spelling of the W3C CCG Traceability Vocabulary
and of most trade JSON; :meth:`WireModel.to_json_dict` writes camelCase. Unknown fields are
refused, so a misspelt field is an error rather than lost data.

**Errors.** :func:`problems_from` turns a pydantic ``ValidationError`` into one
:class:`~tradetrace.errors.FieldProblem` per field, named by its snake_case path
(``lines[2].hts10``) with pydantic's "Value error, " prefix removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AliasGenerator,
    BaseModel,
    ConfigDict,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

from tradetrace.entries import numbers
from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.organisations import identifiers
from tradetrace.tariff import codes, programs
from tradetrace.types import Did, HsCode

__all__ = [
    "MELT_UNKNOWN",
    "AdcvdCase",
    "Country",
    "DidText",
    "EntryNumberText",
    "FdaProductCode",
    "Hts10",
    "ImporterNumber",
    "ManufacturerId",
    "MeltCountry",
    "Money",
    "PortCode",
    "Reference",
    "Spi",
    "Text",
    "UnitCode",
    "WireModel",
    "problems_from",
]

_NAMED = re.compile(r"^([a-z_][a-z0-9_.\[\]]*): (.+)$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./:()_#-]{0,79}$")
_UNIT = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
# FDA product code: industry (2 digits), class (letter), subclass (letter or -), process
# indicator code (letter or -), product (2 letters or digits); FDA Product Code Builder.
_FDA_PRODUCT = re.compile(r"^\d{2}[A-Z][A-Z-][A-Z-][A-Z0-9]{2}$")
_ADCVD = re.compile(r"^[AC]-\d{3}-\d{3}$")
MELT_UNKNOWN = "OTH"
"""The melt-and-pour country reported when it is unknown (CSMS #62582900)."""


class WireModel(BaseModel):
    """Base of the entry models: frozen, unknown fields refused, camelCase or snake_case in."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        alias_generator=AliasGenerator(serialization_alias=to_camel),
    )

    @model_validator(mode="before")
    @classmethod
    def _snake_case_keys(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        renamed: dict[Any, Any] = {}
        for key, value in data.items():
            name = _CAMEL.sub("_", key).lower() if isinstance(key, str) else key
            if name in renamed:
                raise ValueError(f"{name}: given twice, as {name} and in camelCase")
            renamed[name] = value
        return renamed

    def to_json_dict(self) -> dict[str, Any]:
        """The model as JSON values with camelCase names; absent (``None``) fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def problems_from(error: ValidationError) -> list[FieldProblem]:
    """One problem per field path (``lines[2].hts10``), in the order pydantic found them."""
    found: list[tuple[str, str, bool]] = []
    for item in error.errors(include_url=False):
        path = ""
        for part in item["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        message = str(item["msg"]).removeprefix("Value error, ")
        named = _NAMED.match(message)
        if not path and named is not None:  # a model-level check names its own field
            path, message = named.groups()
        # "too short after validation" only repeats that an item failed: drop it then.
        cascade = item["type"] == "too_short" and "after validation" in message
        found.append((path or "(document)", message[:1].lower() + message[1:], cascade))
    problems: dict[str, str] = {}
    for path, message, cascade in found:
        below = any(other.startswith((f"{path}[", f"{path}.")) for other, _, _ in found)
        if not (cascade and below):
            problems.setdefault(path, message)
    return [FieldProblem(field, reason) for field, reason in problems.items()]


def _reason(error: InvalidDocument) -> str:
    return error.problems[0].reason if error.problems else error.message


def _via(parse: Callable[[str], str]) -> Callable[[str], str]:
    """Wrap a parser that raises :class:`InvalidDocument` so pydantic reports its reason."""

    def check(text: str) -> str:
        try:
            return parse(text)
        except InvalidDocument as exc:
            raise ValueError(_reason(exc)) from exc

    return check


def _hts10(text: str) -> HsCode:
    try:
        return codes.parse_hts(text, field="hts10", digits=(10,))
    except InvalidDocument as exc:
        raise ValueError(_reason(exc)) from exc


def _spi(text: str) -> str:
    code = text.strip().upper()
    try:
        programs.program_for_spi(code)
    except InvalidDocument as exc:
        raise ValueError(_reason(exc)) from exc
    return code


def _importer_number(text: str) -> str:
    reason = identifiers.validate_identifier(identifiers.IdentifierScheme.CBP_IMPORTER, text)
    if reason is not None:
        raise ValueError(f"{reason} (19 CFR 24.5)")
    return text


def _mid(text: str) -> str:
    code = text.upper()
    reason = identifiers.validate_identifier(identifiers.IdentifierScheme.MID, code)
    if reason is not None:
        raise ValueError(f"{reason} (CBP Form 7501 instructions, appendix 2)")
    return code


def _melt_country(text: str) -> str:
    code = text.strip().upper()
    if code == MELT_UNKNOWN:
        return code
    try:
        return codes.parse_country(code)
    except InvalidDocument as exc:
        raise ValueError(f"{_reason(exc)}; or OTH when unknown (CSMS #62582900)") from exc


def _pattern(regex: re.Pattern[str], expected: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if regex.match(text) is None:
            raise ValueError(f"expected {expected}, got {text!r}")
        return text

    return check


def _money(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"expected a non-negative amount, got {amount}")
    return amount


def _text(text: str) -> str:
    if not text or len(text) > 200:
        raise ValueError("expected 1 to 200 characters")
    return text


Country = Annotated[str, AfterValidator(_via(codes.parse_country))]
"""An ISO 3166-1 alpha-2 country code, upper-cased."""
MeltCountry = Annotated[str, AfterValidator(_melt_country)]
"""A melt-and-pour country: an ISO code, or ``OTH`` when unknown (CSMS #62582900)."""
Hts10 = Annotated[HsCode, AfterValidator(_hts10)]
"""A 10-digit HTSUS statistical reporting number, digits only."""
Spi = Annotated[str, AfterValidator(_spi)]
"""A special programme indicator (HTSUS General Note 3(c)): ``S``, ``P+``, ``KR``..."""
EntryNumberText = Annotated[str, AfterValidator(_via(numbers.parse_entry_number))]
"""An entry number, check digit verified, as ``XXX-NNNNNNN-C``."""
PortCode = Annotated[str, AfterValidator(_via(numbers.parse_port_code))]
"""A 4-digit CBP port code (Schedule D)."""
ImporterNumber = Annotated[str, AfterValidator(_importer_number)]
"""An importer of record number (19 CFR 24.5): IRS number or CBP-assigned number."""
ManufacturerId = Annotated[str, AfterValidator(_mid)]
"""A manufacturer identification code (MID)."""
DidText = Annotated[Did, AfterValidator(_pattern(_DID, "a DID such as did:web:example.com"))]
"""A decentralized identifier."""
Reference = Annotated[
    str, AfterValidator(_pattern(_REFERENCE, "1 to 80 letters, digits or ./:()_#- characters"))
]
"""A document or lot reference: bill of lading, heat number, lot code, licence number."""
UnitCode = Annotated[
    str,
    AfterValidator(str.upper),
    AfterValidator(_pattern(_UNIT, "an HTS unit code such as KG or NO")),
]
"""An HTS unit of quantity (``KG``, ``NO``, ``BBL``, ``DOZ``...), upper case."""
FdaProductCode = Annotated[
    str, AfterValidator(_pattern(_FDA_PRODUCT, "a 7-character FDA product code like 24FBT01"))
]
"""An FDA product code (industry, class, subclass, process indicator, product)."""
AdcvdCase = Annotated[str, AfterValidator(_pattern(_ADCVD, "an AD/CVD case number like A-201-836"))]
"""An antidumping (``A-``) or countervailing (``C-``) duty case number."""
Money = Annotated[Decimal, AfterValidator(_money)]
"""A non-negative amount in U.S. dollars."""
Text = Annotated[str, AfterValidator(_text)]
"""Free text of 1 to 200 characters."""
