"""The standalone witness server: C2SP tlog-witness ``POST /add-checkpoint`` over a Witness.

The request body is the ``old <size>`` line, the consistency proof, a blank line and the signed
checkpoint; a 200 answer is the cosignature line. A 409 for a wrong old size carries the
witness's size as ``text/x.tlog.size``, as the spec requires; every other error is a problem
details body with the status ``api/errors.py`` gives its family (404 unknown origin, 403 no
trusted signature, 400 malformed or old size too large, 409 fork, 422 bad proof).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from tradetrace import __version__
from tradetrace.api.errors import install_error_handlers, status_for
from tradetrace.errors import CosignedSizeMismatch, LimitExceeded
from tradetrace.workflows.cosigning import SIZE_MEDIA_TYPE
from tradetrace.workflows.witness import Witness

__all__ = ["MAX_REQUEST_BYTES", "create_witness_app"]

MAX_REQUEST_BYTES = 64 * 1024
"""Largest add-checkpoint body accepted: 63 proof lines and a note with 100 signatures fit."""


def create_witness_app(witness: Witness) -> FastAPI:
    """Build the witness application around ``witness`` (C2SP tlog-witness "HTTP Interface")."""
    app = FastAPI(
        title="tradetrace witness",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    install_error_handlers(app)
    app.add_exception_handler(CosignedSizeMismatch, _on_size_mismatch)

    @app.post("/add-checkpoint", response_class=PlainTextResponse)
    async def add_checkpoint(request: Request) -> PlainTextResponse:
        """Cosign a checkpoint that extends the last one cosigned for its origin."""
        body = await _read_body(request)
        # Signing and the fsync of the state file block: keep them off the event loop.
        return PlainTextResponse(await run_in_threadpool(witness.add_checkpoint, body))

    @app.get("/healthz", response_class=PlainTextResponse)
    def healthz() -> PlainTextResponse:
        """Liveness, and the witness's verifier key."""
        return PlainTextResponse(witness.vkey + "\n")

    return app


async def _read_body(request: Request) -> bytes:
    chunks = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > MAX_REQUEST_BYTES:
            raise LimitExceeded(f"add-checkpoint body is over {MAX_REQUEST_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _on_size_mismatch(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CosignedSizeMismatch)  # noqa: S101 - registered for this type only
    # Not PlainTextResponse: that would append "; charset=utf-8" to the spec's content type.
    return Response(
        f"{exc.size}\n".encode(),
        status_code=status_for(exc),
        headers={"Content-Type": SIZE_MEDIA_TYPE},
    )
