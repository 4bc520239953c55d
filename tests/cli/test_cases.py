"""``tradetrace case`` and ``tradetrace guidance``: work the desk from the command line."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from tests.api.desk import inquiry
from tests.conftest import FIXED_NOW
from tradetrace import storage
from tradetrace.workflows import cases


@pytest.fixture
def db(tmp_path, database_url):
    return ["--data-dir", str(tmp_path / "data"), "--db", database_url]


@pytest.fixture
def filed(db, run, engine):
    """Two cases filed through the library: an old classification question, then ventilators."""
    assert run(*db, "db", "upgrade").exit_code == 0
    with storage.make_session_factory(engine)() as session:
        older = cases.submit_inquiry(session, inquiry("classification-question"), now=FIXED_NOW)
        urgent = cases.submit_inquiry(session, inquiry("ventilators-on-hold"), now=FIXED_NOW)
    return older.case.id, urgent.case.id


def test_case_list_orders_the_queue_by_urgency(run, db, filed):
    older, urgent = filed

    result = run(*db, "case", "list", "--json")

    assert result.exit_code == 0, result.stderr
    assert [row["number"] for row in json.loads(result.stdout)] == [urgent, older]
    text = run(*db, "case", "list").stdout.splitlines()
    assert text[0].startswith(f"{urgent}  P1  triaged  ventilators held")


def test_case_assign_reply_close_and_show(run, db, filed):
    _, number = filed
    assert (
        run(*db, "case", "assign", number, "--to", "officer-9", "--operator", "officer-7").exit_code
        == 0
    )
    assert (
        run(*db, "case", "link", number, "ABC-1234567-8", "--operator", "officer-7").exit_code == 0
    )
    assert (
        run(*db, "case", "escalate", number, "FDA review", "--operator", "officer-9").exit_code == 0
    )
    replied = run(*db, "case", "reply", number, "Released by FDA.", "--operator", "officer-9")
    assert replied.exit_code == 0, replied.stderr
    closed = run(
        *db,
        "case",
        "close",
        number,
        "--resolution",
        "released",
        "--operator",
        "officer-9",
        "--json",
    )

    document = json.loads(closed.stdout)
    assert document["state"] == "closed"
    assert document["assignee"] == "officer-9"
    assert document["linked_entries"] == ["ABC-1234567-8"]
    assert [e["action"] for e in document["history"]][2:] == [
        "assign",
        "link_entry",
        "escalate",
        "answer",
        "close",
    ]
    assert [e["actor"] for e in document["history"]][2:4] == ["officer-7", "officer-7"]
    shown = run(*db, "case", "show", number)
    assert "officer-9  answer: Released by FDA." in shown.stdout
    assert run(*db, "case", "list", "--json").stdout.count(number) == 0
    assert number in run(*db, "case", "list", "--all").stdout


def test_case_request_info_then_a_closed_case_refuses_changes(run, db, filed):
    _, number = filed
    run(*db, "case", "assign", number, "--operator", "officer-7")
    asked = run(
        *db, "case", "request-info", number, "Send the FDA code.", "--operator", "officer-7"
    )
    assert (
        json.loads(run(*db, "case", "show", number, "--json").stdout)["state"]
        == "awaiting_requester"
    )
    assert asked.exit_code == 0
    run(*db, "case", "close", number, "--resolution", "no_response", "--operator", "officer-7")

    result = run(*db, "case", "reply", number, "late", "--operator", "officer-7")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: conflict: case ")


def test_case_show_unknown_number_is_not_found(run, db, filed):
    result = run(*db, "case", "show", "CRT-2026-999999")

    assert result.exit_code == 1
    assert result.stderr == "error: not_found: case CRT-2026-999999 not found\n"


def test_case_changes_need_an_operator_name(run, db, filed):
    assert run(*db, "case", "reply", filed[1], "x").exit_code == 2


def test_triage_rules_load_and_show(run, db, filed, tmp_path):
    folder = resources.files("tradetrace.facilitation.cases").joinpath("data")
    rules = json.loads(folder.joinpath("triage-rules.json").read_text())
    rules["version"] = "2020-05-01"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules))

    loaded = run(
        *db, "case", "triage-rules", "load", str(path), "--operator", "officer-7", "--json"
    )

    assert loaded.exit_code == 0, loaded.stderr
    assert json.loads(loaded.stdout) == {
        "revision": 1,
        "version": "2020-05-01",
        "changed_by": "officer-7",
    }
    shown = json.loads(run(*db, "case", "triage-rules", "show", "--json").stdout)
    assert (shown["revision"], shown["changed_by"]) == (1, "officer-7")
    path.write_text(json.dumps({**rules, "priorities": []}))
    bad = run(*db, "case", "triage-rules", "load", str(path), "--operator", "officer-7")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: invalid_document: invalid triage rules: ")
    assert "priorities must list p1, p2, p3 and p4" in bad.stderr


def test_guidance_set_and_list(run, db, filed):
    older, _ = filed
    saved = run(
        *db,
        "guidance",
        "set",
        "exam-tables",
        "--question",
        "How are exam tables classified?",
        "--answer",
        "Heading 9402.",
        "--category",
        "classification_duty",
        "--reviewed",
        "2020-04-20",
        "--case",
        older,
        "--operator",
        "officer-7",
        "--json",
    )
    assert saved.exit_code == 0, saved.stderr
    assert json.loads(saved.stdout)["case_numbers"] == [older]

    found = json.loads(run(*db, "guidance", "list", "--search", "EXAM tables", "--json").stdout)
    assert [entry["slug"] for entry in found] == ["exam-tables"]
    assert found[0]["last_reviewed"] == "2020-04-20"
    assert run(*db, "guidance", "list", "--search", "ventilator").stdout == ""
    bad = run(
        *db,
        "guidance",
        "set",
        "x",
        "--question",
        "Why is it so?",
        "--answer",
        "a",
        "--case",
        "CRT-2020-999999",
        "--operator",
        "officer-7",
    )
    assert bad.exit_code == 1
    assert "case_numbers[0]: case CRT-2020-999999 not found" in bad.stderr
