"""Domain profiles: what a complete origin-to-delivery trace must contain, and what is missing.

A profile is a list of requirements over a trace graph (:mod:`tradetrace.events.trace`) and its
findings (:mod:`tradetrace.events.balance`). Every profile asks for an unbroken custody chain,
balanced quantities, events that match their ledger records, and a delivery (a receiving
event of the traced item). Then, per domain:

- **steel**: the melt and the pour of every heat, each with location and country (the "melted
  and poured" origin of US Section 232 steel); every transformation has a business location.
- **oil** (pipeline crude) and **gas** (pipeline natural gas): the producing field of every
  origin batch, and a custody-transfer meter ticket on every shipment and receipt, with
  quantities in volume (oil) or energy (gas) units.
- **ecommerce**: the manufacturer (where the item was commissioned), the order (a ``po``
  business transaction), the seller (the owning party that ships) and the shipment.
- **food**: the FSMA 204 critical tracking events, each with all its key data elements
  (:mod:`tradetrace.events.fsma`), from harvest (or first land-based receiving) onward.

Facts EPCIS has no field for are user extensions (EPCIS 2.0 §7.5) in :data:`TRACE_NAMESPACE`,
on the event or in its ILMD: ``meltCountry``, ``meltLocation``, ``pourCountry``,
``pourLocation``, ``producingField``, ``meterTicket``, ``manufacturer``, ``seller``; a meter
ticket may also be a business transaction of type ``<TRACE_NAMESPACE>meterTicket``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from tradetrace.errors import InvalidDocument
from tradetrace.events import fsma, prehash
from tradetrace.events.balance import Finding, FindingKind
from tradetrace.events.ingest import Role
from tradetrace.events.model import EpcisEvent
from tradetrace.events.trace import TraceEvent, TraceGraph
from tradetrace.events.units import Dimension, unit

__all__ = ["TRACE_NAMESPACE", "Domain", "Gap", "ProfileReport", "check_profile", "origins"]

TRACE_NAMESPACE = "urn:tradetrace:trace:"
"""tradetrace's namespace for the domain facts of the profiles (see the module docstring)."""


class Domain(StrEnum):
    """The supply chains tradetrace has profiles for."""

    STEEL = "steel"
    OIL = "oil"
    GAS = "gas"
    ECOMMERCE = "ecommerce"
    FOOD = "food"


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing a complete trace lacks: the requirement, what it is about, and why."""

    requirement: str
    subject: str
    message: str


@dataclass(frozen=True, slots=True)
class ProfileReport:
    """The outcome of a profile check: the requirements checked and the gaps found."""

    domain: Domain
    requirements: tuple[str, ...]
    gaps: tuple[Gap, ...]

    @property
    def complete(self) -> bool:
        """Whether the trace meets every requirement of the profile."""
        return not self.gaps


def _extension(event: TraceEvent, name: str) -> Any:
    namespaces = prehash.namespaces_from_context(event.wire.get("@context"))
    for source in (event.wire, event.wire.get("ilmd") or {}):
        for key, value in source.items():
            prefix, colon, local = key.partition(":")
            if colon and local == name and namespaces.get(prefix) == TRACE_NAMESPACE:
                return value
            if key == TRACE_NAMESPACE + name:
                return value
    return None


def origins(graph: TraceGraph) -> list[TraceEvent]:
    """The events where the trace begins: ADDs of objects no earlier event of it names."""
    seen: set[str] = set()
    found = []
    for event in graph.events:
        names = set(event.identifiers())
        if event.event_type == "ObjectEvent" and event.action == "ADD" and not names & seen:
            found.append(event)
        seen |= names
    return found


def _common(graph: TraceGraph, findings: Sequence[Finding]) -> list[Gap]:
    gaps = [
        Gap(requirement, finding.event, finding.message)
        for finding in findings
        for requirement in [
            {
                FindingKind.CUSTODY_GAP: "custody",
                FindingKind.ALTERED_EVENT: "integrity",
            }.get(finding.kind, "balance")
        ]
    ]
    if not origins(graph):
        gaps.append(Gap("origin", graph.root, "no event commissions the traced goods"))
    if not any(event.biz_step == "receiving" for event in graph.events_of(graph.root)):
        gaps.append(Gap("delivery", graph.root, "no receiving event delivers the traced item"))
    return gaps


def _needs(events: Iterable[TraceEvent], requirement: str, *names: str) -> list[Gap]:
    return [
        Gap(requirement, event.hash_id, f"{event.event_type} at {event.place}: {name} missing")
        for event in events
        for name in names
        if _extension(event, name) in (None, "")
    ]


def _steel(graph: TraceGraph) -> list[Gap]:
    gaps = []
    for heat in origins(graph):
        made = set(heat.identifiers())
        casts = [
            event
            for event in graph.events
            if event.event_type == "TransformationEvent"
            and made & set(event.identifiers(Role.INPUT))
        ]
        gaps += _needs([heat], "melt", "meltCountry", "meltLocation")
        poured = [e for e in (heat, *casts) if _extension(e, "pourCountry")]
        if not poured or not any(_extension(e, "pourLocation") for e in poured):
            gaps.append(Gap("pour", heat.hash_id, "heat: pour location and country missing"))
    gaps += [
        Gap("location", event.hash_id, "transformation without a business location")
        for event in graph.events
        if event.event_type == "TransformationEvent" and event.biz_location is None
    ]
    return gaps


def _pipeline(graph: TraceGraph, dimension: Dimension) -> list[Gap]:
    gaps = _needs(origins(graph), "field", "producingField")
    for event in graph.events:
        if event.biz_step not in {"shipping", "receiving"}:
            continue
        ticket = _extension(event, "meterTicket") or any(
            kind == TRACE_NAMESPACE + "meterTicket" for kind, _ in event.biz_transactions
        )
        if not ticket:
            gaps.append(Gap("meter_ticket", event.hash_id, f"{event.biz_step}: no meter ticket"))
        units = [use.uom for use in event.uses if use.quantity is not None]
        if not units or any(_dimension(code) is not dimension for code in units):
            gaps.append(
                Gap("quantity", event.hash_id, f"{event.biz_step}: no quantity in {dimension}")
            )
    return gaps


def _dimension(code: str | None) -> Dimension | None:
    try:
        return unit(code).dimension
    except InvalidDocument:
        return None


def _ecommerce(graph: TraceGraph) -> list[Gap]:
    gaps = []
    if not any(event.place or _extension(event, "manufacturer") for event in origins(graph)):
        gaps.append(Gap("manufacturer", graph.root, "no manufacturer: origin has no location"))
    if not any(kind == "po" for event in graph.events for kind, _ in event.biz_transactions):
        gaps.append(Gap("order", graph.root, "no purchase order (bizTransaction po)"))
    shipments = [event for event in graph.events if event.biz_step == "shipping"]
    sellers = [
        e
        for e in shipments
        if _extension(e, "seller") or any(k == "owning_party" for k, _ in e.sources)
    ]
    if not sellers:
        gaps.append(Gap("seller", graph.root, "no shipment names the selling (owning) party"))
    if not any(event.destinations for event in shipments):
        gaps.append(Gap("shipment", graph.root, "no shipment with a destination"))
    return gaps


@cache
def _adapter() -> TypeAdapter[EpcisEvent]:
    return TypeAdapter(EpcisEvent)


def _food(graph: TraceGraph) -> list[Gap]:
    gaps = []
    ctes = set()
    for event in graph.events:
        model = _adapter().validate_python(dict(event.wire))
        namespaces = prehash.namespaces_from_context(event.wire.get("@context"))
        record = fsma.fsma_record(model, namespaces=namespaces)
        if record is None:
            continue
        ctes.add(record.cte)
        if record.missing:
            missing = ", ".join(kde.value for kde in record.missing)
            gaps.append(Gap("kde", event.hash_id, f"{record.cte.value}: missing {missing}"))
    if not ctes & {fsma.Cte.HARVESTING, fsma.Cte.FIRST_LAND_BASED_RECEIVING}:
        gaps.append(Gap("cte", graph.root, "no harvesting or first land-based receiving CTE"))
    if fsma.Cte.FIRST_LAND_BASED_RECEIVING not in ctes and fsma.Cte.INITIAL_PACKING not in ctes:
        gaps.append(Gap("cte", graph.root, "no initial packing CTE"))
    return gaps


_REQUIREMENTS = {
    Domain.STEEL: ("melt", "pour", "location"),
    Domain.OIL: ("field", "meter_ticket", "quantity"),
    Domain.GAS: ("field", "meter_ticket", "quantity"),
    Domain.ECOMMERCE: ("manufacturer", "order", "seller", "shipment"),
    Domain.FOOD: ("cte", "kde"),
}
_COMMON = ("origin", "custody", "balance", "integrity", "delivery")


def check_profile(
    graph: TraceGraph, domain: Domain, *, findings: Sequence[Finding] = ()
) -> ProfileReport:
    """Check a (backward) trace graph against the ``domain`` profile; list what is missing."""
    gaps = _common(graph, findings)
    if domain is Domain.STEEL:
        gaps += _steel(graph)
    elif domain is Domain.OIL:
        gaps += _pipeline(graph, Dimension.VOLUME)
    elif domain is Domain.GAS:
        gaps += _pipeline(graph, Dimension.ENERGY)
    elif domain is Domain.ECOMMERCE:
        gaps += _ecommerce(graph)
    else:
        gaps += _food(graph)
    return ProfileReport(domain, (*_COMMON, *_REQUIREMENTS[domain]), tuple(gaps))
