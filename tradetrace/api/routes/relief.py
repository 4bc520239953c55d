"""Relief programs over HTTP: evaluate an entry, attestations, the deferral ledger, reports.

``POST /api/relief/evaluate`` and the program report are public (a computation and aggregate
figures); attestations, ledger entries, payments and statements name importers and need an
operator token. Amounts are decimal strings.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from tradetrace.api.deps import ClockDep, SessionDep
from tradetrace.api.operators import CurrentOperator
from tradetrace.facilitation.relief import Deferral, Eligibility, ImporterStatement
from tradetrace.storage.relief import DocumentReference, LedgerEntry
from tradetrace.workflows import relief

__all__ = ["router"]

router = APIRouter(prefix="/api/relief", tags=["relief"])

_Program = Annotated[str, Query(description="Relief program id.")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EvaluationRequest(_Frozen):
    """One entry and its importer's figures, as ``tradetrace relief evaluate`` takes them."""

    program: str = relief.DEFAULT_PROGRAM
    entry_date: date
    entry_type: str
    excluded_duties: list[str] = Field(default_factory=list)
    receipts_2019: str
    receipts_2020: str
    suspended: bool = False
    payment: str = "single"


class ReasonPublic(_Frozen):
    """One condition, whether it held, and the rule it comes from."""

    code: str
    message: str
    citation: str
    met: bool


class EligibilityPublic(_Frozen):
    """The verdict: eligible or not, every condition, and the postponed due date."""

    eligible: bool
    reasons: list[ReasonPublic]
    due_date: date | None
    original_due_date: date

    @classmethod
    def from_domain(cls, result: Eligibility) -> EligibilityPublic:
        """Render a verdict."""
        return cls(
            eligible=result.eligible,
            reasons=[
                ReasonPublic(code=r.code, message=r.message, citation=r.citation, met=r.met)
                for r in result.reasons
            ],
            due_date=result.due_date,
            original_due_date=result.original_due_date,
        )


class DocumentPublic(_Frozen):
    """Evidence the importer keeps: what it is and where to find it."""

    title: str = Field(min_length=1, max_length=200)
    reference: str = Field(min_length=1, max_length=500)


class AttestationCreate(_Frozen):
    """An importer's hardship attestation (19 CFR 24.1a(b))."""

    program: str = relief.DEFAULT_PROGRAM
    ior: str
    importer_name: str
    comparison_period: str = Field(description="One of the program's periods: `April 2020`.")
    receipts_2019: str
    receipts_2020: str
    suspended: bool
    documents: list[DocumentPublic] = Field(default_factory=list, max_length=50)


class AttestationPublic(_Frozen):
    """A recorded attestation."""

    id: int
    program: str
    ior: str
    importer_name: str
    comparison_period: str
    receipts_2019: str
    receipts_2020: str
    suspended: bool
    documents: list[DocumentPublic]
    attested_by: str
    attested_at: datetime


class EntryCreate(_Frozen):
    """An entry summary for the deferral ledger, with its estimated charges by kind."""

    program: str = relief.DEFAULT_PROGRAM
    entry_number: str
    ior: str
    port: str
    entry_date: date
    entry_type: str
    payment: str = "single"
    charges: dict[str, str] = Field(description="Charge code to amount: duty, mpf, hmf, 301 …")
    paid: dict[str, str] = Field(default_factory=dict)


class LedgerEntryPublic(_Frozen):
    """An entry in the deferral ledger: the verdict and where each dollar goes."""

    program: str
    entry_number: str
    ior: str
    port: str
    entry_date: date
    payment: str
    eligibility: EligibilityPublic
    deferred: dict[str, str]
    due_on_original: dict[str, str]
    already_paid: dict[str, str]
    total_deferred: str
    due_date: date | None
    payment_status: str
    paid_date: date | None

    @classmethod
    def from_domain(
        cls, program: str, deferral: Deferral, stored: LedgerEntry | None
    ) -> LedgerEntryPublic:
        """Render a deferral, with its ledger status when stored."""
        entry = deferral.entry

        def amounts(values: dict[str, object]) -> dict[str, str]:
            return {key: f"{value}" for key, value in values.items()}

        status = (
            stored.payment_status.value
            if stored
            else ("deferred" if deferral.total_deferred > 0 else "not_deferred")
        )
        return cls(
            program=program,
            entry_number=entry.entry_number,
            ior=entry.ior,
            port=entry.port,
            entry_date=entry.entry_date,
            payment=entry.payment.value,
            eligibility=EligibilityPublic.from_domain(deferral.eligibility),
            deferred=amounts({c.value: a for c, a in deferral.deferred.items()}),
            due_on_original=amounts({c.value: a for c, a in deferral.due_on_original.items()}),
            already_paid=amounts({c.value: a for c, a in deferral.already_paid.items()}),
            total_deferred=f"{deferral.total_deferred}",
            due_date=deferral.due_date,
            payment_status=status,
            paid_date=stored.paid_date if stored else None,
        )


class Payment(_Frozen):
    """When the postponed dollars were paid (default: today)."""

    paid_date: date | None = None


class StatementLinePublic(_Frozen):
    """One postponed entry on an importer's statement."""

    entry_number: str
    entry_date: date
    port: str
    payment: str
    original_due_date: date
    due_date: date
    amount: str


class StatementPublic(_Frozen):
    """What an importer owes on which postponed due date."""

    ior: str
    total: str
    by_due_date: dict[str, str]
    lines: list[StatementLinePublic]

    @classmethod
    def from_domain(cls, item: ImporterStatement) -> StatementPublic:
        """Render a statement."""
        return cls(
            ior=item.ior,
            total=f"{item.total}",
            by_due_date={
                day.isoformat(): f"{amount}" for day, amount in item.by_due_date().items()
            },
            lines=[
                StatementLinePublic(
                    entry_number=line.entry_number,
                    entry_date=line.entry_date,
                    port=line.port,
                    payment=line.payment.value,
                    original_due_date=line.original_due_date,
                    due_date=line.due_date,
                    amount=f"{line.amount}",
                )
                for line in item.lines
            ],
        )


class BreakdownPublic(_Frozen):
    """Importers, entries and dollars deferred within one month or port."""

    importers: int
    entries: int
    deferred: str


class ReportPublic(_Frozen):
    """The program report: totals, by entry month (YYYY-MM) and by port."""

    program: str
    entries_evaluated: int
    entries_eligible: int
    entries_deferred: int
    importers_deferring: int
    total_deferred: str
    by_month: dict[str, BreakdownPublic]
    by_port: dict[str, BreakdownPublic]
    ineligible_reasons: dict[str, int]


@router.post("/evaluate", response_model=EligibilityPublic)
def evaluate(body: EvaluationRequest) -> EligibilityPublic:
    """Is an entry eligible, why, and when is it due? Stores nothing."""
    result = relief.evaluate(
        body.program,
        entry_date=body.entry_date,
        entry_type=body.entry_type,
        excluded_duties=body.excluded_duties,
        receipts_2019=body.receipts_2019,
        receipts_2020=body.receipts_2020,
        suspended=body.suspended,
        payment=body.payment,
    )
    return EligibilityPublic.from_domain(result)


@router.post("/attestations", response_model=AttestationPublic, status_code=201)
def attest(
    body: AttestationCreate, session: SessionDep, clock: ClockDep, operator: CurrentOperator
) -> AttestationPublic:
    """Record an importer's attestation with its evidence; 400 names every field at fault."""
    stored = relief.attest(
        session,
        program_id=body.program,
        ior=body.ior,
        importer_name=body.importer_name,
        receipts_2019=body.receipts_2019,
        receipts_2020=body.receipts_2020,
        suspended=body.suspended,
        comparison_period=body.comparison_period,
        documents=[DocumentReference(d.title, d.reference) for d in body.documents],
        by=operator,
        now=clock(),
    )
    importer = stored.importer
    return AttestationPublic(
        id=stored.id,
        program=stored.program_id,
        ior=importer.ior,
        importer_name=importer.name,
        comparison_period=stored.comparison_period,
        receipts_2019=f"{importer.receipts_2019}",
        receipts_2020=f"{importer.receipts_2020}",
        suspended=importer.suspended,
        documents=[DocumentPublic(title=d.title, reference=d.reference) for d in stored.documents],
        attested_by=stored.attested_by,
        attested_at=stored.attested_at,
    )


@router.post("/entries", response_model=LedgerEntryPublic, status_code=201)
def record_entry(
    body: EntryCreate, session: SessionDep, clock: ClockDep, operator: CurrentOperator
) -> LedgerEntryPublic:
    """Evaluate an entry on its importer's attestation and add it to the deferral ledger."""
    entry = relief.parse_entry(
        entry_number=body.entry_number,
        ior=body.ior,
        port=body.port,
        entry_date=body.entry_date,
        entry_type=body.entry_type,
        payment=body.payment,
        charges=body.charges,
        paid=body.paid,
    )
    deferral = relief.record_entry(session, body.program, entry, by=operator, now=clock())
    return LedgerEntryPublic.from_domain(body.program, deferral, None)


@router.get("/entries/{entry_number}", response_model=LedgerEntryPublic)
def get_entry(
    entry_number: str,
    session: SessionDep,
    _operator: CurrentOperator,
    program: _Program = relief.DEFAULT_PROGRAM,
) -> LedgerEntryPublic:
    """A ledger entry with its full explanation."""
    stored, full = relief.explain_entry(session, program, entry_number)
    return LedgerEntryPublic.from_domain(program, full, stored)


@router.post("/entries/{entry_number}/payment", response_model=LedgerEntryPublic)
def pay(
    entry_number: str,
    body: Payment,
    session: SessionDep,
    clock: ClockDep,
    operator: CurrentOperator,
    program: _Program = relief.DEFAULT_PROGRAM,
) -> LedgerEntryPublic:
    """Record that the postponed dollars were paid; 409 when nothing is owed."""
    paid_on = body.paid_date or clock().date()
    stored = relief.mark_paid(session, program, entry_number, paid_date=paid_on, by=operator)
    return LedgerEntryPublic.from_domain(program, stored.deferral, stored)


@router.get("/statements/{ior}", response_model=StatementPublic)
def statement(
    ior: str,
    session: SessionDep,
    _operator: CurrentOperator,
    program: _Program = relief.DEFAULT_PROGRAM,
) -> StatementPublic:
    """An importer's statement of postponed entries and due dates."""
    return StatementPublic.from_domain(relief.statement(session, program, ior))


@router.get("/report", response_model=ReportPublic)
def report(session: SessionDep, program: _Program = relief.DEFAULT_PROGRAM) -> ReportPublic:
    """Importers, entries and dollars deferred, by entry month and by port."""
    return ReportPublic.model_validate(relief.program_report(session, program).to_json_dict())
