"""Peers and the outbox of presentations in the database (see :mod:`.outbox_tables`).

Delivery never holds a database transaction open across an HTTP request: a sender first
*claims* the entries it will try (:meth:`OutboxRepository.claim`, which moves their next attempt
time past a lease so no other process picks them up meanwhile, ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, the write lock on SQLite), commits, sends, then records each outcome
(:meth:`OutboxRepository.record`). A sender that dies mid-way leaves its entries due again once
the lease passes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tradetrace.delivery import Attempt, DeliveryState
from tradetrace.errors import Conflict, NotFound
from tradetrace.storage.outbox_tables import InteropPeerRow, OutboxItemRow

__all__ = ["OutboxItem", "OutboxRepository", "Peer", "PeerRepository"]


@dataclass(frozen=True, slots=True)
class Peer:
    """A platform this node sends to: its DID, the client id it issued us, our sealed secret,
    its token endpoint and audience when they differ from the defaults, and the scope to ask."""

    did: str
    client_id: str
    sealed_secret: str = field(repr=False)
    token_endpoint: str | None
    audience: str | None
    scope: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A presentation queued for ``recipient`` and where its delivery stands."""

    id: str
    recipient: str
    sender_slug: str | None
    presentation_id: str
    body: str
    state: DeliveryState
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None


def _peer(row: InteropPeerRow) -> Peer:
    return Peer(
        did=row.did,
        client_id=row.client_id,
        sealed_secret=row.sealed_secret,
        token_endpoint=row.token_endpoint,
        audience=row.audience,
        scope=row.scope,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _item(row: OutboxItemRow) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        recipient=row.recipient,
        sender_slug=row.sender_slug,
        presentation_id=row.presentation_id,
        body=row.body,
        state=DeliveryState(row.state),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_status=row.last_status,
        last_error=row.last_error,
        created_at=row.created_at,
        updated_at=row.updated_at,
        delivered_at=row.delivered_at,
    )


class PeerRepository:
    """Peers behind ``session``; changes take effect when the session commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, peer: Peer) -> Peer:
        """Store ``peer``, replacing the credentials of a peer with the same DID (whose
        ``created_at`` is kept); return what is stored."""
        row = self._session.get(InteropPeerRow, peer.did)
        if row is None:
            row = InteropPeerRow(did=peer.did, created_at=peer.created_at)
            self._session.add(row)
        row.client_id, row.sealed_secret = peer.client_id, peer.sealed_secret
        row.token_endpoint, row.audience = peer.token_endpoint, peer.audience
        row.scope, row.updated_at = peer.scope, peer.updated_at
        self._session.flush()
        return _peer(row)

    def get(self, did: str) -> Peer:
        """The peer ``did``; :class:`NotFound` when none is registered."""
        row = self._session.get(InteropPeerRow, did)
        if row is None:
            raise NotFound(f"no peer {did[:200]}: register it with `tradetrace peer add`")
        return _peer(row)

    def all(self) -> list[Peer]:
        """Every peer, by DID."""
        return [_peer(row) for row in self._session.scalars(select(InteropPeerRow).order_by("did"))]

    def remove(self, did: str) -> None:
        """Forget the peer ``did`` (queued entries for it stay, and wait for a new entry)."""
        row = self._session.get(InteropPeerRow, did)
        if row is None:
            raise NotFound(f"no peer {did[:200]}")
        self._session.delete(row)


class OutboxRepository:
    """Outbox entries behind ``session``; changes take effect when the session commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, item: OutboxItem) -> None:
        """Store a new entry; :class:`Conflict` if its id is taken."""
        if self._session.get(OutboxItemRow, item.id) is not None:
            raise Conflict(f"outbox entry {item.id} already exists")
        self._session.add(
            OutboxItemRow(
                id=item.id, recipient=item.recipient, sender_slug=item.sender_slug,
                presentation_id=item.presentation_id, body=item.body, state=item.state.value,
                attempts=item.attempts, next_attempt_at=item.next_attempt_at,
                last_status=item.last_status, last_error=item.last_error,
                created_at=item.created_at, updated_at=item.updated_at,
                delivered_at=item.delivered_at,
            )
        )  # fmt: skip
        self._session.flush()

    def entries(
        self, *, states: Collection[DeliveryState] = (), limit: int = 1000
    ) -> list[OutboxItem]:
        """Entries, newest first, optionally only those in ``states``."""
        query = select(OutboxItemRow).order_by(
            OutboxItemRow.created_at.desc(), OutboxItemRow.id.desc()
        )
        if states:
            query = query.where(OutboxItemRow.state.in_([state.value for state in states]))
        return [_item(row) for row in self._session.scalars(query.limit(limit))]

    def claim(
        self,
        *,
        now: datetime,
        until: datetime,
        limit: int,
        ids: Collection[str] = (),
        due_only: bool = True,
    ) -> list[OutboxItem]:
        """Take up to ``limit`` pending entries (due by ``now`` unless ``due_only`` is false;
        only ``ids`` when given), oldest first, and hold them until ``until``."""
        pending = [state.value for state in DeliveryState if state.pending]
        query = (
            select(OutboxItemRow)
            .where(OutboxItemRow.state.in_(pending))
            .order_by(OutboxItemRow.created_at, OutboxItemRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if due_only:
            query = query.where(
                or_(OutboxItemRow.next_attempt_at.is_(None), OutboxItemRow.next_attempt_at <= now)
            )
        if ids:
            query = query.where(OutboxItemRow.id.in_(list(ids)))
        claimed = []
        for row in self._session.scalars(query):
            row.next_attempt_at, row.updated_at = until, now
            claimed.append(_item(row))
        return claimed

    def record(
        self, item_id: str, attempt: Attempt, *, now: datetime, next_attempt_at: datetime | None
    ) -> OutboxItem:
        """Record one attempt on ``item_id``: its state, status and message, one more attempt,
        and when to try again (``None`` once the entry is settled)."""
        row = self._session.get(OutboxItemRow, item_id)
        if row is None:
            raise NotFound(f"no outbox entry {item_id[:80]!r}")
        row.state, row.attempts = attempt.state.value, row.attempts + 1
        row.last_status, row.updated_at = attempt.status_code, now
        row.last_error = None if attempt.state is DeliveryState.SENT else attempt.message
        row.next_attempt_at = next_attempt_at if attempt.state.pending else None
        if attempt.state in (DeliveryState.SENT, DeliveryState.DUPLICATE):
            row.delivered_at = now
        return _item(row)
