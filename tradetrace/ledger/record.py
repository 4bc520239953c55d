"""The compact record logged for each document: what it was, its digest, who sent it, when.

The trade document itself never enters the log (it stays private in the database); the record
holds only its SHA-256 digest. Records are serialized with RFC 8785 (JCS) so every party derives
the same leaf bytes from the same facts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from tradetrace.errors import InvalidDocument
from tradetrace.types import Did, Sha256Digest

__all__ = ["RECORD_VERSION", "LogRecord", "RecordKind"]

RECORD_VERSION = 1
"""Version of the record layout, stored in every record as ``v``."""

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_MAX_TEXT = 512


class RecordKind(StrEnum):
    """What a log record attests was issued, received or published."""

    CREDENTIAL_ISSUED = "credential.issued"
    CREDENTIAL_RECEIVED = "credential.received"
    PRESENTATION_RECEIVED = "presentation.received"
    STATUS_LIST_PUBLISHED = "status_list.published"
    EPCIS_EVENT = "epcis.event"
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
        if not _DIGEST.match(self.digest):
            raise InvalidDocument("log record digest: expected 64 lower-case hex characters")
        if not self.submitter.startswith("did:") or len(self.submitter) > _MAX_TEXT:
            raise InvalidDocument("log record submitter: expected a DID of at most 512 characters")
        if self.time.tzinfo is None:
            raise InvalidDocument("log record time: expected a timezone-aware datetime")
        if len(self.ref) > _MAX_TEXT:
            raise InvalidDocument("log record ref: expected at most 512 characters")

    def to_bytes(self) -> bytes:
        """The record as JCS bytes (RFC 8785).

        Every value is a string or a small integer and every key is ASCII, so sorted keys with
        compact separators and unescaped Unicode are exactly the JCS serialization (§3.2.2, §3.2.3).
        """
        document = {
            "digest": f"sha256:{self.digest}",
            "kind": self.kind.value,
            "ref": self.ref,
            "submitter": self.submitter,
            "time": self.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "v": RECORD_VERSION,
        }
        return json.dumps(
            document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()

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
