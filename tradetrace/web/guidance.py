"""The public guidance page: questions and answers, searchable, with review dates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tradetrace.web.render import render
from tradetrace.workflows import guidance

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/help/guidance", response_class=HTMLResponse)
def guidance_page(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """Every answer, or those containing every word of ``q``."""
    session: Session = request.app.state.session_factory()
    with session:
        entries = guidance.list_guidance(session, query=q)
    return render(request, "guidance.html", entries=entries, q=q)
