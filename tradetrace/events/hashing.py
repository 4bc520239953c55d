"""The CBV 2.0 Event Hash ID of EPCIS events (CBV 2.0 §8.9; RFC 6920 ``ni`` URIs).

``ni:///sha-256;<hex digest of the UTF-8 pre-hash string>?ver=CBV2.0`` (rules 22-24). Two
serialisations of the same event (field order, time zone offsets, EPC URI or Digital Link,
CBV URN or bare code) have the same hash ID, so it deduplicates captured events and can fill
in a missing ``eventID``. The pre-hash string is built by :mod:`tradetrace.events.prehash`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, NewType

from tradetrace.errors import InvalidDocument
from tradetrace.events import prehash

__all__ = ["HASH_ID_VERSION", "EventHashId", "document_event_hash_ids", "event_hash_id"]

EventHashId = NewType("EventHashId", str)
"""A CBV 2.0 Event Hash ID, ``ni:///sha-256;<64 hex digits>?ver=CBV2.0``."""

HASH_ID_VERSION = "CBV2.0"
"""The version of the Event Hash ID algorithm implemented here (CBV 2.0 §8.9, rule 24)."""


def event_hash_id(
    event: Mapping[str, Any], *, namespaces: Mapping[str, str] | None = None
) -> EventHashId:
    """The Event Hash ID of one event in its JSON-LD form (CBV 2.0 §8.9).

    ``namespaces`` are the prefixes of the enclosing document's ``@context``, from
    :func:`tradetrace.events.prehash.namespaces_from_context`; without them only the
    standard prefixes (``gs1``, ``cbv``, ``epcis``, ``cbvmda``) are expanded.
    """
    digest = hashlib.sha256(prehash.prehash_string(event, namespaces=namespaces).encode())
    return EventHashId(f"ni:///sha-256;{digest.hexdigest()}?ver={HASH_ID_VERSION}")


def document_event_hash_ids(document: Mapping[str, Any]) -> list[EventHashId]:
    """The Event Hash IDs of every event of an EPCISDocument or EPCISQueryDocument, in order.

    EPCIS 2.0 §9.3 (document structure); the document's ``@context`` supplies the namespace
    prefixes of user extensions. Raises :class:`~tradetrace.errors.InvalidDocument` when the
    document has no event list.
    """
    namespaces = prehash.namespaces_from_context(document.get("@context"))
    body = document.get("epcisBody")
    events: Any = None
    if isinstance(body, Mapping):
        events = body.get("eventList")
        results = body.get("queryResults")
        if events is None and isinstance(results, Mapping):
            results_body = results.get("resultsBody")
            events = results_body.get("eventList") if isinstance(results_body, Mapping) else None
    if not isinstance(events, list) or not all(isinstance(event, Mapping) for event in events):
        raise InvalidDocument("invalid EPCIS document: epcisBody has no list of events")
    return [event_hash_id(event, namespaces=namespaces) for event in events]
