"""The OAuth 2.0 token endpoint of this node (RFC 6749 §3.2, §4.4 client credentials grant) and
its signing keys (RFC 7517 §5, as an authorization server's ``jwks_uri``, RFC 8414 §2).

The client authenticates with ``client_secret_basic`` (RFC 6749 §2.3.1, HTTP Basic) or
``client_secret_post`` (the same credentials in the form body), never both. Errors carry the
RFC 6749 §5.2 ``error`` code beside our problem-details members.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Final
from urllib.parse import parse_qs, unquote_plus

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from tradetrace import errors
from tradetrace.api.routes.interop_http import interop_problem, read_body, token_service

__all__ = ["router"]

router = APIRouter(tags=["oauth"])

_NO_STORE: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1
_ERROR_BY_FIELD: Final = {
    "grant_type": "unsupported_grant_type",
    "scope": "invalid_scope",
    "audience": "invalid_target",
}


def _form(body: bytes) -> dict[str, str]:
    try:
        text = body.decode("ascii")
        fields = parse_qs(
            text, keep_blank_values=True, strict_parsing=bool(text), max_num_fields=20
        )
    except (UnicodeDecodeError, ValueError):
        problem = errors.FieldProblem("body", "expected application/x-www-form-urlencoded")
        raise errors.InvalidDocument.from_problems("token request", [problem]) from None
    repeated = sorted(name for name, values in fields.items() if len(values) > 1)
    if repeated:  # RFC 6749 §3.2: request parameters MUST NOT be included more than once
        problem = errors.FieldProblem(repeated[0], "given more than once")
        raise errors.InvalidDocument.from_problems("token request", [problem])
    return {name: values[0] for name, values in fields.items()}


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        raise errors.Unauthorized("client authentication must be HTTP Basic or in the form")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise errors.Unauthorized("malformed HTTP Basic credentials") from None
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        raise errors.Unauthorized("malformed HTTP Basic credentials")
    # RFC 6749 §2.3.1: both are form-urlencoded before Basic encoding.
    return unquote_plus(client_id), unquote_plus(secret)


def _oauth_error(request: Request, exc: errors.TradeTraceError) -> JSONResponse:
    code = "invalid_request"
    if isinstance(exc, errors.Unauthorized):
        code = "invalid_client"
    elif isinstance(exc, errors.InvalidDocument) and exc.problems:
        code = _ERROR_BY_FIELD.get(exc.problems[0].field, "invalid_request")
    response = interop_problem(
        request, exc, extra={"error": code, "error_description": exc.message}
    )
    response.headers.update(_NO_STORE)
    if isinstance(exc, errors.Unauthorized):
        response.headers["WWW-Authenticate"] = 'Basic realm="tradetrace"'
    return response


@router.post("/oauth/token", response_class=JSONResponse)
async def token(request: Request) -> Response:
    """Client credentials grant (RFC 6749 §4.4.2): an ES256 JWT access token (RFC 9068)."""
    try:
        form = _form(await read_body(request))
        return await _grant(request, form)
    except errors.TradeTraceError as exc:
        return _oauth_error(request, exc)


async def _grant(request: Request, form: dict[str, str]) -> Response:
    basic = _basic(request)
    if basic is not None and "client_secret" in form:  # RFC 6749 §2.3: one method only
        raise errors.InvalidDocument("use one client authentication method, not two")
    client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
    if not client_id or not secret:
        raise errors.Unauthorized("client authentication is required")
    if form.get("grant_type") != "client_credentials":
        problem = errors.FieldProblem("grant_type", "only client_credentials is supported")
        raise errors.InvalidDocument.from_problems("token request", [problem])
    service = token_service(request)

    def grant() -> dict[str, Any]:
        with request.app.state.session_factory() as session:
            granted = service.grant(
                session,
                client_id=client_id,
                client_secret=secret,
                scope=form.get("scope") or None,
                audience=form.get("audience") or form.get("resource") or None,
            )
        return granted.to_json()

    return JSONResponse(await run_in_threadpool(grant), headers=_NO_STORE)


@router.get("/oauth/jwks.json", response_class=JSONResponse)
def jwks(request: Request) -> JSONResponse:
    """The public keys that sign this node's access tokens (RFC 7517 §5)."""
    return JSONResponse(token_service(request).keys.to_jwks())
