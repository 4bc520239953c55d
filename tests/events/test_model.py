import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from tradetrace.errors import InvalidDocument
from tradetrace.events import document
from tradetrace.events.model import (
    Action,
    AggregationEvent,
    AssociationEvent,
    EpcisEvent,
    ObjectEvent,
    QuantityElement,
    ReadPoint,
    TransactionEvent,
    TransformationEvent,
)

EVENTS = TypeAdapter(EpcisEvent)


def _parse(wire):
    return EVENTS.validate_python(wire, by_alias=True, by_name=False)


def test_object_event_reads_the_wire_form(asset):
    document = json.loads(asset("epcis/examples/ObjectEvent.json").read_text())
    event = _parse(document["epcisBody"]["eventList"][1])
    assert isinstance(event, ObjectEvent)
    assert event.action is Action.OBSERVE
    assert event.event_time == datetime(2005, 4, 5, 2, 33, 31, 116000, tzinfo=UTC)
    assert event.event_time_zone_offset == "-06:00"
    assert event.read_point == ReadPoint(id="urn:epc:id:sgln:0012345.11111.400")
    assert event.biz_transaction_list is not None
    assert event.biz_transaction_list[1].type == "desadv"
    assert event.extensions == {"example:myField": "Example of a vendor/user extension"}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("AggregationEvent", AggregationEvent),
        ("AssociationEvent", AssociationEvent),
        ("TransactionEvent", TransactionEvent),
        ("TransformationEvent", TransformationEvent),
    ],
)
def test_each_event_type_is_told_apart_by_type(asset, name, kind):
    document = json.loads(asset(f"epcis/examples/{name}.json").read_text())
    events = [_parse(event) for event in document["epcisBody"]["eventList"]]
    assert events and all(isinstance(event, kind) for event in events)
    assert all(_parse(event.to_wire()) == event for event in events)


def test_python_construction_uses_snake_case_and_wire_output_camel_case():
    event = ObjectEvent(
        event_time=datetime(2026, 11, 20, 8, tzinfo=timezone(timedelta(hours=1))),
        event_time_zone_offset="+01:00",
        action=Action.ADD,
        quantity_list=(
            QuantityElement(
                epc_class="urn:epc:class:lgtin:4012345.012345.L1", quantity=2.5, uom="KGM"
            ),
        ),
        ilmd={"example:bestBefore": "2027-01-01"},
    )
    assert event.to_wire() == {
        "eventTime": "2026-11-20T07:00:00Z",
        "eventTimeZoneOffset": "+01:00",
        "type": "ObjectEvent",
        "action": "ADD",
        "quantityList": [
            {"epcClass": "urn:epc:class:lgtin:4012345.012345.L1", "quantity": 2.5, "uom": "KGM"}
        ],
        "ilmd": {"example:bestBefore": "2027-01-01"},
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"action": "MOVE"},
            r"eventList\[0\]\.action: input should be 'ADD', 'OBSERVE' or 'DELETE'",
        ),
        (
            {"eventTime": "2026-11-20T08:00:00"},
            r"eventList\[0\]\.eventTime: input should have timezone",
        ),
        (
            {"eventTimeZoneOffset": "+15:00"},
            r"eventList\[0\]\.eventTimeZoneOffset: string should match",
        ),
        (
            {"quantityList": [{"epcClass": "x", "quantity": "5"}]},
            r"quantityList\[0\]\.quantity: input",
        ),
        ({"bizstep": "shipping"}, r"eventList\[0\]: value error, unknown field 'bizstep'"),
        (
            {"ilmd": {"example:a": 1}},
            r"eventList\[0\]: value error, ilmd is only allowed when action",
        ),
        ({"epc_list": []}, r"unknown field 'epc_list' \(a user extension needs a namespace\)"),
    ],
)
def test_object_event_refuses_invalid_fields(changes, message):
    wire = {
        "type": "ObjectEvent",
        "eventTime": "2026-11-20T08:00:00+01:00",
        "eventTimeZoneOffset": "+01:00",
        "action": "OBSERVE",
    } | changes
    data = {
        "@context": "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-20T09:00:00Z",
        "epcisBody": {"eventList": [wire]},
    }
    with pytest.raises(InvalidDocument, match=message) as info:
        document.document_from_wire(data)
    assert info.value.code == "invalid_document"


def test_null_extensions_are_dropped_as_json_ld_drops_them():
    wire = {
        "type": "TransactionEvent",
        "eventTime": "2026-11-20T08:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "action": "ADD",
        "bizTransactionList": [{"bizTransaction": "urn:epc:id:gdti:0614141.00001.1"}],
        "example:note": None,
    }
    event = _parse(wire)
    assert event.extensions == {}
    assert _parse(event.to_wire()) == event


# --- parse -> dump -> parse is the identity (hypothesis) -----------------------------------

OFFSETS = st.integers(min_value=-14 * 4, max_value=14 * 4).map(lambda q: timedelta(minutes=15 * q))
TIMES = st.builds(
    lambda moment, offset: moment.replace(tzinfo=timezone(offset)).isoformat(),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    OFFSETS,
)
URIS = st.builds(
    "urn:epc:id:sgtin:0614141.{}.{}".format,
    st.text("0123456789", min_size=6, max_size=6),
    st.text("ABCxyz019-", min_size=1, max_size=8),
)
NUMBERS = st.integers(min_value=-(10**9), max_value=10**9) | st.floats(
    allow_nan=False, allow_infinity=False
)
JSON_SCALARS = st.none() | st.booleans() | NUMBERS | st.text(max_size=12)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
EXTENSIONS = st.dictionaries(
    st.builds("example:{}".format, st.text("abcdefghij", min_size=1, max_size=8)),
    JSON_VALUES.filter(lambda value: value is not None),
    max_size=3,
)
QUANTITIES = st.lists(
    st.fixed_dictionaries(
        {"epcClass": URIS},
        optional={"quantity": NUMBERS, "uom": st.sampled_from(["KGM", "EA", "LTR"])},
    ),
    max_size=3,
)
COMMON = {
    "eventTime": TIMES,
    "eventTimeZoneOffset": st.sampled_from(["+00:00", "-06:00", "+14:00", "+05:30"]),
}
OPTIONAL = {
    "recordTime": TIMES,
    "eventID": st.just(
        "ni:///sha-256;00e1e6eba3a7cc6125be4793a631f0af50f8322e0ab5f2c0bab994a11cec1d79?ver=CBV2.0"
    ),
    "certificationInfo": URIS | st.lists(URIS, max_size=2),
    "bizStep": st.sampled_from(
        ["shipping", "urn:epcglobal:cbv:bizstep:receiving", "example:weighing"]
    ),
    "disposition": st.sampled_from(["in_transit", "https://ref.gs1.org/cbv/Disp-recalled"]),
    "readPoint": st.fixed_dictionaries(
        {"id": URIS}, optional={"example:gate": st.text(max_size=5)}
    ),
    "bizLocation": st.fixed_dictionaries({"id": URIS}),
    "bizTransactionList": st.lists(
        st.fixed_dictionaries({"bizTransaction": URIS}, optional={"type": st.just("po")}),
        max_size=2,
    ),
    "sourceList": st.lists(
        st.fixed_dictionaries({"type": st.just("owning_party"), "source": URIS}), max_size=2
    ),
    "destinationList": st.lists(
        st.fixed_dictionaries({"type": st.just("location"), "destination": URIS}), max_size=2
    ),
    "persistentDisposition": st.fixed_dictionaries(
        {"set": st.lists(st.just("completeness_verified"), min_size=1, max_size=1)}
    ),
    "errorDeclaration": st.fixed_dictionaries(
        {"declarationTime": TIMES}, optional={"reason": st.just("incorrect_data")}
    ),
    "sensorElementList": st.lists(
        st.fixed_dictionaries(
            {
                "sensorReport": st.lists(
                    st.fixed_dictionaries(
                        {"type": st.just("Temperature")},
                        optional={
                            "value": NUMBERS,
                            "uom": st.just("CEL"),
                            "time": TIMES,
                            "booleanValue": st.booleans(),
                        },
                    ),
                    min_size=1,
                    max_size=2,
                )
            },
            optional={
                "sensorMetadata": st.fixed_dictionaries(
                    {}, optional={"startTime": TIMES, "deviceID": URIS}
                )
            },
        ),
        max_size=2,
    ),
}


def _event(kind, required, optional):
    optional = {k: v for k, v in (OPTIONAL | optional).items() if k not in required}
    return st.builds(
        lambda fields, extensions: {"type": kind} | fields | extensions,
        st.fixed_dictionaries(COMMON | required, optional=optional),
        EXTENSIONS,
    )


ACTIONS = st.sampled_from(["ADD", "OBSERVE", "DELETE"])
WIRE_EVENTS = st.one_of(
    _event(
        "ObjectEvent",
        {"action": st.just("ADD")},
        {"epcList": st.lists(URIS, max_size=3), "quantityList": QUANTITIES, "ilmd": EXTENSIONS},
    ),
    _event("ObjectEvent", {"action": ACTIONS}, {"epcList": st.lists(URIS, max_size=3)}),
    _event(
        "AggregationEvent",
        {"action": ACTIONS},
        {
            "parentID": URIS,
            "childEPCs": st.lists(URIS, max_size=3),
            "childQuantityList": QUANTITIES,
        },
    ),
    _event(
        "TransactionEvent",
        {
            "action": ACTIONS,
            "bizTransactionList": st.lists(
                st.fixed_dictionaries({"bizTransaction": URIS}), min_size=1, max_size=2
            ),
        },
        {"parentID": URIS, "epcList": st.lists(URIS, max_size=2), "quantityList": QUANTITIES},
    ),
    _event(
        "TransformationEvent",
        {},
        {
            "inputEPCList": st.lists(URIS, max_size=2),
            "outputEPCList": st.lists(URIS, max_size=2),
            "inputQuantityList": QUANTITIES,
            "outputQuantityList": QUANTITIES,
            "transformationID": URIS,
            "ilmd": EXTENSIONS,
        },
    ),
    _event(
        "AssociationEvent",
        {"action": ACTIONS, "parentID": URIS},
        {"childEPCs": st.lists(URIS, max_size=2), "childQuantityList": QUANTITIES},
    ),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(WIRE_EVENTS)
def test_parse_dump_parse_is_the_identity(wire):
    event = _parse(wire)
    dumped = event.to_wire()
    again = _parse(dumped)
    assert again == event
    assert again.to_wire() == dumped
    assert json.loads(json.dumps(dumped)) == dumped
