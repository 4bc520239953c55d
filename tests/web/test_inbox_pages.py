"""The customs inbox pages: operators only, grouped by workflow instance, one page per instance."""

from urllib.parse import quote

import pytest

from tests.api.desk import OPERATOR_TOKEN, Clock, desk_client
from tests.api.interop import WORKFLOW, send_presentation
from tests.conftest import FIXED_NOW
from tradetrace.credentials import model

INSTANCE = WORKFLOW["instance"][0]


@pytest.fixture
def console(settings, engine):
    with desk_client(settings, engine, Clock(FIXED_NOW)) as client:
        yield client


@pytest.fixture
def received(console):
    return send_presentation(console)


def test_inbox_asks_for_the_operator_token_first(console, received):
    page = console.get("/inbox")
    assert page.status_code == 200
    assert 'action="/cases/login"' in page.text
    assert 'name="next" value="/inbox"' in page.text
    assert received["id"] not in page.text
    instance = console.get(f"/inbox/instance?id={quote(INSTANCE, safe='')}")
    assert f'value="/inbox/instance?id={quote(INSTANCE, safe="")}"' in instance.text
    assert received["id"] not in instance.text


def test_inbox_lists_presentations_by_instance(console, received):
    console.cookies.set("tradetrace_operator", OPERATOR_TOKEN, path="/")
    page = console.get("/inbox")
    assert page.status_code == 200
    assert f'href="/inbox/instance?id={quote(INSTANCE, safe="")}"' in page.text
    assert received["id"] in page.text
    assert received["holder"] in page.text
    assert '<span class="good">verified</span>' in page.text
    assert "2026-11-27 12:00:00 UTC" in page.text
    assert 'href="/inbox" aria-current="page"' in page.text


def test_instance_page_shows_the_case_credentials(console, received):
    console.cookies.set("tradetrace_operator", OPERATOR_TOKEN, path="/")
    page = console.get("/inbox/instance", params={"id": INSTANCE})
    assert page.status_code == 200
    assert received["id"] in page.text
    digest = model.secured_digest(received["verifiableCredential"][0])
    assert digest in page.text
    missing = console.get("/inbox/instance", params={"id": "urn:uuid:nothing"})
    assert missing.status_code == 404
