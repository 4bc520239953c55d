"""The help desk, case, guidance and relief pages render and drive the same workflows."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.api.desk import OPERATOR_TOKEN, Clock, desk_client, inquiry
from tradetrace.facilitation.relief.report import Breakdown
from tradetrace.web.forms import nest_form
from tradetrace.web.relief import bars
from tradetrace.workflows import facilitation_demo

NOW = datetime(2020, 4, 20, 12, 0, tzinfo=UTC)
FORM = {
    "category": "cargo_hold",
    "subject": "Masks held at LAX",
    "message": "Two pallets of surgical masks are on hold.",
    "contact.name": "Dana Reyes",
    "contact.organisation": "Mercy Hospital Supply",
    "contact.email": "dana@example.org",
    "contact.kind": "importer",
    "contact.agency": "",
    "shipment.mode": "air",
    "shipment.status": "on_hold",
    "shipment.air_waybill_numbers": "589-81140743",
    "conveyance.carrier": "Atlas Air",
    "conveyance.flight_number": "5Y 8140",
    "conveyance.port_of_arrival": "2720",
    "conveyance.port_of_entry": "2720",
    "goods[0].description": "surgical face masks",
    "goods[0].hts_code": "6307.90.9889",
    "goods[1].description": "",
}


@pytest.fixture
def desk(settings, engine):
    with desk_client(settings, engine, Clock(NOW)) as client:
        yield client


def _sign_in(desk):
    response = desk.post("/cases/login", data={"token": OPERATOR_TOKEN}, follow_redirects=False)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/;" in cookie
    desk.cookies.set("tradetrace_operator", OPERATOR_TOKEN, path="/")


def test_nest_form_builds_the_inquiry_document():
    fields = [
        ("shipment.entry_numbers", "ABC-1234567-8, XYZ-7654321-0\n"),
        ("goods[1].hts_code", "9019"),
        ("contact.phone", "  "),
        ("bad..name", "x"),
        ("subject", " s "),
    ]

    document = nest_form(fields, lists=frozenset({"entry_numbers"}))

    assert document == {
        "shipment": {"entry_numbers": ["ABC-1234567-8", "XYZ-7654321-0"]},
        "goods": [{"hts_code": "9019"}],
        "subject": "s",
    }


def test_public_form_files_a_case_and_redirects_to_its_private_status_page(desk):
    response = desk.post("/help/inquiry", data=FORM, follow_redirects=False)

    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/help/cases/[A-Za-z0-9_-]{40,}\?new=1", location)
    page = desk.get(location)
    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert "Case CRT-2020-000001" in page.text
    assert "Two pallets of surgical masks are on hold." in page.text


def test_public_form_shows_each_problem_and_keeps_the_values(desk):
    data = {**FORM, "contact.email": "nope", "goods[0].hts_code": "12"}

    page = desk.post("/help/inquiry", data=data)

    assert page.status_code == 200
    assert 'value="Masks held at LAX"' in page.text
    assert "<code>contact.email</code>" in page.text
    assert "<code>goods[0].hts_code</code>" in page.text


def test_unknown_status_link_is_404(desk):
    assert desk.get("/help/cases/not-a-real-token").status_code == 404


def test_queue_needs_sign_in_and_shows_cases_by_urgency(desk):
    desk.post("/api/cases", json=inquiry("classification-question"))
    desk.post("/api/cases", json=inquiry("ventilators-on-hold"))

    assert "Operator token" in desk.get("/cases").text
    wrong = desk.post("/cases/login", data={"token": "wrong-token-123456"})
    assert "the operator token is not valid" in wrong.text
    _sign_in(desk)
    page = desk.get("/cases").text

    assert page.index("CRT-2020-000002") < page.index("CRT-2020-000001")
    assert "signed in as <strong>officer-7</strong>" in page
    assert "due in 4h" in page


def test_operator_answers_on_the_case_page_and_the_requester_sees_it(desk):
    created = desk.post("/api/cases", json=inquiry("ventilators-on-hold")).json()
    number = created["number"]
    _sign_in(desk)

    for data in ({"action": "assign", "text": ""}, {"action": "answer", "text": "Released."}):
        response = desk.post(f"/cases/{number}/act", data=data, follow_redirects=False)
        assert response.status_code == 303

    case_page = desk.get(f"/cases/{number}").text
    assert "critical-medical-goods" in case_page
    assert "officer-7" in case_page and "Released." in case_page
    status = desk.get(f"/help/cases/{created['status_token']}").text
    assert "Released." in status and "answered" in status
    reply = desk.post(f"/help/cases/{created['status_token']}/reply", data={"message": "Thanks"})
    assert reply.status_code == 200
    assert "Thanks" in reply.text


def test_case_page_action_errors_are_shown(desk):
    number = desk.post("/api/cases", json=inquiry("ppe-guidance")).json()["number"]
    _sign_in(desk)

    page = desk.post(f"/cases/{number}/act", data={"action": "answer", "text": "x"})

    assert "conflict: case CRT-2020-000001 cannot answer in state triaged" in page.text


def test_case_actions_without_sign_in_are_401(desk):
    number = desk.post("/api/cases", json=inquiry("ppe-guidance")).json()["number"]

    response = desk.post(f"/cases/{number}/act", data={"action": "close", "resolution": "answered"})

    assert response.status_code == 401


def test_demo_pages_render(desk, session):
    facilitation_demo.load_demo_facilitation(session, now=NOW)

    guidance = desk.get("/help/guidance", params={"q": "masks"}).text
    relief = desk.get("/relief").text

    assert "How are disposable textile face masks classified?" in guidance
    assert "last reviewed 2020-04-20" in guidance
    assert "Cargo on hold" not in guidance
    assert "<svg" in relief and "Dollars deferred by port of entry" in relief
    assert "2704 Los Angeles, CA" in relief
    assert desk.get("/help/inquiry").status_code == 200


def test_relief_page_without_entries_says_how_to_load_some(desk):
    assert "tradetrace relief simulate" in desk.get("/relief").text


def test_bars_scale_to_the_largest_group():
    groups = {"a": Breakdown(1, 1, Decimal("50")), "b": Breakdown(2, 3, Decimal("200"))}

    result = bars(groups)

    assert [(bar.label, bar.share) for bar in result] == [("b", 1.0), ("a", 0.25)]
    assert bars({}) == []


def test_queue_filters_case_page_sign_in_triage_and_sign_out(desk):
    number = desk.post("/api/cases", json=inquiry("ppe-guidance")).json()["number"]
    assert "Operator token" in desk.get(f"/cases/{number}").text
    _sign_in(desk)

    every = desk.get("/cases", params={"scope": "all", "category": "ppe_guidance"}).text
    mine = desk.get("/cases", params={"mine": 1}).text
    retriaged = desk.post(f"/cases/{number}/act", data={"action": "triage", "text": "p2"})
    unknown = desk.post(f"/cases/{number}/act", data={"action": "dance"})
    signed_out = desk.post("/cases/logout", follow_redirects=False)

    assert number in every
    assert number not in mine
    assert retriaged.status_code == 200
    assert "base P2 (set by an operator)" in retriaged.text
    assert "unknown case action &#39;dance&#39;" in unknown.text
    assert 'tradetrace_operator=""' in signed_out.headers["set-cookie"]
