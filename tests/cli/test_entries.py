"""``tradetrace entry file|assess|show|list`` as a broker and a customs officer use them."""

import json

from tests.conftest import ASSETS

ENTRY = ASSETS / "customs" / "usmca-conductors-entry.json"
NUMBER = "B76-0251001-1"


def test_file_show_assess_and_list(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "data"), "--db", database_url)
    filed = run(*base, "entry", "file", str(ENTRY), "--instance", "urn:uuid:shipment-7", "--json")
    assert filed.exit_code == 0, filed.stderr
    record = json.loads(filed.stdout)
    assert record["entry_number"] == NUMBER and record["version"] == 1 and record["new"]
    assert record["instances"] == [NUMBER, "urn:uuid:shipment-7"]
    assert record["filed_at"].startswith("2025-07-14T16:00:00")  # the entry's own filedAt
    again = run(*base, "entry", "file", str(ENTRY), "--instance", "urn:uuid:shipment-7")
    assert again.exit_code == 0
    assert "already filed, unchanged" in again.stdout

    shown = run(*base, "entry", "show", NUMBER)
    assert shown.exit_code == 0, shown.stderr
    assert "line 1: HTS 8544429090, origin MX" in shown.stdout
    assert f"No decision yet: tradetrace entry assess {NUMBER}" in shown.stdout

    assessed = run(*base, "entry", "assess", NUMBER, "--json")
    assert assessed.exit_code == 0, assessed.stderr
    decision = json.loads(assessed.stdout)
    assert decision["entry_number"] == NUMBER
    # USMCA claimed with no certification presented: the preference is denied, and said so
    assert decision["lines"][0]["preference"] != "granted"
    assert "Entry B76-0251001-1" in decision["explanation"]

    dossier = json.loads(run(*base, "entry", "show", NUMBER, "--json").stdout)
    assert dossier["entry"]["entryNumber"] == NUMBER
    assert [item["id"] for item in dossier["decisions"]] == [decision["decision_id"]]
    assert dossier["decisions"][0]["recommendation"] == decision["recommendation"]
    listed = json.loads(run(*base, "entry", "list", "--json").stdout)["items"]
    assert [(item["entry_number"], item["recommendation"]) for item in listed] == [
        (NUMBER, decision["recommendation"])
    ]


def test_correction_needs_replace(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "data"), "--db", database_url)
    assert run(*base, "entry", "file", str(ENTRY)).exit_code == 0
    corrected = json.loads(ENTRY.read_text())
    corrected["portOfEntry"] = "2305"
    path = tmp_path / "corrected.json"
    path.write_text(json.dumps(corrected))
    refused = run(*base, "entry", "file", str(path))
    assert refused.exit_code == 1
    assert "conflict" in refused.stderr and "replace" in refused.stderr
    replaced = run(*base, "entry", "file", str(path), "--replace", "--json")
    assert json.loads(replaced.stdout)["version"] == 2


def test_assess_an_entry_file_files_it_first(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "data"), "--db", database_url)
    assessed = run(*base, "entry", "assess", str(ENTRY))
    assert assessed.exit_code == 0, assessed.stderr
    assert assessed.stdout.startswith(f"Entry {NUMBER} (type 01):")
    assert run(*base, "entry", "show", NUMBER).exit_code == 0


def test_bad_input_names_the_field_and_unknown_entries_are_not_found(run, tmp_path):
    base = ("--data-dir", str(tmp_path / "data"))
    broken = json.loads(ENTRY.read_text())
    broken["lines"][0]["hts10"] = "85444290"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    result = run(*base, "entry", "file", str(path))
    assert result.exit_code == 1
    assert "lines[0].hts10" in result.stderr
    missing = run(*base, "entry", "show", "B76-0000000-0")
    assert missing.exit_code == 1
    assert "not_found" in missing.stderr
