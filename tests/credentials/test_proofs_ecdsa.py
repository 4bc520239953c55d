"""ecdsa-jcs-2019 (vc-di-ecdsa §3.4) and ecdsa-rdfc-2019 (§3.3), P-256 and P-384: every step of
the W3C vectors, and verification (ECDSA is randomised, so the vectors cannot be re-created)."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.credentials import vc_assets
from tradetrace import errors, keys
from tradetrace.credentials import json_input, jsonld, proofs
from tradetrace.credentials.proofs import data_integrity

FOLDER = vc_assets.VECTORS / "w3c-vc-di-ecdsa"
UNSIGNED = vc_assets.VECTORS / "w3c-vc-di-eddsa" / "unsigned.json"

# (folder, file suffix, key pair, canonicalize, hash)
CASES = [
    ("ecdsa-jcs-2019-p256", "JCSECDSAP256", "p256KeyPair.json", "jcs", hashlib.sha256),
    ("ecdsa-jcs-2019-p384", "JCSECDSAP384", "p384KeyPair.json", "jcs", hashlib.sha384),
    ("ecdsa-rdfc-2019-p256", "ECDSAP256", "p256KeyPair.json", "rdfc", hashlib.sha256),
    ("ecdsa-rdfc-2019-p384", "ECDSAP384", "p384KeyPair.json", "rdfc", hashlib.sha384),
]


def _canonical(document, how):
    if how == "jcs":
        return json_input.canonical_json(document, jcs_ready=False).decode()
    return jsonld.canonicalize_document(document).nquads


def _read(folder, name):
    return (FOLDER / folder / name).read_text()


@pytest.mark.parametrize(("folder", "suffix", "pair", "how", "digest"), CASES)
def test_vector_steps(folder, suffix, pair, how, digest):
    unsigned = json.loads(UNSIGNED.read_text())
    config = json.loads(_read(folder, f"proofConfig{suffix}.json"))
    canonical_document = _canonical(unsigned, how)
    canonical_config = _canonical(config, how)
    assert canonical_document.strip() == _read(folder, f"canonDoc{suffix}.txt").strip()
    assert canonical_config.strip() == _read(folder, f"proofCanon{suffix}.txt").strip()
    document_hash = digest(canonical_document.encode()).hexdigest()
    proof_hash = digest(canonical_config.encode()).hexdigest()
    assert document_hash == _read(folder, f"docHash{suffix}.txt").strip()
    assert proof_hash == _read(folder, f"proofHash{suffix}.txt").strip()
    assert proof_hash + document_hash == _read(folder, f"combinedHash{suffix}.txt").strip()
    public = keys.PublicKey.from_multibase(
        json.loads((FOLDER / pair).read_text())["publicKeyMultibase"]
    )
    signature = bytes.fromhex(_read(folder, f"sigHex{suffix}.txt").strip())
    public.verify(signature, bytes.fromhex(proof_hash + document_hash))
    proof_value = _read(folder, f"sigBTC58{suffix}.txt").strip()
    assert data_integrity.decode_proof_value(proof_value, public.kind) == signature


@pytest.mark.parametrize(("folder", "suffix", "pair", "how", "digest"), CASES)
def test_vector_signed_document_verifies(folder, suffix, pair, how, digest):
    signed = json.loads(_read(folder, f"signed{suffix}.json"))
    public = keys.PublicKey.from_multibase(
        json.loads((FOLDER / pair).read_text())["publicKeyMultibase"]
    )
    proof = data_integrity.Proof.from_dict(signed["proof"])
    suite = proofs.find_cryptosuite(proof.cryptosuite)
    suite.verify_proof(signed, proof, public)
    signed["credentialSubject"]["alumniOf"] += "!"
    with pytest.raises(errors.SignatureInvalid, match="does not verify") as caught:
        suite.verify_proof(signed, proof, public)
    assert caught.value.code == "signature_invalid"


@pytest.mark.parametrize("name", ["ecdsa-jcs-2019", "ecdsa-rdfc-2019"])
@pytest.mark.parametrize("curve", ["p256", "p384"])
def test_round_trip_and_key_kinds(name, curve):
    key = vc_assets.vector_key(curve)
    suite = proofs.find_cryptosuite(name)
    unsigned = json.loads(UNSIGNED.read_text())
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": name,
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": "did:example:issuer#key-1",
        "proofPurpose": "assertionMethod",
    }
    proof = suite.create_proof(unsigned, options, key)
    assert (
        len(data_integrity.decode_proof_value(proof["proofValue"], key.kind))
        == key.kind.signature_size
    )
    suite.verify_proof(
        {**unsigned, "proof": proof}, data_integrity.Proof.from_dict(proof), key.public_key()
    )
    assert not suite.supports(keys.KeyKind.ED25519)
    with pytest.raises(errors.ProofInvalid, match="needs a key of kind P-256, P-384") as caught:
        suite.verify_proof(
            unsigned,
            data_integrity.Proof.from_dict(proof),
            vc_assets.vector_key("ed25519").public_key(),
        )
    assert caught.value.code == "proof_invalid"


def test_proof_value_must_fit_the_key():
    with pytest.raises(errors.ProofInvalid, match="expected 96 bytes, got 64") as caught:
        data_integrity.decode_proof_value(
            data_integrity.encode_proof_value(b"\1" * 64), keys.KeyKind.P384
        )
    assert caught.value.code == "proof_invalid"
