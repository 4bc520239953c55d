"""One line of an entry summary (CBP Form 7501 columns 27-34) with the data the rules need.

Beside the 7501 data (HTS number, origin, value, quantities, SPI, MID, AD/CVD case) a line carries
what the SVIP domains declare on the entry or its PGA message set: the steel melt-and-pour country
(Importer's Additional Declaration type 08, CSMS #62095799) and the Steel Import Monitoring and
Analysis licence number (19 CFR 360.101-360.105); the brands and trademarks on the goods (for IPR,
19 CFR Part 133); the FDA product code, prior notice confirmation (21 CFR 1.279) and FSVP importer
(21 CFR 1.509(a)); and the lots the trace refers to (heat numbers of a mill test report, pipeline
batch numbers, FSMA 204 traceability lot codes).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, field_validator

from tradetrace.entries._wire import (
    AdcvdCase,
    Country,
    FdaProductCode,
    Hts10,
    ManufacturerId,
    MeltCountry,
    Money,
    Reference,
    Spi,
    Text,
    UnitCode,
    WireModel,
)
from tradetrace.entries.parties import Party

__all__ = ["EntryLine", "Quantity"]


class Quantity(WireModel):
    """An amount in an HTS unit of quantity (``KG``, ``NO``, ``BBL``...; CBP Form 7501 col. 31)."""

    amount: Money
    unit: UnitCode


class EntryLine(WireModel):
    """A line of the entry summary.

    ``value`` is the entered value in U.S. dollars (for a Type 86 entry, the fair retail value in
    the country of shipment, customs.md §7.1). ``food_traceability_list`` overrides the rules'
    reading of whether the food is on the FDA Food Traceability List (21 CFR 1.1300).
    """

    hts10: Hts10
    description: Text | None = None
    origin_country: Country
    export_country: Country | None = None
    value: Money
    quantities: tuple[Quantity, ...] = ()
    spi: Spi | None = None
    manufacturer: Party | None = None
    mid: ManufacturerId | None = None
    adcvd_case_number: AdcvdCase | None = None
    melt_pour_country: MeltCountry | None = None
    steel_licence_number: Reference | None = None
    heat_numbers: tuple[Reference, ...] = ()
    batch_numbers: tuple[Reference, ...] = ()
    lot_codes: tuple[Reference, ...] = ()
    brands: tuple[Text, ...] = ()
    food: bool = False
    fda_product_code: FdaProductCode | None = None
    food_traceability_list: bool | None = None
    prior_notice_number: Reference | None = None
    fsvp_importer: Party | None = None
    gtin: Reference | None = Field(None, pattern=r"^\d{8}$|^\d{12,14}$")

    @field_validator("quantities")
    @classmethod
    def _one_amount_per_unit(cls, quantities: tuple[Quantity, ...]) -> tuple[Quantity, ...]:
        units = [quantity.unit for quantity in quantities]
        repeated = sorted({unit for unit in units if units.count(unit) > 1})
        if repeated:
            raise ValueError(f"unit {', '.join(repeated)} given more than once")
        return quantities

    @property
    def hts6(self) -> str:
        """The Harmonized System subheading (the first six digits)."""
        return self.hts10[:6]

    @property
    def is_food(self) -> bool:
        """Whether the line declares food for FDA (the food flag or an FDA product code)."""
        return self.food or self.fda_product_code is not None

    def quantity(self, unit: str) -> Decimal | None:
        """The amount declared in ``unit``, if any."""
        return next((item.amount for item in self.quantities if item.unit == unit), None)

    def quantity_map(self) -> dict[str, Decimal]:
        """The quantities by unit, as :meth:`tradetrace.tariff.EntryLine.parse` takes them."""
        return {item.unit: item.amount for item in self.quantities}
