"""Captured events and capture jobs as the repository returns them (EPCIS 2.0 §8.2).

An EPCIS repository records each event once, adds its ``recordTime`` (EPCIS 2.0 §7.4.1: set by
the repository, ignored at capture) and, in the REST binding, tracks each capture request as a
capture job (``/capture/{captureID}``: ``running``, ``success``, ``errors``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tradetrace.errors import FieldProblem

__all__ = ["CaptureJob", "EventCredential", "StoredEvent", "job_errors"]


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A captured event: its leaf in the ledger, hash ID, record time and wire form."""

    ledger_index: int
    hash_id: str
    record_time: datetime
    capture_id: str
    submitter: str
    wire: Mapping[str, Any]
    credential_index: int | None = None

    def query_form(self) -> dict[str, Any]:
        """The event as a query returns it: with its ``eventID`` and ``recordTime``.

        EPCIS 2.0 §7.4.1: the repository sets ``recordTime``; an event captured without an
        ``eventID`` is given its CBV 2.0 Event Hash ID (CBV 2.0 §8.9).
        """
        data = dict(self.wire)
        data.setdefault("eventID", self.hash_id)
        data["recordTime"] = self.record_time.astimezone(UTC).isoformat(timespec="milliseconds")
        data["recordTime"] = data["recordTime"].replace("+00:00", "Z")
        return data


@dataclass(frozen=True, slots=True)
class EventCredential:
    """A credential that carried events (UNTP DTE, traceability event credential), as logged.

    ``verification`` is the credential's verification report (JSON) at the time it was
    received; ``document`` its text as received.
    """

    ledger_index: int
    credential_id: str | None
    issuer: str
    digest: str
    document: str
    verification: Mapping[str, Any]
    received_at: datetime


@dataclass(frozen=True, slots=True)
class CaptureJob:
    """A capture request and its outcome (EPCIS 2.0 REST binding, capture job)."""

    capture_id: str
    created_at: datetime
    submitter: str
    running: bool = True
    success: bool = False
    finished_at: datetime | None = None
    event_count: int = 0
    captured_count: int = 0
    duplicate_count: int = 0
    errors: tuple[Mapping[str, Any], ...] = field(default=())
    error_behaviour: str = "rollback"

    def to_json(self) -> dict[str, Any]:
        """The capture job in the REST binding's JSON shape, with tradetrace's counts."""

        def stamp(moment: datetime | None) -> str | None:
            return None if moment is None else moment.astimezone(UTC).isoformat()

        return {
            "captureID": self.capture_id,
            "createdAt": stamp(self.created_at),
            "finishedAt": stamp(self.finished_at),
            "running": self.running,
            "success": self.success,
            "captureErrorBehaviour": self.error_behaviour,
            "errors": [dict(error) for error in self.errors],
            "eventCount": self.event_count,
            "capturedCount": self.captured_count,
            "duplicateCount": self.duplicate_count,
        }


_EVENT_INDEX_PREFIXES = ("epcisBody.eventList[", "epcisBody.queryResults.resultsBody.eventList[")


def _event_index(path: str) -> int | None:
    for prefix in _EVENT_INDEX_PREFIXES:
        if path.startswith(prefix):
            number = path[len(prefix) :].split("]", 1)[0]
            return int(number) if number.isdigit() else None
    return None


def job_errors(problems: list[FieldProblem] | tuple[FieldProblem, ...]) -> list[dict[str, Any]]:
    """Field problems as capture job errors: RFC 9457 problem objects, as the REST binding's
    ``errors`` are, each naming the event index, the field and the reason."""
    return [
        {
            "type": "https://ref.gs1.org/standards/epcis/exceptions#ValidationException",
            "title": "Validation error",
            "status": 400,
            "detail": f"{problem.field}: {problem.reason}",
            "event_index": _event_index(problem.field),
            "field": problem.field,
            "reason": problem.reason,
        }
        for problem in problems
    ]
