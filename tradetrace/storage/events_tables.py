"""Typed mappings of the EPCIS event tables: events, their identifiers, capture jobs, credentials.

An event's primary key is its leaf index in the transparency log: every stored event was logged
once, so the index is unique, known before the row is written, and orders events by capture.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tradetrace.storage.tables import Base

__all__ = [
    "CaptureJobRow",
    "EventCredentialRow",
    "EventIdentifierRow",
    "EventRow",
]


class CaptureJobRow(Base):
    """One capture request and its outcome (EPCIS 2.0 REST binding, ``/capture/{captureID}``)."""

    __tablename__ = "epcis_capture_job"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    running: Mapped[bool] = mapped_column(Boolean)
    success: Mapped[bool] = mapped_column(Boolean)
    error_behaviour: Mapped[str] = mapped_column(String(16))
    errors: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    submitter: Mapped[str] = mapped_column(String(512))
    event_count: Mapped[int] = mapped_column(Integer)
    captured_count: Mapped[int] = mapped_column(Integer)
    duplicate_count: Mapped[int] = mapped_column(Integer)


class EventCredentialRow(Base):
    """A verifiable credential that carried events, with its verification at capture time."""

    __tablename__ = "epcis_event_credential"

    ledger_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    credential_id: Mapped[str | None] = mapped_column(String(512), index=True)
    issuer: Mapped[str] = mapped_column(String(512), index=True)
    digest: Mapped[str] = mapped_column(String(64), index=True)
    document: Mapped[str] = mapped_column(Text)
    verification: Mapped[dict[str, object]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EventRow(Base):
    """A captured EPCIS event: its wire form and the fields queries filter on."""

    __tablename__ = "epcis_event"

    ledger_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash_id: Mapped[str] = mapped_column(String(100), unique=True)
    event_type: Mapped[str] = mapped_column(String(32), index=True)
    action: Mapped[str | None] = mapped_column(String(8))
    event_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    record_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    biz_step: Mapped[str | None] = mapped_column(String(512), index=True)
    disposition: Mapped[str | None] = mapped_column(String(512), index=True)
    read_point: Mapped[str | None] = mapped_column(String(512), index=True)
    biz_location: Mapped[str | None] = mapped_column(String(512), index=True)
    capture_id: Mapped[str] = mapped_column(String(36), index=True)
    submitter: Mapped[str] = mapped_column(String(512))
    credential_index: Mapped[int | None] = mapped_column(
        ForeignKey("epcis_event_credential.ledger_index")
    )
    document: Mapped[str] = mapped_column(Text)


class EventIdentifierRow(Base):
    """One identifier an event names, in one role: the index traces and MATCH_ queries use.

    The primary key leads with the identifier, so all events of an object are one range.
    """

    __tablename__ = "epcis_event_identifier"
    __table_args__ = ({"sqlite_with_rowid": False},)

    identifier: Mapped[str] = mapped_column(String(512), primary_key=True)
    event_index: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("epcis_event.ledger_index"), primary_key=True, autoincrement=False
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    is_class: Mapped[bool] = mapped_column(Boolean)
    quantity: Mapped[float | None] = mapped_column(Float)
    uom: Mapped[str | None] = mapped_column(String(16))
