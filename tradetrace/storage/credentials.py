"""Issued credentials and their organisations' Bitstring Status Lists in the database."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tradetrace.credentials.status import Bitstring, StatusPurpose
from tradetrace.errors import Conflict, NotFound
from tradetrace.storage.credentials_tables import IssuedCredentialRow, StatusListRow

__all__ = [
    "IssuedCredential",
    "IssuedCredentialRepository",
    "StatusList",
    "StatusListRepository",
]


@dataclass(frozen=True, slots=True)
class StatusList:
    """One stored status list: whose, for what, its bits and its signed credential."""

    id: str
    organisation_slug: str
    purpose: StatusPurpose
    bits: Bitstring
    next_index: int
    version: int
    credential: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedCredential:
    """A credential this node issued, and where its status bits are."""

    id: str
    organisation_slug: str
    format: str
    digest: str
    document: str
    status_index: int | None
    revocation_list_id: str | None
    suspension_list_id: str | None
    issued_at: datetime


def _to_list(row: StatusListRow) -> StatusList:
    return StatusList(
        id=row.id,
        organisation_slug=row.organisation_slug,
        purpose=StatusPurpose(row.purpose),
        bits=Bitstring.from_bytes(row.bits),
        next_index=row.next_index,
        version=row.version,
        credential=row.credential,
        updated_at=row.updated_at,
    )


# Built once: verification asks for a list's version on every status check, and building the
# statement costs more than running it.
_LIST_VERSIONS = select(StatusListRow.id, StatusListRow.version).where(
    StatusListRow.id.in_(bindparam("list_ids", expanding=True))
)


class StatusListRepository:
    """Status lists behind ``session``; changes take effect when the session commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, list_id: str) -> StatusList:
        """The list ``list_id``; :class:`NotFound` when there is none."""
        row = self._session.get(StatusListRow, list_id)
        if row is None:
            raise NotFound(f"no status list {list_id!r}")
        return _to_list(row)

    def versions(self, list_ids: Sequence[str]) -> dict[str, int]:
        """The current version of each of the lists that exist (without their bits)."""
        rows = self._session.execute(_LIST_VERSIONS, {"list_ids": list(list_ids)})
        return {row.id: row.version for row in rows}

    def open_list(self, slug: str, purpose: StatusPurpose) -> StatusList | None:
        """The organisation's newest list for ``purpose`` that still has free entries."""
        row = self._session.scalars(
            select(StatusListRow)
            .where(StatusListRow.organisation_slug == slug, StatusListRow.purpose == purpose.value)
            .order_by(StatusListRow.updated_at.desc())
        ).first()
        if row is None or row.next_index >= len(row.bits) * 8:
            return None
        return _to_list(row)

    def create(self, slug: str, purpose: StatusPurpose, *, now: datetime) -> str:
        """A new, empty list for the organisation; its id (the credential is set later)."""
        list_id = uuid.uuid4().hex
        bits = Bitstring()
        self._session.add(
            StatusListRow(
                id=list_id,
                organisation_slug=slug,
                purpose=purpose.value,
                bits=bytes(bits.size // 8),
                next_index=0,
                version=0,
                credential="",
                updated_at=now,
            )
        )
        self._session.flush()
        return list_id

    def take_index(self, list_id: str) -> int:
        """Reserve the next free entry of a list (the row is locked until commit)."""
        row = self._session.scalars(
            select(StatusListRow).where(StatusListRow.id == list_id).with_for_update()
        ).one()
        index = row.next_index
        row.next_index = index + 1
        self._session.flush()
        return index

    def save(self, list_id: str, bits: Bitstring, credential: str, *, now: datetime) -> int:
        """Store new bits and their signed credential as the next version; the version."""
        row = self._session.get(StatusListRow, list_id, with_for_update=True)
        if row is None:
            raise NotFound(f"no status list {list_id!r}")
        row.bits = bits.to_bytes()
        row.credential = credential
        row.version += 1
        row.updated_at = now
        self._session.flush()
        return row.version


class IssuedCredentialRepository:
    """Credentials this node issued, behind ``session``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, issued: IssuedCredential) -> None:
        """Record an issued credential; :class:`Conflict` when its id was issued before."""
        row = IssuedCredentialRow(
            id=issued.id,
            organisation_slug=issued.organisation_slug,
            format=issued.format,
            digest=issued.digest,
            document=issued.document,
            status_index=issued.status_index,
            revocation_list_id=issued.revocation_list_id,
            suspension_list_id=issued.suspension_list_id,
            issued_at=issued.issued_at,
        )
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError as exc:
            raise Conflict(f"a credential with id {issued.id!r} was already issued") from exc

    def count_for(self, slug: str) -> int:
        """How many credentials organisation ``slug`` issued here."""
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(IssuedCredentialRow)
                .where(IssuedCredentialRow.organisation_slug == slug)
            )
            or 0
        )

    def get(self, credential_id: str) -> IssuedCredential:
        """The issued credential ``credential_id``; :class:`NotFound` when there is none."""
        row = self._session.get(IssuedCredentialRow, credential_id)
        if row is None:
            raise NotFound(f"no credential {credential_id!r} was issued here")
        return IssuedCredential(
            id=row.id,
            organisation_slug=row.organisation_slug,
            format=row.format,
            digest=row.digest,
            document=row.document,
            status_index=row.status_index,
            revocation_list_id=row.revocation_list_id,
            suspension_list_id=row.suspension_list_id,
            issued_at=row.issued_at,
        )
