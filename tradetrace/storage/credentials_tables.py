"""Tables of issued credentials and the status lists that can revoke or suspend them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tradetrace.storage.tables import Base
from tradetrace.storage.utc import UtcDateTime

__all__ = ["IssuedCredentialRow", "StatusListRow"]


class StatusListRow(Base):
    """A Bitstring Status List of one organisation for one purpose (revocation, suspension)."""

    __tablename__ = "status_list"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_slug: Mapped[str] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    bits: Mapped[bytes] = mapped_column(LargeBinary)
    next_index: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    credential: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IssuedCredentialRow(Base):
    """A credential this node issued for an organisation, with where its status bits are."""

    __tablename__ = "issued_credential"

    id: Mapped[str] = mapped_column(String(512), primary_key=True)
    organisation_slug: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64), index=True)
    document: Mapped[str] = mapped_column(Text)
    status_index: Mapped[int | None] = mapped_column(Integer)
    revocation_list_id: Mapped[str | None] = mapped_column(String(64))
    suspension_list_id: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
