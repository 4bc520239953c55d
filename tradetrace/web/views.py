"""Pages of the web console. Each view calls the same workflows as the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session

from tradetrace import storage
from tradetrace.errors import ConfigurationError
from tradetrace.web import cases, entries, guidance, inbox, ledger, relief, trace, verify
from tradetrace.web.render import render
from tradetrace.workflows import organisations, setup

__all__ = ["mount", "router"]

_HERE = Path(__file__).parent


def _session(request: Request) -> Session:
    session: Session = request.app.state.session_factory()
    return session


router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    """Node status and what it holds."""
    engine = request.app.state.engine
    try:
        revision: str | None = setup.check_database(engine)
    except ConfigurationError:
        revision = None
    with _session(request) as session:
        parties = organisations.list_organisations(session, limit=1000)
    return render(
        request,
        "overview.html",
        database=storage.database_backend(str(engine.url)),
        schema_revision=revision,
        organisation_count=len(parties),
        countries=sorted({party.country for party in parties}),
        public_url=request.app.state.settings.effective_public_url,
    )


@router.get("/organisations", response_class=HTMLResponse)
def organisation_list(request: Request) -> HTMLResponse:
    """Every organisation known to this node."""
    with _session(request) as session:
        parties = organisations.list_organisations(session, limit=1000)
    return render(request, "organisations.html", organisations=parties)


@router.get("/organisations/{slug}", response_class=HTMLResponse)
def organisation_detail(request: Request, slug: str) -> HTMLResponse:
    """One organisation with its identifiers and roles."""
    with _session(request) as session:
        party = organisations.get_organisation(session, slug)
    return render(request, "organisation.html", organisation=party)


def mount(app: FastAPI) -> None:
    """Add the console's pages and static files to ``app``."""
    app.include_router(router)
    app.include_router(ledger.router)
    app.include_router(trace.router)
    app.include_router(verify.router)
    app.include_router(cases.router)
    app.include_router(inbox.router)
    app.include_router(entries.router)
    app.include_router(guidance.router)
    app.include_router(relief.router)
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
