"""The trace facts of one declared lot, read from its backward trace graph.

:func:`lot_facts` turns the graph of one lot (:func:`tradetrace.events.trace.trace`, backward)
into the rule engine's facts (:mod:`tradetrace.rules.trace`), each keyed by the lot reference as
the entry wrote it and citing the Event Hash ID (CBV 2.0 §8.9) of the event it came from:

- **Production** of a steel heat: the melt (the origin event's ``meltCountry`` and
  ``meltLocation``) and the pour (``pourCountry`` and ``pourLocation`` on the origin or on the
  casting transformation that consumed it); one record each (CSMS #62095799). Of a pipeline
  batch: the producing field (``producingField``, customs.md §7) and its country
  (``fieldCountry``). Of a food lot: the event that created the traceability lot code (the
  transformation or commissioning that output it) and the party that recorded it (21 CFR
  1.1320). These names are extensions in :data:`tradetrace.events.profiles.TRACE_NAMESPACE`,
  on the event or in its ILMD (EPCIS 2.0 §7.5).
- **Custody**: each shipment of the lot (CBV ``shipping``) from one owning party to another
  (EPCIS 2.0 §7.3.5.4 source and destination lists; possessing party or location owner when no
  owning party is named), confirmed by the receiving event that answers it (a shared business
  transaction, else the next receipt by the receiving party). The step takes the receipt's time,
  place and quantity when there is one. A receipt that answers no shipment adds no step: a
  party cannot hand over custody it never shipped, so the chain shows the gap. Events with
  another business step that move ownership between two named owning parties are steps too.
- **FSMA 204 records**: each critical tracking event of the lot and the key data elements it
  lacks (:func:`tradetrace.events.fsma.fsma_record`); a transformation that consumed the lot is
  a record of its output lot, not of this one.

Countries are ISO 3166-1 codes written on the event (or a country name); where the event names
none, the country of the organisation owning the location (by its GLN) is used. A fact whose
country cannot be established this way is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from tradetrace.entries import vocabulary as vocab
from tradetrace.events import fsma, prehash, profiles
from tradetrace.events.ingest import Role
from tradetrace.events.model import EpcisEvent
from tradetrace.events.trace import TraceEvent, TraceGraph
from tradetrace.rules.trace import CustodyStep, FoodRecord, ProductionRecord
from tradetrace.workflows.trace import PartyDirectory

__all__ = ["LotFacts", "LotKind", "Parties", "lot_facts"]

_PARTY_TYPES = ("owning_party", "possessing_party", "location")


class LotKind(StrEnum):
    """What an entry line calls a lot: a steel heat, a pipeline batch, a food lot code."""

    HEAT = "heat"
    BATCH = "batch"
    LOT_CODE = "lot_code"


@dataclass(frozen=True, slots=True)
class Parties:
    """Who owns a location and where a party is, from the node's organisations (by GLN)."""

    directory: PartyDirectory
    countries: Mapping[str, str]

    @classmethod
    def from_directory(cls, directory: PartyDirectory) -> Parties:
        """Index the directory's organisations by party (DID, else slug)."""
        countries = {key: country for key, _, country in directory.by_gln.values()}
        return cls(directory, countries)

    def party_of(self, location: str) -> str:
        """The party owning ``location``: its organisation's DID, else ``gln:<GLN>``."""
        return self.directory.party_of(location)

    def country_of(self, party: str) -> str | None:
        """The ISO country of a known party."""
        return vocab.country_code(self.countries.get(party))


@dataclass(frozen=True, slots=True)
class LotFacts:
    """The facts of one lot: production records, custody steps, FSMA 204 records."""

    production: tuple[ProductionRecord, ...] = ()
    custody: tuple[CustodyStep, ...] = ()
    food: tuple[FoodRecord, ...] = ()


def _extension(event: TraceEvent, name: str) -> Any:
    """An extension of :data:`profiles.TRACE_NAMESPACE` on the event or in its ILMD."""
    namespaces = prehash.namespaces_from_context(event.wire.get("@context"))
    for source in (event.wire, event.wire.get("ilmd") or {}):
        for key, value in source.items():
            prefix, colon, local = key.partition(":")
            if colon and local == name and namespaces.get(prefix) == profiles.TRACE_NAMESPACE:
                return value
            if key == profiles.TRACE_NAMESPACE + name:
                return value
    return None


def _quantity(event: TraceEvent, identifiers: Iterable[str]) -> tuple[Decimal | None, str | None]:
    """The total quantity the event records of ``identifiers`` (first unit), if any."""
    wanted = set(identifiers)
    uses = [u for u in event.uses if u.identifier in wanted and u.quantity is not None]
    if not uses:
        return None, None
    unit = uses[0].uom
    total = sum((Decimal(str(u.quantity)) for u in uses if u.uom == unit), Decimal(0))
    return total, unit


def _production(
    lot: str,
    event: TraceEvent,
    parties: Parties,
    *,
    facility: Any,
    country: Any,
    made: Iterable[str],
) -> ProductionRecord | None:
    place = vocab.text(facility) or event.place
    producer = parties.party_of(event.place) if event.place else None
    found = vocab.country_code(country)
    if found is None and place is not None:
        found = parties.country_of(parties.party_of(place))
    if found is None and producer is not None:
        found = parties.country_of(producer)
    if found is None or producer is None or place is None:
        return None
    quantity, unit = _quantity(event, made)
    return ProductionRecord(
        lot=lot,
        facility=place,
        producer=producer,
        country=found,
        at=event.event_time,
        quantity=quantity,
        unit=unit,
        event_id=event.hash_id,
    )


def _heat_records(lot: str, graph: TraceGraph, parties: Parties) -> list[ProductionRecord | None]:
    """The melt and the pour of each heat the lot came from (see the module docstring)."""
    found: list[ProductionRecord | None] = []
    generic: list[ProductionRecord | None] = []
    for origin in profiles.origins(graph):
        made = origin.identifiers()
        generic.append(_production(lot, origin, parties, facility=None, country=None, made=made))
        if _extension(origin, "meltCountry") or _extension(origin, "meltLocation"):
            found.append(
                _production(
                    lot,
                    origin,
                    parties,
                    facility=_extension(origin, "meltLocation"),
                    country=_extension(origin, "meltCountry"),
                    made=made,
                )
            )
        casts = [
            event
            for event in graph.events
            if event.event_type == "TransformationEvent"
            and set(made) & set(event.identifiers(Role.INPUT))
        ]
        for event in (origin, *casts):
            if _extension(event, "pourCountry") or _extension(event, "pourLocation"):
                found.append(
                    _production(
                        lot,
                        event,
                        parties,
                        facility=_extension(event, "pourLocation"),
                        country=_extension(event, "pourCountry"),
                        made=made,
                    )
                )
    # without melt or pour data, the origin's own place stands for the heat
    return found or generic


def _batch_records(lot: str, graph: TraceGraph, parties: Parties) -> list[ProductionRecord | None]:
    """The producing field of each origin batch."""
    return [
        _production(
            lot,
            origin,
            parties,
            facility=_extension(origin, "producingField"),
            country=_extension(origin, "fieldCountry"),
            made=origin.identifiers(),
        )
        for origin in profiles.origins(graph)
    ]


def _creates(event: TraceEvent, root: str) -> bool:
    roles = {use.role for use in event.uses if use.identifier == root}
    added = event.event_type == "ObjectEvent" and event.action == "ADD"
    return Role.OUTPUT in roles or (added and bool(roles & {Role.EPC, Role.QUANTITY}))


def _lot_code_records(
    lot: str, graph: TraceGraph, root: str, parties: Parties
) -> list[ProductionRecord | None]:
    """The event that assigned the traceability lot code, and who recorded it."""
    return [
        _production(lot, event, parties, facility=None, country=None, made=[root])
        for event in graph.events_of(root)
        if _creates(event, root)
    ]


def _party(entries: Iterable[tuple[str, str]], parties: Parties) -> str | None:
    by_type = dict(reversed(list(entries)))  # the first entry of each type wins
    for kind in _PARTY_TYPES:
        if kind in by_type:
            return parties.party_of(by_type[kind])
    return None


def _receiver(event: TraceEvent, parties: Parties) -> str | None:
    return parties.party_of(event.place) if event.place else _party(event.destinations, parties)


def _answers(shipment: TraceEvent, receipt: TraceEvent, taker: str, parties: Parties) -> bool:
    if receipt.event_time < shipment.event_time:
        return False
    shared = {r for _, r in shipment.biz_transactions} & {r for _, r in receipt.biz_transactions}
    return bool(shared) or _receiver(receipt, parties) == taker


def _step(
    lot: str, root: str, giver: str, taker: str, event: TraceEvent, parties: Parties
) -> CustodyStep | None:
    place = event.place or next((target for _, target in event.destinations), None)
    # where the lot changed hands: the receiving site, else the parties' own countries
    candidates = (_receiver(event, parties), taker, giver)
    country = next(
        (found for party in candidates if party and (found := parties.country_of(party))), None
    )
    if country is None:
        return None
    quantity, unit = _quantity(event, [root])
    return CustodyStep(
        lot=lot,
        from_party=giver,
        to_party=taker,
        country=country,
        at=event.event_time,
        location=place or "",
        quantity=quantity,
        unit=unit,
        event_id=event.hash_id,
    )


def _custody(lot: str, graph: TraceGraph, root: str, parties: Parties) -> list[CustodyStep | None]:
    """The hand-overs of the lot (see the module docstring)."""
    events = graph.events_of(root)
    receipts = [event for event in events if event.biz_step == "receiving"]
    steps: list[CustodyStep | None] = []
    for event in events:
        giver, taker = _party(event.sources, parties), _party(event.destinations, parties)
        if giver is None and event.biz_step == "shipping" and event.place:
            giver = parties.party_of(event.place)  # shipped from its own site
        if event.biz_step == "receiving" or giver is None or taker is None:
            continue
        if event.biz_step != "shipping":
            if giver != taker and _owners(event):
                steps.append(_step(lot, root, giver, taker, event, parties))
            continue
        matching = [r for r in receipts if _answers(event, r, taker, parties)]
        shared = [r for r in matching if _shares_transaction(event, r)]
        confirmed = shared or matching
        if confirmed:
            receipts.remove(confirmed[0])
        steps.append(_step(lot, root, giver, taker, (confirmed or [event])[0], parties))
    return steps


def _shares_transaction(first: TraceEvent, second: TraceEvent) -> bool:
    return bool({r for _, r in first.biz_transactions} & {r for _, r in second.biz_transactions})


def _owners(event: TraceEvent) -> bool:
    """Whether the event names an owning party on both sides (a transfer of ownership)."""
    return any(k == "owning_party" for k, _ in event.sources) and any(
        k == "owning_party" for k, _ in event.destinations
    )


@cache
def _adapter() -> TypeAdapter[EpcisEvent]:
    return TypeAdapter(EpcisEvent)


def _food(lot: str, graph: TraceGraph, root: str) -> list[FoodRecord]:
    """The FSMA 204 records of the lot: its events, except those that consumed it."""
    records = []
    for event in graph.events_of(root):
        roles = {use.role for use in event.uses if use.identifier == root}
        if roles == {Role.INPUT}:
            continue
        model = _adapter().validate_python(dict(event.wire))
        namespaces = prehash.namespaces_from_context(event.wire.get("@context"))
        record = fsma.fsma_record(model, namespaces=namespaces)
        if record is not None:
            records.append(
                FoodRecord(
                    lot_code=lot,
                    cte=record.cte.value,
                    at=event.event_time,
                    missing_kdes=tuple(kde.value for kde in record.missing),
                    event_id=event.hash_id,
                )
            )
    return records


def lot_facts(
    lot: str, kind: LotKind, graph: TraceGraph, root: str, *, parties: Parties
) -> LotFacts:
    """The facts of the lot the entry calls ``lot``, from the backward graph of ``root`` (one
    identifier the reference stands for); see the module docstring."""
    if kind is LotKind.HEAT:
        production = _heat_records(lot, graph, parties)
    elif kind is LotKind.BATCH:
        production = _batch_records(lot, graph, parties)
    else:
        production = _lot_code_records(lot, graph, root, parties)
    return LotFacts(
        production=tuple(dict.fromkeys(r for r in production if r is not None)),
        custody=tuple(s for s in _custody(lot, graph, root, parties) if s is not None),
        food=tuple(_food(lot, graph, root)) if kind is LotKind.LOT_CODE else (),
    )
