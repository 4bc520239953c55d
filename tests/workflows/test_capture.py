# ruff: noqa: F811 - the fixtures imported from epcis_support are parameters here
import copy
import gc
import json

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


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), 10**30, -(2**64), None, "null", 2.5e-7, "ünï\u2028code"],
    ids=["nan", "infinity", "big-int", "big-negative-int", "null", "null-text", "float", "text"],
)
def test_stored_event_keeps_every_extension_value_and_its_hash(repository, ledger, value):
    data = example("ObjectEvent")
    data["@context"] = [*data["@context"], {"example": "https://ns.example.com/epcis/"}]
    event = data["epcisBody"]["eventList"][0]
    event["example:value"] = value
    data["epcisBody"]["eventList"] = [event]
    capture_ok(repository, ledger, data)
    [hash_id] = hashing.document_event_hash_ids(data)
    stored = repository.by_hash_id(hash_id)
    assert repr(stored.wire["example:value"]) == repr(value)
    assert hashing.event_hash_id(stored.wire) == hash_id


@pytest.mark.parametrize("enabled", [True, False])
def test_capture_leaves_the_garbage_collector_as_it_found_it(repository, ledger, enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        capture_ok(repository, ledger, capture.read_json(json.dumps(example("ObjectEvent"))))
        assert gc.isenabled() is enabled
        with pytest.raises(LimitExceeded, match="at most 1 at once"):
            capture.capture_document(
                repository,
                ledger,
                example("ObjectEvent"),
                submitter=NODE_DID,
                now=FIXED_NOW,
                limit=1,
            )
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_existing_finds_stored_hash_ids_among_many(repository, ledger):
    data = example("ObjectEvent")
    capture_ok(repository, ledger, data)
    stored = set(hashing.document_event_hash_ids(data))
    others = {f"ni:///sha-256;{number:064x}?ver=CBV2.0" for number in range(1, 1202)}
    assert repository.existing(stored | others) == stored
    assert repository.existing(others) == set()
    assert repository.existing([]) == set()


@pytest.mark.parametrize(
    "hash_id",
    ["ni:///sha-256;00?ver=CBV2.0", "urn:uuid:1", f"ni:///sha-256;{'a' * 64}?ver=CBV2.0"],
    ids=["short", "not-a-hash", "unknown"],
)
def test_unknown_or_malformed_hash_id_is_not_found(repository, hash_id):
    with pytest.raises(NotFound, match="no event") as caught:
        repository.by_hash_id(hash_id)
    assert caught.value.code == "not_found"


def test_capture_json_parses_and_captures_the_document(repository, ledger):
    text = json.dumps(example("ObjectEvent")).encode()
    job = capture.capture_json(repository, ledger, text, submitter=NODE_DID, now=FIXED_NOW)
    assert job.success and job.captured_count == len(
        set(hashing.document_event_hash_ids(json.loads(text)))
    )
    with pytest.raises(InvalidDocument, match="not JSON") as caught:
        capture.capture_json(repository, ledger, b"{nope", submitter=NODE_DID, now=FIXED_NOW)
    assert caught.value.code == "invalid_document"
    assert gc.isenabled()
