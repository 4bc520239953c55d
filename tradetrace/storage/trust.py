"""Accreditations of the trust registry in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tradetrace.organisations.model import Role
from tradetrace.storage.tables import AccreditationRow
from tradetrace.trust.registry import Accreditation, NewAccreditation

__all__ = ["AccreditationRepository"]


def _to_domain(row: AccreditationRow) -> Accreditation:
    return Accreditation(
        did=row.did,
        roles=tuple(Role(role) for role in row.roles),
        credential_types=tuple(row.credential_types),
        accredited_by=row.accredited_by,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        id=row.id,
    )


# Built once: the trust check of every verification runs it.
_FOR_DID = (
    select(AccreditationRow)
    .where(AccreditationRow.did == bindparam("did"))
    .order_by(AccreditationRow.id)
)


class AccreditationRepository:
    """Accreditations stored behind ``session``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, accreditation: NewAccreditation, *, now: datetime) -> Accreditation:
        """Store an accreditation."""
        row = AccreditationRow(
            did=accreditation.did,
            roles=[role.value for role in accreditation.roles],
            credential_types=list(accreditation.credential_types),
            accredited_by=accreditation.accredited_by,
            valid_from=accreditation.valid_from,
            valid_until=accreditation.valid_until,
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _to_domain(row)

    def for_did(self, did: str) -> list[Accreditation]:
        """Every accreditation of ``did``, oldest first."""
        rows = self._session.scalars(_FOR_DID, {"did": did})
        return [_to_domain(row) for row in rows]

    def list(self, *, limit: int = 1000) -> list[Accreditation]:
        """All accreditations, newest first."""
        rows = self._session.scalars(
            select(AccreditationRow).order_by(AccreditationRow.id.desc()).limit(limit)
        )
        return [_to_domain(row) for row in rows]
