"""The case state machine, its permissions, and the desk's queue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tradetrace.errors import Conflict, Forbidden, InvalidDocument
from tradetrace.facilitation.cases import (
    Actor,
    CaseState,
    Priority,
    Resolution,
    Role,
    answer_case,
    assign_case,
    close_case,
    escalate_case,
    open_case,
    order_queue,
    reply_to_case,
    request_information,
    triage_case,
)
from tradetrace.facilitation.cases.case import Action

from ..conftest import NOW

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


def test_case_lifecycle_records_every_step_with_actor_and_time(
    make_case, operator, requester, policy
):
    case = make_case()
    case = triage_case(case, actor=operator, policy=policy, now=NOW + MINUTE)
    case = assign_case(case, actor=operator, assignee="officer-9", now=NOW + 2 * MINUTE)
    case = request_information(
        case, actor=operator, message="Please send the FDA product code.", now=NOW + 3 * MINUTE
    )
    case = reply_to_case(case, actor=requester, message="Product code 73CBK.", now=NOW + 4 * MINUTE)
    case = assign_case(case, actor=operator, assignee="officer-9", now=NOW + 5 * MINUTE)
    case = escalate_case(case, actor=operator, reason="FDA review at ORD", now=NOW + 6 * MINUTE)
    case = answer_case(
        case, actor=operator, message="Released by FDA; CBP release follows.", now=NOW + 7 * MINUTE
    )
    case = close_case(case, actor=operator, resolution=Resolution.RELEASED, now=NOW + 8 * MINUTE)

    assert case.state is CaseState.CLOSED
    assert case.resolution is Resolution.RELEASED
    assert case.assignee == "officer-9"
    assert [(e.action, e.from_state, e.to_state) for e in case.history] == [
        (Action.OPEN, None, CaseState.NEW),
        (Action.TRIAGE, CaseState.NEW, CaseState.TRIAGED),
        (Action.ASSIGN, CaseState.TRIAGED, CaseState.ASSIGNED),
        (Action.REQUEST_INFORMATION, CaseState.ASSIGNED, CaseState.AWAITING_REQUESTER),
        (Action.REPLY, CaseState.AWAITING_REQUESTER, CaseState.AWAITING_REQUESTER),
        (Action.ASSIGN, CaseState.AWAITING_REQUESTER, CaseState.ASSIGNED),
        (Action.ESCALATE, CaseState.ASSIGNED, CaseState.ESCALATED),
        (Action.ANSWER, CaseState.ESCALATED, CaseState.ANSWERED),
        (Action.CLOSE, CaseState.ANSWERED, CaseState.CLOSED),
    ]
    assert [e.actor for e in case.history[:3]] == [requester, operator, operator]
    assert [e.at for e in case.history] == [NOW + n * MINUTE for n in range(9)]
    assert case.history[1].note.startswith("p1 (score 120: critical-medical-goods +60")
    assert case.history[-1].note == "released"


def test_triage_case_records_an_operator_override(make_case, operator, policy):
    case = triage_case(
        make_case(scenario="classification_question"),
        actor=operator,
        policy=policy,
        now=NOW,
        priority=Priority.P2,
    )

    assert case.priority_override is Priority.P2
    assert case.history[-1].note.startswith("p2 (score 0: no rule)")


def test_close_case_keeps_the_operator_note(make_case, operator):
    case = close_case(
        make_case(), actor=operator, resolution=Resolution.DUPLICATE, now=NOW, note=" see case-0 "
    )

    assert case.history[-1].note == "duplicate: see case-0"


def test_requester_reply_keeps_the_state_and_flags_the_desk(make_case, operator, requester, policy):
    case = triage_case(make_case(), actor=operator, policy=policy, now=NOW)
    case = assign_case(case, actor=operator, assignee="officer-7", now=NOW)
    case = answer_case(case, actor=operator, message="File entry type 01.", now=NOW)

    assert not case.needs_operator
    replied = reply_to_case(
        case, actor=requester, message="Thanks, and for gowns?", now=NOW + MINUTE
    )

    assert replied.state is CaseState.ANSWERED
    assert replied.reply_pending
    assert replied.needs_operator


@pytest.mark.parametrize(
    "step",
    [
        lambda case, actor: triage_case(case, actor=actor, policy=None, now=NOW),
        lambda case, actor: assign_case(case, actor=actor, assignee=actor.id, now=NOW),
        lambda case, actor: close_case(case, actor=actor, resolution=Resolution.WITHDRAWN, now=NOW),
        lambda case, actor: escalate_case(case, actor=actor, reason="urgent", now=NOW),
    ],
)
def test_requesters_cannot_change_state(make_case, requester, step):
    with pytest.raises(
        Forbidden, match=r"^only operators can \w+ case case-1, not requester-1$"
    ) as info:
        step(make_case(), requester)

    assert info.value.code == "forbidden"


def test_requester_cannot_reply_to_someone_elses_case(make_case):
    stranger = Actor("requester-2", Role.REQUESTER)

    with pytest.raises(
        Forbidden, match=r"only the requester of case case-1 can reply to it, not requester-2"
    ) as info:
        reply_to_case(make_case(), actor=stranger, message="Any news?", now=NOW)

    assert info.value.code == "forbidden"


def test_operator_answers_rather_than_replies(make_case, operator):
    with pytest.raises(Forbidden, match=r"only the requester of case case-1 can reply") as info:
        reply_to_case(make_case(), actor=operator, message="Hello", now=NOW)

    assert info.value.code == "forbidden"


def test_open_case_needs_a_requester(make_inquiry, operator):
    with pytest.raises(
        Forbidden, match=r"case case-9 must be opened for a requester, not operator officer-7"
    ) as info:
        open_case(make_inquiry(), case_id="case-9", requester=operator, now=NOW)

    assert info.value.code == "forbidden"


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            lambda case, op: answer_case(case, actor=op, message="x", now=NOW),
            r"case case-1 cannot answer in state new: "
            r"expected one of assigned, awaiting_requester, escalated",
        ),
        (
            lambda case, op: request_information(case, actor=op, message="x", now=NOW),
            r"cannot request information in state new",
        ),
        (
            lambda case, op: assign_case(case, actor=op, assignee="x", now=NOW),
            r"cannot assign in state new",
        ),
        (
            lambda case, op: escalate_case(case, actor=op, reason="x", now=NOW),
            r"cannot escalate in state new",
        ),
    ],
)
def test_steps_the_state_does_not_allow_conflict(make_case, operator, step, message):
    with pytest.raises(Conflict, match=message) as info:
        step(make_case(), operator)

    assert info.value.code == "conflict"


def test_closed_case_accepts_nothing_more(make_case, operator, requester):
    closed = close_case(make_case(), actor=operator, resolution=Resolution.ANSWERED, now=NOW)

    with pytest.raises(Conflict, match=r"cannot close in state closed") as info:
        close_case(closed, actor=operator, resolution=Resolution.ANSWERED, now=NOW)
    assert info.value.code == "conflict"
    with pytest.raises(Conflict, match=r"cannot reply in state closed") as info:
        reply_to_case(closed, actor=requester, message="Reopen?", now=NOW)
    assert info.value.code == "conflict"
    assert not closed.needs_operator


def test_events_cannot_go_back_in_time(make_case, operator, policy):
    case = make_case(received_at=NOW)

    with pytest.raises(
        Conflict, match=r"event at 2020-04-20T11:59:00\+00:00 is before the last"
    ) as info:
        triage_case(case, actor=operator, policy=policy, now=NOW - MINUTE)

    assert info.value.code == "conflict"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda case, op: answer_case(case, actor=op, message="   ", now=NOW),
            r"^invalid message: expected 1 to 10000",
        ),
        (
            lambda case, op: assign_case(case, actor=op, assignee="", now=NOW),
            r"^invalid assignee: expected 1 to 10000",
        ),
        (
            lambda case, op: close_case(
                case, actor=op, resolution=Resolution.HELD, now=datetime(2020, 4, 20)
            ),
            r"^invalid now",
        ),
    ],
)
def test_workflow_rejects_empty_text_and_naive_times(make_case, operator, call, match):
    with pytest.raises(InvalidDocument, match=match) as info:
        call(make_case(), operator)

    assert info.value.code == "invalid_document"


def test_order_queue_puts_a_ventilator_hold_before_an_older_classification_question(
    make_case, policy
):
    # Six days old: 30 age points lift it to p3 and, past its 120-hour service level, to p2.
    old_question = make_case("case-old", "classification_question", received_at=NOW - 6 * DAY)
    ventilators = make_case("case-vent", "ventilators_on_hold", received_at=NOW)

    queue = order_queue([old_question, ventilators], policy=policy, now=NOW + 10 * MINUTE)

    assert [entry.case.id for entry in queue] == ["case-vent", "case-old"]
    assert queue[0].triage.priority is Priority.P1
    assert queue[1].triage.priority is Priority.P2
    assert queue[1].triage.overdue


def test_order_queue_overdue_case_rises_above_newer_peers(make_case, policy):
    overdue = make_case("case-a", "ppe_guidance", received_at=NOW - 6 * DAY)
    fresh = make_case("case-b", "classification_question", received_at=NOW)

    queue = order_queue([fresh, overdue], policy=policy, now=NOW)

    assert [entry.case.id for entry in queue] == ["case-a", "case-b"]
    assert queue[0].triage.overdue
    assert queue[0].triage.priority is Priority.P2


def test_order_queue_breaks_ties_by_due_by_then_received_then_id(make_case, policy):
    cases = [
        make_case("case-3", "classification_question", received_at=NOW),
        make_case("case-2", "classification_question", received_at=NOW),
        make_case("case-1", "classification_question", received_at=NOW - MINUTE),
    ]

    queue = order_queue(cases, policy=policy, now=NOW)

    assert [entry.case.id for entry in queue] == ["case-1", "case-2", "case-3"]


def _awaiting(case, operator, policy):
    case = triage_case(case, actor=operator, policy=policy, now=NOW)
    case = assign_case(case, actor=operator, assignee="officer-7", now=NOW)
    return request_information(case, actor=operator, message="Invoice please.", now=NOW)


def test_order_queue_leaves_out_cases_waiting_on_the_requester_and_closed_ones(
    make_case, operator, requester, policy
):
    waiting = _awaiting(make_case("case-w"), operator, policy)
    replied = reply_to_case(
        _awaiting(make_case("case-r"), operator, policy),
        actor=requester,
        message="Attached.",
        now=NOW,
    )
    closed = close_case(
        make_case("case-c"), actor=operator, resolution=Resolution.WITHDRAWN, now=NOW
    )

    queue = order_queue([waiting, closed, replied], policy=policy, now=NOW)

    assert [entry.case.id for entry in queue] == ["case-r"]


def test_order_queue_honours_an_operator_override(make_case, operator, policy):
    demoted = triage_case(
        make_case("case-v"), actor=operator, policy=policy, now=NOW, priority=Priority.P3
    )
    question = make_case("case-q", "classification_question", received_at=NOW - MINUTE)

    queue = order_queue([demoted, question], policy=policy, now=NOW)

    assert [entry.triage.base_priority for entry in queue] == [Priority.P3, Priority.P4]
