"""Shared fixtures and builders of the EPCIS capture, query and trace tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ASSETS, FIXED_NOW
from tradetrace.events.identifiers import gs1_check_digit
from tradetrace.storage.events import EventRepository
from tradetrace.workflows import capture, setup

NODE_DID = "did:web:localhost%3A8000"
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


@pytest.fixture
def ledger(settings, engine) -> Iterator[Any]:
    """The node's ledger over the test database (no background threads)."""
    yield setup.open_ledger(settings, engine, clock=lambda: FIXED_NOW)


@pytest.fixture
def repository(engine) -> EventRepository:
    """The event repository over the test database."""
    return EventRepository(engine)


def example(name: str) -> dict[str, Any]:
    """A GS1 example document from tests/assets/epcis/examples."""
    return json.loads((ASSETS / "epcis" / "examples" / f"{name}.json").read_text())


def gln(body: str) -> str:
    """A 13-digit GLN from 12 digits, with its check digit."""
    return body + str(gs1_check_digit(body))


def gtin(body: str) -> str:
    """A 14-digit GTIN from 13 digits, with its check digit."""
    return body + str(gs1_check_digit(body))


def document(events: list[dict[str, Any]], namespaces: dict[str, str] | None = None) -> dict:
    """An EPCISDocument carrying ``events``."""
    context: list[Any] = [CONTEXT]
    if namespaces:
        context.append(namespaces)
    return {
        "@context": context,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-27T12:00:00Z",
        "epcisBody": {"eventList": events},
    }


def capture_ok(repository, ledger, data) -> Any:
    """Capture ``data`` and assert it was accepted."""
    job = capture.capture_document(repository, ledger, data, submitter=NODE_DID, now=FIXED_NOW)
    assert job.success, job.errors
    return job
