"""The customs inbox over HTTP: presentations received, grouped by workflow instance.

``GET /api/inbox`` (optionally ``?instance=IRI``) needs an operator token; the groups are the
workflow join of Traceability Interop (standards.md §2.1) that makes up an entry's case.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from tradetrace.api.deps import SessionDep
from tradetrace.api.operators import CurrentOperator
from tradetrace.workflows import inbox

__all__ = ["router"]

router = APIRouter(prefix="/api/inbox", tags=["entries"])


@router.get("")
def list_inbox(
    session: SessionDep,
    _operator: CurrentOperator,
    instance: Annotated[str | None, Query(max_length=512, description="Workflow instance.")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> dict[str, Any]:
    """Received presentations grouped by workflow instance, newest arrival first."""
    groups = inbox.inbox(session, instance=instance, limit=limit)
    return {"groups": [group.to_json() for group in groups]}
