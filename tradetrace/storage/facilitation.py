"""Repositories of the cargo-resolution desk: cases with their history, triage rules, guidance.

They take and return domain objects (:class:`~tradetrace.facilitation.cases.Case`,
:class:`~tradetrace.facilitation.guidance.GuidanceEntry`); rows stay in this package. A case's
history is append-only: :meth:`CaseRepository.save` inserts the events the stored case does not
have yet and refuses a case whose stored history is not a prefix of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tradetrace.errors import Conflict, NotFound
from tradetrace.facilitation.cases import Actor, Case, CaseEvent, CaseState, Inquiry, Role
from tradetrace.facilitation.cases.case import Action, Resolution
from tradetrace.facilitation.cases.vocabulary import InquiryCategory, Priority
from tradetrace.facilitation.guidance import GuidanceDraft, GuidanceEntry
from tradetrace.storage.facilitation_tables import (
    CaseEventRow,
    GuidanceEntryRow,
    InquiryCaseRow,
    TriagePolicyRow,
)

__all__ = [
    "CaseRepository",
    "GuidanceRepository",
    "StoredTriagePolicy",
    "TriagePolicyRepository",
    "case_number",
]


def case_number(year: int, serial: int) -> str:
    """The desk's case number: ``CRT-2020-000042`` (CRT for the Cargo Resolution Team)."""
    return f"CRT-{year:04d}-{serial:06d}"


def _event(row: CaseEventRow) -> CaseEvent:
    return CaseEvent(
        action=Action(row.action),
        actor=Actor(row.actor_id, Role(row.actor_role)),
        at=row.occurred_at,
        from_state=CaseState(row.from_state) if row.from_state else None,
        to_state=CaseState(row.to_state),
        note=row.note,
    )


def _case(row: InquiryCaseRow, events: Sequence[CaseEventRow]) -> Case:
    return Case(
        id=row.case_number,
        inquiry=Inquiry.parse(row.inquiry),
        requester_id=row.requester_id,
        received_at=row.received_at,
        state=CaseState(row.state),
        history=tuple(_event(event) for event in events),
        assignee=row.assignee,
        priority_override=Priority(row.priority_override) if row.priority_override else None,
        resolution=Resolution(row.resolution) if row.resolution else None,
        linked_entries=tuple(row.linked_entries),
    )


class CaseRepository:
    """Cases and their events behind ``session``; the caller commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, case: Case, *, token_hash: str) -> Case:
        """Store a new case; its number comes from the row id, and the case returned carries it.

        ``token_hash`` is the SHA-256 digest (hex) of the requester's status link token.
        """
        row = InquiryCaseRow(
            case_number=f"pending-{token_hash[:24]}",
            status_token_hash=token_hash,
            requester_id=case.requester_id,
            received_at=case.received_at,
            linked_entries=[],
            **self._fields(case),
        )
        self._session.add(row)
        self._session.flush()
        row.case_number = case_number(case.received_at.year, row.id)
        numbered = replace(case, id=row.case_number)
        self._append_events(row, numbered, start=0)
        self._session.flush()
        return numbered

    @staticmethod
    def _fields(case: Case) -> dict[str, object]:
        return {
            "category": case.inquiry.category.value,
            "subject": case.inquiry.subject,
            "inquiry": case.inquiry.model_dump(mode="json", exclude_none=True),
            "state": case.state.value,
            "assignee": case.assignee,
            "priority_override": case.priority_override.value if case.priority_override else None,
            "resolution": case.resolution.value if case.resolution else None,
            "updated_at": case.history[-1].at,
        }

    def _append_events(self, row: InquiryCaseRow, case: Case, *, start: int) -> None:
        for sequence, event in enumerate(case.history[start:], start=start):
            self._session.add(
                CaseEventRow(
                    case_id=row.id,
                    sequence=sequence,
                    action=event.action.value,
                    actor_id=event.actor.id,
                    actor_role=event.actor.role.value,
                    occurred_at=event.at,
                    from_state=event.from_state.value if event.from_state else None,
                    to_state=event.to_state.value,
                    note=event.note,
                )
            )

    def _row(self, number: str, *, for_update: bool = False) -> InquiryCaseRow:
        query = select(InquiryCaseRow).where(InquiryCaseRow.case_number == number)
        if for_update:
            query = query.with_for_update()
        row = self._session.scalars(query).one_or_none()
        if row is None:
            raise NotFound(f"case {number} not found")
        return row

    def _events(self, case_ids: Iterable[int]) -> dict[int, list[CaseEventRow]]:
        ids = list(case_ids)
        found: dict[int, list[CaseEventRow]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            rows = self._session.scalars(
                select(CaseEventRow)
                .where(CaseEventRow.case_id.in_(ids[start : start + 500]))
                .order_by(CaseEventRow.case_id, CaseEventRow.sequence)
            )
            for row in rows:
                found[row.case_id].append(row)
        return found

    def get(self, number: str, *, for_update: bool = False) -> Case:
        """The case with this number; ``for_update`` locks it until the transaction ends.

        Raises :class:`~tradetrace.errors.NotFound`.
        """
        row = self._row(number, for_update=for_update)
        return _case(row, self._events([row.id])[row.id])

    def find_by_token_hash(self, token_hash: str) -> Case | None:
        """The case whose status link token has this digest, or ``None``."""
        row = self._session.scalars(
            select(InquiryCaseRow).where(InquiryCaseRow.status_token_hash == token_hash)
        ).one_or_none()
        return None if row is None else _case(row, self._events([row.id])[row.id])

    def save(self, case: Case) -> None:
        """Store a changed case: its current fields and the events it gained.

        Raises :class:`~tradetrace.errors.Conflict` when the stored history is not a prefix of
        the case's history (someone else changed it meanwhile).
        """
        row = self._row(case.id)
        stored = self._session.scalar(
            select(func.count()).select_from(CaseEventRow).where(CaseEventRow.case_id == row.id)
        )
        count = int(stored or 0)
        if count > len(case.history):
            raise Conflict(f"case {case.id} changed meanwhile: reload it and try again")
        for name, value in self._fields(case).items():
            setattr(row, name, value)
        row.linked_entries = list(case.linked_entries)
        self._append_events(row, case, start=count)
        self._session.flush()

    def find(
        self,
        *,
        states: Iterable[CaseState] | None = None,
        category: InquiryCategory | None = None,
        limit: int = 1000,
    ) -> list[Case]:
        """Cases, newest first, optionally only in ``states`` and of ``category``."""
        query = select(InquiryCaseRow).order_by(InquiryCaseRow.received_at.desc())
        if states is not None:
            query = query.where(InquiryCaseRow.state.in_([state.value for state in states]))
        if category is not None:
            query = query.where(InquiryCaseRow.category == category.value)
        rows = list(self._session.scalars(query.limit(limit)))
        events = self._events(row.id for row in rows)
        return [_case(row, events[row.id]) for row in rows]

    def count_for_requester_prefix(self, prefix: str) -> int:
        """How many cases have a requester id starting with ``prefix`` (demo cases: ``demo:``)."""
        found = self._session.scalar(
            select(func.count())
            .select_from(InquiryCaseRow)
            .where(InquiryCaseRow.requester_id.startswith(prefix, autoescape=True))
        )
        return int(found or 0)


@dataclass(frozen=True, slots=True)
class StoredTriagePolicy:
    """One stored version of the triage rules: its revision, text and who changed it when."""

    revision: int
    rules_version: str
    rules: str
    changed_by: str
    changed_at: datetime


def _policy(row: TriagePolicyRow) -> StoredTriagePolicy:
    return StoredTriagePolicy(row.id, row.rules_version, row.rules, row.changed_by, row.changed_at)


class TriagePolicyRepository:
    """Every version of the operators' triage rules; the newest is in force."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def current(self) -> StoredTriagePolicy | None:
        """The newest version, or ``None`` when operators never changed the bundled rules."""
        row = self._session.scalars(
            select(TriagePolicyRow).order_by(TriagePolicyRow.id.desc()).limit(1)
        ).one_or_none()
        return None if row is None else _policy(row)

    def add(
        self, rules: str, *, rules_version: str, changed_by: str, now: datetime
    ) -> StoredTriagePolicy:
        """Store a new version (already validated by the caller)."""
        row = TriagePolicyRow(
            rules_version=rules_version, rules=rules, changed_by=changed_by, changed_at=now
        )
        self._session.add(row)
        self._session.flush()
        return _policy(row)

    def history(self, *, limit: int = 100) -> list[StoredTriagePolicy]:
        """Stored versions, newest first."""
        rows = self._session.scalars(
            select(TriagePolicyRow).order_by(TriagePolicyRow.id.desc()).limit(limit)
        )
        return [_policy(row) for row in rows]


def _guidance(row: GuidanceEntryRow) -> GuidanceEntry:
    return GuidanceEntry(
        slug=row.slug,
        question=row.question,
        answer=row.answer,
        category=InquiryCategory(row.category) if row.category else None,
        last_reviewed_date=row.last_reviewed_date,
        case_numbers=tuple(row.case_numbers),
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


class GuidanceRepository:
    """The guidance page's questions and answers."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def upsert(self, draft: GuidanceDraft, *, by: str, now: datetime) -> GuidanceEntry:
        """Create the entry with ``draft.slug`` or replace its question and answer."""
        row = self._session.scalars(
            select(GuidanceEntryRow).where(GuidanceEntryRow.slug == draft.slug)
        ).one_or_none()
        if row is None:
            row = GuidanceEntryRow(slug=draft.slug)
            self._session.add(row)
        row.question = draft.question
        row.answer = draft.answer
        row.category = draft.category.value if draft.category else None
        row.last_reviewed_date = draft.last_reviewed
        row.case_numbers = list(draft.case_numbers)
        row.updated_by = by
        row.updated_at = now
        self._session.flush()
        return _guidance(row)

    def get(self, slug: str) -> GuidanceEntry:
        """The entry with ``slug``; raises :class:`~tradetrace.errors.NotFound`."""
        row = self._session.scalars(
            select(GuidanceEntryRow).where(GuidanceEntryRow.slug == slug)
        ).one_or_none()
        if row is None:
            raise NotFound(f"guidance entry {slug!r} not found")
        return _guidance(row)

    def all(self) -> list[GuidanceEntry]:
        """Every entry, by category and question."""
        rows = self._session.scalars(
            select(GuidanceEntryRow).order_by(
                GuidanceEntryRow.category, GuidanceEntryRow.question, GuidanceEntryRow.id
            )
        )
        return [_guidance(row) for row in rows]
