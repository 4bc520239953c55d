"""Ed25519Signature2018 and JsonWebSignature2020 (tradetrace.credentials.proofs.linked_data),
against the signed credentials of the Traceability Interop conformance collection."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tradetrace import did, errors, keys
from tradetrace.credentials import issue, proofs, verify
from tradetrace.credentials.proofs import linked_data
from tradetrace.credentials.report import CheckId

COLLECTION = (
    Path(__file__).parents[1] / "assets" / "interop" / "conformance_suite.postman_collection.json"
)
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
VC_1_1 = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/traceability/v1"]


def _suite_credential(name):
    def find(items):
        for item in items:
            if "item" in item:
                found = find(item["item"])
                if found:
                    return found
            elif item["name"] == name:
                return item
        return None

    item = find(json.loads(COLLECTION.read_text())["item"])
    return json.loads(item["request"]["body"]["raw"])["verifiableCredential"]


@pytest.fixture
def verifier():
    resolver = did.CompositeResolver({"key": did.KeyResolver(), "jwk": did.JwkResolver()})
    return verify.Verifier(resolver, status_lists=verify.UnsafeSkipStatusCheck())


@pytest.mark.parametrize("name", ["credentials_verify", "credentials_verify:issuer:object"])
def test_suite_credentials_verify(verifier, name):
    report = verifier.verify(_suite_credential(name), now=NOW)
    assert report.verified(), report.to_json()
    assert report.format == "Ed25519Signature2018"


def test_suite_bad_signature_is_a_verdict(verifier):
    report = verifier.verify(_suite_credential("credentials_verify:bad_signature"), now=NOW)
    assert not report.verified()
    assert report.check(CheckId.PROOF).code == "signature_invalid"  # type: ignore[union-attr]


def test_tampered_subject_fails(verifier):
    credential = _suite_credential("credentials_verify")
    credential["credentialSubject"]["id"] = "did:example:456"
    report = verifier.verify(credential, now=NOW)
    assert report.check(CheckId.PROOF).code == "signature_invalid"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("fmt", "kind", "extra"),
    [
        (issue.Format.ED25519_SIGNATURE_2018, keys.KeyKind.ED25519, []),
        (issue.Format.JSON_WEB_SIGNATURE_2020, keys.KeyKind.P256, [linked_data.JWS_2020_CONTEXT]),
        (
            issue.Format.JSON_WEB_SIGNATURE_2020,
            keys.KeyKind.ED25519,
            [linked_data.JWS_2020_CONTEXT],
        ),
    ],
)
def test_issue_then_verify_round_trips(verifier, fmt, kind, extra):
    key = keys.SigningKey.generate(kind)
    credential = {
        "@context": [VC_1_1[0], *extra, VC_1_1[1]],
        "type": ["VerifiableCredential"],
        "issuanceDate": "2006-01-02T15:04:05Z",
        "credentialSubject": {"foo": "bar"},
    }
    secured = issue.issue_credential(credential, key=key, format=fmt, now=NOW)
    proof = secured.document["proof"]  # type: ignore[index]
    assert proof["type"] == fmt.value
    assert "cryptosuite" not in proof
    assert proof["jws"].split(".")[1] == ""
    assert verifier.verify(secured.document, now=NOW).verified()


def test_json_web_signature_needs_its_context():
    key = keys.SigningKey.generate(keys.KeyKind.P256)
    credential = {
        "@context": VC_1_1,
        "type": ["VerifiableCredential"],
        "issuanceDate": "2006-01-02T15:04:05Z",
        "credentialSubject": {"foo": "bar"},
    }
    with pytest.raises(errors.ProofInvalid, match="needs the context") as caught:
        issue.issue_credential(
            credential, key=key, format=issue.Format.JSON_WEB_SIGNATURE_2020, now=NOW
        )
    assert caught.value.code == "proof_invalid"


def test_verify_rejects_attached_payload_jws():
    credential = _suite_credential("credentials_verify")
    proof = proofs.parse_proof({**credential["proof"], "jws": "eyJhbGciOiJFZERTQSJ9.e30.AA"})
    key = did.KeyResolver().resolve(credential["issuer"]).methods[0].public_key()
    with pytest.raises(errors.ProofInvalid, match="detached compact JWS") as caught:
        linked_data.ED25519_SIGNATURE_2018.verify_proof(credential, proof, key)
    assert caught.value.code == "proof_invalid"


def test_verify_rejects_other_jws_header():
    credential = _suite_credential("credentials_verify")
    signature = credential["proof"]["jws"].split("..")[1]
    changed = copy.deepcopy(credential)
    changed["proof"]["jws"] = "eyJhbGciOiJFZERTQSJ9.." + signature  # {"alg":"EdDSA"}: b64 missing
    proof = proofs.parse_proof(changed["proof"])
    key = did.KeyResolver().resolve(credential["issuer"]).methods[0].public_key()
    with pytest.raises(errors.ProofInvalid, match="jws header must be") as caught:
        linked_data.ED25519_SIGNATURE_2018.verify_proof(changed, proof, key)
    assert caught.value.code == "proof_invalid"


def test_parse_proof_names_the_jws_field():
    credential = _suite_credential("credentials_verify")
    with pytest.raises(errors.InvalidDocument, match=r"proof\.jws") as caught:
        proofs.parse_proof({**credential["proof"], "jws": 42})
    assert caught.value.code == "invalid_document"
