import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.errors import InvalidDocument
from tradetrace.ledger.record import LogRecord, RecordKind, record_entries

DIGEST = "ab" * 32


def _record(**overrides):
    values = {
        "kind": RecordKind.CREDENTIAL_ISSUED,
        "digest": DIGEST,
        "submitter": "did:web:mill.example",
        "time": datetime(2026, 11, 27, 12, 0, 5, 999, tzinfo=UTC),
        "ref": "urn:uuid:0f9a",
    }
    return LogRecord(**{**values, **overrides})


def test_record_bytes_are_jcs():
    assert _record().to_bytes() == (
        b'{"digest":"sha256:' + DIGEST.encode() + b'","kind":"credential.issued",'
        b'"ref":"urn:uuid:0f9a","submitter":"did:web:mill.example",'
        b'"time":"2026-11-27T12:00:05Z","v":1}'
    )


def test_record_time_is_normalised_to_utc():
    local = datetime(2026, 11, 27, 7, 0, 5, tzinfo=timezone(timedelta(hours=-5)))
    assert b'"time":"2026-11-27T12:00:05Z"' in _record(time=local).to_bytes()


def test_record_round_trips_through_bytes():
    record = _record(ref="ünïcode ref", time=datetime(2026, 1, 1, tzinfo=UTC))
    assert LogRecord.from_bytes(record.to_bytes()) == record


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"digest": "AB" * 32}, "digest"),
        ({"submitter": "mill"}, "submitter"),
        ({"time": datetime(2026, 1, 1)}, "timezone-aware"),
        ({"ref": "x" * 513}, "ref"),
    ],
)
def test_record_rejects_bad_fields(overrides, message):
    with pytest.raises(InvalidDocument, match=message) as caught:
        _record(**overrides)
    assert caught.value.code == "invalid_document"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "malformed log record"),
        (b"[]", "malformed log record"),
        (b'{"v":2}', "version"),
        (b'{"v":1,"digest":"md5:x"}', "sha256: prefix"),
        (b'{"v":1,"digest":"sha256:' + DIGEST.encode() + b'","kind":"nope"}', "malformed"),
    ],
)
def test_from_bytes_rejects_non_records(data, message):
    with pytest.raises(InvalidDocument, match=message):
        LogRecord.from_bytes(data)


def test_from_bytes_rejects_non_canonical_form():
    canonical = _record().to_bytes()
    spaced = canonical.replace(b",", b", ")
    with pytest.raises(InvalidDocument, match="not in canonical"):
        LogRecord.from_bytes(spaced)


@given(
    ref=st.text(max_size=40),
    submitter=st.text(max_size=40).map(lambda rest: "did:" + rest),
    kind=st.sampled_from(RecordKind),
)
def test_record_bytes_equal_sorted_json_dump(ref, submitter, kind):
    record = _record(ref=ref, submitter=submitter, kind=kind)
    document = {
        "digest": f"sha256:{DIGEST}",
        "kind": kind.value,
        "ref": ref,
        "submitter": submitter,
        "time": "2026-11-27T12:00:05Z",
        "v": 1,
    }
    expected = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert record.to_bytes() == expected.encode()


@given(
    refs=st.lists(st.text(max_size=40), max_size=4),
    submitter=st.text(max_size=40).map(lambda rest: "did:" + rest),
    kind=st.sampled_from(RecordKind),
)
def test_record_entries_equal_each_records_bytes(refs, submitter, kind):
    time = datetime(2026, 11, 27, 7, 0, 5, 12, tzinfo=timezone(timedelta(hours=-5)))
    digests = [f"{n:02x}" * 32 for n in range(len(refs))]
    entries = record_entries(kind, zip(digests, refs, strict=True), submitter=submitter, time=time)
    assert entries == [
        LogRecord(kind, digest, submitter, time, ref).to_bytes()
        for digest, ref in zip(digests, refs, strict=True)
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"digest": "AB" * 32}, "digest"),
        ({"digest": "ab" * 31}, "digest"),
        ({"digest": "ab" * 32 + "\n"}, "digest"),
        ({"submitter": "mill"}, "submitter"),
        ({"time": datetime(2026, 1, 1)}, "timezone-aware"),
        ({"ref": "x" * 513}, "ref"),
    ],
)
def test_record_entries_reject_bad_fields_as_records_do(overrides, message):
    values = {
        "digest": DIGEST,
        "ref": "urn:uuid:0f9a",
        "submitter": "did:web:mill.example",
        "time": datetime(2026, 11, 27, 12, 0, 5, tzinfo=UTC),
        **overrides,
    }
    with pytest.raises(InvalidDocument, match=message):
        record_entries(
            RecordKind.EPCIS_EVENT,
            [(DIGEST, "first"), (values["digest"], values["ref"])],
            submitter=values["submitter"],
            time=values["time"],
        )
