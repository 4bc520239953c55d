from tests.conftest import ADMIN

MILL = "did:web:localhost%3A8000:orgs:acme-steel"
CBP = "did:web:localhost%3A8000"


def test_accredit_then_check(client):
    created = client.post(
        "/api/trust/accreditations",
        json={"did": MILL, "roles": ["steel_mill"], "accredited_by": CBP,
              "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"},
        headers=ADMIN,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    assert created.json()["roles"] == ["steel_mill"]
    items = client.get("/api/trust/accreditations").json()["items"]
    assert [item["did"] for item in items] == [MILL]
    ok = client.get("/api/trust/check", params={"did": MILL, "type": "MillTestReportCredential"})
    assert ok.json() == {
        "trusted": True,
        "code": "issuer_accredited",
        "message": f"{MILL} is accredited by {CBP} (steel_mill)",
    }
    later = client.get(
        "/api/trust/check",
        params={"did": MILL, "type": "MillTestReportCredential", "at": "2027-02-01T00:00:00Z"},
    )
    assert later.json()["code"] == "accreditation_not_current"


def test_accreditation_errors_name_fields(client):
    response = client.post(
        "/api/trust/accreditations",
        json={"did": "nope", "roles": ["pirate"], "accredited_by": CBP},
        headers=ADMIN,
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["did", "roles[0]"]
    missing = client.get("/api/trust/check", params={"did": MILL})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "type"
