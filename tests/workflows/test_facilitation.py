"""Desk and relief use cases: who may act, stale writes, report checks, the demo data."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from tests.api.desk import inquiry
from tradetrace.config import Settings
from tradetrace.errors import Conflict, Forbidden, Unauthorized
from tradetrace.facilitation.cases import Actor, Role, assign_case
from tradetrace.facilitation.relief.report import Breakdown, ImporterStatement
from tradetrace.storage.facilitation import CaseRepository
from tradetrace.storage.relief import ReliefRepository
from tradetrace.workflows import cases, facilitation_demo, guidance, relief

NOW = datetime(2020, 4, 20, 12, 0, tzinfo=UTC)
REQUESTER = Actor("requester-1", Role.REQUESTER)
OPERATOR = Actor("officer-7", Role.OPERATOR)


def test_operator_for_token_accepts_only_configured_tokens():
    settings = Settings(operator_tokens={"officer-7": "a" * 20, "officer-9": "b" * 20})

    assert cases.operator_for_token(settings, "b" * 20) == Actor("officer-9", Role.OPERATOR)
    with pytest.raises(Unauthorized, match=r"^the operator token is not valid$") as caught:
        cases.operator_for_token(settings, "c" * 20)
    assert caught.value.code == "unauthorized"
    with pytest.raises(Unauthorized, match=r"^an operator token is required$") as caught:
        cases.operator_for_token(settings, None)
    assert caught.value.code == "unauthorized"


def test_settings_refuse_short_operator_tokens():
    with pytest.raises(ValidationError, match="must have at least 16 characters"):
        Settings(operator_tokens={"officer-7": "short"})
    assert "secret-token-0123" not in repr(Settings(operator_tokens={"o": "secret-token-0123"}))


def test_actor_for_token_knows_requesters_by_their_status_token(session):
    submitted = cases.submit_inquiry(session, inquiry("ppe-guidance"), now=NOW)
    settings = Settings()

    actor = cases.actor_for_token(session, settings, submitted.status_token)

    assert actor == Actor(submitted.case.requester_id, Role.REQUESTER)
    with pytest.raises(Unauthorized, match=r"^the operator token is not valid$") as caught:
        cases.actor_for_token(session, settings, "x" * 40)
    assert caught.value.code == "unauthorized"


def test_a_stale_case_cannot_overwrite_newer_history(session):
    number = cases.submit_inquiry(session, inquiry("ppe-guidance"), now=NOW).case.id
    repository = CaseRepository(session)
    stale = repository.get(number)
    cases.change_case(
        session, number, lambda c: assign_case(c, actor=OPERATOR, assignee="a", now=NOW)
    )
    shorter = replace(stale, history=stale.history[:1])

    with pytest.raises(Conflict, match=f"^case {number} changed meanwhile") as caught:
        repository.save(shorter)
    assert caught.value.code == "conflict"


def test_only_operators_edit_rules_guidance_and_relief(session):
    with pytest.raises(Forbidden, match="only operators change the triage rules") as caught:
        cases.set_triage_rules(session, "{}", by=REQUESTER, now=NOW)
    assert caught.value.code == "forbidden"
    with pytest.raises(Forbidden, match="only operators edit the guidance page") as caught:
        guidance.save_guidance(session, {}, by=REQUESTER, now=NOW)
    assert caught.value.code == "forbidden"
    with pytest.raises(Forbidden, match="only operators load simulated populations") as caught:
        relief.simulate(
            session,
            program_id="us-covid-2020",
            seed=1,
            importers=1,
            entries=1,
            by=REQUESTER,
            now=NOW,
        )
    assert caught.value.code == "forbidden"


def test_check_report_names_each_inconsistency(session):
    relief.simulate(
        session,
        program_id="us-covid-2020",
        seed=3,
        importers=30,
        entries=200,
        by=OPERATOR,
        now=NOW,
    )
    report = relief.program_report(session, "us-covid-2020")
    assert relief.check_report(report, _statements(session, report)) == []
    broken = replace(
        report,
        by_port={"2704": Breakdown(report.importers_deferring + 1, 1, Decimal("1.00"))},
    )

    problems = relief.check_report(broken, ())

    assert problems == [
        f"by port: 1.00 deferred, total {report.total_deferred}",
        f"by port: 1 entries, total {report.entries_deferred}",
        "by port: a group has more importers than the program",
        f"statements: 0.00 owed, total {report.total_deferred}",
        f"statements: 0 importers, total {report.importers_deferring}",
    ]


def _statements(session, report) -> list[ImporterStatement]:
    entries = ReliefRepository(session).entries(report.program_id)
    iors = sorted({entry.deferral.entry.ior for entry in entries})
    found = [relief.statement(session, report.program_id, ior) for ior in iors]
    return [item for item in found if item.lines]


def test_demo_loads_cases_guidance_and_relief_once(session):
    first = facilitation_demo.load_demo_facilitation(session, now=NOW)
    second = facilitation_demo.load_demo_facilitation(session, now=NOW)

    assert (first.cases, first.guidance, first.relief_entries) == (5, 4, 400)
    assert (second.cases, second.guidance, second.relief_entries) == (0, 0, 0)
    queue = cases.queue(session, now=NOW)
    assert queue[0].case.inquiry.subject == "Project Airbridge flight with test kits to LAX"
    assert len(guidance.list_guidance(session)) == 4
