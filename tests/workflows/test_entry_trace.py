# ruff: noqa: F811 - the fixtures imported from epcis_support are parameters here
"""End to end, per domain: a supply chain's parties capture their events on the node, an entry
declares the chain's lots, and the assessment reads the trace facts of those lots (and the
faults injected in the chain) from the captured events."""

import json
from decimal import Decimal

import pytest

from tests.conftest import FIXED_NOW
from tests.rules.scenarios import edit, load
from tests.workflows import supply_chains
from tests.workflows.epcis_support import ledger, repository  # noqa: F401 - fixtures
from tradetrace import storage
from tradetrace.entries import Entry
from tradetrace.events import digital_link, hashing
from tradetrace.rules.trace import CustodyStep
from tradetrace.workflows import assessment, capture, credentials, identity
from tradetrace.workflows.entry_trace import lot_identifiers, trace_for_entry


@pytest.fixture
def node(engine, settings, ledger):
    """The node's read-only sessions and verification context."""
    readers = storage.make_session_factory(engine, write=False)
    return readers, credentials.NodeContext(
        settings, readers, ledger=ledger, clock=lambda: FIXED_NOW
    )


def _load(session, settings, repository, ledger, chain):
    """Register the chain's parties (did:web, GLN) and capture each party's events."""
    dids = {}
    for slug, name, country, party_gln in chain.parties:
        organisation = identity.create_organisation(
            session, settings, slug=slug, name=name, country=country,
            identifiers={"gln": party_gln}, now=FIXED_NOW,
        )  # fmt: skip
        dids[slug] = organisation.did
    for slug, data in chain.documents():
        job = capture.capture_document(
            repository, ledger, data, submitter=dids[slug], now=FIXED_NOW
        )
        assert job.success, job.errors
    return dids


def _hash(event, context=supply_chains.NAMESPACES):
    """The Event Hash ID of a chain event as captured (CBV 2.0 §8.9)."""
    wire = {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", context]}
    return hashing.event_hash_id({**event, **wire})


def _entry(asset, changes):
    data = edit(load(asset), {"entryDate": "2026-10-06", "importDate": "2026-10-05", **changes})
    data.pop("filedAt", None)
    return data


def _assess(node, entry):
    _, context = node
    return assessment.assess_entry(
        json.dumps(entry), [], context=context, ledger=None, now=FIXED_NOW
    ).report.findings


def _found(findings, rule_id):
    return [finding for finding in findings if finding.rule_id == rule_id]


# --- steel ---------------------------------------------------------------------------------------


def _steel_entry(heat, *, melt="CA"):
    return _entry(
        "steel-sheet-entry.json",
        {"lines[0].heatNumbers": [heat], "lines[0].meltPourCountry": melt,
         "lines[0].originCountry": "CA", "lines[0].exportCountry": "CA"},
    )  # fmt: skip


def test_steel_heat_melt_and_pour_come_from_the_mill_events(
    node, session, settings, repository, ledger
):
    chain = supply_chains.steel()
    dids = _load(session, settings, repository, ledger, chain)
    readers, _ = node
    trace = trace_for_entry(readers, Entry.from_json(json.dumps(_steel_entry("H24-0917"))))
    melt, cast = chain.events["hamilton-melt"][:2]
    mill = supply_chains.loc(chain.gln("hamilton-melt"))
    assert [(r.lot, r.facility, r.producer, r.country, r.event_id) for r in trace.production] == [
        ("H24-0917", mill, dids["hamilton-melt"], "CA", _hash(melt)),
        ("H24-0917", mill, dids["hamilton-melt"], "CA", _hash(cast)),
    ]
    assert trace.production[0].quantity == Decimal("200.0")
    assert trace.production[0].unit == "TNE"
    findings = _assess(node, _steel_entry("H24-0917"))
    assert _found(findings, "steel.melt_pour_consistent") == []


def test_steel_melt_country_in_the_trace_that_differs_from_the_declared_one_is_held(
    node, session, settings, repository, ledger
):
    chain = supply_chains.steel()
    chain.events["hamilton-melt"][0]["ilmd"]["trace:meltCountry"] = "CN"
    _load(session, settings, repository, ledger, chain)
    findings = _found(_assess(node, _steel_entry("H24-0917")), "steel.melt_pour_consistent")
    assert [(f.severity.label, f.message) for f in findings] == [
        (
            "hold",
            "line 1: heat H24-0917 declared melted and poured in CA, but the evidence says CA, CN",
        )
    ]
    melt, cast = chain.events["hamilton-melt"][:2]
    assert findings[0].evidence.event_ids == (_hash(melt), _hash(cast))


def test_steel_coil_lot_traces_back_through_the_rolling_to_its_heat(
    node, session, settings, repository, ledger
):
    chain = supply_chains.steel()
    _load(session, settings, repository, ledger, chain)
    readers, _ = node
    entry = Entry.from_json(json.dumps(_steel_entry(chain.finished, melt="MX")))
    trace = trace_for_entry(readers, entry)
    assert {(r.lot, r.country) for r in trace.production} == {(chain.finished, "CA")}
    findings = _found(
        _assess(node, _steel_entry(chain.finished, melt="MX")), "steel.melt_pour_consistent"
    )
    assert "declared melted and poured in MX, but the evidence says CA" in findings[0].message


# --- pipeline crude oil and natural gas ----------------------------------------------------------


def _pipeline_entry(chain, dids, batch, *, origin="CA", hts="2709002090"):
    buyer = next(slug for slug, *_ in chain.parties if slug.endswith("-buyer"))
    name = next(name for slug, name, *_ in chain.parties if slug == buyer)
    party = {"name": name, "did": dids.get(buyer, "did:web:nobody.example.com")}
    return _entry(
        "pipeline-crude-entry.json",
        {"importer": party, "consignee": party, "lines[0].batchNumbers": [batch],
         "lines[0].originCountry": origin, "lines[0].exportCountry": "CA",
         "lines[0].hts10": hts},
    )  # fmt: skip


def _canadian_producer(chain):
    slug, name, _, party_gln = chain.parties[0]
    chain.parties[0] = (slug, name, "CA", party_gln)
    return chain


def test_oil_batch_custody_runs_from_the_producing_field_to_the_importer(
    node, session, settings, repository, ledger
):
    chain = _canadian_producer(supply_chains.oil())
    dids = _load(session, settings, repository, ledger, chain)
    readers, _ = node
    entry = _pipeline_entry(chain, dids, "OIL-2026-10-01")
    trace = trace_for_entry(readers, Entry.from_json(json.dumps(entry)))
    (record,) = trace.production
    assert (record.facility, record.producer, record.country) == ("F-7", dids["oil-producer"], "CA")
    assert (record.quantity, record.unit) == (Decimal("10000.0"), "BLL")
    shipped, delivered = chain.events["oil-pipeline"][0], chain.events["oil-buyer"][0]
    assert trace.custody_of("OIL-2026-10-01") == (
        CustodyStep(
            lot="OIL-2026-10-01", from_party=dids["oil-producer"], to_party=dids["oil-pipeline"],
            country="US", at=supply_chains.START.replace(hour=6, minute=30).replace(day=2),
            location=supply_chains.loc(chain.gln("oil-pipeline")), quantity=Decimal("9990.0"),
            unit="BLL", event_id=_hash(shipped),
        ),
        CustodyStep(
            lot="OIL-2026-10-01", from_party=dids["oil-pipeline"], to_party=dids["oil-buyer"],
            country="US", at=supply_chains.START.replace(day=4, hour=6, minute=30),
            location=supply_chains.loc(chain.gln("oil-buyer")), quantity=Decimal("9985.0"),
            unit="BLL", event_id=_hash(delivered),
        ),
    )  # fmt: skip
    findings = _assess(node, entry)
    assert _found(findings, "pipeline.custody_chain") == []
    assert _found(findings, "pipeline.producing_field_country") == []


def test_oil_batch_produced_outside_the_declared_origin_is_denied(
    node, session, settings, repository, ledger
):
    chain = _canadian_producer(supply_chains.oil())
    dids = _load(session, settings, repository, ledger, chain)
    findings = _assess(node, _pipeline_entry(chain, dids, "OIL-2026-10-01", origin="MX"))
    (finding,) = _found(findings, "pipeline.producing_field_country")
    assert finding.severity.label == "deny"
    assert finding.message == (
        "line 1: batch OIL-2026-10-01 was produced at F-7 in CA, not the declared MX"
    )
    assert finding.evidence.event_ids == (_hash(chain.events["oil-producer"][0]),)


def test_gas_shipment_never_made_to_the_importer_breaks_the_custody_chain(
    node, session, settings, repository, ledger
):
    chain = _canadian_producer(supply_chains.gas(fault="missing_custody"))
    dids = _load(session, settings, repository, ledger, chain)
    entry = _pipeline_entry(chain, dids, "GAS-2026-10-01", hts="2711210000")
    (finding,) = _found(_assess(node, entry), "pipeline.custody_chain")
    assert finding.severity.label == "deny"
    assert finding.message == (
        "line 1: origin not established: custody of batch GAS-2026-10-01 ends with "
        f"{dids['gas-pipeline']}, not the importer or consignee"
    )


def test_gas_receipt_without_a_shipment_is_a_custody_gap(
    node, session, settings, repository, ledger
):
    chain = _canadian_producer(supply_chains.gas())
    chain.events["gas-producer"][0]["ilmd"]["trace:fieldCountry"] = "US"
    chain.events["gas-producer"].pop(1)  # the producer never records shipping to the pipeline
    dids = _load(session, settings, repository, ledger, chain)
    entry = _pipeline_entry(chain, dids, "GAS-2026-10-01", origin="US", hts="2711210000")
    findings = _assess(node, entry)
    (gap,) = _found(findings, "pipeline.custody_chain")
    assert gap.message == (
        "line 1: origin not established: custody gap in batch GAS-2026-10-01: "
        f"{dids['gas-producer']} held it, but {dids['gas-pipeline']} handed it on"
    )
    # the field's own country, written on the event, wins over the producer's seat (CA)
    assert _found(findings, "pipeline.producing_field_country") == []


def test_batch_without_captured_events_gets_the_no_production_finding(node, session, settings):
    chain = supply_chains.oil()
    findings = _assess(node, _pipeline_entry(chain, {}, "NOPE-2026-10-01"))
    (finding,) = _found(findings, "pipeline.custody_chain")
    assert finding.message == (
        "line 1: origin not established: batch NOPE-2026-10-01 has no production record "
        "(no producing field)"
    )


# --- food ----------------------------------------------------------------------------------------


def _food_entry(lot):
    return _entry(
        "food-cucumbers-entry.json",
        {"lines[0].lotCodes": [lot], "lines[0].foodTraceabilityList": True,
         "lines[0].originCountry": "US", "lines[0].exportCountry": "US"},
    )  # fmt: skip


def test_food_lot_records_each_cte_with_its_kdes(node, session, settings, repository, ledger):
    chain = supply_chains.food()
    dids = _load(session, settings, repository, ledger, chain)
    readers, _ = node
    trace = trace_for_entry(readers, Entry.from_json(json.dumps(_food_entry("ROM-1001"))))
    packed, shipped = chain.events["coastal-packing"][1:]
    received = chain.events["fresh-salads"][0]
    assert [(r.cte, r.missing_kdes, r.event_id) for r in trace.food_records_of("ROM-1001")] == [
        ("initial_packing", (), _hash(packed)),
        ("shipping", (), _hash(shipped)),
        ("receiving", (), _hash(received)),
    ]
    (record,) = trace.production_of("ROM-1001")
    assert (record.producer, record.country, record.event_id) == (
        dids["coastal-packing"], "US", _hash(packed),
    )  # fmt: skip
    assert _found(_assess(node, _food_entry("ROM-1001")), "food.traceability_records") == []


def test_food_shipping_record_missing_a_kde_is_reported(
    node, session, settings, repository, ledger
):
    chain = supply_chains.food()
    del chain.events["coastal-packing"][2]["fsma:tlcSourceReference"]
    _load(session, settings, repository, ledger, chain)
    (finding,) = _found(_assess(node, _food_entry("ROM-1001")), "food.traceability_records")
    assert finding.severity.label == "warning"  # before the FSMA 204 compliance date
    assert "lot ROM-1001: the shipping record lacks tlcSourceReference" in finding.message
    assert _hash(chain.events["coastal-packing"][2]) in finding.evidence.event_ids


def test_food_lot_without_captured_events_has_no_shipping_record(node, session, settings):
    (finding,) = _found(_assess(node, _food_entry("ROM-9999")), "food.traceability_records")
    assert "lot ROM-9999 has no shipping record" in finding.message


# --- lot references ------------------------------------------------------------------------------


def test_lot_references_map_to_the_identifiers_the_events_name(
    session, settings, repository, ledger
):
    chain = supply_chains.steel()
    _load(session, settings, repository, ledger, chain)
    heat = chain.events["hamilton-melt"][0]["quantityList"][0]["epcClass"]
    epc = digital_link.digital_link_to_epc_uri(heat, company_prefix_length=7)
    gtin = heat.split("/")[4]
    assert epc.startswith("urn:epc:class:lgtin:")
    assert lot_identifiers(repository, "H24-0917") == [heat]
    assert lot_identifiers(repository, epc) == [heat]
    assert lot_identifiers(repository, heat) == [heat]
    assert lot_identifiers(repository, "H24-0917", gtin=gtin) == [heat]
    assert lot_identifiers(repository, "h24-0917") == []  # lot codes are compared exactly
    assert lot_identifiers(repository, "H24") == []
    assert lot_identifiers(repository, "H#1") == []  # cannot be a GS1 lot
    assert lot_identifiers(repository, "urn:bol:HM-1") == []  # not an identifier of the index


def test_one_code_under_two_gtins_is_one_batch_with_one_custody_chain(
    node, session, settings, repository, ledger
):
    producer, buyer = supply_chains.gln("061414109001"), supply_chains.gln("061414109002")
    chain = supply_chains.Chain(
        "oil",
        [("twin-producer", "Twin Fields Ltd.", "CA", producer),
         ("twin-buyer", "Gulf Coast Refinery", "US", buyer)],
    )  # fmt: skip
    light, heavy = (
        supply_chains.lot(supply_chains.gtin(body), "B-77")
        for body in ("0614141009001", "0614141009002")
    )
    barrels = [supply_chains.q(light, 100.0, "BLL"), supply_chains.q(heavy, 50.0, "BLL")]
    chain.events["twin-producer"] = [
        supply_chains.commission(0, producer, barrels, ilmd={"trace:producingField": "F-9"}),
        supply_chains.ship(5, producer, buyer, barrels, [("bol", "urn:bol:T-1")]),
    ]
    chain.events["twin-buyer"] = [
        supply_chains.receive(9, producer, buyer, barrels, [("bol", "urn:bol:T-1")]),
    ]
    dids = _load(session, settings, repository, ledger, chain)
    readers, _ = node
    entry = _pipeline_entry(chain, dids, "B-77")
    trace = trace_for_entry(readers, Entry.from_json(json.dumps(entry)))
    (record,) = trace.production
    assert (record.facility, record.quantity) == ("F-9", Decimal("150.0"))
    (step,) = trace.custody
    assert (step.from_party, step.to_party) == (dids["twin-producer"], dids["twin-buyer"])
    assert _found(_assess(node, entry), "pipeline.custody_chain") == []
    assert lot_identifiers(repository, "B-77") == [light, heavy]
    assert lot_identifiers(repository, "B-77", gtin=heavy.split("/")[4]) == [heavy]


def test_ownership_transfer_and_a_shipment_from_its_own_site_are_custody_steps(
    node, session, settings, repository, ledger
):
    producer, trader, buyer, stranger, other = (
        supply_chains.gln(f"06141410800{n}") for n in (1, 2, 3, 4, 5)
    )
    chain = supply_chains.Chain(
        "oil",
        [("lake-producer", "Lake Producer Ltd.", "CA", producer),
         ("sea-trader", "Sea Trader SA", "CH", trader),
         ("lake-buyer", "Lake Refinery", "US", buyer)],
    )  # fmt: skip
    batch = supply_chains.lot(supply_chains.gtin("0614141008001"), "L-1")
    barrels = [supply_chains.q(batch, 80.0, "BLL")]
    sold = supply_chains.ship(2, producer, trader, barrels)
    sold.update(bizStep="holding", disposition="in_progress")  # sold in the tank, not moved
    unsourced = supply_chains.ship(6, trader, buyer, barrels, [("bol", "urn:bol:L-9")])
    del unsourced["sourceList"]  # the trader ships from its own site
    unplaced = supply_chains.ship(9, stranger, other, barrels)
    chain.events["lake-producer"] = [
        supply_chains.commission(
            0, producer, barrels, ilmd={"urn:tradetrace:trace:producingField": "F-1"}
        ),
        sold,
    ]
    chain.events["sea-trader"] = [unsourced]
    chain.events["lake-buyer"] = [
        supply_chains.receive(8, trader, buyer, barrels, [("bol", "urn:bol:L-9")]),
        unplaced,  # between parties this node cannot place in any country: no step
    ]
    dids = _load(session, settings, repository, ledger, chain)
    readers, _ = node
    entry = _pipeline_entry(chain, dids, "L-1")
    trace = trace_for_entry(readers, Entry.from_json(json.dumps(entry)))
    assert [r.facility for r in trace.production] == ["F-1"]
    assert [(s.from_party, s.to_party, s.country) for s in trace.custody] == [
        (dids["lake-producer"], dids["sea-trader"], "CA"),
        (dids["sea-trader"], dids["lake-buyer"], "US"),
    ]
    assert _found(_assess(node, entry), "pipeline.custody_chain") == []


def test_heat_without_melt_data_is_placed_by_its_mill(node, session, settings, repository, ledger):
    chain = supply_chains.steel()
    for event in chain.events["hamilton-melt"][:2]:
        del event["ilmd"]
    dids = _load(session, settings, repository, ledger, chain)
    readers, _ = node
    trace = trace_for_entry(readers, Entry.from_json(json.dumps(_steel_entry("H24-0917"))))
    assert [(r.producer, r.country) for r in trace.production] == [(dids["hamilton-melt"], "CA")]


def test_a_batch_named_by_another_uri_is_traced(node, session, settings, repository, ledger):
    producer = supply_chains.gln("061414107001")
    chain = supply_chains.Chain("oil", [("uri-producer", "URI Producer", "CA", producer)])
    chain.events["uri-producer"] = [
        supply_chains.commission_epcs(
            0, producer, ["urn:example:batch:7"], ilmd={"trace:producingField": "F-2"}
        )
    ]
    _load(session, settings, repository, ledger, chain)
    readers, _ = node
    assert lot_identifiers(repository, "urn:example:batch:7") == ["urn:example:batch:7"]
    entry = _pipeline_entry(supply_chains.oil(), {}, "urn:example:batch:7")
    trace = trace_for_entry(readers, Entry.from_json(json.dumps(entry)))
    assert [(r.lot, r.facility, r.country) for r in trace.production] == [
        ("urn:example:batch:7", "F-2", "CA")
    ]
