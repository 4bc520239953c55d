"""The outbox repository's refusals (its normal paths: tests/workflows/test_outbound.py)."""

import pytest

from tests.conftest import FIXED_NOW
from tradetrace import errors
from tradetrace.delivery import Attempt, DeliveryState
from tradetrace.storage.outbox import OutboxItem, OutboxRepository

ITEM = OutboxItem(
    id="0b9f6c1e-6d1e-4c59-9d8e-2f3a4b5c6d7e", recipient="did:web:customs.example",
    sender_slug=None, presentation_id="urn:uuid:1", body="{}", state=DeliveryState.QUEUED,
    attempts=0, next_attempt_at=None, last_status=None, last_error=None,
    created_at=FIXED_NOW, updated_at=FIXED_NOW, delivered_at=None,
)  # fmt: skip


def test_add_refuses_a_taken_id(session):
    repository = OutboxRepository(session)
    repository.add(ITEM)
    with pytest.raises(errors.Conflict, match="already exists") as info:
        repository.add(ITEM)
    assert info.value.code == "conflict"


def test_record_of_an_unknown_entry_is_not_found(session):
    attempt = Attempt(DeliveryState.SENT, 200, "ok")
    with pytest.raises(errors.NotFound, match="no outbox entry") as info:
        OutboxRepository(session).record("nope", attempt, now=FIXED_NOW, next_attempt_at=None)
    assert info.value.code == "not_found"


def test_a_queued_entry_without_a_next_attempt_time_is_due(session):
    repository = OutboxRepository(session)
    repository.add(ITEM)
    (claimed,) = repository.claim(now=FIXED_NOW, until=FIXED_NOW, limit=5)
    assert claimed.id == ITEM.id
