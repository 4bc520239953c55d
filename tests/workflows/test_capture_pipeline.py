# ruff: noqa: F811 - the fixtures imported from epcis_support are parameters here
"""The capture pipeline gives what in-process capture gives, in order, and fails closed."""

import copy
import json
import os
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.conftest import FIXED_NOW
from tests.workflows.epcis_support import (  # noqa: F401 - fixtures
    NODE_DID,
    example,
    gtin,
    ledger,
    repository,
)
from tradetrace import storage
from tradetrace.config import Settings
from tradetrace.errors import CaptureFailed, InvalidDocument, LimitExceeded
from tradetrace.events import hashing, ingest
from tradetrace.storage.events import EventRepository
from tradetrace.workflows import capture, capture_pipeline, setup


def _crash_on_marker(text: bytes | str, limit: int) -> bytes:
    """A worker step that dies (as a killed process would) on a document marked CRASH."""
    if b"CRASH" in (text if isinstance(text, bytes) else text.encode()):
        os._exit(3)
    return capture_pipeline.prepare_bytes(text, limit)


def _slow(text: bytes | str, limit: int) -> bytes:
    """A worker step slow enough that the writer prepares the following documents itself."""
    time.sleep(0.5)
    return capture_pipeline.prepare_bytes(text, limit)


def _documents() -> list[bytes]:
    """Five documents: new events, a rejected one, duplicates (of an earlier document and
    within one), an event whose quantity is -0.0, and another GS1 example."""
    first = example("ObjectEvent")
    rejected = example("Combination_of_different_event")  # a GRAI with a bad check digit
    again = copy.deepcopy(first)
    events = again["epcisBody"]["eventList"]
    again["epcisBody"]["eventList"] = [events[0], *example("AggregationEvent")[
        "epcisBody"
    ]["eventList"], events[0]]  # fmt: skip
    negative = example("ObjectEvent")
    event = negative["epcisBody"]["eventList"][0]
    lot = f"https://id.gs1.org/01/{gtin('0401234512345')}/10/LOT-0"
    event["quantityList"] = [{"epcClass": lot, "quantity": -0.0, "uom": "KGM"}]
    negative["epcisBody"]["eventList"] = [event]
    last = example("TransformationEvent")
    return [json.dumps(d).encode() for d in (first, rejected, again, negative, last)]


def _clock():
    ticks = iter(range(1000))
    return lambda: FIXED_NOW + timedelta(seconds=next(ticks))


def _second_node(tmp_path):
    """Another node with its own SQLite database."""
    engine = storage.make_engine(f"sqlite:///{(tmp_path / 'second.db').as_posix()}")
    storage.upgrade(engine)
    settings = Settings(data_dir=tmp_path / "second")
    ledger = setup.open_ledger(settings, engine, clock=lambda: FIXED_NOW)
    return engine, EventRepository(engine), ledger


def _contents(engine, repository, ledger, jobs):
    """What a capture leaves: jobs (without their random ids), ledger entries, stored events
    and the identifier index."""
    size = ledger.store.head().size
    with engine.connect() as connection:
        uses = connection.execute(
            text(
                "SELECT identifier, event_index, role, is_class, quantity, uom"
                " FROM epcis_event_identifier ORDER BY event_index, identifier, role"
            )
        ).all()
    events = repository.events(range(size))
    return (
        [job.to_json() | {"captureID": None} for job in jobs],
        [ledger.entry(index) for index in range(size)],
        [(e.ledger_index, e.hash_id, e.wire, e.record_time) for e in events],
        [tuple(row) for row in uses],
        [repository.job(job.capture_id) == job for job in jobs],
    )


@pytest.mark.parametrize(
    ("helping", "prepare"),
    [(False, capture_pipeline.prepare_bytes), (True, _slow)],
    ids=["workers-only", "writer-helping"],
)
def test_pipeline_gives_what_in_process_capture_gives(
    engine, repository, ledger, tmp_path, helping, prepare
):
    documents = _documents()
    clock = _clock()
    expected = [
        capture.capture_json(repository, ledger, data, submitter=NODE_DID, now=clock())
        for data in documents
    ]
    assert [job.success for job in expected] == [True, False, True, True, True]
    assert expected[2].duplicate_count == 2
    second, other, other_ledger = _second_node(tmp_path)
    try:
        pipeline = capture_pipeline.CapturePipeline(
            other, other_ledger, workers=2, window=2, helping=helping, prepare=prepare
        )
        with pipeline:
            jobs = list(pipeline.capture(documents, submitter=NODE_DID, clock=_clock()))
        found = _contents(second, other, other_ledger, jobs)
    finally:
        second.dispose()
    assert found == _contents(engine, repository, ledger, expected)
    assert all(found[-1])


def test_in_process_pipeline_is_capture_json(repository, ledger, tmp_path):
    documents = _documents()[:3]
    with capture_pipeline.CapturePipeline(repository, ledger, workers=0) as pipeline:
        jobs = list(pipeline.capture(documents, submitter=NODE_DID, clock=_clock()))
    assert [job.captured_count for job in jobs] == [
        len(set(hashing.document_event_hash_ids(json.loads(documents[0])))),
        0,
        len(json.loads(documents[2])["epcisBody"]["eventList"]) - 2,
    ]


def test_encoding_keeps_every_prepared_event(repository):
    for name in ("ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent"):
        data = example(name)
        prepared = capture.prepare_document(data)
        assert capture_pipeline.decode(capture_pipeline.encode(prepared)) == prepared
        assert [e.hash_id for e in prepared.events] == hashing.document_event_hash_ids(data)
    rejected = capture.prepare_document(example("Combination_of_different_event"))
    assert rejected.problems and not rejected.events
    assert capture_pipeline.decode(capture_pipeline.encode(rejected)) == rejected


def test_negative_zero_quantity_survives_the_hand_over():
    data = json.loads(_documents()[3])
    [event] = capture_pipeline.decode(
        capture_pipeline.prepare_bytes(json.dumps(data).encode(), capture.CAPTURE_LIMIT)
    ).events
    quantities = [use.quantity for use in event.identifiers if use.quantity is not None]
    assert quantities and all(str(q) == "-0.0" for q in quantities)
    assert event == ingest.document_events(data)[0]


@pytest.mark.parametrize("workers", [0, 2])
def test_errors_come_in_their_turn_as_in_process(repository, ledger, workers):
    documents = [_documents()[0], b"{nope", _documents()[4]]
    jobs = []
    with (
        capture_pipeline.CapturePipeline(repository, ledger, workers=workers) as pipeline,
        pytest.raises(InvalidDocument) as caught,
    ):
        for job in pipeline.capture(documents, submitter=NODE_DID, clock=_clock()):
            jobs.append(job)
    with pytest.raises(InvalidDocument) as direct:
        capture.read_json(b"{nope")
    assert caught.value.message == direct.value.message
    assert caught.value.problems == direct.value.problems
    assert [job.success for job in jobs] == [True]
    assert ledger.store.head().size == jobs[0].captured_count


def test_limit_is_enforced_in_the_workers(repository, ledger):
    with pytest.raises(LimitExceeded, match="at most 1 at once"):
        list(
            capture_pipeline.capture_stream(
                repository,
                ledger,
                _documents()[:1],
                workers=1,
                submitter=NODE_DID,
                clock=_clock(),
                limit=1,
            )
        )
    assert ledger.store.head().size == 0


def test_a_dead_worker_fails_its_document_closed(repository, ledger):
    documents = [b"CRASH", *_documents()]
    pipeline = capture_pipeline.CapturePipeline(
        repository, ledger, workers=2, prepare=_crash_on_marker
    )
    with pipeline, pytest.raises(CaptureFailed, match="document 0") as caught:
        list(pipeline.capture(documents, submitter=NODE_DID, clock=_clock()))
    assert caught.value.code == "capture_failed"
    assert ledger.store.head().size == 0


def test_a_dead_worker_stops_the_stream_after_what_was_recorded(repository, ledger):
    documents = _documents()
    documents.insert(2, b"CRASH")
    jobs = []
    with (
        capture_pipeline.CapturePipeline(
            repository, ledger, workers=1, window=1, prepare=_crash_on_marker, helping=False
        ) as pipeline,
        pytest.raises(CaptureFailed, match="it and the documents after it were not captured"),
    ):
        for job in pipeline.capture(documents, submitter=NODE_DID, clock=_clock()):
            jobs.append(job)
    assert len(jobs) <= 2  # the pool may break before the result of document 1 is read
    assert ledger.store.head().size == sum(job.captured_count for job in jobs)
    last = json.loads(documents[-1])
    for hash_id in hashing.document_event_hash_ids(last):
        assert not repository.existing([hash_id])


class _BreaksAfter:
    """An executor that prepares in this process and whose pool breaks after ``count``
    hand-overs: a worker that died between two submissions."""

    def __init__(self, count: int) -> None:
        self.count = count

    def submit(self, fn, /, *args):
        if self.count == 0:
            raise BrokenProcessPool("A child process terminated abruptly")
        self.count -= 1
        future: Future[bytes] = Future()
        future.set_result(fn(*args))
        return future


def test_a_pool_broken_at_hand_over_fails_that_document_after_those_before(repository, ledger):
    documents = _documents()
    pipeline = capture_pipeline.CapturePipeline(repository, ledger, workers=1, window=2)
    jobs = []
    run = pipeline._run(_BreaksAfter(3), iter(documents), submitter=NODE_DID, clock=_clock())
    with pytest.raises(CaptureFailed, match="preparing document 3 ") as caught:
        for job in run:
            jobs.append(job)
    assert caught.value.code == "capture_failed"
    assert [job.success for job in jobs] == [True, False, True]  # documents 0-2, in order
    assert ledger.store.head().size == sum(job.captured_count for job in jobs)
    for later in documents[3:]:
        for hash_id in hashing.document_event_hash_ids(json.loads(later)):
            assert not repository.existing([hash_id])


def test_workers_must_not_be_negative(repository, ledger):
    with pytest.raises(ValueError, match="0 or more"):
        capture_pipeline.CapturePipeline(repository, ledger, workers=-1)
