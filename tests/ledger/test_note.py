"""C2SP signed-note parsing, serialization, signing and verification, over the vendored notes."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.errors import CheckpointInvalid, InvalidDocument
from tradetrace.ledger import (
    MAX_SIGNATURES,
    Ed25519Signer,
    Note,
    NoteSignature,
    check_note_text,
    sign_note,
    verifier_from_vkey,
    verify_note,
)

from .factories import VECTORS, load_json

NOTES = load_json(VECTORS / "signed-notes" / "signed-notes.json")
SIGNED = [vector for vector in NOTES["vectors"] if "note" in vector]
PETER, ENOCH = SIGNED[1], SIGNED[2]


class RefusingVerifier:
    """A known (name, key ID) whose verify must never be reached."""

    def __init__(self, name, key_id):
        self.name, self.key_id = name, key_id

    def verify(self, text, signature):
        raise AssertionError("a signature by an unknown key was verified")


def _raises_checkpoint_invalid(message, call, *args):
    with pytest.raises(CheckpointInvalid, match=message) as caught:
        call(*args)
    assert caught.value.code == "checkpoint_invalid"


@pytest.mark.parametrize("vector", SIGNED, ids=lambda vector: vector["id"])
def test_vendored_note_verifies_and_round_trips(vector):
    note = Note.from_text(vector["note"])
    verified = verify_note(note, [verifier_from_vkey(vector["vkey"])])
    assert [sig.name for sig in verified] == [vector["vkey"].split("+")[0]]
    assert note.to_text() == vector["note"]
    assert Note.from_text(vector["note"].encode()) == note


def test_note_with_two_signatures_verifies_with_either_key_and_ignores_the_other():
    note = Note.from_text(ENOCH["note"])
    for vkey in (PETER["vkey"], ENOCH["vkey"]):
        (signature,) = verify_note(note, [verifier_from_vkey(vkey)])
        assert signature.name == vkey.split("+")[0]
    both = verify_note(note, [verifier_from_vkey(PETER["vkey"]), verifier_from_vkey(ENOCH["vkey"])])
    assert [sig.name for sig in both] == ["PeterNeumann", "EnochRoot"]


def test_signature_whose_key_id_differs_from_a_known_key_is_ignored():
    name, hex_id = NOTES["vectors"][3]["vkey_lookup"].split("+")
    assert (name, hex_id) == ("PeterNeumann", "c74f20a4")
    note = Note.from_text(PETER["note"])
    _raises_checkpoint_invalid(
        r"no signature by a known key: expected one of \['PeterNeumann\+c74f20a4'\]",
        verify_note,
        note,
        [RefusingVerifier(name, int(hex_id, 16))],
    )


def test_signature_with_known_id_but_other_name_is_ignored():
    note = Note.from_text(PETER["note"])
    _raises_checkpoint_invalid(
        r"no signature by a known key", verify_note, note, [RefusingVerifier("Peter", 0xC74F20A3)]
    )


def test_peter_neumann_re_signs_byte_for_byte():
    signer = Ed25519Signer.from_skey(PETER["skey_go_format"])
    note = Note.from_text(PETER["note"])
    assert sign_note(note.text, [signer]).to_text() == PETER["note"]


def test_failing_signature_by_a_known_key_rejects_the_whole_note():
    tampered = Note.from_text(ENOCH["note"].replace("cryptography", "cryptograph"))
    verifiers = [verifier_from_vkey(ENOCH["vkey"]), verifier_from_vkey(PETER["vkey"])]
    _raises_checkpoint_invalid(
        r"signature by PeterNeumann\+c74f20a3 does not verify", verify_note, tampered, verifiers
    )


def test_verify_note_refuses_two_verifiers_for_one_key():
    verifier = verifier_from_vkey(PETER["vkey"])
    with pytest.raises(InvalidDocument, match=r"share key name 'PeterNeumann'") as caught:
        verify_note(Note.from_text(PETER["note"]), [verifier, verifier])
    assert caught.value.code == "invalid_document"


def test_text_may_contain_blank_lines_and_splits_at_the_last_one():
    signer = Ed25519Signer.generate("example.com/poet")
    text = "Ognuno sta solo sul cuor della terra\n\ned è subito sera.\n"
    note = Note.from_text(sign_note(text, [signer]).to_text())
    assert note.text == text
    assert verify_note(note, [signer.verifier()]) == note.signatures


def test_trailing_blank_line_belongs_to_the_text():
    note = Note.from_text("text\n\n\n— a QUJDREVG\n")
    assert note.text == "text\n\n"
    assert note.signatures == (NoteSignature("a", 0x41424344, b"EF"),)


def test_with_signatures_appends():
    signer, other = Ed25519Signer.generate("a.example"), Ed25519Signer.generate("b.example")
    first = sign_note("hello\n", [signer])
    second = sign_note("hello\n", [other])
    both = first.with_signatures(*second.signatures)
    assert [sig.name for sig in both.signatures] == ["a.example", "b.example"]
    assert len(verify_note(both, [signer.verifier(), other.verifier()])) == 2


def test_many_signatures_are_accepted_up_to_the_limit():
    signers = [Ed25519Signer.generate(f"w{number}.example") for number in range(MAX_SIGNATURES)]
    note = Note.from_text(sign_note("text\n", signers).to_text())
    assert len(note.signatures) == MAX_SIGNATURES
    assert len(verify_note(note, [signers[-1].verifier()])) == 1
    line = note.signatures[0].to_line()
    _raises_checkpoint_invalid(
        r"more than 100 signatures \(101\)", Note.from_text, note.to_text() + line
    )


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (b"text\n\n\xe2\x80\x94 a QUJDREVG\n\xff", r"not valid UTF-8"),
        ("text\ud800\n\n— a QUJDREVG\n", r"not valid UTF-8"),
        ("te\txt\n\n— a QUJDREVG\n", r"contains a control character"),
        ("text\n— a QUJDREVG\n", r"no blank line before the signatures"),
        ("text\n\n— a QUJDREVG", r"signature block must end with a newline"),
        ("text\n\n", r"signature block must end with a newline"),
        ("text\n\n- a QUJDREVG\n", r"lacks '— '"),
        ("text\n\n— a QUJDRE!G\n", r"malformed note signature: not valid base64"),
        ("text\n\n— a QUJDREVG=\n", r"malformed note signature: not canonical base64"),
        ("text\n\n— a QUJDREVGQR==\n", r"malformed note signature: not canonical base64"),
        ("text\n\n— a QUJDRA==\n", r"signature by 'a' is too short"),
        ("text\n\n— a\n", r"signature by 'a' is too short"),
        ("text\n\n—  QUJDREVG\n", r"invalid key name ''"),
        ("text\n\n— a+b QUJDREVG\n", r"invalid key name 'a\+b'"),
        ("text\n\n— a\u00a0b QUJDREVG\n", r"invalid key name"),
    ],
)
def test_malformed_note_is_rejected(message, error):
    _raises_checkpoint_invalid(error, Note.from_text, message)


def test_note_needs_at_least_one_signature():
    _raises_checkpoint_invalid(r"expected 1 to 100 signatures, got 0", Note, "text\n", ())
    _raises_checkpoint_invalid(r"expected 1 to 100 signatures, got 0", sign_note, "text\n", [])


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("no newline", r"text must end with a newline"),
        ("", r"text must end with a newline"),
        ("bell\a\n", r"text contains a control character"),
        ("surrogate \udc80\n", r"text is not valid UTF-8"),
    ],
)
def test_note_text_rules(text, error):
    _raises_checkpoint_invalid(error, check_note_text, text)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (("a", 1 << 32, b"sig"), r"key id for 'a' is not a 32-bit value"),
        (("a", -1, b"sig"), r"key id for 'a' is not a 32-bit value"),
        (("a", 1, b""), r"signature by 'a' is empty"),
        (("a b", 1, b"sig"), r"invalid key name 'a b'"),
    ],
)
def test_note_signature_fields_are_validated(arguments, error):
    _raises_checkpoint_invalid(error, NoteSignature, *arguments)


@given(
    name=st.text(
        st.characters(
            blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="+"
        ),
        min_size=1,
    ),
    key_id=st.integers(min_value=0, max_value=(1 << 32) - 1),
    signature=st.binary(min_size=1, max_size=80),
)
def test_signature_line_round_trips(name, key_id, signature):
    if any(char.isspace() for char in name):
        return
    line = NoteSignature(name, key_id, signature).to_line()
    assert line.endswith("\n")
    decoded = base64.b64decode(line.split(" ")[-1])
    assert decoded[:4] == key_id.to_bytes(4, "big")
    assert NoteSignature.from_line(line[:-1]) == NoteSignature(name, key_id, signature)
