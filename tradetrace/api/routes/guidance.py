"""The guidance page's questions and answers over HTTP: public to read, operators edit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, ConfigDict

from tradetrace.api.deps import ClockDep, SessionDep
from tradetrace.api.operators import CurrentOperator
from tradetrace.facilitation.guidance import GuidanceEntry
from tradetrace.workflows import guidance

__all__ = ["router"]

router = APIRouter(prefix="/api/guidance", tags=["guidance"])


class GuidancePublic(BaseModel):
    """A question and its answer, when the answer was last reviewed, the cases it links to."""

    model_config = ConfigDict(frozen=True)

    slug: str
    question: str
    answer: str
    category: str | None
    last_reviewed: date
    case_numbers: list[str]
    updated_by: str
    updated_at: datetime

    @classmethod
    def from_domain(cls, entry: GuidanceEntry) -> GuidancePublic:
        """Render an entry."""
        return cls(
            slug=entry.slug,
            question=entry.question,
            answer=entry.answer,
            category=entry.category.value if entry.category else None,
            last_reviewed=entry.last_reviewed_date,
            case_numbers=list(entry.case_numbers),
            updated_by=entry.updated_by,
            updated_at=entry.updated_at,
        )


class GuidanceList(BaseModel):
    """Entries matching the search, by category and question."""

    model_config = ConfigDict(frozen=True)

    items: list[GuidancePublic]


@router.get("", response_model=GuidanceList)
def list_guidance(
    session: SessionDep,
    q: Annotated[str, Query(max_length=200, description="Words that must all appear.")] = "",
) -> GuidanceList:
    """Every entry, or those whose question or answer contains every word of ``q``."""
    found = guidance.list_guidance(session, query=q)
    return GuidanceList(items=[GuidancePublic.from_domain(entry) for entry in found])


@router.get("/{slug}", response_model=GuidancePublic)
def get_guidance(slug: str, session: SessionDep) -> GuidancePublic:
    """One entry."""
    return GuidancePublic.from_domain(guidance.get_guidance(session, slug))


@router.put("/{slug}", response_model=GuidancePublic)
def put_guidance(
    slug: str,
    data: Annotated[
        dict[str, Any],
        Body(description="question, answer, category, last_reviewed (YYYY-MM-DD), case_numbers"),
    ],
    session: SessionDep,
    clock: ClockDep,
    operator: CurrentOperator,
) -> GuidancePublic:
    """Create or replace an entry; 400 names every field at fault. Operators only."""
    entry = guidance.save_guidance(session, {**data, "slug": slug}, by=operator, now=clock())
    return GuidancePublic.from_domain(entry)
