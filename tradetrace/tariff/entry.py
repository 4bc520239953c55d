"""The input of a duty computation: an entry (date, mode, type) and its lines, parsed once.

:meth:`EntryLine.parse` and :meth:`Entry.parse` accept loose values (strings from a CLI or a form,
numbers) and either return a valid object or raise one :class:`InvalidDocument` that names every
field at fault. What needs the tariff data (does the HTS number exist, is the date covered) is
checked by :mod:`tradetrace.tariff.duty`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from tradetrace.errors import FieldProblem, InvalidDocument, TradeTraceError
from tradetrace.tariff.codes import parse_country, parse_hts
from tradetrace.tariff.programs import program_for_spi
from tradetrace.types import HsCode

__all__ = [
    "Entry",
    "EntryLine",
    "EntryType",
    "TransportMode",
]


class TransportMode(StrEnum):
    """How the goods arrived; only ``vessel`` cargo owes the HMF (19 CFR 24.24)."""

    VESSEL = "vessel"
    AIR = "air"
    TRUCK = "truck"
    RAIL = "rail"
    PIPELINE = "pipeline"
    MAIL = "mail"


class EntryType(StrEnum):
    """The CBP entry type code of the entry summary."""

    FORMAL = "01"
    INFORMAL = "11"
    SECTION_321 = "86"


def _problems_of(error: TradeTraceError, field: str) -> list[FieldProblem]:
    if isinstance(error, InvalidDocument) and error.problems:
        return list(error.problems)
    return [FieldProblem(field, error.message)]


def _amount(raw: Decimal | int | str, field: str, problems: list[FieldProblem]) -> Decimal:
    try:
        amount = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except InvalidOperation:
        problems.append(FieldProblem(field, f"expected a decimal number, got {raw!r}"))
        return Decimal(0)
    if not amount.is_finite():
        problems.append(FieldProblem(field, f"expected a finite number, got {raw!r}"))
    elif amount < 0:
        problems.append(FieldProblem(field, f"must not be negative, got {amount}"))
    return amount


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryLine:
    """One line of an entry: what, from where, worth how much, and the preference claimed.

    ``value`` is the entered (customs) value in U.S. dollars, excluding duty, freight and
    insurance (customs.md §2.1). ``quantities`` maps HTS unit codes (``KG``, ``NO``, ``L`` ...) to
    amounts. ``preference_allowed`` is the rule engine's verdict on the ``spi`` claim.
    """

    hts10: HsCode
    origin: str
    value: Decimal
    quantities: tuple[tuple[str, Decimal], ...] = ()
    spi: str | None = None
    preference_allowed: bool = False

    @property
    def quantity_map(self) -> dict[str, Decimal]:
        """The quantities as a mapping by unit code."""
        return dict(self.quantities)

    @classmethod
    def parse(
        cls,
        *,
        hts10: str,
        origin: str,
        value: Decimal | int | str,
        quantities: Mapping[str, Decimal | int | str] | None = None,
        spi: str | None = None,
        preference_allowed: bool = False,
        prefix: str = "",
    ) -> EntryLine:
        """Validate loose inputs; ``prefix`` (``lines[2].``) goes before every field name."""
        problems: list[FieldProblem] = []
        code, country = HsCode(""), ""
        try:
            code = parse_hts(hts10, field=f"{prefix}hts10", digits=(10,))
        except InvalidDocument as exc:
            problems += _problems_of(exc, f"{prefix}hts10")
        try:
            country = parse_country(origin, field=f"{prefix}origin")
        except InvalidDocument as exc:
            problems += _problems_of(exc, f"{prefix}origin")
        amount = _amount(value, f"{prefix}value", problems)
        parsed: list[tuple[str, Decimal]] = []
        for unit, raw in (quantities or {}).items():
            name = unit.strip().upper()
            if not name.isalnum():
                problems.append(FieldProblem(f"{prefix}quantities", f"bad unit code {unit!r}"))
                continue
            parsed.append((name, _amount(raw, f"{prefix}quantities.{name}", problems)))
        claimed = spi.strip().upper() if spi and spi.strip() else None
        if claimed is not None:
            try:
                program_for_spi(claimed, field=f"{prefix}spi")
            except InvalidDocument as exc:
                problems += _problems_of(exc, f"{prefix}spi")
        if problems:
            raise InvalidDocument.from_problems("entry line", problems)
        return cls(
            hts10=code,
            origin=country,
            value=amount,
            quantities=tuple(sorted(parsed)),
            spi=claimed,
            preference_allowed=preference_allowed,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """An entry summary: its date, mode of transport, entry type and lines.

    ``mode`` is ``None`` when it is not known; only vessel cargo owes the HMF.
    """

    entry_date: date
    entry_type: EntryType
    mode: TransportMode | None
    lines: tuple[EntryLine, ...]

    @property
    def value(self) -> Decimal:
        """The entered value of all lines."""
        return sum((line.value for line in self.lines), Decimal(0))

    @classmethod
    def parse(
        cls,
        *,
        entry_date: date | str,
        lines: Sequence[EntryLine],
        entry_type: EntryType | str = EntryType.FORMAL,
        mode: TransportMode | str | None = None,
    ) -> Entry:
        """Validate the entry-level inputs and combine them with parsed lines."""
        problems: list[FieldProblem] = []
        on = date.min
        if isinstance(entry_date, date):
            on = entry_date
        else:
            try:
                on = date.fromisoformat(entry_date.strip())
            except ValueError:
                problems.append(
                    FieldProblem("entry_date", f"expected YYYY-MM-DD, got {entry_date!r}")
                )
        kind = EntryType.FORMAL
        try:
            kind = EntryType(entry_type)
        except ValueError:
            allowed = ", ".join(member.value for member in EntryType)
            problems.append(
                FieldProblem("entry_type", f"expected one of {allowed}, got {entry_type!r}")
            )
        how: TransportMode | None = None
        if mode is not None:
            try:
                how = TransportMode(mode.strip().lower() if isinstance(mode, str) else mode)
            except ValueError:
                allowed = ", ".join(member.value for member in TransportMode)
                problems.append(FieldProblem("mode", f"expected one of {allowed}, got {mode!r}"))
        if not lines:
            problems.append(FieldProblem("lines", "an entry needs at least one line"))
        if problems:
            raise InvalidDocument.from_problems("entry", problems)
        return cls(entry_date=on, entry_type=kind, mode=how, lines=tuple(lines))
