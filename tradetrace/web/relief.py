"""The relief program report: totals, and dollars deferred by month and port as SVG bars."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tradetrace.facilitation.relief import load_program
from tradetrace.facilitation.relief.population import PORTS
from tradetrace.facilitation.relief.report import Breakdown
from tradetrace.web.render import render
from tradetrace.workflows import relief

__all__ = ["Bar", "bars", "router"]

router = APIRouter(include_in_schema=False)

_PORT_NAMES = {code: name for code, name, _, _ in PORTS}


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of the chart: its label, its dollars and its length as a share of the longest."""

    label: str
    dollars: Decimal
    entries: int
    importers: int
    share: float


def bars(groups: dict[str, Breakdown], *, labels: dict[str, str] | None = None) -> list[Bar]:
    """Bars for a breakdown, largest dollars first; the longest bar has share 1."""
    top = max((group.deferred for group in groups.values()), default=Decimal(0))
    ordered = sorted(groups.items(), key=lambda item: (-item[1].deferred, item[0]))
    return [
        Bar(
            label=(labels or {}).get(key, key),
            dollars=group.deferred,
            entries=group.entries,
            importers=group.importers,
            share=float(group.deferred / top) if top else 0.0,
        )
        for key, group in ordered
    ]


@router.get("/relief", response_class=HTMLResponse)
def relief_page(request: Request, program: str = relief.DEFAULT_PROGRAM) -> HTMLResponse:
    """The program report with a chart of dollars deferred by entry month and by port."""
    definition = load_program(program)
    session: Session = request.app.state.session_factory()
    with session:
        report = relief.program_report(session, definition.id)
    ports = {code: f"{code} {name}" for code, name in _PORT_NAMES.items()}
    return render(
        request,
        "relief.html",
        program=definition,
        report=report,
        months=sorted(bars(report.by_month), key=lambda bar: bar.label),
        ports=bars(report.by_port, labels=ports),
    )
