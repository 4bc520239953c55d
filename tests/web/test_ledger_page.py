from tests.conftest import FIXED_NOW
from tradetrace.ledger.record import LogRecord, RecordKind


def _log_three(client):
    ledger = client.app.state.ledger
    records = [
        LogRecord(
            kind=RecordKind.CREDENTIAL_ISSUED,
            digest=f"{n:064x}",
            submitter="did:web:mill.example",
            time=FIXED_NOW,
            ref=f"urn:uuid:{n}",
        )
        for n in range(3)
    ]
    ledger.append(records)
    ledger.publish()
    return ledger, records


def test_ledger_page_shows_size_checkpoints_and_vkey(client):
    ledger, _ = _log_three(client)
    page = client.get("/ledger")
    assert page.status_code == 200
    assert '<p class="figure">3</p>' in page.text
    assert ledger.verifier.vkey in page.text
    assert "2026-11-27" in page.text or "UTC" in page.text


def test_receipt_checker_accepts_a_real_receipt(client):
    ledger, records = _log_three(client)
    receipt = ledger.receipt(1).to_text()
    page = client.post("/ledger/verify", data={"receipt": receipt})
    assert "Verified." in page.text
    assert "entry 1 is in" in page.text
    pasted = client.post(
        "/ledger/verify", data={"receipt": receipt, "entry": records[1].to_bytes().decode()}
    )
    assert "Verified." in pasted.text


def test_receipt_checker_rejects_a_wrong_entry_and_garbage(client):
    ledger, records = _log_three(client)
    receipt = ledger.receipt(1).to_text()
    wrong = client.post(
        "/ledger/verify", data={"receipt": receipt, "entry": records[2].to_bytes().decode()}
    )
    assert "Not verified" in wrong.text
    assert "inclusion_proof_invalid" in wrong.text
    garbage = client.post("/ledger/verify", data={"receipt": "hello"})
    assert garbage.status_code == 200
    assert "Not verified" in garbage.text
