"""The compact record logged for each document: what it was, its digest, who sent it, when.

The trade document itself never enters the log (it stays private in the database); the record
holds only its SHA-256 digest. Records are serialized with RFC 8785 (JCS) so every party derives
the same leaf bytes from the same facts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache

from tradetrace.errors import InvalidDocument
from tradetrace.types import Did, Sha256Digest

__all__ = ["RECORD_VERSION", "LogRecord", "RecordKind", "record_entries"]

RECORD_VERSION = 1
"""Version of the record layout, stored in every record as ``v``."""

_DIGEST = re.compile(r"[0-9a-f]{64}")  # used with fullmatch: no final newline either
_string = json.encoder.encode_basestring  # a str as json.dumps(ensure_ascii=False) writes it
_MAX_TEXT = 512


@lru_cache(maxsize=256)
def _utc_text(moment: datetime) -> str:
    # Cached: the records of one batch (a capture's events) share their time.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_digest(digest: str) -> None:
    if not _DIGEST.fullmatch(digest):
        raise InvalidDocument("log record digest: expected 64 lower-case hex characters")


def _check_submitter_time(submitter: str, time: datetime) -> None:
    if not submitter.startswith("did:") or len(submitter) > _MAX_TEXT:
        raise InvalidDocument("log record submitter: expected a DID of at most 512 characters")
    if time.tzinfo is None:
        raise InvalidDocument("log record time: expected a timezone-aware datetime")


def _check_ref(ref: str) -> None:
    if len(ref) > _MAX_TEXT:
        raise InvalidDocument("log record ref: expected at most 512 characters")


class RecordKind(StrEnum):
    """What a log record attests was issued, received or published."""

    CREDENTIAL_ISSUED = "credential.issued"
    CREDENTIAL_RECEIVED = "credential.received"
    PRESENTATION_RECEIVED = "presentation.received"
    STATUS_LIST_PUBLISHED = "status_list.published"
    EPCIS_EVENT = "epcis.event"
    CUSTOMS_ENTRY = "customs.entry"
    CUSTOMS_DECISION = "customs.decision"


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One log entry's content. Build with the constructor; parse with :meth:`from_bytes`."""

    kind: RecordKind
    digest: Sha256Digest
    submitter: Did
    time: datetime
    ref: str

    def __post_init__(self) -> None:
        _check_digest(self.digest)
        _check_submitter_time(self.submitter, self.time)
        _check_ref(self.ref)

    def to_bytes(self) -> bytes:
        """The record as JCS bytes (RFC 8785).

        Every value is a string or a small integer and every key is ASCII, so sorted keys with
        compact separators and unescaped Unicode are exactly the JCS serialization (§3.2.2, §3.2.3).
        """
        return _entry(self.digest, self.kind, self.ref, _tail(self.submitter, self.time))

    @classmethod
    def from_bytes(cls, data: bytes) -> LogRecord:
        """Parse a record from log entry bytes; :class:`InvalidDocument` when it is not one."""
        try:
            document = json.loads(data)
            if document.get("v") != RECORD_VERSION:
                raise InvalidDocument(f"log record version: expected {RECORD_VERSION}")
            digest = str(document["digest"])
            if not digest.startswith("sha256:"):
                raise InvalidDocument("log record digest: expected a sha256: prefix")
            record = cls(
                kind=RecordKind(document["kind"]),
                digest=Sha256Digest(digest.removeprefix("sha256:")),
                submitter=Did(str(document["submitter"])),
                time=datetime.strptime(document["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
                ref=str(document["ref"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidDocument(f"malformed log record: {exc}") from exc
        if record.to_bytes() != data:
            raise InvalidDocument("log record is not in canonical (JCS) form")
        return record


def record_entries(
    kind: RecordKind, items: Iterable[tuple[Sha256Digest, str]], *, submitter: Did, time: datetime
) -> list[bytes]:
    """The log entry bytes of one record per ``(digest, ref)`` of ``kind``, all from
    ``submitter`` at ``time``: ``LogRecord(kind, digest, submitter, time, ref).to_bytes()``
    for each, checked the same way (RFC 8785 JCS).

    Capture logs one record per event, all sharing their kind, submitter and time: the shared
    fields are checked and written once, and no record object is built per event.
    """
    _check_submitter_time(submitter, time)
    tail = _tail(submitter, time)
    entries: list[bytes] = []
    for digest, ref in items:
        _check_digest(digest)
        _check_ref(ref)
        entries.append(_entry(digest, kind, ref, tail))
    return entries


def _tail(submitter: str, time: datetime) -> str:
    """The members after ``ref``, in sorted key order (RFC 8785 §3.2.3)."""
    return (
        f'"submitter":{_string(submitter)},"time":{_string(_utc_text(time))},"v":{RECORD_VERSION}}}'
    )


def _entry(digest: str, kind: RecordKind, ref: str, tail: str) -> bytes:
    """A record's JCS bytes, written out in sorted key order with each string escaped as
    ``json.dumps(ensure_ascii=False)`` escapes it: the same bytes as dumping the dict, in a
    fraction of the time (capture logs one record per event). ``digest`` is 64 checked hex
    digits and ``kind`` an ASCII name, so neither needs escaping."""
    return (
        f'{{"digest":"sha256:{digest}","kind":"{kind.value}","ref":{_string(ref)},{tail}'
    ).encode()
