"""Traceability Interop API: presentations (w3c-ccg/traceability-interop ``docs/openapi``:
``presentation-prover.yml``, ``presentation-verifier.yml``, ``presentations.yml``), each behind
its OAuth scope (standards.md §2.2).

``POST /presentations`` is the one required interop endpoint: it receives a
TraceablePresentation (the presentation itself, or ``{"verifiablePresentation", "workflow"}``),
verifies, stores, logs and joins it to its workflow instance; a second one with the same id is
409, one that does not verify is 422. The recipient's operators read what arrived, grouped by
workflow instance (the workflow join, standards.md §2.1), at ``GET /api/inbox``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from tradetrace import oauth
from tradetrace.api.deps import ClockDep, LedgerDep, SessionDep, SettingsDep
from tradetrace.api.interop_schemas import validate_body
from tradetrace.api.routes.interop_credentials import verification_result
from tradetrace.api.routes.interop_http import InteropRoute, JsonBody, authorize
from tradetrace.credentials import issue
from tradetrace.storage.oauth import ReceivedPresentation
from tradetrace.workflows import presentations
from tradetrace.workflows.oauth import Principal

__all__ = ["received_json", "router"]

router = APIRouter(tags=["traceability interop"], route_class=InteropRoute)

Prover = Annotated[Principal, Depends(authorize(oauth.Scope.PROVE_PRESENTATIONS))]
PresentationVerifier = Annotated[Principal, Depends(authorize(oauth.Scope.VERIFY_PRESENTATIONS))]
Submitter = Annotated[Principal, Depends(authorize(oauth.Scope.SUBMIT_PRESENTATIONS))]


def received_json(item: ReceivedPresentation) -> dict[str, Any]:
    """A received presentation as the API shows it (without the document)."""
    return {
        "id": item.id,
        "holder": item.holder,
        "verified": item.verified,
        "digest": item.digest,
        "workflow": {"definition": list(item.definitions), "instance": list(item.instances)},
        "replaces": item.replaces,
        "supersededBy": item.superseded_by,
        "receivedAt": item.received_at.isoformat(),
    }


@router.post("/presentations/prove", status_code=201)
def prove_presentation(
    caller: Prover, body: JsonBody, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> JSONResponse:
    """Sign a presentation as the caller's organisation (interop ``provePresentation``): 201
    with ``{"verifiablePresentation"}``."""
    validate_body("ProveRequest", body)
    options = body.get("options", {})
    secured = presentations.prove_presentation(
        session, settings, caller_slug=caller.organisation_slug,
        presentation=body["presentation"],
        format=issue.Format(options.get("type", issue.Format.ED25519_SIGNATURE_2018.value)),
        challenge=options.get("challenge"), domain=options.get("domain"), now=clock(),
    )  # fmt: skip
    return JSONResponse({"verifiablePresentation": secured.document}, status_code=201)


@router.post("/presentations/verify")
def verify_presentation(
    caller: PresentationVerifier, body: JsonBody, request: Request, clock: ClockDep
) -> JSONResponse:
    """Verify a presentation and its credentials (interop ``verifyPresentation``): 200 with
    ``verified`` either way; ``options.challenge``/``domain`` must match the proof's."""
    del caller
    validate_body("VerifyPresentationRequest", body)
    options = body.get("options", {})
    report = request.app.state.node_context.verifier().verify(
        body["verifiablePresentation"],
        now=clock(),
        challenge=options.get("challenge"),
        domain=options.get("domain"),
    )
    return JSONResponse(verification_result(report))


@router.post("/presentations")
def submit_presentation(
    caller: Submitter,
    body: JsonBody,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Receive a TraceablePresentation (interop ``submitPresentationWithOAuth2Security``)."""
    wrapped = isinstance(body, dict) and "verifiablePresentation" in body
    validate_body("SubmitPresentationRequest" if wrapped else "TraceablePresentation", body)
    received = presentations.receive_presentation(
        session, ledger, request.app.state.node_context.verifier(),
        presentation=body["verifiablePresentation"] if wrapped else body,
        workflow=body.get("workflow") if wrapped else None,
        sender=presentations.Sender(caller.token.subject, caller.organisation_slug),
        now=clock(),
    )  # fmt: skip
    return JSONResponse(received_json(received))
