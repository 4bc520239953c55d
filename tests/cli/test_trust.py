import json

MILL = "did:web:node.example:orgs:hamilton-steelworks"
CBP = "did:web:cbp.example"


def test_accredit_list_and_check(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "data"), "--db", database_url)
    added = run(*base, "trust", "add", MILL, "--role", "steel_mill", "--by", CBP,
                "--from", "2026-01-01", "--until", "2027-01-01", "--json")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    listed = json.loads(run(*base, "trust", "list", "--json").stdout)
    assert listed[0]["did"] == MILL
    assert listed[0]["roles"] == ["steel_mill"]
    assert listed[0]["valid_from"].startswith("2026-01-01T00:00:00")
    ok = run(*base, "trust", "check", MILL, "--type", "MillTestReportCredential",
             "--at", "2026-06-01", "--json")  # fmt: skip
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["code"] == "issuer_accredited"
    expired = run(*base, "trust", "check", MILL, "--type", "MillTestReportCredential",
                  "--at", "2027-06-01")  # fmt: skip
    assert expired.exit_code == 1
    assert expired.stdout.startswith("not trusted:")
    wrong = run(*base, "trust", "check", MILL, "--type", "USMCACertificationOfOrigin",
                "--at", "2026-06-01", "--json")  # fmt: skip
    assert json.loads(wrong.stdout)["code"] == "accreditation_wrong_scope"


def test_accredit_rejects_bad_input_naming_fields(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "data"), "--db", database_url)
    result = run(*base, "trust", "add", "mill", "--role", "wizard", "--by", CBP)
    assert result.exit_code == 1
    assert "did: expected a DID" in result.stderr
    assert "roles[0]: unknown role 'wizard'" in result.stderr
