import json


def test_key_generate_and_did(run, tmp_path):
    out = tmp_path / "issuer.pem"
    generated = run("key", "generate", "--type", "ed25519", "--out", str(out))
    assert generated.exit_code == 0
    assert generated.stdout.startswith("did:key:z6Mk")
    assert run("key", "did", str(out)).stdout == generated.stdout
    assert run("key", "did", str(out), "--method", "jwk").stdout.startswith("did:jwk:")
    again = run("key", "generate", "--out", str(out))
    assert again.exit_code == 1
    assert "already exists" in again.stderr


def test_key_generate_encrypted_needs_the_passphrase(run, tmp_path):
    out = tmp_path / "p384.pem"
    generated = run(
        "key", "generate", "--type", "p384", "--out", str(out), "--passphrase", "s3cret"
    )
    assert generated.stdout.startswith("did:key:z82")
    assert run("key", "did", str(out)).exit_code == 1
    assert run("key", "did", str(out), "--passphrase", "s3cret").stdout == generated.stdout


def test_did_resolve_did_key_offline(run, tmp_path):
    did = run("key", "generate", "--out", str(tmp_path / "k.pem")).stdout.strip()
    document = json.loads(run("did", "resolve", did).stdout)
    assert document["id"] == did
    refused = run("did", "resolve", "did:web:example.com")
    assert refused.exit_code == 1


def test_org_create_and_did_document(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "d"), "--db", database_url)
    created = run(*base, "org", "create", "acme", "--name", "Acme Steel", "--country", "CA",
                  "--role", "steel_mill", "--id", "gln=0614141000012", "--key-type", "p384",
                  "--json")  # fmt: skip
    assert created.exit_code == 0, created.stderr
    assert json.loads(created.stdout)["did"] == "did:web:localhost%3A8000:orgs:acme"
    document = json.loads(run(*base, "org", "did", "acme").stdout)
    assert [m["id"].split("#")[1] for m in document["verificationMethod"]] == ["p384-1"]
    bad = run(*base, "org", "create", "x", "--name", "X", "--country", "CA", "--id", "gln")
    assert bad.exit_code == 2
    assert "SCHEME=VALUE" in bad.stderr
