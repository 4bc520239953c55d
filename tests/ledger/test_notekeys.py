"""Ed25519 note keys: vkeys, Go ``sumdb/note`` private keys, and tlog-cosignature v1 keys."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tradetrace.errors import CheckpointInvalid, InvalidDocument
from tradetrace.ledger import (
    COSIGNATURE_V1,
    ED25519,
    CosignatureVerifier,
    Cosigner,
    Ed25519Signer,
    Ed25519Verifier,
    Note,
    NoteSignature,
    cosignature_time,
    key_id,
    sign_note,
    verifier_from_vkey,
    verify_note,
)

from .factories import TESSERA_VKEY, VECTORS, load_json

NOTES = load_json(VECTORS / "signed-notes" / "signed-notes.json")
PETER = NOTES["vectors"][1]
NOW = datetime(2026, 11, 27, 12, 0, 5, 900_000, tzinfo=UTC)
CHECKPOINT_TEXT = (
    b"example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
)


def _raises(error, message, call, *args, **kwargs):
    with pytest.raises(error, match=message) as caught:
        call(*args, **kwargs)
    assert caught.value.code == error.code


@pytest.mark.parametrize(
    "vkey", [vector["vkey"] for vector in NOTES["vectors"] if "vkey" in vector] + [TESSERA_VKEY]
)
def test_vkey_parses_and_serializes_back(vkey):
    verifier = verifier_from_vkey(vkey)
    assert isinstance(verifier, Ed25519Verifier)
    assert verifier.vkey == vkey
    assert f"{verifier.key_id:08x}" == vkey.split("+")[1]
    assert verifier.key_id == key_id(verifier.name, ED25519, verifier.public_key)
    assert repr(verifier) == f"Ed25519Verifier({vkey!r})"


def test_vkey_splits_on_the_first_two_plus_signs_only():
    # The Tessera key's base64 contains '+': a naive split would lose key material.
    assert TESSERA_VKEY.count("+") == 3
    verifier = verifier_from_vkey(TESSERA_VKEY)
    assert (verifier.name, verifier.key_id) == ("example.com/log/testdata", 0x33D7B496)


def test_go_private_key_loads_exports_and_matches_its_vkey():
    signer = Ed25519Signer.from_skey(PETER["skey_go_format"])
    assert signer.export_skey() == PETER["skey_go_format"]
    assert signer.verifier().vkey == PETER["vkey"]
    assert (signer.name, signer.key_id) == ("PeterNeumann", 0xC74F20A3)
    assert "AYEK" not in repr(signer)
    assert repr(signer) == "Ed25519Signer(name='PeterNeumann', key_id=c74f20a3)"


def test_generated_key_round_trips_through_go_formats():
    signer = Ed25519Signer.generate("example.com/new-log")
    loaded = Ed25519Signer.from_skey(signer.export_skey())
    verifier = verifier_from_vkey(signer.verifier().vkey)
    assert loaded.key_id == signer.key_id == verifier.key_id
    note = sign_note("hello\n", [loaded])
    assert note == sign_note("hello\n", [signer])  # Ed25519 is deterministic
    assert verify_note(note, [verifier]) == note.signatures


@pytest.mark.parametrize(
    ("vkey", "message"),
    [
        ("name+c74f20a+AQ==", r"key id must be 8 hex digits"),
        ("name+0x4f20a3+AQ==", r"key id must be 8 hex digits"),
        ("name", r"key id must be 8 hex digits"),
        ("name+c74f20a3+!!!!", r"malformed vkey for 'name': not valid base64"),
        ("name+c74f20a3+", r"unsupported vkey type for 'name': empty"),
        ("name+c74f20a3+AgAA", r"unsupported vkey type for 'name': 02"),
        ("name+c74f20a3+AQAA", r"ed25519 public key for 'name' must be 32 bytes"),
        ("na me+c74f20a3+AQAA", r"invalid key name 'na me'"),
        (PETER["vkey"].replace("c74f20a3", "C74F20A4"), r"expected c74f20a3, got C74F20A4"),
    ],
)
def test_malformed_vkey_is_rejected(vkey, message):
    _raises(InvalidDocument, message, verifier_from_vkey, vkey)


def test_vkey_key_id_accepts_upper_case_hex_as_go_does():
    assert verifier_from_vkey(PETER["vkey"].replace("c74f20a3", "C74F20A3")).key_id == 0xC74F20A3


@pytest.mark.parametrize(
    ("skey", "message"),
    [
        ("PRIVATE+KEY+name", r"expected PRIVATE\+KEY\+name\+id\+key"),
        ("PUBLIC+KEY+name+c74f20a3+AQ==", r"expected PRIVATE\+KEY\+name\+id\+key"),
        ("PRIVATE+KEY+name+xyz+AQ==", r"expected PRIVATE\+KEY\+name\+id\+key"),
        ("PRIVATE+KEY+name+c74f20a3+AQ=", r"private key for 'name': not valid base64"),
        ("PRIVATE+KEY+name+c74f20a3+AQAA", r"private key for 'name' is not an ed25519 seed"),
        (
            "PRIVATE+KEY+name+c74f20a3+Ag" + "A" * 42,
            r"private key for 'name' is not an ed25519 seed",
        ),
        (
            PETER["skey_go_format"].replace("c74f20a3", "00000000"),
            r"key id mismatch for private key 'PeterNeumann': expected c74f20a3, got 00000000",
        ),
        (
            PETER["skey_go_format"].replace("PeterNeumann", "Peter Neumann"),
            r"invalid key name 'Peter Neumann'",
        ),
    ],
)
def test_malformed_private_key_is_rejected_without_echoing_it(skey, message):
    with pytest.raises(InvalidDocument, match=message) as caught:
        Ed25519Signer.from_skey(skey)
    assert caught.value.code == "invalid_document"
    material = skey.split("+", 4)[-1]
    assert len(material) < 8 or material not in str(caught.value)


def test_cosignature_signs_the_spec_message_and_verifies():
    cosigner = Cosigner.generate("witness.example.com/w1")
    signature = cosigner.sign(CHECKPOINT_TEXT, now=NOW)
    timestamp = int(NOW.timestamp())
    assert signature[:8] == timestamp.to_bytes(8, "big")
    public = Ed25519PublicKey.from_public_bytes(cosigner.verifier().public_key)
    public.verify(signature[8:], b"cosignature/v1\ntime %d\n" % timestamp + CHECKPOINT_TEXT)
    cosigner.verifier().verify(CHECKPOINT_TEXT, signature)
    assert cosignature_time(signature) == NOW.replace(microsecond=0)


def test_cosigner_key_id_uses_type_0x04_and_differs_from_the_log_key_id():
    skey = PETER["skey_go_format"]
    cosigner, signer = Cosigner.from_skey(skey), Ed25519Signer.from_skey(skey)
    public = signer.verifier().public_key
    assert cosigner.key_id == key_id("PeterNeumann", COSIGNATURE_V1, public) != signer.key_id
    verifier = verifier_from_vkey(cosigner.verifier().vkey)
    assert isinstance(verifier, CosignatureVerifier)
    assert verifier.vkey.endswith(base64.b64encode(b"\x04" + public).decode())
    assert cosigner.export_skey() == skey


def test_cosignature_on_a_note_verifies_next_to_the_log_signature():
    log = Ed25519Signer.generate("example.com/log")
    witness = Cosigner.generate("witness.example")
    note = sign_note(CHECKPOINT_TEXT.decode(), [log])
    cosignature = NoteSignature(
        witness.name, witness.key_id, witness.sign(note.text.encode(), now=NOW)
    )
    cosigned = Note.from_text(note.with_signatures(cosignature).to_text())
    verified = verify_note(cosigned, [log.verifier(), witness.verifier()])
    assert [sig.name for sig in verified] == ["example.com/log", "witness.example"]


def test_cosignature_with_a_changed_time_does_not_verify():
    cosigner = Cosigner.generate("witness.example")
    signature = cosigner.sign(CHECKPOINT_TEXT, now=NOW)
    later = (int(NOW.timestamp()) + 1).to_bytes(8, "big") + signature[8:]
    _raises(
        CheckpointInvalid,
        r"signature by witness.example\+[0-9a-f]{8} does not verify",
        cosigner.verifier().verify,
        CHECKPOINT_TEXT,
        later,
    )


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        (b"\x00" * 71, r"wrong length: expected 72 bytes, got 71"),
        (b"\x80" + b"\x00" * 71, r"has a timestamp above 2\^63-1"),
    ],
)
def test_malformed_cosignature_is_rejected(signature, message):
    verifier = Cosigner.generate("witness.example").verifier()
    _raises(CheckpointInvalid, message, verifier.verify, CHECKPOINT_TEXT, signature)


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        (b"\x00" * 64, r"cosignature has wrong length: expected 72 bytes, got 64"),
        (b"\x7f" + b"\xff" * 71, r"cosignature timestamp 9223372036854775807 is out of range"),
    ],
)
def test_cosignature_time_rejects_what_it_cannot_read(signature, message):
    _raises(CheckpointInvalid, message, cosignature_time, signature)


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (datetime(2026, 1, 1), r"must be a timezone-aware datetime"),
        (datetime(1969, 12, 31, tzinfo=UTC), r"is before 1970"),
    ],
)
def test_cosigner_needs_an_aware_time_after_the_epoch(now, message):
    _raises(InvalidDocument, message, Cosigner.generate("w.example").sign, b"x\n", now=now)


def test_cosignature_time_is_utc_whatever_zone_signed_it():
    local = NOW.astimezone(timezone(timedelta(hours=-5)))
    signature = Cosigner.generate("w.example").sign(CHECKPOINT_TEXT, now=local)
    assert cosignature_time(signature) == NOW.replace(microsecond=0)
    assert cosignature_time(signature).tzinfo is UTC
