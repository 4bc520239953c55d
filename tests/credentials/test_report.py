from tradetrace.credentials.report import Check, CheckId, CheckStatus, VerificationReport


def _check(check_id, status, code="ok"):
    return Check(CheckId(check_id), CheckStatus(status), code, f"{check_id} {status}")


def _report(*checks, credentials=()):
    return VerificationReport(
        "vc+jwt", tuple(_check(*item) for item in checks), credentials=credentials
    )


def test_deciding_checks_decide_and_skipped_is_fine():
    report = _report(("format", "valid"), ("proof", "valid"), ("status", "skipped"))
    assert report.verified()


def test_invalid_or_error_deciding_check_fails():
    assert not _report(("format", "valid"), ("proof", "invalid", "signature_invalid")).verified()
    assert not _report(("format", "valid"), ("status", "error", "status_unreachable")).verified()


def test_trust_decides_only_when_required():
    report = _report(("proof", "valid"), ("trust", "invalid", "issuer_not_accredited"))
    assert report.verified()
    assert not report.verified(require=[CheckId.TRUST])


def test_required_check_must_have_run_and_be_valid():
    assert not _report(("proof", "valid")).verified(require=[CheckId.TRUST])
    assert not _report(("proof", "valid"), ("trust", "skipped")).verified(require=[CheckId.TRUST])


def test_presentation_fails_when_an_embedded_credential_fails():
    bad = _report(("proof", "invalid", "signature_invalid"))
    outer = _report(("proof", "valid"), ("holder", "valid"), credentials=(bad,))
    assert not outer.verified()
    document = outer.to_json()
    assert document["verified"] is False
    assert document["credentials"][0]["checks"][0] == {
        "id": "proof",
        "status": "invalid",
        "code": "signature_invalid",
        "message": "proof invalid",
    }


def test_to_json_includes_identity_when_known():
    report = VerificationReport(
        "eddsa-jcs-2022",
        (_check("proof", "valid"),),
        document_id="urn:uuid:1",
        issuer="did:web:mill.example",
        types=("VerifiableCredential", "MillTestReportCredential"),
    )
    assert report.to_json() == {
        "verified": True,
        "format": "eddsa-jcs-2022",
        "checks": [{"id": "proof", "status": "valid", "code": "ok", "message": "proof valid"}],
        "id": "urn:uuid:1",
        "issuer": "did:web:mill.example",
        "type": ["VerifiableCredential", "MillTestReportCredential"],
    }
    assert report.check(CheckId.STATUS) is None
