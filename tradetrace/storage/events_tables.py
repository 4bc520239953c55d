"""Typed mappings of the EPCIS event tables: events, their identifiers, capture jobs, credentials.

An event's primary key is its leaf index in the transparency log: every stored event was logged
once, so the index is unique, known before the row is written, and orders events by capture. On
SQLite the key is declared ``INTEGER`` so that it is the table's rowid: rows are stored in key
order, and an event is found by its index in one B-tree rather than through a second index.
Columns are indexed only where a query filters on them (EPCIS 2.0 §8.2.7.1 query parameters,
the Event Hash ID's digest, the identifiers of a trace); the event type and the capture id are
not.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tradetrace.storage.tables import Base
from tradetrace.storage.utc import UtcDateTime

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
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
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
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


_LEDGER_INDEX = BigInteger().with_variant(Integer, "sqlite")
_OPTIONAL_INDEXED = ("biz_step", "disposition", "read_point", "biz_location")
"""Optional event fields that queries filter on: indexed where present."""
"""The type of an event's ledger index key: ``INTEGER`` (the rowid) on SQLite, else BIGINT."""


class EventRow(Base):
    """A captured EPCIS event: its wire form and the fields queries filter on."""

    __tablename__ = "epcis_event"
    # A query asks for a value, never for NULL: events without one stay out of the index.
    __table_args__ = tuple(
        Index(
            f"ix_epcis_event_{name}",
            name,
            sqlite_where=text(f"{name} IS NOT NULL"),
            postgresql_where=text(f"{name} IS NOT NULL"),
        )
        for name in _OPTIONAL_INDEXED
    )

    ledger_index: Mapped[int] = mapped_column(_LEDGER_INDEX, primary_key=True, autoincrement=False)
    hash_id: Mapped[str] = mapped_column(String(100))
    # The SHA-256 inside hash_id, as 32 bytes: the unique key events are found and deduplicated
    # by. Digests are random, so every capture inserts all over this index: at 32 bytes a key
    # it is less than half the size of one on the 89-character hash ID, and so is its cost.
    digest: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    # Five values: an index would not narrow a query; scanning in ledger order does as well.
    event_type: Mapped[str] = mapped_column(String(32))
    action: Mapped[str | None] = mapped_column(String(8))
    event_time: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    record_time: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    biz_step: Mapped[str | None] = mapped_column(String(512))
    disposition: Mapped[str | None] = mapped_column(String(512))
    read_point: Mapped[str | None] = mapped_column(String(512))
    biz_location: Mapped[str | None] = mapped_column(String(512))
    capture_id: Mapped[str] = mapped_column(String(36))
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
