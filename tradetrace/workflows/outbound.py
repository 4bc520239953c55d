"""Sending presentations to other platforms through an outbox (Traceability Interop
``submitPresentationWithOAuth2Security`` as the client; standards.md §2.2).

Each recipient is a *peer*: its DID and the OAuth client credentials it issued to this node,
the secret sealed under the key passphrase (:func:`add_peer`). A send writes the presentation
to the outbox first and only then tries it (:meth:`Dispatcher.send`): resolve the recipient's
did:web (allow-listed hosts only, ``did_web_allow_hosts``), find its ``TraceabilityAPI``
endpoint, get a token, ``POST /presentations``. An entry that could not be delivered waits
with an exponential backoff (``outbox_backoff_*`` settings) and is tried again by
:meth:`Dispatcher.flush`, which ``tradetrace outbox flush`` and the server's
:class:`OutboxWorker` call, so nothing is lost while the recipient is down.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tradetrace import delivery, did, errors, oauth, storage
from tradetrace.config import Settings
from tradetrace.credentials import issue
from tradetrace.delivery import Attempt, DeliveryState
from tradetrace.storage.outbox import OutboxItem, OutboxRepository, Peer, PeerRepository
from tradetrace.types import Did
from tradetrace.workflows import identity, presentations

__all__ = [
    "DEFAULT_SCOPE",
    "Dispatcher",
    "OutboxWorker",
    "add_peer",
    "list_outbox",
    "list_peers",
    "remove_peer",
    "sign_presentation",
    "submission_body",
]

_logger = logging.getLogger(__name__)

DEFAULT_SCOPE: Final = oauth.Scope.SUBMIT_PRESENTATIONS.value
"""The scope asked for by default: the one ``POST /presentations`` needs."""

_CLAIM: Final = timedelta(minutes=2)  # longer than one attempt: three requests, each timed out


def _problem(field: str, reason: str) -> errors.InvalidDocument:
    return errors.InvalidDocument.from_problems("peer", [errors.FieldProblem(field, reason)])


def _url(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or len(value) > 1000:
        raise _problem(field, "expected an http(s) URL of at most 1000 characters")
    return value


def add_peer(
    session: Session,
    settings: Settings,
    *,
    did_web: str,
    client_id: str,
    client_secret: str,
    token_endpoint: str | None = None,
    audience: str | None = None,
    scope: str = DEFAULT_SCOPE,
    now: datetime,
) -> Peer:
    """Register (or replace) the client credentials the platform ``did_web`` issued to us.

    ``token_endpoint`` defaults to ``/oauth/token`` at the origin of the recipient's
    ``TraceabilityAPI`` endpoint (a tradetrace platform), ``audience`` to that endpoint.

    Raises:
        errors.InvalidDocument: not a did:web, an empty or overlong client id, secret or scope,
            or a token endpoint or audience that is not an http(s) URL; each names the field.
    """
    try:
        did.web_did_to_url(did_web)
    except errors.InvalidDocument as exc:
        raise _problem("did", exc.message) from None
    if not client_id.strip() or len(client_id) > 200:
        raise _problem("client_id", "expected 1 to 200 characters")
    if not scope.strip() or len(scope) > 200:
        raise _problem("scope", "expected 1 to 200 characters")
    try:
        sealed = oauth.seal_secret(
            client_secret, passphrase=identity.key_passphrase(settings), context=did_web
        )
    except errors.InvalidDocument as exc:
        raise _problem("client_secret", exc.message) from None
    peer = Peer(
        did=did_web, client_id=client_id.strip(), sealed_secret=sealed,
        token_endpoint=_url(token_endpoint, "token_endpoint"),
        audience=_url(audience, "audience"), scope=" ".join(scope.split()),
        created_at=now, updated_at=now,
    )  # fmt: skip
    stored = PeerRepository(session).save(peer)
    session.commit()
    return stored


def list_peers(session: Session) -> list[Peer]:
    """Every registered peer, by DID."""
    return PeerRepository(session).all()


def remove_peer(session: Session, did_web: str) -> None:
    """Forget a peer's credentials; :class:`~tradetrace.errors.NotFound` if none."""
    PeerRepository(session).remove(did_web)
    session.commit()


def list_outbox(
    session: Session, *, states: Collection[DeliveryState] = (), limit: int = 1000
) -> list[OutboxItem]:
    """Outbox entries, newest first, optionally only those in ``states``."""
    return OutboxRepository(session).entries(states=states, limit=limit)


def submission_body(document: Any) -> dict[str, Any]:
    """The body to post for ``document``: a TraceablePresentation, or one wrapped as
    ``{"verifiablePresentation", "workflow"}`` (interop ``presentations.yml``).

    Raises:
        errors.InvalidDocument: not a JSON object, or the presentation has no ``id`` or
            ``holder`` (the recipient needs both, standards.md §2.1) or no proof.
    """
    if not isinstance(document, Mapping):
        raise errors.InvalidDocument("expected a presentation as a JSON object")
    body = dict(document)
    inner = body.get("verifiablePresentation", body)
    if not isinstance(inner, Mapping):
        problem = errors.FieldProblem("verifiablePresentation", "expected a JSON object")
        raise errors.InvalidDocument.from_problems("presentation", [problem])
    problems = [
        errors.FieldProblem(name, "required to send a presentation")
        for name in ("id", "holder", "proof")
        if not inner.get(name)
    ]
    if problems:
        raise errors.InvalidDocument.from_problems("presentation", problems)
    return body


def sign_presentation(
    session: Session,
    settings: Settings,
    *,
    slug: str,
    document: Mapping[str, Any],
    format: issue.Format,
    now: datetime,
) -> dict[str, Any]:
    """Sign the presentation in ``document`` (bare or wrapped) as the hosted organisation
    ``slug``, its holder; the wrapper's other members are kept.

    Raises:
        errors.NotFound: no such organisation or key.
        errors.Forbidden: ``holder`` names another party.
        errors.InvalidDocument: the presentation breaks the data model.
    """
    body = dict(document)
    wrapped = isinstance(body.get("verifiablePresentation"), Mapping)
    unsigned = dict(body["verifiablePresentation"] if wrapped else body)
    unsigned.pop("proof", None)
    secured = presentations.prove_presentation(
        session, settings, caller_slug=slug, presentation=unsigned, format=format,
        challenge=None, domain=None, now=now,
    )  # fmt: skip
    signed = secured.document
    if not isinstance(signed, dict):
        raise errors.InvalidDocument("a presentation to send needs an embedded proof, not a JWS")
    return {**body, "verifiablePresentation": signed} if wrapped else signed


class Dispatcher:
    """Queues presentations and delivers outbox entries, for the node whose database is
    ``engine``; HTTP goes through ``http``, time comes from ``clock``."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        http: httpx.Client,
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self._writers = storage.make_session_factory(engine)
        self._readers = storage.make_session_factory(engine, write=False)
        self._settings = settings
        self._clock = clock
        self._resolver = did.WebResolver(
            http,
            allow_hosts=settings.did_web_allow_hosts,
            unsafe_http_hosts=settings.did_web_insecure_hosts,
            cache_ttl=timedelta(minutes=5),
            now=clock,
        )
        self._client = delivery.InteropClient(http, now=clock)
        self._backoff = delivery.Backoff(
            base=timedelta(seconds=settings.outbox_backoff_base_seconds),
            cap=timedelta(seconds=settings.outbox_backoff_cap_seconds),
        )

    def send(
        self, *, recipient: str, body: Mapping[str, Any], sender_slug: str | None
    ) -> OutboxItem:
        """Write the presentation in ``body`` (see :func:`submission_body`) to the outbox for
        ``recipient``, commit, then try it at once; the entry as it stands afterwards.

        Raises:
            errors.NotFound: ``recipient`` is not a registered peer.
            errors.InvalidDocument: the body is not a presentation that can be sent.
        """
        checked = submission_body(body)
        inner = checked.get("verifiablePresentation", checked)
        now = self._clock()
        with self._writers() as session:
            PeerRepository(session).get(recipient)
            item = OutboxItem(
                id=str(uuid.uuid4()), recipient=recipient, sender_slug=sender_slug,
                presentation_id=str(inner["id"])[:512], body=json.dumps(checked),
                state=DeliveryState.QUEUED, attempts=0,
                # Held by this call for its first attempt; due for anyone if it never comes.
                next_attempt_at=now + _CLAIM, last_status=None, last_error=None,
                created_at=now, updated_at=now, delivered_at=None,
            )  # fmt: skip
            OutboxRepository(session).add(item)
            session.commit()
        return self._deliver(item)

    def flush(
        self, *, due_only: bool = True, ids: Collection[str] = (), limit: int = 100
    ) -> list[OutboxItem]:
        """Try the pending entries that are due (every pending one without ``due_only``;
        only ``ids`` when given), oldest first; the entries as they stand afterwards."""
        now = self._clock()
        with self._writers() as session:
            claimed = OutboxRepository(session).claim(
                now=now, until=now + _CLAIM, limit=limit, ids=ids, due_only=due_only
            )
            session.commit()
        return [self._deliver(item) for item in claimed]

    def _deliver(self, item: OutboxItem) -> OutboxItem:
        attempt = self._attempt(item)
        now = self._clock()
        retry_at = now + self._backoff.delay(item.attempts + 1)
        with self._writers() as session:
            recorded = OutboxRepository(session).record(
                item.id, attempt, now=now, next_attempt_at=retry_at
            )
            session.commit()
        log = _logger.info if attempt.state is DeliveryState.SENT else _logger.warning
        log("outbox %s to %s: %s (%s)", item.id, item.recipient, attempt.state, attempt.message)
        return recorded

    def _attempt(self, item: OutboxItem) -> Attempt:
        """One delivery attempt; never holds a database transaction across the network."""
        retry = DeliveryState.FAILED_RETRYING
        with self._readers() as session:
            try:
                peer = PeerRepository(session).get(item.recipient)
            except errors.NotFound as exc:
                return Attempt(retry, None, exc.message)
        try:
            endpoint = delivery.traceability_endpoint(self._resolver.resolve(Did(item.recipient)))
            token_endpoint = peer.token_endpoint or delivery.default_token_endpoint(endpoint)
            secret = oauth.unseal_secret(
                peer.sealed_secret,
                passphrase=identity.key_passphrase(self._settings),
                context=peer.did,
            )
        except (errors.ResolutionError, errors.ConfigurationError) as exc:
            return Attempt(retry, None, exc.message)
        access = delivery.PeerAccess(
            client_id=peer.client_id, client_secret=secret, token_endpoint=token_endpoint,
            audience=peer.audience or endpoint, scope=peer.scope,
        )  # fmt: skip
        return self._client.submit(endpoint, item.body.encode("utf-8"), access)


class OutboxWorker:
    """Calls :meth:`Dispatcher.flush` every ``interval`` seconds in a background thread."""

    def __init__(self, dispatcher: Dispatcher, *, interval: float) -> None:
        self._dispatcher = dispatcher
        self._interval = interval
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (nothing happens with an interval of 0)."""
        if self._interval <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="tradetrace-outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread after its current round."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                done: Sequence[OutboxItem] = self._dispatcher.flush()
            except Exception:  # a bad round must not end the retries of the next ones
                _logger.exception("outbox retry round failed")
                continue
            if done:
                _logger.info("outbox: tried %d due entries", len(done))
