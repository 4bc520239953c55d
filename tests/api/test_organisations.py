from tests.conftest import ADMIN

ACME = {
    "slug": "acme-steel",
    "name": "Acme Steel",
    "country": "CA",
    "roles": ["steel_mill"],
    "identifiers": {"gln": "0614141000012"},
}


def test_create_then_get_organisation(client):
    created = client.post("/api/organisations", json=ACME, headers=ADMIN)
    assert created.status_code == 201
    assert created.json()["created_at"] == "2026-11-27T12:00:00Z"
    fetched = client.get("/api/organisations/acme-steel").json()
    assert fetched["identifiers"] == {"gln": "0614141000012"}
    assert fetched["roles"] == ["steel_mill"]
    listed = client.get("/api/organisations").json()["items"]
    assert [item["slug"] for item in listed] == ["acme-steel"]


def test_duplicate_organisation_is_a_conflict_and_nothing_changes(client):
    assert client.post("/api/organisations", json=ACME, headers=ADMIN).status_code == 201
    clash = {**ACME, "slug": "other", "name": "Other"}
    response = client.post("/api/organisations", json=clash, headers=ADMIN)
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert [item["slug"] for item in client.get("/api/organisations").json()["items"]] == [
        "acme-steel"
    ]


def test_invalid_organisation_names_each_field(client):
    response = client.post(
        "/api/organisations",
        json={**ACME, "country": "Canada", "identifiers": {"lei": "x"}},
        headers=ADMIN,
    )
    assert response.status_code == 400
    assert [item["field"] for item in response.json()["errors"]] == ["country", "identifiers.lei"]


def test_unknown_organisation_is_not_found(client):
    response = client.get("/api/organisations/nobody")
    assert response.status_code == 404
    assert response.json()["detail"] == "no organisation 'nobody'"


def test_list_paging_is_bounded(client):
    response = client.get("/api/organisations?limit=0")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"


def test_writes_that_act_for_organisations_need_an_operator(client):
    """Creating organisations, accrediting issuers, issuing as an organisation and changing a
    credential's status are operator actions: 401 without the token, nothing changes."""
    writes = {
        "/api/organisations": ACME,
        "/api/trust/accreditations": {"did": "did:web:x.example", "accredited_by": "did:web:y"},
        "/api/credentials/issue": {"organisation": "acme-steel", "credential": {}},
        "/api/credentials/status": {"credential_id": "urn:uuid:1", "action": "revoke"},
    }
    for path, body in writes.items():
        response = client.post(path, json=body)
        assert response.status_code == 401, path
        wrong = client.post(path, json=body, headers={"Authorization": "Bearer guess"})
        assert wrong.status_code == 401, path
    assert client.get("/api/organisations").json()["items"] == []


LEI = "549300XYZSTEEL000154"


def _identifiers(client, slug="acme-steel"):
    return client.get(f"/api/organisations/{slug}").json()["identifiers"]


def _add(client, identifiers, slug="acme-steel"):
    path = f"/api/organisations/{slug}/identifiers"
    return client.post(path, json={"identifiers": identifiers}, headers=ADMIN)


def test_add_identifiers_adds_those_in_new_schemes(client):
    assert client.post("/api/organisations", json=ACME, headers=ADMIN).status_code == 201
    added = _add(client, {"lei": LEI, "gln": "0614141000012"})
    assert added.status_code == 200, added.text
    assert added.json()["identifiers"] == {"gln": "0614141000012", "lei": LEI}
    assert _identifiers(client) == {"gln": "0614141000012", "lei": LEI}
    eori = _add(client, {"eori": "CA123456789"})
    assert list(eori.json()["identifiers"]) == ["eori", "gln", "lei"]  # by scheme, as stored


def test_add_identifiers_never_changes_one_and_adds_nothing_then(client):
    assert client.post("/api/organisations", json=ACME, headers=ADMIN).status_code == 201
    changed = _add(client, {"lei": LEI, "gln": "0614141000043"})
    assert changed.status_code == 409
    assert changed.json()["detail"] == (
        "identifiers.gln: organisation 'acme-steel' already has 0614141000012; "
        "an identifier is never changed"
    )
    assert _identifiers(client) == {"gln": "0614141000012"}


def test_add_identifiers_held_by_another_organisation_is_a_conflict(client):
    assert client.post("/api/organisations", json=ACME, headers=ADMIN).status_code == 201
    other = {"slug": "other", "name": "Other", "country": "US", "identifiers": {"lei": LEI}}
    assert client.post("/api/organisations", json=other, headers=ADMIN).status_code == 201
    taken = _add(client, {"lei": LEI, "mid": "XOHAMSTE1330HAM"})
    assert taken.status_code == 409
    assert taken.json()["detail"].startswith("another organisation already holds")
    assert _identifiers(client) == {"gln": "0614141000012"}
    assert _identifiers(client, "other") == {"lei": LEI}
    # the session is usable after the refused write
    later = _add(client, {"mid": "XOHAMSTE1330HAM"})
    assert later.status_code == 200, later.text
    assert _identifiers(client) == {"gln": "0614141000012", "mid": "XOHAMSTE1330HAM"}


def test_add_identifiers_names_each_invalid_one(client):
    assert client.post("/api/organisations", json=ACME, headers=ADMIN).status_code == 201
    invalid = _add(client, {"lei": "x", "duns": "1", "mid": "XOHAMSTE1330HAM"})
    assert invalid.status_code == 400
    assert [item["field"] for item in invalid.json()["errors"]] == [
        "identifiers.lei",
        "identifiers.duns",
    ]
    empty = _add(client, {})
    assert empty.status_code == 400
    assert [item["field"] for item in empty.json()["errors"]] == ["identifiers"]
    assert _identifiers(client) == {"gln": "0614141000012"}


def test_add_identifiers_to_an_unknown_organisation_or_without_an_operator(client):
    assert _add(client, {"lei": LEI}, slug="nobody").status_code == 404
    assert client.post("/api/organisations", json=ACME, headers=ADMIN).status_code == 201
    anonymous = client.post(
        "/api/organisations/acme-steel/identifiers", json={"identifiers": {"lei": LEI}}
    )
    assert anonymous.status_code == 401
    assert _identifiers(client) == {"gln": "0614141000012"}
