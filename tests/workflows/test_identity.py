"""Organisations' identities: did:web, keys encrypted at rest, hosted DID documents."""

import pytest

from tests.conftest import FIXED_NOW
from tradetrace.did import Relationship
from tradetrace.errors import ConfigurationError, Conflict, InvalidDocument, NotFound
from tradetrace.keys import KeyKind, SigningKey
from tradetrace.workflows import identity


def _create(session, settings, slug="acme-steel", **overrides):
    values = {"name": "Acme Steel", "country": "CA", "roles": ["steel_mill"]}
    return identity.create_organisation(
        session, settings, slug=slug, now=FIXED_NOW, **{**values, **overrides}
    )


def test_new_organisation_gets_did_web_and_encrypted_keys(session, settings):
    created = _create(session, settings)
    assert created.did == "did:web:localhost%3A8000:orgs:acme-steel"
    key_file = settings.data_dir / "keys" / "orgs" / "acme-steel" / "p256-1.pem"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert b"ENCRYPTED PRIVATE KEY" in key_file.read_bytes()
    with pytest.raises(InvalidDocument, match="no passphrase was given"):
        SigningKey.load(key_file)


def test_did_document_lists_keys_for_assertion_and_authentication(session, settings):
    _create(session, settings)
    document = identity.organisation_did_document(session, "acme-steel")
    assert document.id == "did:web:localhost%3A8000:orgs:acme-steel"
    methods = document.verification_methods(Relationship.ASSERTION_METHOD)
    assert [method.id.split("#")[1] for method in methods] == ["p256-1", "ed25519-1"]
    assert document.has_relationship(methods[0].id, Relationship.AUTHENTICATION)


def test_signing_key_matches_the_published_document(session, settings):
    _create(session, settings)
    issuer = identity.organisation_signing_key(
        session, settings, "acme-steel", kind=KeyKind.ED25519
    )
    assert issuer.verification_method == "did:web:localhost%3A8000:orgs:acme-steel#ed25519-1"
    document = identity.organisation_did_document(session, "acme-steel")
    published = document.verification_method(issuer.verification_method).public_key()
    signature = issuer.key.sign(b"mill test report")
    published.verify(signature, b"mill test report")
    with pytest.raises(NotFound, match="has no signing key of kind P-384"):
        identity.organisation_signing_key(session, settings, "acme-steel", kind=KeyKind.P384)


def test_root_organisation_owns_the_host_did(session, settings):
    _create(session, settings, slug="cbp", root=True, roles=["customs_authority"])
    assert identity.root_did_document(session, settings).id == "did:web:localhost%3A8000"


def test_root_document_is_not_found_without_a_root_organisation(session, settings):
    with pytest.raises(NotFound, match="no organisation with DID") as caught:
        identity.root_did_document(session, settings)
    assert caught.value.code == "not_found"


def test_duplicate_organisation_conflicts_and_keeps_nothing(session, settings):
    _create(session, settings)
    with pytest.raises(Conflict, match="already exists"):
        _create(session, settings, name="Other")


def test_dev_passphrase_is_generated_once_and_production_requires_one(settings):
    first = identity.key_passphrase(settings)
    assert identity.key_passphrase(settings) == first
    assert (settings.data_dir / "keys" / ".passphrase").stat().st_mode & 0o777 == 0o600
    production = settings.model_copy(update={"environment": "production"})
    with pytest.raises(ConfigurationError, match="key_passphrase: must be set"):
        identity.key_passphrase(production)
    explicit = settings.model_copy(update={"key_passphrase": "correct horse battery"})
    assert identity.key_passphrase(explicit) == "correct horse battery"
