import json

ADD = (
    "recordation", "add", "TMK 24-00123", "--kind", "trademark", "--mark", "STRIDE",
    "--owner", "Stride Athletics Inc.", "--owner-did", "did:web:stride-athletics.example.com",
    "--until", "2034-10-31", "--goods", "6402", "--goods", "6403.99",
)  # fmt: skip


def test_add_list_and_show(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "data"), "--db", database_url)
    added = run(*base, *ADD, "--json")
    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout) == {
        "number": "TMK 24-00123",
        "kind": "trademark",
        "mark": "STRIDE",
        "owner": "Stride Athletics Inc.",
        "owner_did": "did:web:stride-athletics.example.com",
        "valid_until": "2034-10-31",
        "goods": ["6402", "640399"],
    }
    listed = run(*base, "recordation", "list")
    assert listed.stdout.startswith("TMK 24-00123  trademark STRIDE  Stride Athletics Inc.")
    assert (
        json.loads(run(*base, "recordation", "list", "--on", "2034-11-01", "--json").stdout) == []
    )
    shown = run(*base, "recordation", "show", "TMK 24-00123", "--json")
    assert json.loads(shown.stdout)["mark"] == "STRIDE"
    again = run(*base, *ADD)
    assert again.exit_code == 1
    assert "conflict: recordation TMK 24-00123 is already recorded" in again.stderr
    renewed = run(*base, *ADD[:-4], "--until", "2044-10-31", "--replace")
    assert renewed.stdout == "recorded TMK 24-00123\n"
    shown = run(*base, "recordation", "show", "TMK 24-00123")
    assert "until 2044-10-31  [any goods]" in shown.stdout


def test_add_rejects_bad_input_naming_fields(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "data"), "--db", database_url)
    result = run(*base, *ADD[:9], "--owner-did", "stride", "--until", "2034-10-31", "--goods", "6")
    assert result.exit_code == 1
    assert "owner_did: expected a DID" in result.stderr
    assert "goods[0]: expected an HS chapter" in result.stderr
    missing = run(*base, "recordation", "show", "COP 00-00000")
    assert missing.exit_code == 1
    assert "not_found: no recordation 'COP 00-00000'" in missing.stderr
