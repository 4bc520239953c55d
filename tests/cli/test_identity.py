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
    refused = run("--data-dir", str(tmp_path / "d"), "did", "resolve", "did:web:example.com")
    assert refused.exit_code == 1
    assert "example.com" in refused.stderr
    unknown = run("did", "resolve", "did:example:123")
    assert unknown.exit_code == 1
    assert "only did:key, did:jwk and did:web resolve" in unknown.stderr


def test_did_resolve_a_hosted_did_web_from_the_database(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "d"), "--db", database_url)
    created = run(*base, "org", "create", "acme", "--name", "Acme Steel", "--country", "CA")
    did = created.stdout.strip()
    document = json.loads(run(*base, "did", "resolve", did).stdout)
    assert document["id"] == did
    assert document == json.loads(run(*base, "org", "did", "acme").stdout)


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


def test_org_add_id(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "d"), "--db", database_url)
    created = run(*base, "org", "create", "acme", "--name", "Acme Steel", "--country", "CA",
                  "--id", "gln=0614141000012")  # fmt: skip
    assert created.exit_code == 0, created.stderr
    added = run(*base, "org", "add-id", "acme", "--id", "lei=549300XYZSTEEL000154",
                "--id", "gln=0614141000012", "--json")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout) == {
        "slug": "acme",
        "added": 1,
        "identifiers": {"gln": "0614141000012", "lei": "549300XYZSTEEL000154"},
    }
    again = run(*base, "org", "add-id", "acme", "--id", "lei=549300XYZSTEEL000154")
    assert again.stdout == (
        "acme: 0 added; identifiers gln=0614141000012, lei=549300XYZSTEEL000154\n"
    )
    changed = run(*base, "org", "add-id", "acme", "--id", "gln=0614141000043")
    assert changed.exit_code == 1
    assert "conflict: identifiers.gln: organisation 'acme' already has" in changed.stderr
    invalid = run(*base, "org", "add-id", "acme", "--id", "lei=x")
    assert invalid.exit_code == 1
    assert "identifiers.lei" in invalid.stderr
    listed = json.loads(run(*base, "org", "list", "--json").stdout)
    assert listed[0]["identifiers"] == {"gln": "0614141000012", "lei": "549300XYZSTEEL000154"}


def test_org_show(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "d"), "--db", database_url)
    run(*base, "org", "create", "acme", "--name", "Acme Steel", "--country", "CA",
        "--role", "steel_mill", "--id", "gln=0614141000012")  # fmt: skip
    shown = json.loads(run(*base, "org", "show", "acme", "--json").stdout)
    assert shown["did"] == "did:web:localhost%3A8000:orgs:acme"
    assert shown["roles"] == ["steel_mill"]
    assert shown["identifiers"] == {"gln": "0614141000012"}
    assert shown["created_at"].endswith("+00:00")
    text = run(*base, "org", "show", "acme").stdout.splitlines()
    assert text[0] == "Acme Steel (acme), CA"
    assert "  gln          0614141000012" in text
    missing = run(*base, "org", "show", "nobody")
    assert missing.exit_code == 1
    assert "no organisation 'nobody'" in missing.stderr
