"""Organisations: list, look up, register."""

from __future__ import annotations

from fastapi import APIRouter, Query

from tradetrace.api.deps import ClockDep, SessionDep, SettingsDep
from tradetrace.api.operators import CurrentOperator
from tradetrace.api.schemas import (
    OrganisationCreate,
    OrganisationIdentifiersAdd,
    OrganisationList,
    OrganisationPublic,
)
from tradetrace.workflows import identity, organisations

__all__ = ["router"]

router = APIRouter(prefix="/api/organisations", tags=["organisations"])


@router.get("", response_model=OrganisationList)
def list_organisations(
    session: SessionDep,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> OrganisationList:
    """Organisations in name order."""
    found = organisations.list_organisations(session, limit=limit, offset=offset)
    return OrganisationList(items=[OrganisationPublic.from_domain(item) for item in found])


@router.get("/{slug}", response_model=OrganisationPublic)
def get_organisation(slug: str, session: SessionDep) -> OrganisationPublic:
    """One organisation."""
    return OrganisationPublic.from_domain(organisations.get_organisation(session, slug))


@router.post("", response_model=OrganisationPublic, status_code=201)
def create_organisation(
    body: OrganisationCreate,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    _operator: CurrentOperator,
) -> OrganisationPublic:
    """Register an organisation with a did:web and signing keys (P-256, Ed25519).

    400 names every invalid field; 409 when the slug or an identifier exists.
    """
    created = identity.create_organisation(
        session,
        settings,
        slug=body.slug,
        name=body.name,
        country=body.country,
        roles=body.roles,
        identifiers=body.identifiers,
        now=clock(),
    )
    return OrganisationPublic.from_domain(created)


@router.post("/{slug}/identifiers", response_model=OrganisationPublic)
def add_identifiers(
    slug: str,
    body: OrganisationIdentifiersAdd,
    session: SessionDep,
    _operator: CurrentOperator,
) -> OrganisationPublic:
    """Give an organisation identifiers in schemes it has none of; one it already has is left
    alone. Returns the organisation.

    400 names every invalid identifier; 404 for an unknown organisation; 409 when it holds
    another value in one of the schemes (identifiers are never changed) or another organisation
    holds one of them; nothing is added then.
    """
    updated, _added = organisations.add_identifiers(session, slug, body.identifiers)
    return OrganisationPublic.from_domain(updated)
