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


def test_verify_several_files_reports_each_and_exits_with_the_worst(run, tmp_path, issuer):
    key, _, source = issuer
    data = ("--data-dir", str(tmp_path / "d"))
    files = {}
    for fmt in ("vc-jwt", "eddsa-jcs-2022"):
        issued = run(*data, "credential", "issue", "--key", str(key), "--format", fmt, str(source))
        files[fmt] = tmp_path / fmt
        files[fmt].write_text(issued.stdout)
    good = [str(files["vc-jwt"]), str(files["eddsa-jcs-2022"])]
    both = run(*data, "credential", "verify", *good)
    assert both.exit_code == 0, both.stdout
    assert both.stdout.splitlines()[0] == f"{good[0]}: verified (vc-jwt)"
    assert both.stdout.splitlines()[-1] == "2 verified, 0 not verified, 0 unusable, of 2"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(files["eddsa-jcs-2022"].read_text().replace("hot-rolled", "cold-rolled"))
    with_bad = run(*data, "credential", "verify", *good, str(tampered), "--json")
    assert with_bad.exit_code == 1
    listed = json.loads(with_bad.stdout)
    assert [(item["file"], item["verified"]) for item in listed] == [
        (good[0], True),
        (good[1], True),
        (str(tampered), False),
    ]
    garbage = tmp_path / "garbage"
    garbage.write_text("hello")
    worst = run(*data, "credential", "verify", str(tampered), str(garbage), *good)
    assert worst.exit_code == 2
    assert worst.stdout.splitlines()[-1] == "2 verified, 1 not verified, 1 unusable, of 4"
    trusted = run(*data, "credential", "verify", *good, "--trusted-only")
    assert trusted.exit_code == 1
    assert trusted.stdout.splitlines()[-1] == "0 verified, 2 not verified, 0 unusable, of 2"


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
