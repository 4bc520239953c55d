"""Units of measure of EPCIS quantities, and conversion between them for mass balance.

EPCIS 2.0 §7.3.3.3 writes a quantity's ``uom`` as a UN/ECE Recommendation 20 common code
(``KGM`` kilogram, ``TNE`` tonne, ``BLL`` US barrel); without one the quantity counts items.
Quantities are compared within one dimension (mass, volume, energy, count); a barrel and a
tonne cannot be compared without a density, so :func:`convert` refuses. ``MMBtu`` (a million
British thermal units, the North American gas trading unit) has no Rec 20 code of its own and
the EPCIS 2.0 JSON Schema allows only 2-3 character codes in ``uom``, so in EPCIS events gas
is counted in Rec 20 ``BTU`` (1 MMBtu = 10^6 BTU) or therms (``N72``, 10 to the MMBtu); the
spellings ``MMBTU``/``MMBtu`` are still accepted where a unit is read outside an EPCIS event.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tradetrace.errors import InvalidDocument

__all__ = ["Dimension", "Quantity", "Unit", "convert", "unit"]


class Dimension(StrEnum):
    """What a unit measures; quantities of different dimensions never compare."""

    MASS = "mass"
    VOLUME = "volume"
    ENERGY = "energy"
    COUNT = "count"


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit: its code, dimension and size in the dimension's base unit (kg, m³, J, each)."""

    code: str
    dimension: Dimension
    factor: float


_BTU = 1055.05585262  # joules in one international-table British thermal unit
_UNITS = {
    unit.code: unit
    for unit in (
        Unit("KGM", Dimension.MASS, 1.0),
        Unit("GRM", Dimension.MASS, 0.001),
        Unit("TNE", Dimension.MASS, 1000.0),
        Unit("LBR", Dimension.MASS, 0.45359237),
        Unit("STN", Dimension.MASS, 907.18474),  # short ton (US)
        Unit("LTN", Dimension.MASS, 1016.0469088),  # long ton (UK)
        Unit("MTQ", Dimension.VOLUME, 1.0),
        Unit("LTR", Dimension.VOLUME, 0.001),
        Unit("BLL", Dimension.VOLUME, 0.158987294928),  # US petroleum barrel, 42 US gallons
        Unit("GLL", Dimension.VOLUME, 0.003785411784),  # US gallon
        Unit("JOU", Dimension.ENERGY, 1.0),
        Unit("KJO", Dimension.ENERGY, 1e3),
        Unit("3B", Dimension.ENERGY, 1e6),  # megajoule
        Unit("GV", Dimension.ENERGY, 1e9),  # gigajoule
        Unit("KWH", Dimension.ENERGY, 3.6e6),
        Unit("BTU", Dimension.ENERGY, _BTU),
        Unit("MMBTU", Dimension.ENERGY, _BTU * 1e6),
        Unit("N71", Dimension.ENERGY, 105_505_585.257348),  # therm (EC)
        Unit("N72", Dimension.ENERGY, 105_480_400.0),  # therm (US)
        Unit("EA", Dimension.COUNT, 1.0),
        Unit("H87", Dimension.COUNT, 1.0),  # piece
        Unit("C62", Dimension.COUNT, 1.0),  # one
    )
}
_ALIASES = {"MMBtu": "MMBTU", "mmbtu": "MMBTU", "kg": "KGM", "t": "TNE", "bbl": "BLL"}


def unit(code: str | None) -> Unit:
    """The unit of a UN/ECE Rec 20 code (or accepted alias); no code counts items (EA).

    Raises :class:`~tradetrace.errors.InvalidDocument` for a code it does not know.
    """
    if code is None:
        return _UNITS["EA"]
    found = _UNITS.get(_ALIASES.get(code, code))
    if found is None:
        raise InvalidDocument(f"unknown unit of measure {code!r}: not a supported Rec 20 code")
    return found


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount in a unit (EPCIS 2.0 §7.3.3.3 ``quantity`` and ``uom``)."""

    amount: float
    uom: str | None = None

    @property
    def unit(self) -> Unit:
        """The unit of :attr:`uom`."""
        return unit(self.uom)

    def base(self) -> float:
        """The amount in the dimension's base unit (kg, m³, J or items)."""
        return self.amount * self.unit.factor

    def __str__(self) -> str:
        return f"{self.amount:g} {self.uom or 'EA'}"


def convert(quantity: Quantity, to: str | None) -> float:
    """``quantity`` expressed in unit ``to`` (UN/ECE Rec 20 code).

    Raises :class:`~tradetrace.errors.InvalidDocument` when the dimensions differ (a barrel is
    no tonne without a density).
    """
    source, target = quantity.unit, unit(to)
    if source.dimension is not target.dimension:
        raise InvalidDocument(
            f"cannot convert {quantity} to {to or 'EA'}: {source.dimension} is not"
            f" {target.dimension}"
        )
    return quantity.amount * source.factor / target.factor
