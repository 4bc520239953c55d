"""The CLI verifies a credential whose issuer is another platform's did:web, as ``serve``
does: the issuer's DID document and status lists are fetched from that platform (a real
``tradetrace serve`` process) when ``did_web_allow_hosts`` names its host, and not otherwise.
did:web needs HTTPS; the host is a ``did_web_insecure_hosts`` here, the local-testing switch.
"""

from __future__ import annotations

import json

import pytest

from tests.cli.servers import ServerPool, free_port
from tests.conftest import ASSETS

pytestmark = pytest.mark.slow

CREDENTIAL = ASSETS / "vc" / "content" / "valid-mill-test-report.json"


def test_verify_and_resolve_another_platforms_did_web(run, tmp_path, monkeypatch):
    port = free_port()
    host = f"localhost:{port}"
    mill_dir, mill_db = tmp_path / "mill", f"sqlite:///{(tmp_path / 'mill.db').as_posix()}"
    mill = ("--data-dir", str(mill_dir), "--db", mill_db)
    monkeypatch.setenv("TRADETRACE_PORT", str(port))
    did = run(*mill, "org", "create", "mill", "--name", "Mill", "--country", "CA").stdout.strip()
    document = json.loads(CREDENTIAL.read_text())
    document["issuer"]["id"] = did
    for name in ("id", "proof", "validFrom", "validUntil"):
        document.pop(name, None)
    unsigned = tmp_path / "mtr.json"
    unsigned.write_text(json.dumps(document))
    issued = run(*mill, "credential", "issue", "--org", "mill", "--format", "vc-jwt", str(unsigned))
    assert issued.exit_code == 0, issued.stderr
    secured = tmp_path / "mtr.jwt"
    secured.write_text(issued.stdout)
    monkeypatch.delenv("TRADETRACE_PORT")

    pool = ServerPool(tmp_path)
    try:
        pool.start(mill_dir, mill_db, port=port)
        verifier = ("--data-dir", str(tmp_path / "customs"))
        refused = run(*verifier, "credential", "verify", str(secured), "--json")
        assert refused.exit_code == 1
        checks = {c["id"]: c for c in json.loads(refused.stdout)["checks"]}
        assert checks["proof"]["status"] == "error", checks["proof"]

        monkeypatch.setenv("TRADETRACE_DID_WEB_ALLOW_HOSTS", json.dumps([host]))
        monkeypatch.setenv("TRADETRACE_DID_WEB_INSECURE_HOSTS", json.dumps([host]))
        verified = run(*verifier, "credential", "verify", str(secured), "--json")
        assert verified.exit_code == 0, verified.stdout
        checks = {c["id"]: c for c in json.loads(verified.stdout)["checks"]}
        assert checks["proof"]["code"] == "proof_valid"
        assert checks["status"]["code"] == "status_active"  # both lists fetched from the mill
        resolved = json.loads(run(*verifier, "did", "resolve", did).stdout)
        assert resolved["id"] == did
    finally:
        pool.stop_all()
