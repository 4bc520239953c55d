"""Capture EPCIS documents: validate whole, hash, deduplicate, log on the ledger, store.

EPCIS 2.0 §8.2.1 and the REST binding's ``POST /capture``: a capture is accepted whole or
rejected whole (``GS1-Capture-Error-Behaviour: rollback``, the default and the only behaviour
here), and its outcome is a capture job. Each new event is logged as one ledger record
(:class:`~tradetrace.ledger.record.RecordKind` ``epcis.event``) whose digest is the SHA-256 of
the event's CBV 2.0 pre-hash string, i.e. the hex inside its Event Hash ID (CBV 2.0 §8.9):
anyone holding the event in any serialisation (EPC URIs or Digital Links, any field order or
time zone) recomputes the same digest, and a stored event that was altered afterwards no longer
matches its logged digest. The ledger append (one atomic batch per document) comes first, then
the events are stored under their leaf indexes in one transaction.

A capture runs in two steps: :func:`prepare_document` (validation and preparation, pure CPU,
nothing stored) gives a :class:`PreparedDocument`, and :func:`commit_document` records it
(deduplication, ledger append, rows, capture job). :func:`capture_document` runs both in turn;
:mod:`tradetrace.workflows.capture_pipeline` runs the first step in worker processes.

Parsing and capturing a document pause Python's cyclic garbage collector (:func:`_paused_gc`):
a document of thousands of events allocates hundreds of thousands of objects, none of them in
reference cycles, and each collection the allocations set off walks every live object again,
which cost more time than validating the events.
"""

from __future__ import annotations

import gc
import json
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tradetrace.errors import Conflict, FieldProblem, InvalidDocument, LimitExceeded
from tradetrace.events import hashing, ingest, validation
from tradetrace.events.stored import CaptureJob, EventCredential, job_errors
from tradetrace.ledger.record import LogRecord, RecordKind, record_entries
from tradetrace.storage.events import EventRepository
from tradetrace.types import Did, Sha256Digest
from tradetrace.workflows.ledger import LedgerService

__all__ = [
    "CAPTURE_LIMIT",
    "PreparedDocument",
    "capture_document",
    "capture_json",
    "commit_document",
    "credential_record",
    "document_hash_ids",
    "new_capture_id",
    "paused_gc",
    "prepare_document",
    "read_json",
    "store_events",
    "validate_document",
]

CAPTURE_LIMIT = 100_000
"""The most events one capture may carry (EPCIS 2.0 REST ``GS1-EPCIS-Capture-Limit``)."""


def new_capture_id() -> str:
    """A fresh capture job id."""
    return str(uuid.uuid4())


class _CollectorPause:
    """Keeps the cyclic garbage collector off while any thread is inside :meth:`paused`, and
    turns it back on when the last one leaves, if it was on when the first one came in."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside = 0
        self._resume = False

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Keep the cyclic garbage collector off inside this block (and any overlapping one)."""
        with self._lock:
            if not self._inside:
                self._resume = gc.isenabled()
                gc.disable()
            self._inside += 1
        try:
            yield
        finally:
            with self._lock:
                self._inside -= 1
                if not self._inside and self._resume:
                    gc.enable()


_paused_gc = _CollectorPause().paused
paused_gc = _paused_gc


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """An EPCIS document after validation and preparation, before anything is stored.

    Either ``problems`` (the document is rejected whole; ``events`` is empty) or ``events``
    (prepared, in document order; ``problems`` is empty). ``event_count`` is the number of
    events the document carries.
    """

    events: tuple[ingest.PreparedEvent, ...]
    problems: tuple[FieldProblem, ...]
    event_count: int

    def __post_init__(self) -> None:
        if self.events and self.problems:
            raise ValueError("a prepared document has either events or problems")


def read_json(data: bytes | str) -> Any:
    """Parse JSON text; :class:`~tradetrace.errors.InvalidDocument` when it is not JSON.

    The standard parser is used: orjson is hardly faster on EPCIS documents, and it reads an
    integer beyond 64 bits as a float, which would change the event's hash ID.
    """
    with _paused_gc():
        try:
            return json.loads(data)
        except ValueError as exc:
            problem = FieldProblem("(document)", f"not JSON: {exc}")
            raise InvalidDocument(
                f"invalid EPCIS document: {problem.reason}", problems=(problem,)
            ) from exc


def validate_document(data: Any) -> list[FieldProblem]:
    """Every problem of an EPCIS capture document, by event index and field; empty if valid.

    EPCIS 2.0 §9.3 (JSON Schema) and CBV 2.0 code lists, GS1 identifiers with check digits
    (:func:`tradetrace.events.validation.document_problems`). Nothing is stored.
    """
    problems = validation.document_problems(data)
    if not problems and data.get("type") != "EPCISDocument":
        problems = [FieldProblem("type", "a capture takes an EPCISDocument")]
    return problems


def document_hash_ids(data: Any) -> list[hashing.EventHashId]:
    """The CBV 2.0 Event Hash ID of every event of a document, in document order (§8.9)."""
    if not isinstance(data, Mapping):
        raise InvalidDocument("invalid EPCIS document: an EPCIS document is a JSON object")
    return hashing.document_event_hash_ids(data)


def store_events(
    repository: EventRepository,
    ledger: LedgerService,
    events: Sequence[ingest.PreparedEvent],
    *,
    job: CaptureJob,
    now: datetime,
    credential: tuple[EventCredential, LogRecord] | None = None,
) -> CaptureJob:
    """Deduplicate ``events`` by hash ID, log the new ones (and the credential that carried
    them) in one ledger append, then store them and the finished ``job``; return the job."""
    fresh: dict[str, ingest.PreparedEvent] = {}
    for event in events:
        fresh.setdefault(event.hash_id, event)
    for attempt in range(2):
        known = repository.existing(fresh)
        new = [event for hash_id, event in fresh.items() if hash_id not in known]
        # One record per new event (RecordKind.EPCIS_EVENT), serialized without building
        # a LogRecord each: the same bytes, checked the same way.
        digests = [event.digest for event in new]
        entries = record_entries(
            RecordKind.EPCIS_EVENT,
            zip(digests, [event.hash_id for event in new], strict=True),
            submitter=Did(job.submitter),
            time=now,
        )
        if credential is not None:
            entries.insert(0, credential[1].to_bytes())
            digests.insert(0, credential[1].digest)
        first = ledger.append_entries(entries, digests) if entries else 0
        stored_credential = None
        if credential is not None:
            stored_credential = replace(credential[0], ledger_index=first)
            first += 1
        finished = replace(
            job,
            running=False,
            success=True,
            finished_at=now,
            event_count=len(events),
            captured_count=len(new),
            duplicate_count=len(events) - len(new),
        )
        try:
            repository.add(
                list(enumerate(new, start=first)),
                job=finished,
                record_time=now,
                credential=stored_credential,
            )
        except Conflict:
            if attempt:
                raise
            continue  # a concurrent capture stored some of them: the rest go again
        return finished
    raise AssertionError("unreachable")  # pragma: no cover


def capture_document(
    repository: EventRepository,
    ledger: LedgerService,
    data: Any,
    *,
    submitter: Did,
    now: datetime,
    capture_id: str | None = None,
    limit: int = CAPTURE_LIMIT,
) -> CaptureJob:
    """Capture an EPCIS document (parsed JSON): the finished capture job.

    A document with problems is rejected whole: the job has ``success`` false and one error
    per problem, naming the event index and the field (EPCIS 2.0 REST binding capture job).
    Raises :class:`~tradetrace.errors.LimitExceeded` past ``limit`` events.
    """
    with _paused_gc():
        return _capture(
            repository,
            ledger,
            data,
            submitter=submitter,
            now=now,
            capture_id=capture_id,
            limit=limit,
        )


def capture_json(
    repository: EventRepository,
    ledger: LedgerService,
    text: bytes | str,
    *,
    submitter: Did,
    now: datetime,
    capture_id: str | None = None,
    limit: int = CAPTURE_LIMIT,
) -> CaptureJob:
    """Parse (:func:`read_json`) and capture (:func:`capture_document`) an EPCIS document.

    One pause of the garbage collector covers both, and the parsed document is gone when it
    ends: otherwise the first collection after the parse walks every object of the document.
    """
    with _paused_gc():
        return capture_document(
            repository,
            ledger,
            read_json(text),
            submitter=submitter,
            now=now,
            capture_id=capture_id,
            limit=limit,
        )


def prepare_document(data: Any, *, limit: int = CAPTURE_LIMIT) -> PreparedDocument:
    """Validate an EPCIS document (parsed JSON) whole and prepare its events; nothing is stored.

    Raises :class:`~tradetrace.errors.LimitExceeded` when a valid document has more than
    ``limit`` events (EPCIS 2.0 REST ``GS1-EPCIS-Capture-Limit``).
    """
    with _paused_gc():
        problems = validate_document(data)
        if problems:
            return PreparedDocument((), tuple(problems), _count(data))
        events = data["epcisBody"]["eventList"]
        if len(events) > limit:
            raise LimitExceeded(f"capture of {len(events)} events: at most {limit} at once")
        return PreparedDocument(tuple(ingest.document_events(data)), (), len(events))


def commit_document(
    repository: EventRepository,
    ledger: LedgerService,
    prepared: PreparedDocument,
    *,
    submitter: Did,
    now: datetime,
    capture_id: str | None = None,
) -> CaptureJob:
    """Record a prepared document: the rejected capture job of a document with problems, or
    its events deduplicated, logged and stored (:func:`store_events`); the finished job."""
    with _paused_gc():
        job = CaptureJob(capture_id or new_capture_id(), created_at=now, submitter=submitter)
        if prepared.problems:
            failed = replace(
                job,
                running=False,
                finished_at=now,
                errors=tuple(job_errors(prepared.problems)),
                event_count=prepared.event_count,
            )
            repository.save_job(failed)
            return failed
        return store_events(repository, ledger, prepared.events, job=job, now=now)


def _capture(
    repository: EventRepository,
    ledger: LedgerService,
    data: Any,
    *,
    submitter: Did,
    now: datetime,
    capture_id: str | None,
    limit: int,
) -> CaptureJob:
    return commit_document(
        repository,
        ledger,
        prepare_document(data, limit=limit),
        submitter=submitter,
        now=now,
        capture_id=capture_id,
    )


def _count(data: Any) -> int:
    body = data.get("epcisBody") if isinstance(data, Mapping) else None
    events = body.get("eventList") if isinstance(body, Mapping) else None
    return len(events) if isinstance(events, list) else 0


def credential_record(
    digest: Sha256Digest, *, submitter: Did, now: datetime, ref: str
) -> LogRecord:
    """The ledger record of a received event credential (``credential.received``)."""
    return LogRecord(RecordKind.CREDENTIAL_RECEIVED, digest, submitter, now, ref[:512])
