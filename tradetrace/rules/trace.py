"""Supply-chain trace facts: a pure summary of what the EPCIS events say about the entry's lots.

The rules do not read EPCIS events. A workflow reads the trace graph (capability 4) backward from
each lot the entry declares (:attr:`tradetrace.entries.EntryLine.heat_numbers`,
``batch_numbers``, ``lot_codes``) and writes down three kinds of fact, each with the id of the
event it came from so findings can cite it:

- :class:`ProductionRecord`: where a lot came into being. For steel, the heat: where it was
  melted and poured (CSMS #62095799); for oil and gas, the producing field or well (customs.md §7);
  for food, the farm or packer that assigned the traceability lot code.
- :class:`CustodyStep`: one hand-over of a lot between parties (EPCIS shipping/receiving or a
  transfer of ownership), with where, when and how much.
- :class:`FoodRecord`: one FSMA 204 critical tracking event of a lot and the key data elements it
  lacks (21 CFR 1.1325-1.1350; :mod:`tradetrace.events.fsma` finds them).

Parties are named by DID where they have one, else by name. Every value is checked when the fact
is built: countries are ISO 3166-1 codes and times are timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.tariff import codes

__all__ = ["CustodyStep", "FoodRecord", "ProductionRecord", "Trace"]


def _check(what: str, *, country: str | None = None, at: datetime | None = None) -> None:
    problems: list[FieldProblem] = []
    if country is not None and country not in codes.COUNTRY_CODES:
        problems.append(FieldProblem("country", f"expected an ISO 3166-1 code, got {country!r}"))
    if at is not None and at.tzinfo is None:
        problems.append(FieldProblem("at", "expected a timezone-aware time"))
    if problems:
        raise InvalidDocument.from_problems(what, problems)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductionRecord:
    """Where and by whom a lot was produced (a heat melted and poured, a field produced oil)."""

    lot: str
    facility: str
    producer: str
    country: str
    at: datetime
    quantity: Decimal | None = None
    unit: str | None = None
    event_id: str = ""

    def __post_init__(self) -> None:
        _check("production record", country=self.country, at=self.at)


@dataclass(frozen=True, slots=True, kw_only=True)
class CustodyStep:
    """A lot handed from one party to the next, at a place in a country, at a time."""

    lot: str
    from_party: str
    to_party: str
    country: str
    at: datetime
    location: str = ""
    quantity: Decimal | None = None
    unit: str | None = None
    event_id: str = ""

    def __post_init__(self) -> None:
        _check("custody step", country=self.country, at=self.at)


@dataclass(frozen=True, slots=True, kw_only=True)
class FoodRecord:
    """An FSMA 204 critical tracking event of a traceability lot and the KDEs it lacks."""

    lot_code: str
    cte: str
    at: datetime
    missing_kdes: tuple[str, ...] = ()
    event_id: str = ""

    def __post_init__(self) -> None:
        _check("food record", at=self.at)


@dataclass(frozen=True, slots=True, kw_only=True)
class Trace:
    """All trace facts of one entry."""

    production: tuple[ProductionRecord, ...] = ()
    custody: tuple[CustodyStep, ...] = ()
    food: tuple[FoodRecord, ...] = ()

    def production_of(self, lot: str) -> tuple[ProductionRecord, ...]:
        """The production records of ``lot``."""
        return tuple(record for record in self.production if record.lot == lot)

    def custody_of(self, lot: str) -> tuple[CustodyStep, ...]:
        """The custody steps of ``lot``, earliest first."""
        return tuple(sorted((s for s in self.custody if s.lot == lot), key=lambda s: s.at))

    def food_records_of(self, lot_code: str) -> tuple[FoodRecord, ...]:
        """The FSMA 204 records of ``lot_code``, earliest first."""
        return tuple(sorted((r for r in self.food if r.lot_code == lot_code), key=lambda r: r.at))
