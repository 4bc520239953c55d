"""The cargo-resolution desk as use cases: submit, follow, work and order cases.

Who is asking: an **operator** presents one of the tokens configured in
``Settings.operator_tokens``; a **requester** presents the status link token their case was
given (a random 256-bit value; only its SHA-256 digest is stored). The domain
(:mod:`tradetrace.facilitation.cases.workflow`) decides what each may do: only operators change
state, a requester only replies to their own case. A submitted inquiry is triaged at once by the
rules in force, recorded as the ``triage-rules`` operator, so the timeline says why it got its
priority. The rules are the newest version operators stored, or the bundled default.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tradetrace.config import Settings
from tradetrace.errors import Forbidden, NotFound, Unauthorized
from tradetrace.facilitation.cases import (
    Actor,
    Case,
    CaseState,
    Inquiry,
    QueueEntry,
    Role,
    Triage,
    TriagePolicy,
    load_triage_policy,
    open_case,
    order_queue,
    triage_case,
    triage_inquiry,
)
from tradetrace.facilitation.cases.case import Action
from tradetrace.facilitation.cases.vocabulary import InquiryCategory
from tradetrace.storage.facilitation import (
    CaseRepository,
    StoredTriagePolicy,
    TriagePolicyRepository,
)

__all__ = [
    "TRIAGE_RULES_ACTOR",
    "RequesterMessage",
    "SubmittedCase",
    "actor_for_token",
    "case_for_requester",
    "change_case",
    "current_policy",
    "get_case",
    "hash_token",
    "list_cases",
    "operator_for_token",
    "queue",
    "requester_messages",
    "requester_state",
    "set_triage_rules",
    "submit_inquiry",
    "triage_of",
    "triage_rules",
]

TRIAGE_RULES_ACTOR = Actor("triage-rules", Role.OPERATOR)
"""The actor recorded for the automatic triage of a new case under the rules in force."""


def hash_token(token: str) -> str:
    """The SHA-256 digest (hex) under which a status link token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def operator_for_token(settings: Settings, token: str | None) -> Actor:
    """The operator whose configured token is ``token``.

    Raises :class:`~tradetrace.errors.Unauthorized` for a missing or unknown token.
    """
    if not token:
        raise Unauthorized("an operator token is required")
    found = None
    for name, secret in settings.operator_tokens.items():
        # Compare against every token in constant time, so timing tells nothing.
        if hmac.compare_digest(secret.get_secret_value().encode(), token.encode()):
            found = name
    if found is None:
        raise Unauthorized("the operator token is not valid")
    return Actor(found, Role.OPERATOR)


def actor_for_token(session: Session, settings: Settings, token: str | None) -> Actor:
    """An operator for an operator token, the case's requester for a status link token.

    Raises :class:`~tradetrace.errors.Unauthorized` when the token is neither.
    """
    try:
        return operator_for_token(settings, token)
    except Unauthorized:
        case = CaseRepository(session).find_by_token_hash(hash_token(token)) if token else None
        if case is None:
            raise
        return Actor(case.requester_id, Role.REQUESTER)


def current_policy(session: Session) -> TriagePolicy:
    """The triage rules in force: the newest stored version, else the bundled default."""
    stored = TriagePolicyRepository(session).current()
    return load_triage_policy(stored.rules if stored else None)


@dataclass(frozen=True, slots=True)
class SubmittedCase:
    """A new case and the status link token its requester follows it with (shown once)."""

    case: Case
    status_token: str


def submit_inquiry(
    session: Session, data: Mapping[str, Any], *, now: datetime, requester_id: str | None = None
) -> SubmittedCase:
    """Validate an inquiry, open a case, triage it by the rules in force, and commit.

    Raises :class:`~tradetrace.errors.InvalidDocument` naming every field at fault.
    """
    inquiry = Inquiry.parse(data)
    token = secrets.token_urlsafe(32)
    requester = Actor(requester_id or f"requester-{secrets.token_hex(8)}", Role.REQUESTER)
    case = open_case(inquiry, case_id="new", requester=requester, now=now)
    case = triage_case(case, actor=TRIAGE_RULES_ACTOR, policy=current_policy(session), now=now)
    stored = CaseRepository(session).add(case, token_hash=hash_token(token))
    session.commit()
    return SubmittedCase(stored, token)


def case_for_requester(session: Session, token: str) -> Case:
    """The case a status link token belongs to; raises :class:`~tradetrace.errors.NotFound`."""
    case = CaseRepository(session).find_by_token_hash(hash_token(token))
    if case is None:
        raise NotFound("no case has this status link")
    return case


def get_case(session: Session, number: str, *, actor: Actor) -> Case:
    """A case, for an operator or for the requester who owns it.

    Raises :class:`~tradetrace.errors.Forbidden` for another requester's case (before saying
    whether it exists) and :class:`~tradetrace.errors.NotFound`.
    """
    repository = CaseRepository(session)
    if actor.role is Role.REQUESTER:
        try:
            case: Case | None = repository.get(number)
        except NotFound:
            case = None
        if case is None or case.requester_id != actor.id:
            raise Forbidden(f"a requester sees only their own case, not {number}")
        return case
    return repository.get(number)


def change_case(session: Session, number: str, step: Callable[[Case], Case]) -> Case:
    """Apply one domain step to a locked case, store the new events and commit.

    ``step`` is a transition of :mod:`tradetrace.facilitation.cases.workflow` with its actor and
    time bound (``lambda case: assign_case(case, actor=..., assignee=..., now=...)``); its
    :class:`~tradetrace.errors.Forbidden` or :class:`~tradetrace.errors.Conflict` leaves the
    case unchanged.
    """
    repository = CaseRepository(session)
    changed = step(repository.get(number, for_update=True))
    repository.save(changed)
    session.commit()
    return changed


def triage_of(case: Case, policy: TriagePolicy, now: datetime) -> Triage:
    """Where a case stands now: priority (with age and the overdue rise), reasons, due-by."""
    return triage_inquiry(
        case.inquiry,
        policy=policy,
        received_at=case.received_at,
        now=now,
        override=case.priority_override,
    )


def queue(
    session: Session,
    *,
    now: datetime,
    category: InquiryCategory | None = None,
    assignee: str | None = None,
) -> tuple[QueueEntry, ...]:
    """The cases waiting on the desk, most urgent first (the domain's :func:`order_queue`)."""
    open_states = [state for state in CaseState if state is not CaseState.CLOSED]
    cases = CaseRepository(session).find(states=open_states, category=category, limit=100_000)
    if assignee is not None:
        cases = [case for case in cases if case.assignee == assignee]
    return order_queue(cases, policy=current_policy(session), now=now)


def list_cases(
    session: Session,
    *,
    now: datetime,
    states: Iterable[CaseState] | None = None,
    category: InquiryCategory | None = None,
    limit: int = 500,
) -> tuple[QueueEntry, ...]:
    """Cases in any state (newest first), each with its triage now."""
    policy = current_policy(session)
    found = CaseRepository(session).find(states=states, category=category, limit=limit)
    return tuple(QueueEntry(case, triage_of(case, policy, now)) for case in found)


def set_triage_rules(
    session: Session, rules: str | bytes, *, by: Actor, now: datetime
) -> StoredTriagePolicy:
    """Validate and store a new version of the triage rules (operators only), and commit.

    Raises :class:`~tradetrace.errors.Forbidden` for a requester and
    :class:`~tradetrace.errors.InvalidDocument` naming every field at fault.
    """
    if by.role is not Role.OPERATOR:
        raise Forbidden(f"only operators change the triage rules, not {by.id}")
    text = rules.decode() if isinstance(rules, bytes) else rules
    policy = load_triage_policy(text)
    stored = TriagePolicyRepository(session).add(
        text, rules_version=policy.rules.version, changed_by=by.id, now=now
    )
    session.commit()
    return stored


def triage_rules(session: Session) -> tuple[StoredTriagePolicy | None, TriagePolicy]:
    """The stored version in force (``None`` for the bundled default) and its parsed rules."""
    stored = TriagePolicyRepository(session).current()
    return stored, load_triage_policy(stored.rules if stored else None)


@dataclass(frozen=True, slots=True)
class RequesterMessage:
    """One step of a case as its requester sees it: who wrote (``desk`` or ``you``) and what."""

    at: datetime
    author: str
    kind: str
    text: str


_REQUESTER_STATES = {
    CaseState.NEW: "received",
    CaseState.TRIAGED: "received",
    CaseState.ASSIGNED: "being worked on",
    CaseState.AWAITING_REQUESTER: "waiting for your reply",
    CaseState.ANSWERED: "answered",
    CaseState.ESCALATED: "referred to a port or partner agency",
    CaseState.CLOSED: "closed",
}


def requester_state(case: Case) -> str:
    """The case's state in the requester's words."""
    return _REQUESTER_STATES[case.state]


def requester_messages(case: Case) -> tuple[RequesterMessage, ...]:
    """What the requester sees of the history: their inquiry and replies, the desk's answers,
    requests for information and the resolution; internal notes (triage, assignment, escalation
    reasons, linked entries, close notes) stay with the desk."""
    messages = []
    for event in case.history:
        if event.action is Action.OPEN:
            messages.append(RequesterMessage(event.at, "you", "inquiry", case.inquiry.message))
        elif event.action is Action.REPLY:
            messages.append(RequesterMessage(event.at, "you", "reply", event.note))
        elif event.action is Action.ANSWER:
            messages.append(RequesterMessage(event.at, "desk", "answer", event.note))
        elif event.action is Action.REQUEST_INFORMATION:
            messages.append(RequesterMessage(event.at, "desk", "request_information", event.note))
        elif event.action is Action.CLOSE and case.resolution is not None:
            text = f"closed: {case.resolution.value.replace('_', ' ')}"
            messages.append(RequesterMessage(event.at, "desk", "closed", text))
    return tuple(messages)
