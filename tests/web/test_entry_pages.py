"""The officer's entry pages: sign-in, the list with recommendations, one entry explained."""

import json

import pytest

from tests.api.desk import OPERATOR, OPERATOR_TOKEN, Clock, desk_client
from tests.conftest import ASSETS, FIXED_NOW

ENTRY = json.loads((ASSETS / "customs" / "usmca-conductors-entry.json").read_text())
NUMBER = "B76-0251001-1"


@pytest.fixture
def desk(settings, engine):
    with desk_client(settings, engine, Clock(FIXED_NOW)) as client:
        yield client


def test_entry_pages_need_a_signed_in_operator_and_come_back_after_sign_in(desk):
    page = desk.get("/entries")
    assert "Operator token" in page.text
    assert 'name="next" value="/entries"' in page.text
    signed = desk.post(
        "/cases/login", data={"token": OPERATOR_TOKEN, "next": "/entries"}, follow_redirects=False
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/entries"
    elsewhere = desk.post(
        "/cases/login", data={"token": OPERATOR_TOKEN, "next": "//evil.example/"},
        follow_redirects=False,
    )  # fmt: skip
    assert elsewhere.headers["location"] == "/cases"


def test_list_and_entry_show_the_decision(desk):
    desk.post("/api/entries", json={"entry": ENTRY}, headers=OPERATOR)
    desk.cookies.set("tradetrace_operator", OPERATOR_TOKEN, path="/")
    listed = desk.get("/entries").text
    assert f'href="/entries/{NUMBER}"' in listed and "not assessed" in listed
    decided = desk.post(f"/api/entries/{NUMBER}/assess", headers=OPERATOR).json()
    listed = desk.get("/entries").text
    assert decided["recommendation"].replace("_", " ") in listed
    page = desk.get(f"/entries/{NUMBER}")
    assert page.status_code == 200
    assert "8544429090" in page.text
    assert f"Decision {decided['id']}" in page.text
    assert decided["digest"] in page.text
    assert f"Entry {NUMBER} (type 01)" in page.text  # the explanation, in plain words


def test_unknown_entry_is_404(desk):
    desk.cookies.set("tradetrace_operator", OPERATOR_TOKEN, path="/")
    assert desk.get("/entries/B76-0000000-0").status_code == 404
