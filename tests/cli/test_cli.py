import json

from tradetrace import __version__, storage
from tradetrace.workflows import demo, demo_credentials, demo_shipment_data


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tradetrace, version {__version__}"


def test_db_upgrade_then_demo_then_list(run, tmp_path, database_url):
    base = ("--data-dir", str(tmp_path / "d"), "--db", database_url)
    upgraded = run(*base, "db", "upgrade")
    assert upgraded.exit_code == 0
    assert upgraded.stdout.strip() == f"database at revision {storage.head_revision()}"
    loaded = run(*base, "demo", "--json")
    specs = demo_shipment_data.read_shipment_specs()
    assert json.loads(loaded.stdout) == {
        "organisations_created": len(demo.DEMO_ORGANISATIONS),
        "identifiers_added": 0,
        "credentials_issued": len(demo_credentials.DEMO_CREDENTIALS),
        "shipments": list(demo_shipment_data.SHIPMENT_NAMES),
        "entries_filed": {
            spec.entry["entryNumber"]: spec.expected.recommendation.value for spec in specs
        },
    }
    again = run(*base, "demo")
    assert "0 organisations created" in again.stdout
    assert "(0 identifiers added)" in again.stdout
    assert "0 credentials issued" in again.stdout
    assert f"{len(demo_shipment_data.SHIPMENT_NAMES)} shipments loaded" in again.stdout
    assert "0 entries filed and assessed" in again.stdout
    checkpoint = run(*base, "log", "checkpoint").stdout.splitlines()
    # each issuer's two new status lists and its credential are on the log, then each
    # shipment's credentials (and new issuers' status lists) and captured events; then, per
    # shipment, one presentation per issuer with each credential it carried, the entry and
    # its decision
    issuers = {spec.slug for spec in demo_credentials.DEMO_CREDENTIALS}
    new_issuers = {item.issuer for spec in specs for item in spec.credentials} - issuers
    shipment_leaves = sum(
        len(spec.credentials) + sum(len(e.document["epcisBody"]["eventList"]) for e in spec.events)
        for spec in specs
    )
    filing_leaves = sum(
        len({item.issuer for item in spec.credentials}) + len(spec.credentials) + 2
        for spec in specs
    )
    assert checkpoint[1] == str(
        3 * len(demo_credentials.DEMO_CREDENTIALS)
        + 2 * len(new_issuers)
        + shipment_leaves
        + filing_leaves
    )
    listed = json.loads(run(*base, "org", "list", "--json").stdout)
    assert {item["slug"] for item in listed} == {party.slug for party in demo.DEMO_ORGANISATIONS}
    text = run(*base, "org", "list").stdout
    assert "hamilton-steelworks" in text and "Hamilton Steelworks Ltd." in text


def test_sqlite_lives_in_the_data_dir(run, tmp_path):
    assert run("--data-dir", str(tmp_path / "d"), "db", "upgrade").exit_code == 0
    assert (tmp_path / "d" / "tradetrace.db").exists()


def test_environment_selects_data_dir(run, tmp_path, monkeypatch):
    monkeypatch.setenv("TRADETRACE_DATA_DIR", str(tmp_path / "env"))
    assert run("db", "upgrade").exit_code == 0
    assert (tmp_path / "env" / "tradetrace.db").exists()


def test_unknown_database_scheme_fails_with_one_line(run):
    result = run("--db", "mysql://u@h/db", "db", "upgrade")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "database_url: unsupported database URL scheme 'mysql'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_data_dir_fails_with_one_line(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("--data-dir", str(blocker / "sub"), "db", "upgrade")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: configuration_error: data directory")
    assert result.stderr.strip().count("\n") == 0


def test_usage_error_exits_2(run):
    result = run("no-such-command")
    assert result.exit_code == 2
    assert "No such command" in result.stderr
