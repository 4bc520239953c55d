"""The VC Data Model envelope: 2.0 and 1.1, field naming, dateTimeStamp, digests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.credentials import vc_assets
from tradetrace import errors
from tradetrace.credentials import jcs, model

CONTENT = vc_assets.VC / "content"


def _credential(**changes):
    document = {
        "@context": [model.VC_2_0_CONTEXT, "https://w3id.org/traceability/v1"],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "MillTestReportCredential"],
        "issuer": {"id": "did:web:mill.example.com", "name": "Mill"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"heatNumber": "1"},
    }
    document.update(changes)
    return {name: value for name, value in document.items() if value is not None}


def test_credential_2_0_envelope():
    credential = model.Credential.from_dict(_credential(validUntil="2027-01-01T01:00:00+01:00"))
    assert credential.data_model is model.DataModel.VC_2_0
    assert credential.issuer == "did:web:mill.example.com"
    assert credential.types == ("VerifiableCredential", "MillTestReportCredential")
    assert credential.not_before == datetime(2026, 1, 1, tzinfo=UTC)
    assert credential.not_after == datetime(2027, 1, 1, tzinfo=UTC)
    assert credential.credential_subject == ({"heatNumber": "1"},)
    assert credential.credential_status == ()


def test_credential_1_1_envelope():
    document = json.loads((CONTENT / "valid-mill-test-report-vc11.json").read_text())
    credential = model.Credential.from_dict(document)
    assert credential.data_model is model.DataModel.VC_1_1
    assert credential.not_before == credential.issuance_date is not None
    assert credential.valid_from is None


def test_credential_accepts_single_values_and_status_lists():
    entry = {"type": "BitstringStatusListEntry", "statusListIndex": "1"}
    credential = model.Credential.from_dict(
        _credential(**{"@context": model.VC_2_0_CONTEXT, "type": "VerifiableCredential"})
        | {"credentialStatus": [entry, entry], "issuer": "https://issuer.example"}
    )
    assert credential.context == (model.VC_2_0_CONTEXT,)
    assert len(credential.credential_status) == 2


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"@context": ["https://example.com/v1"]}, "@context: the first entry must be"),
        ({"@context": []}, "@context: expected a non-empty array"),
        ({"@context": [model.VC_2_0_CONTEXT, 5]}, "@context: expected context URLs and objects"),
        ({"type": ["MillTestReportCredential"]}, "type: must include VerifiableCredential"),
        ({"type": [1]}, "type: expected a string or a non-empty array of strings"),
        ({"id": "not a url"}, "id: expected a URL"),
        ({"issuer": None}, "issuer: field required"),
        ({"issuer": {"name": "Mill"}}, "issuer: an issuer or holder object needs an id"),
        ({"issuer": "mill"}, "issuer: expected a URL"),
        ({"validFrom": "2026-01-01"}, "validFrom: expected an XML Schema dateTimeStamp"),
        ({"validFrom": "2026-02-30T00:00:00Z"}, "validFrom: invalid date or time"),
        ({"validUntil": "2025-01-01T00:00:00Z"}, "validUntil: ends before the validity period"),
        (
            {"issuanceDate": "2026-01-01T00:00:00Z"},
            "issuanceDate: not a VC 2.0 property, use validFrom",
        ),
        (
            {"valid_from": "2026-01-01T00:00:00Z"},
            "valid_from: unknown property, the wire name is validFrom",
        ),
        ({"credentialSubject": None}, "credentialSubject: field required"),
        ({"credentialSubject": []}, "credentialSubject: expected an object or a non-empty array"),
        ({"credentialStatus": {"id": "x"}}, "credentialStatus: each entry needs a type"),
        ({"credentialSchema": ["x"]}, "credentialSchema: expected an object"),
    ],
)
def test_credential_problems_name_the_field(changes, problem):
    with pytest.raises(errors.InvalidDocument, match="invalid credential") as caught:
        model.Credential.from_dict(_credential(**changes))
    assert caught.value.code == "invalid_document"
    assert any(str(item).startswith(problem) for item in caught.value.problems), (
        caught.value.problems
    )


def test_credential_1_1_naming_problems():
    document = _credential(**{"@context": [model.VC_1_1_CONTEXT]})
    with pytest.raises(
        errors.InvalidDocument, match=r"issuanceDate: required in a VC 1\.1"
    ) as caught:
        model.Credential.from_dict(document)
    assert caught.value.code == "invalid_document"
    assert [str(p) for p in caught.value.problems] == [
        "validFrom: not a VC 1.1 property, use issuanceDate",
        "issuanceDate: required in a VC 1.1 credential",
    ]
    document = _credential(
        **{"@context": [model.VC_1_1_CONTEXT], "validFrom": None},
        issuanceDate="2026-01-01T00:00:00Z",
        expirationDate="2025-01-01T00:00:00Z",
    )
    with pytest.raises(errors.InvalidDocument, match="expirationDate: ends before") as caught:
        model.Credential.from_dict(document)
    assert caught.value.code == "invalid_document"


def test_credential_refuses_non_objects():
    for data in ([], "credential", None):
        with pytest.raises(errors.InvalidDocument, match="invalid credential") as caught:
            model.Credential.from_dict(data)
        assert caught.value.code == "invalid_document"


def test_presentation_envelope():
    presentation = model.Presentation.from_dict(
        {
            "@context": [model.VC_2_0_CONTEXT],
            "type": "VerifiablePresentation",
            "holder": {"id": "did:example:holder"},
            "verifiableCredential": {"id": "x"},
        }
    )
    assert presentation.holder == "did:example:holder"
    assert presentation.verifiable_credential == ({"id": "x"},)
    with pytest.raises(
        errors.InvalidDocument, match="type: must include VerifiablePresentation"
    ) as caught:
        model.Presentation.from_dict({"@context": [model.VC_2_0_CONTEXT], "type": "X"})
    assert caught.value.code == "invalid_document"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-31T12:00:00Z", datetime(2026, 1, 31, 12, tzinfo=UTC)),
        ("2026-01-31T12:00:00.1234567-05:30", datetime(2026, 1, 31, 17, 30, 0, 123456, tzinfo=UTC)),
        ("2026-01-31T00:00:00+14:00", datetime(2026, 1, 30, 10, tzinfo=UTC)),
    ],
)
def test_parse_date_time_stamp(text, expected):
    assert model.parse_date_time_stamp(text) == expected


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("2026-01-31T12:00:00", "expected an XML Schema dateTimeStamp"),
        ("2026-01-31 12:00:00Z", "expected an XML Schema dateTimeStamp"),
        (20260131, "expected an XML Schema dateTimeStamp"),
        ("0000-01-01T00:00:00Z", "invalid date or time"),
        ("12026-01-01T00:00:00Z", "invalid date or time"),
        ("2026-01-31T24:00:00Z", "invalid date or time"),
        ("2026-01-31T12:00:00+14:30", "offset outside"),
    ],
)
def test_parse_date_time_stamp_refuses(value, match):
    with pytest.raises(errors.InvalidDocument, match=match) as caught:
        model.parse_date_time_stamp(value)
    assert caught.value.code == "invalid_document"


@given(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_parse_date_time_stamp_round_trips(moment, minutes):
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    assert model.parse_date_time_stamp(aware.isoformat()) == aware


def test_secured_bytes_and_digest():
    document = {"b": 1, "a": "ü"}
    assert model.secured_bytes(document) == '{"b":1,"a":"ü"}'.encode()
    assert model.secured_bytes("a.b.c") == b"a.b.c"
    import hashlib

    assert model.secured_digest(document) == hashlib.sha256(jcs.canonicalize(document)).hexdigest()
    assert model.secured_digest("a.b.c") == hashlib.sha256(b"a.b.c").hexdigest()
    with pytest.raises(errors.InvalidDocument, match="no JSON form") as caught:
        model.secured_bytes({"a": float("inf")})
    assert caught.value.code == "invalid_document"
