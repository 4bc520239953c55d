from tests.conftest import ADMIN


def test_created_organisation_is_served_as_did_web(client):
    created = client.post(
        "/api/organisations",
        json={"slug": "acme-steel", "name": "Acme Steel", "country": "CA", "roles": ["steel_mill"]},
        headers=ADMIN,
    )
    assert created.status_code == 201
    did = created.json()["did"]
    assert did == "did:web:localhost%3A8000:orgs:acme-steel"
    response = client.get("/orgs/acme-steel/did.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/did+json"
    document = response.json()
    assert document["id"] == did
    assert len(document["assertionMethod"]) == 2


def test_unknown_did_documents_are_problems(client):
    assert client.get("/orgs/nobody/did.json").json()["code"] == "not_found"
    assert client.get("/.well-known/did.json").status_code == 404
