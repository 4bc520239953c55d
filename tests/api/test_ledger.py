"""The log over HTTP, in the tlog-tiles layout, and authenticated submission."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import FIXED_NOW
from tests.witnesses import make_witness, witness_client
from tradetrace.api import create_app
from tradetrace.ledger import notekeys, proof
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.workflows import setup

DIGEST = "cd" * 32
BODY = {"kind": "credential.issued", "digest": DIGEST, "submitter": "did:web:x", "ref": "urn:x"}


@pytest.fixture
def token_client(settings, engine):
    app = create_app(
        settings.model_copy(update={"log_add_token": "s3cret"}),
        engine=engine,
        clock=lambda: FIXED_NOW,
    )
    with TestClient(app) as client:
        yield client


def test_checkpoint_is_not_found_before_anything_is_logged(client):
    response = client.get("/log/checkpoint")
    assert response.status_code == 404
    assert response.json()["detail"] == "the log has not published a checkpoint yet"


def test_add_is_disabled_without_a_configured_token(client):
    response = client.post("/log/add", json=BODY)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic s3cret"])
def test_add_needs_the_bearer_token(token_client, header):
    headers = {"Authorization": header} if header else {}
    response = token_client.post("/log/add", json=BODY, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_add_validates_each_field(token_client):
    response = token_client.post(
        "/log/add",
        json={**BODY, "kind": "gossip", "digest": "xyz"},
        headers={"Authorization": "Bearer s3cret"},
    )
    assert response.status_code == 400
    assert {item["field"] for item in response.json()["errors"]} == {"kind", "digest"}


def test_add_then_receipt_tiles_and_lookup(token_client, settings):
    auth = {"Authorization": "Bearer s3cret"}
    added = token_client.post("/log/add?wait=true", json=BODY, headers=auth)
    assert added.status_code == 201
    body = added.json()
    assert body["index"] == 0
    record = LogRecord.from_bytes(body["entry"].encode())
    assert (record.digest, record.time) == (DIGEST, FIXED_NOW)
    vkey = token_client.app.state.ledger.verifier
    receipt = proof.TlogProof.from_text(body["receipt"])
    proof.verify_tlog_proof(
        receipt, body["entry"].encode(), origin=settings.effective_log_origin, verifiers=[vkey]
    )
    checkpoint = token_client.get("/log/checkpoint")
    assert checkpoint.text.startswith(f"{settings.effective_log_origin}\n1\n")
    tile = token_client.get("/log/tile/0/000.p/1")
    assert tile.headers["cache-control"].endswith("immutable")
    assert len(tile.content) == 32
    assert token_client.get("/log/tile/entries/000.p/1").content[2:] == body["entry"].encode()
    assert token_client.get(f"/log/lookup/{DIGEST}").json() == {"indexes": [0]}
    assert token_client.get("/log/receipt/0").text == token_client.get("/log/receipt/0").text


def test_missing_tile_is_a_problem(client):
    response = client.get("/log/tile/0/001")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_checkpoint_is_served_with_the_witness_cosignatures(settings, engine, tmp_path):
    signer = setup.load_or_create_log_key(
        settings.effective_log_key_path, settings.effective_log_origin
    )
    witness = make_witness(
        tmp_path / "witness.json", {settings.effective_log_origin: [signer.verifier()]}
    )
    configured = settings.model_copy(
        update={"log_add_token": "s3cret", "witnesses": (f"http://w.test={witness.vkey}",)}
    )
    http = witness_client({"w.test": witness})
    app = create_app(configured, engine=engine, clock=lambda: FIXED_NOW, http=http)
    with TestClient(app) as client:
        added = client.post(
            "/log/add?wait=true", json=BODY, headers={"Authorization": "Bearer s3cret"}
        )
        served = client.get("/log/checkpoint").text
    assert "\n— witness.test/w1 " in served
    receipt = proof.TlogProof.from_text(added.json()["receipt"])
    proof.verify_tlog_proof(
        receipt,
        added.json()["entry"].encode(),
        origin=settings.effective_log_origin,
        verifiers=[signer.verifier()],
        witnesses=[notekeys.verifier_from_vkey(witness.vkey)],
        quorum=1,
    )


def test_app_makes_and_closes_its_own_witness_client(settings, engine, caplog):
    vkey = notekeys.Cosigner.generate("witness.test/w1").verifier().vkey
    configured = settings.model_copy(update={"witnesses": (f"http://127.0.0.1:9={vkey}",)})
    app = create_app(configured, engine=engine, clock=lambda: FIXED_NOW)
    with TestClient(app):
        ledger = app.state.ledger
        ledger.append([_record()])
        assert "— witness" not in ledger.publish().to_text()  # nobody listens on port 9
    assert ledger._cosigning._client.is_closed


def _record():
    return LogRecord(
        kind=RecordKind.CREDENTIAL_ISSUED,
        digest=DIGEST,
        submitter="did:web:x",
        time=FIXED_NOW,
        ref="urn:x",
    )
