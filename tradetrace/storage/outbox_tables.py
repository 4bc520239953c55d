"""Tables of outbound interop: the platforms we send to, and the outbox of presentations.

``interop_peer`` holds, per recipient DID, the OAuth client credentials that platform issued to
this node (RFC 6749 §2.3.1), the secret sealed (:mod:`tradetrace.oauth.sealing`), never in
clear. ``outbox_item`` holds every presentation queued for a recipient with its delivery state,
attempt count, next attempt time and last error, so nothing is lost while the recipient is down.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tradetrace.storage.tables import Base
from tradetrace.storage.utc import UtcDateTime

__all__ = ["InteropPeerRow", "OutboxItemRow"]


class InteropPeerRow(Base):
    """A platform this node sends presentations to, and how to get a token there."""

    __tablename__ = "interop_peer"

    did: Mapped[str] = mapped_column(String(512), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200))
    sealed_secret: Mapped[str] = mapped_column(Text)
    token_endpoint: Mapped[str | None] = mapped_column(String(1000))
    audience: Mapped[str | None] = mapped_column(String(1000))
    scope: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OutboxItemRow(Base):
    """A presentation queued for a recipient, and where its delivery stands."""

    __tablename__ = "outbox_item"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(512), index=True)
    sender_slug: Mapped[str | None] = mapped_column(String(64))
    presentation_id: Mapped[str] = mapped_column(String(512), index=True)
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(24), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
