"""The IPR recordations registry over HTTP: trademarks and copyrights recorded with CBP.

Anyone may read the registry (CBP's own IPR search is public); recording a right takes an
operator token.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from tradetrace.api.deps import ClockDep, SessionDep
from tradetrace.api.operators import CurrentOperator
from tradetrace.rules import Recordation
from tradetrace.workflows import recordations as recordations_workflow

__all__ = ["router"]

router = APIRouter(prefix="/api/recordations", tags=["recordations"])


class RecordationCreate(BaseModel):
    """A new recordation; every field is checked and each one at fault is named (400)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: str = Field(description="CBP recordation number, such as TMK 24-00123.")
    kind: str = Field(description="trademark or copyright.")
    mark: str = Field(description="Word mark or work title as it appears on goods.")
    owner: str = Field(description="Name of the rights holder.")
    owner_did: str = Field(description="DID of the rights holder, the root of licence chains.")
    valid_until: str = Field(description="Last day of the term (YYYY-MM-DD).")
    goods: list[str] = Field(default_factory=list, description="HS prefixes; empty: any goods.")
    replace: bool = Field(default=False, description="Update a recordation of the same number.")


class RecordationPublic(BaseModel):
    """A recordation as the API shows it."""

    model_config = ConfigDict(frozen=True)

    number: str
    kind: str
    mark: str
    owner: str
    owner_did: str
    valid_until: date
    goods: list[str]

    @classmethod
    def from_domain(cls, item: Recordation) -> RecordationPublic:
        """Render a stored recordation."""
        return cls(
            number=item.number,
            kind=item.kind.value,
            mark=item.mark,
            owner=item.owner,
            owner_did=item.owner_did,
            valid_until=item.valid_until,
            goods=list(item.goods),
        )


class RecordationList(BaseModel):
    """Recordations by number."""

    items: list[RecordationPublic]


@router.get("", response_model=RecordationList)
def list_recordations(
    session: SessionDep,
    on: Annotated[date | None, Query(description="Only those in force on this date.")] = None,
) -> RecordationList:
    """Every recordation by number, or those in force on ``on``."""
    found = recordations_workflow.list_recordations(session, on=on)
    return RecordationList(items=[RecordationPublic.from_domain(item) for item in found])


@router.get("/{number}", response_model=RecordationPublic)
def get_recordation(number: str, session: SessionDep) -> RecordationPublic:
    """One recordation; 404 if there is none."""
    return RecordationPublic.from_domain(recordations_workflow.get_recordation(session, number))


@router.post("", response_model=RecordationPublic, status_code=201)
def add_recordation(
    body: RecordationCreate, session: SessionDep, clock: ClockDep, _operator: CurrentOperator
) -> RecordationPublic:
    """Record a right; 400 names every invalid field, 409 if the number is taken. Operators
    only."""
    stored = recordations_workflow.add_recordation(
        session, number=body.number, kind=body.kind, mark=body.mark, owner=body.owner,
        owner_did=body.owner_did, valid_until=body.valid_until, goods=body.goods,
        replace=body.replace, now=clock(),
    )  # fmt: skip
    return RecordationPublic.from_domain(stored)
