"""Pages of the cargo-resolution desk: the public inquiry form and status page, and the
operators' queue and case view.

The public side needs no account: the form files an inquiry and redirects to the case's status
page, whose unguessable link is the requester's only key (the page is sent with
``Referrer-Policy: no-referrer`` and ``Cache-Control: no-store`` so the link does not leak).
Operators sign in on ``/cases`` with their configured token, which is kept in an HttpOnly,
``SameSite=Strict`` cookie (the strict cookie is also what keeps other sites from submitting
the case forms). Every page calls the same workflows as the JSON API.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from tradetrace.config import Settings
from tradetrace.errors import InvalidDocument, TradeTraceError, Unauthorized
from tradetrace.facilitation.cases import (
    Actor,
    Case,
    CaseState,
    InquiryCategory,
    Priority,
    Resolution,
    Role,
    answer_case,
    assign_case,
    close_case,
    escalate_case,
    link_entry,
    reply_to_case,
    request_information,
    triage_case,
    vocabulary,
)
from tradetrace.web.forms import nest_form
from tradetrace.web.render import render
from tradetrace.workflows import cases, guidance

__all__ = ["OPERATOR_COOKIE", "router", "signed_in_operator"]

OPERATOR_COOKIE = "tradetrace_operator"
"""The cookie that carries an operator's token on the ``/cases`` pages."""

_LISTS = frozenset({"manifest_numbers", "air_waybill_numbers", "tracking_numbers", "entry_numbers"})
_PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}

router = APIRouter(include_in_schema=False)


def _session(request: Request) -> Session:
    session: Session = request.app.state.session_factory()
    return session


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


def signed_in_operator(request: Request) -> Actor:
    """The operator whose token the request's cookie carries; :class:`Unauthorized` if none."""
    settings: Settings = request.app.state.settings
    return cases.operator_for_token(settings, request.cookies.get(OPERATOR_COOKIE))


def _choices() -> dict[str, object]:
    return {
        "categories": list(InquiryCategory),
        "modes": list(vocabulary.TransportMode),
        "cargo_statuses": list(vocabulary.CargoStatus),
        "requester_kinds": list(vocabulary.RequesterKind),
        "agencies": list(vocabulary.Agency),
    }


@router.get("/help/inquiry", response_class=HTMLResponse)
def inquiry_form(request: Request) -> HTMLResponse:
    """The public inquiry form (the portal's four tabs as one form)."""
    return render(request, "help_inquiry.html", values={}, problems={}, **_choices())


@router.post("/help/inquiry", response_class=HTMLResponse, response_model=None)
async def submit_inquiry(request: Request) -> Response:
    """File the inquiry and go to its status page; on errors show the form again."""
    form = await request.form()
    fields = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    data = {**nest_form(fields, lists=_LISTS), "channel": "portal"}
    try:
        with _session(request) as session:
            submitted = cases.submit_inquiry(session, data, now=_now(request))
    except InvalidDocument as exc:
        problems = {problem.field: problem.reason for problem in exc.problems}
        return render(
            request, "help_inquiry.html", values=dict(fields), problems=problems, **_choices()
        )
    return RedirectResponse(f"/help/cases/{submitted.status_token}?new=1", status_code=303)


@router.get("/help/cases/{token}", response_class=HTMLResponse)
def case_status(request: Request, token: str, new: int = 0) -> HTMLResponse:
    """What the requester sees of their case: status, answers, and a reply form."""
    with _session(request) as session:
        case = cases.case_for_requester(session, token)
        cited = guidance.guidance_citing(session, case.id)
    response = render(
        request,
        "help_case.html",
        case=case,
        status=cases.requester_state(case),
        messages=cases.requester_messages(case),
        guidance=cited,
        token=token,
        new=bool(new),
        closed=case.state is CaseState.CLOSED,
    )
    response.headers.update(_PRIVATE)
    return response


@router.post("/help/cases/{token}/reply", response_model=None)
def requester_reply(
    request: Request, token: str, message: Annotated[str, Form(max_length=10000)]
) -> Response:
    """The requester replies on their case."""
    with _session(request) as session:
        case = cases.case_for_requester(session, token)
        actor = Actor(case.requester_id, Role.REQUESTER)
        cases.change_case(
            session,
            case.id,
            lambda c: reply_to_case(c, actor=actor, message=message, now=_now(request)),
        )
    return RedirectResponse(f"/help/cases/{token}#messages", status_code=303, headers=_PRIVATE)


def _due(now: datetime, due_by: datetime) -> str:
    delta = due_by - now
    hours = abs(delta) // timedelta(hours=1)
    span = f"{hours // 24}d {hours % 24}h" if hours >= 24 else f"{hours}h"
    return f"overdue by {span}" if delta < timedelta(0) else f"due in {span}"


@router.get("/cases", response_class=HTMLResponse)
def queue_page(
    request: Request, scope: str = "queue", category: str = "", mine: int = 0
) -> HTMLResponse:
    """The operators' queue, most urgent first; a sign-in form without a valid token."""
    try:
        operator = signed_in_operator(request)
    except Unauthorized:
        return render(request, "operator_login.html", error=None)
    kind = InquiryCategory(category) if category in set(InquiryCategory) else None
    now = _now(request)
    with _session(request) as session:
        if scope == "all":
            entries = cases.list_cases(session, now=now, category=kind)
        else:
            who = operator.id if mine else None
            entries = cases.queue(session, now=now, category=kind, assignee=who)
    rows = [(entry, _due(now, entry.triage.due_by)) for entry in entries]
    return render(
        request,
        "cases.html",
        operator=operator,
        rows=rows,
        scope=scope,
        category=category,
        mine=bool(mine),
        categories=list(InquiryCategory),
    )


@router.post("/cases/login", response_model=None)
def login(
    request: Request,
    token: Annotated[str, Form(max_length=500)],
    next_path: Annotated[str, Form(alias="next", max_length=300)] = "/cases",
) -> Response:
    """Check an operator token and keep it in a cookie; then back to the console page asked
    for (a local path only)."""
    settings: Settings = request.app.state.settings
    local = next_path.startswith("/") and not next_path.startswith(("//", "/\\"))
    try:
        cases.operator_for_token(settings, token.strip())
    except Unauthorized as exc:
        return render(
            request,
            "operator_login.html",
            error=exc.message,
            next_path=next_path if local else "/cases",
        )
    response = RedirectResponse(next_path if local else "/cases", status_code=303)
    response.set_cookie(
        OPERATOR_COOKIE,
        token.strip(),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/cases/logout", response_model=None)
def logout() -> Response:
    """Forget the operator's token."""
    response = RedirectResponse("/cases", status_code=303)
    response.delete_cookie(OPERATOR_COOKIE, path="/")
    return response


def _case_page(request: Request, case: Case, operator: Actor, error: str | None) -> HTMLResponse:
    now = _now(request)
    with _session(request) as session:
        triage = cases.triage_of(case, cases.current_policy(session), now)
        cited = guidance.guidance_citing(session, case.id)
    return render(
        request,
        "case.html",
        case=case,
        triage=triage,
        due=_due(now, triage.due_by),
        operator=operator,
        guidance=cited,
        error=error,
        resolutions=list(Resolution),
        priorities=list(Priority),
        inquiry=case.inquiry.model_dump(mode="json", exclude_none=True),
    )


@router.get("/cases/{number}", response_class=HTMLResponse)
def case_page(request: Request, number: str) -> HTMLResponse:
    """One case: the inquiry, triage reasons, timeline and the operator's actions."""
    try:
        operator = signed_in_operator(request)
    except Unauthorized:
        return render(request, "operator_login.html", error=None)
    with _session(request) as session:
        case = cases.get_case(session, number, actor=operator)
    return _case_page(request, case, operator, None)


@router.post("/cases/{number}/act", response_model=None)
async def act(request: Request, number: str) -> Response:
    """Apply one action from the case page (assign, answer, ask, escalate, link, close)."""
    operator = signed_in_operator(request)
    form = await request.form()
    value = {key: item for key, item in form.items() if isinstance(item, str)}
    now = _now(request)
    action, text = value.get("action", ""), value.get("text", "")
    resolution = value.get("resolution", "")
    steps: dict[str, Callable[[Case], Case]] = {
        "assign": lambda c: assign_case(c, actor=operator, assignee=text or operator.id, now=now),
        "answer": lambda c: answer_case(c, actor=operator, message=text, now=now),
        "request_information": lambda c: request_information(
            c, actor=operator, message=text, now=now
        ),
        "escalate": lambda c: escalate_case(c, actor=operator, reason=text, now=now),
        "link_entry": lambda c: link_entry(c, actor=operator, entry_number=text, now=now),
        "close": lambda c: close_case(
            c, actor=operator, resolution=Resolution(resolution), note=text, now=now
        ),
    }
    try:
        with _session(request) as session:
            if action == "triage":
                policy = cases.current_policy(session)
                chosen = Priority(text) if text in set(Priority) else None
                steps["triage"] = lambda c: triage_case(
                    c, actor=operator, policy=policy, now=now, priority=chosen
                )
            if action not in steps or (action == "close" and resolution not in set(Resolution)):
                raise InvalidDocument(f"unknown case action {action!r} or resolution")
            cases.change_case(session, number, steps[action])
    except TradeTraceError as exc:
        with _session(request) as session:
            case = cases.get_case(session, number, actor=operator)
        return _case_page(request, case, operator, f"{exc.code}: {exc.message}")
    return RedirectResponse(f"/cases/{number}#timeline", status_code=303)
