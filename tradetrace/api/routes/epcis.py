"""EPCIS 2.0 over HTTP: capture jobs and event queries (EPCIS 2.0 REST binding, under /epcis).

``POST /epcis/capture`` takes an EPCISDocument and answers ``202 Accepted`` with the capture
job in ``Location``; ``GET /epcis/capture/{captureID}`` tells how it went, with an error per
problem (event index, field, reason). The document is validated and stored whole or not at
all (``GS1-Capture-Error-Behaviour: rollback``). ``GET /epcis/events`` runs a
SimpleEventQuery (EPCIS 2.0 §8.2.7.1) and pages with ``nextPageToken`` and ``Link`` headers.
The trace, FSMA 204 export and event-credential routes are included from
:mod:`tradetrace.api.routes.trace`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request
from fastapi.responses import JSONResponse

from tradetrace.api.deps import ClockDep, LedgerDep, SettingsDep
from tradetrace.api.routes import trace
from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.storage.events import EventRepository
from tradetrace.types import Did
from tradetrace.workflows import capture, event_query
from tradetrace.workflows.identity import organisation_did

__all__ = ["EPCIS_HEADERS", "router"]

router = APIRouter(tags=["epcis"])
router.include_router(trace.router)

EPCIS_HEADERS = {
    "GS1-EPCIS-Version": "2.0.0",
    "GS1-CBV-Version": "2.0.0",
    "GS1-EPCIS-Capture-Limit": str(capture.CAPTURE_LIMIT),
}
"""Headers every EPCIS response carries (EPCIS 2.0 REST binding)."""
_JSON_LD = "application/ld+json"


def _repository(request: Request) -> EventRepository:
    return EventRepository(request.app.state.engine)


@router.post("/epcis/capture", status_code=202)
def capture_document(
    request: Request,
    document: Annotated[Any, Body(media_type=_JSON_LD)],
    ledger: LedgerDep,
    settings: SettingsDep,
    clock: ClockDep,
    error_behaviour: Annotated[
        str, Header(alias="GS1-Capture-Error-Behaviour", description="Only rollback.")
    ] = "rollback",
) -> JSONResponse:
    """Capture an EPCISDocument: 202 with the capture job's URL in ``Location``."""
    if error_behaviour.lower() != "rollback":
        raise InvalidDocument.from_problems(
            "capture request",
            [FieldProblem("GS1-Capture-Error-Behaviour", "only rollback is supported")],
        )
    job = capture.capture_document(
        _repository(request),
        ledger,
        document,
        submitter=Did(organisation_did(settings, "", root=True)),
        now=clock(),
    )
    location = f"/epcis/capture/{job.capture_id}"
    headers = {**EPCIS_HEADERS, "Location": location}
    return JSONResponse(job.to_json(), status_code=202, headers=headers)


@router.get("/epcis/capture/{capture_id}")
def capture_job(request: Request, capture_id: str) -> JSONResponse:
    """The capture job: running, success, and the errors of a rejected document."""
    job = _repository(request).job(capture_id)
    return JSONResponse(job.to_json(), headers=EPCIS_HEADERS)


@router.get("/epcis/events")
def query_events(request: Request, clock: ClockDep) -> JSONResponse:
    """Events matching the EPCIS 2.0 query parameters, as a JSON-LD EPCISQueryDocument."""
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    page = event_query.query_events(_repository(request), params, now=clock())
    headers = dict(EPCIS_HEADERS)
    if page.next_page_token is not None:
        following = request.url.remove_query_params("nextPageToken").include_query_params(
            nextPageToken=page.next_page_token
        )
        headers["Link"] = f'<{following}>; rel="next"'
    return JSONResponse(page.document, headers=headers, media_type=_JSON_LD)
