"""The trace page: an identifier's path back to origin or forward to every destination.

Server-rendered (STYLE.md §8): a swim-lane diagram in inline SVG (one lane per party, events in
time order, a line for each identifier linking consecutive events), the events with their
ledger receipts, the parties and the faults found. It calls the same workflow as
``GET /trace/{identifier}``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from tradetrace.errors import TradeTraceError
from tradetrace.events.trace import Direction
from tradetrace.web.render import render
from tradetrace.workflows import trace as trace_workflow

__all__ = ["diagram", "router"]

router = APIRouter(include_in_schema=False)

_COLUMN, _LANE, _LEFT, _TOP = 120, 56, 170, 24


def diagram(report: trace_workflow.TraceReport, party_of: Any) -> dict[str, Any]:
    """Positions for the SVG: lanes (parties), nodes (events) and edges between them."""
    events = report.graph.events
    lanes: list[str] = []
    nodes = []
    for column, event in enumerate(events):
        lane = party_of(event.place) if event.place else "(no location)"
        if lane not in lanes:
            lanes.append(lane)
        nodes.append(
            {
                "index": event.ledger_index,
                "x": _LEFT + column * _COLUMN,
                "y": _TOP + lanes.index(lane) * _LANE,
                "label": event.biz_step or event.event_type.removesuffix("Event"),
                "time": f"{event.event_time:%Y-%m-%d}",
            }
        )
    where = {node["index"]: node for node in nodes}
    edges = [
        {
            "x1": where[e.earlier]["x"],
            "y1": where[e.earlier]["y"],
            "x2": where[e.later]["x"],
            "y2": where[e.later]["y"],
        }
        for e in report.graph.edges
    ]
    return {
        "lanes": [{"name": name, "y": _TOP + i * _LANE} for i, name in enumerate(lanes)],
        "nodes": nodes,
        "edges": list({tuple(edge.values()): edge for edge in edges}.values()),
        "width": _LEFT + max(len(events), 1) * _COLUMN,
        "height": _TOP + max(len(lanes), 1) * _LANE,
    }


@router.get("/trace", response_class=HTMLResponse)
def trace_page(
    request: Request,
    identifier: Annotated[str, Query(alias="id", max_length=512)] = "",
    direction: Direction = Direction.BACKWARD,
) -> HTMLResponse:
    """Trace an identifier and draw its graph; an empty form without one."""
    context: dict[str, Any] = {"identifier": identifier, "direction": direction.value}
    if identifier:
        engine = request.app.state.engine
        try:
            report = trace_workflow.trace_identifier(
                engine, request.app.state.ledger, identifier, direction=direction
            )
        except TradeTraceError as exc:
            context["error"] = {"code": exc.code, "message": exc.message}
        else:
            directory = trace_workflow.PartyDirectory.from_engine(engine)
            context["report"] = report
            context["diagram"] = diagram(report, directory.party_of)
    return render(request, "trace.html", **context)
