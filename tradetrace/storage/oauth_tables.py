"""Tables of the Traceability Interop API: OAuth clients and received presentations.

``oauth_client`` holds each registered client (RFC 6749 §2) with its secret's scrypt hash only.
``received_presentation`` holds each TraceablePresentation received at ``POST /presentations``
(standards.md §2.1: a duplicate id is refused), and ``presentation_workflow`` its workflow
definitions and instances, the keys of the workflow join.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tradetrace.storage.tables import Base
from tradetrace.storage.utc import UtcDateTime

__all__ = ["OAuthClientRow", "PresentationWorkflowRow", "ReceivedPresentationRow"]


class OAuthClientRow(Base):
    """An OAuth 2.0 client registered for an organisation (RFC 6749 §2.3.1 client password)."""

    __tablename__ = "oauth_client"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_slug: Mapped[str] = mapped_column(String(64), index=True)
    secret_hash: Mapped[str] = mapped_column(String(256))
    scopes: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReceivedPresentationRow(Base):
    """A presentation received through ``POST /presentations`` and its verification verdict."""

    __tablename__ = "received_presentation"

    id: Mapped[str] = mapped_column(String(512), primary_key=True)
    recipient_slug: Mapped[str | None] = mapped_column(String(64), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    holder: Mapped[str | None] = mapped_column(String(512))
    digest: Mapped[str] = mapped_column(String(64), index=True)
    document: Mapped[str] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(Boolean)
    report: Mapped[str] = mapped_column(Text)
    replaces: Mapped[str | None] = mapped_column(String(512))
    superseded_by: Mapped[str | None] = mapped_column(String(512))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PresentationWorkflowRow(Base):
    """One workflow ``definition`` or ``instance`` IRI of a received presentation."""

    __tablename__ = "presentation_workflow"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    presentation_id: Mapped[str] = mapped_column(
        ForeignKey("received_presentation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(512), index=True)
