"""The console's verify page: the node's verifier behind a form, its report as a table."""

import re

from tests.conftest import ADMIN
from tests.credentials import vc_assets
from tradetrace import keys
from tradetrace.credentials import issue

KEY = vc_assets.vector_key("ed25519")
P256 = keys.SigningKey.generate(keys.KeyKind.P256)


def _checks(page: str) -> dict[str, tuple[str, str]]:
    """Each check row of the (first) table: id -> (status, code)."""
    rows = re.findall(
        r'<tr class="check-(\w+)">\s*<td>(\w+)</td>.*?<code>([a-z_]+)</code>', page, re.S
    )
    found: dict[str, tuple[str, str]] = {}
    for status, check, code in rows:
        found.setdefault(check, (status, code))
    return found


def _credential(fmt: issue.Format, key: keys.SigningKey = KEY) -> str:
    return vc_assets.secure(vc_assets.mill_test_report(key), key, fmt).to_bytes().decode()


def test_the_form_is_in_the_navigation(client):
    page = client.get("/verify")
    assert page.status_code == 200
    assert 'aria-current="page">Verify' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert 'id="verdict"' not in page.text


def test_a_pasted_jws_credential_is_verified_check_by_check(client):
    page = client.post("/verify", data={"document": _credential(issue.Format.VC_JWT)})
    assert page.status_code == 200
    assert "<strong>Verified.</strong>" in page.text
    assert "MillTestReportCredential" in page.text
    checks = _checks(page.text)
    assert checks["proof"] == ("valid", "proof_valid")
    assert checks["schema"] == ("valid", "schema_valid")
    assert checks["trust"] == ("invalid", "issuer_not_accredited")
    assert checks["status"] == ("skipped", "no_status")


def test_requiring_an_accredited_issuer_decides_the_verdict(client):
    data = {"document": _credential(issue.Format.VC_JWT), "trusted": "on"}
    page = client.post("/verify", data=data)
    assert "<strong>Not verified.</strong>" in page.text
    assert 'name="trusted" checked>' in page.text  # the box stays ticked
    issuer = vc_assets.key_did(KEY)
    accredited = client.post(
        "/api/trust/accreditations",
        json={
            "did": issuer,
            "roles": ["steel_mill"],
            "accredited_by": "did:web:localhost%3A8000",
            "valid_from": "2026-01-01T00:00:00Z",
        },
        headers=ADMIN,
    )
    assert accredited.status_code == 201, accredited.text
    again = client.post("/verify", data=data)
    assert "<strong>Verified.</strong>" in again.text
    assert _checks(again.text)["trust"][0] == "valid"


def test_an_uploaded_file_wins_over_the_text(client):
    secured = _credential(issue.Format.ECDSA_JCS_2019, P256).encode()
    page = client.post(
        "/verify",
        data={"document": "ignored"},
        files={"file": ("mtr.json", secured, "application/json")},
    )
    assert page.status_code == 200
    assert "<strong>Verified.</strong>" in page.text
    assert "<dd>ecdsa-jcs-2019</dd>" in page.text


def test_a_tampered_credential_names_the_failing_check(client):
    document = _credential(issue.Format.EDDSA_JCS_2022).replace("Steel", "Steal", 1)
    page = client.post("/verify", data={"document": document})
    assert "<strong>Not verified.</strong>" in page.text
    assert _checks(page.text)["proof"] == ("invalid", "signature_invalid")


def test_a_presentation_shows_each_credential(client):
    credential = vc_assets.secure(vc_assets.mill_test_report(KEY), KEY, issue.Format.VC_JWT)
    presentation = (
        issue.issue_presentation(
            credentials=[credential],
            key=P256,
            format=issue.Format.VC_JWT,
            now=vc_assets.ISSUED_AT,
            challenge="n-0451",
            domain="cbp.example",
        )
        .to_bytes()
        .decode()
    )
    page = client.post(
        "/verify", data={"document": presentation, "challenge": "n-0451", "domain": "cbp.example"}
    )
    assert "<strong>Verified.</strong>" in page.text
    assert "Credential 1" in page.text
    wrong = client.post(
        "/verify", data={"document": presentation, "challenge": "other", "domain": "cbp.example"}
    )
    assert "<strong>Not verified.</strong>" in wrong.text
    assert _checks(wrong.text)["proof"] == ("invalid", "challenge_mismatch")


def test_bad_input_is_named_next_to_its_field(client):
    empty = client.post("/verify", data={"document": "  "})
    assert empty.status_code == 400
    assert "<code>document</code>: paste a credential or presentation" in empty.text
    large = client.post(
        "/verify", files={"file": ("big.json", b"x" * (1024 * 1024 + 1), "application/json")}
    )
    assert large.status_code == 400
    assert "<code>file</code>: larger than 1048576 bytes" in large.text
    pasted = client.post("/verify", data={"document": "x" * (1024 * 1024 + 1)})
    assert pasted.status_code == 400
    assert "<code>document</code>: larger than 1048576 bytes" in pasted.text
    assert len(pasted.content) < 100_000  # the document is not sent back
    long = client.post("/verify", data={"document": "x", "challenge": "c" * 513})
    assert long.status_code == 400
    assert "<code>challenge</code>: at most 512 characters" in long.text
    unreadable = client.post("/verify", data={"document": "not a credential"})
    assert unreadable.status_code == 200
    assert "<strong>Not verified.</strong>" in unreadable.text
    assert _checks(unreadable.text)["format"][0] == "invalid"
