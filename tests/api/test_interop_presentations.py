"""Traceability Interop API: prove, verify and receive presentations (``POST /presentations``)."""

import json

import pytest

from tests.api.interop import NOW, VC_1_1, WORKFLOW, credential_body, make_party
from tradetrace import keys
from tradetrace.credentials import issue, model
from tradetrace.workflows import presentations


@pytest.fixture
def party(client):
    return make_party(client)


@pytest.fixture
def auth(client, party):
    return party.headers(client)


@pytest.fixture
def make_presentation(client, party, auth):
    def make(**members):
        credential = client.post(
            "/interop/credentials/issue", json=credential_body(party.did), headers=auth
        ).json()["verifiableCredential"]
        presentation = {
            "@context": VC_1_1,
            "type": ["VerifiablePresentation", "TraceablePresentation"],
            "workflow": WORKFLOW,
            "verifiableCredential": [credential],
            **members,
        }
        response = client.post(
            "/interop/presentations/prove", json={"presentation": presentation}, headers=auth
        )
        assert response.status_code == 201, response.text
        return response.json()["verifiablePresentation"]

    return make


def test_prove_then_verify_with_challenge(client, auth, make_presentation):
    presentation = make_presentation()
    assert presentation["proof"]["type"] == "Ed25519Signature2018"
    body = {"verifiablePresentation": presentation, "options": {"challenge": "other"}}
    verdict = client.post("/interop/presentations/verify", json=body, headers=auth).json()
    assert verdict["verified"] is False  # the proof carries no such challenge


def test_receive_stores_logs_and_joins_the_workflow(client, party, auth, make_presentation):
    presentation = make_presentation()
    response = client.post("/interop/presentations", json=presentation, headers=auth)
    assert response.status_code == 200, response.text
    received = response.json()
    assert received["id"] == presentation["id"]
    assert received["workflow"] == WORKFLOW
    with client.app.state.session_factory() as session:
        joined = presentations.presentations_of_instance(session, WORKFLOW["instance"][0])
    assert [item.id for item in joined] == [presentation["id"]]
    assert joined[0].recipient_slug == party.slug
    assert client.app.state.ledger.store.entries_with_key(received["digest"])
    # every credential the presentation carried is on the log too
    carried = presentations.embedded_credentials(presentation)
    assert carried
    for secured, _ in carried:
        digest = model.secured_digest(secured)
        assert client.app.state.ledger.store.entries_with_key(digest), digest


def test_receive_wrapped_body_with_workflow_beside_it(client, auth, make_presentation):
    # The workflow beside the presentation wins over the one signed inside it.
    presentation = make_presentation(workflow={"instance": ["urn:uuid:other"], "definition": []})
    body = {"verifiablePresentation": presentation, "workflow": WORKFLOW}
    response = client.post("/interop/presentations", json=body, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["workflow"] == WORKFLOW


def test_receive_duplicate_is_409(client, auth, make_presentation):
    presentation = make_presentation()
    assert client.post("/interop/presentations", json=presentation, headers=auth).status_code == 200
    again = client.post("/interop/presentations", json=presentation, headers=auth)
    assert again.status_code == 409
    assert "already received" in again.json()["message"]


def test_receive_replace_supersedes(client, auth, make_presentation):
    first = make_presentation()
    client.post("/interop/presentations", json=first, headers=auth)
    second = make_presentation(replace=first["id"])
    response = client.post("/interop/presentations", json=second, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["replaces"] == first["id"]
    with client.app.state.session_factory() as session:
        joined = presentations.presentations_of_instance(session, WORKFLOW["instance"][0])
    assert {item.id: item.superseded_by for item in joined} == {
        first["id"]: second["id"],
        second["id"]: None,
    }


def test_receive_signed_by_key_not_in_senders_did_document_is_422(client, party, auth):
    rogue = keys.SigningKey.generate(keys.KeyKind.ED25519)
    forged = issue.issue_presentation(
        {"@context": VC_1_1, "type": ["VerifiablePresentation", "TraceablePresentation"],
         "workflow": WORKFLOW},
        key=rogue, format=issue.Format.ED25519_SIGNATURE_2018, now=NOW,
        holder=party.did, verification_method=f"{party.did}#rogue-1",
    )  # fmt: skip
    response = client.post("/interop/presentations", json=forged.document, headers=auth)
    assert response.status_code == 422
    assert "verification_method_not_found" in response.json()["message"]


def test_receive_tampered_presentation_is_422(client, auth, make_presentation):
    presentation = make_presentation()
    presentation["workflow"] = {"definition": [], "instance": ["urn:uuid:forged"]}
    response = client.post("/interop/presentations", json=presentation, headers=auth)
    assert response.status_code == 422
    assert "signature_invalid" in response.json()["message"]


def test_receive_needs_submit_scope(client, party, make_presentation):
    presentation = make_presentation()
    headers = party.headers(client, scope="verify:presentations")
    assert (
        client.post("/interop/presentations", json=presentation, headers=headers).status_code == 403
    )


def test_oversized_body_is_413(client, auth):
    body = b'{"padding": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    response = client.post(
        "/interop/presentations",
        content=body,
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "limit_exceeded"


@pytest.mark.parametrize(
    "body", [b"{not json", b"", b"[1, 2]", b'{"a": NaN}', b"[" * 200 + b"]" * 200]
)
def test_malformed_body_is_a_problem(client, auth, body):
    response = client.post(
        "/interop/presentations", content=body, headers={**auth, "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 413)
    problem = response.json()
    assert problem["message"]
    assert problem["status"] == response.status_code


def test_missing_id_or_holder_names_the_field(client, auth, make_presentation):
    presentation = make_presentation()
    del presentation["id"]
    response = client.post("/interop/presentations", json=presentation, headers=auth)
    assert response.status_code == 400
    assert "id" in [item["field"] for item in response.json()["errors"]]


def test_received_presentation_keeps_the_document(client, auth, make_presentation):
    presentation = make_presentation()
    client.post("/interop/presentations", json=presentation, headers=auth)
    with client.app.state.session_factory() as session:
        stored = presentations.presentations_of_instance(session, WORKFLOW["instance"][0])[0]
    assert json.loads(stored.document) == presentation
    assert stored.report["verified"] is True
