"""The customs inbox pages: presentations received from other platforms, grouped by workflow
instance, and one instance with every presentation and the credentials its case rests on.
Operators only (the operator cookie set by the case desk's sign-in). The same workflows as
``tradetrace presentation inbox``."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tradetrace import storage
from tradetrace.credentials import model
from tradetrace.errors import NotFound, Unauthorized
from tradetrace.web.cases import signed_in_operator
from tradetrace.web.render import render
from tradetrace.workflows import inbox, presentations

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _session(request: Request) -> Session:
    sessions = storage.make_session_factory(request.app.state.engine, write=False)
    session: Session = sessions()
    return session


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request) -> HTMLResponse:
    """Received presentations grouped by workflow instance, newest arrival first."""
    try:
        operator = signed_in_operator(request)
    except Unauthorized:
        return render(request, "operator_login.html", error=None, next_path="/inbox")
    with _session(request) as session:
        groups = inbox.inbox(session)
    return render(request, "inbox.html", operator=operator, groups=groups, quote=quote)


@router.get("/inbox/instance", response_class=HTMLResponse)
def instance_page(request: Request, id: str) -> HTMLResponse:
    """One workflow instance: its presentations and the credentials of its customs case."""
    try:
        operator = signed_in_operator(request)
    except Unauthorized:
        path = f"/inbox/instance?id={quote(id, safe='')}"
        return render(request, "operator_login.html", error=None, next_path=path)
    with _session(request) as session:
        groups = inbox.inbox(session, instance=id)
        carried = presentations.credentials_of_instance(session, id)
    if not groups:
        raise NotFound(f"nothing received for workflow instance {id[:200]}")
    credentials = [
        {
            "form": "vc-jwt" if isinstance(item, str) else "embedded proof",
            "digest": model.secured_digest(item),
        }
        for item in carried
    ]
    return render(
        request, "inbox_instance.html", operator=operator, group=groups[0], credentials=credentials
    )
