"""The interop client: an OAuth 2.0 client-credentials token, then ``POST /presentations``.

Tokens come from the recipient's token endpoint (RFC 6749 §4.4.2, the client authenticating
with HTTP Basic, §2.3.1) for the recipient's audience, and are reused until shortly before they
expire. The presentation goes to ``{endpoint}/presentations`` with ``Authorization: Bearer``
(RFC 6750 §2.1; Traceability Interop ``submitPresentationWithOAuth2Security``). Every outcome is
an :class:`~tradetrace.delivery.outcome.Attempt`, never an exception: a platform that is down
is an expected state of the outbox, not an error. Redirects are not followed, and answers are
read only up to a small cap.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

import httpx

from tradetrace.delivery.outcome import Attempt, DeliveryState, state_for_status

__all__ = ["InteropClient", "PeerAccess"]

_MAX_ANSWER_BYTES: Final = 64 * 1024
_EARLY_RENEWAL: Final = timedelta(seconds=30)
_MESSAGE_CHARS: Final = 300


@dataclass(frozen=True, slots=True)
class PeerAccess:
    """How to get a token from a recipient: the client credentials it issued to us, its token
    endpoint, the audience to ask for and the scope. ``repr`` hides the secret."""

    client_id: str
    client_secret: str = field(repr=False)
    token_endpoint: str
    audience: str
    scope: str


@dataclass(frozen=True, slots=True)
class _Token:
    value: str = field(repr=False)
    expires_at: datetime


def _read(response: httpx.Response) -> bytes:
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > _MAX_ANSWER_BYTES:
            break
    return bytes(body[:_MAX_ANSWER_BYTES])


def _reason(body: bytes) -> str:
    """The error message of an answer: interop ``message``, RFC 6749 ``error_description`` or
    ``error``, RFC 9457 ``detail``; else the start of the body."""
    try:
        parsed: Any = json.loads(body)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        for name in ("message", "error_description", "detail", "error"):
            if isinstance(parsed.get(name), str):
                return str(parsed[name])[:_MESSAGE_CHARS]
    return body.decode("utf-8", "replace").strip()[:_MESSAGE_CHARS]


class InteropClient:
    """Posts presentations to other platforms through ``http``; ``now`` is the clock used for
    token lifetimes."""

    def __init__(self, http: httpx.Client, *, now: Callable[[], datetime]) -> None:
        self._http = http
        self._now = now
        self._tokens: dict[tuple[str, str, str, str], _Token] = {}

    def submit(self, endpoint: str, body: bytes, access: PeerAccess) -> Attempt:
        """Post ``body`` (a JSON TraceablePresentation or ``{"verifiablePresentation", ...}``)
        to ``{endpoint}/presentations``; a 401 with a reused token is tried once more with a
        fresh one (it may have been revoked or expired early)."""
        token = self._token(access)
        if isinstance(token, Attempt):
            return token
        attempt = self._post(endpoint, body, token[0])
        if attempt.status_code == 401 and token[1]:
            self._tokens.pop(self._key(access), None)
            fresh = self._token(access)
            if isinstance(fresh, Attempt):
                return fresh
            attempt = self._post(endpoint, body, fresh[0])
        return attempt

    @staticmethod
    def _key(access: PeerAccess) -> tuple[str, str, str, str]:
        return (access.token_endpoint, access.client_id, access.audience, access.scope)

    def _token(self, access: PeerAccess) -> tuple[str, bool] | Attempt:
        """A token and whether it was reused, or the failed attempt to get one."""
        cached = self._tokens.get(self._key(access))
        if cached is not None and self._now() < cached.expires_at - _EARLY_RENEWAL:
            return cached.value, True
        # RFC 6749 §2.3.1: both parts are form-urlencoded before the Basic encoding.
        pair = f"{urllib.parse.quote_plus(access.client_id)}:"
        pair += urllib.parse.quote_plus(access.client_secret)
        headers = {
            "Authorization": "Basic " + base64.b64encode(pair.encode()).decode("ascii"),
            "Accept": "application/json",
        }
        form = {"grant_type": "client_credentials", "audience": access.audience}
        if access.scope:
            form["scope"] = access.scope
        where = f"token endpoint {access.token_endpoint}"
        try:
            with self._http.stream(
                "POST", access.token_endpoint, data=form, headers=headers, follow_redirects=False
            ) as response:
                answer = _read(response)
        except httpx.HTTPError as exc:
            return self._unreachable(where, exc)
        if response.status_code != 200:
            message = f"{where} answered {response.status_code}: {_reason(answer)}"
            # Refused credentials are worth retrying: the peer's entry can be corrected.
            return Attempt(DeliveryState.FAILED_RETRYING, response.status_code, message)
        try:
            granted = json.loads(answer)
            value, lifetime = str(granted["access_token"]), int(granted.get("expires_in", 300))
        except (ValueError, KeyError, TypeError):
            message = f"{where} answered without an access token (RFC 6749 §5.1)"
            return Attempt(DeliveryState.FAILED_RETRYING, 200, message)
        token = _Token(value, self._now() + timedelta(seconds=max(lifetime, 0)))
        self._tokens[self._key(access)] = token
        return token.value, False

    def _post(self, endpoint: str, body: bytes, token: str) -> Attempt:
        url = f"{endpoint}/presentations"
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        try:
            with self._http.stream(
                "POST", url, content=body, headers=headers, follow_redirects=False
            ) as response:
                answer = _read(response)
        except httpx.HTTPError as exc:
            return self._unreachable(url, exc)
        status = response.status_code
        state = state_for_status(status)
        if 300 <= status < 400:
            message = f"{url} redirected ({status}); redirects are not followed"
        elif state is DeliveryState.SENT:
            message = f"{url} accepted the presentation ({status})"
        else:
            message = f"{url} answered {status}: {_reason(answer)}"
        return Attempt(state, status, message)

    @staticmethod
    def _unreachable(where: str, exc: httpx.HTTPError) -> Attempt:
        return Attempt(
            DeliveryState.FAILED_RETRYING, None, f"{where} unreachable: {type(exc).__name__}"
        )
