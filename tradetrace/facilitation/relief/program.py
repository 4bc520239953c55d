"""Relief programs as data: who may postpone which payments, for how long, and why.

A :class:`ReliefProgram` is parsed from a JSON file, so the next program is a new file and not
new code. The 2020 COVID-19 postponement, ``us-covid-2020``, is bundled in ``programs/``: 19 CFR
24.1a as added by the temporary final rule CBP Dec. 20-05 (85 FR 22349, 22 Apr 2020), with the
operational notices (CSMS #42423171, #42421561, #43324033) and CBP's FAQ. Every rule carries the
citation that :mod:`~tradetrace.facilitation.relief.eligibility` repeats in its reasons.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from tradetrace.errors import InvalidDocument, NotFound
from tradetrace.facilitation.parsing import parse_json_model

__all__ = [
    "DateRange",
    "EntryTreatment",
    "EntryTypeRule",
    "EntryTypes",
    "ExcludedDuty",
    "ExcludedDutyRule",
    "HardshipTest",
    "LegalInstrument",
    "PaymentMethod",
    "PaymentRule",
    "PaymentRules",
    "ReliefProgram",
    "TradeRemedyRule",
    "load_program",
    "program_ids",
]

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
_YearMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
_WorkingDays = Annotated[int, Field(ge=1, le=20)]


class ExcludedDuty(StrEnum):
    """Trade-remedy duties that a program may exclude (EO 13916 §1; 19 CFR 24.1a)."""

    ANTIDUMPING = "ad"
    COUNTERVAILING = "cvd"
    SECTION_201 = "201"
    SECTION_232 = "232"
    SECTION_301 = "301"


class PaymentMethod(StrEnum):
    """How estimated duties are paid: single pay, daily statement or periodic monthly statement."""

    SINGLE = "single"
    DAILY = "daily"
    MONTHLY = "monthly"

    @property
    def label(self) -> str:
        """The method's name in messages (``periodic monthly statement``)."""
        return {"single": "single pay", "daily": "daily statement"}.get(
            self.value, "periodic monthly statement"
        )


class EntryTreatment(StrEnum):
    """What a program does with an entry type."""

    ELIGIBLE = "eligible"
    INFORMAL = "informal"
    TRADE_REMEDY = "trade_remedy"
    NOT_COVERED = "not_covered"


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class LegalInstrument(_Data):
    """One instrument the program rests on: a CFR section, an order, a notice."""

    citation: _Text
    title: _Text
    source: _Text


class DateRange(_Data):
    """An inclusive range of days."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


class EntryTypeRule(_Data):
    """One CBP entry type code (CBP Form 7501 block 2) and how the program treats it."""

    code: Annotated[str, StringConstraints(pattern=r"^\d{2}$")]
    name: _Text
    treatment: EntryTreatment


class EntryTypes(_Data):
    """The entry types the program knows; a code not listed is an input error."""

    citation: _Text
    informal_citation: _Text
    types: tuple[EntryTypeRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> EntryTypes:
        codes = [rule.code for rule in self.types]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"entry type codes listed twice: {', '.join(duplicates)}")
        return self

    def get(self, code: str) -> EntryTypeRule | None:
        """The rule for ``code``, or ``None`` when the program does not list it."""
        return next((rule for rule in self.types if rule.code == code), None)


class ExcludedDutyRule(_Data):
    """One excluded duty and the statute that imposes it."""

    duty: ExcludedDuty
    name: _Text
    statute: _Text


class TradeRemedyRule(_Data):
    """The excluded duties and whether one line taints the whole entry summary."""

    whole_entry_summary: bool
    citation: _Text
    exclusion_citation: _Text
    duties: tuple[ExcludedDutyRule, ...]

    def get(self, duty: ExcludedDuty) -> ExcludedDutyRule | None:
        """The rule for ``duty``, or ``None`` when the program does not exclude it."""
        return next((rule for rule in self.duties if rule.duty is duty), None)


class HardshipTest(_Data):
    """The importer test: operations suspended, and receipts below a share of the baseline."""

    threshold_percent: Annotated[Decimal, Field(gt=0, le=100)]
    baseline_year: int
    periods: tuple[_Text, ...] = Field(min_length=1)
    suspension: DateRange
    suspension_citation: _Text
    receipts_citation: _Text


class PaymentRule(_Data):
    """When one payment method's deposit is normally due, and when it is due once postponed.

    ``original``: ``working_days_after_entry`` (the ``working_days``-th working day after the
    entry date) or ``working_day_of_next_month`` (that working day of the month after the
    entry's month). ``deferred``: ``add_days`` (the original due date plus the program's days)
    or ``next_statement_on_or_after`` (the first monthly statement date on or after that day).
    ``published`` holds official due dates by entry month, which win over the computation.
    """

    original: Literal["working_days_after_entry", "working_day_of_next_month"]
    working_days: _WorkingDays
    deferred: Literal["add_days", "next_statement_on_or_after"]
    citation: _Text
    published: dict[_YearMonth, date] = Field(default_factory=dict)
    published_citation: str = ""

    @model_validator(mode="after")
    def _published_has_source(self) -> PaymentRule:
        if self.published and not self.published_citation.strip():
            raise ValueError("published due dates need a published_citation")
        return self


class PaymentRules(_Data):
    """The rule for each payment method, and the postponement itself."""

    deferral_days: Annotated[int, Field(ge=1, le=366)]
    deferral_citation: _Text
    no_refund_citation: _Text
    single: PaymentRule
    daily: PaymentRule
    monthly: PaymentRule

    def rule(self, method: PaymentMethod) -> PaymentRule:
        """The rule for ``method``."""
        return {"single": self.single, "daily": self.daily, "monthly": self.monthly}[method]


class ReliefProgram(_Data):
    """A payment-relief program, as data (for example 19 CFR 24.1a, ``us-covid-2020``)."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
    name: _Text
    legal_basis: tuple[LegalInstrument, ...] = Field(min_length=1)
    effective_date: date
    entry_period: DateRange
    entry_period_citation: _Text
    entry_types: EntryTypes
    trade_remedies: TradeRemedyRule
    hardship: HardshipTest
    payment: PaymentRules

    @classmethod
    def from_json(cls, text: str | bytes) -> ReliefProgram:
        """Parse a program file; raises :class:`~tradetrace.errors.InvalidDocument` per field."""
        return parse_json_model(cls, text, what="relief program")


def _bundled() -> Traversable:
    return resources.files("tradetrace.facilitation.relief").joinpath("programs")


def program_ids(folder: Traversable | None = None) -> tuple[str, ...]:
    """The ids of the programs in ``folder`` (default: the bundled ones), sorted."""
    entries = (folder or _bundled()).iterdir()
    names = (entry.name for entry in entries if entry.name.endswith(".json"))
    return tuple(sorted(name.removesuffix(".json") for name in names))


def load_program(program_id: str, folder: Traversable | None = None) -> ReliefProgram:
    """Load a program by id from ``folder`` (default: bundled, such as ``us-covid-2020``).

    ``folder`` holds one ``<id>.json`` file per program, so the next program is a new file.
    Raises :class:`~tradetrace.errors.NotFound` for an unknown id and
    :class:`~tradetrace.errors.InvalidDocument` for a malformed file or one whose ``id`` is
    not its name.
    """
    folder = folder or _bundled()
    if program_id not in program_ids(folder):
        known = ", ".join(program_ids(folder))
        raise NotFound(f"unknown relief program {program_id!r}: expected one of {known}")
    program = ReliefProgram.from_json(folder.joinpath(f"{program_id}.json").read_bytes())
    if program.id != program_id:
        raise InvalidDocument(
            f"relief program file {program_id}.json has id {program.id!r}: expected {program_id!r}"
        )
    return program
