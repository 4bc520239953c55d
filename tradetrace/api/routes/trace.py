"""Traces, domain profiles, the FSMA 204 spreadsheet, and events that come as credentials.

``GET /trace/{identifier}?direction=backward|forward`` returns the trace graph with each event's
ledger receipt and findings (mass balance, custody gaps, altered events);
``GET /trace/{identifier}/profile?domain=steel`` what a complete trace lacks;
``GET /epcis/fsma204?product=…&start=…&end=…&format=csv|xlsx`` the sortable spreadsheet
(21 CFR 1.1455(c)(3)(ii)); ``POST /epcis/credentials`` captures a UNTP Digital Traceability
Event or traceability EventCredential (202 with the capture job, as ``/epcis/capture``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, Response

from tradetrace.api.deps import ClockDep, LedgerDep
from tradetrace.credentials import verify
from tradetrace.did import CompositeResolver, JwkResolver, KeyResolver
from tradetrace.events import profiles
from tradetrace.events.trace import Direction
from tradetrace.storage.events import EventRepository
from tradetrace.workflows import event_credentials, fsma_export
from tradetrace.workflows import trace as trace_workflow

__all__ = ["router"]

router = APIRouter(tags=["trace"])

_MEDIA = {
    fsma_export.SheetFormat.CSV: "text/csv; charset=utf-8",
    fsma_export.SheetFormat.XLSX: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}


@router.get("/trace/{identifier:path}/profile")
def profile(
    request: Request,
    identifier: str,
    ledger: LedgerDep,
    domain: Annotated[profiles.Domain, Query(description="The domain profile.")],
) -> dict[str, Any]:
    """What a complete origin-to-delivery trace of ``identifier`` lacks for ``domain``."""
    _, report = trace_workflow.check_trace_profile(
        request.app.state.engine, ledger, identifier, domain
    )
    return {
        "identifier": identifier,
        "domain": report.domain.value,
        "complete": report.complete,
        "requirements": list(report.requirements),
        "gaps": [
            {"requirement": gap.requirement, "subject": gap.subject, "message": gap.message}
            for gap in report.gaps
        ],
    }


@router.get("/trace/{identifier:path}")
def trace(
    request: Request,
    identifier: str,
    ledger: LedgerDep,
    direction: Direction = Direction.BACKWARD,
) -> dict[str, Any]:
    """The trace graph of ``identifier``: backward to origin, or forward for a recall."""
    report = trace_workflow.trace_identifier(
        request.app.state.engine, ledger, identifier, direction=direction
    )
    return report.to_json()


@router.get("/epcis/fsma204")
def fsma_spreadsheet(
    request: Request,
    product: Annotated[str, Query(description="A GTIN or a traceability lot code (LGTIN).")],
    start: Annotated[datetime, Query(description="First event time (inclusive).")],
    end: Annotated[datetime, Query(description="Last event time (exclusive).")],
    format: fsma_export.SheetFormat = fsma_export.SheetFormat.CSV,
) -> Response:
    """The FSMA 204 electronic sortable spreadsheet of a product and date range."""
    data = fsma_export.export_sheet(
        request.app.state.engine,
        product=product,
        start=start if start.tzinfo else start.replace(tzinfo=UTC),
        end=end if end.tzinfo else end.replace(tzinfo=UTC),
        format=format,
    )
    name = f'attachment; filename="fsma204.{format.value}"'
    return Response(data, media_type=_MEDIA[format], headers={"Content-Disposition": name})


@router.post("/epcis/credentials", status_code=202)
def capture_credential(
    request: Request,
    credential: Annotated[dict[str, Any], Body()],
    ledger: LedgerDep,
    clock: ClockDep,
) -> JSONResponse:
    """Verify an event credential and capture its events: 202 with the capture job."""
    resolver = CompositeResolver(
        {
            "web": event_credentials.HostedDidResolver(request.app.state.engine),
            "key": KeyResolver(),
            "jwk": JwkResolver(),
        }
    )
    # Status lists of event credentials are not fetched yet: the node has no status-list
    # fetcher to inject, so the status check is reported as skipped.
    verifier = verify.Verifier(resolver, status_lists=verify.UnsafeSkipStatusCheck())
    engine = request.app.state.engine
    job = event_credentials.capture_credential(
        EventRepository(engine),
        ledger,
        engine,
        verifier,
        credential,
        now=clock(),
    )
    location = f"/epcis/capture/{job.capture_id}"
    return JSONResponse(job.to_json(), status_code=202, headers={"Location": location})
