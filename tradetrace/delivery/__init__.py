"""Delivering presentations to other platforms over the Traceability Interop API.

The sending half of ``POST /presentations`` (standards.md §2.2): find the recipient's
``TraceabilityAPI`` endpoint in its did:web document (:mod:`~tradetrace.delivery.discovery`),
get an OAuth 2.0 client-credentials token and post (:mod:`~tradetrace.delivery.client`), and
decide from the answer whether the presentation arrived, was refused, or should be tried again
later, and when (:mod:`~tradetrace.delivery.outcome`). HTTP goes through an injected
``httpx.Client``; the outbox that keeps presentations until they arrive lives in ``storage``.
"""

from tradetrace.delivery.client import InteropClient, PeerAccess
from tradetrace.delivery.discovery import (
    SERVICE_TYPE,
    default_token_endpoint,
    traceability_endpoint,
)
from tradetrace.delivery.outcome import Attempt, Backoff, DeliveryState, state_for_status

__all__ = [
    "SERVICE_TYPE",
    "Attempt",
    "Backoff",
    "DeliveryState",
    "InteropClient",
    "PeerAccess",
    "default_token_endpoint",
    "state_for_status",
    "traceability_endpoint",
]
