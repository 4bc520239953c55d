"""Presentations over the Traceability Interop API: prove one as a hosted organisation, and
receive TraceablePresentations (``POST /presentations``, the one required interop endpoint,
standards.md §2.2).

A received presentation is verified (its holder's proof through the holder's DID document, and
every embedded credential), refused when that fails, stored once (a second one with the same id
is a :class:`~tradetrace.errors.Conflict`, standards.md §2.1), logged on the ledger as
``presentation.received``, and joined to its workflow by ``workflow.definition`` and
``workflow.instance`` (the workflow join, w3c-ccg/traceability-interop
``docs/tutorials/workflow-join``). ``replace`` names an earlier presentation of the same holder
that the new one supersedes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tradetrace import errors
from tradetrace.config import Settings
from tradetrace.credentials import issue, model, verify
from tradetrace.credentials.report import CheckStatus
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.storage.oauth import ReceivedPresentation, ReceivedPresentationRepository
from tradetrace.types import Did
from tradetrace.workflows import credentials, identity
from tradetrace.workflows.ledger import LedgerService

__all__ = [
    "Sender",
    "carried_credentials",
    "credentials_of_instance",
    "embedded_credentials",
    "presentations_of_instance",
    "prove_presentation",
    "receive_presentation",
]


@dataclass(frozen=True, slots=True)
class Sender:
    """Who posted the presentation: the OAuth client and the hosted organisation it belongs to
    (the recipient's inbox), or ``None`` for a client of an external issuer."""

    client_id: str
    organisation_slug: str | None


def _strings(workflow: Mapping[str, Any], name: str) -> tuple[str, ...]:
    values = workflow.get(name, [])
    values = [values] if isinstance(values, str) else values
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        problem = errors.FieldProblem(f"workflow.{name}", "expected an array of IRIs")
        raise errors.InvalidDocument.from_problems("presentation", [problem])
    return tuple(values)


def _failures(report: Any) -> str:
    failed = [
        f"{check.id.value}: {check.code}"
        for check in report.checks
        if check.status in (CheckStatus.INVALID, CheckStatus.ERROR)
    ]
    for index, inner in enumerate(report.credentials):
        failed += [
            f"verifiableCredential[{index}].{check.id.value}: {check.code}"
            for check in inner.checks
            if check.status in (CheckStatus.INVALID, CheckStatus.ERROR)
        ]
    return "; ".join(failed[:8]) or "not verified"


def receive_presentation(
    session: Session,
    ledger: LedgerService | None,
    verifier: verify.Verifier,
    *,
    presentation: Mapping[str, Any],
    workflow: Mapping[str, Any] | None,
    sender: Sender,
    now: datetime,
) -> ReceivedPresentation:
    """Verify, store, log and join one TraceablePresentation (Traceability Interop
    ``submitPresentationWithOAuth2Security``).

    ``workflow`` overrides the presentation's own ``workflow`` member when the body carried it
    beside the presentation.

    Raises:
        errors.InvalidDocument: no ``id`` or ``holder``, or a malformed ``workflow``/``replace``.
        errors.VerificationError: the presentation or a credential in it does not verify.
        errors.Conflict: a presentation with this id was already received.
        errors.NotFound: ``replace`` names a presentation not received here.
        errors.Forbidden: ``replace`` names another holder's presentation.
    """
    document = dict(presentation)
    envelope = model.Presentation.from_dict(document)
    problems = [
        errors.FieldProblem(name, "required to receive a presentation")
        for name, value in (("id", envelope.id), ("holder", envelope.holder))
        if value is None
    ]
    if problems:
        raise errors.InvalidDocument.from_problems("presentation", problems)
    flow = workflow if workflow is not None else document.get("workflow", {})
    if not isinstance(flow, Mapping):
        problem = errors.FieldProblem("workflow", "expected an object")
        raise errors.InvalidDocument.from_problems("presentation", [problem])
    definitions, instances = _strings(flow, "definition"), _strings(flow, "instance")
    replaces = document.get("replace")
    if replaces is not None and not isinstance(replaces, str):
        problem = errors.FieldProblem("replace", "expected the id of an earlier presentation")
        raise errors.InvalidDocument.from_problems("presentation", [problem])
    repository = ReceivedPresentationRepository(session)
    try:
        repository.get(str(envelope.id))
        raise errors.Conflict(f"presentation {str(envelope.id)[:200]} was already received")
    except errors.NotFound:
        pass
    report = verifier.verify(document, now=now)
    if not report.verified():
        raise errors.VerificationError(f"presentation did not verify: {_failures(report)}")
    if replaces is not None:
        earlier = repository.get(replaces)
        if earlier.holder != envelope.holder:
            raise errors.Forbidden(f"presentation {replaces[:200]} belongs to another holder")
        repository.supersede(replaces, by=str(envelope.id))
    received = ReceivedPresentation(
        id=str(envelope.id), recipient_slug=sender.organisation_slug, client_id=sender.client_id,
        holder=envelope.holder, digest=model.secured_digest(document),
        document=json.dumps(document), verified=True, report=report.to_json(),
        definitions=definitions, instances=instances, replaces=replaces, superseded_by=None,
        received_at=now,
    )  # fmt: skip
    repository.add(received)
    session.commit()
    if ledger is not None:
        holder = Did(str(envelope.holder))
        records = [
            LogRecord(
                kind=RecordKind.PRESENTATION_RECEIVED, digest=model.secured_digest(document),
                submitter=holder, time=now, ref=str(envelope.id)[:512],
            )
        ]  # fmt: skip
        records += [
            LogRecord(
                kind=RecordKind.CREDENTIAL_RECEIVED, digest=model.secured_digest(secured),
                submitter=holder, time=now, ref=ref[:512],
            )
            for secured, ref in embedded_credentials(document)
        ]  # fmt: skip
        ledger.append(records)
    return received


_ENVELOPED_JWT = "data:application/vc+jwt,"


def embedded_credentials(presentation: Mapping[str, Any]) -> list[tuple[Any, str]]:
    """Each credential a presentation carries, in its secured form, with a reference to log.

    Enveloped credentials (VC DM 2.0 §4.13.1) are logged by their compact JWS, as they were
    issued; embedded ones by their JSON with proof.
    """
    items = presentation.get("verifiableCredential", [])
    found: list[tuple[Any, str]] = []
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, str):
            found.append((item, "urn:vc-jwt"))
        elif isinstance(item, Mapping):
            identifier = str(item.get("id", ""))
            if identifier.startswith(_ENVELOPED_JWT):
                found.append((identifier.removeprefix(_ENVELOPED_JWT), "urn:vc-jwt"))
            else:
                found.append((dict(item), identifier or "urn:credential"))
    return found


def presentations_of_instance(session: Session, instance: str) -> Sequence[ReceivedPresentation]:
    """Every presentation received for workflow instance ``instance``, oldest first (the
    customs inbox of one entry)."""
    return ReceivedPresentationRepository(session).for_instance(instance)


def carried_credentials(
    session: Session, instance: str
) -> list[tuple[str | dict[str, Any], ReceivedPresentation]]:
    """Each secured credential the customs case of workflow instance ``instance`` rests on,
    with the presentation that carried it.

    Those carried by the presentations received for the instance that verified on arrival and
    were not superseded by a later ``replace`` (the workflow join, standards.md §2.1), oldest
    presentation first, each credential once (by the digest of its secured form). A compact JWS
    (``vc-jwt``, also when it arrived enveloped) is a ``str``; a credential with an embedded
    proof is its JSON object.
    """
    found: list[tuple[str | dict[str, Any], ReceivedPresentation]] = []
    seen: set[str] = set()
    for received in ReceivedPresentationRepository(session).for_instance(instance):
        if not received.verified or received.superseded_by is not None:
            continue
        for secured, _ in embedded_credentials(json.loads(received.document)):
            digest = model.secured_digest(secured)
            if digest not in seen:
                seen.add(digest)
                found.append((secured, received))
    return found


def credentials_of_instance(session: Session, instance: str) -> list[str | dict[str, Any]]:
    """The secured credentials of :func:`carried_credentials`, without their presentations.
    Pass them to the verifier or the customs rules as they are."""
    return [secured for secured, _ in carried_credentials(session, instance)]


def prove_presentation(
    session: Session,
    settings: Settings,
    *,
    caller_slug: str | None,
    presentation: Mapping[str, Any],
    format: issue.Format,
    challenge: str | None,
    domain: str | None,
    now: datetime,
) -> issue.Secured:
    """``POST /presentations/prove``: sign a presentation as the caller's organisation, its
    holder (Traceability Interop ``provePresentation``; VC DM 1.1 §4.10).

    Raises:
        errors.Forbidden: the client belongs to no hosted organisation, or ``holder`` names
            another party.
        errors.InvalidDocument: the presentation breaks the data model.
    """
    if caller_slug is None:
        raise errors.Forbidden("this client belongs to no organisation hosted here")
    signer = identity.organisation_signing_key(
        session, settings, caller_slug, kind=credentials.KEY_FOR_FORMAT[format]
    )
    holder = presentation.get("holder")
    holder_id = holder.get("id") if isinstance(holder, dict) else holder
    if holder_id is not None and holder_id != signer.did:
        raise errors.Forbidden(f"this client may not present as {str(holder_id)[:200]}")
    return issue.issue_presentation(
        presentation, key=signer.key, format=format, now=now, holder=signer.did,
        verification_method=signer.verification_method, challenge=challenge, domain=domain,
    )  # fmt: skip
