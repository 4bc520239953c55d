"""Outbound interop: peers, the outbox, delivery against a fake platform (httpx.MockTransport)
with an injected clock, backoff, flush, and nothing lost while the recipient is down."""

import json
import threading
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from tests.conftest import FIXED_NOW
from tradetrace import did, errors, storage
from tradetrace.credentials import issue
from tradetrace.delivery import DeliveryState
from tradetrace.keys import KeyKind, SigningKey
from tradetrace.storage.outbox import OutboxRepository
from tradetrace.storage.outbox_tables import InteropPeerRow
from tradetrace.workflows import identity, outbound

PEER = "did:web:customs.example"
ENDPOINT = "https://customs.example/interop"
PRESENTATION = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiablePresentation", "TraceablePresentation"],
    "id": "urn:uuid:7c6b1c57-3f61-4d0e-9b0f-3a0c1b2d4e5f",
    "holder": "did:web:importer.example",
    "workflow": {"instance": ["urn:uuid:entry-1"], "definition": ["urn:example:steel"]},
    "proof": {"type": "DataIntegrityProof", "proofValue": "z..."},
}


class Clock:
    def __init__(self):
        self.now = FIXED_NOW

    def __call__(self):
        return self.now


class Platform:
    """The receiving platform: its did:web document, token endpoint and ``/presentations``.
    ``up`` switches it on and off; ``answers`` scripts the statuses of the posts."""

    def __init__(self):
        self.up = True
        self.answers: list[int] = []
        self.received: list[dict] = []
        service = did.Service(
            id=f"{PEER}#traceability-api", type=("TraceabilityAPI",), service_endpoint=ENDPOINT
        )
        key = SigningKey.generate(KeyKind.P256).public_key()
        self.document = did.build_web_did_document(
            PEER, keys_by_fragment={"p256-1": key}, services=[service]
        ).to_dict()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            raise httpx.ConnectError("connection refused", request=request)
        path = request.url.path
        if path == "/.well-known/did.json":
            return httpx.Response(200, json=self.document)
        if path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 900})
        assert path == "/interop/presentations"
        status = self.answers.pop(0) if self.answers else 200
        if status == 200:
            self.received.append(json.loads(request.content))
        return httpx.Response(status, json={"message": f"answered {status}"})


@pytest.fixture
def node(settings, engine):
    configured = settings.model_copy(
        update={
            "did_web_allow_hosts": ("customs.example",),
            "outbox_backoff_base_seconds": 30.0,
            "outbox_backoff_cap_seconds": 120.0,
        }
    )
    platform, clock = Platform(), Clock()
    http = httpx.Client(transport=httpx.MockTransport(platform))
    sessions = storage.make_session_factory(engine)
    with sessions() as session:
        outbound.add_peer(
            session, configured, did_web=PEER, client_id="tt-1", client_secret="secret-1",
            now=FIXED_NOW,
        )  # fmt: skip
    dispatcher = outbound.Dispatcher(engine, configured, http, clock=clock)
    return dispatcher, platform, clock, sessions, configured


def _items(sessions):
    with sessions() as session:
        return outbound.list_outbox(session)


def test_add_peer_seals_the_secret_and_replaces_credentials(node):
    _, _, _, sessions, settings = node
    with sessions() as session:
        row = session.scalars(select(InteropPeerRow)).one()
        assert "secret-1" not in row.sealed_secret
        later = FIXED_NOW + timedelta(days=1)
        outbound.add_peer(
            session, settings, did_web=PEER, client_id="tt-2", client_secret="secret-2",
            token_endpoint="https://auth.customs.example/token", scope="  submit:presentations ",
            now=later,
        )  # fmt: skip
        (peer,) = outbound.list_peers(session)
    assert (peer.client_id, peer.token_endpoint, peer.scope) == (
        "tt-2",
        "https://auth.customs.example/token",
        "submit:presentations",
    )
    assert (peer.created_at, peer.updated_at) == (FIXED_NOW, later)
    assert "secret" not in repr(peer)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"did_web": "did:key:z6Mk"}, "did"),
        ({"client_id": " "}, "client_id"),
        ({"client_secret": ""}, "client_secret"),
        ({"scope": ""}, "scope"),
        ({"token_endpoint": "customs.example/token"}, "token_endpoint"),
        ({"audience": "ftp://customs.example"}, "audience"),
    ],
)
def test_add_peer_names_the_bad_field(node, overrides, field):
    _, _, _, sessions, settings = node
    arguments = {"did_web": PEER, "client_id": "tt-1", "client_secret": "s", **overrides}
    with sessions() as session, pytest.raises(errors.InvalidDocument) as info:
        outbound.add_peer(session, settings, now=FIXED_NOW, **arguments)
    assert info.value.code == "invalid_document"
    assert [problem.field for problem in info.value.problems] == [field]


def test_send_delivers_at_once(node):
    dispatcher, platform, _, sessions, _ = node
    item = dispatcher.send(recipient=PEER, body=PRESENTATION, sender_slug="importer")
    assert (item.state, item.attempts, item.last_status) == (DeliveryState.SENT, 1, 200)
    assert (item.delivered_at, item.next_attempt_at, item.last_error) == (FIXED_NOW, None, None)
    assert platform.received == [PRESENTATION]
    assert [entry.id for entry in _items(sessions)] == [item.id]


def test_nothing_is_lost_while_the_recipient_is_down(node):
    dispatcher, platform, clock, _, _ = node
    platform.up = False
    item = dispatcher.send(recipient=PEER, body=PRESENTATION, sender_slug="importer")
    assert (item.state, item.attempts) == (DeliveryState.FAILED_RETRYING, 1)
    assert item.next_attempt_at == FIXED_NOW + timedelta(seconds=30)
    assert "fetching https://customs.example/.well-known/did.json failed" in item.last_error
    platform.up = True
    clock.now += timedelta(seconds=29)
    assert dispatcher.flush() == []  # not due yet
    clock.now += timedelta(seconds=1)
    (delivered,) = dispatcher.flush()
    assert (delivered.id, delivered.state, delivered.attempts) == (item.id, DeliveryState.SENT, 2)
    assert delivered.delivered_at == clock.now
    assert platform.received == [PRESENTATION]
    assert dispatcher.flush(due_only=False) == []  # settled: never sent again


def test_retries_back_off_exponentially_up_to_the_cap(node):
    dispatcher, platform, clock, _, _ = node
    platform.answers = [503] * 5
    item = dispatcher.send(recipient=PEER, body=PRESENTATION, sender_slug=None)
    waits = []
    for _ in range(4):
        waits.append(item.next_attempt_at - clock.now)
        clock.now = item.next_attempt_at
        (item,) = dispatcher.flush()
    assert waits == [timedelta(seconds=s) for s in (30, 60, 120, 120)]
    assert (item.state, item.attempts, item.last_status) == (DeliveryState.FAILED_RETRYING, 5, 503)


@pytest.mark.parametrize(
    ("status", "state"), [(409, DeliveryState.DUPLICATE), (400, DeliveryState.REJECTED)]
)
def test_duplicates_and_rejections_are_settled(node, status, state):
    dispatcher, platform, _, _, _ = node
    platform.answers = [status]
    item = dispatcher.send(recipient=PEER, body=PRESENTATION, sender_slug=None)
    assert (item.state, item.last_status, item.next_attempt_at) == (state, status, None)
    assert f"answered {status}" in item.last_error
    assert dispatcher.flush(due_only=False) == []


def test_flush_all_ignores_the_backoff_and_ids_select(node):
    dispatcher, platform, _, _, _ = node
    platform.up = False
    first = dispatcher.send(recipient=PEER, body=PRESENTATION, sender_slug=None)
    second = dispatcher.send(
        recipient=PEER, body={**PRESENTATION, "id": "urn:uuid:second"}, sender_slug=None
    )
    platform.up = True
    assert dispatcher.flush() == []
    (only,) = dispatcher.flush(due_only=False, ids=[second.id])
    assert (only.id, only.state) == (second.id, DeliveryState.SENT)
    (rest,) = dispatcher.flush(due_only=False)
    assert (rest.id, rest.state) == (first.id, DeliveryState.SENT)


def test_claimed_entries_are_not_claimed_twice(node):
    dispatcher, platform, clock, sessions, _ = node
    platform.up = False
    dispatcher.send(recipient=PEER, body=PRESENTATION, sender_slug=None)
    clock.now += timedelta(minutes=5)
    with sessions() as session:
        repository = OutboxRepository(session)
        until = clock.now + timedelta(minutes=2)
        assert len(repository.claim(now=clock.now, until=until, limit=10)) == 1
        assert repository.claim(now=clock.now, until=until, limit=10) == []
        session.commit()


def test_a_send_needs_a_peer_and_a_signed_presentation(node):
    dispatcher, platform, _, sessions, _ = node
    with pytest.raises(errors.NotFound, match="register it with `tradetrace peer add`") as info:
        dispatcher.send(recipient="did:web:other.example", body=PRESENTATION, sender_slug=None)
    assert info.value.code == "not_found"
    unsigned = {key: value for key, value in PRESENTATION.items() if key != "proof"}
    with pytest.raises(errors.InvalidDocument) as invalid:
        dispatcher.send(recipient=PEER, body={"verifiablePresentation": unsigned}, sender_slug=None)
    assert [p.field for p in invalid.value.problems] == ["proof"]
    with pytest.raises(errors.InvalidDocument, match="expected a JSON object"):
        dispatcher.send(recipient=PEER, body={"verifiablePresentation": "x"}, sender_slug=None)
    with pytest.raises(errors.InvalidDocument, match="expected a presentation as a JSON object"):
        outbound.submission_body(["not", "an", "object"])
    assert _items(sessions) == [] and platform.received == []


def test_wrapped_bodies_are_posted_as_they_are(node):
    dispatcher, platform, _, _, _ = node
    body = {"verifiablePresentation": PRESENTATION, "workflow": {"instance": ["urn:uuid:x"]}}
    item = dispatcher.send(recipient=PEER, body=body, sender_slug=None)
    assert item.presentation_id == PRESENTATION["id"]
    assert platform.received == [body]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("forget_peer", "no peer did:web:customs.example"),
        ("disallow_host", "host customs.example is not allowed"),
        ("no_service", "lists no TraceabilityAPI service"),
    ],
)
def test_failures_before_the_post_are_retried(node, engine, change, message):
    dispatcher, platform, clock, sessions, settings = node
    platform.up = False
    item = dispatcher.send(recipient=PEER, body=PRESENTATION, sender_slug=None)
    platform.up = True
    if change == "forget_peer":
        with sessions() as session:
            outbound.remove_peer(session, PEER)
    elif change == "disallow_host":
        closed = settings.model_copy(update={"did_web_allow_hosts": ()})
        dispatcher = outbound.Dispatcher(
            engine, closed, httpx.Client(transport=httpx.MockTransport(platform)), clock=clock
        )
    else:
        platform.document.pop("service")
    (retried,) = dispatcher.flush(due_only=False, ids=[item.id])
    assert retried.state is DeliveryState.FAILED_RETRYING
    assert message in retried.last_error
    assert platform.received == []


def test_sign_presentation_signs_as_the_hosted_organisation(node, settings):
    _, _, _, sessions, _ = node
    with sessions() as session:
        organisation = identity.create_organisation(
            session, settings, slug="importer", name="Importer", country="US", now=FIXED_NOW
        )
        unsigned = {key: value for key, value in PRESENTATION.items() if key != "holder"}
        wrapped = {"verifiablePresentation": unsigned, "workflow": PRESENTATION["workflow"]}
        signed = outbound.sign_presentation(
            session, settings, slug="importer", document=wrapped,
            format=issue.Format.ECDSA_JCS_2019, now=FIXED_NOW,
        )  # fmt: skip
        with pytest.raises(errors.InvalidDocument, match="embedded proof"):
            outbound.sign_presentation(
                session, settings, slug="importer", document=unsigned,
                format=issue.Format.VC_JWT, now=FIXED_NOW,
            )  # fmt: skip
    presentation = signed["verifiablePresentation"]
    assert signed["workflow"] == PRESENTATION["workflow"]
    assert presentation["holder"] == organisation.did
    assert presentation["proof"]["cryptosuite"] == "ecdsa-jcs-2019"
    assert presentation["proof"]["verificationMethod"].startswith(organisation.did + "#p256")
    assert outbound.submission_body(signed) == signed


class _CountingDispatcher:
    """Fails its first round (the worker logs it and keeps going), then tries one entry."""

    def __init__(self):
        self.calls = 0
        self.rounds = threading.Event()

    def flush(self):
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("a bad round")
        self.rounds.set()
        return ["an entry"]


def test_outbox_worker_flushes_in_the_background_until_stopped():
    dispatcher = _CountingDispatcher()
    worker = outbound.OutboxWorker(dispatcher, interval=0.01)  # type: ignore[arg-type]
    worker.start()
    try:
        assert dispatcher.rounds.wait(timeout=30)
    finally:
        worker.stop()
    idle = outbound.OutboxWorker(_CountingDispatcher(), interval=0)  # type: ignore[arg-type]
    idle.start()
    idle.stop()
