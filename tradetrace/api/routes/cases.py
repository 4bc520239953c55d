"""The cargo-resolution desk over HTTP: inquiries, the queue, case actions, triage rules.

Anyone may file an inquiry (``POST /api/cases``) and gets a case number and a status token,
shown once. With ``Authorization: Bearer STATUS_TOKEN`` the requester reads their own case and
replies to it; with an operator token an operator reads any case, works the queue and changes
state. Without a valid token: 401; a requester attempting an operator's step or another case:
403; a step the case's state does not allow: 409.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from tradetrace.api.deps import ClockDep, SessionDep, SettingsDep
from tradetrace.api.operators import CurrentActor, CurrentOperator
from tradetrace.facilitation.cases import (
    Case,
    CaseState,
    InquiryCategory,
    Priority,
    QueueEntry,
    Resolution,
    Role,
    Triage,
    answer_case,
    assign_case,
    close_case,
    escalate_case,
    link_entry,
    reply_to_case,
    request_information,
    triage_case,
)
from tradetrace.workflows import cases, guidance

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["cases"])


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CaseCreated(_Frozen):
    """A new case: its number and the status link, whose token is shown only here."""

    number: str
    state: str
    priority: str
    due_by: datetime
    status_token: str = Field(description="Bearer token of the requester; not stored in clear.")
    status_url: str


class EventPublic(_Frozen):
    """One recorded step: what, who (and in which role), when, the states, a note."""

    action: str
    actor: str
    role: str
    at: datetime
    from_state: str | None
    to_state: str
    note: str


class RuleMatchPublic(_Frozen):
    """A triage rule that matched, and its points."""

    rule_id: str
    points: int
    detail: str


class CaseSummary(_Frozen):
    """A case in a list: where it stands and when it is due."""

    number: str
    state: str
    category: str
    subject: str
    received_at: datetime
    assignee: str | None
    priority: str
    due_by: datetime
    overdue: bool
    reply_pending: bool

    @classmethod
    def from_domain(cls, case: Case, triage: Triage) -> CaseSummary:
        """Summarise a case with its triage now."""
        return cls(
            number=case.id,
            state=case.state.value,
            category=case.inquiry.category.value,
            subject=case.inquiry.subject,
            received_at=case.received_at,
            assignee=case.assignee,
            priority=triage.priority.value,
            due_by=triage.due_by,
            overdue=triage.overdue,
            reply_pending=case.reply_pending,
        )


class CaseList(_Frozen):
    """Cases, in queue order (most urgent first) or newest first."""

    items: list[CaseSummary]


class CasePublic(CaseSummary):
    """A case as an operator sees it: the inquiry, the triage reasons, the whole history."""

    base_priority: str
    score: int
    reasons: list[RuleMatchPublic]
    resolution: str | None
    linked_entries: list[str]
    inquiry: dict[str, Any]
    history: list[EventPublic]
    guidance: list[str] = Field(description="Slugs of guidance entries linking to this case.")

    @classmethod
    def from_case(cls, case: Case, triage: Triage, cited_by: list[str]) -> CasePublic:
        """Render a case for an operator."""
        summary = CaseSummary.from_domain(case, triage).model_dump()
        return cls(
            **summary,
            base_priority=triage.base_priority.value,
            score=triage.score,
            reasons=[
                RuleMatchPublic(rule_id=m.rule_id, points=m.points, detail=m.detail)
                for m in triage.matches
            ],
            resolution=case.resolution.value if case.resolution else None,
            linked_entries=list(case.linked_entries),
            inquiry=case.inquiry.model_dump(mode="json", exclude_none=True),
            history=[
                EventPublic(
                    action=e.action.value,
                    actor=e.actor.id,
                    role=e.actor.role.value,
                    at=e.at,
                    from_state=e.from_state.value if e.from_state else None,
                    to_state=e.to_state.value,
                    note=e.note,
                )
                for e in case.history
            ],
            guidance=cited_by,
        )


class MessagePublic(_Frozen):
    """One message the requester sees: from ``you`` or the ``desk``."""

    at: datetime
    author: str
    kind: str
    text: str


class CaseStatus(_Frozen):
    """A case as its requester sees it: no internal notes."""

    number: str
    state: str
    status: str
    subject: str
    received_at: datetime
    resolution: str | None
    messages: list[MessagePublic]
    guidance: list[str]

    @classmethod
    def from_case(cls, case: Case, cited_by: list[str]) -> CaseStatus:
        """Render a case for its requester."""
        return cls(
            number=case.id,
            state=case.state.value,
            status=cases.requester_state(case),
            subject=case.inquiry.subject,
            received_at=case.received_at,
            resolution=case.resolution.value if case.resolution else None,
            messages=[
                MessagePublic(at=m.at, author=m.author, kind=m.kind, text=m.text)
                for m in cases.requester_messages(case)
            ],
            guidance=cited_by,
        )


class Message(_Frozen):
    """A message: an answer, a request for information, a reply."""

    message: str = Field(min_length=1, max_length=10000)


class Assignment(_Frozen):
    """Who takes the case; default the calling operator."""

    assignee: str | None = None


class Escalation(_Frozen):
    """Why the case goes to a port or partner agency."""

    reason: str = Field(min_length=1, max_length=10000)


class EntryLink(_Frozen):
    """A CBP entry number (``ABC-1234567-8``) to link the case to."""

    entry_number: str


class Closing(_Frozen):
    """How the case ends."""

    resolution: Resolution
    note: str = ""


class Retriage(_Frozen):
    """Triage again under the rules in force, optionally overriding the base priority."""

    priority: Priority | None = None


class TriageRulesPublic(_Frozen):
    """The triage rules in force: the stored revision (null for the bundled default)."""

    revision: int | None
    version: str
    changed_by: str | None
    changed_at: datetime | None
    rules: dict[str, Any]


def _case_public(session: SessionDep, case: Case, now: datetime) -> CasePublic:
    triage = cases.triage_of(case, cases.current_policy(session), now)
    cited = [entry.slug for entry in guidance.guidance_citing(session, case.id)]
    return CasePublic.from_case(case, triage, cited)


def _summaries(entries: tuple[QueueEntry, ...]) -> CaseList:
    return CaseList(items=[CaseSummary.from_domain(e.case, e.triage) for e in entries])


def _changed(
    session: SessionDep, number: str, now: datetime, step: Callable[[Case], Case]
) -> CasePublic:
    """Apply one step of the case's life and show the result to the caller."""
    return _case_public(session, cases.change_case(session, number, step), now)


@router.post("/cases", response_model=CaseCreated, status_code=201)
def create_case(
    data: Annotated[dict[str, Any], Body(description="An inquiry (see the Inquiry model).")],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> CaseCreated:
    """File an inquiry; 400 names every field at fault. No account needed."""
    now = clock()
    submitted = cases.submit_inquiry(session, data, now=now)
    triage = cases.triage_of(submitted.case, cases.current_policy(session), now)
    base = (
        settings.public_url.rstrip("/")
        if settings.public_url
        else str(request.base_url).rstrip("/")
    )
    return CaseCreated(
        number=submitted.case.id,
        state=submitted.case.state.value,
        priority=triage.priority.value,
        due_by=triage.due_by,
        status_token=submitted.status_token,
        status_url=f"{base}/help/cases/{submitted.status_token}",
    )


@router.get("/cases", response_model=CaseList)
def list_cases(
    session: SessionDep,
    clock: ClockDep,
    _operator: CurrentOperator,
    scope: Annotated[str, Query(pattern="^(queue|all)$")] = "queue",
    state: CaseState | None = None,
    category: InquiryCategory | None = None,
    assignee: str | None = None,
) -> CaseList:
    """The queue (cases waiting on the desk, most urgent first) or, with ``scope=all``, every
    case newest first; filter by state, category and assignee. Operators only."""
    if scope == "queue" and state is None:
        return _summaries(cases.queue(session, now=clock(), category=category, assignee=assignee))
    found = cases.list_cases(
        session, now=clock(), states=[state] if state else None, category=category
    )
    return _summaries(tuple(e for e in found if assignee is None or e.case.assignee == assignee))


@router.get("/cases/{number}", response_model=CasePublic | CaseStatus)
def get_case(
    number: str, session: SessionDep, clock: ClockDep, actor: CurrentActor
) -> CasePublic | CaseStatus:
    """An operator sees the whole case; its requester sees their status view (403 for others)."""
    case = cases.get_case(session, number, actor=actor)
    if actor.role is Role.REQUESTER:
        cited = [entry.slug for entry in guidance.guidance_citing(session, case.id)]
        return CaseStatus.from_case(case, cited)
    return _case_public(session, case, clock())


@router.post("/cases/{number}/replies", response_model=CaseStatus)
def reply(
    number: str, body: Message, session: SessionDep, clock: ClockDep, actor: CurrentActor
) -> CaseStatus:
    """The requester replies to their own case (the state stays; the desk sees a reply)."""
    now = clock()
    case = cases.change_case(
        session, number, lambda c: reply_to_case(c, actor=actor, message=body.message, now=now)
    )
    cited = [entry.slug for entry in guidance.guidance_citing(session, case.id)]
    return CaseStatus.from_case(case, cited)


@router.post("/cases/{number}/triage", response_model=CasePublic)
def retriage(
    number: str, body: Retriage, session: SessionDep, clock: ClockDep, actor: CurrentActor
) -> CasePublic:
    """Triage again under the rules in force, optionally with an operator's priority."""
    now = clock()
    policy = cases.current_policy(session)
    return _changed(
        session,
        number,
        now,
        lambda c: triage_case(c, actor=actor, policy=policy, now=now, priority=body.priority),
    )


@router.post("/cases/{number}/assign", response_model=CasePublic)
def assign(
    number: str, body: Assignment, session: SessionDep, clock: ClockDep, actor: CurrentActor
) -> CasePublic:
    """Assign the case (default: to the calling operator)."""
    now = clock()
    who = body.assignee or actor.id
    return _changed(
        session, number, now, lambda c: assign_case(c, actor=actor, assignee=who, now=now)
    )


@router.post("/cases/{number}/answer", response_model=CasePublic)
def answer(
    number: str, body: Message, session: SessionDep, clock: ClockDep, actor: CurrentActor
) -> CasePublic:
    """Answer the requester; they see it on their status page."""
    now = clock()
    return _changed(
        session, number, now, lambda c: answer_case(c, actor=actor, message=body.message, now=now)
    )


@router.post("/cases/{number}/request-information", response_model=CasePublic)
def ask(
    number: str, body: Message, session: SessionDep, clock: ClockDep, actor: CurrentActor
) -> CasePublic:
    """Ask the requester for more information; the case waits on them."""
    now = clock()
    return _changed(
        session,
        number,
        now,
        lambda c: request_information(c, actor=actor, message=body.message, now=now),
    )


@router.post("/cases/{number}/escalate", response_model=CasePublic)
def escalate(
    number: str, body: Escalation, session: SessionDep, clock: ClockDep, actor: CurrentActor
) -> CasePublic:
    """Escalate to a port or partner agency, saying why."""
    now = clock()
    return _changed(
        session, number, now, lambda c: escalate_case(c, actor=actor, reason=body.reason, now=now)
    )


@router.post("/cases/{number}/entries", response_model=CasePublic)
def link(
    number: str, body: EntryLink, session: SessionDep, clock: ClockDep, actor: CurrentActor
) -> CasePublic:
    """Link the case to a CBP entry number."""
    now = clock()
    return _changed(
        session,
        number,
        now,
        lambda c: link_entry(c, actor=actor, entry_number=body.entry_number, now=now),
    )


@router.post("/cases/{number}/close", response_model=CasePublic)
def close(
    number: str, body: Closing, session: SessionDep, clock: ClockDep, actor: CurrentActor
) -> CasePublic:
    """Close the case with a resolution code."""
    now = clock()
    return _changed(
        session,
        number,
        now,
        lambda c: close_case(c, actor=actor, resolution=body.resolution, now=now, note=body.note),
    )


def _rules_public(session: SessionDep) -> TriageRulesPublic:
    stored, policy = cases.triage_rules(session)
    return TriageRulesPublic(
        revision=stored.revision if stored else None,
        version=policy.rules.version,
        changed_by=stored.changed_by if stored else None,
        changed_at=stored.changed_at if stored else None,
        rules=policy.rules.model_dump(mode="json"),
    )


@router.get("/triage-rules", response_model=TriageRulesPublic)
def get_triage_rules(session: SessionDep, _operator: CurrentOperator) -> TriageRulesPublic:
    """The triage rules in force. Operators only."""
    return _rules_public(session)


@router.put("/triage-rules", response_model=TriageRulesPublic)
def put_triage_rules(
    rules: Annotated[dict[str, Any], Body(description="A triage rules document.")],
    session: SessionDep,
    clock: ClockDep,
    operator: CurrentOperator,
) -> TriageRulesPublic:
    """Store a new version of the triage rules; 400 names every field at fault."""
    cases.set_triage_rules(session, json.dumps(rules), by=operator, now=clock())
    return _rules_public(session)
