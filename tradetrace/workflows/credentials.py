"""Issue credentials as a hosted organisation and verify anything, with this node's context.

Issuing: the organisation's key signs (P-256 for ``vc-jwt`` and ``ecdsa-jcs-2019``, Ed25519 for
``eddsa-jcs-2022``), the credential gets entries in the organisation's revocation and suspension
Bitstring Status Lists, and its digest is logged on the ledger (``credential.issued``).
Verifying: the node's resolver (did:key, did:jwk, this node's did:web organisations, and foreign
did:web hosts on the allow-list), its status lists, its trust registry and its ledger.

The node keeps two caches for its verifications, for ``verification_cache_seconds``: status
list credentials that verified (:mod:`tradetrace.credentials.status_cache`; the node's own lists
are checked against their stored version on every use, so a revocation here applies at once),
and the DID documents of the organisations it hosts (their keys are stored when the
organisation is created and never change or go away).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from tradetrace import did, storage
from tradetrace.config import Settings
from tradetrace.credentials import issue, status, verify
from tradetrace.credentials.report import VerificationReport
from tradetrace.credentials.status_cache import StatusListCache
from tradetrace.credentials.verify import LedgerDecision
from tradetrace.errors import NotFound, ResolutionError, TradeTraceError
from tradetrace.keys import KeyKind
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.storage.credentials import (
    IssuedCredential,
    IssuedCredentialRepository,
    StatusListRepository,
)
from tradetrace.storage.repositories import OrganisationRepository
from tradetrace.trust.registry import TrustDecision
from tradetrace.types import Did, Sha256Digest
from tradetrace.workflows import identity, trust
from tradetrace.workflows.ledger import LedgerService

__all__ = [
    "KEY_FOR_FORMAT",
    "NodeContext",
    "change_status",
    "issue_as_organisation",
    "publish_status_list",
    "status_list_credential",
]

KEY_FOR_FORMAT = {
    issue.Format.VC_JWT: KeyKind.P256,
    issue.Format.ECDSA_JCS_2019: KeyKind.P256,
    issue.Format.ECDSA_RDFC_2019: KeyKind.P256,
    issue.Format.EDDSA_JCS_2022: KeyKind.ED25519,
    issue.Format.EDDSA_RDFC_2022: KeyKind.ED25519,
    issue.Format.ED25519_SIGNATURE_2018: KeyKind.ED25519,
    issue.Format.JSON_WEB_SIGNATURE_2020: KeyKind.P256,
}
"""Which of an organisation's keys signs each format."""


_MAX_HOSTED_DOCUMENTS = 4096


class NodeContext:
    """What this node knows when it verifies: its DIDs, status lists, trust registry, ledger.

    One per process: it holds the node's verification caches (see the module docstring).
    """

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        *,
        ledger: LedgerService | None,
        clock: Callable[[], datetime],
        http: httpx.Client | None = None,
    ) -> None:
        self._settings = settings
        self._sessions = sessions
        self._ledger = ledger
        self._clock = clock
        self._http = http
        foreign: did.Resolver | None = None
        if http is not None and settings.did_web_allow_hosts:
            foreign = did.WebResolver(
                http,
                allow_hosts=settings.did_web_allow_hosts,
                cache_ttl=timedelta(minutes=5),
                now=clock,
                unsafe_http_hosts=settings.did_web_insecure_hosts,
            )
        self._foreign = foreign
        cache_age = timedelta(seconds=settings.verification_cache_seconds)
        self._cache_seconds = settings.verification_cache_seconds
        self._status_cache = StatusListCache(max_age=cache_age)
        self._hosted: dict[str, tuple[float, did.DidDocument]] = {}
        self._hosted_lock = threading.Lock()
        self._local = threading.local()  # the shared read session of a verification
        self._verifier: _NodeVerifier | None = None
        self.resolver = did.CompositeResolver(
            {"key": did.KeyResolver(), "jwk": did.JwkResolver(), "web": self}
        )

    @property
    def settings(self) -> Settings:
        """The node's settings."""
        return self._settings

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The node's read-only sessions (they never take the write lock)."""
        return self._sessions

    # -- did:web: this node's organisations first, then allowed foreign hosts ---------------

    def resolve(self, identifier: Did) -> did.DidDocument:
        """Resolve a did:web: hosted here from the database (kept for the cache time), else
        over HTTPS if allowed."""
        kept = self._hosted.get(identifier)
        if kept is not None and time.monotonic() < kept[0]:
            return kept[1]
        with self._reading() as session:
            try:
                document = identity.organisation_did_document(session, did=identifier)
            except NotFound:
                document = None
        if document is not None:
            if self._cache_seconds > 0:
                with self._hosted_lock:
                    if len(self._hosted) >= _MAX_HOSTED_DOCUMENTS:
                        self._hosted.clear()
                    self._hosted[identifier] = (time.monotonic() + self._cache_seconds, document)
            return document
        if self._foreign is None:
            raise ResolutionError(f"{identifier} is not hosted here and no foreign host is allowed")
        return self._foreign.resolve(identifier)

    # -- status lists ------------------------------------------------------------------------

    def fetch(self, url: str) -> bytes | str | Mapping[str, Any]:
        """A status list credential: this node's from the database, others over HTTP."""
        list_id = self._own_list(url)
        if list_id is not None:
            with self._reading() as session:
                stored = StatusListRepository(session).get(list_id)
            return stored.credential
        host = url.split("://", 1)[-1].split("/", 1)[0].lower()
        if self._http is None or host not in self._settings.did_web_allow_hosts:
            raise TradeTraceError(f"status list host {host} is not allowed")
        response = self._http.get(url, headers={"Accept": "application/vc+jwt, application/json"})
        if response.status_code != 200:
            raise TradeTraceError(f"status list {url} answered HTTP {response.status_code}")
        return response.content

    def status_list_versions(self, urls: Sequence[str]) -> Mapping[str, str]:
        """The stored versions of the lists among ``urls`` that this node serves, in one query
        (other lists are left out: the cache's age bounds their cached copies instead)."""
        own = {url: list_id for url in urls if (list_id := self._own_list(url)) is not None}
        if not own:
            return {}
        with self._reading() as session:
            versions = StatusListRepository(session).versions(list(own.values()))
        return {url: str(versions[list_id]) for url, list_id in own.items() if list_id in versions}

    def _own_list(self, url: str) -> str | None:
        prefix = f"{self._settings.effective_public_url}/status/"
        return url.removeprefix(prefix) if url.startswith(prefix) else None

    # -- trust and ledger --------------------------------------------------------------------

    def decide(
        self, *, issuer: str, credential_types: Sequence[str], at: datetime
    ) -> TrustDecision:
        """The trust registry's decision."""
        with self._reading() as session:
            return trust.check_issuer(
                session, issuer=issuer, credential_types=credential_types, at=at
            )

    def check(self, *, digest: Sha256Digest, document_id: str | None) -> LedgerDecision:
        """Whether this node's log holds the document's digest."""
        if self._ledger is None:
            return LedgerDecision(False, "ledger_unavailable", "no ledger on this node")
        store = self._ledger.store
        with self._reading() as session:  # the verification's session, if on the log's database
            shared = session.connection() if session.get_bind() is store.engine else None
            indexes = store.entries_with_key(digest, connection=shared)
        if not indexes:
            return LedgerDecision(False, "not_logged", "the document is not in this node's log")
        return LedgerDecision(True, "logged", f"logged at index {indexes[0]}")

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """A read session: the verification's shared one (see :meth:`one_read`), or its own."""
        shared = getattr(self._local, "session", None)
        if shared is not None:
            yield shared
            return
        with self._sessions() as session:
            yield session

    @contextmanager
    def one_read(self) -> Iterator[None]:
        """Let the reads in this block (this thread's) share one session: one connection
        instead of one per lookup, and on PostgreSQL no transaction round trips
        (:func:`storage.read_statement_by_statement`)."""
        if getattr(self._local, "session", None) is not None:
            yield
            return
        with self._sessions() as session:
            storage.read_statement_by_statement(session)
            self._local.session = session
            try:
                yield
            finally:
                self._local.session = None

    def verifier(self) -> verify.Verifier:
        """The verifier using everything this node knows, one for the node's life. It keeps
        the keys of did:key and did:jwk signers it has seen, and those of the organisations
        this node hosts once their DID documents are kept (their keys never change); each of
        its verifications reads the database through one session (:meth:`one_read`)."""
        if self._verifier is None:
            self._verifier = _NodeVerifier(
                self,
                self.resolver,
                status_lists=self,
                trust_policy=self,
                ledger=self,
                status_cache=self._status_cache,
                stable_dids=self._hosted.__contains__,
            )
        return self._verifier


class _NodeVerifier(verify.Verifier):
    """A :class:`~tradetrace.credentials.verify.Verifier` whose verifications each read this
    node's database through one session."""

    def __init__(self, context: NodeContext, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self._context = context

    def verify(
        self,
        data: bytes | str | Mapping[str, Any],
        *,
        now: datetime,
        challenge: str | None = None,
        domain: str | None = None,
    ) -> VerificationReport:
        with self._context.one_read():
            return super().verify(data, now=now, challenge=challenge, domain=domain)


def status_list_credential(
    session: Session,
    settings: Settings,
    *,
    list_id: str,
    bits: status.Bitstring,
    purpose: status.StatusPurpose,
    slug: str,
    now: datetime,
) -> str:
    """Sign the status list credential of one list version (Bitstring Status List §2.2)."""
    url = f"{settings.effective_public_url}/status/{list_id}"
    signer = identity.organisation_signing_key(session, settings, slug, kind=KeyKind.P256)
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "credentialSubject": status.status_list_subject(url, purpose, bits),
    }
    secured = issue.issue_credential(
        document,
        key=signer.key,
        format=issue.Format.ECDSA_JCS_2019,
        now=now,
        issuer=signer.did,
        verification_method=signer.verification_method,
    )
    return json.dumps(secured.document)


def _entries(
    session: Session, settings: Settings, slug: str, now: datetime
) -> tuple[int, str, str, list[tuple[str, str]]]:
    """A free index in the organisation's revocation and suspension lists (created when
    needed); also the lists created, with their first signed credential, to be logged."""
    lists = StatusListRepository(session)
    ids = []
    created: list[tuple[str, str]] = []
    for purpose in (status.StatusPurpose.REVOCATION, status.StatusPurpose.SUSPENSION):
        found = lists.open_list(slug, purpose)
        if found is None:
            list_id = lists.create(slug, purpose, now=now)
            credential = status_list_credential(
                session, settings, list_id=list_id, bits=status.Bitstring(),
                purpose=purpose, slug=slug, now=now,
            )  # fmt: skip
            lists.save(list_id, status.Bitstring(), credential, now=now)
            ids.append(list_id)
            created.append((list_id, credential))
        else:
            ids.append(found.id)
    index = lists.take_index(ids[0])
    while lists.take_index(ids[1]) < index:
        pass  # keep both lists on the same index, even if one was used more
    return index, ids[0], ids[1], created


def _status_list_record(
    settings: Settings, did: str, list_id: str, credential: str, *, version: int, now: datetime
) -> LogRecord:
    return LogRecord(
        kind=RecordKind.STATUS_LIST_PUBLISHED,
        digest=Sha256Digest(hashlib.sha256(credential.encode()).hexdigest()),
        submitter=Did(did), time=now,
        ref=f"{settings.effective_public_url}/status/{list_id}#v{version}",
    )  # fmt: skip


def issue_as_organisation(
    session: Session,
    settings: Settings,
    ledger: LedgerService | None,
    *,
    slug: str,
    credential: Mapping[str, Any],
    format: issue.Format,
    with_status: bool = True,
    now: datetime,
) -> issue.Secured:
    """Issue ``credential`` as organisation ``slug``: status entries, signature, record, log."""
    signer = identity.organisation_signing_key(session, settings, slug, kind=KEY_FOR_FORMAT[format])
    document = dict(credential)
    index = revocation = suspension = None
    created: list[tuple[str, str]] = []
    if with_status and "credentialStatus" not in document:
        index, revocation, suspension, created = _entries(session, settings, slug, now)
        base = f"{settings.effective_public_url}/status/"
        document["credentialStatus"] = [
            {
                "id": f"{base}{list_id}#{index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(index),
                "statusListCredential": f"{base}{list_id}",
            }
            for list_id, purpose in ((revocation, "revocation"), (suspension, "suspension"))
        ]
    secured = issue.issue_credential(
        document, key=signer.key, format=format, now=now,
        issuer=signer.did, verification_method=signer.verification_method,
    )  # fmt: skip
    body = secured.document
    credential_id = _credential_id(body)
    IssuedCredentialRepository(session).add(
        IssuedCredential(
            id=credential_id, organisation_slug=slug, format=format.value, digest=secured.digest,
            document=body if isinstance(body, str) else json.dumps(body), status_index=index,
            revocation_list_id=revocation, suspension_list_id=suspension, issued_at=now,
        )
    )  # fmt: skip
    session.commit()
    if ledger is not None:
        records = [
            _status_list_record(settings, signer.did, list_id, text, version=1, now=now)
            for list_id, text in created
        ]
        records.append(
            LogRecord(
                kind=RecordKind.CREDENTIAL_ISSUED, digest=secured.digest,
                submitter=Did(signer.did), time=now, ref=credential_id,
            )
        )  # fmt: skip
        ledger.append(records)
    return secured


def _credential_id(document: str | dict[str, Any]) -> str:
    if isinstance(document, dict):
        return str(document["id"])
    payload = document.split(".")[1]
    decoded = json.loads(_b64url(payload))
    return str(decoded["id"])


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def change_status(
    session: Session,
    settings: Settings,
    ledger: LedgerService | None,
    *,
    credential_id: str,
    purpose: status.StatusPurpose,
    value: bool,
    now: datetime,
) -> int:
    """Set (``True``) or clear a credential's revocation or suspension bit; the list version.

    A revoked credential stays revoked: clearing a revocation bit is refused.
    """
    issued = IssuedCredentialRepository(session).get(credential_id)
    list_id = (
        issued.revocation_list_id
        if purpose is status.StatusPurpose.REVOCATION
        else issued.suspension_list_id
    )
    if list_id is None or issued.status_index is None:
        raise NotFound(f"credential {credential_id!r} has no {purpose.value} status entry")
    if purpose is status.StatusPurpose.REVOCATION and not value:
        raise TradeTraceError("a revocation cannot be undone; issue a new credential instead")
    lists = StatusListRepository(session)
    stored = lists.get(list_id)
    stored.bits.set(issued.status_index, value)
    return _sign_and_serve(
        session, settings, ledger, lists, list_id=list_id, bits=stored.bits, purpose=purpose,
        slug=issued.organisation_slug, now=now,
    )  # fmt: skip


def publish_status_list(
    session: Session,
    settings: Settings,
    ledger: LedgerService | None,
    *,
    list_id: str,
    now: datetime,
) -> int:
    """Sign the list's current bits afresh and serve them as its next version; the version
    (the ``publish`` step of the Bitstring Status List test suite: changes are already published
    by :func:`change_status`, this renews the credential and its ``validFrom``).

    Raises:
        errors.NotFound: no such list.
    """
    lists = StatusListRepository(session)
    stored = lists.get(list_id)
    return _sign_and_serve(
        session, settings, ledger, lists, list_id=list_id, bits=stored.bits,
        purpose=stored.purpose, slug=stored.organisation_slug, now=now,
    )  # fmt: skip


def _sign_and_serve(
    session: Session,
    settings: Settings,
    ledger: LedgerService | None,
    lists: StatusListRepository,
    *,
    list_id: str,
    bits: status.Bitstring,
    purpose: status.StatusPurpose,
    slug: str,
    now: datetime,
) -> int:
    """Sign ``bits`` as the list's next version, store and commit it, then log it; the version
    (Bitstring Status List §3.1: the list is served as the newest credential)."""
    credential = status_list_credential(
        session, settings, list_id=list_id, bits=bits, purpose=purpose, slug=slug, now=now
    )
    version = lists.save(list_id, bits, credential, now=now)
    owner = OrganisationRepository(session).get(slug)
    signer_did = owner.did or identity.organisation_did(settings, owner.slug)
    session.commit()
    if ledger is not None:
        ledger.submit(
            _status_list_record(settings, signer_did, list_id, credential, version=version, now=now)
        )
    return version
