"""``tradetrace credential issue|verify`` and ``presentation`` as the contract says."""

import json

import pytest

SUBJECT = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "credentialSubject": {"id": "did:example:coil-1", "name": "hot-rolled coil"},
}


@pytest.fixture
def issuer(run, tmp_path):
    key = tmp_path / "issuer.pem"
    did = run("key", "generate", "--type", "ed25519", "--out", str(key)).stdout.strip()
    source = tmp_path / "in.json"
    source.write_text(json.dumps(SUBJECT))
    return key, did, source


@pytest.mark.parametrize("fmt", ["vc-jwt", "eddsa-jcs-2022"])
def test_issue_then_verify_exits_0_with_a_json_report(run, tmp_path, issuer, fmt):
    key, did, source = issuer
    data = ("--data-dir", str(tmp_path / "d"))
    issued = run(*data, "credential", "issue", "--key", str(key), "--format", fmt, str(source))
    assert issued.exit_code == 0, issued.stderr
    out = tmp_path / "vc"
    out.write_text(issued.stdout)
    if fmt == "vc-jwt":
        assert issued.stdout.count(".") == 2
    else:
        document = json.loads(issued.stdout)
        assert document["issuer"] == did
        assert document["id"].startswith("urn:uuid:") and "validFrom" in document
    verified = run(*data, "credential", "verify", str(out), "--json")
    assert verified.exit_code == 0, verified.stdout
    report = json.loads(verified.stdout)
    assert report["verified"] is True
    assert {c["id"] for c in report["checks"]} >= {"format", "proof", "validity", "status"}
    assert all(set(c) == {"id", "status", "code", "message"} for c in report["checks"])
    untrusted = run(*data, "credential", "verify", str(out), "--trusted-only")
    assert untrusted.exit_code == 1


def test_tampered_credential_exits_1_and_garbage_exits_2(run, tmp_path, issuer):
    key, _, source = issuer
    data = ("--data-dir", str(tmp_path / "d"))
    issued = run(
        *data, "credential", "issue", "--key", str(key), "--format", "eddsa-jcs-2022", str(source)
    )
    document = json.loads(issued.stdout)
    document["credentialSubject"]["name"] = "cold-rolled coil"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    result = run(*data, "credential", "verify", str(tampered), "--json")
    assert result.exit_code == 1
    proof = next(c for c in json.loads(result.stdout)["checks"] if c["id"] == "proof")
    assert proof["status"] == "invalid"
    garbage = tmp_path / "garbage"
    garbage.write_text("hello")
    assert run(*data, "credential", "verify", str(garbage)).exit_code == 2


def test_presentation_with_challenge(run, tmp_path, issuer):
    key, _, source = issuer
    data = ("--data-dir", str(tmp_path / "d"))
    credential = tmp_path / "vc"
    credential.write_text(run(*data, "credential", "issue", "--key", str(key), str(source)).stdout)
    holder = tmp_path / "holder.pem"
    run("key", "generate", "--out", str(holder))
    vp = run("presentation", "issue", "--key", str(holder), "--challenge", "c-123", str(credential))
    assert vp.exit_code == 0, vp.stderr
    (tmp_path / "vp").write_text(vp.stdout)
    ok = run(*data, "presentation", "verify", str(tmp_path / "vp"), "--challenge", "c-123")
    assert ok.exit_code == 0, ok.stdout
    wrong = run(*data, "presentation", "verify", str(tmp_path / "vp"), "--challenge", "other")
    assert wrong.exit_code == 1
