"""``/api/entries``: file, list, show and assess entries, for operators only."""

import json

import pytest

from tests.api.desk import OPERATOR, Clock, desk_client
from tests.api.interop import WORKFLOW, send_presentation
from tests.conftest import ASSETS, FIXED_NOW
from tradetrace.credentials import issue
from tradetrace.workflows import credentials, identity

ENTRY = json.loads((ASSETS / "customs" / "usmca-conductors-entry.json").read_text())
NUMBER = "B76-0251001-1"


@pytest.fixture
def client(settings, engine):
    with desk_client(settings, engine, Clock(FIXED_NOW)) as client:
        yield client


def test_file_assess_show_list(client):
    filed = client.post("/api/entries", json={"entry": ENTRY, "instances": ["urn:uuid:s-1"]},
                        headers=OPERATOR)  # fmt: skip
    assert filed.status_code == 200, filed.text
    assert filed.json()["new"] is True
    assert filed.json()["instances"] == [NUMBER, "urn:uuid:s-1"]
    again = client.post("/api/entries", json={"entry": ENTRY, "instances": ["urn:uuid:s-1"]},
                        headers=OPERATOR)  # fmt: skip
    assert again.json()["new"] is False
    assert client.app.state.ledger.store.entries_with_key(filed.json()["digest"])

    decided = client.post(f"/api/entries/{NUMBER}/assess", headers=OPERATOR)
    assert decided.status_code == 200, decided.text
    decision = decided.json()
    assert decision["decision"]["entry_number"] == NUMBER
    assert decision["explanation"].startswith(f"Entry {NUMBER}")
    assert client.app.state.ledger.store.entries_with_key(decision["digest"])

    shown = client.get(f"/api/entries/{NUMBER}", headers=OPERATOR).json()
    assert shown["entry"]["entryNumber"] == NUMBER
    assert [item["id"] for item in shown["decisions"]] == [decision["id"]]
    listed = client.get("/api/entries", headers=OPERATOR).json()["items"]
    assert [(item["entry_number"], item["recommendation"]) for item in listed] == [
        (NUMBER, decision["recommendation"])
    ]


def test_other_data_is_409_without_replace(client):
    client.post("/api/entries", json={"entry": ENTRY}, headers=OPERATOR)
    changed = {**ENTRY, "portOfEntry": "2305"}
    refused = client.post("/api/entries", json={"entry": changed}, headers=OPERATOR)
    assert refused.status_code == 409
    replaced = client.post("/api/entries", json={"entry": changed, "replace": True},
                           headers=OPERATOR)  # fmt: skip
    assert replaced.json()["version"] == 2


def test_bad_entries_are_400_naming_the_field(client):
    broken = json.loads(json.dumps(ENTRY))
    broken["lines"][0]["hts10"] = "85444290"
    response = client.post("/api/entries", json={"entry": broken}, headers=OPERATOR)
    assert response.status_code == 400
    assert "lines[0].hts10" in response.text
    neither = client.post("/api/entries", json={}, headers=OPERATOR)
    assert neither.status_code == 400
    assert "exactly one of entry or credential" in neither.text


def _signed_entry_credential(client):
    """The broker files the USMCA entry as a CBP7501EntrySummaryCredential it signs."""
    document = json.loads((ASSETS / "customs" / "entry-summary-credential.json").read_text())
    settings = client.app.state.settings
    document["issuer"]["id"] = identity.organisation_did(settings, "border-brokers")
    with client.app.state.session_factory() as session:
        identity.create_organisation(
            session, settings, slug="border-brokers", name="Border Customs Brokers LLC",
            country="US", roles=["broker"], now=FIXED_NOW,
        )  # fmt: skip
        return credentials.issue_as_organisation(
            session, settings, client.app.state.ledger, slug="border-brokers",
            credential=document, format=issue.Format.VC_JWT, now=FIXED_NOW,
        )  # fmt: skip


def test_an_entry_credential_is_verified_then_filed(client):
    secured = _signed_entry_credential(client)
    response = client.post("/api/entries", json={"credential": secured.to_bytes().decode()},
                           headers=OPERATOR)  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["entry_number"] == NUMBER
    assert response.json()["from_credential"] is True
    shown = client.get(f"/api/entries/{NUMBER}", headers=OPERATOR).json()
    assert shown["entry"]["lines"][0]["hts10"] == "8544429090"


def test_an_entry_credential_that_does_not_verify_is_refused(client):
    header, payload, signature = _signed_entry_credential(client).to_bytes().decode().split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    response = client.post("/api/entries", json={"credential": forged}, headers=OPERATOR)
    assert response.status_code == 422, response.text
    assert "did not verify" in response.json()["detail"]
    unsigned = json.loads((ASSETS / "customs" / "entry-summary-credential.json").read_text())
    response = client.post("/api/entries", json={"credential": unsigned}, headers=OPERATOR)
    assert response.status_code == 400, response.text
    assert client.get("/api/entries", headers=OPERATOR).json()["items"] == []


def test_entries_need_an_operator(client):
    assert client.get("/api/entries").status_code == 401
    assert client.post("/api/entries", json={"entry": ENTRY}).status_code == 401
    assert client.get(f"/api/entries/{NUMBER}", headers=OPERATOR).status_code == 404


def test_inbox_groups_received_presentations_by_instance(client):
    assert client.get("/api/inbox").status_code == 401
    assert client.get("/api/inbox", headers=OPERATOR).json() == {"groups": []}
    proved = send_presentation(client)
    instance = WORKFLOW["instance"][0]
    (group,) = client.get(f"/api/inbox?instance={instance}", headers=OPERATOR).json()["groups"]
    assert group["instance"] == instance
    assert [item["id"] for item in group["presentations"]] == [proved["id"]]
    assert group["presentations"][0]["verified"] is True
    assert group["presentations"][0]["credentials"] == 1
    assert client.get("/api/inbox?instance=urn:uuid:none", headers=OPERATOR).json() == {
        "groups": []
    }
