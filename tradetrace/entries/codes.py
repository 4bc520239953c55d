"""Code lists of the entry: entry type (CBP Form 7501 block 2) and mode of transport (block 9).

Both are two-digit codes on the wire. Each code knows what the tariff computation needs from it:
an entry type whether duties are deposited at this entry and as which kind of entry
(:class:`tradetrace.tariff.EntryType`); a mode of transport which
:class:`tradetrace.tariff.TransportMode` it is (only vessel cargo owes the HMF, 19 CFR 24.24).
"""

from __future__ import annotations

from enum import StrEnum

from tradetrace import tariff

__all__ = [
    "EntryType",
    "TransportCode",
]


class EntryType(StrEnum):
    """The entry type code (CBP Form 7501 instructions, block 2; CATAIR Appendix B).

    The first digit is the category (0 consumption, 1 informal, 2 warehouse, 3 warehouse
    withdrawal, 5 government, 6-7 transportation); 86 is the Section 321 entry (customs.md §7.1).
    """

    FREE_AND_DUTIABLE = "01"
    QUOTA_VISA = "02"
    ANTIDUMPING_COUNTERVAILING = "03"
    FOREIGN_TRADE_ZONE = "06"
    QUOTA_AND_ANTIDUMPING = "07"
    DUTY_DEFERRAL = "08"
    INFORMAL = "11"
    INFORMAL_QUOTA = "12"
    WAREHOUSE = "21"
    REWAREHOUSE = "22"
    TEMPORARY_IMPORTATION_BOND = "23"
    TRADE_FAIR = "24"
    PERMANENT_EXHIBITION = "25"
    WAREHOUSE_FOREIGN_TRADE_ZONE = "26"
    WAREHOUSE_WITHDRAWAL = "31"
    WAREHOUSE_WITHDRAWAL_QUOTA = "32"
    WAREHOUSE_WITHDRAWAL_ANTIDUMPING = "34"
    WAREHOUSE_WITHDRAWAL_QUOTA_AND_ANTIDUMPING = "38"
    GOVERNMENT_DEFENSE = "51"
    GOVERNMENT_OTHER = "52"
    IMMEDIATE_TRANSPORTATION = "61"
    TRANSPORTATION_AND_EXPORTATION = "62"
    IMMEDIATE_EXPORTATION = "63"
    TRANSIT_RAIL = "69"
    MULTI_TRANSIT_RAIL = "70"
    SECTION_321 = "86"

    @property
    def tariff_type(self) -> tariff.EntryType | None:
        """The kind of entry the duty computation treats this as, or ``None`` when no duties are
        deposited at this entry (warehouse, bond and in-bond entries pay on withdrawal or not at
        all)."""
        if self in _INFORMAL:
            return tariff.EntryType.INFORMAL
        if self is EntryType.SECTION_321:
            return tariff.EntryType.SECTION_321
        if self in _CONSUMPTION:
            return tariff.EntryType.FORMAL
        return None

    @property
    def antidumping(self) -> bool:
        """Whether the type declares goods subject to antidumping or countervailing duties."""
        return self in _ANTIDUMPING

    @property
    def quota(self) -> bool:
        """Whether the type declares quota or visa goods."""
        return self in _QUOTA


_INFORMAL = frozenset({EntryType.INFORMAL, EntryType.INFORMAL_QUOTA})
_CONSUMPTION = frozenset(
    {
        EntryType.FREE_AND_DUTIABLE,
        EntryType.QUOTA_VISA,
        EntryType.ANTIDUMPING_COUNTERVAILING,
        EntryType.FOREIGN_TRADE_ZONE,
        EntryType.QUOTA_AND_ANTIDUMPING,
        EntryType.WAREHOUSE_WITHDRAWAL,
        EntryType.WAREHOUSE_WITHDRAWAL_QUOTA,
        EntryType.WAREHOUSE_WITHDRAWAL_ANTIDUMPING,
        EntryType.WAREHOUSE_WITHDRAWAL_QUOTA_AND_ANTIDUMPING,
        EntryType.GOVERNMENT_DEFENSE,
        EntryType.GOVERNMENT_OTHER,
    }
)
_ANTIDUMPING = frozenset(
    {
        EntryType.ANTIDUMPING_COUNTERVAILING,
        EntryType.QUOTA_AND_ANTIDUMPING,
        EntryType.WAREHOUSE_WITHDRAWAL_ANTIDUMPING,
        EntryType.WAREHOUSE_WITHDRAWAL_QUOTA_AND_ANTIDUMPING,
    }
)
_QUOTA = frozenset(
    {
        EntryType.QUOTA_VISA,
        EntryType.QUOTA_AND_ANTIDUMPING,
        EntryType.INFORMAL_QUOTA,
        EntryType.WAREHOUSE_WITHDRAWAL_QUOTA,
        EntryType.WAREHOUSE_WITHDRAWAL_QUOTA_AND_ANTIDUMPING,
    }
)


class TransportCode(StrEnum):
    """The mode of transportation code (CBP Form 7501 instructions, block 9; CATAIR Appendix B)."""

    VESSEL = "10"
    VESSEL_CONTAINER = "11"
    BORDER_WATERBORNE = "12"
    RAIL = "20"
    RAIL_CONTAINER = "21"
    TRUCK = "30"
    TRUCK_CONTAINER = "31"
    AUTO = "32"
    PEDESTRIAN = "33"
    ROAD_OTHER = "34"
    AIR = "40"
    AIR_CONTAINER = "41"
    MAIL = "50"
    PASSENGER_HAND_CARRIED = "60"
    FIXED_INSTALLATION = "70"

    @property
    def tariff_mode(self) -> tariff.TransportMode | None:
        """The transport mode of the duty computation; ``None`` for hand-carried goods.

        Code 70 (fixed transport installation) is pipeline and power line; 12 (border,
        waterborne) is vessel traffic across a land border.
        """
        return _TARIFF_MODES.get(self)

    @property
    def pipeline(self) -> bool:
        """Whether the goods came by a fixed transport installation (pipeline, code 70)."""
        return self is TransportCode.FIXED_INSTALLATION


_TARIFF_MODES = {
    TransportCode.VESSEL: tariff.TransportMode.VESSEL,
    TransportCode.VESSEL_CONTAINER: tariff.TransportMode.VESSEL,
    TransportCode.BORDER_WATERBORNE: tariff.TransportMode.VESSEL,
    TransportCode.RAIL: tariff.TransportMode.RAIL,
    TransportCode.RAIL_CONTAINER: tariff.TransportMode.RAIL,
    TransportCode.TRUCK: tariff.TransportMode.TRUCK,
    TransportCode.TRUCK_CONTAINER: tariff.TransportMode.TRUCK,
    TransportCode.AUTO: tariff.TransportMode.TRUCK,
    TransportCode.PEDESTRIAN: tariff.TransportMode.TRUCK,
    TransportCode.ROAD_OTHER: tariff.TransportMode.TRUCK,
    TransportCode.AIR: tariff.TransportMode.AIR,
    TransportCode.AIR_CONTAINER: tariff.TransportMode.AIR,
    TransportCode.MAIL: tariff.TransportMode.MAIL,
    TransportCode.FIXED_INSTALLATION: tariff.TransportMode.PIPELINE,
}
