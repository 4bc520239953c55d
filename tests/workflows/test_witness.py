"""The witness: tlog-witness add-checkpoint rules, persistence, keys and trusted-log options."""

import json
import threading

import pytest

from tests.conftest import FIXED_NOW
from tradetrace.errors import (
    ConfigurationError,
    Conflict,
    ConsistencyProofInvalid,
    CosignedSizeMismatch,
    Forbidden,
    InvalidDocument,
    NotFound,
)
from tradetrace.ledger import checkpoint, note, notekeys
from tradetrace.ledger.log import InMemoryLogStore, TransparencyLog
from tradetrace.ledger.witness import AddCheckpointRequest
from tradetrace.workflows.witness import (
    Witness,
    WitnessState,
    generate_witness_key,
    load_witness_key,
    trusted_logs,
)

ORIGIN = "tradetrace.test/log"


class Log:
    """A log in memory that signs checkpoints and builds add-checkpoint bodies."""

    def __init__(self, signer=None, tag="entry", origin=ORIGIN):
        self.signer = signer or notekeys.Ed25519Signer.generate(origin)
        self.log = TransparencyLog(InMemoryLogStore(), origin=origin, signer=self.signer)
        self.tag = tag

    def grow(self, count):
        size = self.log._store.head().size
        self.log.append([f"{self.tag} {n}".encode() for n in range(size, size + count)])
        return self.log.sign()

    def body(self, old, signed):
        proof = self.log.prove_consistency(old, signed.checkpoint.size) if old else []
        return AddCheckpointRequest(old, tuple(proof), signed).to_text()


@pytest.fixture
def log():
    return Log()


@pytest.fixture
def make_witness(tmp_path, log):
    def _make(logs=None, path=tmp_path / "state.json"):
        cosigner = notekeys.Cosigner.generate("witness.test/w1")
        trusted = logs if logs is not None else {ORIGIN: [log.signer.verifier()]}
        return Witness(cosigner, trusted, state=WitnessState(path), clock=lambda: FIXED_NOW)

    return _make


def _raises(error, message, call, *args):
    with pytest.raises(error, match=message) as caught:
        call(*args)
    assert caught.value.code == error.code
    return caught.value


def _cosignature_time(witness, log, signed, line):
    """Verify the cosignature ``line`` on ``signed`` and return the time stamped into it."""
    cosignature = note.NoteSignature.from_line(line.rstrip("\n"))
    cosigned = checkpoint.SignedCheckpoint(
        signed.checkpoint, signed.note.with_signatures(cosignature)
    )
    checkpoint.verify_checkpoint(
        cosigned,
        [log.signer.verifier()],
        origin=ORIGIN,
        witnesses=[notekeys.verifier_from_vkey(witness.vkey)],
        quorum=1,
    )
    return notekeys.cosignature_time(cosignature.signature)


def test_witness_cosigns_a_growing_log(log, make_witness):
    witness = make_witness()
    first = log.grow(5)
    line = witness.add_checkpoint(log.body(0, first))
    assert line.startswith("— witness.test/w1 ") and line.endswith("\n")
    assert _cosignature_time(witness, log, first, line) == FIXED_NOW
    second = log.grow(300)
    witness.add_checkpoint(log.body(5, second).encode())
    witness.add_checkpoint(log.body(305, second))  # the same checkpoint again is fine


def test_state_survives_a_restart_and_answers_with_the_cosigned_size(log, make_witness):
    make_witness().add_checkpoint(log.body(0, log.grow(7)))
    restarted = make_witness()
    later = log.grow(3)
    error = _raises(
        CosignedSizeMismatch,
        r"latest cosigned size 7",
        restarted.add_checkpoint,
        log.body(0, later),
    )
    assert error.size == 7
    restarted.add_checkpoint(log.body(7, later))


def test_rules_apply_in_the_spec_order(log, make_witness):
    witness = make_witness()
    signed = log.grow(10)
    _raises(InvalidDocument, r"malformed add-checkpoint", witness.add_checkpoint, "old 0\n\nx\n")
    _raises(InvalidDocument, r"expected 'old <size>'", witness.add_checkpoint, "hello")
    stranger = Log(origin="elsewhere.test/log")
    _raises(
        NotFound,
        r"unknown log origin 'elsewhere",
        witness.add_checkpoint,
        stranger.body(0, stranger.grow(1)),
    )
    impostor = Log(notekeys.Ed25519Signer.generate(ORIGIN))
    _raises(
        Forbidden,
        r"no signature by a known key",
        witness.add_checkpoint,
        impostor.body(0, impostor.grow(1)),
    )
    body = AddCheckpointRequest(11, (), signed).to_text()
    _raises(
        InvalidDocument,
        r"old size 11 is larger than the checkpoint size 10",
        witness.add_checkpoint,
        body,
    )
    _raises(
        CosignedSizeMismatch, r"latest cosigned size 0", witness.add_checkpoint, log.body(3, signed)
    )
    bad = AddCheckpointRequest(0, (b"x" * 32,), signed).to_text()
    _raises(ConsistencyProofInvalid, r"from size 0 must be empty", witness.add_checkpoint, bad)
    witness.add_checkpoint(log.body(0, signed))


def test_a_forked_log_is_refused(log, make_witness, tmp_path):
    witness = make_witness()
    witness.add_checkpoint(log.body(0, log.grow(10)))
    fork = Log(log.signer, tag="forked")  # the same key, other entries
    same_size = fork.grow(10)
    _raises(Conflict, r"forked at size 10", witness.add_checkpoint, fork.body(10, same_size))
    longer = fork.grow(5)
    _raises(
        ConsistencyProofInvalid,
        r"root hash mismatch",
        witness.add_checkpoint,
        fork.body(10, longer),
    )
    state = json.loads((tmp_path / "state.json").read_text())
    assert state["checkpoints"][ORIGIN].startswith(f"{ORIGIN}\n10\n")  # nothing was recorded


def test_concurrent_requests_never_roll_the_state_back(log, make_witness, tmp_path):
    witness = make_witness()
    witness.add_checkpoint(log.body(0, log.grow(1)))
    bodies = []
    size = 1
    for _ in range(12):
        signed = log.grow(3)
        bodies.append(log.body(1, signed))
        size = signed.checkpoint.size
    results = []

    def submit(body):
        try:
            witness.add_checkpoint(body)
            results.append("ok")
        except CosignedSizeMismatch:
            results.append("conflict")

    threads = [threading.Thread(target=submit, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1  # all claimed old size 1; only the first could move on
    stored = json.loads((tmp_path / "state.json").read_text())["checkpoints"][ORIGIN]
    assert int(stored.split("\n")[1]) in range(4, size + 1, 3)


def test_unreadable_state_is_a_configuration_error(log, make_witness, tmp_path):
    (tmp_path / "state.json").write_text("{not json")
    _raises(
        ConfigurationError,
        r"witness state .* is unreadable",
        make_witness().add_checkpoint,
        log.body(0, log.grow(1)),
    )


def test_witness_key_is_private_and_never_overwritten(tmp_path):
    path = tmp_path / "keys" / "witness.skey"
    created = generate_witness_key(path, "witness.test/w1")
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_witness_key(path).verifier().vkey == created.verifier().vkey
    assert created.verifier().vkey.startswith("witness.test/w1+")
    _raises(ConfigurationError, r"exists: refusing to overwrite", generate_witness_key, path, "x")
    _raises(ConfigurationError, r"invalid key name", generate_witness_key, tmp_path / "b", "a b")
    _raises(ConfigurationError, r"cannot read witness key", load_witness_key, tmp_path / "none")
    (tmp_path / "bad").write_text("PRIVATE+KEY+nope\n")
    _raises(
        ConfigurationError,
        r"witness key .*malformed private key",
        load_witness_key,
        tmp_path / "bad",
    )


def test_trusted_logs_parse_origin_and_log_keys():
    one, two = (notekeys.Ed25519Signer.generate(ORIGIN).verifier() for _ in range(2))
    logs = trusted_logs([f"{ORIGIN}={one.vkey}", f"{ORIGIN}={two.vkey}", f"{ORIGIN}={one.vkey}"])
    assert [key.vkey for key in logs[ORIGIN]] == [one.vkey, two.vkey]
    cosigning = notekeys.Cosigner.generate("w").verifier().vkey
    for value, message in [
        (ORIGIN, r"expected ORIGIN=VKEY"),
        (f"{ORIGIN}=nonsense", r"malformed vkey"),
        (f"{ORIGIN}={cosigning}", r"not an Ed25519 log key"),
    ]:
        _raises(ConfigurationError, message, trusted_logs, [value])
