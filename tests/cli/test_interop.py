"""``tradetrace peer``, ``outbox``, ``presentation send`` and ``presentation inbox`` in-process
(the exchange between two real servers is in ``test_exchange.py``)."""

import json

import pytest
from sqlalchemy import text

PEER = "did:web:customs.example"
SECRET = "peer-issued-secret-4711"


@pytest.fixture
def tt(run, settings):
    def invoke(*args):
        return run(
            "--data-dir", str(settings.data_dir), "--db", settings.effective_database_url, *args
        )

    return invoke


def test_peer_add_list_remove_never_shows_the_secret(tt, engine):
    added = tt("peer", "add", PEER, "--client-id", "tt-1", "--client-secret", SECRET)
    assert added.exit_code == 0, added.stderr
    assert added.stdout == f"peer {PEER}: client tt-1 (secret sealed, not shown)\n"
    listed = tt("peer", "list", "--json")
    assert json.loads(listed.stdout) == [
        {
            "did": PEER,
            "clientId": "tt-1",
            "tokenEndpoint": None,
            "audience": None,
            "scope": "submit:presentations",
            "updatedAt": json.loads(listed.stdout)[0]["updatedAt"],
        }
    ]
    assert "tt-1" in tt("peer", "list").stdout
    with engine.connect() as connection:
        (stored,) = connection.execute(text("SELECT sealed_secret FROM interop_peer")).one()
    assert stored.startswith("sealed-v1$") and SECRET not in stored
    assert SECRET not in added.stdout + added.stderr + listed.stdout
    assert tt("peer", "remove", PEER).stdout == f"removed peer {PEER}\n"
    assert json.loads(tt("peer", "list", "--json").stdout) == []
    gone = tt("peer", "remove", PEER)
    assert (gone.exit_code, "not_found" in gone.stderr) == (1, True)


def test_peer_add_reads_the_secret_from_the_environment(tt, monkeypatch):
    monkeypatch.setenv("TRADETRACE_PEER_CLIENT_SECRET", SECRET)
    assert tt("peer", "add", PEER, "--client-id", "tt-1").exit_code == 0


def test_peer_add_names_the_bad_field(tt):
    result = tt("peer", "add", "did:key:z6Mk", "--client-id", "tt", "--client-secret", "s")
    assert result.exit_code == 1
    assert "invalid_document" in result.stderr and "did:" in result.stderr


def test_send_to_an_unreachable_peer_stays_queued(tt, tmp_path):
    assert tt("org", "create", "importer", "--name", "Importer", "--country", "US").exit_code == 0
    tt("peer", "add", PEER, "--client-id", "tt-1", "--client-secret", SECRET)
    source = tmp_path / "vp.json"
    source.write_text(
        json.dumps(
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiablePresentation", "TraceablePresentation"],
                "workflow": {"instance": ["urn:uuid:entry-1"]},
            }
        )
    )
    sent = tt("presentation", "send", "--to", PEER, "--org", "importer", "--json", str(source))
    assert sent.exit_code == 0, sent.stderr
    (item,) = json.loads(sent.stdout)
    assert (item["state"], item["attempts"], item["sender"]) == ("failed-retrying", 1, "importer")
    assert "host customs.example is not allowed" in item["lastError"]
    listed = tt("outbox", "list", "--state", "failed-retrying")
    assert item["id"] in listed.stdout and "next attempt" in listed.stdout
    assert json.loads(tt("outbox", "list", "--state", "sent", "--json").stdout) == []
    early = tt("outbox", "flush")
    assert (early.stdout, early.stderr) == ("", "nothing due\n")
    (again,) = json.loads(tt("outbox", "flush", "--all", "--json").stdout)
    assert (again["id"], again["attempts"], again["state"]) == (item["id"], 2, "failed-retrying")


def test_send_needs_a_registered_peer_and_a_signed_presentation(tt, tmp_path):
    source = tmp_path / "vp.json"
    presentation = {"id": "urn:uuid:1", "holder": "did:web:importer.example"}
    source.write_text(json.dumps({**presentation, "proof": {"type": "DataIntegrityProof"}}))
    unknown = tt("presentation", "send", "--to", PEER, str(source))
    assert unknown.exit_code == 1 and "not_found" in unknown.stderr
    tt("peer", "add", PEER, "--client-id", "tt-1", "--client-secret", SECRET)
    source.write_text(json.dumps(presentation))
    unsigned = tt("presentation", "send", "--to", PEER, str(source))
    assert unsigned.exit_code == 1 and "proof: required" in unsigned.stderr
    source.write_text("[]")
    listed = tt("presentation", "send", "--to", PEER, str(source))
    assert listed.exit_code == 1 and "expected a JSON object" in listed.stderr
    source.write_text("{not json")
    broken = tt("presentation", "send", "--to", PEER, str(source))
    assert broken.exit_code == 1 and "vp.json: not a JSON document" in broken.stderr


def test_inbox_of_an_empty_node(tt):
    assert json.loads(tt("presentation", "inbox", "--json").stdout) == []
    assert tt("presentation", "inbox", "--instance", "urn:uuid:x").stdout == ""
