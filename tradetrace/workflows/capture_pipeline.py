"""Capture many EPCIS documents on several cores: workers prepare, one writer records.

A capture (:mod:`tradetrace.workflows.capture`) is two steps. Parsing, validating (EPCIS 2.0
§9.3 JSON Schema, CBV 2.0 code lists, GS1 check digits) and preparing a document (CBV 2.0 §8.9
hash IDs, indexed fields, identifiers) is pure CPU and depends on that document alone; recording
it (deduplication, one ledger append, the rows) goes through the database's single writer and
depends on every document before it. :class:`CapturePipeline` runs the first step in worker
processes (:func:`prepare_bytes`, a top-level function, so any start method can run it) and the
second in the calling process, in document order: the jobs, hash IDs, ledger records and
rejection messages are those of :func:`~tradetrace.workflows.capture.capture_json` called on
each document in turn, and each document is still accepted or rejected whole (EPCIS 2.0
§8.2.1).

A worker hands its prepared document back as one ``pickle`` of flat tuples (an event is ten
plain fields and its identifier uses as tuples, its wire form already the stored JSON text):
about 4 µs per event to encode and 6 µs to decode, where pickling the dataclasses cost 11 and
8. Workers run at a lower priority than the writer, the pipeline's one serial step; when the
next document is still with a worker, the writer prepares a later one itself rather than wait,
so on a machine whose cores are busy elsewhere the stream still moves at the writer's share.
When a worker process dies, the document it held and every later one are not captured, and
:class:`~tradetrace.errors.CaptureFailed` says so; nothing waits forever.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from types import TracebackType
from typing import Any

from tradetrace.errors import CaptureFailed
from tradetrace.events import hashing, ingest
from tradetrace.events.stored import CaptureJob
from tradetrace.storage.events import EventRepository
from tradetrace.types import Did
from tradetrace.workflows import capture
from tradetrace.workflows.ledger import LedgerService

__all__ = ["CapturePipeline", "Prepare", "capture_stream", "decode", "encode", "prepare_bytes"]

Prepare = Callable[[bytes | str, int], bytes]
"""A worker's step: document text and capture limit in, :func:`encode` of the prepared
document out. It must be a top-level function, so that it reaches worker processes by name."""

_UseRow = tuple[str, str, bool, float | None, str | None]
_EventRow = tuple[
    hashing.EventHashId, str, str | None, datetime, str | None, str | None, str | None, str | None,
    tuple[_UseRow, ...], str,
]  # fmt: skip


def _row(event: ingest.PreparedEvent) -> _EventRow:
    uses = tuple(
        (use.identifier, use.role.value, use.is_class, use.quantity, use.uom)
        for use in event.identifiers
    )
    return (
        event.hash_id,
        event.event_type,
        event.action,
        event.event_time,
        event.biz_step,
        event.disposition,
        event.read_point,
        event.biz_location,
        uses,
        event.json_text,
    )


def encode(prepared: capture.PreparedDocument) -> bytes:
    """A prepared document as compact bytes for another process (:func:`decode` reads it)."""
    events = [_row(event) for event in prepared.events]
    return pickle.dumps((events, prepared.problems, prepared.event_count), protocol=5)


@lru_cache(maxsize=16384)
def _cached_use(
    identifier: str, role: str, is_class: bool, quantity: float | None, uom: str | None
) -> ingest.IdentifierUse:
    return ingest.IdentifierUse(identifier, ingest.Role(role), is_class, quantity, uom)


def _use(row: _UseRow) -> ingest.IdentifierUse:
    if row[3] == 0:  # the cache would not tell 0.0 from -0.0
        return ingest.IdentifierUse(row[0], ingest.Role(row[1]), row[2], row[3], row[4])
    return _cached_use(*row)


def _event(row: _EventRow) -> ingest.PreparedEvent:
    hash_id, kind, action, moment, step, disposition, read_point, location, uses, text = row
    return ingest.PreparedEvent(
        hash_id=hash_id,
        event_type=kind,
        action=action,
        event_time=moment,
        biz_step=step,
        disposition=disposition,
        read_point=read_point,
        biz_location=location,
        identifiers=tuple(_use(use) for use in uses),
        json_text=text,
    )


def decode(data: bytes) -> capture.PreparedDocument:
    """The prepared document that :func:`encode` wrote (from this package's own workers)."""
    rows, problems, count = pickle.loads(data)  # noqa: S301 - bytes from our own workers
    return capture.PreparedDocument(tuple(map(_event, rows)), tuple(problems), count)


def prepare_bytes(text: bytes | str, limit: int) -> bytes:
    """Parse, validate and prepare one document, encoded (:func:`encode`): a worker's step.

    Raises what :func:`~tradetrace.workflows.capture.read_json` and
    :func:`~tradetrace.workflows.capture.prepare_document` raise.
    """
    with capture.paused_gc():
        return encode(capture.prepare_document(capture.read_json(text), limit=limit))


def _context() -> Any:
    """``forkserver`` where the platform has it (workers fork from a clean process that has
    imported this module, not from the writer with its open database), else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload([__name__])
    return context


_WORKER_NICENESS = 10
_PATIENCE = 0.05  # seconds the writer waits for a worker before it prepares a document itself


def _lower_priority() -> None:
    """Run a worker below the writer's priority: the writer is the pipeline's one serial
    step, so it should never wait for a core while workers prepare documents ahead."""
    if hasattr(os, "nice"):
        os.nice(_WORKER_NICENESS)


@dataclass(frozen=True, slots=True)
class _Local:
    """A document the writer prepared itself: the prepared document, or the error it raised."""

    outcome: capture.PreparedDocument | Exception


class CapturePipeline:
    """Captures a stream of EPCIS documents with ``workers`` processes preparing them.

    Use it as a context manager (the worker processes live as long as it does). ``workers``
    0 captures each document in the calling process with
    :func:`~tradetrace.workflows.capture.capture_json`. At most ``window`` documents (default
    twice the workers) are handed to workers ahead of the one being recorded. With ``helping``,
    once the first document is recorded, when the next one is not prepared yet, the writer
    prepares the following one itself instead of waiting (with the same functions, in this
    process, not through ``prepare``): on a machine whose cores are busy with other work, the
    low-priority workers may get little time, and the writer's own share then still moves the
    stream on.
    """

    def __init__(
        self,
        repository: EventRepository,
        ledger: LedgerService,
        *,
        workers: int,
        limit: int = capture.CAPTURE_LIMIT,
        window: int | None = None,
        prepare: Prepare = prepare_bytes,
        helping: bool = True,
    ) -> None:
        if workers < 0:
            raise ValueError("workers must be 0 or more")
        self._repository = repository
        self._ledger = ledger
        self._workers = workers
        self._limit = limit
        self._window = max(1, window if window is not None else 2 * workers)
        self._prepare = prepare
        self._helping = helping
        self._executor: ProcessPoolExecutor | None = None

    @property
    def workers(self) -> int:
        """The number of worker processes (0: documents are captured in this process)."""
        return self._workers

    def __enter__(self) -> CapturePipeline:
        if self._workers and self._executor is None:
            self._executor = ProcessPoolExecutor(
                self._workers, mp_context=_context(), initializer=_lower_priority
            )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes; documents not recorded yet are dropped."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def capture(
        self,
        documents: Iterable[bytes | str],
        *,
        submitter: Did,
        clock: Callable[[], datetime],
    ) -> Iterator[CaptureJob]:
        """The capture job of each document, in order, each recorded before it is yielded.

        ``clock`` gives each job's time as it is recorded. An error of a document (not JSON,
        :class:`~tradetrace.errors.LimitExceeded`, a worker's death as
        :class:`~tradetrace.errors.CaptureFailed`) is raised in its turn: the documents
        before it are captured, it and those after it are not.
        """
        if not self._workers:
            for text in documents:
                yield capture.capture_json(
                    self._repository,
                    self._ledger,
                    text,
                    submitter=submitter,
                    now=clock(),
                    limit=self._limit,
                )
            return
        executor = self._executor
        if executor is None:
            raise RuntimeError("enter the CapturePipeline (with ...) before capturing")
        yield from self._run(executor, iter(documents), submitter=submitter, clock=clock)

    def _here(self, text: bytes | str) -> _Local:
        """Prepare a document in this process (the writer's idle time), keeping any error."""
        try:
            with capture.paused_gc():
                data = capture.read_json(text)
                return _Local(capture.prepare_document(data, limit=self._limit))
        except Exception as exc:  # raised again in the document's turn
            return _Local(exc)

    def _run(
        self,
        executor: ProcessPoolExecutor,
        texts: Iterator[bytes | str],
        *,
        submitter: Did,
        clock: Callable[[], datetime],
    ) -> Iterator[CaptureJob]:
        # Documents in order: handed to a worker (a future) or prepared here (_Local).
        slots: deque[Future[bytes] | _Local] = deque()
        taken = 0  # documents read from ``texts`` so far
        stopped = False  # the pool broke: nothing more is handed out

        def fill() -> None:
            nonlocal taken, stopped
            handed = sum(isinstance(slot, Future) for slot in slots)
            while handed < self._window and not stopped:
                text = next(texts, None)
                if text is None:
                    return
                taken += 1
                try:
                    slots.append(executor.submit(self._prepare, text, self._limit))
                except BrokenProcessPool as exc:  # a worker died since the last hand-over
                    slots.append(_Local(_stopped(taken - 1, exc)))  # raised in its turn
                    stopped = True
                    return
                handed += 1

        number = 0
        try:
            fill()
            while slots:
                head = slots[0]
                helping = self._helping and number > 0  # not while the workers start
                if helping and not stopped and isinstance(head, Future) and not _ready(head):
                    text = next(texts, None)
                    if text is not None:
                        taken += 1
                        slots.append(self._here(text))
                        continue
                slots.popleft()
                fill()
                prepared = _result(head, number)
                with capture.paused_gc():
                    job = capture.commit_document(
                        self._repository,
                        self._ledger,
                        prepared,
                        submitter=submitter,
                        now=clock(),
                    )
                    del prepared
                yield job
                number += 1
        finally:
            for slot in slots:
                if isinstance(slot, Future):
                    slot.cancel()


def _stopped(number: int, cause: BrokenProcessPool) -> CaptureFailed:
    """The failure of document ``number`` when a worker process has died (fail closed)."""
    failure = CaptureFailed(
        f"a capture worker process stopped while preparing document {number}"
        " (counting from 0): it and the documents after it were not captured"
    )
    failure.__cause__ = cause
    return failure


def _ready(future: Future[bytes]) -> bool:
    """Whether ``future`` is done, or gets done within :data:`_PATIENCE` seconds."""
    return bool(wait([future], timeout=_PATIENCE).done)


def _result(slot: Future[bytes] | _Local, number: int) -> capture.PreparedDocument:
    """The prepared document of a slot; its error, raised in the document's turn."""
    if isinstance(slot, _Local):
        if isinstance(slot.outcome, Exception):
            raise slot.outcome
        return slot.outcome
    try:
        data = slot.result()
    except BrokenProcessPool as exc:
        raise _stopped(number, exc) from exc
    with capture.paused_gc():
        return decode(data)


def capture_stream(
    repository: EventRepository,
    ledger: LedgerService,
    documents: Iterable[bytes | str],
    *,
    workers: int,
    submitter: Did,
    clock: Callable[[], datetime],
    limit: int = capture.CAPTURE_LIMIT,
) -> Generator[CaptureJob, None, None]:
    """Capture ``documents`` through a :class:`CapturePipeline` of ``workers`` processes,
    started and stopped around the stream (close the generator to stop early); the capture
    jobs in document order."""
    with CapturePipeline(repository, ledger, workers=workers, limit=limit) as pipeline:
        yield from pipeline.capture(documents, submitter=submitter, clock=clock)
