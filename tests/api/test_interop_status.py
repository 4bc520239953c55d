"""VC-API status update and publish, as the W3C status list test suites call them: the
VC-API body of ``POST {prefix}/credentials/status`` and ``POST {statusListCredential}/publish``."""

import pytest

from tests.api.interop import credential_body, make_party
from tradetrace import oauth
from tradetrace.credentials.status import Bitstring


@pytest.fixture
def party(client):
    return make_party(client)


@pytest.fixture
def auth(client, party):
    return party.headers(client)


@pytest.fixture
def issued(client, party, auth):
    body = credential_body(party.did, credentialStatus={"type": "StatusList2021Entry"})
    response = client.post("/interop/credentials/issue", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]


def _entry(credential, purpose):
    return next(e for e in credential["credentialStatus"] if e["statusPurpose"] == purpose)


def _bit(client, entry):
    path = entry["statusListCredential"].split("://", 1)[1].split("/", 1)[1]
    listed = client.get(f"/{path}").json()
    return Bitstring.decode(listed["credentialSubject"]["encodedList"]).get(
        int(entry["statusListIndex"])
    ), listed


def _verified(client, auth, credential):
    body = {"verifiableCredential": credential}
    return client.post("/interop/credentials/verify", json=body, headers=auth).json()["verified"]


def test_vc_api_status_update_as_the_bitstring_suite_sends_it(client, auth, issued):
    # The suite's body: one credentialStatus object, no ``status`` (meaning true).
    body = {
        "credentialId": issued["id"],
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
    }
    response = client.post("/interop/credentials/status", json=body, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["status"] is True
    assert response.json()["statusPurpose"] == "revocation"
    assert _bit(client, _entry(issued, "revocation"))[0] is True
    assert _verified(client, auth, issued) is False


def test_vc_api_status_update_with_a_status_boolean_suspends_and_lifts(client, auth, issued):
    body = {
        "credentialId": issued["id"],
        "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "suspension"},
        "status": True,
    }
    assert client.post("/interop/credentials/status", json=body, headers=auth).status_code == 200
    assert _bit(client, _entry(issued, "suspension"))[0] is True
    lifted = client.post(
        "/interop/credentials/status", json={**body, "status": False}, headers=auth
    )
    assert lifted.json()["status"] is False
    assert _bit(client, _entry(issued, "suspension"))[0] is False
    assert _verified(client, auth, issued) is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}},
         "credentialId"),
        ({"credentialId": "urn:uuid:x", "credentialStatus": {"type": "BitstringStatusListEntry"}},
         "credentialStatus.statusPurpose"),
        ({"credentialId": "urn:uuid:x",
          "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "other"}},
         "credentialStatus.statusPurpose"),
        ({"credentialId": "urn:uuid:x", "status": "yes",
          "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}},
         "status"),
    ],
)  # fmt: skip
def test_vc_api_status_update_names_the_bad_field(client, auth, body, field):
    response = client.post("/interop/credentials/status", json=body, headers=auth)
    assert response.status_code == 400
    assert field in [item["field"] for item in response.json()["errors"]]


def test_an_object_with_its_own_status_is_the_interop_form_and_refused(client, auth, issued):
    # The conformance suite's ``credentials_status:credentialStatus:object`` must stay a 400.
    body = {
        "credentialId": issued["id"],
        "credentialStatus": {"type": "StatusList2021Entry", "statusPurpose": "revocation",
                             "status": "0"},
    }  # fmt: skip
    response = client.post("/interop/credentials/status", json=body, headers=auth)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "credentialStatus"
    assert _bit(client, _entry(issued, "revocation"))[0] is False


def test_publish_renews_the_status_list_and_logs_it(client, auth, issued):
    entry = _entry(issued, "revocation")
    before = _bit(client, entry)[1]
    list_path = entry["statusListCredential"].split("://", 1)[1].split("/", 1)[1]
    ledger = client.app.state.ledger
    size = ledger.store.head().size
    response = client.post(f"/{list_path}/publish", json={}, headers=auth)
    assert response.status_code == 204
    assert response.content == b""
    bit, after = _bit(client, entry)
    assert bit is False
    assert after["credentialSubject"] == before["credentialSubject"]
    assert after["proof"] != before["proof"]
    ledger.publish()
    assert ledger.store.head().size == size + 1


def test_publish_needs_the_owners_token_with_the_update_scope(client, party, auth, issued):
    list_path = _entry(issued, "revocation")["statusListCredential"].split("://", 1)[1]
    path = "/" + list_path.split("/", 1)[1] + "/publish"
    anonymous = client.post(path, json={})
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    reader = make_party(
        client, slug="reader", root=False, scopes=frozenset({oauth.Scope.READ_CREDENTIALS})
    )
    assert client.post(path, json={}, headers=reader.headers(client)).status_code == 403
    other = make_party(client, slug="other", root=False)
    forbidden = client.post(path, json={}, headers=other.headers(client))
    assert forbidden.status_code == 403
    assert "belongs to another party" in forbidden.json()["message"]
    missing = client.post("/status/0123456789abcdef/publish", json={}, headers=auth)
    assert missing.status_code == 404
