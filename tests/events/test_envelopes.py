import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.events import envelopes, validation


def test_untp_dte_subject_becomes_an_epcis_event():
    credential = {
        "type": ["VerifiableCredential", "DigitalTraceabilityEvent"],
        "@context": ["https://www.w3.org/ns/credentials/v2", {"ex": "https://example.com/"}],
        "credentialSubject": [
            {
                "type": ["TransformationEvent", "Event"],
                "id": "urn:uuid:1",
                "eventTime": "2026-10-01T10:00:00+02:00",
                "bizStep": "commissioning",
                "bizLocation": "https://id.gs1.org/414/0614141000234",
                "inputEPCList": [{"id": "urn:epc:id:sgtin:0614141.107346.2017", "name": "x"}],
                "outputQuantityList": [
                    {
                        "productId": "urn:epc:class:lgtin:4012345.012345.998877",
                        "quantity": 5,
                        "uom": "KGM",
                        "productName": "y",
                    }
                ],
                "processType": "cutting",
                "ex:batch": "B1",
            }
        ],
    }
    [event] = envelopes.credential_events(credential)
    assert event["type"] == "TransformationEvent"
    assert event["eventID"] == "urn:uuid:1"
    assert event["eventTimeZoneOffset"] == "+02:00"
    assert event["inputEPCList"] == ["urn:epc:id:sgtin:0614141.107346.2017"]
    assert event["outputQuantityList"][0]["epcClass"].endswith("998877")
    assert "processType" not in event and event["ex:batch"] == "B1"
    document = envelopes.events_document(
        [event], created="2026-10-02T00:00:00Z", context=credential["@context"]
    )
    assert validation.document_problems(document) == []


def test_other_credentials_are_refused():
    with pytest.raises(InvalidDocument, match="not an event credential") as e:
        envelopes.credential_events({"type": ["VerifiableCredential"], "credentialSubject": {}})
    assert e.value.code == "invalid_document"
    with pytest.raises(InvalidDocument, match="carries no event") as e:
        envelopes.credential_events({"type": ["EventCredential"], "credentialSubject": []})
    assert e.value.code == "invalid_document"
