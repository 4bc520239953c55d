"""The transparency log over HTTP, in the C2SP tlog-tiles URL layout under ``/log``.

``/log/checkpoint`` and ``/log/tile/...`` are exactly what a static tlog-tiles server serves, so
auditors and witnesses need nothing tradetrace-specific. ``/log/add`` and ``/log/receipt`` are
tradetrace's own submission and receipt endpoints.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from tradetrace.api.deps import ClockDep, LedgerDep, SettingsDep
from tradetrace.errors import Forbidden, NotFound, Unauthorized
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.types import Did, Sha256Digest

__all__ = ["router"]

router = APIRouter(prefix="/log", tags=["ledger"])

_IMMUTABLE = "public, max-age=31536000, immutable"


class LogAddRequest(BaseModel):
    """A record to log: what kind of document, its SHA-256 digest, who submits it, a reference."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: RecordKind
    digest: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the document, hex.")
    submitter: str = Field(pattern=r"^did:[a-z0-9]+:.+$", max_length=512)
    ref: str = Field(max_length=512, description="The document's id, e.g. a credential id.")


class LogAddResponse(BaseModel):
    """Where the record landed, and its receipt when the caller waited for a checkpoint."""

    model_config = ConfigDict(frozen=True)

    index: int
    entry: str
    receipt: str | None = None


@router.get("/checkpoint", response_class=PlainTextResponse)
def checkpoint(ledger: LedgerDep) -> PlainTextResponse:
    """The newest signed checkpoint (C2SP tlog-checkpoint), with any witness cosignatures."""
    latest = ledger.latest_checkpoint()
    if latest is None:
        raise NotFound("the log has not published a checkpoint yet")
    return PlainTextResponse(latest.to_text(), headers={"Cache-Control": "no-cache"})


@router.get("/tile/{path:path}")
def tile(path: str, ledger: LedgerDep) -> Response:
    """A Merkle tile or entry bundle (C2SP tlog-tiles); immutable once served."""
    data = ledger.store.read(f"tile/{path}")
    return Response(
        data, media_type="application/octet-stream", headers={"Cache-Control": _IMMUTABLE}
    )


@router.get("/receipt/{index}", response_class=PlainTextResponse)
def receipt(
    index: int,
    ledger: LedgerDep,
    wait: Annotated[float, Query(ge=0, le=30, description="Seconds to wait for a checkpoint.")] = 0,
) -> PlainTextResponse:
    """The C2SP tlog-proof receipt for entry ``index`` under the newest checkpoint."""
    return PlainTextResponse(ledger.receipt(index, wait=wait).to_text())


@router.get("/lookup/{digest}")
def lookup(digest: str, ledger: LedgerDep) -> dict[str, list[int]]:
    """Indexes of the entries that logged the document with SHA-256 ``digest``."""
    return {"indexes": ledger.store.entries_with_key(digest)}


@router.post("/add", response_model=LogAddResponse, status_code=201)
def add(
    body: LogAddRequest,
    ledger: LedgerDep,
    settings: SettingsDep,
    clock: ClockDep,
    authorization: Annotated[str | None, Header()] = None,
    wait: Annotated[
        bool, Query(description="Wait for a checkpoint and return the receipt.")
    ] = False,
) -> LogAddResponse:
    """Log a record. Needs ``Authorization: Bearer <TRADETRACE_LOG_ADD_TOKEN>``."""
    _authorize(settings.log_add_token, authorization)
    record = LogRecord(
        kind=body.kind,
        digest=Sha256Digest(body.digest),
        submitter=Did(body.submitter),
        time=clock(),
        ref=body.ref,
    )
    index = ledger.submit(record)
    text = ledger.receipt(index, wait=10).to_text() if wait else None
    return LogAddResponse(index=index, entry=record.to_bytes().decode(), receipt=text)


def _authorize(expected: str | None, header: str | None) -> None:
    if expected is None:
        raise Forbidden("log submission over HTTP is disabled on this node")
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("a bearer token is required")
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized("the bearer token is not valid")
