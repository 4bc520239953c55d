"""InteropClient against a fake platform (httpx.MockTransport): token, post, every outcome."""

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import httpx
import pytest

from tradetrace.delivery import DeliveryState, InteropClient, PeerAccess

START = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ENDPOINT = "https://customs.example/interop"
ACCESS = PeerAccess(
    client_id="tt-abc",
    client_secret="s3cret+/=",
    token_endpoint="https://customs.example/oauth/token",
    audience=ENDPOINT,
    scope="submit:presentations",
)
BODY = json.dumps({"id": "urn:uuid:1", "holder": "did:web:importer.example"}).encode()


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now


class Platform:
    """Answers the token endpoint and ``POST /presentations`` with scripted statuses."""

    def __init__(self, *answers, token_answers=()):
        self.answers = list(answers)
        self.token_answers = list(token_answers)
        self.requests = []
        self.issued = 0

    def __call__(self, request):
        self.requests.append(request)
        if request.url.path == "/oauth/token":
            if self.token_answers:
                return self.token_answers.pop(0)
            self.issued += 1
            return httpx.Response(
                200, json={"access_token": f"token-{self.issued}", "expires_in": 900}
            )
        return self.answers.pop(0)

    def posts(self):
        return [r for r in self.requests if r.url.path == "/interop/presentations"]


def _client(platform, clock=None):
    return InteropClient(
        httpx.Client(transport=httpx.MockTransport(platform)), now=clock or Clock()
    )


def test_submit_gets_a_token_then_posts_the_presentation():
    platform = Platform(httpx.Response(200, json={"id": "urn:uuid:1"}))
    attempt = _client(platform).submit(ENDPOINT, BODY, ACCESS)
    assert (attempt.state, attempt.status_code) == (DeliveryState.SENT, 200)
    token_request, post = platform.requests
    assert (
        token_request.headers["authorization"]
        == "Basic " + base64.b64encode(b"tt-abc:s3cret%2B%2F%3D").decode()
    )
    form = parse_qs(token_request.content.decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "audience": [ENDPOINT],
        "scope": ["submit:presentations"],
    }
    assert str(post.url) == f"{ENDPOINT}/presentations"
    assert post.headers["authorization"] == "Bearer token-1"
    assert post.content == BODY


@pytest.mark.parametrize(
    ("answer", "state", "fragment"),
    [
        (httpx.Response(409, json={"message": "presentation urn:uuid:1 was already received"}),
         DeliveryState.DUPLICATE, "already received"),
        (httpx.Response(503, text="down for maintenance"), DeliveryState.FAILED_RETRYING,
         "answered 503: down for maintenance"),
        (httpx.Response(422, json={"detail": "presentation did not verify"}),
         DeliveryState.REJECTED, "did not verify"),
        (httpx.Response(307, headers={"location": "https://elsewhere.example"}),
         DeliveryState.REJECTED, "redirects are not followed"),
    ],
)  # fmt: skip
def test_submit_classifies_the_answer(answer, state, fragment):
    attempt = _client(Platform(answer)).submit(ENDPOINT, BODY, ACCESS)
    assert attempt.state is state
    assert fragment in attempt.message


def test_refused_client_credentials_are_retried_later_and_never_leak_the_secret():
    refused = httpx.Response(401, json={"error": "invalid_client"})
    platform = Platform(token_answers=[refused])
    attempt = _client(platform).submit(ENDPOINT, BODY, ACCESS)
    assert (attempt.state, attempt.status_code) == (DeliveryState.FAILED_RETRYING, 401)
    assert "token endpoint https://customs.example/oauth/token answered 401" in attempt.message
    assert "s3cret" not in attempt.message and "s3cret" not in repr(ACCESS)
    assert platform.posts() == []


def test_a_token_answer_without_a_token_is_retried_later():
    platform = Platform(token_answers=[httpx.Response(200, json={"token_type": "Bearer"})])
    attempt = _client(platform).submit(ENDPOINT, BODY, ACCESS)
    assert attempt.state is DeliveryState.FAILED_RETRYING
    assert "without an access token" in attempt.message


def test_an_unreachable_platform_is_retried_later():
    def down(request):
        raise httpx.ConnectError("connection refused", request=request)

    attempt = _client(down).submit(ENDPOINT, BODY, ACCESS)
    assert (attempt.state, attempt.status_code) == (DeliveryState.FAILED_RETRYING, None)
    assert attempt.message == (
        "token endpoint https://customs.example/oauth/token unreachable: ConnectError"
    )


def test_tokens_are_reused_until_shortly_before_they_expire():
    clock = Clock()
    platform = Platform(*[httpx.Response(200, json={}) for _ in range(3)])
    client = _client(platform, clock)
    client.submit(ENDPOINT, BODY, ACCESS)
    clock.now += timedelta(seconds=860)
    client.submit(ENDPOINT, BODY, ACCESS)
    assert platform.issued == 1
    clock.now += timedelta(seconds=20)  # within 30 s of the expiry: renew first
    client.submit(ENDPOINT, BODY, ACCESS)
    assert platform.issued == 2
    assert [p.headers["authorization"] for p in platform.posts()] == [
        "Bearer token-1",
        "Bearer token-1",
        "Bearer token-2",
    ]


def test_a_reused_token_refused_with_401_is_renewed_once():
    platform = Platform(
        httpx.Response(200, json={}),
        httpx.Response(401, json={"message": "access token of a revoked client"}),
        httpx.Response(200, json={}),
    )
    client = _client(platform)
    client.submit(ENDPOINT, BODY, ACCESS)
    attempt = client.submit(ENDPOINT, BODY, ACCESS)
    assert attempt.state is DeliveryState.SENT
    assert [p.headers["authorization"] for p in platform.posts()] == [
        "Bearer token-1",
        "Bearer token-1",
        "Bearer token-2",
    ]


def test_a_fresh_token_refused_with_401_is_a_rejection():
    platform = Platform(
        httpx.Response(401, json={"message": "access token is for another audience"})
    )
    attempt = _client(platform).submit(ENDPOINT, BODY, ACCESS)
    assert (attempt.state, attempt.status_code) == (DeliveryState.REJECTED, 401)
    assert platform.issued == 1


def test_a_failed_renewal_after_a_401_is_the_attempt():
    platform = Platform(
        httpx.Response(200, json={}),
        httpx.Response(401, json={"message": "token revoked"}),
        token_answers=[
            httpx.Response(200, json={"access_token": "token-1", "expires_in": 900}),
            httpx.Response(503, json=["not", "an", "object"]),
        ],
    )
    client = _client(platform)
    client.submit(ENDPOINT, BODY, ACCESS)
    attempt = client.submit(ENDPOINT, BODY, ACCESS)
    assert (attempt.state, attempt.status_code) == (DeliveryState.FAILED_RETRYING, 503)
    assert attempt.message.endswith('answered 503: ["not","an","object"]')


def test_a_post_that_cannot_connect_is_retried_and_no_scope_is_asked_when_none_is_set():
    def handler(request):
        if request.url.path == "/oauth/token":
            assert "scope" not in parse_qs(request.content.decode())
            return httpx.Response(200, json={"access_token": "t"})
        raise httpx.ReadTimeout("timed out", request=request)

    access = PeerAccess(
        client_id="tt-abc", client_secret="s", token_endpoint=ACCESS.token_endpoint,
        audience=ENDPOINT, scope="",
    )  # fmt: skip
    attempt = _client(handler).submit(ENDPOINT, BODY, access)
    assert attempt.state is DeliveryState.FAILED_RETRYING
    assert attempt.message == f"{ENDPOINT}/presentations unreachable: ReadTimeout"


def test_a_huge_error_answer_is_read_only_up_to_the_cap():
    huge = httpx.Response(500, content=b"x" * (200 * 1024))
    attempt = _client(Platform(huge)).submit(ENDPOINT, BODY, ACCESS)
    assert attempt.state is DeliveryState.FAILED_RETRYING
    assert attempt.message == f"{ENDPOINT}/presentations answered 500: " + "x" * 300
