"""eddsa-jcs-2022 (vc-di-eddsa §3.3): every step of the W3C vectors, byte-exact re-signing, and
a cross-check against an independent implementation written here from the spec text."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.credentials import vc_assets
from tradetrace import errors, keys
from tradetrace.credentials import issue, json_input, proofs
from tradetrace.credentials.proofs import data_integrity, eddsa_jcs_2022

FOLDER = vc_assets.VECTORS / "w3c-vc-di-eddsa"
STEPS = FOLDER / "eddsa-jcs-2022"
SUITE = eddsa_jcs_2022.CRYPTOSUITE


def _text(name):
    return (STEPS / name).read_text().strip()


def _json(path):
    return json.loads(path.read_text())


@pytest.fixture
def key():
    return keys.SigningKey.from_secret_multibase(
        _json(FOLDER / "keyPair.json")["privateKeyMultibase"]
    )


def test_vector_canonical_document():
    unsigned = _json(FOLDER / "unsigned.json")
    assert json_input.canonical_json(unsigned, jcs_ready=False).decode() == _text("canonDocJCS.txt")


def test_vector_canonical_proof_configuration():
    config = _json(STEPS / "proofConfigJCS.json")
    assert json_input.canonical_json(config, jcs_ready=False).decode() == _text("proofCanonJCS.txt")


def test_vector_hashes():
    unsigned = _json(FOLDER / "unsigned.json")
    config = _json(STEPS / "proofConfigJCS.json")
    options = {name: value for name, value in config.items() if name != "@context"}
    document_hash = hashlib.sha256(_text("canonDocJCS.txt").encode()).hexdigest()
    proof_hash = hashlib.sha256(_text("proofCanonJCS.txt").encode()).hexdigest()
    assert document_hash == _text("docHashJCS.txt")
    assert proof_hash == _text("proofHashJCS.txt")
    combined = data_integrity.jcs_hash_data(
        unsigned,
        options,
        suite=SUITE.name,
        hash_function=data_integrity.hash_for(keys.KeyKind.ED25519),
    )
    assert combined.hex() == _text("combinedHashJCS.txt") == proof_hash + document_hash


def test_vector_signature_and_proof_value(key):
    combined = bytes.fromhex(_text("combinedHashJCS.txt"))
    signature = key.sign(combined)
    assert signature.hex() == _text("sigHexJCS.txt")
    assert data_integrity.encode_proof_value(signature) == _text("sigBTC58JCS.txt")
    decoded = data_integrity.decode_proof_value(_text("sigBTC58JCS.txt"), keys.KeyKind.ED25519)
    assert decoded == signature


def test_vector_re_signs_byte_for_byte(key):
    unsigned = _json(FOLDER / "unsigned.json")
    signed = _json(STEPS / "signedJCS.json")
    options = {k: v for k, v in signed["proof"].items() if k not in ("proofValue", "@context")}
    assert SUITE.create_proof(unsigned, options, key) == signed["proof"]


@pytest.mark.parametrize("jcs_ready", [False, True])
def test_vector_verifies(key, jcs_ready):
    signed_text = (STEPS / "signedJCS.json").read_bytes()
    parsed = json_input.parse_json(signed_text, max_bytes=10_000, max_depth=10)
    assert parsed.jcs_ready
    proof = data_integrity.Proof.from_dict(parsed.value["proof"])
    SUITE.verify_proof(parsed.value, proof, key.public_key(), jcs_ready=jcs_ready)


def test_vector_tampered_fails(key):
    signed = _json(STEPS / "signedJCS.json")
    signed["credentialSubject"]["alumniOf"] = "The School of Forgery"
    proof = data_integrity.Proof.from_dict(signed["proof"])
    with pytest.raises(errors.SignatureInvalid, match="does not verify") as caught:
        SUITE.verify_proof(signed, proof, key.public_key())
    assert caught.value.code == "signature_invalid"


def test_verify_requires_document_context_to_start_with_proof_context(key):
    signed = _json(STEPS / "signedJCS.json")
    signed["@context"] = list(reversed(signed["@context"]))
    proof = data_integrity.Proof.from_dict(signed["proof"])
    with pytest.raises(errors.ProofInvalid, match="does not start with proof @context") as caught:
        SUITE.verify_proof(signed, proof, key.public_key())
    assert caught.value.code == "proof_invalid"


def test_verify_hashes_only_the_signed_contexts(key):
    """Contexts appended after signing (by a later proof of a set) are not covered (§3.3.2)."""
    signed = _json(STEPS / "signedJCS.json")
    signed["@context"] = [*signed["@context"], "https://w3id.org/traceability/v1"]
    proof = data_integrity.Proof.from_dict(signed["proof"])
    SUITE.verify_proof(signed, proof, key.public_key())


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"cryptosuite": "eddsa-rdfc-2022"}, "cryptosuite eddsa-jcs-2022"),
        ({"type": "Ed25519Signature2020"}, "DataIntegrityProof"),
        ({"created": "yesterday"}, "proof created"),
    ],
)
def test_create_proof_checks_options(key, change, match):
    unsigned = _json(FOLDER / "unsigned.json")
    options = {k: v for k, v in _json(STEPS / "proofConfigJCS.json").items() if k != "@context"}
    with pytest.raises(errors.ProofInvalid, match=match) as caught:
        SUITE.create_proof(unsigned, {**options, **change}, key)
    assert caught.value.code == "proof_invalid"


def test_suite_refuses_other_key_kinds():
    p256 = vc_assets.vector_key("p256")
    assert SUITE.supports(keys.KeyKind.ED25519) and not SUITE.supports(keys.KeyKind.P256)
    with pytest.raises(errors.ProofInvalid, match="needs a key of kind Ed25519") as caught:
        SUITE.create_proof({}, {}, p256)
    assert caught.value.code == "proof_invalid"
    assert proofs.find_cryptosuite("eddsa-jcs-2022") is SUITE
    assert proofs.find_cryptosuite(["eddsa-jcs-2022"]) is None


# --- an independent eddsa-jcs-2022 verifier, written from vc-di-eddsa §3.3.2 -------------------

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def independent_verify(secured: dict) -> None:
    document = dict(secured)
    proof = dict(document.pop("proof"))
    proof_value = proof.pop("proofValue")
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof_value.startswith("z")
    if "@context" in proof:
        assert document["@context"][: len(proof["@context"])] == proof["@context"]
        document["@context"] = proof["@context"]
    config = {**proof, "@context": document["@context"]}
    hash_data = hashlib.sha256(rfc8785.dumps(config)).digest()
    hash_data += hashlib.sha256(rfc8785.dumps(document)).digest()
    method_did, _, fragment = proof["verificationMethod"].partition("#")
    assert method_did == "did:key:" + fragment
    multikey = _base58(fragment[1:])
    assert multikey[:2] == b"\xed\x01"
    Ed25519PublicKey.from_public_bytes(multikey[2:]).verify(_base58(proof_value[1:]), hash_data)


def test_independent_verifier_accepts_the_w3c_vector():
    independent_verify(_json(STEPS / "signedJCS.json"))


@pytest.mark.parametrize("name", ["valid-eddsa-jcs-2022.json", "valid-vp-eddsa-jcs-2022.json"])
def test_credential_issued_here_verifies_independently(name):
    independent_verify(json.loads((vc_assets.VC / name).read_text()))


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(subject=st.dictionaries(st.text(max_size=10), _json_values, max_size=5))
def test_issued_credentials_verify_independently(subject):
    ed = vc_assets.vector_key("ed25519")
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:subject", **subject},
    }
    secured = issue.issue_credential(
        credential, key=ed, format=issue.Format.EDDSA_JCS_2022, now=datetime(2026, 1, 1, tzinfo=UTC)
    )
    # through the wire, as a verifier would receive it
    independent_verify(json.loads(secured.to_bytes()))


def test_jcs_suite_secures_plain_json_without_context(key):
    """JCS needs no JSON-LD: a document without @context gets a proof without one."""
    options = {k: v for k, v in _json(STEPS / "proofConfigJCS.json").items() if k != "@context"}
    document = {"shipment": "SSCC 0 0614141 123456789 0", "weightKg": 20.5}
    proof = SUITE.create_proof(document, options, key)
    assert "@context" not in proof
    parsed = data_integrity.Proof.from_dict(proof)
    SUITE.verify_proof({**document, "proof": proof}, parsed, key.public_key())
    with pytest.raises(errors.SignatureInvalid, match="does not verify") as caught:
        SUITE.verify_proof({**document, "weightKg": 21, "proof": proof}, parsed, key.public_key())
    assert caught.value.code == "signature_invalid"
