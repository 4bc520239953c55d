from tests.conftest import ADMIN

STRIDE = {
    "number": "TMK 24-00123",
    "kind": "trademark",
    "mark": "STRIDE",
    "owner": "Stride Athletics Inc.",
    "owner_did": "did:web:stride-athletics.example.com",
    "valid_until": "2034-10-31",
    "goods": ["6402", "6403"],
}


def test_record_then_read(client):
    created = client.post("/api/recordations", json=STRIDE, headers=ADMIN)
    assert created.status_code == 201, created.text
    assert created.json() == STRIDE
    assert client.get("/api/recordations").json() == {"items": [STRIDE]}
    assert client.get("/api/recordations", params={"on": "2034-11-01"}).json() == {"items": []}
    assert client.get("/api/recordations/TMK 24-00123").json() == STRIDE
    taken = client.post("/api/recordations", json=STRIDE, headers=ADMIN)
    assert (taken.status_code, taken.json()["code"]) == (409, "conflict")
    renewed = client.post(
        "/api/recordations", json={**STRIDE, "valid_until": "2044-10-31", "replace": True},
        headers=ADMIN,
    )  # fmt: skip
    assert renewed.json()["valid_until"] == "2044-10-31"


def test_recording_takes_an_operator_and_valid_fields(client):
    anonymous = client.post("/api/recordations", json=STRIDE)
    assert anonymous.status_code == 401
    bad = client.post(
        "/api/recordations", json={**STRIDE, "kind": "patent", "goods": ["6"]}, headers=ADMIN
    )
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json()["errors"]] == ["kind", "goods[0]"]
    missing = client.get("/api/recordations/COP 00-00000")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
