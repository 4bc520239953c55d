"""The customs inbox and the credentials of a workflow instance, from presentations received
through ``POST /presentations``."""

import pytest

from tests.api.interop import VC_1_1, WORKFLOW, credential_body, make_party
from tradetrace import storage
from tradetrace.credentials import model
from tradetrace.workflows import inbox, presentations

OTHER = {"definition": ["https://w3id.org/traceability#other"], "instance": ["urn:uuid:other"]}


@pytest.fixture
def send(client):
    party = make_party(client)
    auth = party.headers(client)

    def _send(count=1, **members):
        credentials = [
            client.post(
                "/interop/credentials/issue", json=credential_body(party.did), headers=auth
            ).json()["verifiableCredential"]
            for _ in range(count)
        ]
        presentation = {
            "@context": VC_1_1,
            "type": ["VerifiablePresentation", "TraceablePresentation"],
            "workflow": WORKFLOW,
            "verifiableCredential": credentials,
            **members,
        }
        proved = client.post(
            "/interop/presentations/prove", json={"presentation": presentation}, headers=auth
        ).json()["verifiablePresentation"]
        response = client.post("/interop/presentations", json=proved, headers=auth)
        assert response.status_code == 200, response.text
        return proved

    return _send


@pytest.fixture
def readers(client):
    return storage.make_session_factory(client.app.state.engine, write=False)


def test_inbox_groups_by_instance_newest_first(send, readers):
    first = send(count=2)
    other = send(workflow=OTHER)
    with readers() as session:
        groups = inbox.inbox(session)
        only = inbox.inbox(session, instance=WORKFLOW["instance"][0])
        nothing = inbox.inbox(session, instance="urn:uuid:nothing")
    assert {group.instance for group in groups} == {WORKFLOW["instance"][0], "urn:uuid:other"}
    group = next(g for g in groups if g.instance == WORKFLOW["instance"][0])
    (entry,) = group.entries
    assert (entry.id, entry.holder, entry.verified, entry.credentials) == (
        first["id"], first["holder"], True, 2,
    )  # fmt: skip
    assert group.definitions == tuple(WORKFLOW["definition"])
    assert only == [group]
    assert nothing == []
    document = group.to_json()
    assert document["instance"] == WORKFLOW["instance"][0]
    assert document["presentations"][0]["credentials"] == 2
    assert document["presentations"][0]["receivedAt"].endswith("+00:00")
    assert other["id"] in str([g.to_json() for g in groups])


def test_credentials_of_instance_skips_superseded_presentations(send, readers):
    first = send(count=2)
    with readers() as session:
        carried = presentations.credentials_of_instance(session, WORKFLOW["instance"][0])
    assert [model.secured_digest(item) for item in carried] == [
        model.secured_digest(item) for item in first["verifiableCredential"]
    ]
    second = send(count=1, replace=first["id"])
    with readers() as session:
        carried = presentations.credentials_of_instance(session, WORKFLOW["instance"][0])
        (group,) = inbox.inbox(session, instance=WORKFLOW["instance"][0])
        assert presentations.credentials_of_instance(session, "urn:uuid:nothing") == []
    assert carried == second["verifiableCredential"]
    # (the fixed clock gives both the same arrival time, so compare without the order)
    assert {entry.id: entry.superseded_by for entry in group.entries} == {
        second["id"]: None,
        first["id"]: second["id"],
    }


def test_credentials_of_instance_lists_a_credential_once(send, readers):
    first = send(count=1)
    send(count=0, verifiableCredential=first["verifiableCredential"])
    with readers() as session:
        carried = presentations.credentials_of_instance(session, WORKFLOW["instance"][0])
    assert carried == first["verifiableCredential"]


def test_presentations_without_an_instance_have_their_own_group(send, readers):
    lone = send(workflow={"definition": [], "instance": []})
    with readers() as session:
        (group,) = inbox.inbox(session)
    assert group.instance is None
    assert [entry.id for entry in group.entries] == [lone["id"]]
