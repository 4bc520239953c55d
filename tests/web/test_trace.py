"""The trace page: form, swim-lane SVG, events with receipts."""

from tests.api.test_epcis import _load_chain
from tests.workflows import supply_chains


def test_trace_page_draws_the_graph(client):
    chain = supply_chains.oil()
    _load_chain(client, chain)
    page = client.get("/trace", params={"id": chain.finished})
    assert page.status_code == 200
    assert "<svg" in page.text and "No faults." in page.text
    assert "gln:0614141" in page.text
    empty = client.get("/trace")
    assert "Trace</button>" in empty.text
    unknown = client.get("/trace", params={"id": "urn:example:nothing"})
    assert "not_found" in unknown.text
