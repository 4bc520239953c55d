"""``tradetrace log``: audit any tiled log, prove and verify receipts."""

import json
import shutil

import pytest

from tests.conftest import ASSETS, FIXED_NOW
from tradetrace.config import Settings
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.workflows import setup

TESSERA = ASSETS / "vectors" / "tessera-testdata-log"
TESSERA_VKEY = "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx"


def test_audit_tessera_test_log(run, tmp_path):
    result = run(
        "--data-dir", str(tmp_path), "log", "audit", str(TESSERA), "--vkey", TESSERA_VKEY, "--json"
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["sizes"][-1] == 15
    assert report["entries"] == 15
    assert len(report["sizes"]) == 16


def test_audit_names_the_first_tampered_tile(run, tmp_path):
    copy = tmp_path / "log"
    shutil.copytree(TESSERA, copy)
    tile = copy / "tile" / "0" / "000.p" / "7"
    data = bytearray(tile.read_bytes())
    data[40] ^= 1
    tile.write_bytes(bytes(data))
    result = run("--data-dir", str(tmp_path), "log", "audit", str(copy), "--vkey", TESSERA_VKEY)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: tile_invalid:")


def test_audit_rejects_a_wrong_key(run, tmp_path):
    other = "example.com/log/testdata+00000000+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx"
    result = run("--data-dir", str(tmp_path), "log", "audit", str(TESSERA), "--vkey", other)
    assert result.exit_code == 1
    assert "key id mismatch" in result.stderr


@pytest.fixture
def node(tmp_path, database_url):
    """A node whose log holds three records; returns its global CLI options and the records."""
    settings = Settings(data_dir=tmp_path / "node", database_url=database_url)
    engine = setup.open_database(settings)
    ledger = setup.open_ledger(settings, engine, clock=lambda: FIXED_NOW)
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
    engine.dispose()
    return ("--data-dir", str(tmp_path / "node"), "--db", database_url), records


def test_prove_then_verify_proof_offline(run, node, tmp_path):
    options, records = node
    vkey = run(*options, "log", "vkey").stdout.strip()
    receipt = run(*options, "log", "prove", "1")
    assert receipt.exit_code == 0, receipt.stderr
    (tmp_path / "p").write_text(receipt.stdout)
    (tmp_path / "e").write_bytes(records[1].to_bytes())
    (tmp_path / "wrong").write_bytes(records[2].to_bytes())
    ok = run(
        "log", "verify-proof", str(tmp_path / "p"), "--entry", str(tmp_path / "e"), "--vkey", vkey
    )
    assert ok.exit_code == 0
    assert ok.stdout.strip().endswith("at size 3")
    bad = run(
        "log",
        "verify-proof",
        str(tmp_path / "p"),
        "--entry",
        str(tmp_path / "wrong"),
        "--vkey",
        vkey,
    )
    assert bad.exit_code == 1
    assert "inclusion_proof_invalid" in bad.stderr


def test_checkpoint_publishes_and_node_directory_audits(run, node, tmp_path):
    options, _ = node
    checkpoint = run(*options, "log", "checkpoint")
    assert checkpoint.stdout.split("\n")[1] == "3"
    (tmp_path / "vkey").write_text(run(*options, "log", "vkey").stdout)
    audited = run(
        *options, "log", "audit", str(tmp_path / "node" / "log"), "--vkey", str(tmp_path / "vkey")
    )
    assert audited.exit_code == 0, audited.stderr
    assert "3 entries" in audited.stdout
