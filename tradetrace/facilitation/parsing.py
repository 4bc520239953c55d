"""Parse input once, at the edge: pydantic models and loose values, with every problem named.

Each problem is a :class:`~tradetrace.errors.FieldProblem` with its path
(``payment.monthly.working_days``, ``goods[2].hts_code``), so a program file, an inquiry or a
CLI request can be fixed in one pass (STYLE.md §3, §5). The value parsers append a problem and
return ``None`` instead of raising, so one call reports every field at fault; a
``ValidationError`` or ``InvalidOperation`` never leaves the package.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from tradetrace.errors import FieldProblem, InvalidDocument

__all__ = [
    "CENT",
    "parse_amount",
    "parse_enum",
    "parse_json_model",
    "problems_from_validation_error",
    "require_utc",
    "to_cents",
]

CENT = Decimal("0.01")

_Model = TypeVar("_Model", bound=BaseModel)
_Enum = TypeVar("_Enum", bound=StrEnum)


def problems_from_validation_error(error: ValidationError) -> list[FieldProblem]:
    """One problem per field path, in the order pydantic found them.

    A container that is too short only because its items failed ("after validation") is left
    out when an item's own problem is reported.
    """
    found: list[tuple[str, str, bool]] = []
    for item in error.errors(include_url=False):
        path = ""
        for part in item["loc"]:
            if isinstance(part, int):
                path += f"[{part}]"
            else:
                path += f".{part}" if path else part
        message = str(item["msg"]).removeprefix("Value error, ")
        cascade = item["type"] == "too_short" and "after validation" in message
        found.append((path or "(document)", message[:1].lower() + message[1:], cascade))
    problems: dict[str, str] = {}
    for path, message, cascade in found:
        below = (other for other, _, _ in found if other.startswith((f"{path}[", f"{path}.")))
        if not (cascade and any(below)):
            problems.setdefault(path, message)
    return [FieldProblem(field, reason) for field, reason in problems.items()]


def parse_json_model(model: type[_Model], text: str | bytes, *, what: str) -> _Model:
    """Validate a JSON document (a program file, a rules file) into ``model``.

    Raises :class:`~tradetrace.errors.InvalidDocument` naming every field at fault in ``what``.
    """
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        raise InvalidDocument.from_problems(what, problems_from_validation_error(exc)) from exc


def to_cents(amount: Decimal) -> Decimal:
    """Round to the cent, half up (amounts are dollars)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP) + Decimal("0.00")


def parse_amount(raw: object, field: str, problems: list[FieldProblem]) -> Decimal | None:
    """A finite, non-negative decimal amount from a ``Decimal``, ``int`` or numeric string."""
    if isinstance(raw, bool) or not isinstance(raw, Decimal | int | str):
        problems.append(FieldProblem(field, f"expected a decimal amount, got {raw!r}"))
        return None
    try:
        amount = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except InvalidOperation:
        problems.append(FieldProblem(field, f"expected a decimal amount, got {raw!r}"))
        return None
    if not amount.is_finite():
        problems.append(FieldProblem(field, f"expected a finite amount, got {raw!r}"))
        return None
    if amount < 0:
        problems.append(FieldProblem(field, f"expected an amount of zero or more, got {amount}"))
        return None
    return amount


def parse_enum(
    kind: type[_Enum], raw: object, field: str, problems: list[FieldProblem]
) -> _Enum | None:
    """A member of ``kind`` from itself or its value (``"ad"``, ``"monthly"``)."""
    if isinstance(raw, kind):
        return raw
    text = str(raw).strip().lower()
    for member in kind:
        if member.value == text:
            return member
    expected = ", ".join(member.value for member in kind)
    problems.append(FieldProblem(field, f"unknown value {raw!r}: expected one of {expected}"))
    return None


def require_utc(moment: datetime, field: str) -> datetime:
    """``moment`` if it is timezone-aware UTC; raises ``InvalidDocument`` naming ``field``."""
    if moment.tzinfo is None or moment.utcoffset() != timedelta(0):
        reason = f"expected a timezone-aware UTC datetime, got {moment.isoformat()}"
        problem = FieldProblem(field, reason)
        raise InvalidDocument(f"invalid {problem}", problems=(problem,))
    return moment
