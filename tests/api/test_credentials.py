"""Issue as a hosted organisation, verify, revoke, and the published status list."""

import json

from tests.conftest import ADMIN, ASSETS

MTR = json.loads((ASSETS / "vc" / "content" / "valid-mill-test-report.json").read_text())


def _unsigned():
    skip = ("proof", "issuer", "id", "validFrom", "validUntil")
    return {key: value for key, value in MTR.items() if key not in skip}


def _mill(client):
    created = client.post(
        "/api/organisations",
        json={"slug": "mill", "name": "Mill", "country": "CA", "roles": ["steel_mill"]},
        headers=ADMIN,
    )
    assert created.status_code == 201


def test_issue_verify_revoke_round_trip(client):
    _mill(client)
    issued = client.post(
        "/api/credentials/issue",
        json={"organisation": "mill", "credential": _unsigned(), "format": "ecdsa-jcs-2019"},
        headers=ADMIN,
    )
    assert issued.status_code == 201, issued.text
    document = issued.json()["credential"]
    entries = document["credentialStatus"]
    assert {entry["statusPurpose"] for entry in entries} == {"revocation", "suspension"}
    list_url = entries[0]["statusListCredential"]
    published = client.get(list_url.removeprefix("http://localhost:8000"))
    assert published.status_code == 200
    assert published.json()["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]

    verified = client.post("/api/credentials/verify", json={"document": document}).json()
    assert verified["verified"] is True, verified
    changed = client.post(
        "/api/credentials/status",
        json={"credential_id": document["id"], "action": "revoke"},
        headers=ADMIN,
    )
    assert changed.json()["version"] == 2
    after = client.post("/api/credentials/verify", json={"document": document}).json()
    assert after["verified"] is False
    assert [c["code"] for c in after["checks"] if c["id"] == "status"] == ["revoked"]


def test_verify_of_garbage_is_a_verdict_not_an_error(client):
    response = client.post("/api/credentials/verify", json={"document": "not.a.jws"})
    assert response.status_code == 200
    assert response.json()["verified"] is False


def test_issue_for_unknown_organisation_is_not_found(client):
    response = client.post(
        "/api/credentials/issue",
        json={"organisation": "nobody", "credential": _unsigned()},
        headers=ADMIN,
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
