"""did:web hosting: the DID documents of the organisations on this node (did:web §3.2 Read)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tradetrace.api.deps import SessionDep, SettingsDep
from tradetrace.workflows import identity, interop

__all__ = ["router"]

router = APIRouter(tags=["identifiers"])

_MEDIA_TYPE = "application/did+json"


def _document(payload: dict[str, Any]) -> JSONResponse:
    return JSONResponse(payload, media_type=_MEDIA_TYPE, headers={"Cache-Control": "max-age=300"})


@router.get("/.well-known/did.json", response_class=JSONResponse)
def root_did_document(session: SessionDep, settings: SettingsDep) -> JSONResponse:
    """The DID document of this node's host DID (``did:web:<host>``), with its
    ``TraceabilityAPI`` service (Traceability Interop ``getTraceabilityAPIConfiguration``)."""
    subject = identity.organisation_did(settings, "", root=True)
    return _document(interop.did_document(session, settings, subject=subject).to_dict())


@router.get("/orgs/{slug}/did.json", response_class=JSONResponse)
def organisation_did_document(
    slug: str, session: SessionDep, settings: SettingsDep
) -> JSONResponse:
    """The DID document of ``did:web:<host>:orgs:<slug>``, with its ``TraceabilityAPI``
    service."""
    return _document(interop.did_document(session, settings, slug=slug).to_dict())
