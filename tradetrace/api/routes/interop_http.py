"""What every Traceability Interop route shares: its error body, bearer-token check and
bounded JSON body reader.

The interop suite validates every error against ``{message, details?}`` (its
``responseSchema4xx`` collection variables), so interop errors are our RFC 9457 problem details
(statuses from :mod:`tradetrace.api.errors`) with a ``message`` member added. Tokens are checked
by :class:`~tradetrace.workflows.oauth.TokenService` (RFC 6750 §2.1 ``Authorization: Bearer``);
a missing or bad token is 401 and a token without the endpoint's scope or for another audience
is 403, each with a ``WWW-Authenticate: Bearer`` challenge (RFC 6750 §3).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Final

from fastapi import Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from tradetrace import errors, oauth
from tradetrace.api.deps import SessionDep
from tradetrace.api.errors import problem_response, status_for
from tradetrace.config import Settings
from tradetrace.credentials import json_input
from tradetrace.workflows.oauth import Principal, TokenService

__all__ = [
    "InteropRoute",
    "JsonBody",
    "authorize",
    "interop_problem",
    "optional_principal",
    "read_body",
    "token_service",
]

_MAX_DEPTH: Final = 64
_CHALLENGES: Final = {
    errors.Unauthorized: 'Bearer error="invalid_token"',
    errors.Forbidden: 'Bearer error="insufficient_scope"',
}


def interop_problem(
    request: Request, exc: errors.TradeTraceError, *, extra: dict[str, Any] | None = None
) -> JSONResponse:
    """A problem-details response for ``exc`` with the interop ``message`` member (and
    ``extra`` members, such as the ``error`` of RFC 6749 §5.2)."""
    problems = None
    if isinstance(exc, errors.InvalidDocument) and exc.problems:
        problems = [{"field": item.field, "reason": item.reason} for item in exc.problems]
    headers = None
    challenge = next((c for family, c in _CHALLENGES.items() if isinstance(exc, family)), None)
    if challenge is not None:
        # RFC 6750 §3.1: no error code when the request carried no token at all.
        headers = {"WWW-Authenticate": challenge if _has_token(request) else "Bearer"}
    response = problem_response(
        request,
        status=status_for(exc),
        code=exc.code,
        detail=exc.message,
        problems=problems,
        headers=headers,
    )
    body = json.loads(bytes(response.body))
    body["message"] = exc.message
    body.update(extra or {})
    return JSONResponse(
        body, status_code=response.status_code, headers=headers, media_type=response.media_type
    )


def _has_token(request: Request) -> bool:
    return request.headers.get("authorization") is not None


class InteropRoute(APIRoute):
    """A route whose domain errors (its dependencies' too) get the interop error body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap FastAPI's handler so :class:`~tradetrace.errors.TradeTraceError` becomes
        :func:`interop_problem`."""
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except errors.TradeTraceError as exc:
                return interop_problem(request, exc)

        return route


def token_service(request: Request) -> TokenService:
    """The app's :class:`TokenService`."""
    service: TokenService = request.app.state.token_service
    return service


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.Unauthorized("expected Authorization: Bearer <access token>")
    return token.strip()


def authorize(scope: oauth.Scope) -> Callable[[Request, Any], Principal]:
    """A dependency that requires a bearer token with ``scope`` (RFC 6750 §2.1, §3.1)."""

    def dependency(request: Request, session: SessionDep) -> Principal:
        token = _bearer(request)
        if token is None:
            raise errors.Unauthorized("missing bearer access token")
        return token_service(request).authenticate(session, token, scope=scope)

    return dependency


def optional_principal(scope: oauth.Scope) -> Callable[[Request, Any], Principal | None]:
    """Like :func:`authorize`, but a request without a token is anonymous (``None``)."""

    def dependency(request: Request, session: SessionDep) -> Principal | None:
        token = _bearer(request)
        if token is None:
            return None
        return token_service(request).authenticate(session, token, scope=scope)

    return dependency


async def read_body(request: Request) -> bytes:
    """The request body, refused past ``interop_max_body_bytes`` before it is all read.

    Raises:
        errors.LimitExceeded: the body is larger than the limit.
    """
    settings: Settings = request.app.state.settings
    limit = settings.interop_max_body_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise errors.LimitExceeded(f"request body too large: at most {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise errors.LimitExceeded(f"request body too large: at most {limit} bytes")
    return bytes(body)


async def _json_body(request: Request) -> Any:
    body = await read_body(request)
    if not body.strip():
        problem = errors.FieldProblem("body", "a JSON object is required")
        raise errors.InvalidDocument.from_problems("request", [problem])
    settings: Settings = request.app.state.settings
    try:
        parsed = json_input.parse_json(
            body, max_bytes=settings.interop_max_body_bytes, max_depth=_MAX_DEPTH
        )
    except errors.InvalidDocument as exc:
        problem = errors.FieldProblem("body", exc.message)
        raise errors.InvalidDocument.from_problems("request", [problem]) from None
    return parsed.value


JsonBody = Annotated[Any, Depends(_json_body)]
"""The request body as parsed JSON (any JSON value), bounded in size and depth."""
