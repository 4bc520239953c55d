"""Publishing a status list on demand: ``POST /status/{id}/publish`` (the ``publishStatusList``
endpoint of the W3C Bitstring Status List test suite, which posts ``{}`` to the list's
``statusListCredential`` URL plus ``/publish`` and expects 204).

Status changes are published when they are made (``POST {prefix}/credentials/status``); this
signs the list's current bits again as its next version. It needs a token with the
``update:credentials`` scope of the organisation that owns the list (standards.md §2.2).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from tradetrace import oauth
from tradetrace.api.deps import ClockDep, LedgerDep, SessionDep, SettingsDep
from tradetrace.api.routes.interop_http import InteropRoute, authorize
from tradetrace.workflows import interop
from tradetrace.workflows.oauth import Principal

__all__ = ["router"]

router = APIRouter(tags=["traceability interop"], route_class=InteropRoute)

Publisher = Annotated[Principal, Depends(authorize(oauth.Scope.UPDATE_CREDENTIALS))]


@router.post("/status/{list_id}/publish", status_code=204)
def publish_status_list(
    list_id: str,
    caller: Publisher,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    ledger: LedgerDep,
) -> Response:
    """Publish a fresh version of one of the caller's status lists: 204, no body."""
    interop.publish_status_list(
        session, settings, ledger, caller_slug=caller.organisation_slug, list_id=list_id,
        now=clock(),
    )  # fmt: skip
    return Response(status_code=204)
