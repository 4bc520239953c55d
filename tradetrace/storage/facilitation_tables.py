"""Typed mappings of the facilitation tables: the case desk, its guidance and relief programs.

``inquiry_case`` holds each case's current state and its inquiry (as JSON); ``case_event`` is
its history, one row per step with who and when, appended and never changed. A case's status
link token is stored only as its SHA-256 digest. ``triage_policy`` keeps every version of the
operators' triage rules. ``relief_attestation`` keeps an importer's hardship figures and the
documents that back them; ``deferral`` is the deferral ledger, one row per entry evaluated under
a program. Amounts are strings or integer cents, never floats. Imported by
:mod:`tradetrace.storage.tables`, so Alembic sees one metadata.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tradetrace.storage.tables import Base
from tradetrace.storage.utc import UtcDateTime

__all__ = [
    "CaseEventRow",
    "DeferralRow",
    "GuidanceEntryRow",
    "InquiryCaseRow",
    "ReliefAttestationRow",
    "TriagePolicyRow",
]


class InquiryCaseRow(Base):
    """A case on the cargo-resolution desk: its number, state and inquiry."""

    __tablename__ = "inquiry_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(32), unique=True)
    status_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    requester_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    inquiry: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(32), index=True)
    assignee: Mapped[str | None] = mapped_column(String(200))
    priority_override: Mapped[str | None] = mapped_column(String(2))
    resolution: Mapped[str | None] = mapped_column(String(32))
    linked_entries: Mapped[list[str]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CaseEventRow(Base):
    """One step in a case's history: the action, who took it, when, and the states."""

    __tablename__ = "case_event"
    __table_args__ = (UniqueConstraint("case_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("inquiry_case.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)


class TriagePolicyRow(Base):
    """One version of the triage rules, as the operator submitted them."""

    __tablename__ = "triage_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    rules_version: Mapped[str] = mapped_column(String(500))
    rules: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class GuidanceEntryRow(Base):
    """A question and answer of the public guidance page."""

    __tablename__ = "guidance_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    question: Mapped[str] = mapped_column(String(500))
    answer: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(32))
    last_reviewed_date: Mapped[date] = mapped_column(Date)
    case_numbers: Mapped[list[str]] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReliefAttestationRow(Base):
    """An importer's hardship attestation under a program, kept for post-entry audit."""

    __tablename__ = "relief_attestation"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[str] = mapped_column(String(64))
    ior: Mapped[str] = mapped_column(String(20), index=True)
    importer_name: Mapped[str] = mapped_column(String(200))
    comparison_period: Mapped[str] = mapped_column(String(100))
    receipts_2019: Mapped[str] = mapped_column(String(40))
    receipts_2020: Mapped[str] = mapped_column(String(40))
    suspended: Mapped[bool] = mapped_column(Boolean)
    documents: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    attested_by: Mapped[str] = mapped_column(String(200))
    attested_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DeferralRow(Base):
    """An entry evaluated under a program: its facts, the verdict and where each dollar goes."""

    __tablename__ = "deferral"
    __table_args__ = (UniqueConstraint("program_id", "entry_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[str] = mapped_column(String(64))
    entry_number: Mapped[str] = mapped_column(String(20))
    ior: Mapped[str] = mapped_column(String(20), index=True)
    attestation_id: Mapped[int] = mapped_column(ForeignKey("relief_attestation.id"))
    port: Mapped[str] = mapped_column(String(4))
    entry_date: Mapped[date] = mapped_column(Date)
    entry_type: Mapped[str] = mapped_column(String(2))
    payment: Mapped[str] = mapped_column(String(16))
    charges: Mapped[dict[str, str]] = mapped_column(JSON)
    paid: Mapped[dict[str, str]] = mapped_column(JSON)
    deferred: Mapped[dict[str, str]] = mapped_column(JSON)
    eligible: Mapped[bool] = mapped_column(Boolean)
    failed_reasons: Mapped[list[str]] = mapped_column(JSON)
    original_due_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    deferred_cents: Mapped[int] = mapped_column(BigInteger)
    due_on_original_cents: Mapped[int] = mapped_column(BigInteger)
    payment_status: Mapped[str] = mapped_column(String(16))
    paid_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
