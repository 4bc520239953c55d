from datetime import timedelta

import pytest

from tradetrace.delivery import Backoff, DeliveryState, state_for_status


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (200, DeliveryState.SENT),
        (201, DeliveryState.SENT),
        (409, DeliveryState.DUPLICATE),
        (408, DeliveryState.FAILED_RETRYING),
        (425, DeliveryState.FAILED_RETRYING),
        (429, DeliveryState.FAILED_RETRYING),
        (500, DeliveryState.FAILED_RETRYING),
        (503, DeliveryState.FAILED_RETRYING),
        (400, DeliveryState.REJECTED),
        (401, DeliveryState.REJECTED),
        (403, DeliveryState.REJECTED),
        (422, DeliveryState.REJECTED),
        (302, DeliveryState.REJECTED),
    ],
)
def test_state_for_status_follows_the_outbox_rules(status, state):
    assert state_for_status(status) is state


def test_pending_states_are_queued_and_retrying_only():
    assert {state for state in DeliveryState if state.pending} == {
        DeliveryState.QUEUED,
        DeliveryState.FAILED_RETRYING,
    }


def test_backoff_doubles_up_to_the_cap():
    backoff = Backoff(base=timedelta(seconds=30), cap=timedelta(minutes=10))
    delays = [backoff.delay(attempts) for attempts in range(8)]
    assert delays == [
        timedelta(0),
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
        timedelta(seconds=240),
        timedelta(seconds=480),
        timedelta(minutes=10),
        timedelta(minutes=10),
    ]


def test_backoff_of_a_huge_attempt_count_is_the_cap_not_an_overflow():
    backoff = Backoff(base=timedelta(days=1), cap=timedelta(days=2))
    assert backoff.delay(10_000) == timedelta(days=2)
