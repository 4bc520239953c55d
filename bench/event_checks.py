"""Throughput of EPCIS capture checks: validate + model + Event Hash ID, per event.

Run from the repository root: ``.venv/bin/python bench/event_checks.py [events]``. The
document holds realistic, distinct events (fresh serials and times in every event, so the
identifier caches only help with the recurring read points, locations and classes). CPU time
(``time.process_time``) is reported, so that other processes on the machine matter less.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

from tradetrace.events import checks, digital_link, document, hashing, prehash, validation
from tradetrace.events.identifiers import gs1_check_digit


def _sgtin(company: str, item: str, serial: int) -> str:
    return f"urn:epc:id:sgtin:{company}.{item}.{serial}"


def _gtin_link(serial: int) -> str:
    body = "0952123454321"
    return f"https://id.gs1.org/01/{body}{gs1_check_digit(body)}/21/S{serial}"


def make_document(count: int) -> dict[str, Any]:
    """A capture document of ``count`` distinct shipping/receiving/packing events."""
    events: list[dict[str, Any]] = []
    for index in range(count):
        hour, minute, second = 8 + index // 3600 % 12, (index // 60) % 60, index % 60
        clock = f"{hour:02d}:{minute:02d}:{second:02d}.{index % 1000:03d}"
        event: dict[str, Any] = {
            "type": "ObjectEvent",
            "eventTime": f"2026-11-27T{clock}+01:00",
            "eventTimeZoneOffset": "+01:00",
            "epcList": [_sgtin("0614141", "107346", index * 4 + k) for k in range(3)]
            + [_gtin_link(index)],
            "action": "OBSERVE",
            "bizStep": ["shipping", "receiving", "urn:epcglobal:cbv:bizstep:packing"][index % 3],
            "disposition": "in_transit",
            "readPoint": {"id": "urn:epc:id:sgln:0614141.07346.1234"},
            "bizLocation": {"id": "https://id.gs1.org/414/4012345000115"},
            "bizTransactionList": [
                {"type": "po", "bizTransaction": f"urn:epc:id:gdti:0614141.00001.{index}"},
                {"type": "desadv", "bizTransaction": f"https://example.com/desadv/{index}"},
            ],
            "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00225"}],
            "destinationList": [
                {"type": "owning_party", "destination": "urn:epc:id:pgln:0614141.00777"}
            ],
            "example:containerSeal": f"SEAL-{index}",
        }
        if index % 4 == 0:
            event["quantityList"] = [
                {
                    "epcClass": f"urn:epc:class:lgtin:4012345.012345.L{index}",
                    "quantity": 2.5,
                    "uom": "KGM",
                }
            ]
        events.append(event)
    return {
        "@context": [
            "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
            {"example": "https://ns.example.com/epcis/"},
        ],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-27T12:00:00Z",
        "epcisBody": {"eventList": events},
    }


def _measure(label: str, action: Callable[[], object], events: int, rounds: int = 3) -> None:
    best = float("inf")
    for _ in range(rounds):
        # Per-value caches start empty; the per-GTIN key caches stay, as in a real stream.
        digital_link.parse_identifier.cache_clear()
        digital_link.canonical_identifier_or_none.cache_clear()
        checks._identifier_problem.cache_clear()
        prehash._scalar.cache_clear()
        prehash._plain_field.cache_clear()
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    per_event = best / events
    print(f"{label:<44} {per_event * 1e6:8.1f} us/event {1 / per_event:10,.0f} events/s")


def main(count: int = 2000) -> None:
    """Print the CPU time per event of each step and of validate + parse + hash."""
    document_ = make_document(count)
    text = json.dumps(document_)
    problems = validation.document_problems(document_)
    assert not problems, problems[:3]
    _measure("json.loads", lambda: json.loads(text), count)
    _measure("validate (schema + checks)", lambda: validation.document_problems(document_), count)
    _measure(
        "models only (document_from_wire)", lambda: document.document_from_wire(document_), count
    )
    _measure(
        "parse_epcis_document (text -> models)",
        lambda: validation.parse_epcis_document(text),
        count,
    )
    _measure("event hash IDs", lambda: hashing.document_event_hash_ids(document_), count)

    def capture() -> None:
        parsed = json.loads(text)
        validation.parse_epcis_document(parsed)
        hashing.document_event_hash_ids(parsed)

    _measure("capture: loads + validate + models + hash", capture, count)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
