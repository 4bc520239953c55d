"""Capture EPCIS events that arrive in verifiable credentials, checking who signed them.

The credential (UNTP Digital Traceability Event, or the traceability vocabulary's
EventCredential; :mod:`tradetrace.events.envelopes`) is verified by the credentials pipeline
(:class:`tradetrace.credentials.verify.Verifier`: proof, issuer, validity, status), then its
events are validated as any capture is, and each event's issuer must be the party at that step:
the organisation owning the event's business location or read point (by GLN), or for a
shipment its source party and for a receipt its destination party (EPCIS 2.0 §7.3.5.4). The
credential is logged (``credential.received``, digest of its RFC 8785 form) in the same ledger
append as its events, and the verification report is kept beside them. Any failure rejects
the whole credential (fail closed), as a capture job with errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tradetrace import did
from tradetrace.credentials import model
from tradetrace.credentials.report import VerificationReport
from tradetrace.errors import FieldProblem, InvalidDocument, NotFound, ResolutionError
from tradetrace.events import envelopes, ingest
from tradetrace.events.stored import CaptureJob, EventCredential, job_errors
from tradetrace.events.trace import TraceEvent
from tradetrace.storage.events import EventRepository
from tradetrace.types import Did
from tradetrace.workflows import capture
from tradetrace.workflows.identity import organisation_did_document
from tradetrace.workflows.ledger import LedgerService
from tradetrace.workflows.trace import PartyDirectory

__all__ = [
    "CredentialVerifier",
    "HostedDidResolver",
    "capture_credential",
    "step_parties",
]


class CredentialVerifier(Protocol):
    """Verifies a secured credential (:meth:`tradetrace.credentials.verify.Verifier.verify`)."""

    def verify(self, data: bytes | str | Mapping[str, Any], *, now: datetime) -> VerificationReport:
        """The verification report of ``data`` at ``now``."""
        ...


class HostedDidResolver:
    """Resolves the did:web DIDs of organisations hosted on this node from its database,
    without a network round trip to itself (did:web §3.2; the document it would serve)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def resolve(self, did_value: Did) -> did.DidDocument:
        """The DID document of a hosted organisation; :class:`ResolutionError` otherwise."""
        try:
            with Session(self._engine) as session:  # read only: takes no write lock
                return organisation_did_document(session, did=did_value)
        except NotFound as exc:
            raise ResolutionError(f"cannot resolve {did_value}: {exc.message}") from exc


def step_parties(event: TraceEvent, directory: PartyDirectory) -> set[str]:
    """The parties entitled to sign ``event``: the owner of its place and, for shipping and
    receiving, the source and destination parties (see the module docstring)."""
    parties = {directory.party_of(event.place)} if event.place else set()
    if event.biz_step == "shipping":
        parties |= {directory.party_of(source) for _, source in event.sources}
    if event.biz_step == "receiving":
        parties |= {directory.party_of(target) for _, target in event.destinations}
    return parties


def _failed(job: CaptureJob, problems: list[FieldProblem], now: datetime) -> CaptureJob:
    return replace(
        job, running=False, success=False, finished_at=now, errors=tuple(job_errors(problems))
    )


def capture_credential(
    repository: EventRepository,
    ledger: LedgerService,
    engine: Engine,
    verifier: CredentialVerifier,
    credential: Mapping[str, Any],
    *,
    now: datetime,
) -> CaptureJob:
    """Verify an event credential, check its issuer against each step, capture its events.

    Returns the finished capture job; a rejected credential gives a job with ``success`` false
    and errors naming the check or the event and field at fault.
    """
    issuer = credential.get("issuer")
    issuer_did = str(issuer.get("id") if isinstance(issuer, Mapping) else issuer)
    job = CaptureJob(capture.new_capture_id(), created_at=now, submitter=issuer_did)
    report = verifier.verify(credential, now=now)
    if not report.verified():
        failed = [f"{c.id.value}: {c.code}" for c in report.checks if c.status.value != "valid"]
        problem = FieldProblem("proof", f"credential does not verify ({', '.join(failed)})")
        result = _failed(job, [problem], now)
        repository.save_job(result)
        return result
    try:
        events = envelopes.credential_events(credential)
    except InvalidDocument as exc:
        result = _failed(job, [FieldProblem("credentialSubject", exc.message)], now)
        repository.save_job(result)
        return result
    created = now.astimezone(UTC).isoformat().replace("+00:00", "Z")
    document = envelopes.events_document(
        events, created=created, context=credential.get("@context")
    )
    problems = capture.validate_document(document)
    directory = PartyDirectory.from_engine(engine)
    for index, event in enumerate(events if not problems else ()):
        parties = step_parties(TraceEvent.from_wire(0, "", event), directory)
        if issuer_did not in parties:
            where = ", ".join(sorted(parties)) or "no known party"
            problems.append(
                FieldProblem(
                    f"epcisBody.eventList[{index}].bizLocation",
                    f"issuer {issuer_did} is not the party at this step ({where})",
                )
            )
    if problems:
        result = _failed(job, problems, now)
        repository.save_job(result)
        return result
    digest = model.secured_digest(credential)
    logged = EventCredential(
        ledger_index=0,
        credential_id=str(credential["id"]) if credential.get("id") else None,
        issuer=issuer_did,
        digest=digest,
        document=model.secured_bytes(dict(credential)).decode(),
        verification=report.to_json(),
        received_at=now,
    )
    record = capture.credential_record(
        digest, submitter=Did(issuer_did), now=now, ref=str(credential.get("id") or digest)
    )
    return capture.store_events(
        repository,
        ledger,
        ingest.document_events(document),
        job=job,
        now=now,
        credential=(logged, record),
    )
