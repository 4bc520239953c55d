import json
import re

import pytest

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.events import document, validation
from tradetrace.events.document import EpcisDocument, EpcisQueryDocument
from tradetrace.events.model import AssociationEvent

VALID_EXAMPLES = [
    "ObjectEvent",
    "AggregationEvent",
    "TransformationEvent",
    "TransactionEvent",
    "AssociationEvent",
]


def _load(asset, name):
    return json.loads(asset(name).read_text())


@pytest.mark.parametrize("name", VALID_EXAMPLES)
def test_gs1_example_documents_validate_and_parse(asset, name):
    text = asset(f"epcis/examples/{name}.json").read_bytes()
    parsed = validation.parse_epcis_document(text)
    assert isinstance(parsed, EpcisDocument)
    assert parsed.events
    assert all(event.type == name for event in parsed.events)
    assert validation.parse_epcis_document(parsed.to_wire()) == parsed


def test_combined_example_fails_only_on_its_grai_check_digit(asset):
    # The published example is schema-valid, but its GRAI 0 300134500077 1 has check digit 1
    # where GS1 General Specifications §7.9.1 gives 6.
    data = _load(asset, "epcis/examples/Combination_of_different_event.json")
    assert validation.document_problems(data) == [
        FieldProblem(
            "epcisBody.eventList[0].epcList[0]",
            "invalid GRAI '03001345000771': check digit expected 6, got 1",
        )
    ]
    parsed = document.document_from_wire(data)  # structurally it is sound
    assert [type(event).__name__ for event in parsed.events] == [
        "ObjectEvent",
        "AggregationEvent",
        "TransactionEvent",
        "TransformationEvent",
        "AssociationEvent",
        "AssociationEvent",
    ]


@pytest.mark.parametrize(
    ("name", "field", "reason"),
    [
        ("object-event-missing-eventtime.json", "epcisBody.eventList[2].eventTime", "is required"),
        (
            "invalid-action.json",
            "epcisBody.eventList[1].action",
            '"MOVE" is not one of "OBSERVE", "ADD" or "DELETE"',
        ),
        (
            "bizstep-without-namespace.json",
            "epcisBody.eventList[3].bizStep",
            "'loading_dock_scan' is not a CBV 2.0 business step; a value of your own must be a "
            "namespaced URI",
        ),
    ],
)
def test_scenario_documents_are_rejected_naming_event_and_field(asset, name, field, reason):
    with pytest.raises(
        InvalidDocument, match=f"invalid EPCIS document: {re.escape(field)}: "
    ) as info:
        validation.parse_epcis_document(asset(f"epcis/{name}").read_text())
    assert info.value.code == "invalid_document"
    assert info.value.problems == (FieldProblem(field, reason),)


def test_bad_timestamps_are_rejected(asset):
    with pytest.raises(
        InvalidDocument,
        match=r"eventList\[0\]\.eventTime: '2026-11-20T08:00:00' is not a date-time with a time",
    ) as info:
        validation.parse_epcis_document(asset("epcis/bad-timestamp.json").read_text())
    assert info.value.code == "invalid_document"
    assert [problem.field for problem in info.value.problems] == [
        "epcisBody.eventList[0].eventTime",
        "epcisBody.eventList[2].recordTime",
    ]
    assert info.value.problems[1].reason == "'2026-13-40T25:00:00Z' is not a real date and time"


def test_bad_check_digits_are_rejected_with_the_expected_digit(asset):
    problems = validation.document_problems(_load(asset, "epcis/bad-check-digit.json"))
    assert problems == [
        FieldProblem(
            "epcisBody.eventList[0].epcList[0]",
            "invalid GTIN '09521234543214': check digit expected 3, got 4",
        ),
        FieldProblem(
            "epcisBody.eventList[1].readPoint.id",
            "invalid GLN '4012345000116': check digit expected 5, got 6",
        ),
    ]


def test_every_problem_of_a_document_is_returned_at_once(asset):
    with pytest.raises(InvalidDocument, match=r"\(and 1 more\)$") as info:
        validation.parse_epcis_document(asset("epcis/many-problems.json").read_text())
    assert info.value.code == "invalid_document"
    assert [(p.field, p.reason) for p in info.value.problems] == [
        ("epcisBody.eventList[0].action", '"MOVE" is not one of "OBSERVE", "ADD" or "DELETE"'),
        (
            "epcisBody.eventList[0].bizStep",
            "'scanning' is not a CBV 2.0 business step; a value of your own must be a namespaced"
            " URI",
        ),
        (
            "epcisBody.eventList[0].eventTimeZoneOffset",
            "must be an offset from -14:00 to +14:00, written ±hh:mm",
        ),
        (
            "epcisBody.eventList[2].epc_list",
            "unknown field; a user extension needs a namespace prefix (example:field)",
        ),
        ("epcisBody.eventList[2].quantityList[0].quantity", '"5" is not of type "number"'),
        (
            "epcisBody.eventList[2].undeclared:field",
            "namespace prefix 'undeclared' is not declared in @context",
        ),
    ]


def test_cbv_urns_web_uris_curies_and_custom_uris_are_accepted(asset):
    parsed = validation.parse_epcis_document(asset("epcis/cbv-spellings.json").read_text())
    assert [event.biz_step for event in parsed.events] == [
        "urn:epcglobal:cbv:bizstep:shipping",
        "https://ns.example.com/epcis/steps/weighing",
    ]


def _object_document(**changes):
    event = {
        "type": "ObjectEvent",
        "eventTime": "2026-11-20T08:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"],
    } | changes
    return {
        "@context": [
            "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
            {"example": "https://ns.example.com/epcis/"},
        ],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-20T09:00:00Z",
        "epcisBody": {"eventList": [event]},
    }


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"epcList": []}, None, None),
        (
            {"epcList": ["urn:epc:idpat:sgtin:0614141.107346.*"]},
            "epcList[0]",
            "names a class of objects",
        ),
        ({"epcList": ["not a uri"]}, "epcList[0]", "'not a uri' is not a URI"),
        ({"epcList": ["urn:epc:id:gid:95100000.12345.400"]}, None, None),
        ({"epcList": ["urn:epc:id:sgtin:1.2"]}, "epcList[0]", "expected 3 dot-separated parts"),
        (
            {"parentID": "urn:epc:id:sscc:0614141.1234567890"},
            "parentID",
            "needs a namespace prefix",
        ),
        (
            {"quantityList": [{"epcClass": "https://id.gs1.org/01/09521234543213/21/1"}]},
            "quantityList[0].epcClass",
            "names one object",
        ),
        ({"action": "ADD", "ilmd": {"lot": "A1"}}, "ilmd.lot", "needs a namespace prefix"),
        ({"ilmd": {"example:lot": "A1"}}, "ilmd", "is only allowed when action is ADD"),
        ({"type": "example:CustomEvent"}, "type", "unsupported event type 'example:CustomEvent'"),
        (
            {"readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234", "gate": 4}},
            "readPoint.gate",
            "needs a namespace prefix",
        ),
        (
            {
                "bizTransactionList": [
                    {"type": "invoice", "bizTransaction": "urn:epc:id:gdti:0614141.00001.1"}
                ]
            },
            "bizTransactionList[0].type",
            "'invoice' is not a CBV 2.0 business transaction type",
        ),
        (
            {"sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00226"}]},
            None,
            None,
        ),
        (
            {
                "destinationList": [
                    {"type": "owner", "destination": "urn:epc:id:pgln:4012345.00225"}
                ]
            },
            "destinationList[0].type",
            "'owner' is not a CBV 2.0 source/destination type",
        ),
        (
            {"persistentDisposition": {"set": ["held"]}},
            "persistentDisposition.set[0]",
            "'held' is not a CBV 2.0 disposition",
        ),
        (
            {
                "persistentDisposition": {
                    "set": ["urn:epcglobal:cbv:disp:recalled"],
                    "unset": ["active"],
                }
            },
            None,
            None,
        ),
        (
            {
                "errorDeclaration": {
                    "declarationTime": "2026-11-21T00:00:00",
                    "reason": "did_not_occur",
                }
            },
            "errorDeclaration.declarationTime",
            "is not a date-time",
        ),
        (
            {"errorDeclaration": {"declarationTime": "2026-11-21T00:00:00Z", "reason": "mistake"}},
            "errorDeclaration.reason",
            "'mistake' is not a CBV 2.0 error reason",
        ),
        (
            {"errorDeclaration": {"declarationTime": "2026-11-21T00:00:00Z", "note": "x"}},
            "errorDeclaration.note",
            "needs a namespace prefix",
        ),
        ({"https://ns.example.com/epcis/field": 1, "cbvmda:lotNumber": "L1"}, None, None),
        (
            {"childEPCs": ["urn:epc:id:sgtin:0614141.107346.1"]},
            "childEPCs",
            "needs a namespace prefix",
        ),
    ],
)
def test_event_checks(changes, field, reason):
    problems = validation.document_problems(_object_document(**changes))
    if field is None:
        assert problems == []
    else:
        assert len(problems) == 1, problems
        assert problems[0].field == f"epcisBody.eventList[0].{field}"
        assert reason in problems[0].reason


def test_sensor_elements_are_checked():
    sensors = [
        {
            "sensorMetadata": {"startTime": "2026-11-20T07:00:00", "gateway": "g1"},
            "sensorReport": [
                {"type": "Temperature", "value": 4.5, "uom": "CEL", "time": "2026-11-20T07:30:00Z"},
                {"type": "Warmth", "exception": "ALARM", "component": "depth", "example:x": 1},
                "not a report",
            ],
            "note": "x",
        },
        "not an element",
    ]
    problems = validation.document_problems(_object_document(sensorElementList=sensors))
    base = "epcisBody.eventList[0].sensorElementList[0]"
    assert [p.field for p in problems if p.field.startswith(base)] == [
        f"{base}.note",
        f"{base}.sensorMetadata.gateway",
        f"{base}.sensorMetadata.startTime",
        f"{base}.sensorReport[1].component",
        f"{base}.sensorReport[1].exception",
        f"{base}.sensorReport[1].type",
        f"{base}.sensorReport[2]",
    ]


def test_document_level_fields_are_checked():
    data = _object_document() | {"creationDate": "yesterday", "sender": "me", "note": "x"}
    assert validation.document_problems(data) == [
        FieldProblem(
            "creationDate",
            "'yesterday' is not a date-time with a time zone offset (2005-04-03T20:33:31Z)",
        ),
        FieldProblem(
            "note", "unknown field; a user extension needs a namespace prefix (example:field)"
        ),
    ]


def test_event_context_declares_prefixes_for_that_event():
    data = _object_document(
        **{"@context": [{"ext": "https://ns.example.com/ext/"}], "ext:flag": True}
    )
    assert validation.document_problems(data) == []


def test_query_documents_validate_and_parse(asset):
    parsed = validation.parse_epcis_document(
        asset("epcis/hash/epcisQueryDocument.jsonld").read_text()
    )
    assert isinstance(parsed, EpcisQueryDocument)
    assert parsed.epcis_body.query_results.query_name == "SimpleEventQuery"
    assert [event.event_id for event in parsed.events][1].endswith("d79?ver=CBV2.0")
    broken = json.loads(asset("epcis/hash/epcisQueryDocument.jsonld").read_text())
    broken["epcisBody"]["queryResults"]["resultsBody"]["eventList"][1]["action"] = "MOVE"
    problems = validation.document_problems(broken)
    assert problems[0].field == "epcisBody.queryResults.resultsBody.eventList[1].action"


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ([], "(document)", "an EPCIS document is a JSON object"),
        ({"type": "EPCISDocument"}, "@context", "is required"),
        ({"type": "Nonsense"}, "@context", "is required"),
        (
            _object_document() | {"epcisBody": {"eventList": [{"eventTime": 1}]}},
            "epcisBody.eventList[0].type",
            "is required",
        ),
        (
            _object_document()
            | {
                "epcisBody": {
                    "eventList": [
                        {
                            "type": "TransformationEvent",
                            "eventTime": "2026-11-20T08:00:00Z",
                            "eventTimeZoneOffset": "+00:00",
                        }
                    ]
                }
            },
            "epcisBody.eventList[0]",
            "needs inputEPCList or inputQuantityList",
        ),
    ],
)
def test_malformed_documents_are_described(data, field, reason):
    problems = validation.document_problems(data)
    assert problems, "expected a problem"
    assert problems[0].field == field
    assert reason in problems[0].reason


def test_an_object_event_needs_something_to_be_about():
    data = _object_document()
    del data["epcisBody"]["eventList"][0]["epcList"]
    assert validation.document_problems(data) == [
        FieldProblem(
            "epcisBody.eventList[0]",
            "needs epcList or quantityList or (sensorElementList and readPoint)",
        )
    ]


def test_parse_epcis_document_rejects_text_that_is_not_json():
    with pytest.raises(InvalidDocument, match="invalid EPCIS document: not JSON") as info:
        validation.parse_epcis_document(b"{oops")
    assert info.value.code == "invalid_document"


def test_parse_epcis_document_rejects_json_that_is_not_an_object():
    with pytest.raises(
        InvalidDocument, match=r"\(document\): an EPCIS document is a JSON object"
    ) as info:
        validation.parse_epcis_document("[1, 2]")
    assert info.value.code == "invalid_document"


def test_document_from_wire_reports_structural_problems_by_wire_path(asset):
    data = _object_document(action="MOVE", quantityList=[{"epcClass": "x", "quantity": "5"}])
    with pytest.raises(
        InvalidDocument, match=r"epcisBody\.eventList\[0\]\.action: input should be"
    ) as info:
        document.document_from_wire(data)
    assert info.value.code == "invalid_document"
    assert [p.field for p in info.value.problems] == [
        "epcisBody.eventList[0].action",
        "epcisBody.eventList[0].quantityList[0].quantity",
    ]


def test_association_example_keeps_its_parent(asset):
    parsed = validation.parse_epcis_document(
        asset("epcis/examples/AssociationEvent.json").read_text()
    )
    assert isinstance(parsed.events[0], AssociationEvent)
    assert parsed.events[0].parent_id == "urn:epc:id:grai:4012345.55555.987"


def test_values_of_the_wrong_type_are_reported_once_by_the_schema():
    data = _object_document(
        bizStep=5,
        eventTime=20261120,
        readPoint="here",
        bizLocation={"id": 5},
        errorDeclaration="oops",
        ilmd="lot",
        bizTransactionList=["po"],
        quantityList=["x"],
        persistentDisposition="set",
        sensorElementList=[{"sensorMetadata": "m", "sensorReport": "r"}],
    )
    data["epcisBody"]["eventList"].append("not an event")
    problems = validation.document_problems(data)
    fields = {problem.field for problem in problems}
    assert "epcisBody.eventList[0].bizStep" in fields
    assert "epcisBody.eventList[0].eventTime" in fields
    assert "epcisBody.eventList[0].readPoint" in fields
    assert "epcisBody.eventList[0].bizLocation.id" in fields
    assert "epcisBody.eventList[1]" in fields
    assert all("unsupported" not in problem.reason for problem in problems)


@pytest.mark.parametrize("kind", [["ObjectEvent"], {"name": "ObjectEvent"}, 7])
def test_an_event_type_that_is_not_a_string_is_a_problem_of_its_type(kind):
    data = _object_document()
    data["epcisBody"]["eventList"][0]["type"] = kind
    problems = validation.document_problems(data)
    assert {problem.field for problem in problems} == {"epcisBody.eventList[0].type"}
    assert any("unsupported event type" in problem.reason for problem in problems)
