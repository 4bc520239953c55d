"""A cargo-resolution case: its states, its events and who acted.

A case wraps one :class:`~tradetrace.facilitation.cases.inquiry.Inquiry` with its state, its
assignee, an operator's priority override, its resolution, the entry numbers an operator linked
it to and the full history of events (each with its actor and time). Cases are immutable
values; the transitions that produce the next case are in
:mod:`~tradetrace.facilitation.cases.workflow`. Resolution codes follow the suggested case
model of customs.md §4 (answered, released, held, refused, seized), plus desk outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tradetrace.facilitation.cases.inquiry import Inquiry
from tradetrace.facilitation.cases.vocabulary import Priority

__all__ = [
    "Action",
    "Actor",
    "Case",
    "CaseEvent",
    "CaseState",
    "Resolution",
    "Role",
]


class CaseState(StrEnum):
    """Where a case is in its life."""

    NEW = "new"
    TRIAGED = "triaged"
    ASSIGNED = "assigned"
    AWAITING_REQUESTER = "awaiting_requester"
    ANSWERED = "answered"
    ESCALATED = "escalated"
    CLOSED = "closed"


class Resolution(StrEnum):
    """How a case ended (customs.md §4: answered, released, held, refused, seized)."""

    ANSWERED = "answered"
    RELEASED = "released"
    HELD = "held"
    REFUSED = "refused"
    SEIZED = "seized"
    REFERRED_TO_AGENCY = "referred_to_agency"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"
    NO_RESPONSE = "no_response"


class Role(StrEnum):
    """Requesters ask and reply; operators run the desk."""

    REQUESTER = "requester"
    OPERATOR = "operator"


class Action(StrEnum):
    """A recorded step in a case's history."""

    OPEN = "open"
    TRIAGE = "triage"
    ASSIGN = "assign"
    REQUEST_INFORMATION = "request_information"
    ANSWER = "answer"
    ESCALATE = "escalate"
    CLOSE = "close"
    REPLY = "reply"
    LINK_ENTRY = "link_entry"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: an authenticated user id and the role the caller established for it."""

    id: str
    role: Role


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """One step: what was done, by whom, when, the states before and after, and a note."""

    action: Action
    actor: Actor
    at: datetime
    from_state: CaseState | None
    to_state: CaseState
    note: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    """An inquiry on the desk, with its state and full history."""

    id: str
    inquiry: Inquiry
    requester_id: str
    received_at: datetime
    state: CaseState
    history: tuple[CaseEvent, ...]
    assignee: str | None = None
    priority_override: Priority | None = None
    resolution: Resolution | None = None
    linked_entries: tuple[str, ...] = ()

    @property
    def reply_pending(self) -> bool:
        """Whether the requester has written since an operator last acted."""
        last = self.history[-1]
        return last.action is Action.REPLY

    @property
    def needs_operator(self) -> bool:
        """Whether the case waits on the desk rather than on the requester (or is closed)."""
        if self.state is CaseState.CLOSED:
            return False
        waiting = {CaseState.AWAITING_REQUESTER, CaseState.ANSWERED}
        return self.state not in waiting or self.reply_pending
