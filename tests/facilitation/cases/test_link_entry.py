"""Linking a case to a CBP entry number: operators only, recorded, the state kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tradetrace.errors import Conflict, Forbidden, InvalidDocument
from tradetrace.facilitation.cases import CaseState, link_entry, triage_case
from tradetrace.facilitation.cases.case import Action

from ..conftest import NOW

MINUTE = timedelta(minutes=1)


def test_link_entry_records_the_number_and_keeps_the_state(make_case, operator, policy):
    case = triage_case(make_case(), actor=operator, policy=policy, now=NOW)

    linked = link_entry(case, actor=operator, entry_number="abc12345678", now=NOW + MINUTE)

    assert linked.linked_entries == ("ABC-1234567-8",)
    assert linked.state is CaseState.TRIAGED
    event = linked.history[-1]
    assert (event.action, event.actor, event.at) == (Action.LINK_ENTRY, operator, NOW + MINUTE)
    assert event.note == "linked to entry ABC-1234567-8"


def test_link_entry_twice_is_a_conflict(make_case, operator):
    case = link_entry(make_case(), actor=operator, entry_number="ABC-1234567-8", now=NOW)

    with pytest.raises(Conflict, match="already linked to entry ABC-1234567-8") as caught:
        link_entry(case, actor=operator, entry_number="ABC-1234567-8", now=NOW)
    assert caught.value.code == "conflict"


def test_link_entry_is_for_operators_only(make_case, requester):
    with pytest.raises(Forbidden, match="only operators can link entry case case-1") as caught:
        link_entry(make_case(), actor=requester, entry_number="ABC-1234567-8", now=NOW)
    assert caught.value.code == "forbidden"


def test_link_entry_rejects_a_malformed_number(make_case, operator):
    with pytest.raises(InvalidDocument, match="entry_number: expected an entry number") as caught:
        link_entry(make_case(), actor=operator, entry_number="12", now=NOW)
    assert caught.value.code == "invalid_document"
