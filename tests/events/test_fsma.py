import json
from datetime import UTC, datetime

import pytest

from tradetrace.events import fsma, prehash, validation
from tradetrace.events.fsma import Cte, Kde
from tradetrace.events.model import AssociationEvent, ObjectEvent


@pytest.fixture
def romaine(asset):
    data = json.loads(asset("epcis/fsma-romaine-lettuce.json").read_text())
    document = validation.parse_epcis_document(data)
    namespaces = prehash.namespaces_from_context(data["@context"])
    return [fsma.fsma_record(event, namespaces=namespaces) for event in document.events]


def test_each_event_is_read_as_its_critical_tracking_event(romaine):
    assert [record.cte if record else None for record in romaine] == [
        Cte.HARVESTING,
        Cte.INITIAL_PACKING,
        Cte.SHIPPING,
        Cte.SHIPPING,
        Cte.RECEIVING,
        Cte.TRANSFORMATION,
        None,
    ]


@pytest.mark.parametrize("index", [0, 1, 2, 4, 5])
def test_complete_events_have_every_required_kde(romaine, index):
    record = romaine[index]
    assert record.complete
    assert set(record.values) == set(fsma.REQUIRED[record.cte])


def test_incomplete_shipping_names_the_missing_kdes(romaine):
    record = romaine[3]
    assert not record.complete
    assert record.missing == (
        Kde.TRACEABILITY_LOT_CODE,
        Kde.PRODUCT_DESCRIPTION,
        Kde.SUBSEQUENT_RECIPIENT,
        Kde.TLC_SOURCE_REFERENCE,
        Kde.REFERENCE_DOCUMENT,
    )
    assert record.values[Kde.QUANTITY] == ("2 EA",)


def test_kdes_come_from_the_standard_fields(romaine):
    shipping = romaine[2].values
    lot = "https://id.gs1.org/01/00614141123452/10/ROM-2026-1120"
    assert shipping[Kde.TRACEABILITY_LOT_CODE] == (lot,)
    assert shipping[Kde.SHIP_DATE] == ("2026-11-20",)  # local date, not the UTC one
    assert shipping[Kde.SUBSEQUENT_RECIPIENT] == ("urn:epc:id:sgln:4012345.00003.0",)
    assert shipping[Kde.REFERENCE_DOCUMENT] == ("bol urn:epc:id:gdti:0614141.00001.BOL-9",)
    assert shipping[Kde.PRODUCT_DESCRIPTION] == ("GTIN 00614141123452",)
    transformation = romaine[5].values
    assert transformation[Kde.INPUT_LOTS] == (f"{lot} 300 KGM",)
    assert transformation[Kde.PRODUCT_DESCRIPTION] == ("Chopped romaine salad kit, 300 g",)


def _object(**fields):
    wire = {
        "type": "ObjectEvent",
        "eventTime": "2026-11-20T08:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
    } | fields
    return ObjectEvent.model_validate(wire)


@pytest.mark.parametrize(
    ("fields", "cte"),
    [
        ({"bizStep": "urn:tradetrace:fsma:cte:cooling"}, Cte.COOLING),
        (
            {"bizStep": "urn:tradetrace:fsma:cte:first_land_based_receiving"},
            Cte.FIRST_LAND_BASED_RECEIVING,
        ),
        ({"bizStep": "urn:tradetrace:fsma:cte:freezing"}, None),
        ({"bizStep": "https://ref.gs1.org/cbv/BizStep-receiving"}, Cte.RECEIVING),
        ({"bizStep": "packing", "action": "ADD", "ilmd": {"example:x": 1}}, Cte.INITIAL_PACKING),
        ({"bizStep": "commissioning", "action": "ADD"}, None),
        ({"bizStep": "inspecting"}, None),
        ({}, None),
    ],
)
def test_critical_tracking_event_mapping(fields, cte):
    assert fsma.critical_tracking_event(_object(**fields)) == cte


def test_association_events_are_not_ctes():
    event = AssociationEvent(
        event_time=datetime(2026, 11, 20, tzinfo=UTC),
        event_time_zone_offset="+00:00",
        action="ADD",
        parent_id="urn:epc:id:grai:4012345.55555.987",
    )
    assert fsma.fsma_record(event) is None


def test_first_land_based_receiving_reads_cbv_master_data_and_fsma_extensions():
    event = _object(
        bizStep="urn:tradetrace:fsma:cte:first_land_based_receiving",
        action="ADD",
        quantityList=[
            {
                "epcClass": "urn:epc:class:lgtin:4012345.012345.CATCH-1",
                "quantity": 800,
                "uom": "KGM",
            }
        ],
        bizLocation={"id": "urn:epc:id:sgln:4012345.00009.0"},
        ilmd={
            "cbvmda:harvestStartDate": "2026-11-10",
            "cbvmda:catchArea": "FAO 67",
            "fsma:species": "Pacific cod",
        },
        bizTransactionList=[{"bizTransaction": "https://example.com/landing/7"}],
    )
    namespaces = prehash.namespaces_from_context([{"fsma": "urn:tradetrace:fsma:kde:"}])
    record = fsma.fsma_record(event, namespaces=namespaces)
    assert record is not None and record.complete
    assert record.values[Kde.FISHING_AREA] == ("FAO 67",)
    assert record.values[Kde.REFERENCE_DOCUMENT] == ("https://example.com/landing/7",)
    assert record.values[Kde.LANDING_DATE] == ("2026-11-20",)


def test_cooling_without_extensions_misses_what_epcis_cannot_say():
    record = fsma.fsma_record(
        _object(
            bizStep="urn:tradetrace:fsma:cte:cooling",
            readPoint={"id": "urn:epc:id:sgln:0614141.00001.0"},
        )
    )
    assert record is not None
    assert record.values == {
        Kde.COOLING_LOCATION: ("urn:epc:id:sgln:0614141.00001.0",),
        Kde.COOLING_DATE: ("2026-11-20",),
    }
    assert Kde.COMMODITY in record.missing


def test_a_class_without_a_lot_gives_no_traceability_lot_code():
    record = fsma.fsma_record(
        _object(
            bizStep="shipping",
            quantityList=[{"epcClass": "urn:epc:idpat:sgtin:0614141.012345.*", "quantity": 5}],
        )
    )
    assert record is not None
    assert Kde.TRACEABILITY_LOT_CODE in record.missing
    assert record.values[Kde.QUANTITY] == ("5 EA urn:epc:idpat:sgtin:0614141.012345.*",)
