"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from tradetrace import storage
from tradetrace.api.errors import problem_response
from tradetrace.api.schemas import Health, Readiness
from tradetrace.errors import ConfigurationError
from tradetrace.workflows import setup

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up. Does not touch the database."""
    return Health()


@router.get("/readyz", response_model=Readiness, responses={503: {"description": "not ready"}})
def readyz(request: Request) -> Readiness | JSONResponse:
    """The database answers and its schema is at the newest migration."""
    engine = request.app.state.engine
    try:
        revision = setup.check_database(engine)
    except ConfigurationError as exc:
        return problem_response(request, status=503, code="not_ready", detail=exc.message)
    return Readiness(
        status="ready",
        database=storage.database_backend(str(engine.url)),
        schema_revision=revision,
    )
