"""The inquiry form (CSMS #42231420 fields, portal categories), validated field by field."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tradetrace.errors import InvalidDocument
from tradetrace.facilitation.cases import Inquiry, InquiryCategory


def test_inquiry_parse_keeps_every_field_cbp_asked_for(make_inquiry):
    inquiry = make_inquiry("ventilators_on_hold")

    assert inquiry.category is InquiryCategory.CARGO_HOLD
    assert inquiry.shipment.air_waybill_numbers == ("589-81140743",)
    assert inquiry.shipment.entry_numbers == ("ABC-1234567-8",)
    assert inquiry.conveyance.flight_number == "5Y8140"
    assert (inquiry.conveyance.port_of_arrival, inquiry.conveyance.port_of_entry) == (
        "3901",
        "3901",
    )
    assert (inquiry.country_of_manufacture, inquiry.country_of_export) == ("CN", "CN")
    assert inquiry.manufacturer.city == "Shenzhen"
    assert inquiry.hts_codes == ("9019200000",)
    assert inquiry.cargo_on_hold
    assert inquiry.contact.phone == "+1 (312) 555-0100"


@pytest.mark.parametrize("scenario", ["classification_question", "ppe_guidance"])
def test_inquiry_parse_accepts_questions_without_a_shipment(make_inquiry, scenario):
    inquiry = make_inquiry(scenario)

    assert inquiry.shipment is None
    assert not inquiry.cargo_on_hold
    assert inquiry.hts_codes == ()


def test_inquiry_parse_reports_every_malformed_field(inquiry_data):
    data = inquiry_data("ventilators_on_hold")
    data["channel"] = "fax"
    data["contact"]["email"] = "dana.example.org"
    data["contact"]["phone"] = "call me"
    data["shipment"]["air_waybill_numbers"] = ["589-81140744"]
    data["shipment"]["manifest_numbers"] = ["MAEU 123"]
    data["conveyance"]["port_of_entry"] = "ORD"
    data["conveyance"]["flight_number"] = "12 34"
    data["goods"][0]["hts_code"] = "9019.2"
    data["country_of_export"] = "China"
    data["importer"]["name"] = ""

    with pytest.raises(InvalidDocument, match=r"^invalid inquiry: channel: ") as info:
        Inquiry.parse(data)

    assert info.value.code == "invalid_document"
    reasons = {problem.field: problem.reason for problem in info.value.problems}
    assert set(reasons) == {
        "channel",
        "contact.email",
        "contact.phone",
        "shipment.manifest_numbers[0]",
        "shipment.air_waybill_numbers[0]",
        "conveyance.flight_number",
        "conveyance.port_of_entry",
        "goods[0].hts_code",
        "country_of_export",
        "importer.name",
    }
    assert reasons["contact.email"] == "expected an email address such as name@example.org"
    assert "dana" not in reasons["contact.email"]  # personal data is not echoed
    assert reasons["conveyance.port_of_entry"] == "expected a 4-digit CBP port code, got 'ORD'"


def test_inquiry_parse_cargo_hold_needs_shipment_identifiers_and_conveyance(inquiry_data):
    data = inquiry_data("ventilators_on_hold")
    data["shipment"] = {"mode": "air", "status": "on_hold"}
    del data["conveyance"]
    data["goods"] = []

    with pytest.raises(
        InvalidDocument, match=r"goods: a cargo_hold inquiry describes the goods"
    ) as info:
        Inquiry.parse(data)

    assert info.value.code == "invalid_document"
    assert [p.field for p in info.value.problems] == ["goods", "shipment", "conveyance"]


def test_inquiry_parse_cargo_hold_without_shipment(inquiry_data):
    data = inquiry_data("ventilators_on_hold")
    del data["shipment"]

    with pytest.raises(
        InvalidDocument, match=r"shipment: required for a cargo hold inquiry"
    ) as info:
        Inquiry.parse(data)

    assert info.value.code == "invalid_document"
    assert [p.field for p in info.value.problems] == ["shipment", "shipment"]


def test_inquiry_parse_admissibility_needs_both_countries(inquiry_data):
    data = inquiry_data("classification_question")
    data["category"] = "admissibility"

    with pytest.raises(
        InvalidDocument, match=r"country_of_manufacture: required for an admissibility"
    ) as info:
        Inquiry.parse(data)

    assert info.value.code == "invalid_document"
    assert [p.field for p in info.value.problems] == ["country_of_manufacture", "country_of_export"]


def test_inquiry_parse_conveyance_must_fit_the_mode(inquiry_data):
    data = inquiry_data("ventilators_on_hold")
    data["shipment"]["mode"] = "vessel"
    data["conveyance"]["flight_number"] = None

    with pytest.raises(
        InvalidDocument, match=r"air waybills belong to air shipments, not vessel"
    ) as info:
        Inquiry.parse(data)

    assert info.value.code == "invalid_document"
    assert [p.field for p in info.value.problems] == [
        "shipment.air_waybill_numbers",
        "conveyance.vessel_name",
        "conveyance.voyage_number",
    ]


def test_inquiry_parse_air_conveyance_needs_a_flight_number(inquiry_data):
    data = inquiry_data("ventilators_on_hold")
    del data["conveyance"]["flight_number"]

    with pytest.raises(
        InvalidDocument, match=r"conveyance.flight_number: required for air"
    ) as info:
        Inquiry.parse(data)

    assert info.value.code == "invalid_document"


def test_inquiry_parse_vessel_shipment_with_voyage(inquiry_data):
    data = inquiry_data("ventilators_on_hold")
    data["shipment"] = {
        "mode": "vessel",
        "status": "arrived",
        "manifest_numbers": ["MAEU123456789"],
    }
    data["conveyance"] = {
        "carrier": "Maersk",
        "vessel_name": "Maersk Essen",
        "voyage_number": "014e",
        "port_of_arrival": "2704",
        "port_of_entry": "2704",
    }

    inquiry = Inquiry.parse(data)

    assert inquiry.conveyance.voyage_number == "014E"
    assert inquiry.shipment.identifiers == ("MAEU123456789",)


def test_inquiry_parse_conveyance_without_shipment(inquiry_data):
    data = inquiry_data("classification_question")
    data["conveyance"] = {"carrier": "UPS", "port_of_arrival": "4701", "port_of_entry": "4701"}

    with pytest.raises(InvalidDocument, match=r"shipment: required with a conveyance") as info:
        Inquiry.parse(data)

    assert info.value.code == "invalid_document"


@pytest.mark.parametrize(
    ("kind", "agency", "reason"),
    [
        ("government_agency", None, "required when the requester is an agency"),
        ("importer", "fema", "set only when the requester is an agency"),
    ],
)
def test_inquiry_parse_agency_only_for_agency_requesters(inquiry_data, kind, agency, reason):
    data = inquiry_data("ppe_guidance")
    data["contact"] = dict(data["contact"], kind=kind, agency=agency)

    with pytest.raises(InvalidDocument, match=rf"contact.agency: {reason}") as info:
        Inquiry.parse(data)

    assert info.value.code == "invalid_document"


def test_inquiry_parse_rejects_a_document_that_is_not_an_object():
    with pytest.raises(
        InvalidDocument, match=r"^invalid inquiry: \(document\): input should be"
    ) as info:
        Inquiry.parse(["not", "a", "form"])

    assert info.value.code == "invalid_document"


def test_inquiry_built_directly_still_checks_its_category(make_inquiry):
    valid = make_inquiry("ppe_guidance")
    fields = valid.model_dump()
    assert Inquiry(**fields) == valid
    fields["category"] = "classification_duty"

    with pytest.raises(
        ValidationError, match=r"goods: a classification_duty inquiry describes"
    ) as info:
        Inquiry(**fields)

    # pydantic's own error, raised only on direct construction; its type is the stable code.
    assert info.value.errors()[0]["type"] == "inquiry_incomplete"
