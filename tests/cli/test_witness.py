"""``tradetrace witness``, and the witness options of ``log audit`` and ``log verify-proof``."""

import json
import os
import subprocess
import sys
import time

import httpx
import pytest

from tests.cli.servers import ServerPool, free_port
from tests.witnesses import make_witness
from tradetrace.ledger import checkpoint, note, notekeys, proof
from tradetrace.ledger.log import InMemoryLogStore, TransparencyLog
from tradetrace.ledger.tiles import bundles_for_size, tiles_for_size
from tradetrace.ledger.witness import AddCheckpointRequest
from tradetrace.workflows import setup
from tradetrace.workflows.audit import DirectoryReader

ORIGIN = "tradetrace.test/log"
TOKEN = "witness-test-token"


def test_key_generate_writes_a_private_key_and_prints_the_vkey(run, tmp_path):
    out = tmp_path / "witness.skey"
    result = run("witness", "key", "generate", "--name", "witness.test/w1", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    vkey = result.stdout.strip()
    assert notekeys.verifier_from_vkey(vkey).name == "witness.test/w1"
    again = run("witness", "key", "generate", "--name", "witness.test/w1", "--out", str(out))
    assert (again.exit_code, again.stderr.split(":")[0]) == (2, "error")
    assert "configuration_error: " in again.stderr and "refusing to overwrite" in again.stderr


@pytest.fixture
def cosigned_receipt(tmp_path):
    """A receipt whose checkpoint one witness cosigned, and the files the CLI reads."""
    signer = notekeys.Ed25519Signer.generate(ORIGIN)
    store = InMemoryLogStore()
    log = TransparencyLog(store, origin=ORIGIN, signer=signer)
    log.append([b"entry %d" % n for n in range(20)])
    signed = log.sign()
    witness = make_witness(tmp_path / "witness.json", {ORIGIN: [signer.verifier()]})
    line = witness.add_checkpoint(AddCheckpointRequest(0, (), signed).to_text())
    cosigned = checkpoint.SignedCheckpoint(
        signed.checkpoint,
        signed.note.with_signatures(note.NoteSignature.from_line(line.rstrip("\n"))),
    )
    files = {
        "cosigned": tmp_path / "cosigned.proof",
        "plain": tmp_path / "plain.proof",
        "entry": tmp_path / "entry",
        "witness": tmp_path / "witness.vkey",
    }
    files["cosigned"].write_text(log.prove(7, cosigned).to_text())
    files["plain"].write_text(log.prove(7, signed).to_text())
    files["entry"].write_bytes(b"entry 7")
    files["witness"].write_text(witness.vkey + "\n")
    return files, signer.verifier().vkey, store, cosigned


def test_verify_proof_requires_the_witnesses_asked_for(run, cosigned_receipt):
    files, vkey, _, _ = cosigned_receipt
    base = ["log", "verify-proof", "--entry", str(files["entry"]), "--vkey", vkey]
    ok = run(*base[:2], str(files["cosigned"]), *base[2:], "--witness", str(files["witness"]))
    assert (ok.exit_code, ok.stdout) == (0, f"ok: entry 7 is in {ORIGIN} at size 20\n")
    missing = run(*base[:2], str(files["plain"]), *base[2:], "--witness", str(files["witness"]))
    assert missing.exit_code == 1
    assert "checkpoint_invalid: " in missing.stderr and "expected 1, got 0" in missing.stderr
    other = notekeys.Cosigner.generate("witness.test/w2").verifier().vkey
    witnesses = ["--witness", str(files["witness"]), "--witness", other]
    one_of_two = run(*base[:2], str(files["cosigned"]), *base[2:], *witnesses, "--quorum", "1")
    assert one_of_two.exit_code == 0
    both = run(*base[:2], str(files["cosigned"]), *base[2:], *witnesses)
    assert both.exit_code == 1 and "expected 2, got 1" in both.stderr


def test_audit_requires_the_witness_quorum_on_the_newest_checkpoint(
    run, cosigned_receipt, tmp_path
):
    files, vkey, store, cosigned = cosigned_receipt
    directory = tmp_path / "log"
    for resource in [*tiles_for_size(20), *bundles_for_size(20)]:
        (directory / resource.path).parent.mkdir(parents=True, exist_ok=True)
        (directory / resource.path).write_bytes(store.read(resource.path))
    (directory / "checkpoint").write_text(cosigned.to_text())
    state = ["--state", str(tmp_path / "audit")]
    result = run(
        "log", "audit", str(directory), "--vkey", vkey, *state, "--witness", str(files["witness"])
    )
    assert result.exit_code == 0, result.stderr
    assert DirectoryReader(directory).checkpoints() == [cosigned.to_text().encode()]
    other = notekeys.Cosigner.generate("witness.test/w2").verifier().vkey
    strict = run("log", "audit", str(directory), "--vkey", vkey, *state, "--witness", other)
    assert strict.exit_code == 1 and "too few witness cosignatures" in strict.stderr


def _start_witness(tmp_path, log_vkey):
    key = tmp_path / "witness.skey"
    port = free_port()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tradetrace",
            "witness",
            "key",
            "generate",
            "--name",
            "witness.test/w1",
            "--out",
            str(key),
        ],
        check=True,
        capture_output=True,
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TRADETRACE_")}
    log_path = tmp_path / "witness.log"
    with open(log_path, "wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tradetrace",
                "--data-dir",
                str(tmp_path / "witness"),
                "witness",
                "serve",
                "--port",
                str(port),
                "--key",
                str(key),
                "--log",
                f"{ORIGIN}={log_vkey}",
            ],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(log_path.read_text())
        try:
            return process, base, httpx.get(f"{base}/healthz", timeout=1).text.strip()
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("witness did not start in 60 s")


def test_a_node_gets_its_checkpoints_cosigned_by_a_running_witness(run, tmp_path, database_url):
    node = tmp_path / "node"
    log_key = setup.load_or_create_log_key(node / "keys" / "log.skey", ORIGIN)
    witness, witness_base, witness_vkey = _start_witness(tmp_path, log_key.verifier().vkey)
    servers = ServerPool(tmp_path)
    try:
        server = servers.start(
            node,
            database_url,
            log_add_token=TOKEN,
            log_origin=ORIGIN,
            witnesses=json.dumps([f"{witness_base}={witness_vkey}"]),
        )
        body = {"kind": "epcis.event", "digest": "a" * 64, "submitter": "did:web:x", "ref": "r"}
        added = httpx.post(
            f"{server.base}/log/add?wait=true",
            json=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=30,
        )
        assert added.status_code == 201, added.text
        receipt = proof.TlogProof.from_text(added.json()["receipt"])
        proof.verify_tlog_proof(
            receipt,
            added.json()["entry"].encode(),
            origin=ORIGIN,
            verifiers=[log_key.verifier()],
            witnesses=[notekeys.verifier_from_vkey(witness_vkey)],
            quorum=1,
        )
        assert witness_vkey.split("+")[0] in httpx.get(f"{server.base}/log/checkpoint").text
        server.stop()
    finally:
        servers.stop_all()
        witness.terminate()
        witness.wait(timeout=30)
    state = json.loads((tmp_path / "witness" / "witness" / "state.json").read_text())
    assert state["checkpoints"][ORIGIN].startswith(f"{ORIGIN}\n")
