"""Credentials over HTTP: issue as a hosted organisation, verify anything, change status.

A failed verification is a verdict (200 with ``verified: false``), not an HTTP error.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from tradetrace.api.deps import ClockDep, LedgerDep, SessionDep, SettingsDep
from tradetrace.api.operators import CurrentOperator
from tradetrace.credentials import issue
from tradetrace.credentials.report import CheckId
from tradetrace.credentials.status import StatusPurpose
from tradetrace.storage.credentials import StatusListRepository
from tradetrace.workflows import credentials

__all__ = ["router"]

router = APIRouter(tags=["credentials"])


class IssueRequest(BaseModel):
    """Issue ``credential`` as the hosted organisation ``organisation``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    organisation: str
    credential: dict[str, Any]
    format: issue.Format = issue.Format.VC_JWT
    status: bool = Field(default=True, description="Add revocation and suspension entries.")


class IssueResponse(BaseModel):
    """The secured credential: a compact JWS string, or the JSON with its proof."""

    format: issue.Format
    credential: str | dict[str, Any]


class VerifyRequest(BaseModel):
    """A credential or presentation to verify, in either form."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    document: str | dict[str, Any] = Field(description="Compact JWS or JSON with a proof.")
    challenge: str | None = None
    domain: str | None = None
    trusted_only: bool = Field(default=False, description="Also require accredited issuers.")


class StatusRequest(BaseModel):
    """Revoke, suspend or reinstate a credential issued here."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credential_id: str
    action: Literal["revoke", "suspend", "reinstate"]


@router.post("/api/credentials/issue", response_model=IssueResponse, status_code=201)
def issue_credential(
    body: IssueRequest,
    session: SessionDep,
    settings: SettingsDep,
    ledger: LedgerDep,
    clock: ClockDep,
    _operator: CurrentOperator,
) -> IssueResponse:
    """Issue as a hosted organisation: status entries, its key's signature, ledger record."""
    secured = credentials.issue_as_organisation(
        session, settings, ledger, slug=body.organisation, credential=body.credential,
        format=body.format, with_status=body.status, now=clock(),
    )  # fmt: skip
    return IssueResponse(format=secured.format, credential=secured.document)


@router.post("/api/credentials/verify")
def verify_document(body: VerifyRequest, request: Request, clock: ClockDep) -> dict[str, Any]:
    """Verify a credential or presentation; the report of named checks."""
    context: credentials.NodeContext = request.app.state.node_context
    report = context.verifier().verify(
        body.document, now=clock(), challenge=body.challenge, domain=body.domain
    )
    return report.to_json(require=[CheckId.TRUST] if body.trusted_only else [])


@router.post("/api/credentials/status")
def change_status(
    body: StatusRequest,
    session: SessionDep,
    settings: SettingsDep,
    ledger: LedgerDep,
    clock: ClockDep,
    _operator: CurrentOperator,
) -> dict[str, Any]:
    """Revoke, suspend or reinstate; returns the status list's new version."""
    purpose = StatusPurpose.REVOCATION if body.action == "revoke" else StatusPurpose.SUSPENSION
    version = credentials.change_status(
        session, settings, ledger, credential_id=body.credential_id, purpose=purpose,
        value=body.action != "reinstate", now=clock(),
    )  # fmt: skip
    return {"credential_id": body.credential_id, "action": body.action, "version": version}


@router.get("/status/{list_id}")
def status_list(list_id: str, session: SessionDep) -> JSONResponse:
    """A Bitstring Status List credential published by this node (its newest version)."""
    stored = StatusListRepository(session).get(list_id)
    return JSONResponse(
        content=json.loads(stored.credential),
        media_type="application/vc",
        headers={"Cache-Control": "max-age=60"},
    )
