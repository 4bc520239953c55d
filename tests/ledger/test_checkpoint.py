"""C2SP tlog-checkpoint: parsing, serialization, signing and verification with witness quorums."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.errors import CheckpointInvalid, InvalidDocument
from tradetrace.ledger import (
    EMPTY_ROOT,
    Checkpoint,
    Cosigner,
    Ed25519Signer,
    NoteSignature,
    SignedCheckpoint,
    leaf_hash,
    sign_checkpoint,
    verifier_from_vkey,
    verify_checkpoint,
)

from .factories import TESSERA_ORIGIN, TESSERA_VKEY, VECTORS, flip, load_json, tessera_checkpoint

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ROOT = leaf_hash(b"root")


def _raises(message, call, *args, **kwargs):
    with pytest.raises(CheckpointInvalid, match=message) as caught:
        call(*args, **kwargs)
    assert caught.value.code == "checkpoint_invalid"


def _cosigned(checkpoint, signer, witnesses):
    signed = sign_checkpoint(checkpoint, [signer])
    text = signed.note.text.encode()
    cosignatures = [NoteSignature(w.name, w.key_id, w.sign(text, now=NOW)) for w in witnesses]
    return SignedCheckpoint(checkpoint, signed.note.with_signatures(*cosignatures))


@pytest.mark.parametrize("size", range(16))
def test_tessera_checkpoint_verifies_and_round_trips(size):
    text = tessera_checkpoint(size)
    checkpoint = verify_checkpoint(text, [verifier_from_vkey(TESSERA_VKEY)], origin=TESSERA_ORIGIN)
    assert (checkpoint.origin, checkpoint.size, checkpoint.extensions) == (TESSERA_ORIGIN, size, ())
    assert SignedCheckpoint.from_text(text).to_text() == text.decode()
    assert Checkpoint.from_text(checkpoint.to_text()) == checkpoint
    if size == 0:
        assert checkpoint.root_hash == EMPTY_ROOT


def test_go_sum_tree_note_golden_parses():
    golden = load_json(VECTORS / "signed-notes" / "signed-notes.json")["go_sum_tree_note_golden"]
    checkpoint = Checkpoint.from_text(golden["text"])
    assert checkpoint == Checkpoint("go.sum database tree", 123456789012, leaf_hash(b"hello world"))
    assert checkpoint.to_text() == golden["text"]


@given(
    size=st.integers(min_value=0, max_value=(1 << 64) - 1),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(st.text(st.characters(blacklist_characters="\n"), min_size=1), max_size=3),
)
def test_checkpoint_text_round_trips(size, root, extensions):
    checkpoint = Checkpoint("example.com/log", size, root, tuple(extensions))
    assert Checkpoint.from_text(checkpoint.to_text()) == checkpoint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("origin\n1\n" + base64.b64encode(ROOT).decode(), r"text must end with a newline"),
        ("origin\n1\n", r"expected at least 3 lines, got 2"),
        ("origin\n01\n" + base64.b64encode(ROOT).decode() + "\n", r"checkpoint size: '01'"),
        ("origin\n+1\n" + base64.b64encode(ROOT).decode() + "\n", r"checkpoint size: '\+1'"),
        ("origin\n\u0661\n" + base64.b64encode(ROOT).decode() + "\n", r"checkpoint size"),
        ("origin\n18446744073709551616\n" + base64.b64encode(ROOT).decode() + "\n", r"size"),
        ("origin\n1\nnot base64!\n", r"malformed checkpoint root hash: not valid base64"),
        ("origin\n1\nAAAA\n", r"root hash must be 32 bytes, got 3"),
        ("\n1\n" + base64.b64encode(ROOT).decode() + "\n", r"origin must be one non-empty line"),
        ("o\n1\n" + base64.b64encode(ROOT).decode() + "\n\n", r"extension lines must be non-empty"),
    ],
)
def test_malformed_checkpoint_text_is_rejected(text, message):
    _raises(message, Checkpoint.from_text, text)


def test_checkpoint_fields_are_validated():
    _raises(r"size -1 is not a uint64", Checkpoint, "o", -1, ROOT)
    _raises(r"origin must be one non-empty line", Checkpoint, "a\nb", 1, ROOT)
    _raises(r"extension lines must be non-empty", Checkpoint, "o", 1, ROOT, ("a\nb",))


def test_signed_checkpoint_must_sign_its_own_text():
    signer = Ed25519Signer.generate("example.com/log")
    note = sign_checkpoint(Checkpoint("example.com/log", 1, ROOT), [signer]).note
    _raises(
        r"note text does not match", SignedCheckpoint, Checkpoint("example.com/log", 2, ROOT), note
    )


def test_signed_checkpoint_verifies_with_its_key():
    signer = Ed25519Signer.generate("example.com/log")
    checkpoint = Checkpoint("example.com/log", 42, ROOT, ("ext one",))
    signed = sign_checkpoint(checkpoint, [signer])
    for value in (signed, signed.to_text(), signed.to_text().encode()):
        assert verify_checkpoint(value, [signer.verifier()], origin="example.com/log") == checkpoint


def test_checkpoint_for_another_origin_is_rejected():
    text = tessera_checkpoint(3)
    _raises(
        r"origin mismatch: expected 'example.com/other', got 'example.com/log/testdata'",
        verify_checkpoint,
        text,
        [verifier_from_vkey(TESSERA_VKEY)],
        origin="example.com/other",
    )


def test_flipped_signature_byte_is_rejected():
    text = tessera_checkpoint(7).decode()
    head, signature = text.rsplit(" ", 1)
    raw = flip(base64.b64decode(signature), 10)
    tampered = f"{head} {base64.b64encode(raw).decode()}\n"
    _raises(
        r"signature by example.com/log/testdata\+33d7b496 does not verify",
        verify_checkpoint,
        tampered,
        [verifier_from_vkey(TESSERA_VKEY)],
        origin=TESSERA_ORIGIN,
    )


def test_changed_root_is_rejected():
    text = tessera_checkpoint(7).decode().replace("\n7\n", "\n8\n")
    _raises(
        r"does not verify",
        verify_checkpoint,
        text,
        [verifier_from_vkey(TESSERA_VKEY)],
        origin=TESSERA_ORIGIN,
    )


def test_checkpoint_signed_only_by_an_unknown_key_is_rejected():
    other = Ed25519Signer.generate("example.com/log/testdata")
    _raises(
        r"no signature by a known key",
        verify_checkpoint,
        tessera_checkpoint(2),
        [other.verifier()],
        origin=TESSERA_ORIGIN,
    )


def test_witness_quorum_is_enforced():
    log = Ed25519Signer.generate("example.com/log")
    witnesses = [Cosigner.generate(f"w{number}.example") for number in range(3)]
    verifiers = [witness.verifier() for witness in witnesses]
    checkpoint = Checkpoint("example.com/log", 9, ROOT)
    cosigned = _cosigned(checkpoint, log, witnesses[:2])
    arguments = {"origin": "example.com/log", "witnesses": verifiers}
    assert verify_checkpoint(cosigned, [log.verifier()], quorum=2, **arguments) == checkpoint
    _raises(
        r"too few witness cosignatures: expected 3, got 2",
        verify_checkpoint,
        cosigned,
        [log.verifier()],
        quorum=3,
        **arguments,
    )


def test_witness_cosignatures_alone_are_not_a_log_signature():
    log = Ed25519Signer.generate("example.com/log")
    witness = Cosigner.generate("w.example")
    cosigned = _cosigned(Checkpoint("example.com/log", 9, ROOT), log, [witness])
    only_witness = SignedCheckpoint(
        cosigned.checkpoint, type(cosigned.note)(cosigned.note.text, cosigned.note.signatures[1:])
    )
    _raises(
        r"has no valid signature by the log",
        verify_checkpoint,
        only_witness,
        [log.verifier()],
        origin="example.com/log",
        witnesses=[witness.verifier()],
    )


@pytest.mark.parametrize("quorum", [-1, 2])
def test_impossible_quorum_is_a_configuration_mistake(quorum):
    log = Ed25519Signer.generate("example.com/log")
    signed = sign_checkpoint(Checkpoint("example.com/log", 1, ROOT), [log])
    message = rf"witness quorum {quorum} is not between 0 and 1"
    with pytest.raises(InvalidDocument, match=message) as caught:
        verify_checkpoint(
            signed,
            [log.verifier()],
            origin="example.com/log",
            witnesses=[Cosigner.generate("w.example").verifier()],
            quorum=quorum,
        )
    assert caught.value.code == "invalid_document"
