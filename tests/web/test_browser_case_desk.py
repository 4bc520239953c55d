"""End to end in headless Chromium against a real server process: a requester files an
inquiry through the public form, an operator signs in and answers it on the case page, and the
requester's status page shows the answer.

The ``server`` and ``browser`` fixtures are in ``conftest.py``.
"""

from __future__ import annotations

from tests.web.conftest import OPERATOR_TOKEN


def test_requester_files_operator_answers_requester_sees_the_answer(server, browser):
    requester = browser.new_context().new_page()
    requester.goto(f"{server.base}/help/inquiry")
    requester.select_option("#category", "cargo_hold")
    requester.fill("#subject", "Ventilators held at O'Hare")
    requester.fill("#message", "Twenty ICU ventilators are on hold; hospitals are waiting.")
    requester.fill("[id='contact.name']", "Dana Reyes")
    requester.fill("[id='contact.organisation']", "Mercy Hospital Supply")
    requester.fill("[id='contact.email']", "dana@example.org")
    requester.select_option("[id='contact.kind']", "importer")
    requester.fill("[id='goods[0].description']", "ICU ventilators")
    requester.fill("[id='goods[0].hts_code']", "9019.20.0000")
    requester.select_option("[id='shipment.mode']", "air")
    requester.select_option("[id='shipment.status']", "on_hold")
    requester.fill("[id='shipment.air_waybill_numbers']", "589-81140743")
    requester.fill("[id='conveyance.carrier']", "Atlas Air")
    requester.fill("[id='conveyance.flight_number']", "5Y8140")
    requester.fill("[id='conveyance.port_of_arrival']", "3901")
    requester.fill("[id='conveyance.port_of_entry']", "3901")
    requester.click("button[type=submit]")

    requester.wait_for_url("**/help/cases/**")
    status_url = requester.url.split("?")[0]
    heading = requester.text_content("h1") or ""
    assert heading.startswith("Case CRT-")
    number = heading.removeprefix("Case ").strip()
    assert "Your inquiry was received" in requester.content()

    operator = browser.new_context().new_page()
    operator.goto(f"{server.base}/cases")
    operator.fill("#token", OPERATOR_TOKEN)
    operator.click("button[type=submit]")
    operator.wait_for_selector("table.queue")
    assert "P1" in (operator.text_content("table.queue") or "")
    operator.click(f"text={number}")
    operator.wait_for_url(f"**/cases/{number}")
    with operator.expect_navigation(url=f"**/cases/{number}#timeline"):
        operator.click("form:has(input[value=assign]) button")  # blank assignee: the operator
    assert (operator.text_content("#state") or "").strip() == "assigned"
    operator.fill("form:has(input[value=answer]) textarea", "FDA released the shipment today.")
    with operator.expect_navigation(url=f"**/cases/{number}#timeline"):
        operator.click("form:has(input[value=answer]) button")
    assert (operator.text_content("#state") or "").strip() == "answered"

    requester.goto(status_url)
    assert (requester.text_content("#status") or "").strip() == "answered"
    assert "FDA released the shipment today." in (requester.text_content(".timeline") or "")
