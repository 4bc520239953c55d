"""The IPR recordations registry, and an entry assessed against the recordations in force."""

import json
from datetime import date, timedelta

import pytest

from tests.conftest import FIXED_NOW
from tests.rules.scenarios import edit, load
from tradetrace import storage
from tradetrace.errors import Conflict, InvalidDocument, NotFound
from tradetrace.rules import RightKind
from tradetrace.workflows import assessment, credentials
from tradetrace.workflows import recordations as registry

STRIDE = {
    "number": "TMK 24-00123",
    "kind": "trademark",
    "mark": "STRIDE",
    "owner": "Stride Athletics Inc.",
    "owner_did": "did:web:stride-athletics.example.com",
    "valid_until": "2034-10-31",
    "goods": ["6402", "6403", "6404"],
}
SAIGON = "did:web:saigon-footwear.example.vn"


def _record(session, **changes):
    return registry.add_recordation(session, **{**STRIDE, **changes}, now=FIXED_NOW)


def test_add_get_and_list_in_force(session, engine):
    _record(session)
    _record(session, number="COP 19-00042", kind="copyright", mark="Night Sky",
            valid_until="2026-01-31", goods=[])  # fmt: skip
    assert registry.get_recordation(session, "tmk 24-00123").kind is RightKind.TRADEMARK
    assert [r.number for r in registry.list_recordations(session)] == [
        "COP 19-00042",
        "TMK 24-00123",
    ]
    readers = storage.make_session_factory(engine, write=False)
    in_force = registry.recordations_in_force(readers, date(2026, 2, 1))
    assert [r.number for r in in_force] == ["TMK 24-00123"]
    assert [r.number for r in registry.recordations_in_force(readers, date(2026, 1, 31))] == [
        "COP 19-00042",
        "TMK 24-00123",
    ]


def test_number_taken_is_a_conflict_unless_replaced(session):
    _record(session)
    with pytest.raises(Conflict, match="recordation TMK 24-00123 is already recorded") as caught:
        _record(session, mark="STRIDES")
    assert caught.value.code == "conflict"
    session.rollback()
    renewed = _record(session, valid_until="2044-10-31", replace=True)
    assert renewed.valid_until == date(2044, 10, 31)
    assert registry.get_recordation(session, "TMK 24-00123").valid_until == date(2044, 10, 31)


def test_bad_recordation_names_fields_and_stores_nothing(session):
    with pytest.raises(InvalidDocument, match="owner_did: expected a DID") as caught:
        _record(session, owner_did="stride")
    assert caught.value.code == "invalid_document"
    assert registry.list_recordations(session) == []
    with pytest.raises(NotFound, match="no recordation 'TMK 24-00123'") as missing:
        registry.get_recordation(session, "TMK 24-00123")
    assert missing.value.code == "not_found"


# --- the IPR rules read the registry through the assessment -------------------------------------


@pytest.fixture
def context(engine, settings):
    readers = storage.make_session_factory(engine, write=False)
    return credentials.NodeContext(settings, readers, ledger=None, clock=lambda: FIXED_NOW)


def _ipr_findings(context, **changes):
    entry = edit(load("ipr-sneakers-entry.json"), changes)
    decision = assessment.assess_entry(
        json.dumps(entry), [], context=context, ledger=None, now=FIXED_NOW
    )
    return [f for f in decision.report.findings if f.family.value == "ipr"]


def test_recorded_brand_without_a_licence_chain_is_held(session, context):
    assert _ipr_findings(context) == []  # nothing recorded yet
    _record(session)
    (finding,) = _ipr_findings(context)
    assert (finding.rule_id, finding.severity.label) == ("ipr.licence_chain", "hold")
    assert finding.message == (
        "suspected infringing: line 1 bears the recorded trademark STRIDE (recordation "
        "TMK 24-00123, Stride Athletics Inc.); no licence chain leads from "
        f"{STRIDE['owner_did']} to {SAIGON}"
    )


def test_recordation_out_of_term_on_the_entry_date_is_not_applied(session, context):
    entry_date = date.fromisoformat(load("ipr-sneakers-entry.json")["entryDate"])
    _record(session, valid_until=(entry_date - timedelta(days=1)).isoformat())
    assert _ipr_findings(context) == []


def test_goods_made_by_the_rights_holder_need_no_licence(session, context):
    _record(session)
    maker = {"name": "Stride Athletics Inc.", "did": STRIDE["owner_did"]}
    (finding,) = _ipr_findings(context, **{"lines[0].manufacturer": maker})
    assert (finding.rule_id, finding.severity.label) == ("ipr.licence_chain", "info")
