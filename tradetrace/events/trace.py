"""Trace graphs: from any identifier back to its origin, or forward to everywhere it went.

The events of a trace are linked through identifiers (EPCIS 2.0 §7.4): an object's own events;
for a TransformationEvent (§7.4.6), its inputs before it (backward) or its outputs after it
(forward); for an AggregationEvent or AssociationEvent that ADDs children to a parent
(§7.4.3, §7.4.4), the children before it (backward) or after it (forward); and while an object
sits in a container, the container's events (shipping a pallet ships the cases in it), from
the ADD that put it there to the DELETE that took it out. Identifiers are compared in their
canonical form. Coil <- slab <- heat, retail pack <- lot <- harvest.

Storage is reached through :class:`EventSource` (STYLE.md §2): the traversal asks for all uses
of a set of identifiers at once, one breadth-first level at a time.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from tradetrace.events import ingest
from tradetrace.events.cbv import Vocabulary
from tradetrace.events.ingest import IdentifierUse, Role

__all__ = [
    "Direction",
    "EventSource",
    "TraceEdge",
    "TraceEvent",
    "TraceGraph",
    "trace",
]


class Direction(StrEnum):
    """Which way a trace goes: to the origin, or to every destination (recall)."""

    BACKWARD = "backward"
    FORWARD = "forward"


@dataclass(frozen=True, slots=True)
class TraceEvent:
    """What a trace needs of one captured event, read from its JSON-LD form."""

    ledger_index: int
    hash_id: str
    event_type: str
    action: str | None
    event_time: datetime
    biz_step: str | None
    read_point: str | None
    biz_location: str | None
    uses: tuple[IdentifierUse, ...]
    sources: tuple[tuple[str, str], ...]
    destinations: tuple[tuple[str, str], ...]
    biz_transactions: tuple[tuple[str | None, str], ...]
    wire: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_wire(cls, ledger_index: int, hash_id: str, wire: Mapping[str, Any]) -> TraceEvent:
        """Read a stored (validated) event; ``sources`` and ``destinations`` are
        ``(CBV type code, canonical id)`` pairs (EPCIS 2.0 §7.3.5.4)."""

        def parties(name: str, member: str) -> tuple[tuple[str, str], ...]:
            return tuple(
                (
                    str(ingest.standard_code(Vocabulary.SOURCE_DESTINATION_TYPE, item["type"])),
                    ingest.canonical_or_given(item[member]),
                )
                for item in wire.get(name) or ()
            )

        return cls(
            ledger_index=ledger_index,
            hash_id=hash_id,
            event_type=wire["type"],
            action=wire.get("action"),
            event_time=datetime.fromisoformat(wire["eventTime"]).astimezone(UTC),
            biz_step=ingest.standard_code(Vocabulary.BIZ_STEP, wire.get("bizStep")),
            read_point=ingest.location(wire, "readPoint"),
            biz_location=ingest.location(wire, "bizLocation"),
            uses=ingest.identifier_uses(wire),
            sources=parties("sourceList", "source"),
            destinations=parties("destinationList", "destination"),
            biz_transactions=tuple(
                (
                    ingest.standard_code(Vocabulary.BIZ_TRANSACTION_TYPE, item.get("type")),
                    item["bizTransaction"],
                )
                for item in wire.get("bizTransactionList") or ()
            ),
            wire=wire,
        )

    @property
    def place(self) -> str | None:
        """Where the event happened: its business location, else its read point."""
        return self.biz_location or self.read_point

    def identifiers(self, *roles: Role) -> list[str]:
        """The identifiers the event names in ``roles`` (all roles when none given)."""
        return [use.identifier for use in self.uses if not roles or use.role in roles]


class EventSource(Protocol):
    """Where a trace reads events from (a repository, or a list in memory)."""

    def uses(self, identifiers: Collection[str]) -> Mapping[str, list[tuple[int, Role]]]:
        """For each identifier, the ``(event ledger index, role)`` of every event naming it."""
        ...

    def events(self, indexes: Collection[int]) -> Mapping[int, TraceEvent]:
        """The events with these ledger indexes."""
        ...


@dataclass(frozen=True, slots=True)
class TraceEdge:
    """Consecutive events of one identifier: ``earlier`` then ``later`` (ledger indexes)."""

    earlier: int
    later: int
    identifier: str


@dataclass(frozen=True, slots=True)
class TraceGraph:
    """The events a trace reached, in time order, and how they link.

    ``carriers`` maps an identifier to the containers that carried it, with the time window
    (from, until) in which it was inside; ``truncated`` is set when ``max_events`` stopped it;
    ``traced`` are the identifiers whose events the trace followed (not merely saw named).
    """

    root: str
    direction: Direction
    events: tuple[TraceEvent, ...]
    edges: tuple[TraceEdge, ...]
    carriers: Mapping[str, tuple[tuple[str, datetime | None, datetime | None], ...]]
    truncated: bool = False
    traced: tuple[str, ...] = ()

    def event(self, ledger_index: int) -> TraceEvent:
        """The graph's event with this ledger index (:class:`KeyError` if absent)."""
        for item in self.events:
            if item.ledger_index == ledger_index:
                return item
        raise KeyError(ledger_index)

    @property
    def identifiers(self) -> tuple[str, ...]:
        """Every identifier named by an event of the graph, sorted."""
        return tuple(sorted({use.identifier for event in self.events for use in event.uses}))

    def events_of(self, identifier: str) -> list[TraceEvent]:
        """The events that name ``identifier`` or carry it in a container, in time order."""
        windows = self.carriers.get(identifier, ())
        found = []
        for event in self.events:
            named = any(use.identifier == identifier for use in event.uses)
            carried = any(
                container in event.identifiers(Role.EPC, Role.QUANTITY, Role.PARENT)
                and (start is None or event.event_time >= start)
                and (end is None or event.event_time <= end)
                for container, start, end in windows
            )
            if named or carried:
                found.append(event)
        return found


_Window = tuple[datetime | None, datetime | None]
_Task = tuple[str, datetime | None, datetime | None, bool]  # identifier, from, until, container


def _inside(moment: datetime, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or moment >= start) and (end is None or moment <= end)


def _container_windows(
    identifier: str, events: list[TraceEvent], end: datetime | None
) -> list[tuple[str, datetime, datetime | None]]:
    """When ``identifier`` was inside which parent: ADD (or OBSERVE) opens, DELETE closes."""
    open_since: dict[str, datetime] = {}
    windows: list[tuple[str, datetime, datetime | None]] = []
    for event in events:
        if event.event_type not in {"AggregationEvent", "AssociationEvent"}:
            continue
        if identifier not in event.identifiers(Role.CHILD):
            continue
        for parent in event.identifiers(Role.PARENT):
            if event.action == "DELETE" and parent in open_since:
                windows.append((parent, open_since.pop(parent), event.event_time))
            elif event.action != "DELETE":
                open_since.setdefault(parent, event.event_time)
    windows += [(parent, start, end) for parent, start in open_since.items()]
    return windows


def _follow(
    identifier: str,
    event: TraceEvent,
    direction: Direction,
    container: bool,
) -> list[_Task]:
    """Where an event leads from ``identifier`` (see the module docstring)."""
    roles = {use.role for use in event.uses if use.identifier == identifier}
    at = event.event_time
    tasks: list[_Task] = []
    if direction is Direction.BACKWARD:
        if Role.OUTPUT in roles and not container:
            tasks += [(item, None, at, False) for item in event.identifiers(Role.INPUT)]
        if Role.PARENT in roles and event.action == "ADD" and not container:
            tasks += [(item, None, at, False) for item in event.identifiers(Role.CHILD)]
    else:
        if Role.INPUT in roles:
            tasks += [(item, at, None, False) for item in event.identifiers(Role.OUTPUT)]
        if Role.PARENT in roles and event.action == "ADD" and not container:
            tasks += [(item, at, None, False) for item in event.identifiers(Role.CHILD)]
    return tasks


def trace(
    source: EventSource, identifier: str, direction: Direction, *, max_events: int = 5000
) -> TraceGraph:
    """The trace graph of ``identifier`` (an EPC URI, Digital Link or other URI).

    Backward: the identifier's own events and, before each, what it was made of or packed
    from, down to the origin. Forward: everywhere it and what it went into went afterwards.
    """
    root = ingest.canonical_or_given(identifier)
    uses: dict[str, list[tuple[int, Role]]] = {}
    loaded: dict[int, TraceEvent] = {}
    done: set[_Task] = set()
    reached: dict[int, TraceEvent] = {}
    carriers: dict[str, set[tuple[str, datetime | None, datetime | None]]] = {}
    level: list[_Task] = [(root, None, None, False)]
    truncated = False
    while level and not truncated:
        level = [task for task in dict.fromkeys(level) if task not in done]
        done.update(level)
        wanted = {task[0] for task in level} - uses.keys()
        if wanted:
            found = source.uses(wanted)
            uses.update({name: list(found.get(name, ())) for name in wanted})
        missing = {index for task in level for index, _ in uses[task[0]]} - loaded.keys()
        if missing:
            loaded.update(source.events(missing))
        following: list[_Task] = []
        for name, start, end, container in level:
            mine = sorted(
                (loaded[index] for index, _ in uses[name] if index in loaded),
                key=lambda item: (item.event_time, item.ledger_index),
            )
            for event in mine:
                if not _inside(event.event_time, start, end):
                    continue
                reached[event.ledger_index] = event
                following += _follow(name, event, direction, container)
            for parent, opened, closed in _container_windows(name, mine, end):
                low = opened if start is None or opened > start else start
                high = closed if end is None or (closed is not None and closed < end) else end
                carriers.setdefault(name, set()).add((parent, low, high))
                following.append((parent, low, high, True))
            if len(reached) >= max_events:
                truncated = True
                break
        level = following
    traced = tuple(sorted({task[0] for task in done if not task[3]}))
    return _graph(root, direction, reached, carriers, truncated, traced)


def _graph(
    root: str,
    direction: Direction,
    reached: Mapping[int, TraceEvent],
    carriers: Mapping[str, set[tuple[str, datetime | None, datetime | None]]],
    truncated: bool,
    traced: tuple[str, ...],
) -> TraceGraph:
    ordered = tuple(sorted(reached.values(), key=lambda e: (e.event_time, e.ledger_index)))
    last: dict[str, int] = {}
    edges: list[TraceEdge] = []
    for event in ordered:
        for name in dict.fromkeys(event.identifiers()):
            if name in last:
                edges.append(TraceEdge(last[name], event.ledger_index, name))
            last[name] = event.ledger_index
    return TraceGraph(
        root=root,
        direction=direction,
        events=ordered,
        edges=tuple(edges),
        carriers={name: tuple(sorted(found, key=repr)) for name, found in carriers.items()},
        truncated=truncated,
        traced=traced,
    )
