"""The one error shape of the API: RFC 9457 problem details, with our stable ``code``.

HTTP status codes for domain errors live here and nowhere else (STYLE.md §5).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tradetrace import errors

__all__ = ["PROBLEM_MEDIA_TYPE", "install_error_handlers", "problem_response", "status_for"]

_logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

_STATUS_BY_ERROR: tuple[tuple[type[errors.TradeTraceError], int], ...] = (
    (errors.InvalidDocument, 400),
    (errors.Unauthorized, 401),
    (errors.Forbidden, 403),
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.LimitExceeded, 413),
    (errors.VerificationError, 422),
    (errors.ResolutionError, 422),
    (errors.ConfigurationError, 503),
)

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "limit_exceeded",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def status_for(error: errors.TradeTraceError) -> int:
    """The HTTP status of a domain error (the first matching family wins)."""
    for family, status in _STATUS_BY_ERROR:
        if isinstance(error, family):
            return status
    return 400


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    detail: str,
    problems: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build an RFC 9457 problem-details response (§3.1 members plus ``code`` and ``errors``)."""
    body: dict[str, Any] = {
        "type": f"urn:tradetrace:problem:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
    }
    if problems:
        body["errors"] = problems
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    path = ""
    for part in parts:
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or ".".join(str(part) for part in loc)


async def _on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.TradeTraceError)  # noqa: S101 - registered for this type only
    problems = None
    if isinstance(exc, errors.InvalidDocument) and exc.problems:
        problems = [{"field": item.field, "reason": item.reason} for item in exc.problems]
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, errors.Unauthorized) else None
    return problem_response(
        request,
        status=status_for(exc),
        code=exc.code,
        detail=exc.message,
        problems=problems,
        headers=headers,
    )


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    problems = [
        {"field": _location(tuple(item.get("loc", ()))), "reason": str(item.get("msg", ""))}
        for item in exc.errors()
    ]
    summary = "; ".join(f"{item['field']}: {item['reason']}" for item in problems[:5])
    return problem_response(
        request,
        status=400,
        code=errors.InvalidDocument.code,
        detail=f"invalid request: {summary}",
        problems=problems,
    )


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    return problem_response(
        request,
        status=status,
        code=_CODE_BY_STATUS.get(status, "http_error"),
        detail=detail.lower() if detail == HTTPStatus(status).phrase else detail,
        headers=dict(exc.headers) if exc.headers else None,
    )


async def _on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    _logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        request, status=500, code="internal_error", detail="internal error; see the server log"
    )


def install_error_handlers(app: FastAPI) -> None:
    """Route every error the app can raise to a problem-details response."""
    app.add_exception_handler(errors.TradeTraceError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected_error)
