"""The demo shipments: loaded onto a node, each assessed end to end gets its expected decision."""

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import FIXED_NOW
from tradetrace import storage
from tradetrace.entries import Entry
from tradetrace.errors import InvalidDocument
from tradetrace.ledger.record import LogRecord
from tradetrace.rules import PreferenceStatus, Recommendation
from tradetrace.workflows import (
    assessment,
    credentials,
    demo,
    demo_shipment_data,
    demo_shipments,
    setup,
)

DOCS = Path(__file__).parents[2] / "docs"
_TABLES = (
    "organisation",
    "accreditation",
    "issued_credential",
    "status_list",
    "epcis_capture_job",
    "epcis_event",
    "ipr_recordation",
)


@pytest.fixture
def node(engine, settings):
    """A node holding the demo organisations, and its ledger and verification context."""
    with storage.make_session_factory(engine)() as session:
        demo.load_demo(session, settings, now=FIXED_NOW)
        session.commit()
    ledger = setup.open_ledger(settings, engine, clock=lambda: FIXED_NOW)
    readers = storage.make_session_factory(engine, write=False)
    context = credentials.NodeContext(settings, readers, ledger=ledger, clock=lambda: FIXED_NOW)
    return ledger, context


@pytest.fixture
def loaded(node, engine, settings):
    ledger, context = node
    shipments = demo_shipments.load_demo_shipments(engine, settings, ledger, now=FIXED_NOW)
    return shipments, ledger, context


def _assess(shipment, context, ledger, presented=None):
    return assessment.assess_entry(
        shipment.entry_json,
        shipment.credentials if presented is None else presented,
        context=context,
        ledger=ledger,
        now=FIXED_NOW,
    )


def _counts(engine, ledger):
    with engine.connect() as connection:
        rows = {
            table: connection.execute(text(f"select count(*) from {table}")).scalar_one()
            for table in _TABLES
        }
    return {**rows, "ledger": ledger.store.head().size}


def test_every_demo_shipment_gets_its_expected_decision(loaded):
    shipments, ledger, context = loaded
    assert [s.name for s in shipments] == list(demo_shipment_data.SHIPMENT_NAMES)
    differences = {s.name: s.expected.differences(_assess(s, context, ledger)) for s in shipments}
    assert differences == {s.name: () for s in shipments}


def test_demo_set_covers_the_domains_and_outcomes(loaded):
    shipments, _, _ = loaded
    by_name = {s.name: s for s in shipments}
    assert {s.domain for s in shipments} == {
        "USMCA", "CAFTA-DR", "steel", "pipeline crude oil", "pipeline natural gas",
        "e-commerce", "food", "IPR",
    }  # fmt: skip
    outcomes = {
        name: (s.expected.recommendation, [line.preference for line in s.expected.lines])
        for name, s in by_name.items()
    }
    assert outcomes["usmca-conductors"] == (Recommendation.RELEASE, [PreferenceStatus.GRANTED])
    assert outcomes["cafta-tshirts"] == (Recommendation.RELEASE, [PreferenceStatus.GRANTED])
    assert outcomes["pipeline-gas"] == (Recommendation.RELEASE, [PreferenceStatus.GRANTED])
    assert outcomes["ecommerce-type86"][0] is Recommendation.REFUSE
    assert outcomes["ipr-unlicensed-shoes"][0] is Recommendation.HOLD
    assert by_name["ecommerce-type86"].entry.entry_date.isoformat() > "2025-08-29"
    assert by_name["steel-sheet"].expected.duties["additional_duties"] > 0
    assert by_name["pipeline-gas"].expected.duties["mpf"] == 0


def test_entries_are_valid_unique_and_filed_after_their_evidence_was_logged(loaded):
    shipments, ledger, _ = loaded
    entries = [Entry.from_json(s.entry_json) for s in shipments]
    assert len({entry.entry_number for entry in entries}) == len(entries)
    for shipment, entry in zip(shipments, entries, strict=True):
        assert "did:demo:" not in shipment.entry_json
        assert entry.filed_at is not None
        for secured in shipment.credentials:
            indexes = ledger.store.entries_with_key(assessment.securing_digest(secured))
            assert indexes, f"{shipment.name}: a credential was never logged"
            logged = LogRecord.from_bytes(ledger.entry(indexes[0])).time
            assert logged < entry.filed_at, shipment.name


def test_trace_and_recordation_evidence_is_on_the_node(loaded):
    shipments, ledger, context = loaded
    for shipment in shipments:
        entry = shipment.entry
        case = assessment.build_case(
            entry, shipment.credentials, context=context, ledger=ledger, now=FIXED_NOW
        )
        lots = [ref for _, line in case.lines() for ref in (*line.heat_numbers,
                *line.batch_numbers, *line.lot_codes)]  # fmt: skip
        if "trace" in shipment.expected.evidence:
            assert shipment.event_ids, shipment.name
            assert lots and all(case.trace.production_of(lot) for lot in lots), shipment.name
        if "recordations" in shipment.expected.evidence:
            brands = [(brand, line.hts10) for _, line in case.lines() for brand in line.brands]
            assert brands and all(
                any(r.covers(brand, hts10, entry.entry_date) for r in case.recordations)
                for brand, hts10 in brands
            ), shipment.name


def test_pipeline_batches_are_traced_to_their_field_through_each_carrier(loaded):
    shipments, ledger, context = loaded
    crude = next(s for s in shipments if s.name == "pipeline-crude")
    case = assessment.build_case(
        crude.entry, crude.credentials, context=context, ledger=ledger, now=FIXED_NOW
    )
    for batch in crude.entry.lines[0].batch_numbers:
        (produced,) = case.trace.production_of(batch)
        assert produced.country == "CA" and "Christina Lake" in produced.facility
        steps = case.trace.custody_of(batch)
        assert [s.from_party.rsplit(":", 1)[-1] for s in steps] == [
            "athabasca-midstream",
            "borealis-pipeline",
        ]
        assert steps[-1].to_party == crude.entry.importer.did


def test_without_its_certification_the_usmca_claim_is_denied(loaded):
    shipments, ledger, context = loaded
    conductors = next(s for s in shipments if s.name == "usmca-conductors")
    decision = _assess(conductors, context, ledger, presented=conductors.credentials[1:])
    differences = conductors.expected.differences(decision)
    assert decision.lines[0].preference is PreferenceStatus.DENIED
    assert differences[0] == "recommendation: expected release, got release_with_review"
    assert "reasons: expected [], got ['usmca.certification_held']" in differences
    assert any(d.startswith("lines:") for d in differences)
    assert any(d.startswith("duties.duty: expected 0.00, got ") for d in differences)


def test_loading_twice_creates_nothing_new(loaded, engine, settings):
    shipments, ledger, _ = loaded
    before = _counts(engine, ledger)
    again = demo_shipments.load_demo_shipments(engine, settings, ledger, now=FIXED_NOW)
    assert _counts(engine, ledger) == before
    assert again == shipments


def test_loading_needs_the_demo_organisations(engine, settings):
    ledger = setup.open_ledger(settings, engine, clock=lambda: FIXED_NOW)
    with pytest.raises(
        InvalidDocument, match="cbp: no such organisation here: load the demo organisations first"
    ) as caught:
        demo_shipments.load_demo_shipments(engine, settings, ledger, now=FIXED_NOW)
    assert caught.value.code == "invalid_document"


def test_with_dids_names_an_unknown_organisation():
    data = {"issuer": {"id": "did:demo:hamilton-steelworks"}, "to": ["did:demo:nobody"]}
    with pytest.raises(InvalidDocument, match="no demo organisation 'nobody'") as caught:
        demo_shipment_data.with_dids(data, {"hamilton-steelworks": "did:web:x"})
    assert caught.value.code == "invalid_document"
    assert demo_shipment_data.with_dids(data["issuer"], {"hamilton-steelworks": "did:web:x"}) == {
        "id": "did:web:x"
    }


def test_data_files_name_known_issuers_and_parties():
    slugs = {party.slug for party in demo.DEMO_ORGANISATIONS}
    for spec in demo_shipment_data.read_shipment_specs():
        named = {item.issuer for item in spec.credentials} | {e.party for e in spec.events}
        named |= {r.owner for r in spec.recordations}
        placeholders = set(json.dumps(spec.model_dump(mode="json")).split("did:demo:")[1:])
        named |= {p.split('"')[0].split("#")[0] for p in placeholders}
        assert named <= slugs, spec.name


def test_docs_list_every_demo_shipment():
    page = (DOCS / "demo.md").read_text(encoding="utf-8")
    for name in demo_shipment_data.SHIPMENT_NAMES:
        assert f"`{name}`" in page
    assert "docs/demo.md" in (DOCS.parent / "README.md").read_text(encoding="utf-8")


def test_a_bad_data_file_is_refused_field_by_field():
    text = (demo_shipment_data.read_shipment_specs()[0]).model_dump_json(by_alias=True)
    broken = json.loads(text)
    broken["credentials"][0]["format"] = "pgp"
    del broken["expected"]["lines"]
    with pytest.raises(
        InvalidDocument, match=r"credentials\.0\.format: .*; expected\.lines: "
    ) as caught:
        demo_shipment_data.parse_shipment_spec("usmca-conductors", json.dumps(broken))
    assert caught.value.code == "invalid_document"
    renamed = "name: expected 'steel-sheet', got 'usmca-conductors'"
    with pytest.raises(InvalidDocument, match=renamed) as caught:
        demo_shipment_data.parse_shipment_spec("steel-sheet", text)
    assert caught.value.code == "invalid_document"
    with pytest.raises(InvalidDocument, match=r"\(file\): not JSON") as caught:
        demo_shipment_data.parse_shipment_spec("steel-sheet", "{")
    assert caught.value.code == "invalid_document"
