"""The demo shipments filed as customs sees them: presentations joined by the entry's workflow
instance, the entry stored and logged, and the stored decision is the expected one."""

import json

import pytest

from tests.conftest import FIXED_NOW
from tradetrace import storage
from tradetrace.workflows import demo, demo_filings, demo_shipments, entries, identity, setup


@pytest.fixture
def filed(engine, settings):
    with storage.make_session_factory(engine)() as session:
        demo.load_demo(session, settings, now=FIXED_NOW)
        session.commit()
    ledger = setup.open_ledger(settings, engine, clock=lambda: FIXED_NOW)
    shipments = demo_shipments.load_demo_shipments(engine, settings, ledger, now=FIXED_NOW)
    filings = demo_filings.file_demo_shipments(engine, settings, ledger, shipments, now=FIXED_NOW)
    return shipments, filings, ledger


def test_each_filed_demo_entry_gets_its_expected_decision_from_its_presentations(
    filed, engine, settings
):
    shipments, filings, ledger = filed
    assert [f.shipment for f in filings] == [s.name for s in shipments]
    expected = {s.name: s.expected for s in shipments}
    assert {f.shipment: expected[f.shipment].differences(f.decision) for f in filings} == {
        f.shipment: () for f in filings
    }
    readers = storage.make_session_factory(engine, write=False)
    context = demo_filings.credentials.NodeContext(
        settings, readers, ledger=ledger, clock=lambda: FIXED_NOW
    )
    node = identity.organisation_did(settings, "", root=True)
    for shipment, filing in zip(shipments, filings, strict=True):
        # deciding again from the stored case, as `entry assess NUMBER` does, changes nothing
        again, stored = entries.assess_filed_entry(
            storage.make_session_factory(engine), context, ledger, filing.entry_number,
            decided_by=node, now=FIXED_NOW,
        )  # fmt: skip
        assert shipment.expected.differences(again) == (), shipment.name
        used = {item["digest"] for item in json.loads(stored.document)["credentials"]}
        assert len(used) == len(shipment.credentials), shipment.name
        assert all(item["source"].startswith("presentation urn:tradetrace:demo:")
                   for item in json.loads(stored.document)["credentials"])  # fmt: skip


def test_filing_the_demo_again_files_nothing(filed, engine, settings):
    shipments, _, ledger = filed
    size = ledger.store.head().size
    again = demo_filings.file_demo_shipments(engine, settings, ledger, shipments, now=FIXED_NOW)
    assert again == ()
    assert ledger.store.head().size == size
    with storage.make_session_factory(engine, write=False)() as session:
        listed = entries.list_entries(session, limit=100)
    assert len(listed) == len(shipments)
    assert all(latest is not None for _, latest in listed)
