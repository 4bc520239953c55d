"""The witness server over HTTP: the status codes and bodies C2SP tlog-witness prescribes."""

import pytest
from fastapi.testclient import TestClient

from tradetrace.api.witness import MAX_REQUEST_BYTES, create_witness_app
from tradetrace.ledger import checkpoint, note, notekeys
from tradetrace.ledger.log import InMemoryLogStore, TransparencyLog
from tradetrace.ledger.witness import AddCheckpointRequest

from ..witnesses import make_witness

ORIGIN = "tradetrace.test/log"


class Log:
    """A log in memory that makes add-checkpoint bodies."""

    def __init__(self, signer, tag="entry"):
        self.signer = signer
        self.log = TransparencyLog(InMemoryLogStore(), origin=ORIGIN, signer=signer)
        self.tag = tag

    def body(self, old, size):
        head = self.log._store.head().size
        self.log.append([f"{self.tag} {n}".encode() for n in range(head, size)])
        signed = self.log.sign()
        proof = self.log.prove_consistency(old, size) if old else []
        return AddCheckpointRequest(old, tuple(proof), signed).to_text(), signed


@pytest.fixture
def log():
    return Log(notekeys.Ed25519Signer.generate(ORIGIN))


@pytest.fixture
def witness(tmp_path, log):
    return make_witness(tmp_path / "state.json", {ORIGIN: [log.signer.verifier()]})


@pytest.fixture
def client(witness):
    with TestClient(create_witness_app(witness)) as test_client:
        yield test_client


def _problem(response, status, code):
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_cosignature_lines_verify_as_the_witness(client, witness, log):
    body, signed = log.body(0, 3)
    response = client.post("/add-checkpoint", content=body)
    assert response.status_code == 200
    assert response.text.startswith("— witness.test/w1 ")
    lines = response.text.removesuffix("\n").split("\n")
    cosigned = checkpoint.SignedCheckpoint(
        signed.checkpoint,
        signed.note.with_signatures(*(note.NoteSignature.from_line(line) for line in lines)),
    )
    checkpoint.verify_checkpoint(
        cosigned,
        [log.signer.verifier()],
        origin=ORIGIN,
        witnesses=[notekeys.verifier_from_vkey(witness.vkey)],
        quorum=1,
    )
    assert client.get("/healthz").text == witness.vkey + "\n"


def test_wrong_old_size_is_409_with_the_size_as_text_x_tlog_size(client, log):
    assert client.post("/add-checkpoint", content=log.body(0, 7)[0]).status_code == 200
    response = client.post("/add-checkpoint", content=log.body(0, 9)[0])
    assert response.status_code == 409
    assert response.headers["content-type"] == "text/x.tlog.size"
    assert response.content == b"7\n"
    assert client.post("/add-checkpoint", content=log.body(7, 9)[0]).status_code == 200


def test_a_fork_at_the_cosigned_size_is_409(client, log):
    client.post("/add-checkpoint", content=log.body(0, 5)[0])
    fork = Log(log.signer, tag="forked")
    _problem(client.post("/add-checkpoint", content=fork.body(5, 5)[0]), 409, "conflict")


def test_an_inconsistent_proof_is_422(client, log):
    client.post("/add-checkpoint", content=log.body(0, 5)[0])
    fork = Log(log.signer, tag="forked")
    body = fork.body(5, 8)[0]  # a valid proof, but of the forked tree
    _problem(client.post("/add-checkpoint", content=body), 422, "consistency_proof_invalid")


@pytest.mark.parametrize(
    ("make", "status", "code"),
    [
        (lambda log: "old 0\n\nnot a checkpoint\n", 400, "invalid_document"),
        (
            lambda log: AddCheckpointRequest(9, (), log.body(0, 3)[1]).to_text(),
            400,
            "invalid_document",
        ),
        (lambda log: Log(notekeys.Ed25519Signer.generate(ORIGIN)).body(0, 2)[0], 403, "forbidden"),
        (
            lambda log: AddCheckpointRequest(0, (b"p" * 32,), log.body(0, 3)[1]).to_text(),
            422,
            "consistency_proof_invalid",
        ),
    ],
    ids=["malformed", "old-beyond-new", "untrusted-key", "proof-from-zero"],
)
def test_refusals_use_the_spec_status_codes(client, log, make, status, code):
    _problem(client.post("/add-checkpoint", content=make(log)), status, code)


def test_unknown_origin_is_404(tmp_path, log):
    other = make_witness(tmp_path / "other.json", {"someone.else/log": [log.signer.verifier()]})
    with TestClient(create_witness_app(other)) as client:
        _problem(client.post("/add-checkpoint", content=log.body(0, 1)[0]), 404, "not_found")


def test_oversized_body_is_413(client):
    _problem(
        client.post("/add-checkpoint", content=b"x" * (MAX_REQUEST_BYTES + 1)),
        413,
        "limit_exceeded",
    )
