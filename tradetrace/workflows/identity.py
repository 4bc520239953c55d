"""Organisations' identities: did:web identifiers, signing keys at rest, hosted DID documents.

An organisation hosted by this node is ``did:web:<host>:orgs:<slug>``, its DID document served at
``/orgs/<slug>/did.json`` (did:web §3.2). Its private keys are encrypted at rest in the data
directory; the database holds only public keys.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tradetrace.config import Settings
from tradetrace.did import build_web_did_document
from tradetrace.did.document import DidDocument, Service
from tradetrace.errors import ConfigurationError, NotFound
from tradetrace.keys import KeyKind, PublicKey, SigningKey
from tradetrace.organisations.model import NewOrganisation, Organisation
from tradetrace.storage.keystore import KeyStore
from tradetrace.storage.repositories import OrganisationRepository

__all__ = [
    "DEFAULT_KEY_KINDS",
    "IssuerKey",
    "create_organisation",
    "key_passphrase",
    "key_store",
    "organisation_did",
    "organisation_did_document",
    "organisation_signing_key",
    "root_did_document",
]

DEFAULT_KEY_KINDS: tuple[KeyKind, ...] = (KeyKind.P256, KeyKind.ED25519)
"""Keys every new organisation gets: P-256 first, because ES256 is mandatory for interop."""


@dataclass(frozen=True, slots=True)
class IssuerKey:
    """A signing key with the DID and verification method it signs for."""

    did: str
    verification_method: str
    key: SigningKey


def organisation_did(settings: Settings, slug: str, *, root: bool = False) -> str:
    """The did:web of organisation ``slug`` on this node; ``root`` gives it the node's host DID
    itself (``did:web:<host>``, served at ``/.well-known/did.json``)."""
    if root:
        return f"did:web:{settings.did_web_host}"
    return f"did:web:{settings.did_web_host}:orgs:{slug}"


def key_passphrase(settings: Settings) -> str:
    """The passphrase protecting private keys (see the ``key_passphrase`` setting)."""
    if settings.key_passphrase:
        return settings.key_passphrase
    if settings.environment == "production":
        raise ConfigurationError("key_passphrase: must be set in production")
    path = settings.data_dir / "keys" / ".passphrase"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    value = secrets.token_urlsafe(32)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value + "\n")
    return value


def key_store(settings: Settings) -> KeyStore:
    """The node's encrypted key files."""
    return KeyStore(settings.data_dir / "keys", passphrase=key_passphrase(settings))


_FRAGMENT_PREFIX = {KeyKind.ED25519: "ed25519", KeyKind.P256: "p256", KeyKind.P384: "p384"}


def _fragment(kind: KeyKind, taken: Iterable[str]) -> str:
    used = set(taken)
    number = 1
    while f"{_FRAGMENT_PREFIX[kind]}-{number}" in used:
        number += 1
    return f"{_FRAGMENT_PREFIX[kind]}-{number}"


def create_organisation(
    session: Session,
    settings: Settings,
    *,
    slug: str,
    name: str,
    country: str,
    roles: Iterable[str] = (),
    identifiers: Mapping[str, str] | None = None,
    key_kinds: Sequence[KeyKind] = DEFAULT_KEY_KINDS,
    root: bool = False,
    now: datetime,
) -> Organisation:
    """Register an organisation with a did:web and fresh signing keys, committing on success.

    The keys are written (encrypted) before the commit; if the commit fails they are orphan
    files that nothing references, never a database row without its key.
    """
    new = NewOrganisation.parse(
        slug=slug, name=name, country=country, roles=roles, identifiers=identifiers
    )
    repository = OrganisationRepository(session)
    did = organisation_did(settings, new.slug, root=root)
    organisation = repository.add(new, now=now, did=did)
    store = key_store(settings)
    fragments: list[str] = []
    for kind in key_kinds:
        key = SigningKey.generate(kind)
        fragment = _fragment(kind, fragments)
        store.save(new.slug, fragment, key)
        repository.add_key(
            new.slug,
            fragment=fragment,
            kind=kind.value,
            public_multibase=key.public_key().to_multibase(),
            now=now,
        )
        fragments.append(fragment)
    session.commit()
    return organisation


def organisation_did_document(
    session: Session,
    slug: str | None = None,
    *,
    did: str | None = None,
    services: Sequence[Service] = (),
) -> DidDocument:
    """The DID document of a hosted organisation (by slug or DID), from its stored keys."""
    repository = OrganisationRepository(session)
    organisation = repository.get(slug) if slug is not None else repository.by_did(str(did))
    slug = organisation.slug
    if organisation.did is None:
        raise NotFound(f"organisation {slug!r} has no DID on this node")
    stored = repository.keys(slug)
    if not stored:
        raise NotFound(f"organisation {slug!r} has no keys")
    keys_by_fragment = {
        item.fragment: PublicKey.from_multibase(item.public_multibase) for item in stored
    }
    return build_web_did_document(
        organisation.did, keys_by_fragment=keys_by_fragment, services=services
    )


def organisation_signing_key(
    session: Session, settings: Settings, slug: str, *, kind: KeyKind | None = None
) -> IssuerKey:
    """The organisation's signing key (of ``kind``, or its first), with DID and method id."""
    repository = OrganisationRepository(session)
    organisation = repository.get(slug)
    for item in repository.keys(slug):
        if kind is None or item.kind == kind.value:
            key = key_store(settings).load(slug, item.fragment)
            did = organisation.did or organisation_did(settings, slug)
            return IssuerKey(did, f"{did}#{item.fragment}", key)
    wanted = f" of kind {kind.value}" if kind else ""
    raise NotFound(f"organisation {slug!r} has no signing key{wanted}")


def root_did_document(session: Session, settings: Settings) -> DidDocument:
    """The DID document of this node's host DID (``/.well-known/did.json``), if an
    organisation was created as the root; :class:`NotFound` otherwise."""
    return organisation_did_document(session, did=organisation_did(settings, "", root=True))
