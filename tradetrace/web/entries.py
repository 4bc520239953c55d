"""The customs officer's entry pages: filed entries with their latest recommendation, and one
entry with its lines, versions and every decision explained. Operators only (the operator
cookie set by the case desk's sign-in)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tradetrace.errors import Unauthorized
from tradetrace.web.cases import signed_in_operator
from tradetrace.web.render import render
from tradetrace.workflows import entries

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _session(request: Request) -> Session:
    session: Session = request.app.state.session_factory()
    return session


@router.get("/entries", response_class=HTMLResponse)
def entry_list(request: Request) -> HTMLResponse:
    """Filed entries, most recently filed first, with their latest recommendation."""
    try:
        operator = signed_in_operator(request)
    except Unauthorized:
        return render(request, "operator_login.html", error=None, next_path="/entries")
    with _session(request) as session:
        rows = entries.list_entries(session, limit=200)
    return render(request, "entries.html", operator=operator, rows=rows)


@router.get("/entries/{entry_number}", response_class=HTMLResponse)
def entry_page(request: Request, entry_number: str) -> HTMLResponse:
    """One entry: its data, versions, and each decision with the findings behind it."""
    try:
        operator = signed_in_operator(request)
    except Unauthorized:
        return render(
            request, "operator_login.html", error=None, next_path=f"/entries/{entry_number}"
        )
    with _session(request) as session:
        dossier = entries.entry_dossier(session, entry_number)
    decisions = [(item, json.loads(item.document)) for item in reversed(dossier.decisions)]
    return render(
        request,
        "entry.html",
        operator=operator,
        dossier=dossier,
        entry=dossier.entry,
        decisions=decisions,
    )
