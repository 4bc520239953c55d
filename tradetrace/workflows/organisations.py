"""Register and look up organisations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from tradetrace.organisations.model import NewOrganisation, Organisation, parse_identifiers
from tradetrace.storage.repositories import OrganisationRepository

__all__ = [
    "add_identifiers",
    "create_organisation",
    "get_organisation",
    "list_organisations",
]


def create_organisation(
    session: Session,
    *,
    slug: str,
    name: str,
    country: str,
    roles: Iterable[str] = (),
    identifiers: Mapping[str, str] | None = None,
    now: datetime,
) -> Organisation:
    """Validate and store a new organisation, committing on success."""
    new = NewOrganisation.parse(
        slug=slug, name=name, country=country, roles=roles, identifiers=identifiers
    )
    organisation = OrganisationRepository(session).add(new, now=now)
    session.commit()
    return organisation


def add_identifiers(
    session: Session, slug: str, identifiers: Mapping[str, str]
) -> tuple[Organisation, int]:
    """Validate ``identifiers`` (scheme to value) and give the organisation ``slug`` those in
    schemes it has none of, committing on success; return it and how many were added.

    Raises:
        InvalidDocument: an identifier is malformed or its scheme unknown (each one named).
        NotFound: no organisation ``slug``.
        Conflict: it has another value in one of the schemes (identifiers are never changed),
            or another organisation holds one of them. Nothing is added then.
    """
    parsed = parse_identifiers(identifiers)
    result = OrganisationRepository(session).add_identifiers(slug, parsed)
    session.commit()
    return result


def get_organisation(session: Session, slug: str) -> Organisation:
    """The organisation with ``slug``."""
    return OrganisationRepository(session).get(slug)


def list_organisations(
    session: Session, *, limit: int = 100, offset: int = 0
) -> list[Organisation]:
    """Organisations in name order."""
    return OrganisationRepository(session).list(limit=limit, offset=offset)
