"""Tables of filed customs entries and the decisions taken on them.

``customs_entry_version`` keeps every version of an entry as filed (CBP Form 3461/7501 data; a
correction files a new version, the earlier ones stay), each with the digest logged on the
ledger and the workflow instances whose presentations make up its case.
``customs_decision`` keeps every decision taken on an entry: the recommendation, the decision
document with its findings and duties, and the plain-words explanation.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tradetrace.storage.tables import Base
from tradetrace.storage.utc import UtcDateTime

__all__ = ["CustomsDecisionRow", "CustomsEntryVersionRow"]


class CustomsEntryVersionRow(Base):
    """One version of a filed entry."""

    __tablename__ = "customs_entry_version"

    entry_number: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_type: Mapped[str] = mapped_column(String(2))
    importer_number: Mapped[str | None] = mapped_column(String(16))
    entry_date: Mapped[date] = mapped_column(Date, index=True)
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    document: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64), index=True)
    credential: Mapped[str | None] = mapped_column(Text)
    submitter: Mapped[str] = mapped_column(String(512))
    instances: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CustomsDecisionRow(Base):
    """One decision on one version of an entry."""

    __tablename__ = "customs_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_number: Mapped[str] = mapped_column(String(16), index=True)
    entry_version: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recommendation: Mapped[str] = mapped_column(String(32))
    document: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64), index=True)
