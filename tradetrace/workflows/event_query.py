"""Query captured events: EPCIS 2.0 SimpleEventQuery results as an EPCISQueryDocument.

EPCIS 2.0 §8.2.7.1 (query parameters), §9.3 and the REST binding's ``GET /events``: results are
an ``EPCISQueryDocument`` in JSON-LD, one page at a time; the next page is named by an opaque
``nextPageToken``, which the REST binding hands out in a ``Link: <…>; rel="next"`` header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tradetrace.events import query as event_query
from tradetrace.storage.events import EventRepository

__all__ = ["EPCIS_CONTEXT", "QueryPage", "query_document", "query_events"]

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
"""The EPCIS 2.0 JSON-LD context (EPCIS 2.0 §9.3)."""


@dataclass(frozen=True, slots=True)
class QueryPage:
    """One page of query results and the token of the next page, if there is one."""

    document: dict[str, Any]
    next_page_token: str | None


def query_document(events: Sequence[Mapping[str, Any]], *, now: datetime) -> dict[str, Any]:
    """An ``EPCISQueryDocument`` carrying ``events`` (EPCIS 2.0 §9.3, SimpleEventQuery)."""
    return {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": [dict(event) for event in events]},
            }
        },
    }


def query_events(
    repository: EventRepository, params: Mapping[str, Sequence[str]], *, now: datetime
) -> QueryPage:
    """Run the query that ``params`` (name -> values) describe; one page of results.

    Raises :class:`~tradetrace.errors.InvalidDocument` naming every bad parameter.
    """
    parsed = event_query.parse_query(params)
    found = repository.query(parsed)
    page = found[: parsed.per_page]
    token = None
    if len(found) > parsed.per_page:
        token = event_query.page_token(page[-1].ledger_index, parsed.fingerprint)
    return QueryPage(query_document([event.query_form() for event in page], now=now), token)
