"""The tlog-witness add-checkpoint body and the witness update rules."""

from __future__ import annotations

import base64

import pytest

from tradetrace.errors import CheckpointInvalid, Conflict, ConsistencyProofInvalid, InvalidDocument
from tradetrace.ledger import (
    EMPTY_ROOT,
    AddCheckpointRequest,
    Checkpoint,
    SignedCheckpoint,
    TileNodes,
    check_witness_update,
    consistency_proof,
    leaf_hash,
)

from .factories import entries, make_log, tessera_checkpoint

LOG = make_log(entries(40), batches=[1, 9, 10, 20])
HEADS = {
    size: SignedCheckpoint.from_text(text).checkpoint for size, text in LOG.checkpoints.items()
}
NODES = TileNodes(LOG.reader, 40)


def _raises(error, message, call, *args, **kwargs):
    with pytest.raises(error, match=message) as caught:
        call(*args, **kwargs)
    assert caught.value.code == error.code


@pytest.mark.parametrize(("old", "new"), [(1, 10), (10, 20), (1, 40), (20, 40), (10, 10), (0, 20)])
def test_consistent_update_is_accepted(old, new):
    proof = consistency_proof(old, new, nodes=NODES)
    check_witness_update(HEADS[old], HEADS[new], proof=proof)


@pytest.mark.parametrize("new", [0, 1, 40])
def test_first_checkpoint_is_accepted_with_an_empty_proof(new):
    check_witness_update(None, HEADS[new], proof=[])


def test_proof_from_size_zero_must_be_empty():
    proof = [leaf_hash(b"x")]
    message = r"consistency proof from size 0 must be empty, got 1 hashes"
    _raises(ConsistencyProofInvalid, message, check_witness_update, None, HEADS[10], proof=proof)
    _raises(
        ConsistencyProofInvalid, message, check_witness_update, HEADS[0], HEADS[10], proof=proof
    )


def test_smaller_checkpoint_is_a_conflict():
    _raises(
        Conflict,
        r"has size 10, smaller than the cosigned size 20",
        check_witness_update,
        HEADS[20],
        HEADS[10],
        proof=[],
    )


def test_same_size_with_another_root_is_a_fork():
    forked = Checkpoint(LOG.origin, 20, leaf_hash(b"fork"))
    _raises(Conflict, r"forked at size 20", check_witness_update, HEADS[20], forked, proof=[])


def test_same_size_needs_an_empty_proof():
    _raises(
        ConsistencyProofInvalid,
        r"sizes are equal \(20\) but the proof has 1 hashes",
        check_witness_update,
        HEADS[20],
        HEADS[20],
        proof=[leaf_hash(b"x")],
    )


def test_inconsistent_checkpoint_is_rejected():
    forked = make_log(entries(40, tag="other"), origin=LOG.origin)
    other = SignedCheckpoint.from_text(forked.checkpoints[40]).checkpoint
    proof = consistency_proof(10, 40, nodes=TileNodes(forked.reader, 40))
    _raises(
        ConsistencyProofInvalid,
        r"first root hash mismatch for size 10",
        check_witness_update,
        HEADS[10],
        other,
        proof=proof,
    )


def test_origin_must_match_and_empty_tree_root_is_fixed():
    elsewhere = Checkpoint("example.com/elsewhere", 20, HEADS[20].root_hash)
    _raises(
        CheckpointInvalid,
        r"origin mismatch: expected 'example.com/test-log'",
        check_witness_update,
        HEADS[10],
        elsewhere,
        proof=[],
    )
    bogus = Checkpoint(LOG.origin, 0, leaf_hash(b"x"))
    _raises(
        CheckpointInvalid,
        rf"has size 0 but root .*, expected {EMPTY_ROOT.hex()}",
        check_witness_update,
        None,
        bogus,
        proof=[],
    )


def test_add_checkpoint_body_round_trips():
    proof = consistency_proof(10, 40, nodes=NODES)
    request = AddCheckpointRequest(
        10, tuple(proof), SignedCheckpoint.from_text(LOG.checkpoints[40])
    )
    text = request.to_text()
    assert text.startswith("old 10\n" + base64.b64encode(proof[0]).decode() + "\n")
    assert AddCheckpointRequest.from_text(text) == request
    assert AddCheckpointRequest.from_text(text.encode()) == request
    first = AddCheckpointRequest.from_text("old 0\n\n" + tessera_checkpoint(3).decode())
    assert (first.old_size, first.proof, first.checkpoint.checkpoint.size) == (0, (), 3)


HASH = base64.b64encode(b"h" * 32).decode()
BODY = tessera_checkpoint(3).decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"\xfe", r"not valid UTF-8"),
        (f"new 3\n\n{BODY}", r"expected 'old <size>' and a blank line"),
        ("old 3\n", r"expected 'old <size>' and a blank line"),
        (f"old -3\n\n{BODY}", r"old size: '-3'"),
        (f"old 3\n{HASH}!\n\n{BODY}", r"proof hash: not valid base64"),
        (f"old 3\nAAAA\n\n{BODY}", r"proof hashes must be 32 bytes"),
        ("old 3\n" + f"{HASH}\n" * 64 + f"\n{BODY}", r"64 proof lines, at most 63 allowed"),
    ],
)
def test_malformed_add_checkpoint_body_is_rejected(text, message):
    _raises(InvalidDocument, message, AddCheckpointRequest.from_text, text)


def test_add_checkpoint_old_size_cannot_be_negative():
    checkpoint = SignedCheckpoint.from_text(BODY)
    _raises(InvalidDocument, r"old size -1", AddCheckpointRequest, -1, (), checkpoint)
