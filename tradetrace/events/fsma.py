"""FDA FSMA 204 critical tracking events (CTEs) and key data elements (KDEs) from EPCIS events.

21 CFR Part 1 Subpart S, §§1.1325-1.1350: each CTE has its list of KDEs (see
``shared/domain/standards.md`` §7). An EPCIS event is read as a CTE this way:

1. A business step in tradetrace's FSMA vocabulary, :data:`FSMA_NAMESPACE` followed by the
   CTE name (``urn:tradetrace:fsma:cte:harvesting``), names the CTE outright. CBV 2.0 has no
   steps for harvesting, cooling, initial packing or first land-based receiving, and CBV 2.0
   §6 asks for a namespaced URI for steps of one's own.
2. Otherwise a TransformationEvent is a transformation (§1.1350); an ObjectEvent with business
   step ``shipping`` is shipping (§1.1340), ``receiving`` is receiving (§1.1345), and an
   ObjectEvent that ADDs objects with ``commissioning`` or ``packing`` and ILMD is initial
   packing (§1.1330: the lot is created there).

KDEs come from the standard fields where EPCIS has them (the traceability lot code is the GTIN
and lot of an LGTIN class, quantities from quantity lists, locations from ``readPoint``,
``bizLocation`` and the source and destination lists, dates from ``eventTime``, reference
documents from ``bizTransactionList``) and otherwise from ILMD or event extensions named
``<FSMA_NAMESPACE>kde:<name>`` (for example ``fsma:commodity`` with ``"fsma":
"urn:tradetrace:fsma:kde:"`` in the ``@context``), or the CBV master data attributes
``cbvmda:harvestStartDate``, ``harvestEndDate`` and ``catchArea``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from tradetrace.events import digital_link, prehash
from tradetrace.events.cbv import Vocabulary, code_list
from tradetrace.events.identifiers import EpcScheme
from tradetrace.events.model import Action, EpcisEvent, ObjectEvent, TransformationEvent

__all__ = ["FSMA_NAMESPACE", "Cte", "CteRecord", "Kde", "critical_tracking_event", "fsma_record"]

FSMA_NAMESPACE = "urn:tradetrace:fsma:"
"""tradetrace's namespace for FSMA 204 business steps (``cte:``) and KDE extensions (``kde:``)."""

_CBVMDA = "urn:epcglobal:cbv:mda:"


class Cte(StrEnum):
    """A critical tracking event of 21 CFR 1.1325-1.1350."""

    HARVESTING = "harvesting"
    COOLING = "cooling"
    INITIAL_PACKING = "initial_packing"
    FIRST_LAND_BASED_RECEIVING = "first_land_based_receiving"
    SHIPPING = "shipping"
    RECEIVING = "receiving"
    TRANSFORMATION = "transformation"


class Kde(StrEnum):
    """A key data element of 21 CFR 1.1325-1.1350 (the extension name is the value)."""

    TRACEABILITY_LOT_CODE = "traceabilityLotCode"
    QUANTITY = "quantity"
    PRODUCT_DESCRIPTION = "productDescription"
    COMMODITY = "commodity"
    HARVEST_FARM_LOCATION = "harvestFarmLocation"
    GROWING_AREA = "growingArea"
    HARVEST_DATE = "harvestDate"
    HARVESTER = "harvester"
    COOLING_LOCATION = "coolingLocation"
    COOLING_DATE = "coolingDate"
    SUBSEQUENT_RECIPIENT = "subsequentRecipient"
    PREVIOUS_SOURCE = "previousSource"
    SHIP_FROM_LOCATION = "shipFromLocation"
    SHIP_DATE = "shipDate"
    RECEIVING_LOCATION = "receivingLocation"
    RECEIVE_DATE = "receiveDate"
    TLC_SOURCE = "tlcSource"
    TLC_SOURCE_REFERENCE = "tlcSourceReference"
    PACKING_DATE = "packingDate"
    SPECIES = "species"
    HARVEST_DATE_RANGE = "harvestDateRange"
    FISHING_AREA = "fishingArea"
    LANDING_DATE = "landingDate"
    INPUT_LOTS = "inputLots"
    TRANSFORMATION_DATE = "transformationDate"
    REFERENCE_DOCUMENT = "referenceDocument"


K = Kde
REQUIRED: Mapping[Cte, tuple[Kde, ...]] = {
    Cte.HARVESTING: (  # §1.1325(a)
        *(K.COMMODITY, K.QUANTITY, K.HARVEST_FARM_LOCATION, K.GROWING_AREA, K.HARVEST_DATE),
        *(K.SUBSEQUENT_RECIPIENT, K.REFERENCE_DOCUMENT),
    ),
    Cte.COOLING: (  # §1.1325(b)
        *(K.COMMODITY, K.QUANTITY, K.COOLING_LOCATION, K.COOLING_DATE, K.HARVEST_FARM_LOCATION),
        *(K.SUBSEQUENT_RECIPIENT, K.REFERENCE_DOCUMENT),
    ),
    Cte.INITIAL_PACKING: (  # §1.1330(a)
        *(K.COMMODITY, K.RECEIVE_DATE, K.HARVEST_FARM_LOCATION, K.GROWING_AREA, K.HARVESTER),
        *(K.HARVEST_DATE, K.TRACEABILITY_LOT_CODE, K.PRODUCT_DESCRIPTION, K.QUANTITY),
        *(K.TLC_SOURCE, K.PACKING_DATE, K.REFERENCE_DOCUMENT),
    ),
    Cte.FIRST_LAND_BASED_RECEIVING: (  # §1.1335
        *(K.TRACEABILITY_LOT_CODE, K.SPECIES, K.QUANTITY, K.HARVEST_DATE_RANGE, K.FISHING_AREA),
        *(K.TLC_SOURCE, K.LANDING_DATE, K.REFERENCE_DOCUMENT),
    ),
    Cte.SHIPPING: (  # §1.1340(a)
        *(K.TRACEABILITY_LOT_CODE, K.QUANTITY, K.PRODUCT_DESCRIPTION, K.SUBSEQUENT_RECIPIENT),
        *(K.SHIP_FROM_LOCATION, K.SHIP_DATE, K.TLC_SOURCE_REFERENCE, K.REFERENCE_DOCUMENT),
    ),
    Cte.RECEIVING: (  # §1.1345(a)
        *(K.TRACEABILITY_LOT_CODE, K.QUANTITY, K.PRODUCT_DESCRIPTION, K.PREVIOUS_SOURCE),
        *(K.RECEIVING_LOCATION, K.RECEIVE_DATE, K.TLC_SOURCE_REFERENCE, K.REFERENCE_DOCUMENT),
    ),
    Cte.TRANSFORMATION: (  # §1.1350(a)
        *(K.INPUT_LOTS, K.TRACEABILITY_LOT_CODE, K.TLC_SOURCE, K.TRANSFORMATION_DATE),
        *(K.PRODUCT_DESCRIPTION, K.QUANTITY, K.REFERENCE_DOCUMENT),
    ),
}
"""The KDEs each CTE must record (21 CFR 1.1325-1.1350; optional ones such as cooling data at
initial packing, §1.1330(a)(8), are left out)."""


@dataclass(frozen=True, slots=True)
class CteRecord:
    """The KDEs one EPCIS event records for its CTE, and the required ones it lacks."""

    cte: Cte
    values: Mapping[Kde, tuple[str, ...]]
    missing: tuple[Kde, ...]

    @property
    def complete(self) -> bool:
        """Whether every KDE the CTE requires is recorded (21 CFR 1.1325-1.1350)."""
        return not self.missing


class _View:
    """One event's wire form, with its extensions (ILMD first) by full IRI."""

    def __init__(self, wire: dict[str, Any], namespaces: Mapping[str, str]) -> None:
        self.wire = wire
        self.extensions: dict[str, Any] = {}
        for source in (wire, wire.get("ilmd") or {}):
            for key, value in source.items():
                prefix, colon, local = key.partition(":")
                if colon and prefix in namespaces:
                    iri = namespaces[prefix]
                    # the hash rules write cbvmda without its final colon; FSMA reads either
                    iri = _CBVMDA if iri == _CBVMDA[:-1] else iri
                    self.extensions[iri + local] = value

    def extension(self, kde: Kde, *cbvmda: str) -> tuple[str, ...]:
        names = [f"{FSMA_NAMESPACE}kde:{kde.value}", *(_CBVMDA + name for name in cbvmda)]
        return tuple(_text(self.extensions[n]) for n in names if n in self.extensions)

    def date(self) -> tuple[str, ...]:
        """The event's date where it happened (eventTime at eventTimeZoneOffset)."""
        sign, hours, minutes = (
            self.wire["eventTimeZoneOffset"][0],
            *map(int, self.wire["eventTimeZoneOffset"][1:].split(":")),
        )
        offset = timedelta(hours=hours, minutes=minutes) * (-1 if sign == "-" else 1)
        moment = datetime.fromisoformat(self.wire["eventTime"]).astimezone(timezone(offset))
        return (moment.date().isoformat(),)

    def ids(self, *fields: str) -> tuple[str, ...]:
        found = [self.wire[f]["id"] for f in fields if isinstance(self.wire.get(f), dict)]
        return tuple(found[:1])

    def parties(self, field: str, member: str, *types: str) -> tuple[str, ...]:
        return tuple(
            entry[member]
            for entry in self.wire.get(field) or ()
            if _code(Vocabulary.SOURCE_DESTINATION_TYPE, entry["type"]) in types
        )

    def quantities(self, *fields: str) -> list[dict[str, Any]]:
        return [element for field in fields for element in self.wire.get(field) or ()]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _code(vocabulary: Vocabulary, value: str) -> str:
    web = code_list(vocabulary).web_uri(value)
    return web.rsplit("-", 1)[1] if web else value


def _lots(elements: list[dict[str, Any]], *, amounts: bool = False) -> tuple[str, ...]:
    """The traceability lot codes (GTIN + lot, as canonical Digital Links) of LGTIN classes."""
    lots = []
    for element in elements:
        identifier = digital_link.parse_identifier(element["epcClass"])
        if identifier.scheme == EpcScheme.LGTIN:
            lot = digital_link.format_digital_link(identifier)
            if amounts and "quantity" in element:
                lot = f"{lot} {element['quantity']} {element.get('uom', 'EA')}"
            lots.append(lot)
    return tuple(lots)


def _amounts(view: _View, quantity_field: str, epc_field: str) -> tuple[str, ...]:
    amounts = [
        f"{element['quantity']} {element.get('uom', 'EA')} {element['epcClass']}"
        for element in view.quantities(quantity_field)
        if "quantity" in element
    ]
    if view.wire.get(epc_field):
        amounts.append(f"{len(view.wire[epc_field])} EA")
    return tuple(amounts)


def _products(view: _View, *fields: str) -> tuple[str, ...]:
    keys = {digital_link.parse_identifier(e["epcClass"]).key for e in view.quantities(*fields)}
    return view.extension(Kde.PRODUCT_DESCRIPTION) or tuple(f"GTIN {key}" for key in sorted(keys))


def _references(view: _View) -> tuple[str, ...]:
    return tuple(
        f"{_code(Vocabulary.BIZ_TRANSACTION_TYPE, entry['type'])} {entry['bizTransaction']}"
        if "type" in entry
        else entry["bizTransaction"]
        for entry in view.wire.get("bizTransactionList") or ()
    )


_PARTY = ("owning_party", "possessing_party", "location")
_Source = Callable[[_View], tuple[str, ...]]
_SOURCES: dict[Kde, _Source] = {
    Kde.QUANTITY: lambda v: (
        _amounts(v, "outputQuantityList", "outputEPCList")
        if v.wire["type"] == "TransformationEvent"
        else _amounts(v, "quantityList", "epcList")
    ),
    Kde.TRACEABILITY_LOT_CODE: lambda v: (
        _lots(v.quantities("quantityList", "outputQuantityList"))
        or v.extension(Kde.TRACEABILITY_LOT_CODE)
    ),
    Kde.PRODUCT_DESCRIPTION: lambda v: _products(v, "quantityList", "outputQuantityList"),
    Kde.INPUT_LOTS: lambda v: (
        _lots(v.quantities("inputQuantityList"), amounts=True)
        or tuple(v.wire.get("inputEPCList") or ())
    ),
    Kde.SUBSEQUENT_RECIPIENT: lambda v: v.parties("destinationList", "destination", *_PARTY),
    Kde.PREVIOUS_SOURCE: lambda v: v.parties("sourceList", "source", *_PARTY),
    Kde.SHIP_FROM_LOCATION: lambda v: (
        v.parties("sourceList", "source", "location") or v.ids("bizLocation", "readPoint")
    ),
    Kde.REFERENCE_DOCUMENT: _references,
    Kde.HARVEST_DATE_RANGE: lambda v: v.extension(Kde.HARVEST_DATE_RANGE, "harvestStartDate"),
    Kde.FISHING_AREA: lambda v: v.extension(Kde.FISHING_AREA, "catchArea"),
}
# KDEs that are the event's own place or date for some CTEs.
_PLACE = {
    (Cte.HARVESTING, Kde.HARVEST_FARM_LOCATION),
    (Cte.COOLING, Kde.COOLING_LOCATION),
    (Cte.INITIAL_PACKING, Kde.TLC_SOURCE),
    (Cte.FIRST_LAND_BASED_RECEIVING, Kde.TLC_SOURCE),
    (Cte.RECEIVING, Kde.RECEIVING_LOCATION),
    (Cte.TRANSFORMATION, Kde.TLC_SOURCE),
}
_DATE = {
    (Cte.HARVESTING, Kde.HARVEST_DATE),
    (Cte.COOLING, Kde.COOLING_DATE),
    (Cte.INITIAL_PACKING, Kde.PACKING_DATE),
    (Cte.FIRST_LAND_BASED_RECEIVING, Kde.LANDING_DATE),
    (Cte.SHIPPING, Kde.SHIP_DATE),
    (Cte.RECEIVING, Kde.RECEIVE_DATE),
    (Cte.TRANSFORMATION, Kde.TRANSFORMATION_DATE),
}


def critical_tracking_event(event: EpcisEvent) -> Cte | None:
    """The FSMA 204 CTE an EPCIS event records, or ``None`` (see the module docstring)."""
    step = event.biz_step or ""
    if step.startswith(f"{FSMA_NAMESPACE}cte:"):
        name = step.removeprefix(f"{FSMA_NAMESPACE}cte:")
        return Cte(name) if name in _CTE_NAMES else None
    if isinstance(event, TransformationEvent):
        return Cte.TRANSFORMATION
    if not isinstance(event, ObjectEvent):
        return None
    code = _code(Vocabulary.BIZ_STEP, step)
    if code in {"shipping", "receiving"}:
        return Cte(code)
    if code in {"commissioning", "packing"} and event.action == Action.ADD and event.ilmd:
        return Cte.INITIAL_PACKING
    return None


_CTE_NAMES = frozenset(cte.value for cte in Cte)


def fsma_record(
    event: EpcisEvent, *, namespaces: Mapping[str, str] | None = None
) -> CteRecord | None:
    """The KDEs of the CTE ``event`` records, naming the missing ones; ``None`` if no CTE.

    21 CFR 1.1325-1.1350. ``namespaces`` are the prefixes of the document's ``@context``
    (:func:`tradetrace.events.prehash.namespaces_from_context`); ``cbvmda`` is known.
    """
    cte = critical_tracking_event(event)
    if cte is None:
        return None
    view = _View(event.to_wire(), namespaces or prehash.WELL_KNOWN_NAMESPACES)
    values: dict[Kde, tuple[str, ...]] = {}
    for kde in REQUIRED[cte]:
        if (cte, kde) in _PLACE:
            found = view.ids("bizLocation", "readPoint")
        elif (cte, kde) in _DATE:
            found = view.date()
        elif kde in _SOURCES:
            found = _SOURCES[kde](view) or view.extension(kde)
        else:
            found = view.extension(kde)
        if found:
            values[kde] = found
    missing = tuple(kde for kde in REQUIRED[cte] if kde not in values)
    return CteRecord(cte, values, missing)
