"""The vocabularies of a cargo-resolution inquiry: categories, channels, modes, parties.

From CBP's COVID-19 Cargo Resolution Team (customs.md §4): the portal's four tabs (CSMS
#42364745), the two intake channels (CSMS #42231420), and the partner agencies of the CBP
"PGA Codes Related to COVID-19" table (customs.md §3.3); and the desk's own priorities.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "Agency",
    "CargoStatus",
    "Channel",
    "InquiryCategory",
    "Priority",
    "RequesterKind",
    "TransportMode",
]


class InquiryCategory(StrEnum):
    """The four tabs of the COVID-19 Relief Imports portal (CSMS #42364745)."""

    ADMISSIBILITY = "admissibility"
    CARGO_HOLD = "cargo_hold"
    PPE_GUIDANCE = "ppe_guidance"
    CLASSIFICATION_DUTY = "classification_duty"


class Channel(StrEnum):
    """How the inquiry arrived: the COVID19_RELIEF_IMPORTS mailbox or the web portal."""

    EMAIL = "email"
    PORTAL = "portal"


class TransportMode(StrEnum):
    """The mode of transport of the shipment."""

    AIR = "air"
    VESSEL = "vessel"
    TRUCK = "truck"
    RAIL = "rail"
    MAIL = "mail"


class CargoStatus(StrEnum):
    """Where the cargo stands; ``on_hold`` means held at a port."""

    NOT_SHIPPED = "not_shipped"
    IN_TRANSIT = "in_transit"
    ARRIVED = "arrived"
    ON_HOLD = "on_hold"
    RELEASED = "released"


class RequesterKind(StrEnum):
    """Who is asking: a trade party, or a partner government agency (CSMS #42231420)."""

    IMPORTER = "importer"
    BROKER = "broker"
    CARRIER = "carrier"
    MANUFACTURER = "manufacturer"
    CONSIGNEE = "consignee"
    GOVERNMENT_AGENCY = "government_agency"
    OTHER = "other"


class Agency(StrEnum):
    """Partner agencies the team coordinated with (customs.md §3.3, §4)."""

    FEMA = "fema"
    FDA = "fda"
    CPSC = "cpsc"
    EPA = "epa"
    APHIS = "aphis"
    HHS = "hhs"
    OTHER_FEDERAL = "other_federal"
    STATE_OR_LOCAL = "state_or_local"


class Priority(StrEnum):
    """A case's priority, ``p1`` (critical) to ``p4`` (low); service levels are rule data."""

    P1 = "p1"
    P2 = "p2"
    P3 = "p3"
    P4 = "p4"

    @property
    def rank(self) -> int:
        """1 for ``p1`` (served first) to 4 for ``p4``."""
        return int(self.value[1])

    def raised(self) -> Priority:
        """One level more urgent; ``p1`` stays ``p1``."""
        return Priority(f"p{max(1, self.rank - 1)}")
