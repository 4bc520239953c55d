"""Template rendering shared by every page: the layout's navigation and version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from tradetrace import __version__

__all__ = ["NAVIGATION", "NavItem", "render"]

_templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


@dataclass(frozen=True, slots=True)
class NavItem:
    """One entry of the console's navigation bar."""

    label: str
    path: str


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Overview", "/"),
    NavItem("Organisations", "/organisations"),
    NavItem("Ledger", "/ledger"),
    NavItem("Trace", "/trace"),
    NavItem("Verify", "/verify"),
    NavItem("Entries", "/entries"),
    NavItem("Inbox", "/inbox"),
    NavItem("Cases", "/cases"),
    NavItem("Help desk", "/help/inquiry"),
    NavItem("Guidance", "/help/guidance"),
    NavItem("Relief", "/relief"),
)
"""The console's sections, in menu order. Each capability adds its pages here."""


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    """Render ``template`` inside the layout."""
    context.setdefault("navigation", NAVIGATION)
    context.setdefault("version", __version__)
    context.setdefault("current_path", request.url.path)
    return _templates.TemplateResponse(request, template, context)
