"""Helpers for the interop API tests: a node with a root organisation, OAuth clients, tokens."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tradetrace import errors, oauth
from tradetrace.storage.repositories import OrganisationRepository
from tradetrace.workflows import identity
from tradetrace.workflows import oauth as oauth_workflow

COLLECTION = (
    Path(__file__).parents[1] / "assets" / "interop" / "conformance_suite.postman_collection.json"
)
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
VC_1_1 = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/traceability/v1"]
WORKFLOW = {
    "definition": ["https://w3id.org/traceability#us-cbp-entry"],
    "instance": ["urn:uuid:f5fb6ce4-b0b1-41b8-89b0-331a58b7ee00"],
}


def suite_body(name: str) -> Any:
    """The raw JSON body of the conformance collection's request ``name``."""

    def find(items: list[dict[str, Any]]) -> dict[str, Any] | None:
        for item in items:
            found = find(item["item"]) if "item" in item else item if item["name"] == name else None
            if found is not None:
                return found
        return None

    item = find(json.loads(COLLECTION.read_text())["item"])
    assert item is not None, name
    return json.loads(item["request"]["body"]["raw"])


@dataclass
class Party:
    """A hosted organisation with an OAuth client."""

    slug: str
    did: str
    client_id: str
    secret: str

    def token(self, client: TestClient, **form: str) -> str:
        """An access token through ``POST /oauth/token`` (client_secret_post)."""
        data = {"grant_type": "client_credentials", "client_id": self.client_id}
        response = client.post("/oauth/token", data={**data, "client_secret": self.secret, **form})
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def headers(self, client: TestClient, **form: str) -> dict[str, str]:
        """An ``Authorization: Bearer`` header with a fresh token."""
        return {"Authorization": f"Bearer {self.token(client, **form)}"}


def make_party(
    client: TestClient,
    *,
    slug: str = "acme",
    root: bool = True,
    scopes: frozenset[oauth.Scope] = oauth.ALL_SCOPES,
) -> Party:
    """Create an organisation (the root one by default) and a client of it on ``client``'s node."""
    app = client.app
    settings = app.state.settings  # type: ignore[attr-defined]
    with app.state.session_factory() as session:  # type: ignore[attr-defined]
        try:
            existing = OrganisationRepository(session).get(slug)
        except errors.NotFound:
            existing = identity.create_organisation(
                session, settings, slug=slug, name=slug.title(), country="US", root=root, now=NOW
            )
        created, secret = oauth_workflow.create_client(
            session, organisation_slug=slug, scopes=scopes, now=NOW
        )
    return Party(slug, str(existing.did), created.id, secret)


def credential_body(issuer: str, **options: Any) -> dict[str, Any]:
    """An issue request like the suite's minimal body."""
    return {
        "credential": {
            "@context": VC_1_1,
            "type": ["VerifiableCredential"],
            "issuer": issuer,
            "issuanceDate": "2006-01-02T15:04:05Z",
            "credentialSubject": {"foo": "bar"},
        },
        "options": {"type": "Ed25519Signature2018", **options},
    }


def send_presentation(client: TestClient) -> dict[str, Any]:
    """A new party issues a credential, proves a presentation of it for :data:`WORKFLOW` and
    sends it to ``POST /interop/presentations``; the presentation it sent."""
    party = make_party(client)
    auth = party.headers(client)
    credential = client.post(
        "/interop/credentials/issue", json=credential_body(party.did), headers=auth
    ).json()["verifiableCredential"]
    presentation = {
        "@context": VC_1_1,
        "type": ["VerifiablePresentation", "TraceablePresentation"],
        "workflow": WORKFLOW,
        "verifiableCredential": [credential],
    }
    proved: dict[str, Any] = client.post(
        "/interop/presentations/prove", json={"presentation": presentation}, headers=auth
    ).json()["verifiablePresentation"]
    assert client.post("/interop/presentations", json=proved, headers=auth).status_code == 200
    return proved
