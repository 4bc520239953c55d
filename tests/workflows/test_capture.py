# ruff: noqa: F811 - the fixtures imported from epcis_support are parameters here
import copy

import pytest

from tests.conftest import FIXED_NOW
from tests.workflows.epcis_support import (  # noqa: F401 - fixtures
    NODE_DID,
    capture_ok,
    example,
    ledger,
    repository,
)
from tradetrace.errors import InvalidDocument, LimitExceeded, NotFound
from tradetrace.events import hashing, ingest
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.workflows import capture

FIVE = ["ObjectEvent", "AggregationEvent", "TransformationEvent", "TransactionEvent"]
FIVE += ["AssociationEvent"]


@pytest.mark.parametrize("name", FIVE)
def test_capture_stores_and_logs_each_gs1_example(repository, ledger, name):
    data = example(name)
    job = capture_ok(repository, ledger, data)
    hash_ids = hashing.document_event_hash_ids(data)
    assert job.captured_count == len(set(hash_ids))
    for hash_id in hash_ids:
        stored = repository.by_hash_id(hash_id)
        assert stored.wire["type"] == name
        record = LogRecord.from_bytes(ledger.entry(stored.ledger_index))
        assert record.kind is RecordKind.EPCIS_EVENT
        assert record.ref == hash_id
        assert record.digest == ingest.digest_of_hash_id(hash_id)
        assert record.submitter == NODE_DID
    assert ledger.store.entries_with_key(ingest.digest_of_hash_id(hash_ids[0]))


def test_combined_example_is_rejected_for_its_grai_and_captures_once_fixed(repository, ledger):
    data = example("Combination_of_different_event")
    job = capture.capture_document(repository, ledger, data, submitter=NODE_DID, now=FIXED_NOW)
    assert not job.success
    assert [(e["event_index"], e["field"]) for e in job.errors] == [
        (0, "epcisBody.eventList[0].epcList[0]")
    ]
    assert ledger.store.head().size == 0
    fixed = copy.deepcopy(data)
    epcs = fixed["epcisBody"]["eventList"][0]["epcList"]
    epcs[0] = epcs[0].replace("030013450007718765", "030013450007768765")
    assert capture_ok(repository, ledger, fixed).captured_count == 6


def test_capture_deduplicates_by_hash_id(repository, ledger):
    data = example("ObjectEvent")
    first = capture_ok(repository, ledger, data)
    size = ledger.store.head().size
    again = capture_ok(repository, ledger, data)
    assert again.captured_count == 0
    assert again.duplicate_count == first.event_count
    assert ledger.store.head().size == size


@pytest.mark.parametrize(
    ("asset_name", "index", "field"),
    [
        ("invalid-action.json", 1, "epcisBody.eventList[1].action"),
        ("bad-timestamp.json", 0, "epcisBody.eventList[0].eventTime"),
        ("bizstep-without-namespace.json", 3, "epcisBody.eventList[3].bizStep"),
        ("object-event-missing-eventtime.json", 2, "epcisBody.eventList[2].eventTime"),
    ],
)
def test_capture_rejects_invalid_documents_whole(
    repository, ledger, asset, asset_name, index, field
):
    data = capture.read_json(asset(f"epcis/{asset_name}").read_bytes())
    job = capture.capture_document(repository, ledger, data, submitter=NODE_DID, now=FIXED_NOW)
    assert not job.success
    assert (index, field) in [(e["event_index"], e["field"]) for e in job.errors]
    assert job.captured_count == 0
    assert ledger.store.head().size == 0
    assert repository.job(job.capture_id) == job


def test_read_json_names_the_document(repository):
    with pytest.raises(InvalidDocument, match="not JSON") as caught:
        capture.read_json(b"{nope")
    assert caught.value.code == "invalid_document"
    assert caught.value.problems[0].field == "(document)"


def test_unknown_capture_job_is_not_found(repository):
    with pytest.raises(NotFound, match="no capture job 'x'") as caught:
        repository.job("x")
    assert caught.value.code == "not_found"


def test_capture_limit(repository, ledger):
    with pytest.raises(LimitExceeded, match="at most 1 at once") as caught:
        capture.capture_document(
            repository, ledger, example("ObjectEvent"), submitter=NODE_DID, now=FIXED_NOW, limit=1
        )
    assert caught.value.code == "limit_exceeded"
