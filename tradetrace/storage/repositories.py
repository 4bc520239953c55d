"""Repositories: read and write domain objects; rows never leave this package."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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
from tradetrace.storage.tables import OrganisationIdentifierRow, OrganisationKeyRow, OrganisationRow

__all__ = ["OrganisationKey", "OrganisationRepository"]


@dataclass(frozen=True, slots=True)
class OrganisationKey:
    """The public record of an organisation's signing key."""

    fragment: str
    kind: str
    public_multibase: str
    created_at: datetime


def _to_organisation(row: OrganisationRow) -> Organisation:
    return Organisation(
        id=row.id,
        slug=row.slug,
        name=row.name,
        country=row.country,
        roles=tuple(Role(role) for role in row.roles),
        identifiers=tuple(
            OrganisationIdentifier(IdentifierScheme(item.scheme), item.value)
            for item in sorted(row.identifiers, key=lambda item: item.scheme)
        ),
        created_at=row.created_at,
        did=row.did,
    )


class OrganisationRepository:
    """Organisations stored in the database behind ``session``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, organisation: NewOrganisation, *, now: datetime, did: str | None = None
    ) -> Organisation:
        """Store a new organisation; :class:`Conflict` when its slug or an identifier is taken."""
        row = OrganisationRow(
            slug=organisation.slug,
            name=organisation.name,
            country=organisation.country,
            roles=[role.value for role in organisation.roles],
            did=did,
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
        return _to_organisation(self._row(slug))

    def by_did(self, did: str) -> Organisation:
        """The organisation whose DID is ``did``; :class:`NotFound` when there is none."""
        row = self._session.scalars(
            select(OrganisationRow).where(OrganisationRow.did == did)
        ).first()
        if row is None:
            raise NotFound(f"no organisation with DID {did}")
        return _to_organisation(row)

    def add_identifiers(
        self, slug: str, identifiers: Iterable[OrganisationIdentifier]
    ) -> tuple[Organisation, int]:
        """Give the organisation ``slug`` the identifiers in schemes it has none of; return it
        and how many were added. One it already has is left alone. All or nothing.

        Raises:
            NotFound: no organisation ``slug``.
            Conflict: it has another value in one of the schemes, or another organisation
                holds one of the identifiers.
        """
        row = self._row(slug)
        held = {item.scheme: item.value for item in row.identifiers}
        new: list[OrganisationIdentifierRow] = []
        for item in identifiers:
            current = held.get(item.scheme.value)
            if current is None:
                new.append(OrganisationIdentifierRow(scheme=item.scheme.value, value=item.value))
                held[item.scheme.value] = item.value
            elif current != item.value:
                raise Conflict(
                    f"identifiers.{item.scheme.value}: organisation {slug!r} already has "
                    f"{current}; an identifier is never changed"
                )
        if new:
            try:
                with self._session.begin_nested():
                    row.identifiers.extend(new)
                    self._session.flush()
            except IntegrityError as exc:
                self._session.expire(row, ["identifiers"])
                names = ", ".join(f"{item.scheme} {item.value}" for item in new)
                raise Conflict(f"another organisation already holds {names}") from exc
        return _to_organisation(row), len(new)

    def add_key(
        self, slug: str, *, fragment: str, kind: str, public_multibase: str, now: datetime
    ) -> OrganisationKey:
        """Record a signing key of the organisation ``slug``."""
        row = self._row(slug)
        key = OrganisationKeyRow(
            organisation_id=row.id,
            fragment=fragment,
            kind=kind,
            public_multibase=public_multibase,
            created_at=now,
        )
        try:
            with self._session.begin_nested():
                self._session.add(key)
        except IntegrityError as exc:
            raise Conflict(f"organisation {slug!r} already has a key {fragment!r}") from exc
        return OrganisationKey(fragment, kind, public_multibase, now)

    def keys(self, slug: str) -> list[OrganisationKey]:
        """The organisation's keys, oldest first."""
        row = self._row(slug)
        rows = self._session.scalars(
            select(OrganisationKeyRow)
            .where(OrganisationKeyRow.organisation_id == row.id)
            .order_by(OrganisationKeyRow.id)
        )
        return [
            OrganisationKey(item.fragment, item.kind, item.public_multibase, item.created_at)
            for item in rows
        ]

    def _row(self, slug: str) -> OrganisationRow:
        row = self._session.scalars(
            select(OrganisationRow).where(OrganisationRow.slug == slug)
        ).first()
        if row is None:
            raise NotFound(f"no organisation {slug!r}")
        return row

    def count(self) -> int:
        """How many organisations are stored."""
        return self._session.scalar(select(func.count()).select_from(OrganisationRow)) or 0

    # Defined last: inside the class body the name ``list`` would shadow the builtin.
    def list(self, *, limit: int = 100, offset: int = 0) -> list[Organisation]:
        """Organisations in name order."""
        rows = self._session.scalars(
            select(OrganisationRow).order_by(OrganisationRow.name).limit(limit).offset(offset)
        )
        return [_to_organisation(row) for row in rows]
