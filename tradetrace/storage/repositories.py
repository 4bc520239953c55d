"""Repositories: read and write domain objects; rows never leave this package."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tradetrace.errors import Conflict, NotFound
from tradetrace.organisations.identifiers import IdentifierScheme
from tradetrace.organisations.model import (
    NewOrganisation,
    Organisation,
    OrganisationIdentifier,
    Role,
)
from tradetrace.storage.tables import OrganisationIdentifierRow, OrganisationRow

__all__ = ["OrganisationRepository"]


def _to_organisation(row: OrganisationRow) -> Organisation:
    return Organisation(
        id=row.id,
        slug=row.slug,
        name=row.name,
        country=row.country,
        roles=tuple(Role(role) for role in row.roles),
        identifiers=tuple(
            OrganisationIdentifier(IdentifierScheme(item.scheme), item.value)
            for item in row.identifiers
        ),
        created_at=row.created_at,
    )


class OrganisationRepository:
    """Organisations stored in the database behind ``session``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, organisation: NewOrganisation, *, now: datetime) -> Organisation:
        """Store a new organisation; :class:`Conflict` when its slug or an identifier is taken."""
        row = OrganisationRow(
            slug=organisation.slug,
            name=organisation.name,
            country=organisation.country,
            roles=[role.value for role in organisation.roles],
            created_at=now,
            identifiers=[
                OrganisationIdentifierRow(scheme=item.scheme.value, value=item.value)
                for item in organisation.identifiers
            ],
        )
        try:
            with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError as exc:
            raise Conflict(
                f"organisation {organisation.slug!r} or one of its identifiers already exists"
            ) from exc
        return _to_organisation(row)

    def get(self, slug: str) -> Organisation:
        """The organisation with ``slug``; :class:`NotFound` when there is none."""
        row = self._session.scalars(
            select(OrganisationRow).where(OrganisationRow.slug == slug)
        ).first()
        if row is None:
            raise NotFound(f"no organisation {slug!r}")
        return _to_organisation(row)

    def list(self, *, limit: int = 100, offset: int = 0) -> list[Organisation]:
        """Organisations in name order."""
        rows = self._session.scalars(
            select(OrganisationRow).order_by(OrganisationRow.name).limit(limit).offset(offset)
        )
        return [_to_organisation(row) for row in rows]

    def count(self) -> int:
        """How many organisations are stored."""
        return self._session.scalar(select(func.count()).select_from(OrganisationRow)) or 0
