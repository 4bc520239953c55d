"""The public guidance page as use cases: read and search it, and let operators edit it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tradetrace.errors import FieldProblem, Forbidden, InvalidDocument, NotFound
from tradetrace.facilitation.cases import Actor, Role
from tradetrace.facilitation.guidance import GuidanceDraft, GuidanceEntry, search_guidance
from tradetrace.storage.facilitation import CaseRepository, GuidanceRepository

__all__ = ["get_guidance", "guidance_citing", "list_guidance", "save_guidance"]


def list_guidance(session: Session, *, query: str = "") -> tuple[GuidanceEntry, ...]:
    """Every entry (by category and question) containing every word of ``query``."""
    return search_guidance(GuidanceRepository(session).all(), query)


def get_guidance(session: Session, slug: str) -> GuidanceEntry:
    """One entry; raises :class:`~tradetrace.errors.NotFound`."""
    return GuidanceRepository(session).get(slug)


def guidance_citing(session: Session, case_number: str) -> tuple[GuidanceEntry, ...]:
    """The entries whose answers link to the case ``case_number``."""
    entries = GuidanceRepository(session).all()
    return tuple(entry for entry in entries if case_number in entry.case_numbers)


def save_guidance(
    session: Session, data: Mapping[str, Any], *, by: Actor, now: datetime
) -> GuidanceEntry:
    """Create or replace an entry (operators only) and commit.

    Raises :class:`~tradetrace.errors.Forbidden` for a requester and
    :class:`~tradetrace.errors.InvalidDocument` naming every field at fault, including a linked
    case number that does not exist.
    """
    if by.role is not Role.OPERATOR:
        raise Forbidden(f"only operators edit the guidance page, not {by.id}")
    draft = GuidanceDraft.parse(data)
    cases = CaseRepository(session)
    problems = []
    for index, number in enumerate(draft.case_numbers):
        try:
            cases.get(number)
        except NotFound:
            problems.append(FieldProblem(f"case_numbers[{index}]", f"case {number} not found"))
    if problems:
        raise InvalidDocument.from_problems("guidance entry", problems)
    entry = GuidanceRepository(session).upsert(draft, by=by.id, now=now)
    session.commit()
    return entry
