"""EPCIS over HTTP: capture jobs, queries with paging, traces, FSMA 204 sheets, the web page."""

import io
import json
import zipfile

from tests.workflows import supply_chains
from tests.workflows.epcis_support import example


def _capture(client, data):
    response = client.post("/epcis/capture", json=data)
    assert response.status_code == 202, response.text
    job = client.get(response.headers["location"])
    assert job.status_code == 200
    return job.json()


def test_capture_answers_202_with_the_job_location(client):
    response = client.post("/epcis/capture", json=example("ObjectEvent"))
    assert response.status_code == 202
    assert response.headers["location"].startswith("/epcis/capture/")
    assert response.headers["gs1-epcis-version"] == "2.0.0"
    job = client.get(response.headers["location"]).json()
    assert job["success"] is True and job["running"] is False
    assert job["captureErrorBehaviour"] == "rollback"


def test_rejected_capture_job_lists_errors_by_event_and_field(client, asset):
    data = json.loads(asset("epcis/invalid-action.json").read_text())
    job = _capture(client, data)
    assert job["success"] is False
    [error] = [e for e in job["errors"] if e["field"] == "epcisBody.eventList[1].action"]
    assert error["event_index"] == 1
    assert error["status"] == 400


def test_capture_refuses_proceed_behaviour_and_non_json(client):
    response = client.post(
        "/epcis/capture",
        json=example("ObjectEvent"),
        headers={"GS1-Capture-Error-Behaviour": "proceed"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "GS1-Capture-Error-Behaviour"
    broken = client.post(
        "/epcis/capture", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json()["code"] == "invalid_document"


def test_unknown_capture_job_is_404(client):
    assert client.get("/epcis/capture/nope").json()["code"] == "not_found"


def test_query_filters_and_pages(client):
    for name in ("ObjectEvent", "AggregationEvent", "TransformationEvent"):
        _capture(client, example(name))
    everything = client.get("/epcis/events").json()
    total = len(everything["epcisBody"]["queryResults"]["resultsBody"]["eventList"])
    assert everything["type"] == "EPCISQueryDocument"
    seen = []
    url = "/epcis/events?perPage=2"
    while url:
        page = client.get(url)
        assert page.status_code == 200
        seen += page.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        link = page.headers.get("link")
        url = link[1 : link.index(">")].removeprefix("http://testserver") if link else None
    assert len(seen) == total
    assert all("eventID" in event and "recordTime" in event for event in seen)
    only = client.get("/epcis/events", params={"eventType": "AggregationEvent"}).json()
    kinds = {e["type"] for e in only["epcisBody"]["queryResults"]["resultsBody"]["eventList"]}
    assert kinds == {"AggregationEvent"}


def test_query_by_epc_in_either_spelling(client):
    _capture(client, example("ObjectEvent"))
    data = example("ObjectEvent")
    epc = next(e["epcList"][0] for e in data["epcisBody"]["eventList"] if e.get("epcList"))
    found = client.get("/epcis/events", params={"MATCH_epc": epc}).json()
    events = found["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert events and all(epc in event.get("epcList", []) for event in events)


def test_bad_query_parameters_are_named(client):
    response = client.get("/epcis/events", params={"GE_eventTime": "yesterday", "EQ_colour": "x"})
    assert response.status_code == 400
    fields = {item["field"] for item in response.json()["errors"]}
    assert fields == {"GE_eventTime", "EQ_colour"}


def _load_chain(client, chain):
    for _, data in chain.documents():
        assert _capture(client, data)["success"]


def test_trace_and_profile_over_http(client):
    chain = supply_chains.steel(fault="mass_balance")
    _load_chain(client, chain)
    report = client.get(f"/trace/{chain.finished}").json()
    assert report["direction"] == "backward"
    assert [f["kind"] for f in report["findings"]] == ["mass_balance"]
    assert all(e["receipt"].startswith("c2sp.org/tlog-proof") for e in report["events"])
    profile = client.get(f"/trace/{chain.finished}/profile", params={"domain": "steel"}).json()
    assert profile["complete"] is False
    assert {gap["requirement"] for gap in profile["gaps"]} == {"balance"}
    missing = client.get("/trace/https://id.gs1.org/01/09521234543213/10/NONE")
    assert missing.status_code == 404


def test_fsma_spreadsheet_as_csv_and_xlsx(client):
    _load_chain(client, supply_chains.food())
    params = {
        "product": "06141410021019",
        "start": "2026-10-01T00:00:00Z",
        "end": "2026-10-03T00:00:00Z",
    }
    sheet = client.get("/epcis/fsma204", params=params)
    assert sheet.status_code == 200
    assert sheet.text.startswith("Traceability Lot Code (TLC)")
    xlsx = client.get("/epcis/fsma204", params={**params, "format": "xlsx"})
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "initial_packing" in sheet_xml and "<autoFilter" in sheet_xml
