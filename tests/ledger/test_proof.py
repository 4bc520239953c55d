"""C2SP tlog-proof receipts: built from the Tessera tiles, parsed, serialized and verified."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from tradetrace.errors import CheckpointInvalid, InclusionProofInvalid, InvalidDocument, NotFound
from tradetrace.ledger import (
    TLOG_PROOF_HEADER,
    Checkpoint,
    Cosigner,
    NoteSignature,
    SignedCheckpoint,
    TileNodes,
    TlogProof,
    build_tlog_proof,
    verifier_from_vkey,
    verify_tlog_proof,
)

from .factories import (
    TESSERA_ORIGIN,
    TESSERA_VKEY,
    TESSERA_WORDS,
    entries,
    make_log,
    tessera_checkpoint,
    tessera_reader,
)

POLICY = {"origin": TESSERA_ORIGIN, "verifiers": [verifier_from_vkey(TESSERA_VKEY)]}


def _receipt(index, size=15, extra=None):
    checkpoint = SignedCheckpoint.from_text(tessera_checkpoint(size))
    return build_tlog_proof(index, checkpoint, nodes=TileNodes(tessera_reader(), size), extra=extra)


def _raises(error, message, call, *args, **kwargs):
    with pytest.raises(error, match=message) as caught:
        call(*args, **kwargs)
    assert caught.value.code == error.code


@pytest.mark.parametrize("size", range(1, 16))
def test_every_tessera_entry_has_a_verifying_receipt(size):
    for index in range(size):
        text = _receipt(index, size).to_text()
        proof = TlogProof.from_text(text)
        assert proof.to_text() == text
        checkpoint = verify_tlog_proof(proof, TESSERA_WORDS[index], **POLICY)
        assert checkpoint.size == size


def test_receipt_text_has_the_spec_layout():
    proof = _receipt(5, extra=b"context")
    lines = proof.to_text().split("\n")
    assert lines[:3] == [TLOG_PROOF_HEADER, "extra Y29udGV4dA==", "index 5"]
    assert lines[3 : 3 + len(proof.hashes)] == [base64.b64encode(h).decode() for h in proof.hashes]
    assert lines[3 + len(proof.hashes)] == ""
    assert proof.to_text().endswith(tessera_checkpoint(15).decode())
    assert TlogProof.from_text(proof.to_text().encode()).extra == b"context"


def test_receipt_with_empty_extra_round_trips():
    proof = _receipt(0, size=1, extra=b"")
    assert proof.hashes == ()
    assert TlogProof.from_text(proof.to_text()) == proof


def test_receipt_for_another_entry_fails():
    _raises(
        InclusionProofInvalid,
        r"root hash mismatch for leaf 3 in tree of size 15",
        verify_tlog_proof,
        _receipt(3),
        b"five",
        **POLICY,
    )


def test_receipt_with_a_moved_index_fails():
    moved = TlogProof(4, _receipt(3).hashes, _receipt(3).checkpoint)
    _raises(InclusionProofInvalid, r"leaf 4", verify_tlog_proof, moved, b"four", **POLICY)


def test_receipt_beyond_its_checkpoint_fails():
    beyond = TlogProof(15, _receipt(14).hashes, _receipt(14).checkpoint)
    _raises(
        InclusionProofInvalid,
        r"leaf index 15 is beyond tree size 15",
        verify_tlog_proof,
        beyond,
        b"x",
        **POLICY,
    )


def test_receipt_checkpoint_must_verify():
    text = _receipt(2).to_text().replace("\n15\n", "\n16\n")
    _raises(
        CheckpointInvalid,
        r"does not verify",
        verify_tlog_proof,
        TlogProof.from_text(text),
        b"three",
        **POLICY,
    )
    other = {**POLICY, "origin": "example.com/other"}
    _raises(
        CheckpointInvalid, r"origin mismatch", verify_tlog_proof, _receipt(2), b"three", **other
    )


def test_receipt_enforces_a_witness_quorum():
    log = make_log(entries(20), batches=[20])
    witness = Cosigner.generate("witness.example")
    signed = SignedCheckpoint.from_text(log.checkpoints[20])
    cosignature = NoteSignature(
        witness.name,
        witness.key_id,
        witness.sign(signed.note.text.encode(), now=datetime(2026, 1, 1, tzinfo=UTC)),
    )
    cosigned = SignedCheckpoint(signed.checkpoint, signed.note.with_signatures(cosignature))
    policy = {
        "origin": log.origin,
        "verifiers": [log.signer.verifier()],
        "witnesses": [witness.verifier()],
        "quorum": 1,
    }
    nodes = TileNodes(log.reader, 20)
    assert (
        verify_tlog_proof(build_tlog_proof(7, cosigned, nodes=nodes), b"entry 7", **policy).size
        == 20
    )
    _raises(
        CheckpointInvalid,
        r"too few witness cosignatures: expected 1, got 0",
        verify_tlog_proof,
        build_tlog_proof(7, signed, nodes=nodes),
        b"entry 7",
        **policy,
    )


def test_receipt_for_an_entry_beyond_the_checkpoint_cannot_be_built():
    _raises(NotFound, r"leaf 15 is not in a tree of size 15", _receipt, 15)


CHECKPOINT = tessera_checkpoint(1).decode()
HASH = base64.b64encode(b"h" * 32).decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"\xff", r"malformed tlog-proof: not valid UTF-8"),
        (f"c2sp.org/tlog-proof@v2\nindex 0\n\n{CHECKPOINT}", r"expected 'c2sp.org/tlog-proof@v1'"),
        (f"{TLOG_PROOF_HEADER}\nindex 0\n", r"proof lines, blank line"),
        (f"{TLOG_PROOF_HEADER}\n\n{CHECKPOINT}", r"missing 'index' line"),
        (f"{TLOG_PROOF_HEADER}\nextra AA==\n\n{CHECKPOINT}", r"missing 'index' line"),
        (f"{TLOG_PROOF_HEADER}\nextra A\nindex 0\n\n{CHECKPOINT}", r"tlog-proof extra: not valid"),
        (f"{TLOG_PROOF_HEADER}\nindex 00\n\n{CHECKPOINT}", r"tlog-proof index: '00'"),
        (f"{TLOG_PROOF_HEADER}\nindex  1\n\n{CHECKPOINT}", r"tlog-proof index: ' 1'"),
        (f"{TLOG_PROOF_HEADER}\nindex 1\n{HASH}x\n\n{CHECKPOINT}", r"tlog-proof hash: not valid"),
        (f"{TLOG_PROOF_HEADER}\nindex 1\nAAAA\n\n{CHECKPOINT}", r"proof hash 0 has 3 bytes"),
        (
            f"{TLOG_PROOF_HEADER}\nindex 1\n" + f"{HASH}\n" * 64 + f"\n{CHECKPOINT}",
            r"64 proof hashes, at most 63 allowed",
        ),
    ],
)
def test_malformed_receipt_is_rejected(text, message):
    _raises(InvalidDocument, message, TlogProof.from_text, text)


def test_receipt_with_a_malformed_checkpoint_is_a_checkpoint_error():
    text = f"{TLOG_PROOF_HEADER}\nindex 0\n\nexample.com/log\n1\n\n— a QUJDREVG\n"
    _raises(CheckpointInvalid, r"expected at least 3 lines", TlogProof.from_text, text)


def test_receipt_index_cannot_be_negative():
    checkpoint = SignedCheckpoint.from_text(tessera_checkpoint(1))
    _raises(InvalidDocument, r"index -1 is negative", TlogProof, -1, (), checkpoint)
    assert Checkpoint.from_text(checkpoint.note.text).size == 1
