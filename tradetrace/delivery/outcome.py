"""What one delivery attempt came to, and when to try again.

The states of an outbox entry: ``queued`` until the first attempt, then ``sent`` (2xx),
``duplicate`` (409: the recipient already holds a presentation with this id, standards.md §2.1),
``rejected`` (any other 4xx, or a redirect, which we never follow: sending it again would be
refused again) or ``failed-retrying`` (the recipient is unreachable, answered 408, 425, 429 or
5xx, or its DID or token endpoint failed). Only ``queued`` and ``failed-retrying`` entries are
tried again, after an exponential backoff (RFC 9110 §15.6: a 5xx may succeed later).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

__all__ = ["Attempt", "Backoff", "DeliveryState", "state_for_status"]

_RETRYABLE: Final = frozenset({408, 425, 429})  # RFC 9110 §15.5.9, RFC 8470 §5.2, RFC 6585 §4


class DeliveryState(enum.StrEnum):
    """Where an outbox entry stands."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED_RETRYING = "failed-retrying"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"

    @property
    def pending(self) -> bool:
        """Whether the entry is still to be delivered."""
        return self in (DeliveryState.QUEUED, DeliveryState.FAILED_RETRYING)


@dataclass(frozen=True, slots=True)
class Attempt:
    """The result of one attempt: the new state, the HTTP status if one came back, and a short
    message for the operator (never a token or secret)."""

    state: DeliveryState
    status_code: int | None
    message: str


def state_for_status(status_code: int) -> DeliveryState:
    """The state an answer of ``POST /presentations`` with ``status_code`` leads to."""
    if 200 <= status_code < 300:
        return DeliveryState.SENT
    if status_code == 409:
        return DeliveryState.DUPLICATE
    if status_code in _RETRYABLE or status_code >= 500:
        return DeliveryState.FAILED_RETRYING
    return DeliveryState.REJECTED


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with a cap: ``base * 2**(attempts - 1)``, at most ``cap``.

    Deterministic on purpose (no jitter): the delay follows from the attempt count alone, and
    entries queued at different times already spread their retries.
    """

    base: timedelta
    cap: timedelta

    def delay(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt (1 for the first)."""
        if attempts < 1:
            return timedelta(0)
        # In float seconds, so a large count reaches the cap instead of overflowing timedelta.
        seconds = self.base.total_seconds() * 2.0 ** min(attempts - 1, 64)
        return min(self.cap, timedelta(seconds=min(seconds, self.cap.total_seconds())))
