"""OAuth clients and received presentations in the database (see :mod:`.oauth_tables`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tradetrace import oauth
from tradetrace.errors import Conflict, NotFound
from tradetrace.storage.oauth_tables import (
    OAuthClientRow,
    PresentationWorkflowRow,
    ReceivedPresentationRow,
)

__all__ = [
    "OAuthClient",
    "OAuthClientRepository",
    "ReceivedPresentation",
    "ReceivedPresentationRepository",
]


@dataclass(frozen=True, slots=True)
class OAuthClient:
    """A registered client: its organisation, allowed scopes and secret hash (RFC 6749 §2)."""

    id: str
    organisation_slug: str
    secret_hash: str
    scopes: frozenset[oauth.Scope]
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReceivedPresentation:
    """A presentation received at ``POST /presentations``, with its workflow keys."""

    id: str
    recipient_slug: str | None
    client_id: str
    holder: str | None
    digest: str
    document: str
    verified: bool
    report: dict[str, object]
    definitions: tuple[str, ...]
    instances: tuple[str, ...]
    replaces: str | None
    superseded_by: str | None
    received_at: datetime


def _client(row: OAuthClientRow) -> OAuthClient:
    return OAuthClient(
        id=row.id,
        organisation_slug=row.organisation_slug,
        secret_hash=row.secret_hash,
        scopes=oauth.parse_scopes(row.scopes, strict=False),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


class OAuthClientRepository:
    """OAuth clients behind ``session``; changes take effect when the session commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, client: OAuthClient) -> None:
        """Store a new client; :class:`Conflict` if its id is taken."""
        self._session.add(
            OAuthClientRow(
                id=client.id,
                organisation_slug=client.organisation_slug,
                secret_hash=client.secret_hash,
                scopes=oauth.format_scopes(client.scopes),
                created_at=client.created_at,
                revoked_at=client.revoked_at,
            )
        )
        try:
            self._session.flush()
        except IntegrityError:
            self._session.rollback()
            raise Conflict(f"OAuth client {client.id!r} already exists") from None

    def get(self, client_id: str) -> OAuthClient:
        """The client ``client_id``; :class:`NotFound` when there is none."""
        row = self._session.get(OAuthClientRow, client_id)
        if row is None:
            raise NotFound(f"no OAuth client {client_id[:80]!r}")
        return _client(row)

    def for_organisation(self, slug: str) -> list[OAuthClient]:
        """The clients of organisation ``slug``, oldest first."""
        rows = self._session.scalars(
            select(OAuthClientRow)
            .where(OAuthClientRow.organisation_slug == slug)
            .order_by(OAuthClientRow.created_at, OAuthClientRow.id)
        )
        return [_client(row) for row in rows]

    def revoke(self, client_id: str, *, now: datetime) -> None:
        """Revoke a client: its secret no longer gets tokens."""
        row = self._session.get(OAuthClientRow, client_id)
        if row is None:
            raise NotFound(f"no OAuth client {client_id[:80]!r}")
        row.revoked_at = row.revoked_at or now


class ReceivedPresentationRepository:
    """Received presentations behind ``session``; changes take effect on commit."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, presentation: ReceivedPresentation) -> None:
        """Store a presentation and its workflow keys.

        Raises:
            Conflict: a presentation with this id was already received (standards.md §2.1).
        """
        if self._session.get(ReceivedPresentationRow, presentation.id) is not None:
            raise Conflict(f"presentation {presentation.id[:200]} was already received")
        self._session.add(_row(presentation))
        try:
            self._session.flush()  # the row first: its workflow keys refer to it
        except IntegrityError:  # a concurrent request stored the same id first
            self._session.rollback()
            raise Conflict(f"presentation {presentation.id[:200]} was already received") from None
        self._session.add_all(
            PresentationWorkflowRow(presentation_id=presentation.id, kind=kind, value=value)
            for kind, values in (
                ("definition", presentation.definitions),
                ("instance", presentation.instances),
            )
            for value in values
        )

    def get(self, presentation_id: str) -> ReceivedPresentation:
        """The presentation ``presentation_id``; :class:`NotFound` when there is none."""
        row = self._session.get(ReceivedPresentationRow, presentation_id)
        if row is None:
            raise NotFound(f"no received presentation {presentation_id[:200]!r}")
        return self._presentation(row)

    def supersede(self, presentation_id: str, *, by: str) -> None:
        """Mark ``presentation_id`` as replaced by presentation ``by`` (``replace``)."""
        row = self._session.get(ReceivedPresentationRow, presentation_id)
        if row is None:
            raise NotFound(f"no received presentation {presentation_id[:200]!r} to replace")
        row.superseded_by = by

    def for_instance(self, instance: str) -> list[ReceivedPresentation]:
        """Every presentation of workflow instance ``instance``, in order of arrival: the
        workflow join (standards.md §2.1)."""
        rows = self._session.scalars(
            select(ReceivedPresentationRow)
            .join(
                PresentationWorkflowRow,
                PresentationWorkflowRow.presentation_id == ReceivedPresentationRow.id,
            )
            .where(PresentationWorkflowRow.kind == "instance")
            .where(PresentationWorkflowRow.value == instance)
            .order_by(ReceivedPresentationRow.received_at, ReceivedPresentationRow.id)
        )
        return [self._presentation(row) for row in rows]

    def newest(self, *, limit: int = 500) -> list[ReceivedPresentation]:
        """The ``limit`` presentations received last, newest first (the inbox)."""
        rows = self._session.scalars(
            select(ReceivedPresentationRow)
            .order_by(ReceivedPresentationRow.received_at.desc(), ReceivedPresentationRow.id)
            .limit(limit)
        )
        return [self._presentation(row) for row in rows]

    def _presentation(self, row: ReceivedPresentationRow) -> ReceivedPresentation:
        keys = self._session.scalars(
            select(PresentationWorkflowRow)
            .where(PresentationWorkflowRow.presentation_id == row.id)
            .order_by(PresentationWorkflowRow.id)
        ).all()
        return ReceivedPresentation(
            id=row.id,
            recipient_slug=row.recipient_slug,
            client_id=row.client_id,
            holder=row.holder,
            digest=row.digest,
            document=row.document,
            verified=row.verified,
            report=json.loads(row.report),
            definitions=_values(keys, "definition"),
            instances=_values(keys, "instance"),
            replaces=row.replaces,
            superseded_by=row.superseded_by,
            received_at=row.received_at,
        )


def _values(rows: Sequence[PresentationWorkflowRow], kind: str) -> tuple[str, ...]:
    return tuple(row.value for row in rows if row.kind == kind)


def _row(presentation: ReceivedPresentation) -> ReceivedPresentationRow:
    return ReceivedPresentationRow(
        id=presentation.id,
        recipient_slug=presentation.recipient_slug,
        client_id=presentation.client_id,
        holder=presentation.holder,
        digest=presentation.digest,
        document=presentation.document,
        verified=presentation.verified,
        report=json.dumps(presentation.report),
        replaces=presentation.replaces,
        superseded_by=presentation.superseded_by,
        received_at=presentation.received_at,
    )
