"""Traceability Interop API: discovery, identifiers and credentials (tradetrace.api.routes)."""

import pytest

from tests.api.interop import credential_body, make_party, suite_body


@pytest.fixture
def party(client):
    return make_party(client)


@pytest.fixture
def auth(client, party):
    return party.headers(client)


def test_did_json_lists_the_traceability_api_service(client, party, settings):
    document = client.get("/.well-known/did.json").json()
    assert document["id"] == party.did
    assert document["service"] == [
        {
            "id": f"{party.did}#traceability-api",
            "type": ["TraceabilityAPI"],
            "serviceEndpoint": f"{settings.effective_public_url}/interop",
        }
    ]


def test_identifiers_resolve_hosted_did_with_service(client, party, auth):
    response = client.get(f"/interop/identifiers/{party.did}", headers=auth)
    assert response.status_code == 200
    assert response.json()["didDocument"]["service"][0]["type"] == ["TraceabilityAPI"]


@pytest.mark.parametrize(
    ("identifier", "status"),
    [("invalid_did", 400), ("did:web:example.com", 404), ("urn:uuid:0e0e0e0e", 404)],
)
def test_identifiers_errors(client, auth, identifier, status):
    response = client.get(f"/interop/identifiers/{identifier}", headers=auth)
    assert response.status_code == status
    assert response.json()["message"]


def test_issue_ed25519_signature_2018(client, party, auth):
    response = client.post(
        "/interop/credentials/issue", json=credential_body(party.did), headers=auth
    )
    assert response.status_code == 201, response.text
    credential = response.json()["verifiableCredential"]
    assert credential["issuer"] == party.did
    assert credential["issuanceDate"] == "2006-01-02T15:04:05Z"
    assert credential["proof"]["type"] == "Ed25519Signature2018"
    assert credential["proof"]["verificationMethod"].startswith(party.did + "#")
    verdict = client.post(
        "/interop/credentials/verify", json={"verifiableCredential": credential}, headers=auth
    ).json()
    assert verdict["verified"] is True
    assert "proof" in verdict["checks"]


def test_issue_honours_options_created(client, party, auth):
    body = credential_body(party.did, created="2006-01-02T15:04:05Z")
    response = client.post("/interop/credentials/issue", json=body, headers=auth)
    assert response.json()["verifiableCredential"]["proof"]["created"] == "2006-01-02T15:04:05Z"


def test_issue_json_web_signature_2020(client, party, auth):
    body = credential_body(party.did)
    body["credential"]["@context"].insert(1, "https://w3id.org/security/suites/jws-2020/v1")
    body["options"]["type"] = "JsonWebSignature2020"
    response = client.post("/interop/credentials/issue", json=body, headers=auth)
    assert response.status_code == 201, response.text
    assert response.json()["verifiableCredential"]["proof"]["jws"].startswith(
        "eyJhbGciOiJFUzI1NiIs"
    )


def test_issue_unknown_issuer_is_422(client, auth):
    body = credential_body("urn:uuid:9b4c7a3e-0000-4000-8000-000000000000")
    response = client.post("/interop/credentials/issue", json=body, headers=auth)
    assert response.status_code == 422
    assert "not hosted on this node" in response.json()["message"]


def test_issue_as_another_hosted_organisation_is_403(client, auth):
    other = make_party(client, slug="other", root=False)
    response = client.post(
        "/interop/credentials/issue", json=credential_body(other.did), headers=auth
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda body: body.pop("credential"), "credential"),
        (lambda body: body["credential"].update({"@context": "x"}), "credential.@context"),
        (lambda body: body["credential"].update({"issuer": "not.a.uri"}), "credential.issuer"),
        (lambda body: body["credential"].update({"type": []}), "credential.type"),
        (lambda body: body["options"].update({"type": "invalid value"}), "options.type"),
        (lambda body: body["options"].update({"created": "yesterday"}), "options.created"),
        (lambda body: body["credential"].update({"issuanceDate": "nope"}), "issuanceDate"),
    ],
)
def test_issue_bad_request_names_the_field(client, party, auth, change, field):
    body = credential_body(party.did)
    change(body)
    response = client.post("/interop/credentials/issue", json=body, headers=auth)
    assert response.status_code == 400, response.text
    problem = response.json()
    assert field in [item["field"] for item in problem["errors"]]
    assert problem["message"] == problem["detail"]


def test_verify_suite_positive_and_bad_signature(client, auth):
    good = client.post(
        "/interop/credentials/verify", json=suite_body("credentials_verify"), headers=auth
    )
    assert good.status_code == 200
    assert good.json()["verified"] is True
    bad = client.post(
        "/interop/credentials/verify",
        json=suite_body("credentials_verify:bad_signature"),
        headers=auth,
    )
    assert bad.status_code == 200
    assert bad.json()["verified"] is False
    assert any(item.startswith("proof: signature_invalid") for item in bad.json()["errors"])


def test_verify_schema_invalid_credential_is_400(client, auth):
    body = suite_body("credentials_verify")
    body["verifiableCredential"]["proof"]["proofPurpose"] = "not a valid value"
    response = client.post("/interop/credentials/verify", json=body, headers=auth)
    assert response.status_code == 400
    fields = [item["field"] for item in response.json()["errors"]]
    assert "verifiableCredential.proof.proofPurpose" in fields


def test_status_update_revokes_and_verify_sees_it(client, party, auth):
    body = credential_body(party.did, credentialStatus={"type": "StatusList2021Entry"})
    credential = client.post("/interop/credentials/issue", json=body, headers=auth).json()[
        "verifiableCredential"
    ]
    update = {
        "credentialId": credential["id"],
        "credentialStatus": [
            {"type": "StatusList2021Entry", "statusPurpose": "revocation", "status": "1"}
        ],
    }
    response = client.post("/interop/credentials/status", json=update, headers=auth)
    assert response.status_code == 200, response.text
    verdict = client.post(
        "/interop/credentials/verify", json={"verifiableCredential": credential}, headers=auth
    ).json()
    assert verdict["verified"] is False
    assert any(item.startswith("status: revoked") for item in verdict["errors"])
    status_list = credential["credentialStatus"][0]["statusListCredential"].rsplit("/", 1)[1]
    assert client.get(f"/interop/credentials/{status_list}").status_code == 200


def test_status_update_errors(client, auth):
    missing_purpose = {
        "credentialId": "urn:uuid:x",
        "credentialStatus": [{"type": "StatusList2021Entry", "status": "1"}],
    }
    assert (
        client.post("/interop/credentials/status", json=missing_purpose, headers=auth).status_code
        == 400
    )
    unknown = {
        **missing_purpose,
        "credentialStatus": [
            {"type": "StatusList2021Entry", "purpose": "revocation", "status": "1"}
        ],
    }
    assert client.post("/interop/credentials/status", json=unknown, headers=auth).status_code == 404


def test_get_credential_needs_its_issuers_token(client, party, auth):
    credential = client.post(
        "/interop/credentials/issue", json=credential_body(party.did), headers=auth
    ).json()["verifiableCredential"]
    assert client.get(f"/interop/credentials/{credential['id']}").status_code == 404
    response = client.get(f"/interop/credentials/{credential['id']}", headers=auth)
    assert response.status_code == 200
    assert response.json()["proof"] == credential["proof"]
