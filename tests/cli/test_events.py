"""``tradetrace events``: the contract checked from outside (validate, hash, capture, trace)."""

import csv
import io
import json

import pytest

from tests.conftest import ASSETS
from tests.workflows import supply_chains
from tradetrace.events import hashing

EXAMPLES = ASSETS / "epcis" / "examples"


def test_validate_accepts_a_gs1_example(run, tmp_path):
    result = run(
        "--data-dir", str(tmp_path), "events", "validate", str(EXAMPLES / "ObjectEvent.json")
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "valid\n"


def test_validate_lists_every_problem_as_json(run, tmp_path):
    path = ASSETS / "epcis" / "many-problems.json"
    result = run("--data-dir", str(tmp_path), "events", "validate", str(path), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["problems"]
    assert set(report["problems"][0]) == {"event_index", "field", "reason"}
    assert {p["event_index"] for p in report["problems"]} >= {0, 2}


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("invalid-action.json", "event 1: epcisBody.eventList[1].action:"),
        ("bizstep-without-namespace.json", "event 3: epcisBody.eventList[3].bizStep:"),
        ("bad-timestamp.json", "event 0: epcisBody.eventList[0].eventTime:"),
    ],
)
def test_validate_names_event_and_field(run, tmp_path, name, line):
    result = run("--data-dir", str(tmp_path), "events", "validate", str(ASSETS / "epcis" / name))
    assert result.exit_code == 1
    assert any(item.startswith(line) for item in result.stdout.splitlines())


def test_validate_reports_text_that_is_not_json(run, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{nope")
    result = run("--data-dir", str(tmp_path), "events", "validate", str(path), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"][0]["field"] == "(document)"


def test_hash_prints_one_id_per_event_in_order(run, tmp_path):
    path = EXAMPLES / "Combination_of_different_event.json"
    result = run("--data-dir", str(tmp_path), "events", "hash", str(path))
    assert result.exit_code == 0, result.stderr
    expected = hashing.document_event_hash_ids(json.loads(path.read_text()))
    assert result.stdout.splitlines() == expected


def test_capture_then_query_then_trace(run, tmp_path, database_url):
    node = ["--data-dir", str(tmp_path / "node"), "--db", database_url]
    chain = supply_chains.oil()
    for index, (_, data) in enumerate(chain.documents()):
        path = tmp_path / f"doc{index}.json"
        path.write_text(json.dumps(data))
        result = run(*node, "events", "capture", str(path))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("captured ")
    again = run(*node, "events", "capture", str(tmp_path / "doc0.json"), "--json")
    assert json.loads(again.stdout)["duplicateCount"] == 2
    found = run(*node, "events", "query", "EQ_bizStep=receiving", "perPage=5")
    assert found.exit_code == 0, found.stderr
    events = json.loads(found.stdout)["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [event["bizStep"] for event in events] == ["receiving", "receiving"]
    traced = run(*node, "events", "trace", chain.finished, "--json")
    assert traced.exit_code == 0, traced.stderr
    assert len(json.loads(traced.stdout)["events"]) == 5
    checked = run(*node, "events", "profile-check", chain.finished, "--domain", "oil")
    assert checked.exit_code == 0, checked.stdout
    assert checked.stdout.startswith("oil: complete")


def test_capture_rejects_an_invalid_document(run, tmp_path, database_url):
    node = ["--data-dir", str(tmp_path / "node"), "--db", database_url]
    result = run(*node, "events", "capture", str(ASSETS / "epcis" / "invalid-action.json"))
    assert result.exit_code == 1
    assert "event 1: epcisBody.eventList[1].action:" in result.stdout


@pytest.mark.parametrize("workers", ["0", "2"])
def test_capture_several_files_in_order(run, tmp_path, database_url, workers):
    node = ["--data-dir", str(tmp_path / "node"), "--db", database_url]
    paths = []
    for index, (_, data) in enumerate(supply_chains.oil().documents()):
        paths.append(tmp_path / f"doc{index}.json")
        paths[-1].write_text(json.dumps(data))
    paths.insert(1, ASSETS / "epcis" / "invalid-action.json")
    files = [str(path) for path in paths]
    result = run(*node, "events", "capture", *files, "--workers", workers)
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(": ", 1)[0] for line in lines][:2] == files[:2]
    assert lines[0].startswith(f"{files[0]}: captured ")
    assert any(
        line.startswith(f"{files[1]}: event 1: epcisBody.eventList[1].action:") for line in lines
    )
    assert lines[-1].startswith(f"{files[-1]}: captured ")
    again = run(*node, "events", "capture", *files[2:], files[0], "--json", "--workers", workers)
    assert again.exit_code == 0, again.stderr
    jobs = json.loads(again.stdout)
    assert len(jobs) == len(files) - 1
    assert all(job["success"] and job["capturedCount"] == 0 for job in jobs)


def test_capture_stops_at_a_file_that_is_not_json(run, tmp_path, database_url):
    node = ["--data-dir", str(tmp_path / "node"), "--db", database_url]
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    first = str(EXAMPLES / "ObjectEvent.json")
    result = run(*node, "events", "capture", first, str(bad), first, "--workers", "1")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{first}: captured ")
    assert f"{bad}: not captured, nor the files after it" in result.stderr
    assert "error: invalid_document: invalid EPCIS document: not JSON" in result.stderr


def test_trace_exits_1_on_a_fault_and_fsma_export_writes_csv(run, tmp_path, database_url):
    node = ["--data-dir", str(tmp_path / "node"), "--db", database_url]
    chain = supply_chains.steel(fault="mass_balance")
    for index, (_, data) in enumerate(chain.documents()):
        path = tmp_path / f"doc{index}.json"
        path.write_text(json.dumps(data))
        assert run(*node, "events", "capture", str(path)).exit_code == 0
    traced = run(*node, "events", "trace", chain.finished)
    assert traced.exit_code == 1
    assert "FAULT mass_balance: transformation outputs 210 TNE exceed" in traced.stdout
    food = supply_chains.food()
    for index, (_, data) in enumerate(food.documents()):
        path = tmp_path / f"food{index}.json"
        path.write_text(json.dumps(data))
        assert run(*node, "events", "capture", str(path)).exit_code == 0
    out = tmp_path / "sheet.csv"
    product = "06141410021019"
    result = run(
        *node,
        "events",
        "fsma-export",
        "--product",
        product,
        "--from",
        "2026-10-01",
        "--until",
        "2026-10-03",
        "--output",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0][:3] == ["Traceability Lot Code (TLC)", "Product Description", "Quantity"]
    assert [row[4] for row in rows[1:]] == [
        "initial_packing",
        "shipping",
        "receiving",
        "transformation",
    ]
