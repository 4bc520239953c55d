"""The verification pipeline: every format, every check, every reason code."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.credentials import vc_assets
from tradetrace import did, errors, keys, trust
from tradetrace.credentials import issue, model, status, status_check, verify
from tradetrace.credentials.reason_codes import DECISION_CODES
from tradetrace.credentials.report import CheckId, CheckStatus

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ED = vc_assets.vector_key("ed25519")
FORGER = vc_assets.other_key()
LIST_BASE = "https://mill.example.com/status"
TRUST_CODES = {code for code in DECISION_CODES if "accredit" in code}


def _asset(name: str) -> bytes:
    return (vc_assets.VC / name).read_bytes()


class _CountingResolver:
    def __init__(self, inner: did.Resolver) -> None:
        self.inner = inner
        self.calls = 0

    def resolve(self, value):
        self.calls += 1
        return self.inner.resolve(value)


class _StaticResolver:
    def __init__(self, *documents: did.DidDocument) -> None:
        self.documents = {document.id: document for document in documents}

    def resolve(self, value):
        if value in self.documents:
            return self.documents[value]
        if value.startswith("did:key:"):
            return did.resolve_key_did(value)
        raise errors.ResolutionError(f"cannot resolve {value}")


def _status_list(
    purpose: status.StatusPurpose, *, set_bits=(), key=ED, url=None, fmt=issue.Format.VC_JWT
):
    url = url or f"{LIST_BASE}/{purpose.value}"
    document = vc_assets.status_list_document(url, purpose, set_bits=set_bits)
    return issue.issue_credential(document, key=key, format=fmt, now=vc_assets.ISSUED_AT)


def _lists(revoked=(), suspended=(), **overrides):
    lists = {
        f"{LIST_BASE}/revocation": _status_list(
            status.StatusPurpose.REVOCATION, set_bits=revoked
        ).to_bytes(),
        f"{LIST_BASE}/suspension": _status_list(
            status.StatusPurpose.SUSPENSION, set_bits=suspended
        ).to_bytes(),
    }
    lists.update(overrides)
    return vc_assets.MemoryStatusLists(lists)


def _verifier(resolver=None, **options):
    options.setdefault("status_lists", verify.UnsafeSkipStatusCheck())
    return verify.Verifier(resolver or did.KeyResolver(), **options)


def _codes(report):
    return {check.id: (check.status, check.code) for check in report.checks}


def _all_codes(report):
    found = {check.code for check in report.checks}
    for inner in report.credentials:
        found |= _all_codes(inner)
    return found


# --- valid documents in every format ------------------------------------------------------------

VALID = [
    ("valid-eddsa-jcs-2022.json", "eddsa-jcs-2022"),
    ("valid-eddsa-rdfc-2022.json", "eddsa-rdfc-2022"),
    ("valid-ecdsa-jcs-2019-p256.json", "ecdsa-jcs-2019"),
    ("valid-ecdsa-jcs-2019-p384.json", "ecdsa-jcs-2019"),
    ("valid-ecdsa-rdfc-2019-p256.json", "ecdsa-rdfc-2019"),
    ("valid-ecdsa-rdfc-2019-p384.json", "ecdsa-rdfc-2019"),
    ("valid-vc-jwt-eddsa.jwt", "vc-jwt"),
    ("valid-vc-jwt-es256.jwt", "vc-jwt"),
    ("valid-vc-jwt-es384.jwt", "vc-jwt"),
]


@pytest.mark.parametrize(("name", "fmt"), VALID)
def test_verify_accepts_valid_credential_in_every_format(name, fmt):
    report = _verifier().verify(_asset(name), now=NOW)
    assert report.verified(), report.to_json()
    assert report.format == fmt
    assert report.types == ("VerifiableCredential", "MillTestReportCredential")
    assert report.document_id == "urn:uuid:2e604860-b308-4ada-n1s3-4a22635befea"
    assert report.issuer is not None and report.issuer.startswith("did:key:")
    assert _codes(report) == {
        CheckId.FORMAT: (CheckStatus.VALID, "format_valid"),
        CheckId.PROOF: (CheckStatus.VALID, "proof_valid"),
        CheckId.ISSUER: (CheckStatus.VALID, "issuer_matches"),
        CheckId.VALIDITY: (CheckStatus.VALID, "within_validity_period"),
        CheckId.STATUS: (CheckStatus.SKIPPED, "no_status"),
        CheckId.SCHEMA: (CheckStatus.VALID, "schema_valid"),
        CheckId.TRUST: (CheckStatus.SKIPPED, "no_trust_policy"),
        CheckId.LEDGER: (CheckStatus.SKIPPED, "no_ledger"),
    }


@pytest.mark.parametrize(("name", "fmt"), VALID[:2] + VALID[6:7])
def test_verify_accepts_str_bytes_and_parsed_json(name, fmt):
    data = _asset(name)
    verifier = _verifier()
    assert verifier.verify(data.decode(), now=NOW).verified()
    if fmt != "vc-jwt":
        assert verifier.verify(json.loads(data), now=NOW).verified()


# --- tampering ----------------------------------------------------------------------------------

TAMPERED = [
    ("tampered-subject-eddsa-jcs-2022.json", CheckId.PROOF, "signature_invalid"),
    ("swapped-issuer-eddsa-jcs-2022.json", CheckId.PROOF, "signature_invalid"),
    ("swapped-issuer-eddsa-jcs-2022.json", CheckId.ISSUER, "issuer_mismatch"),
    ("other-signer-eddsa-jcs-2022.json", CheckId.ISSUER, "issuer_mismatch"),
    ("proof-from-other-document-eddsa-jcs-2022.json", CheckId.PROOF, "proof_invalid"),
    ("unknown-cryptosuite.json", CheckId.PROOF, "unsupported_cryptosuite"),
    ("undefined-term-eddsa-rdfc-2022.json", CheckId.PROOF, "canonicalization_failed"),
    ("payload-edited-vc-jwt-eddsa.jwt", CheckId.PROOF, "signature_invalid"),
    ("alg-none.jwt", CheckId.PROOF, "unsupported_algorithm"),
    ("wrong-key-vc-jwt-eddsa.jwt", CheckId.PROOF, "signature_invalid"),
]


@pytest.mark.parametrize(("name", "check_id", "code"), TAMPERED)
def test_verify_rejects_tampered_document_with_reason(name, check_id, code):
    report = _verifier().verify(_asset(name), now=NOW)
    assert not report.verified()
    assert _codes(report)[check_id] == (CheckStatus.INVALID, code)
    if check_id is CheckId.PROOF:  # nothing is fetched for an unauthenticated document
        assert _codes(report)[CheckId.STATUS] == (CheckStatus.SKIPPED, "not_checked")


def test_verify_other_signer_has_valid_proof_but_wrong_issuer():
    report = _verifier().verify(_asset("other-signer-eddsa-jcs-2022.json"), now=NOW)
    assert _codes(report)[CheckId.PROOF] == (CheckStatus.VALID, "proof_valid")
    assert "is not the signer" in report.check(CheckId.ISSUER).message


def test_verify_reports_unknown_cryptosuite_as_data_integrity():
    report = _verifier().verify(_asset("unknown-cryptosuite.json"), now=NOW)
    assert report.format == "data-integrity"


def test_verify_reports_unresolvable_did_as_error():
    resolver = did.CompositeResolver({"key": did.KeyResolver()})
    report = _verifier(resolver).verify(_asset("unresolvable-did-eddsa-jcs-2022.json"), now=NOW)
    assert _codes(report)[CheckId.PROOF] == (CheckStatus.ERROR, "did_unresolvable")
    assert not report.verified()


def test_verify_rejects_pyld_blind_spot():
    """The undefined-term asset fools a verifier without safe mode: pyld drops the term."""
    pyld = pytest.importorskip("pyld.jsonld")
    from tradetrace.credentials import contexts

    document = json.loads(_asset("undefined-term-eddsa-rdfc-2022.json"))
    del document["proof"]

    def loader(url, options=None):
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": contexts.load_bundled_context(url),
        }

    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
    changed = json.loads(json.dumps(document))
    changed["credentialSubject"]["quantityKg"] = 1
    assert pyld.normalize(document, dict(options)) == pyld.normalize(changed, dict(options))


# --- validity -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["valid-eddsa-jcs-2022.json", "valid-vc-jwt-eddsa.jwt"])
@pytest.mark.parametrize(
    ("now", "code"),
    [
        (datetime(2025, 12, 31, tzinfo=UTC), "not_yet_valid"),
        (datetime(2027, 1, 15, 9, 30, 1, tzinfo=UTC), "expired"),
    ],
)
def test_verify_rejects_outside_validity_period(name, now, code):
    report = _verifier().verify(_asset(name), now=now)
    assert _codes(report)[CheckId.VALIDITY] == (CheckStatus.INVALID, code)
    assert not report.verified()
    # still authentic, so the other checks ran
    assert _codes(report)[CheckId.SCHEMA] == (CheckStatus.VALID, "schema_valid")


def test_verify_clock_skew_widens_validity_period():
    late = datetime(2027, 1, 15, 9, 31, tzinfo=UTC)
    strict = _verifier().verify(_asset("valid-eddsa-jcs-2022.json"), now=late)
    lenient = _verifier(clock_skew=timedelta(minutes=5))
    assert not strict.verified()
    assert lenient.verify(_asset("valid-eddsa-jcs-2022.json"), now=late).verified()


def _jwt(document, key=ED, header=None):
    token = issue.issue_credential(document, key=key, format=issue.Format.VC_JWT, now=NOW)
    if header is None:
        return token.document
    _, payload, _ = token.document.split(".")
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    signature = base64.urlsafe_b64encode(key.sign(f"{encoded}.{payload}".encode()))
    return f"{encoded}.{payload}.{signature.rstrip(b'=').decode()}"


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"exp": int(NOW.timestamp())}, "expired"),
        ({"nbf": int(NOW.timestamp()) + 60}, "not_yet_valid"),
        ({"exp": "tomorrow"}, "malformed"),
        ({"nbf": 1e300}, "malformed"),
    ],
)
def test_verify_checks_jwt_nbf_and_exp(claims, code):
    document = {**vc_assets.mill_test_report(ED), **claims}
    report = _verifier().verify(_jwt(document), now=NOW)
    assert _codes(report)[CheckId.VALIDITY] == (CheckStatus.INVALID, code)


def test_verify_accepts_current_jwt_claims_and_skips_missing_period():
    document = vc_assets.mill_test_report(ED)
    document.update(nbf=int(NOW.timestamp()) - 60, exp=int(NOW.timestamp()) + 60)
    assert _verifier().verify(_jwt(document), now=NOW).verified()
    bare = vc_assets.v2_only_credential(ED)
    del bare["validFrom"]
    report = _verifier().verify(_jwt(bare), now=NOW)
    # issue_credential fills validFrom, so the period is [NOW, -)
    assert _codes(report)[CheckId.VALIDITY][1] == "within_validity_period"


# --- status -------------------------------------------------------------------------------------


def test_verify_checks_status_lists_and_fetches_each_once():
    lists = _lists()
    report = _verifier(status_lists=lists).verify(_asset("with-status-vc-jwt-eddsa.jwt"), now=NOW)
    assert report.verified(), report.to_json()
    assert _codes(report)[CheckId.STATUS] == (CheckStatus.VALID, "status_active")
    assert sorted(lists.fetched) == [f"{LIST_BASE}/revocation", f"{LIST_BASE}/suspension"]


@pytest.mark.parametrize(
    ("revoked", "suspended", "code"),
    [((94567,), (), "revoked"), ((), (94567,), "suspended"), ((94567,), (94567,), "revoked")],
)
def test_verify_reports_revoked_and_suspended(revoked, suspended, code):
    verifier = _verifier(status_lists=_lists(revoked, suspended))
    report = verifier.verify(_asset("with-status-vc-jwt-eddsa.jwt"), now=NOW)
    assert _codes(report)[CheckId.STATUS] == (CheckStatus.INVALID, code)
    assert not report.verified()


def test_verify_other_bits_do_not_revoke():
    verifier = _verifier(status_lists=_lists(revoked=(94566, 94568)))
    assert verifier.verify(_asset("with-status-vc-jwt-eddsa.jwt"), now=NOW).verified()


@pytest.mark.parametrize(
    ("revocation", "status_value", "code"),
    [
        (None, CheckStatus.ERROR, "status_unreachable"),
        (
            _status_list(status.StatusPurpose.REVOCATION, key=FORGER).to_bytes(),
            CheckStatus.ERROR,
            "status_list_invalid",
        ),
        (b'{"not": "a credential"}', CheckStatus.ERROR, "status_list_invalid"),
        (
            _status_list(status.StatusPurpose.SUSPENSION, url=f"{LIST_BASE}/revocation").to_bytes(),
            CheckStatus.ERROR,
            "status_list_invalid",
        ),
        (
            _status_list(status.StatusPurpose.REVOCATION, url=f"{LIST_BASE}/other").to_bytes(),
            CheckStatus.ERROR,
            "status_list_invalid",
        ),
        (
            issue.issue_credential(
                vc_assets.v2_only_credential(ED), key=ED, format=issue.Format.VC_JWT, now=NOW
            ).to_bytes(),
            CheckStatus.ERROR,
            "status_list_invalid",
        ),
    ],
    ids=[
        "unreachable",
        "other-issuer",
        "not-a-credential",
        "wrong-purpose",
        "other-id",
        "not-a-list",
    ],
)
def test_verify_fails_closed_on_bad_status_lists(revocation, status_value, code):
    lists = _lists()
    if revocation is None:
        del lists.lists[f"{LIST_BASE}/revocation"]
    else:
        lists.lists[f"{LIST_BASE}/revocation"] = revocation
    report = _verifier(status_lists=lists).verify(_asset("with-status-vc-jwt-eddsa.jwt"), now=NOW)
    assert _codes(report)[CheckId.STATUS] == (status_value, code)
    assert not report.verified()


def test_verify_status_accepts_parsed_data_integrity_list():
    lists = _lists()
    secured = _status_list(status.StatusPurpose.REVOCATION, fmt=issue.Format.EDDSA_JCS_2022)
    lists.lists[f"{LIST_BASE}/revocation"] = secured.document
    report = _verifier(status_lists=lists).verify(_asset("with-status-vc-jwt-eddsa.jwt"), now=NOW)
    assert report.verified(), report.to_json()


@pytest.mark.parametrize(
    ("entry", "status_value", "code"),
    [
        ({"type": "StatusList2021Entry"}, CheckStatus.ERROR, "status_unsupported"),
        (
            {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
            CheckStatus.INVALID,
            "status_entry_invalid",
        ),
    ],
)
def test_verify_reports_unsupported_or_malformed_status_entries(entry, status_value, code):
    document = {**vc_assets.mill_test_report(ED), "credentialStatus": entry}
    report = _verifier(status_lists=_lists()).verify(_jwt(document), now=NOW)
    assert _codes(report)[CheckId.STATUS] == (status_value, code)


def test_verify_unsafe_skip_status_check_says_so():
    report = _verifier().verify(_asset("with-status-vc-jwt-eddsa.jwt"), now=NOW)
    assert _codes(report)[CheckId.STATUS] == (CheckStatus.SKIPPED, "status_check_skipped")
    with pytest.raises(errors.ConfigurationError, match="status checks are disabled") as caught:
        verify.UnsafeSkipStatusCheck().fetch("https://example.com/list")
    assert caught.value.code == "configuration_error"


# --- schema, trust, ledger ----------------------------------------------------------------------


def test_verify_reports_schema_without_deciding():
    document = vc_assets.mill_test_report(ED)
    del document["credentialSubject"]["inspections"][0]["heatNumber"]
    report = _verifier().verify(_jwt(document), now=NOW)
    assert _codes(report)[CheckId.SCHEMA] == (CheckStatus.INVALID, "schema_invalid")
    assert "heatNumber" in report.check(CheckId.SCHEMA).message
    assert report.verified()
    assert not report.verified(require=[CheckId.SCHEMA])


def test_verify_skips_schema_for_unknown_type_or_without_validator():
    token = _jwt(vc_assets.v2_only_credential(ED))
    report = _verifier().verify(token, now=NOW)
    assert _codes(report)[CheckId.SCHEMA] == (CheckStatus.SKIPPED, "schema_unknown_type")
    report = _verifier(content_validator=None).verify(token, now=NOW)
    assert _codes(report)[CheckId.SCHEMA] == (CheckStatus.SKIPPED, "no_content_validator")


class _Policy:
    def __init__(self, trusted: bool) -> None:
        self.trusted = trusted
        self.asked = []

    def decide(self, *, issuer, credential_types, at):
        self.asked.append((issuer, tuple(credential_types), at))
        code = "issuer_accredited" if self.trusted else "issuer_not_accredited"
        return trust.TrustDecision(self.trusted, code, f"{issuer} decided")


@pytest.mark.parametrize("trusted", [True, False])
def test_verify_asks_trust_policy(trusted):
    policy = _Policy(trusted)
    report = _verifier(trust_policy=policy).verify(_asset("valid-vc-jwt-eddsa.jwt"), now=NOW)
    expected = (
        (CheckStatus.VALID, "issuer_accredited")
        if trusted
        else (
            CheckStatus.INVALID,
            "issuer_not_accredited",
        )
    )
    assert _codes(report)[CheckId.TRUST] == expected
    assert policy.asked == [(report.issuer, report.types, NOW)]
    assert report.verified()
    assert report.verified(require=[CheckId.TRUST]) is trusted


def test_verify_does_not_ask_trust_for_unauthenticated_document():
    policy = _Policy(True)
    report = _verifier(trust_policy=policy).verify(
        _asset("tampered-subject-eddsa-jcs-2022.json"), now=NOW
    )
    assert policy.asked == []
    assert _codes(report)[CheckId.TRUST] == (CheckStatus.SKIPPED, "not_checked")


class _Ledger:
    def __init__(self, digests) -> None:
        self.digests = set(digests)

    def check(self, *, digest, document_id):
        if digest in self.digests:
            return verify.LedgerDecision(True, "logged", f"{document_id} is in the log")
        return verify.LedgerDecision(False, "not_logged", f"{document_id} is not in the log")


@pytest.mark.parametrize("name", ["valid-vc-jwt-eddsa.jwt", "valid-eddsa-jcs-2022.json"])
def test_verify_looks_up_ledger_by_secured_digest(name):
    data = _asset(name)
    secured = data.decode().strip() if name.endswith(".jwt") else json.loads(data)
    logged = _verifier(ledger=_Ledger({model.secured_digest(secured)})).verify(data, now=NOW)
    assert _codes(logged)[CheckId.LEDGER] == (CheckStatus.VALID, "logged")
    missing = _verifier(ledger=_Ledger(())).verify(data, now=NOW)
    assert _codes(missing)[CheckId.LEDGER] == (CheckStatus.INVALID, "not_logged")
    assert not missing.verified(require=[CheckId.LEDGER])


class _BrokenPolicy:
    def decide(self, *, issuer, credential_types, at):
        raise RuntimeError("database gone")


def test_verify_turns_unexpected_failures_into_errors(caplog):
    report = _verifier(trust_policy=_BrokenPolicy()).verify(
        _asset("valid-vc-jwt-eddsa.jwt"), now=NOW
    )
    assert _codes(report)[CheckId.TRUST] == (CheckStatus.ERROR, "internal_error")
    assert "trust check failed unexpectedly" in caplog.text


# --- presentations ------------------------------------------------------------------------------


def test_verify_presentation_with_challenge_and_domain():
    data = _asset("valid-vp-eddsa-jcs-2022.json")
    verifier = _verifier()
    report = verifier.verify(data, now=NOW, challenge=vc_assets.CHALLENGE, domain=vc_assets.DOMAIN)
    assert report.verified(), report.to_json()
    assert _codes(report)[CheckId.HOLDER] == (CheckStatus.VALID, "holder_matches")
    assert _codes(report)[CheckId.SCHEMA] == (CheckStatus.VALID, "credentials_valid")
    assert _codes(report)[CheckId.STATUS] == (CheckStatus.SKIPPED, "credentials_skipped")
    assert [inner.format for inner in report.credentials] == ["eddsa-jcs-2022", "vc-jwt"]
    assert all(inner.verified() for inner in report.credentials)


@pytest.mark.parametrize(
    ("challenge", "domain", "code"),
    [
        ("another-challenge", vc_assets.DOMAIN, "challenge_mismatch"),
        (vc_assets.CHALLENGE, "https://elsewhere.example", "domain_mismatch"),
    ],
)
def test_verify_presentation_rejects_wrong_challenge_or_domain(challenge, domain, code):
    report = _verifier().verify(
        _asset("valid-vp-eddsa-jcs-2022.json"), now=NOW, challenge=challenge, domain=domain
    )
    assert _codes(report)[CheckId.PROOF] == (CheckStatus.INVALID, code)
    assert not report.verified()


def test_verify_presentation_fails_when_embedded_credential_fails():
    presentation = json.loads(_asset("valid-vp-eddsa-jcs-2022.json"))
    tampered = json.loads(_asset("tampered-subject-eddsa-jcs-2022.json"))
    secured = issue.issue_presentation(
        presentation={k: v for k, v in presentation.items() if k not in ("proof", "holder")}
        | {"verifiableCredential": [tampered]},
        key=ED,
        format=issue.Format.EDDSA_JCS_2022,
        now=NOW,
    )
    report = _verifier().verify(secured.to_bytes(), now=NOW)
    assert _codes(report)[CheckId.PROOF][1] == "proof_valid"
    assert _codes(report.credentials[0])[CheckId.PROOF] == (
        CheckStatus.INVALID,
        "signature_invalid",
    )
    assert _codes(report)[CheckId.TRUST] == (CheckStatus.SKIPPED, "credentials_skipped")
    assert not report.verified()


def test_verify_presentation_binds_holder_to_signer():
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": vc_assets.key_did(ED),
    }
    suite_options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "verificationMethod": f"{vc_assets.key_did(FORGER)}#{vc_assets.key_did(FORGER)[8:]}",
        "proofPurpose": "authentication",
    }
    from tradetrace.credentials import proofs

    suite = proofs.find_cryptosuite("eddsa-jcs-2022")
    forged = {**presentation, "proof": suite.create_proof(presentation, suite_options, FORGER)}
    report = _verifier().verify(forged, now=NOW)
    assert _codes(report)[CheckId.PROOF] == (CheckStatus.VALID, "proof_valid")
    assert _codes(report)[CheckId.HOLDER] == (CheckStatus.INVALID, "holder_mismatch")
    anonymous = {k: v for k, v in presentation.items() if k != "holder"}
    anonymous = {**anonymous, "proof": suite.create_proof(anonymous, suite_options, FORGER)}
    report = _verifier().verify(anonymous, now=NOW)
    assert _codes(report)[CheckId.HOLDER] == (CheckStatus.INVALID, "holder_missing")
    assert _codes(report)[CheckId.TRUST] == (CheckStatus.SKIPPED, "no_credentials")


def test_verify_rejects_credential_proof_used_as_presentation_proof():
    document = json.loads(_asset("valid-eddsa-jcs-2022.json"))
    document["proof"]["proofPurpose"] = "authentication"
    report = _verifier().verify(document, now=NOW)
    assert _codes(report)[CheckId.PROOF] == (CheckStatus.INVALID, "proof_purpose_mismatch")


def test_verify_rejects_presentation_inside_presentation_and_too_many_credentials():
    inner = json.loads(_asset("valid-vp-eddsa-jcs-2022.json"))
    outer = issue.issue_presentation(
        credentials=[inner], key=ED, format=issue.Format.EDDSA_JCS_2022, now=NOW
    )
    report = _verifier().verify(outer.to_bytes(), now=NOW)
    assert _codes(report.credentials[0])[CheckId.FORMAT] == (CheckStatus.INVALID, "malformed")
    limited = _verifier(limits=verify.InputLimits(max_credentials=1))
    report = limited.verify(_asset("valid-vp-eddsa-jcs-2022.json"), now=NOW)
    assert _codes(report)[CheckId.FORMAT] == (CheckStatus.INVALID, "limit_exceeded")


def test_verify_accepts_enveloped_credential_at_top_level():
    token = _asset("valid-vc-jwt-eddsa.jwt").decode().strip()
    enveloped = {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "id": f"data:application/vc+jwt,{token}",
        "type": "EnvelopedVerifiableCredential",
    }
    assert _verifier().verify(enveloped, now=NOW).format == "vc-jwt"
    assert _verifier().verify(enveloped, now=NOW).verified()
    enveloped["id"] = "https://example.com/vc"
    report = _verifier().verify(enveloped, now=NOW)
    assert _codes(report)[CheckId.FORMAT] == (CheckStatus.INVALID, "malformed")


# --- keys and DID documents ---------------------------------------------------------------------


def test_verify_resolves_did_key_once_per_verifier():
    resolver = _CountingResolver(did.KeyResolver())
    verifier = _verifier(resolver)
    for _ in range(3):
        assert verifier.verify(_asset("valid-vc-jwt-eddsa.jwt"), now=NOW).verified()
    assert resolver.calls == 1


WEB_DID = "did:web:mill.example.com"


def _web_document(relationships=(did.Relationship.ASSERTION_METHOD,), key=ED):
    return did.build_web_did_document(
        WEB_DID, keys_by_fragment={"key-1": key.public_key()}, relationships=relationships
    )


def _web_credential(method=f"{WEB_DID}#key-1"):
    document = vc_assets.mill_test_report(ED)
    document["issuer"]["id"] = WEB_DID
    return issue.issue_credential(
        document,
        key=ED,
        format=issue.Format.EDDSA_JCS_2022,
        now=NOW,
        issuer=WEB_DID,
        verification_method=method,
    )


def test_verify_uses_did_web_document_and_resolves_each_time():
    resolver = _CountingResolver(_StaticResolver(_web_document()))
    verifier = _verifier(resolver)
    for _ in range(2):
        assert verifier.verify(_web_credential().to_bytes(), now=NOW).verified()
    assert resolver.calls == 2


@pytest.mark.parametrize(
    ("document", "method", "status_value", "code"),
    [
        (
            _web_document((did.Relationship.AUTHENTICATION,)),
            f"{WEB_DID}#key-1",
            CheckStatus.INVALID,
            "key_not_authorized",
        ),
        (_web_document(), f"{WEB_DID}#key-2", CheckStatus.INVALID, "verification_method_not_found"),
        (_web_document(key=FORGER), f"{WEB_DID}#key-1", CheckStatus.INVALID, "signature_invalid"),
        (
            _web_document(key=vc_assets.vector_key("p256")),
            f"{WEB_DID}#key-1",
            CheckStatus.INVALID,
            "key_algorithm_mismatch",
        ),
    ],
)
def test_verify_checks_the_signers_did_document(document, method, status_value, code):
    verifier = _verifier(_StaticResolver(document))
    report = verifier.verify(_web_credential(method).to_bytes(), now=NOW)
    assert _codes(report)[CheckId.PROOF] == (status_value, code)


class _LyingResolver:
    def resolve(self, value):
        return did.resolve_key_did(vc_assets.key_did(ED))


def test_verify_rejects_document_for_another_did():
    report = _verifier(_LyingResolver()).verify(_web_credential().to_bytes(), now=NOW)
    assert _codes(report)[CheckId.PROOF] == (CheckStatus.ERROR, "did_unresolvable")


# --- malformed input and limits -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "malformed"),
        (b"not a credential", "malformed"),
        (b"[1, 2]", "malformed"),
        (b'{"a": NaN}', "malformed"),
        (b"\xff{", "malformed"),
        (b"{" * 70 + b"}" * 70, "malformed"),
        (b'{"@context": ["https://www.w3.org/ns/credentials/v2"]}', "malformed"),
        (json.dumps(vc_assets.mill_test_report(ED)).encode(), "proof_missing"),
        (b"a.b.c", "malformed"),
        (12, "malformed"),
    ],
)
def test_verify_reports_malformed_input_without_raising(data, code):
    report = _verifier().verify(data, now=NOW)
    assert _codes(report)[CheckId.FORMAT] == (CheckStatus.INVALID, code)
    assert report.format == "unknown"
    assert all(check.code == "not_checked" for check in report.checks[1:])
    assert not report.verified()


def test_verify_enforces_size_and_depth_limits():
    small = _verifier(limits=verify.InputLimits(max_bytes=1000))
    for name in ("valid-eddsa-jcs-2022.json", "valid-vc-jwt-eddsa.jwt"):
        report = small.verify(_asset(name), now=NOW)
        assert _codes(report)[CheckId.FORMAT] == (CheckStatus.INVALID, "limit_exceeded")
    deep = {**vc_assets.mill_test_report(ED), "evidence": {"type": "Evidence", "x": [[[[[[1]]]]]]}}
    shallow = _verifier(limits=verify.InputLimits(max_depth=6))
    for data in (
        _jwt(deep),
        json.dumps(json.loads(_asset("valid-eddsa-jcs-2022.json")) | {"x": deep}),
    ):
        report = shallow.verify(data, now=NOW)
        assert _codes(report)[CheckId.FORMAT] == (CheckStatus.INVALID, "limit_exceeded")


def test_verify_bounds_jws_payload_nesting_and_takes_odd_strings():
    deep = base64.urlsafe_b64encode(b"[" * 300 + b"]" * 300).rstrip(b"=")
    report = _verifier().verify(b"e30." + deep + b".AAAA", now=NOW)
    assert _codes(report)[CheckId.FORMAT] == (CheckStatus.INVALID, "limit_exceeded")
    report = _verifier().verify('{"@context": "\ud800"}', now=NOW)
    assert _codes(report)[CheckId.FORMAT] == (CheckStatus.INVALID, "malformed")


def test_verify_rejects_vc_1_1_jwt_claims():
    payload = {"vc": vc_assets.mill_test_report(ED), "iss": vc_assets.key_did(ED)}
    header = {"alg": "EdDSA", "typ": "JWT", "kid": "did:key:x#x"}
    encode = lambda value: base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=")  # noqa: E731
    token = encode(header) + b"." + encode(payload) + b".AAAA"
    report = _verifier().verify(token, now=NOW)
    assert _codes(report)[CheckId.FORMAT] == (CheckStatus.INVALID, "unsupported_format")


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ({"alg": "HS256"}, "unsupported_algorithm"),
        ({"alg": "ES256"}, "key_algorithm_mismatch"),
        ({"alg": "EdDSA", "crit": ["exp"]}, "unsupported_header"),
        ({"alg": "EdDSA", "b64": False}, "unsupported_header"),
        ({"alg": "EdDSA", "typ": "JWT"}, "media_type_invalid"),
        ({"alg": "EdDSA", "typ": "vp+jwt"}, "media_type_invalid"),
        ({"alg": "EdDSA", "cty": "json"}, "media_type_invalid"),
        ({"alg": "EdDSA", "kid": None}, "kid_missing"),
        ({"alg": "EdDSA", "kid": "not-a-did-url"}, "proof_invalid"),
    ],
)
def test_verify_applies_strict_jose_header_policy(header, code):
    method = f"{vc_assets.key_did(ED)}#{vc_assets.key_did(ED)[8:]}"
    full = {"kid": method, "typ": "vc+jwt", **header}
    full = {name: value for name, value in full.items() if value is not None}
    report = _verifier().verify(_jwt(vc_assets.mill_test_report(ED), header=full), now=NOW)
    assert _codes(report)[CheckId.PROOF] == (CheckStatus.INVALID, code)


def test_verify_accepts_relative_kid_and_checks_iss():
    document = vc_assets.mill_test_report(ED)
    header = {
        "alg": "EdDSA",
        "typ": "application/vc+jwt",
        "cty": "vc",
        "kid": f"#{vc_assets.key_did(ED)[8:]}",
    }
    assert _verifier().verify(_jwt(document, header=header), now=NOW).verified()
    report = _verifier().verify(
        _jwt({**document, "iss": vc_assets.key_did(FORGER)}, header=header), now=NOW
    )
    assert _codes(report)[CheckId.ISSUER] == (CheckStatus.INVALID, "issuer_mismatch")


def test_verify_requires_aware_now():
    with pytest.raises(errors.ConfigurationError, match="timezone-aware") as caught:
        _verifier().verify(_asset("valid-vc-jwt-eddsa.jwt"), now=datetime(2026, 1, 1))
    assert caught.value.code == "configuration_error"


def test_verify_proof_expiry_and_proof_sets():
    document = json.loads(_asset("valid-eddsa-jcs-2022.json"))
    expiring = {**document, "proof": {**document["proof"], "expires": "2026-06-01T00:00:00Z"}}
    report = _verifier().verify(expiring, now=NOW)
    assert _codes(report)[CheckId.PROOF] == (CheckStatus.INVALID, "proof_expired")
    for proof, code in [
        ([document["proof"], document["proof"]], "proof_invalid"),
        ([document["proof"]], "proof_valid"),
        ({**document["proof"], "previousProof": "urn:x"}, "proof_invalid"),
        ({**document["proof"], "type": "Ed25519Signature2020"}, "unsupported_cryptosuite"),
        ({k: v for k, v in document["proof"].items() if k != "proofValue"}, "proof_invalid"),
        ({**document["proof"], "proofValue": "uAAAA"}, "proof_invalid"),
        ("not an object", "proof_invalid"),
    ]:
        report = _verifier().verify({**document, "proof": proof}, now=NOW)
        assert _codes(report)[CheckId.PROOF][1] == code, proof


# --- reason codes and robustness ----------------------------------------------------------------


def test_every_reason_code_used_is_documented():
    used: set[str] = set()
    verifier = _verifier(status_lists=_lists(revoked=(94567,)), trust_policy=_Policy(False))
    for name in sorted(path.name for path in vc_assets.VC.iterdir() if path.is_file()):
        if name.endswith((".json", ".jwt")):
            used |= _all_codes(verifier.verify(_asset(name), now=NOW))
    assert used - TRUST_CODES <= set(verify.REASON_CODES)
    assert {"revoked", "signature_invalid", "unsupported_algorithm"} <= used


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(min_value=0), replacement=st.sampled_from("AQgw_-."))
def test_verify_never_accepts_a_changed_jws(position, replacement):
    token = _asset("valid-vc-jwt-eddsa.jwt").decode().strip()
    index = position % len(token)
    changed = token[:index] + replacement + token[index + 1 :]
    report = _verifier().verify(changed, now=NOW)
    assert report.verified() is (changed == token)
    assert "internal_error" not in _all_codes(report)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300) | st.text(max_size=300))
def test_verify_never_raises_on_junk(data):
    report = _verifier().verify(data, now=NOW)
    assert not report.verified()
    assert "internal_error" not in _all_codes(report)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from([("id",), ("validFrom",), ("credentialSubject", "remarks"), ("type",)]),
    value=st.one_of(
        st.text(max_size=20), st.integers(), st.none(), st.lists(st.text(), max_size=2)
    ),
)
def test_verify_never_accepts_a_changed_data_integrity_document(path, value):
    document = json.loads(_asset("valid-eddsa-jcs-2022.json"))
    target = document
    for part in path[:-1]:
        target = target[part]
    original = target[path[-1]]
    target[path[-1]] = value
    report = _verifier().verify(document, now=NOW)
    assert report.verified() is (value == original)
    assert "internal_error" not in _all_codes(report)


def test_verify_keys_are_cached_for_deterministic_dids_only():
    web = _StaticResolver(_web_document())
    verifier = _verifier(web)
    verifier.verify(_web_credential().to_bytes(), now=NOW)
    verifier.verify(_asset("valid-vc-jwt-eddsa.jwt"), now=NOW)
    cached = {method for method, _ in verifier._proofs._keys}
    assert all(method.startswith("did:key:") for method in cached) and cached


def test_verify_key_cache_is_bounded():
    from tradetrace.credentials import securing

    checker = securing.ProofChecker(did.KeyResolver(), max_cached_keys=2)
    for seed in range(3):
        key = keys.SigningKey.from_private_bytes(keys.KeyKind.ED25519, bytes([seed]) * 32)
        key_did = vc_assets.key_did(key)
        checker.key(f"{key_did}#{key_did[8:]}", did.Relationship.ASSERTION_METHOD)
    assert len(checker._keys) == 1


def test_verify_reports_non_object_payloads():
    for token in (b"[1, 2]", b"e30.WzFd.AAAA"):
        report = _verifier().verify(token, now=NOW)
        assert report.check(CheckId.FORMAT).message.endswith("must be a JSON object")


def test_verify_reports_method_without_signing_key():
    x25519 = "z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F"
    document = did.DidDocument.from_dict(
        {
            "id": WEB_DID,
            "verificationMethod": [
                {
                    "id": f"{WEB_DID}#key-1",
                    "type": "Multikey",
                    "controller": WEB_DID,
                    "publicKeyMultibase": x25519,
                }
            ],
            "assertionMethod": [f"{WEB_DID}#key-1"],
        }
    )
    report = _verifier(_StaticResolver(document)).verify(_web_credential().to_bytes(), now=NOW)
    assert _codes(report)[CheckId.PROOF] == (CheckStatus.INVALID, "unsupported_key")


class _RefusingPolicy:
    def decide(self, *, issuer, credential_types, at):
        raise errors.Forbidden("registry refused the query")


def test_verify_reports_domain_errors_of_injected_checks_by_their_code():
    report = _verifier(trust_policy=_RefusingPolicy()).verify(
        _asset("valid-vc-jwt-eddsa.jwt"), now=NOW
    )
    assert _codes(report)[CheckId.TRUST] == (CheckStatus.ERROR, "forbidden")


def test_verify_fetches_a_shared_status_list_once():
    document = vc_assets.with_status(vc_assets.mill_test_report(ED), vc_assets.key_did(ED))
    second = {**document["credentialStatus"][0], "statusListIndex": "7"}
    document["credentialStatus"] = [document["credentialStatus"][0], second]
    lists = _lists(revoked=(7,))
    report = _verifier(status_lists=lists).verify(_jwt(document), now=NOW)
    assert _codes(report)[CheckId.STATUS] == (CheckStatus.INVALID, "revoked")
    assert lists.fetched == [f"{LIST_BASE}/revocation"]


def test_status_checker_skips_a_credential_without_entries():
    lists = _lists()
    checker = status_check.StatusChecker(lists, lambda _: pytest.fail("no list to verify"), now=NOW)
    check = checker.check(model.Credential.from_dict(vc_assets.mill_test_report(ED)))
    assert (check.status, check.code) == (CheckStatus.SKIPPED, "no_status")
    assert lists.fetched == []


def test_verify_fetches_a_status_list_once_for_all_credentials_of_a_presentation():
    credentials = [
        _jwt(vc_assets.with_status(vc_assets.mill_test_report(ED), vc_assets.key_did(ED)))
        for _ in range(2)
    ]
    presentation = issue.issue_presentation(
        credentials=[
            {
                "@context": "https://www.w3.org/ns/credentials/v2",
                "id": f"data:application/vc+jwt,{token}",
                "type": "EnvelopedVerifiableCredential",
            }
            for token in credentials
        ],
        key=ED,
        format=issue.Format.EDDSA_JCS_2022,
        now=NOW,
    )
    lists = _lists()
    report = _verifier(status_lists=lists).verify(presentation.to_bytes(), now=NOW)
    assert report.verified(), report.to_json()
    assert _codes(report)[CheckId.STATUS] == (CheckStatus.VALID, "credentials_valid")
    assert sorted(lists.fetched) == [f"{LIST_BASE}/revocation", f"{LIST_BASE}/suspension"]


def test_verify_stops_runaway_rdfc_canonicalization():
    """A blank-node clique (the W3C poison graph, test074) is refused, not computed for minutes."""
    nodes = [
        {
            "id": f"_:b{i}",
            "type": "Node",
            "linked": [{"id": f"_:b{j}"} for j in range(10) if j != i],
        }
        for i in range(10)
    ]
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "type": ["VerifiableCredential"],
        "issuer": vc_assets.key_did(ED),
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": nodes,
    }
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "verificationMethod": f"{vc_assets.key_did(ED)}#{vc_assets.key_did(ED)[8:]}",
        "proofPurpose": "assertionMethod",
        "proofValue": "z" + "1" * 64,
    }
    report = _verifier().verify({**credential, "proof": options}, now=NOW)
    assert _codes(report)[CheckId.PROOF] == (CheckStatus.INVALID, "limit_exceeded")
