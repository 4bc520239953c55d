"""eddsa-rdfc-2022 (vc-di-eddsa §3.2): every step of the W3C vectors, and verification."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.credentials import vc_assets
from tradetrace import errors, keys
from tradetrace.credentials import jsonld
from tradetrace.credentials.proofs import data_integrity, eddsa_rdfc_2022

FOLDER = vc_assets.VECTORS / "w3c-vc-di-eddsa"
STEPS = FOLDER / "eddsa-rdfc-2022"
SUITE = eddsa_rdfc_2022.CRYPTOSUITE


def _text(name):
    return (STEPS / name).read_text()


def _json(path):
    return json.loads(path.read_text())


@pytest.fixture
def key():
    return keys.SigningKey.from_secret_multibase(
        _json(FOLDER / "keyPair.json")["privateKeyMultibase"]
    )


def test_vector_canonical_document():
    unsigned = _json(FOLDER / "unsigned.json")
    assert jsonld.canonicalize_document(unsigned).nquads == _text("canonDocDataInt.txt")


def test_vector_canonical_proof_configuration():
    config = _json(STEPS / "proofConfigDataInt.json")
    assert jsonld.canonicalize_document(config).nquads == _text("proofCanonDataInt.txt")


def test_vector_hashes():
    unsigned = _json(FOLDER / "unsigned.json")
    config = _json(STEPS / "proofConfigDataInt.json")
    options = {name: value for name, value in config.items() if name != "@context"}
    document_hash = hashlib.sha256(_text("canonDocDataInt.txt").encode()).hexdigest()
    proof_hash = hashlib.sha256(_text("proofCanonDataInt.txt").encode()).hexdigest()
    assert document_hash == _text("docHashDataInt.txt").strip()
    assert proof_hash == _text("proofHashDataInt.txt").strip()
    combined = data_integrity.rdfc_hash_data(
        unsigned,
        options,
        suite=SUITE.name,
        hash_function=data_integrity.hash_for(keys.KeyKind.ED25519),
    )
    assert combined.hex() == _text("combinedHashDataInt.txt").strip() == proof_hash + document_hash


def test_vector_signature_and_re_signing(key):
    combined = bytes.fromhex(_text("combinedHashDataInt.txt").strip())
    assert key.sign(combined).hex() == _text("sigHexDataInt.txt").strip()
    unsigned = _json(FOLDER / "unsigned.json")
    signed = _json(STEPS / "signedDataInt.json")
    options = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    assert SUITE.create_proof(unsigned, options, key) == signed["proof"]
    assert signed["proof"]["proofValue"] == _text("sigBTC58DataInt.txt").strip()


def test_vector_verifies_and_tampering_fails(key):
    signed = _json(STEPS / "signedDataInt.json")
    proof = data_integrity.Proof.from_dict(signed["proof"])
    SUITE.verify_proof(signed, proof, key.public_key())
    signed["validFrom"] = "2024-01-01T00:00:00Z"
    with pytest.raises(errors.SignatureInvalid, match="does not verify") as caught:
        SUITE.verify_proof(signed, proof, key.public_key())
    assert caught.value.code == "signature_invalid"


def test_verify_ignores_a_context_in_the_proof(key):
    """Proof Configuration (§3.2.5) sets the proof's @context to the document's."""
    signed = _json(STEPS / "signedDataInt.json")
    signed["proof"]["@context"] = "https://w3id.org/security/data-integrity/v2"
    proof = data_integrity.Proof.from_dict(signed["proof"])
    SUITE.verify_proof(signed, proof, key.public_key())


def test_undefined_terms_are_refused_not_dropped(key):
    document = json.loads((vc_assets.VC / "undefined-term-eddsa-rdfc-2022.json").read_text())
    proof = data_integrity.Proof.from_dict(document["proof"])
    with pytest.raises(errors.CanonicalizationError, match="quantityKg") as caught:
        SUITE.verify_proof(document, proof, key.public_key())
    assert caught.value.code == "canonicalization_failed"
    unsigned = data_integrity.unsecured_document(document)
    options = {k: v for k, v in document["proof"].items() if k != "proofValue"}
    with pytest.raises(errors.CanonicalizationError, match="quantityKg") as caught:
        SUITE.create_proof(unsigned, options, key)
    assert caught.value.code == "canonicalization_failed"
