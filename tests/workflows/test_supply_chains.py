# ruff: noqa: F811 - the fixtures imported from epcis_support are parameters here
"""End to end, per domain: parties with their own did:web and keys capture a generated supply
chain, the finished item is traced back to its origin, and an injected fault is detected."""

import pytest
from sqlalchemy import text

from tests.conftest import FIXED_NOW
from tests.workflows import supply_chains
from tests.workflows.epcis_support import ledger, repository  # noqa: F401 - fixtures
from tradetrace.events import profiles
from tradetrace.events.balance import FindingKind
from tradetrace.workflows import capture, identity
from tradetrace.workflows import trace as trace_workflow


def _load(session, settings, repository, ledger, chain):
    dids = {}
    for slug, name, country, party_gln in chain.parties:
        organisation = identity.create_organisation(
            session,
            settings,
            slug=slug,
            name=name,
            country=country,
            identifiers={"gln": party_gln},
            now=FIXED_NOW,
        )
        dids[slug] = organisation.did
    for slug, data in chain.documents():
        job = capture.capture_document(
            repository, ledger, data, submitter=dids[slug], now=FIXED_NOW
        )
        assert job.success, job.errors
    return dids


def _trace(engine, session, ledger, chain, **options):
    return trace_workflow.trace_identifier(engine, ledger, chain.finished, **options)


@pytest.mark.parametrize("domain", list(supply_chains.CHAINS))
def test_finished_item_traces_back_to_origin_complete(
    engine, session, settings, repository, ledger, domain
):
    chain = supply_chains.CHAINS[domain]()
    dids = _load(session, settings, repository, ledger, chain)
    report, profile = trace_workflow.check_trace_profile(
        engine, ledger, chain.finished, profiles.Domain(domain)
    )
    captured = sum(len(events) for events in chain.events.values())
    assert len(report.graph.events) == captured
    assert report.findings == ()
    assert profile.gaps == ()
    assert {party["id"] for party in report.parties} >= set(dids.values())
    first = report.graph.events[0]
    assert first.event_type == "ObjectEvent" and first.action == "ADD"
    assert all(
        report.receipts[e.ledger_index].startswith("c2sp.org/tlog-proof")
        for e in report.graph.events
    )


def test_steel_mass_balance_violation_is_flagged(engine, session, settings, repository, ledger):
    chain = supply_chains.steel(fault="mass_balance")
    _load(session, settings, repository, ledger, chain)
    report = _trace(engine, session, ledger, chain)
    assert [(f.kind, f.message) for f in report.findings] == [
        (
            FindingKind.MASS_BALANCE,
            "transformation outputs 210 TNE exceed its inputs 200 TNE",
        )
    ]


def test_oil_receipt_above_shipment_is_flagged(engine, session, settings, repository, ledger):
    chain = supply_chains.oil(fault="transfer_balance")
    _load(session, settings, repository, ledger, chain)
    report = _trace(engine, session, ledger, chain)
    kinds = [(f.kind, f.message) for f in report.findings]
    assert (FindingKind.TRANSFER_BALANCE, "received 10500 BLL but 10000 BLL were shipped") in kinds


def test_gas_missing_custody_step_is_flagged(engine, session, settings, repository, ledger):
    chain = supply_chains.gas(fault="missing_custody")
    dids = _load(session, settings, repository, ledger, chain)
    report, profile = trace_workflow.check_trace_profile(
        engine, ledger, chain.finished, profiles.Domain.GAS
    )
    gaps = [f for f in report.findings if f.kind is FindingKind.CUSTODY_GAP]
    assert [f.message for f in gaps] == [f"received at {dids['gas-buyer']} with no shipment to it"]
    assert not profile.complete
    assert "custody" in {gap.requirement for gap in profile.gaps}


def test_food_altered_event_is_flagged(engine, session, settings, repository, ledger):
    chain = supply_chains.food()
    _load(session, settings, repository, ledger, chain)
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE epcis_event SET document = replace(document, '1150.0', '1100.0') "
                "WHERE biz_step = 'receiving' AND document LIKE '%ROM-1001%'"
            )
        )
    report = _trace(engine, session, ledger, chain)
    altered = [f for f in report.findings if f.kind is FindingKind.ALTERED_EVENT]
    assert len(altered) == 1
    assert "logged at ledger index" in altered[0].message


def test_forward_trace_reaches_the_finished_product(engine, session, settings, repository, ledger):
    chain = supply_chains.steel()
    _load(session, settings, repository, ledger, chain)
    heat = chain.events["hamilton-melt"][0]["quantityList"][0]["epcClass"]
    report = trace_workflow.trace_identifier(
        engine, ledger, heat, direction=trace_workflow.event_trace.Direction.FORWARD
    )
    assert chain.finished in report.graph.identifiers
    assert report.graph.events[-1].biz_step == "receiving"
