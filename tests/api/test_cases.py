"""The case desk over HTTP: filing, the triage order, service-level timers, permissions."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest
from sqlalchemy import select

from tests.api.desk import (
    OPERATOR,
    OTHER_OPERATOR_TOKEN,
    Clock,
    bearer,
    desk_client,
    inquiry,
)
from tradetrace.api.errors import PROBLEM_MEDIA_TYPE
from tradetrace.storage.facilitation_tables import InquiryCaseRow

T0 = datetime(2020, 4, 14, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    return Clock(T0)


@pytest.fixture
def desk(settings, engine, clock):
    with desk_client(settings, engine, clock) as client:
        yield client


def _file(desk, name, **overrides):
    response = desk.post("/api/cases", json=inquiry(name, **overrides))
    assert response.status_code == 201, response.text
    return response.json()


def _problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["code"] == code
    return response.json()


def test_create_case_returns_number_and_status_link_stored_hashed(desk, session):
    created = _file(desk, "ventilators-on-hold")

    assert created["number"] == "CRT-2020-000001"
    assert created["state"] == "triaged"
    assert created["priority"] == "p1"
    assert created["status_url"].endswith(f"/help/cases/{created['status_token']}")
    assert len(created["status_token"]) >= 32
    row = session.scalars(select(InquiryCaseRow)).one()
    assert row.status_token_hash == hashlib.sha256(created["status_token"].encode()).hexdigest()
    assert created["status_token"] not in json.dumps(row.inquiry)


def test_create_case_names_every_invalid_field(desk):
    data = inquiry("ventilators-on-hold", shipment=None, goods=[{"description": "x"}])
    data["contact"] = {**data["contact"], "email": "not-an-email"}

    body = _problem(desk.post("/api/cases", json=data), 400, "invalid_document")

    assert {"contact.email", "goods[0].description"} <= {e["field"] for e in body["errors"]}


def test_queue_puts_ventilators_on_hold_before_an_older_classification_question(desk, clock):
    older = _file(desk, "classification-question")
    clock.advance(hours=2)
    urgent = _file(desk, "ventilators-on-hold")
    clock.advance(hours=1)

    items = desk.get("/api/cases", headers=OPERATOR).json()["items"]

    assert [item["number"] for item in items] == [urgent["number"], older["number"]]
    assert [item["priority"] for item in items] == ["p1", "p4"]
    case = desk.get(f"/api/cases/{urgent['number']}", headers=OPERATOR).json()
    assert {reason["rule_id"] for reason in case["reasons"]} == {
        "critical-medical-goods",
        "cargo-on-hold",
        "category-cargo-hold",
    }


def test_timers_due_by_follows_the_service_level_and_overdue_cases_rise(desk, clock):
    low = _file(desk, "ppe-guidance")
    urgent = _file(desk, "ventilators-on-hold")
    assert low["due_by"] == "2020-04-19T09:00:00Z"  # p4: 120 hours
    assert urgent["due_by"] == "2020-04-14T13:00:00Z"  # p1: 4 hours

    def state(number):
        item = desk.get(f"/api/cases/{number}", headers=OPERATOR).json()
        return item["priority"], item["overdue"]

    clock.advance(hours=5)
    assert state(urgent["number"]) == ("p1", True)
    assert state(low["number"]) == ("p4", False)
    clock.advance(days=4)  # 4 days of age: 20 points, p3
    assert state(low["number"]) == ("p3", False)
    clock.advance(days=1)  # past its 120-hour service level: one level more urgent
    assert state(low["number"]) == ("p2", True)


def test_operator_steps_are_recorded_with_who_and_when(desk, clock):
    number = _file(desk, "ventilators-on-hold")["number"]
    steps = [
        ("assign", {}),
        ("escalate", {"reason": "FDA review at ORD"}),
        ("entries", {"entry_number": "abc12345678"}),
        ("answer", {"message": "Released by FDA."}),
        ("close", {"resolution": "released", "note": "FDA may-proceed"}),
    ]
    for path, body in steps:
        clock.advance(minutes=10)
        response = desk.post(f"/api/cases/{number}/{path}", json=body, headers=OPERATOR)
        assert response.status_code == 200, response.text

    case = response.json()
    assert case["state"] == "closed"
    assert case["resolution"] == "released"
    assert case["assignee"] == "officer-7"
    assert case["linked_entries"] == ["ABC-1234567-8"]
    history = case["history"]
    assert [e["action"] for e in history] == [
        "open",
        "triage",
        "assign",
        "escalate",
        "link_entry",
        "answer",
        "close",
    ]
    assert [e["actor"] for e in history[:2]] == [history[0]["actor"], "triage-rules"]
    assert {e["actor"] for e in history[2:]} == {"officer-7"}
    assert history[-1]["at"] == "2020-04-14T09:50:00Z"
    assert history[-1]["note"] == "released: FDA may-proceed"


def test_requester_sees_answers_but_not_internal_notes_and_can_reply(desk, clock):
    created = _file(desk, "ventilators-on-hold")
    number, token = created["number"], created["status_token"]
    desk.post(f"/api/cases/{number}/escalate", json={"reason": "internal: FDA"}, headers=OPERATOR)
    desk.post(f"/api/cases/{number}/answer", json={"message": "Cleared."}, headers=OPERATOR)
    clock.advance(minutes=5)

    reply = desk.post(
        f"/api/cases/{number}/replies", json={"message": "Thank you!"}, headers=bearer(token)
    )

    assert reply.status_code == 200
    view = desk.get(f"/api/cases/{number}", headers=bearer(token)).json()
    assert view["status"] == "answered"
    assert [(m["author"], m["kind"], m["text"]) for m in view["messages"]][1:] == [
        ("desk", "answer", "Cleared."),
        ("you", "reply", "Thank you!"),
    ]
    assert "internal: FDA" not in json.dumps(view)
    assert "history" not in view
    queue = desk.get("/api/cases", headers=OPERATOR).json()["items"]
    assert queue[0]["reply_pending"] is True


@pytest.mark.parametrize("headers", [{}, bearer("not-a-token"), {"Authorization": "Basic x"}])
def test_changing_state_without_an_operator_token_is_401(desk, headers):
    number = _file(desk, "ppe-guidance")["number"]

    body = _problem(
        desk.post(f"/api/cases/{number}/answer", json={"message": "x"}, headers=headers),
        401,
        "unauthorized",
    )

    assert body["detail"] in {"an operator token is required", "the operator token is not valid"}
    _problem(desk.get("/api/cases", headers=headers), 401, "unauthorized")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("answer", {"message": "I answer myself"}),
        ("assign", {}),
        ("close", {"resolution": "answered"}),
        ("escalate", {"reason": "x"}),
        ("entries", {"entry_number": "ABC-1234567-8"}),
        ("triage", {"priority": "p1"}),
    ],
)
def test_a_requester_cannot_change_state(desk, path, body):
    created = _file(desk, "ppe-guidance")

    response = desk.post(
        f"/api/cases/{created['number']}/{path}", json=body, headers=bearer(created["status_token"])
    )

    assert _problem(response, 403, "forbidden")["detail"].startswith("only operators can")
    state = desk.get(f"/api/cases/{created['number']}", headers=OPERATOR).json()["state"]
    assert state == "triaged"


def test_a_requester_sees_and_replies_to_only_their_own_case(desk):
    mine = _file(desk, "ppe-guidance")
    theirs = _file(desk, "classification-question")
    token = bearer(mine["status_token"])

    read = desk.get(f"/api/cases/{theirs['number']}", headers=token)
    write = desk.post(
        f"/api/cases/{theirs['number']}/replies", json={"message": "hi"}, headers=token
    )
    missing = desk.get("/api/cases/CRT-2020-999999", headers=token)

    assert _problem(read, 403, "forbidden")["detail"].endswith(theirs["number"])
    _problem(write, 403, "forbidden")
    _problem(missing, 403, "forbidden")  # a requester cannot probe which cases exist
    _problem(desk.get("/api/cases", headers=token), 401, "unauthorized")


def test_an_operator_cannot_reply_as_the_requester(desk):
    number = _file(desk, "ppe-guidance")["number"]

    response = desk.post(f"/api/cases/{number}/replies", json={"message": "x"}, headers=OPERATOR)

    assert "only the requester" in _problem(response, 403, "forbidden")["detail"]


def test_a_step_the_state_does_not_allow_is_409(desk):
    number = _file(desk, "ppe-guidance")["number"]
    desk.post(f"/api/cases/{number}/close", json={"resolution": "withdrawn"}, headers=OPERATOR)

    response = desk.post(f"/api/cases/{number}/answer", json={"message": "x"}, headers=OPERATOR)

    assert "in state closed" in _problem(response, 409, "conflict")["detail"]


def test_linking_a_malformed_entry_number_names_the_field(desk):
    number = _file(desk, "ppe-guidance")["number"]
    desk.post(f"/api/cases/{number}/assign", json={"assignee": "officer-9"}, headers=OPERATOR)

    response = desk.post(
        f"/api/cases/{number}/entries", json={"entry_number": "12"}, headers=OPERATOR
    )

    assert _problem(response, 400, "invalid_document")["errors"][0]["field"] == "entry_number"


def test_queue_filters_by_assignee_and_lists_all_cases(desk):
    first = _file(desk, "ppe-guidance")["number"]
    second = _file(desk, "classification-question")["number"]
    desk.post(f"/api/cases/{first}/assign", json={}, headers=bearer(OTHER_OPERATOR_TOKEN))
    desk.post(f"/api/cases/{second}/close", json={"resolution": "duplicate"}, headers=OPERATOR)

    mine = desk.get("/api/cases?assignee=officer-9", headers=OPERATOR).json()["items"]
    queue = desk.get("/api/cases", headers=OPERATOR).json()["items"]
    closed = desk.get("/api/cases?state=closed", headers=OPERATOR).json()["items"]
    every = desk.get("/api/cases?scope=all", headers=OPERATOR).json()["items"]

    assert [item["number"] for item in mine] == [first]
    assert [item["number"] for item in queue] == [first]
    assert [item["number"] for item in closed] == [second]
    assert {item["number"] for item in every} == {first, second}


def _rules():
    folder = resources.files("tradetrace.facilitation.cases").joinpath("data")
    return json.loads(folder.joinpath("triage-rules.json").read_text())


def test_operators_edit_the_triage_rules_and_new_cases_follow_them(desk):
    rules = _rules()
    rules["version"] = "2020-04-20"
    for rule in rules["rules"]:
        if rule["kind"] == "category" and rule["category"] == "cargo_hold":
            rule["points"] = 0
    rules["rules"].append(
        {
            "id": "ppe",
            "kind": "category",
            "category": "ppe_guidance",
            "points": 100,
            "description": "PPE questions first this week",
        }
    )

    stored = desk.put("/api/triage-rules", json=rules, headers=OPERATOR)

    assert stored.status_code == 200, stored.text
    assert stored.json()["revision"] == 1
    assert stored.json()["changed_by"] == "officer-7"
    assert stored.json()["version"] == "2020-04-20"
    assert _file(desk, "ppe-guidance")["priority"] == "p1"
    current = desk.get("/api/triage-rules", headers=OPERATOR).json()
    assert current["rules"]["rules"][-1]["id"] == "ppe"


def test_invalid_triage_rules_are_refused_field_by_field(desk):
    rules = _rules()
    rules["priorities"][3]["min_score"] = 5
    rules["rules"][0]["list"] = "no-such-list"

    response = desk.put("/api/triage-rules", json=rules, headers=OPERATOR)

    assert _problem(response, 400, "invalid_document")["errors"]
    assert desk.get("/api/triage-rules", headers=OPERATOR).json()["revision"] is None
    _problem(desk.put("/api/triage-rules", json=_rules()), 401, "unauthorized")


def test_every_case_event_time_comes_from_the_clock(desk, clock):
    created = _file(desk, "ppe-guidance")
    clock.advance(hours=30)
    case = desk.post(f"/api/cases/{created['number']}/assign", json={}, headers=OPERATOR).json()

    times = [datetime.fromisoformat(e["at"]) for e in case["history"]]
    assert times == [T0, T0, T0 + timedelta(hours=30)]


def test_operator_overrides_priority_and_requester_sees_requests_and_closing(desk, clock):
    created = _file(desk, "classification-question")
    number, token = created["number"], created["status_token"]

    triaged = desk.post(f"/api/cases/{number}/triage", json={"priority": "p1"}, headers=OPERATOR)
    desk.post(f"/api/cases/{number}/assign", json={}, headers=OPERATOR)
    asked = desk.post(
        f"/api/cases/{number}/request-information",
        json={"message": "Steel or wood?"},
        headers=OPERATOR,
    )
    desk.post(f"/api/cases/{number}/close", json={"resolution": "no_response"}, headers=OPERATOR)

    assert (triaged.json()["priority"], triaged.json()["base_priority"]) == ("p1", "p1")
    assert triaged.json()["due_by"] == "2020-04-14T13:00:00Z"
    assert asked.json()["state"] == "awaiting_requester"
    view = desk.get(f"/api/cases/{number}", headers=bearer(token)).json()
    assert [(m["kind"], m["text"]) for m in view["messages"]][1:] == [
        ("request_information", "Steel or wood?"),
        ("closed", "closed: no response"),
    ]
    assert (view["status"], view["resolution"]) == ("closed", "no_response")
