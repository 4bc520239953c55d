"""Repositories of relief programs: importers' attestations and the deferral ledger.

An attestation keeps the figures and document references an importer of record relies on
(19 CFR 24.1a(b): nothing is filed, the importer keeps the evidence for a later audit);
revisions are new rows, and the newest counts for entries recorded after it. The deferral
ledger has one row per entry evaluated under a program, with the verdict, the split of every
charge, the postponed due date and the payment status. Reading it back gives
:class:`~tradetrace.facilitation.relief.Deferral` values whose eligibility carries the codes of
the failed conditions only (what reports and statements use); the full explanation is
recomputed from the stored inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tradetrace.errors import Conflict, NotFound
from tradetrace.facilitation.relief import (
    Charge,
    Deferral,
    Eligibility,
    EntryRecord,
    ImporterRecord,
    PaymentMethod,
    Reason,
)
from tradetrace.storage.facilitation_tables import DeferralRow, ReliefAttestationRow

__all__ = [
    "Attestation",
    "DocumentReference",
    "LedgerEntry",
    "PaymentStatus",
    "ReliefRepository",
]


class PaymentStatus(StrEnum):
    """Where a ledger entry's postponed dollars stand."""

    DEFERRED = "deferred"
    PAID = "paid"
    NOT_DEFERRED = "not_deferred"


@dataclass(frozen=True, slots=True)
class DocumentReference:
    """A document the importer keeps as evidence: what it is and where to find it."""

    title: str
    reference: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Attestation:
    """An importer's hardship attestation under a program, as recorded."""

    id: int
    program_id: str
    importer: ImporterRecord
    comparison_period: str
    documents: tuple[DocumentReference, ...]
    attested_by: str
    attested_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerEntry:
    """A deferral ledger row: the deferral, the attestation it used and its payment status."""

    program_id: str
    deferral: Deferral
    attestation_id: int
    payment_status: PaymentStatus
    paid_date: date | None
    source: str
    recorded_by: str
    recorded_at: datetime


def _amounts(values: dict[str, str]) -> dict[Charge, Decimal]:
    return {Charge(key): Decimal(value) for key, value in values.items()}


def _strings(values: Iterable[tuple[Charge, Decimal]]) -> dict[str, str]:
    return {charge.value: f"{amount}" for charge, amount in values}


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _attestation(row: ReliefAttestationRow) -> Attestation:
    return Attestation(
        id=row.id,
        program_id=row.program_id,
        importer=ImporterRecord(
            ior=row.ior,
            name=row.importer_name,
            receipts_2019=Decimal(row.receipts_2019),
            receipts_2020=Decimal(row.receipts_2020),
            suspended=row.suspended,
        ),
        comparison_period=row.comparison_period,
        documents=tuple(DocumentReference(d["title"], d["reference"]) for d in row.documents),
        attested_by=row.attested_by,
        attested_at=row.attested_at,
    )


def _deferral(row: DeferralRow) -> Deferral:
    charges = _amounts(row.charges)
    paid = _amounts(row.paid)
    deferred = _amounts(row.deferred)
    entry = EntryRecord(
        entry_number=row.entry_number,
        ior=row.ior,
        port=row.port,
        entry_date=row.entry_date,
        entry_type=row.entry_type,
        payment=PaymentMethod(row.payment),
        charges=charges,
        paid=paid,
    )
    failed = tuple(Reason(code, "", "", False) for code in row.failed_reasons)
    eligibility = Eligibility(row.eligible, failed, row.due_date, row.original_due_date)
    zero = Decimal(0)
    return Deferral(
        entry=entry,
        eligibility=eligibility,
        deferred=deferred,
        due_on_original={
            charge: amount - paid.get(charge, zero) - deferred.get(charge, zero)
            for charge, amount in charges.items()
        },
        already_paid={charge: paid.get(charge, zero) for charge in charges},
    )


def _ledger_entry(row: DeferralRow) -> LedgerEntry:
    return LedgerEntry(
        program_id=row.program_id,
        deferral=_deferral(row),
        attestation_id=row.attestation_id,
        payment_status=PaymentStatus(row.payment_status),
        paid_date=row.paid_date,
        source=row.source,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


class ReliefRepository:
    """Attestations and the deferral ledger behind ``session``; the caller commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_attestations(
        self,
        program_id: str,
        importers: Sequence[ImporterRecord],
        *,
        comparison_period: str,
        documents: Sequence[DocumentReference] = (),
        by: str,
        now: datetime,
    ) -> list[Attestation]:
        """Record one attestation per importer (a revision when the importer has one)."""
        rows = [
            ReliefAttestationRow(
                program_id=program_id,
                ior=importer.ior,
                importer_name=importer.name,
                comparison_period=comparison_period,
                receipts_2019=f"{importer.receipts_2019}",
                receipts_2020=f"{importer.receipts_2020}",
                suspended=importer.suspended,
                documents=[{"title": d.title, "reference": d.reference} for d in documents],
                attested_by=by,
                attested_at=now,
            )
            for importer in importers
        ]
        self._session.add_all(rows)
        self._session.flush()
        return [_attestation(row) for row in rows]

    def latest_attestations(self, program_id: str, iors: Iterable[str]) -> dict[str, Attestation]:
        """The newest attestation of each of ``iors`` that has one, by IOR number."""
        wanted = sorted(set(iors))
        found: dict[str, Attestation] = {}
        for start in range(0, len(wanted), 500):
            rows = self._session.scalars(
                select(ReliefAttestationRow)
                .where(ReliefAttestationRow.program_id == program_id)
                .where(ReliefAttestationRow.ior.in_(wanted[start : start + 500]))
                .order_by(ReliefAttestationRow.id)
            )
            found.update((row.ior, _attestation(row)) for row in rows)
        return found

    def attestation(self, attestation_id: int) -> Attestation:
        """One attestation by id; raises :class:`~tradetrace.errors.NotFound`."""
        row = self._session.get(ReliefAttestationRow, attestation_id)
        if row is None:
            raise NotFound(f"attestation {attestation_id} not found")
        return _attestation(row)

    def add_deferrals(
        self,
        program_id: str,
        deferrals: Sequence[tuple[Deferral, int]],
        *,
        source: str,
        by: str,
        now: datetime,
    ) -> None:
        """Record evaluated entries, each with the id of the attestation it was evaluated on.

        Raises :class:`~tradetrace.errors.Conflict` when an entry is already in the ledger.
        """
        rows = []
        for deferral, attestation_id in deferrals:
            entry = deferral.entry
            status = PaymentStatus.DEFERRED if deferral.total_deferred > 0 else None
            rows.append(
                {
                    "program_id": program_id,
                    "entry_number": entry.entry_number,
                    "ior": entry.ior,
                    "attestation_id": attestation_id,
                    "port": entry.port,
                    "entry_date": entry.entry_date,
                    "entry_type": entry.entry_type,
                    "payment": entry.payment.value,
                    "charges": _strings(entry.charges.items()),
                    "paid": _strings(entry.paid.items()),
                    "deferred": _strings((c, a) for c, a in deferral.deferred.items() if a),
                    "eligible": deferral.eligibility.eligible,
                    "failed_reasons": [reason.code for reason in deferral.eligibility.failed],
                    "original_due_date": deferral.eligibility.original_due_date,
                    "due_date": deferral.due_date,
                    "deferred_cents": _cents(deferral.total_deferred),
                    "due_on_original_cents": _cents(deferral.total_due_on_original),
                    "payment_status": (status or PaymentStatus.NOT_DEFERRED).value,
                    "paid_date": None,
                    "source": source,
                    "recorded_by": by,
                    "recorded_at": now,
                }
            )
        try:
            for start in range(0, len(rows), 2000):
                self._session.execute(insert(DeferralRow), rows[start : start + 2000])
        except IntegrityError as exc:
            raise Conflict(f"an entry is already in the {program_id} deferral ledger") from exc

    def _row(self, program_id: str, entry_number: str) -> DeferralRow:
        row = self._session.scalars(
            select(DeferralRow)
            .where(DeferralRow.program_id == program_id)
            .where(DeferralRow.entry_number == entry_number)
        ).one_or_none()
        if row is None:
            raise NotFound(f"entry {entry_number} is not in the {program_id} deferral ledger")
        return row

    def get(self, program_id: str, entry_number: str) -> LedgerEntry:
        """One ledger entry; raises :class:`~tradetrace.errors.NotFound`."""
        return _ledger_entry(self._row(program_id, entry_number))

    def mark_paid(self, program_id: str, entry_number: str, *, paid_date: date) -> LedgerEntry:
        """Record that the postponed dollars of an entry were paid on ``paid_date``.

        Raises :class:`~tradetrace.errors.Conflict` unless the entry has postponed dollars
        that are not yet paid.
        """
        row = self._row(program_id, entry_number)
        if row.payment_status != PaymentStatus.DEFERRED.value:
            raise Conflict(
                f"entry {entry_number} has no unpaid postponed amount: it is {row.payment_status}"
            )
        row.payment_status = PaymentStatus.PAID.value
        row.paid_date = paid_date
        self._session.flush()
        return _ledger_entry(row)

    def entries(self, program_id: str, *, ior: str | None = None) -> list[LedgerEntry]:
        """Ledger entries of a program (or of one importer), by entry number."""
        query = select(DeferralRow).where(DeferralRow.program_id == program_id)
        if ior is not None:
            query = query.where(DeferralRow.ior == ior)
        rows = self._session.scalars(query.order_by(DeferralRow.entry_number))
        return [_ledger_entry(row) for row in rows]

    def count(self, program_id: str) -> int:
        """How many entries the program's ledger holds."""
        found = self._session.scalar(
            select(func.count())
            .select_from(DeferralRow)
            .where(DeferralRow.program_id == program_id)
        )
        return int(found or 0)
