"""The case state machine and the desk's queue: who may move a case where, and what comes next.

States (MISSION.md capability 6; customs.md §4, whose suggested model ⚠ is inferred)::

    new ─triage→ triaged ─assign→ assigned ─request_information→ awaiting_requester
                                     │ └──answer→ answered        (assign picks either back up)
                                     └──escalate→ escalated ─answer / request_information→ …
    any open state ─close(resolution)→ closed
    any open state ─link_entry→ the same state (an operator ties the case to an entry number)

Only operators change state. A requester may only reply, and only to their own case; a reply
never changes the state but marks the case as waiting for an operator
(:attr:`Case.needs_operator`). Every event records its actor and time. Cases are immutable:
each function returns the next case. Permission failures raise
:class:`~tradetrace.errors.Forbidden`; a step the state does not allow raises
:class:`~tradetrace.errors.Conflict`. :func:`order_queue` is the pure ordering of the desk's
work: most urgent priority first, then the earliest due-by time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from tradetrace.errors import Conflict, FieldProblem, Forbidden, InvalidDocument
from tradetrace.facilitation.cases.case import (
    Action,
    Actor,
    Case,
    CaseEvent,
    CaseState,
    Resolution,
    Role,
)
from tradetrace.facilitation.cases.identifiers import parse_entry_number
from tradetrace.facilitation.cases.inquiry import Inquiry
from tradetrace.facilitation.cases.triage import Triage, TriagePolicy, triage_inquiry
from tradetrace.facilitation.cases.vocabulary import Priority
from tradetrace.facilitation.parsing import require_utc

__all__ = [
    "QueueEntry",
    "answer_case",
    "assign_case",
    "close_case",
    "escalate_case",
    "link_entry",
    "open_case",
    "order_queue",
    "reply_to_case",
    "request_information",
    "triage_case",
]


_OPEN = frozenset(CaseState) - {CaseState.CLOSED}
_ALLOWED: dict[Action, tuple[frozenset[CaseState], CaseState | None]] = {
    # action: (states it may start from, state it leads to; None keeps the state)
    Action.TRIAGE: (frozenset({CaseState.NEW, CaseState.TRIAGED}), CaseState.TRIAGED),
    Action.ASSIGN: (_OPEN - {CaseState.NEW}, CaseState.ASSIGNED),
    Action.REQUEST_INFORMATION: (
        frozenset({CaseState.ASSIGNED, CaseState.ESCALATED}),
        CaseState.AWAITING_REQUESTER,
    ),
    Action.ANSWER: (
        frozenset({CaseState.ASSIGNED, CaseState.ESCALATED, CaseState.AWAITING_REQUESTER}),
        CaseState.ANSWERED,
    ),
    Action.ESCALATE: (_OPEN - {CaseState.NEW, CaseState.ESCALATED}, CaseState.ESCALATED),
    Action.CLOSE: (_OPEN, CaseState.CLOSED),
    Action.REPLY: (_OPEN, None),
    Action.LINK_ENTRY: (_OPEN, None),
}


def _text(value: str, field: str) -> str:
    text = value.strip()
    if not 1 <= len(text) <= 10000:
        problem = FieldProblem(field, f"expected 1 to 10000 characters, got {len(text)}")
        raise InvalidDocument(f"invalid {problem}", problems=(problem,))
    return text


def _check(case: Case, action: Action, actor: Actor, now: datetime) -> CaseState:
    """The state ``action`` leads to, once the actor, the state and the time allow it."""
    require_utc(now, "now")
    if action is Action.REPLY:
        if actor.role is not Role.REQUESTER or actor.id != case.requester_id:
            raise Forbidden(f"only the requester of case {case.id} can reply to it, not {actor.id}")
    elif actor.role is not Role.OPERATOR:
        raise Forbidden(
            f"only operators can {action.value.replace('_', ' ')} case {case.id}, not {actor.id}"
        )
    sources, target = _ALLOWED[action]
    if case.state not in sources:
        allowed = ", ".join(sorted(state.value for state in sources))
        raise Conflict(
            f"case {case.id} cannot {action.value.replace('_', ' ')} in state {case.state.value}: "
            f"expected one of {allowed}"
        )
    last = case.history[-1].at
    if now < last:
        raise Conflict(
            f"case {case.id}: event at {now.isoformat()} is before the last at {last.isoformat()}"
        )
    return target or case.state


def _step(
    case: Case, action: Action, actor: Actor, now: datetime, note: str
) -> tuple[CaseState, tuple[CaseEvent, ...]]:
    state = _check(case, action, actor, now)
    return state, (*case.history, CaseEvent(action, actor, now, case.state, state, note))


def open_case(inquiry: Inquiry, *, case_id: str, requester: Actor, now: datetime) -> Case:
    """Open a new case for an inquiry a requester submitted (portal) or was recorded for (email).

    Raises :class:`~tradetrace.errors.Forbidden` unless ``requester`` has the requester role.
    """
    require_utc(now, "now")
    if requester.role is not Role.REQUESTER:
        raise Forbidden(
            f"case {case_id} must be opened for a requester, not operator {requester.id}"
        )
    event = CaseEvent(Action.OPEN, requester, now, None, CaseState.NEW)
    return Case(case_id, inquiry, requester.id, now, CaseState.NEW, (event,))


def triage_case(
    case: Case,
    *,
    actor: Actor,
    policy: TriagePolicy,
    now: datetime,
    priority: Priority | None = None,
) -> Case:
    """Triage (or re-triage) a case, optionally overriding its base priority; the note says why."""
    _check(case, Action.TRIAGE, actor, now)
    result = triage_inquiry(
        case.inquiry, policy=policy, received_at=case.received_at, now=now, override=priority
    )
    why = ", ".join(f"{match.rule_id} +{match.points}" for match in result.matches) or "no rule"
    due = result.due_by.isoformat()
    note = f"{result.base_priority.value} (score {result.score}: {why}); due by {due}"
    state, history = _step(case, Action.TRIAGE, actor, now, note)
    return replace(case, state=state, history=history, priority_override=priority)


def assign_case(case: Case, *, actor: Actor, assignee: str, now: datetime) -> Case:
    """Assign the case to an operator (or pick it back up after an answer or escalation)."""
    name = _text(assignee, "assignee")
    state, history = _step(case, Action.ASSIGN, actor, now, f"assigned to {name}")
    return replace(case, state=state, history=history, assignee=name)


def request_information(case: Case, *, actor: Actor, message: str, now: datetime) -> Case:
    """Ask the requester for more information; the case waits on them."""
    state, history = _step(case, Action.REQUEST_INFORMATION, actor, now, _text(message, "message"))
    return replace(case, state=state, history=history)


def answer_case(case: Case, *, actor: Actor, message: str, now: datetime) -> Case:
    """Answer the requester directly."""
    state, history = _step(case, Action.ANSWER, actor, now, _text(message, "message"))
    return replace(case, state=state, history=history)


def escalate_case(case: Case, *, actor: Actor, reason: str, now: datetime) -> Case:
    """Escalate to a port or a partner agency (FDA, FEMA, …), saying why."""
    state, history = _step(case, Action.ESCALATE, actor, now, _text(reason, "reason"))
    return replace(case, state=state, history=history)


def close_case(
    case: Case, *, actor: Actor, resolution: Resolution, now: datetime, note: str = ""
) -> Case:
    """Close the case with a resolution code."""
    text = f"{resolution.value}: {note.strip()}" if note.strip() else resolution.value
    state, history = _step(case, Action.CLOSE, actor, now, text)
    return replace(case, state=state, history=history, resolution=resolution)


def link_entry(case: Case, *, actor: Actor, entry_number: str, now: datetime) -> Case:
    """Link the case to a CBP entry number (``ABC-1234567-8``); the state stays.

    Raises :class:`~tradetrace.errors.InvalidDocument` for a malformed number and
    :class:`~tradetrace.errors.Conflict` when the case is already linked to it.
    """
    number = parse_entry_number(entry_number)
    if number in case.linked_entries:
        raise Conflict(f"case {case.id} is already linked to entry {number}")
    state, history = _step(case, Action.LINK_ENTRY, actor, now, f"linked to entry {number}")
    return replace(
        case, state=state, history=history, linked_entries=(*case.linked_entries, number)
    )


def reply_to_case(case: Case, *, actor: Actor, message: str, now: datetime) -> Case:
    """The requester replies on their own case; the state stays, the desk sees a reply pending."""
    state, history = _step(case, Action.REPLY, actor, now, _text(message, "message"))
    return replace(case, state=state, history=history)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A case waiting on the desk, with its triage at the time the queue was ordered."""

    case: Case
    triage: Triage


def order_queue(
    cases: Iterable[Case], *, policy: TriagePolicy, now: datetime
) -> tuple[QueueEntry, ...]:
    """The cases that need an operator, most urgent first.

    Order: priority now (with age and the overdue rise), then the earliest due-by, then the
    earliest received, then the case id, so the order is total and stable. Cases that wait on
    the requester (with no reply pending) and closed cases are left out.
    """
    entries = [
        QueueEntry(
            case,
            triage_inquiry(
                case.inquiry,
                policy=policy,
                received_at=case.received_at,
                now=now,
                override=case.priority_override,
            ),
        )
        for case in cases
        if case.needs_operator
    ]
    entries.sort(
        key=lambda entry: (
            entry.triage.priority.rank,
            entry.triage.due_by,
            entry.case.received_at,
            entry.case.id,
        )
    )
    return tuple(entries)
