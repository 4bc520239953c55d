"""Mass balance and custody of a trace: quantities that appear from nowhere, gaps in custody.

- **Transformation balance** (EPCIS 2.0 §7.4.6): the outputs of a TransformationEvent may not
  exceed its inputs, per dimension (tonnes of steel, barrels, MMBtu, kilograms; units are
  converted, :mod:`tradetrace.events.units`). Classes without quantities cannot be weighed and
  are left out.
- **Transfer balance**: a receiving event may not record more of a class than the shipping
  event it answers (the one sharing a business transaction, such as a bill of lading or meter
  ticket, else the latest shipment of that class before it).
- **Custody** (CBV 2.0 ``shipping``/``receiving``, EPCIS 2.0 §7.3.5.4): each identifier's events
  must move between parties only through a shipment to the party that then receives it. A
  party is the one owning an event's location (its GLN, or what ``party_of`` maps it to).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from tradetrace.errors import InvalidDocument
from tradetrace.events import digital_link
from tradetrace.events.identifiers import EpcScheme
from tradetrace.events.ingest import Role
from tradetrace.events.trace import TraceEvent, TraceGraph
from tradetrace.events.units import Dimension, Quantity, convert

__all__ = [
    "TOLERANCE",
    "Finding",
    "FindingKind",
    "custody_findings",
    "gln_party",
    "mass_balance_findings",
    "trace_findings",
]

TOLERANCE = 0.001
"""Relative excess tolerated before outputs count as exceeding inputs (rounding, meters)."""
_CREATES = frozenset({"commissioning", "creating_class_instance"})


class FindingKind(StrEnum):
    """What kind of fault a finding reports."""

    MASS_BALANCE = "mass_balance"
    TRANSFER_BALANCE = "transfer_balance"
    CUSTODY_GAP = "custody_gap"
    ALTERED_EVENT = "altered_event"


@dataclass(frozen=True, slots=True)
class Finding:
    """One fault in a trace, on one event and (usually) one identifier."""

    kind: FindingKind
    event: str
    identifier: str | None
    message: str


def gln_party(location: str) -> str:
    """The party of a location: its GLN (without the SGLN extension) if it is a GS1 location."""
    identifier = digital_link.canonical_identifier_or_none(location)
    if identifier is None:
        return location
    parsed = digital_link.parse_identifier(identifier)
    if parsed.scheme in {EpcScheme.SGLN, EpcScheme.PGLN}:
        return f"gln:{parsed.key}"
    return location


def _totals(event: TraceEvent, role: Role) -> dict[Dimension, tuple[float, str | None]]:
    totals: dict[Dimension, tuple[float, str | None]] = {}
    for use in event.uses:
        if use.role is role and use.quantity is not None:
            try:
                quantity = Quantity(use.quantity, use.uom)
                dimension = quantity.unit.dimension
            except InvalidDocument:
                continue  # an unknown unit cannot be weighed
            base, uom = totals.get(dimension, (0.0, use.uom))
            totals[dimension] = (base + quantity.base(), uom)
    return totals


def _shown(base: float, dimension: Dimension, uom: str | None) -> str:
    amount = Quantity(base, {Dimension.MASS: "KGM", Dimension.VOLUME: "MTQ"}.get(dimension))
    if dimension is Dimension.ENERGY:
        amount = Quantity(base, "JOU")
    elif dimension is Dimension.COUNT:
        amount = Quantity(base, None)
    return f"{convert(amount, uom):g} {uom or 'EA'}"


def mass_balance_findings(events: Iterable[TraceEvent]) -> list[Finding]:
    """Transformations whose outputs exceed their inputs (see the module docstring)."""
    findings = []
    for event in events:
        if event.event_type != "TransformationEvent":
            continue
        inputs, outputs = _totals(event, Role.INPUT), _totals(event, Role.OUTPUT)
        for dimension, (out_base, uom) in outputs.items():
            if dimension not in inputs or dimension is Dimension.COUNT:
                continue
            in_base = inputs[dimension][0]
            if out_base > in_base * (1 + TOLERANCE):
                findings.append(
                    Finding(
                        FindingKind.MASS_BALANCE,
                        event.hash_id,
                        None,
                        f"transformation outputs {_shown(out_base, dimension, uom)} exceed its"
                        f" inputs {_shown(in_base, dimension, uom)}",
                    )
                )
    return findings


def _transfer_findings(events: list[TraceEvent]) -> list[Finding]:
    findings = []
    shipped = [event for event in events if event.biz_step == "shipping"]
    for received in (event for event in events if event.biz_step == "receiving"):
        documents = {reference for _, reference in received.biz_transactions}
        for use in received.uses:
            if use.quantity is None or not use.is_class:
                continue
            candidates = [
                event
                for event in shipped
                if event.event_time <= received.event_time
                and any(other.identifier == use.identifier for other in event.uses)
            ]
            matching = [e for e in candidates if documents & {r for _, r in e.biz_transactions}]
            if not (matching or candidates):
                continue
            shipment = (matching or candidates)[-1]
            sent = [u for u in shipment.uses if u.identifier == use.identifier and u.quantity]
            try:
                base_sent = sum(Quantity(u.quantity or 0.0, u.uom).base() for u in sent)
                base_received = Quantity(use.quantity, use.uom).base()
            except InvalidDocument:
                continue
            if base_received > base_sent * (1 + TOLERANCE):
                dimension = Quantity(use.quantity, use.uom).unit.dimension
                findings.append(
                    Finding(
                        FindingKind.TRANSFER_BALANCE,
                        received.hash_id,
                        use.identifier,
                        f"received {Quantity(use.quantity, use.uom)} but"
                        f" {_shown(base_sent, dimension, use.uom)} were shipped",
                    )
                )
    return findings


def _destination_parties(event: TraceEvent, party_of: Callable[[str], str]) -> set[str]:
    return {party_of(target) for _, target in event.destinations}


def custody_findings(
    graph: TraceGraph, party_of: Callable[[str], str] = gln_party
) -> list[Finding]:
    """Gaps in custody of every identifier of the graph (see the module docstring)."""
    findings: dict[tuple[str, str], Finding] = {}
    for identifier in graph.traced:
        holders: set[str] = set()
        pending: set[str] = set()
        for event in graph.events_of(identifier):
            if event.place is None:
                continue
            party = party_of(event.place)
            gap = None
            if event.biz_step == "shipping":
                if holders and party not in holders:
                    gap = f"shipped from {party}, which never received it"
                holders.add(party)
                pending |= _destination_parties(event, party_of) or {"*"}
            elif event.biz_step == "receiving":
                if party in pending or "*" in pending:
                    pending.discard(party if party in pending else "*")
                elif holders and party not in holders:
                    gap = f"received at {party} with no shipment to it"
                holders.add(party)
            elif party not in holders:
                if party in pending:
                    gap = f"at {party} with no receiving event"
                    pending.discard(party)
                elif holders and not _creates(event, identifier):
                    gap = f"at {party} with no custody transfer from {', '.join(sorted(holders))}"
                holders.add(party)
            if gap is not None:
                findings.setdefault(
                    (event.hash_id, gap),
                    Finding(FindingKind.CUSTODY_GAP, event.hash_id, identifier, gap),
                )
    return list(findings.values())


def _creates(event: TraceEvent, identifier: str) -> bool:
    """Whether ``event`` brings ``identifier`` into being (commissioning, an output)."""
    roles = {use.role for use in event.uses if use.identifier == identifier}
    if Role.OUTPUT in roles:
        return True
    return event.action == "ADD" and (
        event.biz_step in _CREATES or event.event_type == "ObjectEvent"
    )


def trace_findings(graph: TraceGraph, party_of: Callable[[str], str] = gln_party) -> list[Finding]:
    """Every mass-balance, transfer-balance and custody finding of a trace graph."""
    return [
        *mass_balance_findings(graph.events),
        *_transfer_findings(list(graph.events)),
        *custody_findings(graph, party_of),
    ]
