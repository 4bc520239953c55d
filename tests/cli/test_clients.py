"""``tradetrace client create``: registers an OAuth client and prints its secret once."""

import json

from tradetrace import oauth
from tradetrace.storage.oauth import OAuthClientRepository


def _with(run, settings):
    def invoke(*args):
        return run(
            "--data-dir", str(settings.data_dir), "--db", settings.effective_database_url, *args
        )

    return invoke


def test_client_create_prints_id_and_secret_and_stores_only_a_hash(run, settings, session):
    _run = _with(run, settings)
    assert _run("org", "create", "acme", "--name", "Acme", "--country", "US").exit_code == 0
    result = _run("client", "create", "--org", "acme", "--scope", "submit:presentations", "--json")
    assert result.exit_code == 0, result.stderr
    created = json.loads(result.stdout)
    assert created["scope"] == "submit:presentations"
    stored = OAuthClientRepository(session).get(created["client_id"])
    assert stored.scopes == frozenset({oauth.Scope.SUBMIT_PRESENTATIONS})
    assert created["client_secret"] not in stored.secret_hash
    oauth.verify_secret(created["client_secret"], stored.secret_hash)


def test_client_create_for_unknown_organisation_fails(run, settings, engine):
    result = _with(run, settings)("client", "create", "--org", "nobody")
    assert result.exit_code == 1
    assert "not_found" in result.stderr


def test_client_create_rejects_unknown_scope(run, settings, engine):
    _run = _with(run, settings)
    _run("org", "create", "acme", "--name", "Acme", "--country", "US")
    result = _run("client", "create", "--org", "acme", "--scope", "openid")
    assert result.exit_code == 1
    assert "unknown scope" in result.stderr
