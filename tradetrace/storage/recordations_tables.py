"""Typed mapping of the IPR recordations table (19 CFR Part 133; customs.md §6.2).

``ipr_recordation`` holds one row per CBP recordation number: the kind of right, the mark as it
appears on goods, the owner (name and DID), the last day of the term and the HS headings of the
goods it covers.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from tradetrace.storage.tables import Base
from tradetrace.storage.utc import UtcDateTime

__all__ = ["RecordationRow"]


class RecordationRow(Base):
    """A trademark or copyright recorded with CBP."""

    __tablename__ = "ipr_recordation"

    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    mark: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200))
    owner_did: Mapped[str] = mapped_column(String(512))
    valid_until_date: Mapped[date] = mapped_column(Date, index=True)
    goods: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
