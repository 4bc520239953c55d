"""Tests for content validation against the bundled Traceability Vocabulary and CAFTA-DR schemas.

Scenario files are in ``tests/assets/vc/content/`` (their README says where each comes from).
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import MappingProxyType

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace.credentials import content, content_problems
from tradetrace.credentials.content import ContentCode, DataModel, Domain, validate_content
from tradetrace.errors import FieldProblem, InvalidDocument

ROOT = Path(__file__).parents[2]
ASSETS = ROOT / "tests" / "assets" / "vc" / "content"
SCHEMAS = ROOT / "tradetrace" / "credentials" / "schemas"
VOCABULARY = ROOT.parent / "shared" / "standards" / "traceability-vocab"
VC_1_1_CONTEXT = "https://www.w3.org/2018/credentials/v1"

VALID = {
    "BillOfLadingCredential": "valid-bill-of-lading.json",
    "CAFTADRCertificationOfOrigin": "valid-cafta-dr-certification-of-origin.json",
    "CBPEntryType86Credential": "valid-cbp-entry-type-86.json",
    "CBPSection321DeMinimisCredential": "valid-cbp-section-321-de-minimis.json",
    "CertificationOfOrigin": "valid-certification-of-origin.json",
    "CommercialInvoiceCredential": "valid-commercial-invoice.json",
    "FSMACreatingCTECredential": "valid-fsma-creating-cte.json",
    "FSMAFirstReceiverDataCredential": "valid-fsma-first-receiver-data.json",
    "FSMAGrowingCTECredential": "valid-fsma-growing-cte.json",
    "FSMAReceivingCTECredential": "valid-fsma-receiving-cte.json",
    "FSMAShippingCTECredential": "valid-fsma-shipping-cte.json",
    "FSMATransformingCTECredential": "valid-fsma-transforming-cte.json",
    "HouseBillOfLadingCredential": "valid-house-bill-of-lading.json",
    "IntellectualPropertyRightsCredential": "valid-intellectual-property-rights.json",
    "IntellectualPropertyRightsLicenseCredential": (
        "valid-intellectual-property-rights-license.json"
    ),
    "MasterBillOfLadingCredential": "valid-master-bill-of-lading.json",
    "MillTestReportCredential": "valid-mill-test-report.json",
    "MultiModalBillOfLadingCredential": "valid-multi-modal-bill-of-lading.json",
    "OilAndGasDeliveryTicketCredential": "valid-oil-and-gas-delivery-ticket.json",
    "OilAndGasProductCredential": "valid-oil-and-gas-product.json",
    "USMCACertificationOfOrigin": "valid-usmca-certification-of-origin.json",
}

MISSING = "missing required property"
TAMPERED = {
    "mill-test-report-missing-heat-number.json": [
        ("credentialSubject.inspections[0].heatNumber", MISSING),
    ],
    "mill-test-report-unknown-means-of-transport.json": [
        ("credentialSubject.meansOfTransport", 'expected one of "Road", "Rail", "Ocean"'),
    ],
    "mill-test-report-vc11-missing-issuance-date.json": [("issuanceDate", MISSING)],
    "usmca-certification-of-origin-missing-blanket-period.json": [("validUntil", MISSING)],
    "usmca-certification-of-origin-non-party-origin.json": [
        ("credentialSubject.goods[0].originCriterion", 'expected one of "A", "B", "C", "D"'),
        ("credentialSubject.goods[0].countryOfOrigin", 'expected one of "CA", "MX", "US"'),
    ],
    "commercial-invoice-missing-seller.json": [("credentialSubject.seller", MISSING)],
    "bill-of-lading-wrong-subject-type.json": [
        ("credentialSubject.type", 'expected ["BillOfLading"]'),
        ("credentialSubject.type[0]", 'expected one of "BillOfLading"'),
    ],
    "cbp-entry-type-86-missing-hts-number.json": [("credentialSubject.htsusNumber", MISSING)],
    "cbp-section-321-de-minimis-unknown-mode-of-transportation.json": [
        (
            "credentialSubject.modeOfTransportation",
            'expected one of "Air", "Truck", "Rail", "Vessel"',
        ),
    ],
    "oil-and-gas-delivery-ticket-issuer-object.json": [
        ("issuer", "expected string, got object"),
    ],
    "intellectual-property-rights-license-missing-licensee.json": [
        ("credentialSubject.licensee", MISSING),
    ],
    "fsma-shipping-cte-quantity-not-a-number.json": [
        ("credentialSubject.shipment.product.quantity", "expected number, got string"),
    ],
    "cafta-dr-certification-of-origin-short-hs-code.json": [
        ("credentialSubject.goods[0].commodityCode", "expected a value matching ^[0-9]{6,10}$"),
    ],
    "cafta-dr-certification-of-origin-missing-exporter.json": [
        ("credentialSubject.exporter", MISSING),
    ],
    "cafta-dr-certification-of-origin-unknown-origin-criterion.json": [
        ("credentialSubject.goods[1].originCriterion", 'expected one of "A", "B", "C"'),
    ],
    "cafta-dr-certification-of-origin-many-problems.json": [
        ("validFrom", "expected an RFC 3339 date-time with a time zone offset"),
        ("issuer", "expected an absolute URI"),
        ("credentialSubject.producer", MISSING),
        ("credentialSubject.certificationDate", "expected a date (YYYY-MM-DD)"),
        ("credentialSubject.importer.phoneNumber", MISSING),
        ("credentialSubject.importer.email", "expected an email address"),
        (
            "credentialSubject.goods[0].countryOfOrigin",
            'expected one of "CR", "DO", "GT", "HN", "NI", "SV", "US"',
        ),
    ],
}


def _load(name):
    return json.loads((ASSETS / name).read_text(encoding="utf-8"))


def _bundled_schemas():
    return sorted(SCHEMAS.rglob("*.json"))


def _as_vc_1_1(credential):
    """The same credential in a VC 1.1 envelope (VC Data Model 1.1 §4.1, §4.6, §4.7)."""
    renamed = {"validFrom": "issuanceDate", "validUntil": "expirationDate"}
    converted = {renamed.get(key, key): value for key, value in credential.items()}
    converted["@context"] = [VC_1_1_CONTEXT, *credential["@context"][1:]]
    return converted


def _mill_test_report():
    return _load("valid-mill-test-report.json")


# --- the registry -------------------------------------------------------------------------------


def test_supported_types_are_sorted_unique_and_bundled():
    types = content.supported_types()
    names = [credential_type.name for credential_type in types]
    assert names == sorted(names)
    assert len(set(names)) == len(names) == len(VALID)
    for credential_type in types:
        schema = content._schemas()[credential_type.schema_id]
        # The registry's name is the one credentials carry: the schema's own type constant.
        assert schema["properties"]["type"]["const"] == [
            "VerifiableCredential",
            credential_type.name,
        ]
        assert isinstance(credential_type.domain, Domain)
        assert credential_type.source


def test_supported_types_cover_every_bundled_credential_schema():
    credential_schemas = {
        json.loads(path.read_text(encoding="utf-8"))["$id"]
        for path in [
            *SCHEMAS.glob("traceability/credentials/*.json"),
            *SCHEMAS.glob("tradetrace/*.json"),
        ]
    }
    assert {t.schema_id for t in content.supported_types()} == credential_schemas


def test_supported_types_name_their_domains():
    domains = {t.name: t.domain for t in content.supported_types()}
    assert domains["MillTestReportCredential"] is Domain.STEEL
    assert domains["OilAndGasDeliveryTicketCredential"] is Domain.OIL_AND_GAS
    assert domains["CBPEntryType86Credential"] is Domain.E_COMMERCE
    assert domains["FSMAShippingCTECredential"] is Domain.FOOD
    assert domains["CAFTADRCertificationOfOrigin"] is Domain.ORIGIN
    assert domains["CommercialInvoiceCredential"] is Domain.TRADE


def test_find_credential_type_knows_only_supported_names():
    found = content.find_credential_type("USMCACertificationOfOrigin")
    assert found is not None
    assert found.schema_id.endswith("/credentials/USMCACertificationOfOrigin.yml")
    assert content.find_credential_type("VerifiableCredential") is None
    # The JSON-LD term differs from the type the schema and its example use (schemas/README.md).
    assert content.find_credential_type("CBPSection321DeMinimisDeMinimisCredential") is None


@pytest.mark.parametrize("credential_type", content.supported_types(), ids=lambda t: t.name)
def test_required_content_fields_are_defined_by_each_schema(credential_type):
    schema = content._schemas()[credential_type.schema_id]
    assert set(schema["required"]) <= set(schema["properties"])


# --- the bundled schemas ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", _bundled_schemas(), ids=lambda path: str(path.relative_to(SCHEMAS))
)
def test_bundled_schema_example_validates(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    example = json.loads(schema["example"])
    errors = list(content._schema_validator(schema["$id"]).iter_errors(example))
    assert content_problems.problems_from_errors(errors) == []


def test_bundled_vocabulary_schemas_match_the_conversion_script():
    pytest.importorskip("yaml")
    if not VOCABULARY.is_dir():
        pytest.skip(f"the vocabulary source is not at {VOCABULARY}")
    path = ROOT / "scripts" / "vendor_vocab_schemas.py"
    spec = importlib.util.spec_from_file_location("vendor_vocab_schemas", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--check", "--source", str(VOCABULARY)]) == 0, "run the script"


# --- valid credentials --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "asset_name"), VALID.items())
def test_validate_content_accepts_each_supported_example(name, asset_name):
    result = validate_content(_load(asset_name))
    assert result.matched is not None
    assert result.matched.name == name
    assert result.code is ContentCode.SCHEMA_VALID
    assert result.schema_id == result.matched.schema_id
    assert result.data_model is DataModel.VC_2_0


@pytest.mark.parametrize(("name", "asset_name"), VALID.items())
def test_validate_content_accepts_each_example_in_a_vc_1_1_envelope(name, asset_name):
    result = validate_content(_as_vc_1_1(_load(asset_name)))
    assert result.matched is not None
    assert result.matched.name == name
    assert result.data_model is DataModel.VC_1_1


def test_validate_content_accepts_the_vc_1_1_mill_test_report_asset():
    result = validate_content(_load("valid-mill-test-report-vc11.json"))
    assert result.code is ContentCode.SCHEMA_VALID
    assert result.data_model is DataModel.VC_1_1


def test_validate_content_leaves_envelope_fields_to_other_checks():
    credential = _mill_test_report()
    credential["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    credential["credentialSchema"] = {"id": "https://example.com/schema.json", "type": "JsonSchema"}
    credential["credentialStatus"] = {"type": "BitstringStatusListEntry", "statusListIndex": "7"}
    credential["proof"] = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022"}
    credential["termsOfUse"] = [{"type": "IssuerPolicy"}]
    assert validate_content(credential).code is ContentCode.SCHEMA_VALID


def test_validate_content_accepts_a_read_only_mapping():
    result = validate_content(MappingProxyType(_mill_test_report()))
    assert result.code is ContentCode.SCHEMA_VALID


def test_validate_content_compiles_each_validator_once():
    credential_type = content.find_credential_type("MillTestReportCredential")
    first = content._content_validator(credential_type, DataModel.VC_2_0)
    assert content._content_validator(credential_type, DataModel.VC_2_0) is first
    assert content._content_validator(credential_type, DataModel.VC_1_1) is not first


# --- unknown and malformed types ----------------------------------------------------------------


def test_validate_content_skips_an_unsupported_type():
    result = validate_content(_load("unknown-type-verifiable-business-card.json"))
    assert result.matched is None
    assert result.code is ContentCode.SCHEMA_UNKNOWN_TYPE
    assert result.schema_id is None
    assert result.data_model is DataModel.VC_2_0


def test_validate_content_reads_a_type_given_as_one_string():
    credential = _mill_test_report()
    credential["type"] = "VerifiableCredential"
    assert validate_content(credential).code is ContentCode.SCHEMA_UNKNOWN_TYPE
    credential["type"] = "MillTestReportCredential"
    # Matched, but the vocabulary's type constant wants the array with VerifiableCredential.
    with pytest.raises(InvalidDocument, match=r"type: expected \[\"VerifiableCredential\"") as info:
        validate_content(credential)
    assert info.value.code == "invalid_document"


def test_validate_content_rejects_an_extra_type_after_the_constant():
    credential = _mill_test_report()
    credential["type"].append("SteelCertificate")
    with pytest.raises(InvalidDocument, match=r"invalid MillTestReportCredential content") as info:
        validate_content(credential)
    assert info.value.code == "invalid_document"
    # The constant and the items' enum both object: the array, and its third item.
    assert [problem.field for problem in info.value.problems] == ["type", "type[2]"]


@pytest.mark.parametrize(
    ("declared", "reason"),
    [
        (None, "missing required property"),
        (7, "expected a string or an array of strings"),
        (["VerifiableCredential", 7], "expected a string or an array of strings"),
    ],
)
def test_validate_content_rejects_a_malformed_type(declared, reason):
    credential = _mill_test_report()
    if declared is None:
        del credential["type"]
    else:
        credential["type"] = declared
    with pytest.raises(
        InvalidDocument, match=re.escape(f"invalid credential: type: {reason}")
    ) as info:
        validate_content(credential)
    assert info.value.code == "invalid_document"
    assert info.value.problems == (FieldProblem("type", reason),)


def test_validate_content_rejects_two_supported_types():
    credential = _mill_test_report()
    credential["type"] = [
        "VerifiableCredential",
        "MillTestReportCredential",
        "CertificationOfOrigin",
    ]
    reason = (
        "names more than one supported credential type: "
        "MillTestReportCredential, CertificationOfOrigin"
    )
    with pytest.raises(InvalidDocument, match=re.escape(reason)) as info:
        validate_content(credential)
    assert info.value.code == "invalid_document"
    assert info.value.problems == (FieldProblem("type", reason),)


def test_validate_content_rejects_a_document_that_is_not_an_object():
    with pytest.raises(InvalidDocument, match="credential: expected a JSON object") as info:
        validate_content([_mill_test_report()])  # type: ignore[arg-type]
    assert info.value.code == "invalid_document"


@pytest.mark.parametrize("bad_value", [{1: "integer key"}, MappingProxyType({"a": "b"})])
def test_validate_content_rejects_values_that_are_not_json(bad_value):
    credential = _mill_test_report()
    credential["credentialSubject"]["remarks"] = bad_value
    with pytest.raises(InvalidDocument, match="credential: expected JSON values only") as info:
        validate_content(credential)
    assert info.value.code == "invalid_document"
    assert isinstance(info.value.__cause__, ValueError)


# --- tampered credentials -----------------------------------------------------------------------


@pytest.mark.parametrize(("asset_name", "expected"), TAMPERED.items())
def test_validate_content_names_every_field_at_fault(asset_name, expected):
    first_field = re.escape(expected[0][0])
    with pytest.raises(InvalidDocument, match=rf"^invalid \w+ content: {first_field}: ") as info:
        validate_content(_load(asset_name))
    assert info.value.code == "invalid_document"
    assert [(p.field, p.reason) for p in info.value.problems] == expected


def test_validate_content_reports_several_problems_at_once():
    credential = _mill_test_report()
    del credential["id"]
    credential["validFrom"] = "yesterday"
    credential["credentialSubject"]["inspections"] = []
    credential["credentialSubject"]["unknownField"] = 1
    credential["credentialSubject"]["customer"]["location"]["address"]["streetAddress"] = 12
    with pytest.raises(InvalidDocument, match=r"invalid MillTestReportCredential content") as info:
        validate_content(credential)
    assert info.value.code == "invalid_document"
    assert set(info.value.problems) == {
        FieldProblem("id", MISSING),
        FieldProblem("validFrom", "expected an RFC 3339 date-time with a time zone offset"),
        FieldProblem("credentialSubject.inspections", "expected at least 1 item, got 0"),
        FieldProblem("credentialSubject.unknownField", "property not allowed by the schema"),
        FieldProblem(
            "credentialSubject.customer.location.address.streetAddress",
            "expected string, got integer",
        ),
    }


def test_validate_content_keeps_values_out_of_the_message():
    credential = _load("valid-cafta-dr-certification-of-origin.json")
    credential["credentialSubject"]["importer"]["email"] = "secret person at example"
    with pytest.raises(
        InvalidDocument, match=r"importer\.email: expected an email address"
    ) as info:
        validate_content(credential)
    assert info.value.code == "invalid_document"
    assert "secret" not in str(info.value)


# --- property: any content gives a result or a well-formed error --------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    asset_name=st.sampled_from(sorted(VALID.values())),
    key=st.sampled_from(
        [
            "credentialSubject",
            "issuer",
            "validFrom",
            "validUntil",
            "id",
            "type",
            "@context",
            "extra",
        ]
    ),
    inner=st.booleans(),
    value=_JSON,
)
def test_validate_content_never_fails_on_arbitrary_content(asset_name, key, inner, value):
    credential = _load(asset_name)
    if inner and isinstance(credential.get(key), dict):
        credential[key] = {**credential[key], "injected": value}
    else:
        credential[key] = value
    try:
        validate_content(credential)
    except InvalidDocument as error:
        assert error.code == "invalid_document"
        assert error.problems
        for problem in error.problems:
            assert problem.field
            assert problem.reason[0].islower()
            assert not problem.reason.endswith(".")


# --- problem reasons ----------------------------------------------------------------------------


def _problems(schema, instance):
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    return content_problems.problems_from_errors(validator.iter_errors(instance))


@pytest.mark.parametrize(
    ("schema", "instance", "expected"),
    [
        ({"maxItems": 1}, [1, 2], [("credential", "expected at most 1 item, got 2")]),
        ({"minItems": 2}, [1], [("credential", "expected at least 2 items, got 1")]),
        ({"minLength": 1}, "", [("credential", "expected at least 1 character, got 0")]),
        ({"maxLength": 2}, "abc", [("credential", "expected at most 2 characters, got 3")]),
        (
            {"type": ["string", "null"]},
            1.5,
            [("credential", "expected null or string, got number")],
        ),
        ({"type": "string"}, True, [("credential", "expected string, got boolean")]),
        ({"type": "string"}, None, [("credential", "expected string, got null")]),
        ({"type": "string"}, [], [("credential", "expected string, got array")]),
        ({"format": "ipv4"}, "x", [("credential", "expected the ipv4 format")]),
        ({"minimum": 3}, 2, [("credential", "breaks the schema's minimum rule")]),
        (
            {"oneOf": [{"type": "string"}, {"type": "string"}]},
            "s",
            [("credential", "matches more than one of the allowed alternatives")],
        ),
        (
            {"oneOf": [{"type": "string"}, {"type": "array"}]},
            5,
            [("credential", "matches none of the allowed alternatives")],
        ),
        (
            {"anyOf": [{"type": "string"}, {"type": "array", "items": {"enum": ["X"]}}]},
            ["Y", "X", "Z"],
            [("[0]", 'expected one of "X"'), ("[2]", 'expected one of "X"')],
        ),
        (
            {"const": "x" * 200},
            "y",
            [("credential", "expected " + json.dumps("x" * 200)[:119] + "…")],
        ),
        (
            {"properties": {"a b": {"properties": {"c": {"required": ["d"]}}}}},
            {"a b": {"c": {}}},
            [('["a b"].c.d', MISSING)],
        ),
    ],
)
def test_problem_reasons_name_what_was_expected(schema, instance, expected):
    problems = _problems(schema, instance)
    assert [(p.field, p.reason) for p in problems] == expected


def test_problem_for_the_closest_alternative_is_chosen():
    schema = {
        "oneOf": [
            {"required": ["z"]},
            {"properties": {"a": {"const": 1}, "b": {"const": 2}}},
            {"properties": {"kind": {"const": "x"}}, "required": ["kind"]},
        ]
    }
    # The first alternative fails on the object itself, the second on two fields, the third on
    # one: the third is reported.
    problems = _problems(schema, {"kind": "y", "a": 0, "b": 0})
    assert problems == [FieldProblem("kind", 'expected "x"')]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            ["credentialSubject", "goods", 0, "commodityCode"],
            "credentialSubject.goods[0].commodityCode",
        ),
        (["@context", 1], "@context[1]"),
        ([0, "a"], "[0].a"),
        (["with.dot"], '["with.dot"]'),
        ([], "credential"),
    ],
)
def test_field_path_is_dotted_and_indexed(path, expected):
    assert content_problems.field_path(path) == expected
