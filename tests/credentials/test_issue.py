"""Issuing credentials and presentations, and round trips through the verifier in each format."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.credentials import vc_assets
from tradetrace import did, errors, keys
from tradetrace.credentials import issue, model, verify
from tradetrace.credentials.report import CheckId, CheckStatus

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
ED = vc_assets.vector_key("ed25519")

FORMATS = [
    (issue.Format.VC_JWT, "ed25519"),
    (issue.Format.VC_JWT, "p256"),
    (issue.Format.VC_JWT, "p384"),
    (issue.Format.EDDSA_JCS_2022, "ed25519"),
    (issue.Format.ECDSA_JCS_2019, "p256"),
    (issue.Format.ECDSA_JCS_2019, "p384"),
    (issue.Format.EDDSA_RDFC_2022, "ed25519"),
    (issue.Format.ECDSA_RDFC_2019, "p256"),
]


def _verifier(resolver=None):
    return verify.Verifier(
        resolver or did.KeyResolver(), status_lists=verify.UnsafeSkipStatusCheck()
    )


def test_deterministic_assets_reproduce_byte_for_byte():
    for name, text in vc_assets.deterministic_assets().items():
        assert (vc_assets.VC / name).read_text() == text, name


@pytest.mark.parametrize(("fmt", "curve"), FORMATS)
def test_credential_round_trip(fmt, curve):
    key = vc_assets.vector_key(curve)
    secured = issue.issue_credential(vc_assets.mill_test_report(key), key=key, format=fmt, now=NOW)
    assert secured.format is fmt
    report = _verifier().verify(secured.to_bytes(), now=NOW)
    assert report.verified(), report.to_json()
    assert report.format == fmt.value
    assert report.check(CheckId.SCHEMA).status is CheckStatus.VALID


@pytest.mark.parametrize(("fmt", "curve"), FORMATS)
def test_presentation_round_trip_with_challenge_and_domain(fmt, curve):
    key = vc_assets.vector_key(curve)
    credentials = [
        issue.issue_credential(vc_assets.mill_test_report(key), key=key, format=f, now=NOW)
        for f in (
            issue.Format.VC_JWT,
            issue.Format.ECDSA_JCS_2019 if curve != "ed25519" else issue.Format.EDDSA_JCS_2022,
        )
    ]
    secured = issue.issue_presentation(
        credentials=credentials,
        key=key,
        format=fmt,
        now=NOW,
        challenge="nonce-123",
        domain="https://verifier.example",
    )
    verifier = _verifier()
    report = verifier.verify(
        secured.to_bytes(), now=NOW, challenge="nonce-123", domain="https://verifier.example"
    )
    assert report.verified(), report.to_json()
    assert report.types == ("VerifiablePresentation",)
    assert len(report.credentials) == 2 and all(inner.verified() for inner in report.credentials)
    wrong = verifier.verify(
        secured.to_bytes(), now=NOW, challenge="nonce-124", domain="https://verifier.example"
    )
    assert wrong.check(CheckId.PROOF).code == "challenge_mismatch"
    assert not wrong.verified()
    elsewhere = verifier.verify(secured.to_bytes(), now=NOW, domain="https://other.example")
    assert elsewhere.check(CheckId.PROOF).code == "domain_mismatch"


def test_presentation_without_challenge_does_not_satisfy_one():
    secured = issue.issue_presentation(key=ED, format=issue.Format.VC_JWT, now=NOW)
    report = _verifier().verify(secured.to_bytes(), now=NOW, challenge="expected")
    assert report.check(CheckId.PROOF).code == "challenge_mismatch"
    assert _verifier().verify(secured.to_bytes(), now=NOW).verified()


def test_issue_fills_id_issuer_and_valid_from():
    credential = {
        "@context": [model.VC_2_0_CONTEXT],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:subject"},
    }
    secured = issue.issue_credential(
        credential, key=ED, format=issue.Format.EDDSA_JCS_2022, now=NOW
    )
    document = secured.document
    assert document["id"].startswith("urn:uuid:")
    assert document["issuer"] == vc_assets.key_did(ED)
    assert document["validFrom"] == "2026-11-27T12:00:00Z"
    assert document["proof"]["created"] == "2026-11-27T12:00:00Z"
    assert "id" not in credential, "the input is not changed"
    kept = issue.issue_credential(
        {**credential, "id": "urn:example:1", "validFrom": "2026-01-01T00:00:00Z"},
        key=ED,
        format=issue.Format.VC_JWT,
        now=NOW,
    )
    assert _verifier().verify(kept.to_bytes(), now=NOW).document_id == "urn:example:1"


def test_issue_fills_issuance_date_for_vc_1_1():
    document = json.loads(
        (vc_assets.VC / "content" / "valid-mill-test-report-vc11.json").read_text()
    )
    del document["issuanceDate"]
    document["issuer"]["id"] = vc_assets.key_did(ED)
    secured = issue.issue_credential(document, key=ED, format=issue.Format.EDDSA_JCS_2022, now=NOW)
    assert secured.document["issuanceDate"] == "2026-11-27T12:00:00Z"
    report = _verifier().verify(secured.to_bytes(), now=NOW + timedelta(days=1))
    assert report.verified(), report.to_json()


def test_issue_as_did_web_with_named_method():
    web = "did:web:mill.example.com"
    document = vc_assets.mill_test_report(ED)
    document["issuer"]["id"] = web
    secured = issue.issue_credential(
        document, key=ED, format=issue.Format.VC_JWT, now=NOW, verification_method=f"{web}#key-1"
    )
    did_document = did.build_web_did_document(web, keys_by_fragment={"key-1": ED.public_key()})

    class Resolver:
        def resolve(self, value):
            return did_document

    assert _verifier(Resolver()).verify(secured.to_bytes(), now=NOW).verified()


@pytest.mark.parametrize(
    ("arguments", "match"),
    [
        ({"issuer": "did:web:a.example"}, "name the verification method of did:web:a.example"),
        (
            {"issuer": "did:web:a.example", "verification_method": "did:web:b.example#k"},
            "does not belong to did:web:a.example",
        ),
        ({"verification_method": "did:web:a.example"}, "invalid DID URL fragment"),
        ({"format": issue.Format.ECDSA_JCS_2019}, "ecdsa-jcs-2019 cannot sign with a Ed25519 key"),
        ({"now": datetime(2026, 1, 1)}, "now must be a timezone-aware datetime"),
        ({"credential": {"issuer": "did:example:other"}}, "is not the signer"),
        ({"credential": {"proof": {}}}, "already has a proof"),
        ({"credential": {"type": ["Thing"]}}, "must include VerifiableCredential"),
    ],
)
def test_issue_refuses(arguments, match):
    credential = {
        "@context": [model.VC_2_0_CONTEXT],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:subject"},
        **arguments.pop("credential", {}),
    }
    options = {"key": ED, "format": issue.Format.EDDSA_JCS_2022, "now": NOW, **arguments}
    with pytest.raises(errors.InvalidDocument, match=match) as caught:
        issue.issue_credential(credential, **options)
    assert caught.value.code == "invalid_document"


def test_issue_refuses_issuer_object_of_another_party():
    credential = vc_assets.mill_test_report(vc_assets.other_key())
    with pytest.raises(errors.InvalidDocument, match="issuer 'did:key:z6Mke") as caught:
        issue.issue_credential(credential, key=ED, format=issue.Format.VC_JWT, now=NOW)
    assert caught.value.code == "invalid_document"


def test_issue_presentation_envelopes_jws_and_keeps_existing_entries():
    token = issue.issue_credential(
        vc_assets.mill_test_report(ED), key=ED, format=issue.Format.VC_JWT, now=NOW
    )
    base = {
        "@context": [model.VC_2_0_CONTEXT],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": {"kept": True},
    }
    secured = issue.issue_presentation(
        base,
        credentials=[token, token.document],
        key=ED,
        format=issue.Format.EDDSA_JCS_2022,
        now=NOW,
    )
    entries = secured.document["verifiableCredential"]
    assert entries[0] == {"kept": True}
    assert (
        entries[1]
        == entries[2]
        == {
            "@context": model.VC_2_0_CONTEXT,
            "id": f"data:application/vc+jwt,{token.document}",
            "type": "EnvelopedVerifiableCredential",
        }
    )
    assert secured.document["holder"] == vc_assets.key_did(ED)
    assert secured.document["proof"]["proofPurpose"] == "authentication"


def test_secured_bytes_and_digest():
    jws = issue.issue_credential(
        vc_assets.mill_test_report(ED), key=ED, format=issue.Format.VC_JWT, now=NOW
    )
    assert jws.to_bytes() == jws.document.encode()
    assert jws.digest == hashlib.sha256(jws.to_bytes()).hexdigest()
    data_integrity = issue.issue_credential(
        vc_assets.mill_test_report(ED), key=ED, format=issue.Format.EDDSA_JCS_2022, now=NOW
    )
    assert json.loads(data_integrity.to_bytes()) == data_integrity.document
    assert data_integrity.digest == model.secured_digest(json.loads(data_integrity.to_bytes()))


def test_p256_key_signs_every_p256_format():
    key = keys.SigningKey.generate(keys.KeyKind.P256)
    for fmt in (issue.Format.VC_JWT, issue.Format.ECDSA_JCS_2019, issue.Format.ECDSA_RDFC_2019):
        secured = issue.issue_credential(
            vc_assets.mill_test_report(key), key=key, format=fmt, now=NOW
        )
        assert _verifier().verify(secured.to_bytes(), now=NOW).verified()
