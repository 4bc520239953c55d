"""Traceability Interop API: identifiers and credentials (w3c-ccg/traceability-interop
``docs/openapi/resources``: ``did.yml``, ``credential-issuer.yml``, ``credential-verifier.yml``,
``credential-status.yml``, ``credential.yml``), each behind its OAuth scope (standards.md §2.2).

Bodies are validated against the interop request schemas first (400 naming the field), then
against the data model. A bad signature is a verdict (200, ``verified: false``), never an error
status; an issuer this node holds no key for is 422 (the suite's "unknown issuer").
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Final
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from tradetrace import errors, oauth
from tradetrace.api.deps import ClockDep, LedgerDep, SessionDep, SettingsDep
from tradetrace.api.interop_schemas import validate_body
from tradetrace.api.routes.interop_http import (
    InteropRoute,
    JsonBody,
    authorize,
    optional_principal,
)
from tradetrace.credentials import issue, model, status
from tradetrace.credentials.report import CheckStatus, VerificationReport
from tradetrace.workflows import interop
from tradetrace.workflows.oauth import Principal

__all__ = ["router", "verification_result"]

router = APIRouter(tags=["traceability interop"], route_class=InteropRoute)

_LD_MEDIA_TYPE: Final = "application/json"


Resolver = Annotated[Principal, Depends(authorize(oauth.Scope.RESOLVE_DIDS))]
Issuer = Annotated[Principal, Depends(authorize(oauth.Scope.ISSUE_CREDENTIALS))]
CredentialVerifier = Annotated[Principal, Depends(authorize(oauth.Scope.VERIFY_CREDENTIALS))]
StatusUpdater = Annotated[Principal, Depends(authorize(oauth.Scope.UPDATE_CREDENTIALS))]
Reader = Annotated[Principal | None, Depends(optional_principal(oauth.Scope.READ_CREDENTIALS))]


def verification_result(report: VerificationReport) -> dict[str, Any]:
    """A ``VerificationResult`` (interop ``schemas/VerificationResult.yml``; VC-API): the
    verdict, the names of the checks that passed, the failures as ``check: code: message``,
    and our whole report under ``report``."""
    failed = [
        f"{check.id.value}: {check.code}: {check.message}"
        for check in report.checks
        if check.status in (CheckStatus.INVALID, CheckStatus.ERROR)
    ]
    for index, inner in enumerate(report.credentials):
        failed += [
            f"verifiableCredential[{index}].{item}" for item in verification_result(inner)["errors"]
        ]
    return {
        "verified": report.verified(),
        "checks": [check.id.value for check in report.checks if check.status is CheckStatus.VALID],
        "warnings": [
            f"{check.id.value}: {check.code}"
            for check in report.checks
            if check.status is CheckStatus.SKIPPED
        ],
        "errors": failed,
        "report": report.to_json(),
    }


def _did_from_path(request: Request) -> str:
    # A DID keeps its percent-encoding (did:web:host%3A8443): read the raw path, not the
    # decoded one, and decode nothing but what a client encoded around the DID itself.
    raw: bytes = request.scope.get("raw_path") or request.url.path.encode()
    text = raw.decode("ascii", "replace").split("?", 1)[0]
    identifier = text.rsplit("/identifiers/", 1)[-1]
    return identifier if "%3A" in identifier or "%3a" in identifier else unquote(identifier)


@router.get("/identifiers/{identifier:path}")
def resolve_identifier(
    identifier: str, request: Request, caller: Resolver, session: SessionDep, settings: SettingsDep
) -> JSONResponse:
    """Resolve a DID (interop ``resolve``): 400 for a non-identifier, 404 for an unknown one."""
    del identifier, caller
    resolver = request.app.state.node_context.resolver
    result = interop.resolve_identifier(session, settings, resolver, _did_from_path(request))
    return JSONResponse(result)


def _created(options: dict[str, Any]) -> datetime | None:
    value = options.get("created")
    if value is None:
        return None
    try:
        return model.parse_date_time_stamp(value)
    except (ValueError, errors.InvalidDocument) as exc:
        problem = errors.FieldProblem("options.created", str(exc))
        raise errors.InvalidDocument.from_problems("request", [problem]) from None


@router.post("/credentials/issue", status_code=201)
def issue_credential(
    caller: Issuer,
    body: JsonBody,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Issue a credential as a hosted organisation (interop ``issueCredential``): 201 with
    ``{"verifiableCredential"}``."""
    validate_body("IssueRequest", body)
    credential, options = body["credential"], body["options"]
    model.Credential.from_dict(credential)  # the data model's 400s come before the issuer's 422
    secured = interop.issue_for_interop(
        session, settings, ledger, caller_slug=caller.organisation_slug, credential=credential,
        format=issue.Format(options["type"]), created=_created(options),
        with_status="credentialStatus" in options, now=clock(),
    )  # fmt: skip
    return JSONResponse(
        {"verifiableCredential": secured.document}, status_code=201, media_type=_LD_MEDIA_TYPE
    )


@router.post("/credentials/verify")
def verify_credential(
    caller: CredentialVerifier, body: JsonBody, request: Request, clock: ClockDep
) -> JSONResponse:
    """Verify a credential (interop ``verifyCredential``): 200 with ``verified`` either way."""
    del caller
    validate_body("VerifyCredentialRequest", body)
    credential = body["verifiableCredential"]
    if isinstance(credential, dict):
        model.Credential.from_dict(credential)
    report = request.app.state.node_context.verifier().verify(credential, now=clock())
    return JSONResponse(verification_result(report))


@router.post("/credentials/status")
def update_status(
    caller: StatusUpdater,
    body: JsonBody,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Revoke or suspend (``"1"``), or unsuspend (``"0"``), a credential issued here (interop
    ``updateCredentialStatus``; Bitstring Status List §2.1).

    The VC-API form is taken too (w3c-ccg/vc-api ``UpdateCredentialStatusRequest``, as the W3C
    status list test suites send it): ``credentialStatus`` one object naming the
    ``statusPurpose``, and ``status`` a boolean beside it (absent means ``true``).
    """
    entry = body.get("credentialStatus") if isinstance(body, dict) else None
    vc_api = isinstance(entry, dict) and "status" not in entry
    validate_body("VcApiStatusRequest" if vc_api else "StatusRequest", body)
    if vc_api:
        purpose = status.StatusPurpose(body["credentialStatus"]["statusPurpose"])
        value = bool(body.get("status", True))
    else:
        item = body["credentialStatus"][0]
        purpose = status.StatusPurpose(item.get("statusPurpose") or item["purpose"])
        value = item["status"] == "1"
    version = interop.update_status(
        session, settings, ledger, caller_slug=caller.organisation_slug,
        credential_id=body["credentialId"], purpose=purpose, value=value, now=clock(),
    )  # fmt: skip
    return JSONResponse(
        {
            "credentialId": body["credentialId"],
            "statusPurpose": purpose.value,
            "status": value if vc_api else ("1" if value else "0"),
            "statusListVersion": version,
        }
    )


@router.get("/credentials/{credential_id:path}")
def get_credential(credential_id: str, caller: Reader, session: SessionDep) -> JSONResponse:
    """A status list credential, or a credential issued for the caller's organisation
    (interop ``getCredentialById``); public for status lists, ``read:credentials`` otherwise."""
    document = interop.served_credential(
        session,
        credential_id=credential_id,
        caller_slug=caller.organisation_slug if caller is not None else None,
    )
    return JSONResponse(document)
