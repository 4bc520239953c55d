"""The Traceability Interop API's credential use cases (standards.md §2.2): discovery,
identifier resolution, issuing as a hosted organisation, status updates, credential lookup.

Every hosted did:web document advertises this node's interop endpoint as a service of type
``TraceabilityAPI`` (Traceability Interop ``TraceabilityAPIDIDWebDocument``). Issuing signs with
the Linked Data Signature suites the interop profile names (``Ed25519Signature2018``,
``JsonWebSignature2020``), records the credential and logs its digest like
:func:`~tradetrace.workflows.credentials.issue_as_organisation`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from tradetrace import did, errors
from tradetrace.config import Settings
from tradetrace.credentials import issue, status
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.storage.credentials import (
    IssuedCredential,
    IssuedCredentialRepository,
    StatusListRepository,
)
from tradetrace.storage.repositories import OrganisationRepository
from tradetrace.types import Did
from tradetrace.workflows import credentials, identity
from tradetrace.workflows.ledger import LedgerService

__all__ = [
    "SERVICE_TYPE",
    "did_document",
    "issue_for_interop",
    "publish_status_list",
    "resolve_identifier",
    "served_credential",
    "traceability_service",
    "update_status",
]

SERVICE_TYPE: Final = "TraceabilityAPI"
"""The service type of the interop endpoint in a did:web document (standards.md §2.2)."""

# RFC 3986 §3.1: something with a scheme is an identifier, even when it is not a DID.
_URI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def traceability_service(settings: Settings, subject: str) -> did.Service:
    """The ``TraceabilityAPI`` service of ``subject``: this node's interop base URL
    (Traceability Interop ``TraceabilityAPIDIDWebDocument``; DID Core §5.4)."""
    return did.Service(
        id=f"{subject}#traceability-api",
        type=(SERVICE_TYPE,),
        service_endpoint=settings.effective_public_url + settings.interop_path_prefix,
    )


def did_document(
    session: Session, settings: Settings, *, slug: str | None = None, subject: str | None = None
) -> did.DidDocument:
    """A hosted organisation's DID document with its ``TraceabilityAPI`` service.

    Raises:
        errors.NotFound: no such organisation, or it has no DID or keys here.
    """
    organisation = (
        OrganisationRepository(session).get(slug)
        if slug is not None
        else OrganisationRepository(session).by_did(str(subject))
    )
    subject = organisation.did or identity.organisation_did(settings, organisation.slug)
    return identity.organisation_did_document(
        session, organisation.slug, services=[traceability_service(settings, subject)]
    )


def resolve_identifier(
    session: Session, settings: Settings, resolver: did.Resolver, identifier: str
) -> dict[str, Any]:
    """DID resolution for ``GET /identifiers/{did}`` (DID Resolution §4.1 result shape).

    Hosted organisations resolve with their ``TraceabilityAPI`` service; other DIDs through
    ``resolver`` (did:key, did:jwk, allowed foreign did:web hosts).

    Raises:
        errors.InvalidDocument: not an identifier at all (``invalidDid``).
        errors.NotFound: a URI that is not a DID, or a DID that cannot be resolved.
    """
    if not _URI.fullmatch(identifier):
        problem = errors.FieldProblem("did", "not a DID (DID Core §3.1)")
        raise errors.InvalidDocument.from_problems("identifier", [problem])
    try:
        parsed = did.parse_did(identifier)
    except errors.InvalidDocument:
        raise errors.NotFound(f"no DID document for {identifier[:200]}") from None
    try:
        document = did_document(session, settings, subject=parsed)
    except errors.NotFound:
        try:
            document = resolver.resolve(parsed)
        except errors.ResolutionError as exc:
            raise errors.NotFound(f"cannot resolve {parsed[:200]}: {exc.message}") from None
    return {
        "@context": "https://w3id.org/did-resolution/v1",
        "didDocument": document.to_dict(),
        "didResolutionMetadata": {"contentType": "application/did+json"},
        "didDocumentMetadata": {},
    }


def _issuer_slug(session: Session, issuer: str) -> str:
    try:
        return OrganisationRepository(session).by_did(issuer).slug
    except errors.NotFound:
        raise errors.ResolutionError(
            f"issuer {issuer[:200]} is not hosted on this node: no key to sign with"
        ) from None


def issue_for_interop(
    session: Session,
    settings: Settings,
    ledger: LedgerService | None,
    *,
    caller_slug: str | None,
    credential: Mapping[str, Any],
    format: issue.Format,
    created: datetime | None,
    with_status: bool,
    now: datetime,
) -> issue.Secured:
    """``POST /credentials/issue``: sign ``credential`` as its issuer, a hosted organisation the
    caller's client belongs to (Traceability Interop ``issueCredential``).

    ``created`` sets the proof's ``created`` (``options.created``); with ``with_status`` the
    credential gets Bitstring Status List entries (``options.credentialStatus``).

    Raises:
        errors.ResolutionError: the issuer is not hosted here (the suite's 422 "unknown issuer").
        errors.Forbidden: the caller's client belongs to another organisation.
        errors.InvalidDocument: the credential breaks the data model (VC DM 1.1/2.0 §4).
    """
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    slug = _issuer_slug(session, str(issuer_id))
    if caller_slug != slug:
        raise errors.Forbidden(f"this client may not issue as {str(issuer_id)[:200]}")
    if with_status or created is None:
        return credentials.issue_as_organisation(
            session, settings, ledger, slug=slug, credential=credential, format=format,
            with_status=with_status, now=now,
        )  # fmt: skip
    signer = identity.organisation_signing_key(
        session, settings, slug, kind=credentials.KEY_FOR_FORMAT[format]
    )
    secured = issue.issue_credential(
        credential, key=signer.key, format=format, now=created,
        issuer=signer.did, verification_method=signer.verification_method,
    )  # fmt: skip
    body = secured.document
    assert isinstance(body, dict)  # noqa: S101 - Linked Data proofs are embedded, never a JWS
    IssuedCredentialRepository(session).add(
        IssuedCredential(
            id=str(body["id"]), organisation_slug=slug, format=format.value, digest=secured.digest,
            document=json.dumps(body), status_index=None, revocation_list_id=None,
            suspension_list_id=None, issued_at=now,
        )
    )  # fmt: skip
    session.commit()
    if ledger is not None:
        record = LogRecord(
            kind=RecordKind.CREDENTIAL_ISSUED, digest=secured.digest,
            submitter=Did(signer.did), time=now, ref=str(body["id"]),
        )  # fmt: skip
        ledger.submit(record)
    return secured


def update_status(
    session: Session,
    settings: Settings,
    ledger: LedgerService | None,
    *,
    caller_slug: str | None,
    credential_id: str,
    purpose: status.StatusPurpose,
    value: bool,
    now: datetime,
) -> int:
    """``POST /credentials/status``: set or clear one status bit of a credential this node
    issued for the caller's organisation (Traceability Interop ``updateCredentialStatus``).

    Raises:
        errors.NotFound: no such credential, or it has no entry for ``purpose``.
        errors.Forbidden: another organisation issued it.
    """
    issued = IssuedCredentialRepository(session).get(credential_id)
    if issued.organisation_slug != caller_slug:
        raise errors.Forbidden(f"credential {credential_id[:200]} was issued by another party")
    return credentials.change_status(
        session, settings, ledger, credential_id=credential_id, purpose=purpose,
        value=value, now=now,
    )  # fmt: skip


def publish_status_list(
    session: Session,
    settings: Settings,
    ledger: LedgerService | None,
    *,
    caller_slug: str | None,
    list_id: str,
    now: datetime,
) -> int:
    """``POST /status/{id}/publish``: publish a fresh version of a status list of the caller's
    organisation (the Bitstring Status List test suite's ``publishStatusList``); the version.

    Raises:
        errors.NotFound: no such list.
        errors.Forbidden: the list belongs to another organisation.
    """
    owner = StatusListRepository(session).get(list_id).organisation_slug
    if owner != caller_slug:
        raise errors.Forbidden(f"status list {list_id[:80]} belongs to another party")
    return credentials.publish_status_list(session, settings, ledger, list_id=list_id, now=now)


def served_credential(
    session: Session, *, credential_id: str, caller_slug: str | None
) -> dict[str, Any] | str:
    """``GET /credentials/{id}``: a status list credential (public), or an issued credential
    (to a client of its issuer only) (Traceability Interop ``getCredentialById``).

    Raises:
        errors.NotFound: neither; also for an issued credential the caller may not read.
    """
    try:
        stored = StatusListRepository(session).get(credential_id).credential
    except errors.NotFound:
        for candidate in (credential_id, f"urn:uuid:{credential_id}"):
            try:
                issued = IssuedCredentialRepository(session).get(candidate)
            except errors.NotFound:
                continue
            if issued.organisation_slug == caller_slug:
                stored = issued.document
                break
        else:
            raise errors.NotFound(f"no credential {credential_id[:200]} here") from None
    try:
        parsed: dict[str, Any] | str = json.loads(stored)
    except ValueError:
        parsed = stored  # a compact JWS
    return parsed
