"""End to end in headless Chromium against a real server process: an officer pastes a
credential into the verify page, then uploads a tampered one, and reads each verdict and the
failing check. (Fixtures in ``conftest.py``.)"""

from __future__ import annotations

from tests.credentials import vc_assets
from tradetrace.credentials import issue


def test_officer_pastes_then_uploads_and_reads_the_report(server, browser, tmp_path):
    key = vc_assets.vector_key("ed25519")
    document = vc_assets.mill_test_report(key)
    del document["validUntil"]  # the server reads the real clock
    secured = vc_assets.secure(document, key, issue.Format.EDDSA_JCS_2022)
    text = secured.to_bytes().decode()
    page = browser.new_context().new_page()
    page.goto(f"{server.base}/verify")
    page.fill("#document", text)
    page.click("button[type=submit]")
    page.wait_for_selector("#verdict")
    assert page.inner_text("#verdict").startswith("Verified.")
    proof_row = page.locator("table.checks tr", has_text="proof_valid")
    assert proof_row.count() == 1

    tampered = tmp_path / "tampered.json"
    tampered.write_text(text.replace("Steel", "Steal", 1))
    page.fill("#document", "")
    page.set_input_files("#file", str(tampered))
    page.click("button[type=submit]")
    page.wait_for_selector("#verdict")
    assert page.inner_text("#verdict").startswith("Not verified.")
    failing = page.locator("table.checks tr.check-invalid").first
    assert "signature_invalid" in failing.inner_text()
