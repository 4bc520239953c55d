"""The trust registry over HTTP: accreditations and trust checks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from tradetrace.api.deps import ClockDep, SessionDep
from tradetrace.api.operators import CurrentOperator
from tradetrace.trust.registry import Accreditation
from tradetrace.workflows import trust as trust_workflow

__all__ = ["router"]

router = APIRouter(prefix="/api/trust", tags=["trust"])


class AccreditationCreate(BaseModel):
    """A new accreditation of a DID."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    did: str
    roles: list[str] = Field(default_factory=list)
    credential_types: list[str] = Field(default_factory=list)
    accredited_by: str
    valid_from: datetime | None = Field(default=None, description="Default: now.")
    valid_until: datetime | None = None


class AccreditationPublic(BaseModel):
    """An accreditation as the API shows it."""

    model_config = ConfigDict(frozen=True)

    id: int
    did: str
    roles: list[str]
    credential_types: list[str]
    accredited_by: str
    valid_from: datetime
    valid_until: datetime | None

    @classmethod
    def from_domain(cls, item: Accreditation) -> AccreditationPublic:
        """Render a stored accreditation."""
        return cls(
            id=item.id,
            did=item.did,
            roles=[role.value for role in item.roles],
            credential_types=list(item.credential_types),
            accredited_by=item.accredited_by,
            valid_from=item.valid_from,
            valid_until=item.valid_until,
        )


class AccreditationList(BaseModel):
    """Every accreditation, newest first."""

    items: list[AccreditationPublic]


class TrustCheck(BaseModel):
    """Whether a DID is trusted to issue a credential of the given types."""

    trusted: bool
    code: str
    message: str


@router.get("/accreditations", response_model=AccreditationList)
def list_accreditations(session: SessionDep) -> AccreditationList:
    """Every accreditation, newest first."""
    found = trust_workflow.list_accreditations(session)
    return AccreditationList(items=[AccreditationPublic.from_domain(item) for item in found])


@router.post("/accreditations", response_model=AccreditationPublic, status_code=201)
def accredit(
    body: AccreditationCreate, session: SessionDep, clock: ClockDep, _operator: CurrentOperator
) -> AccreditationPublic:
    """Accredit a DID for roles and credential types; 400 names every invalid field."""
    now = clock()
    stored = trust_workflow.accredit(
        session,
        did=body.did,
        roles=body.roles,
        credential_types=body.credential_types,
        accredited_by=body.accredited_by,
        valid_from=body.valid_from or now,
        valid_until=body.valid_until,
        now=now,
    )
    return AccreditationPublic.from_domain(stored)


@router.get("/check", response_model=TrustCheck)
def check(
    session: SessionDep,
    clock: ClockDep,
    did: Annotated[str, Query(description="Issuer DID.")],
    credential_type: Annotated[list[str], Query(alias="type", min_length=1)],
    at: Annotated[datetime | None, Query(description="Moment to check; default now.")] = None,
) -> TrustCheck:
    """Is ``did`` accredited to issue a credential of these types at ``at``?"""
    decision = trust_workflow.check_issuer(
        session, issuer=did, credential_types=credential_type, at=at or clock()
    )
    return TrustCheck(trusted=decision.trusted, code=decision.code, message=decision.message)
