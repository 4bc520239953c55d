"""The trace facts of an entry: each lot it declares, traced back through the captured events.

An entry line names its lots as heat numbers (steel), batch numbers (pipeline oil and gas) or
traceability lot codes (food) (:class:`tradetrace.entries.EntryLine`). Each reference is matched
to the identifiers of the trace index (EPCIS 2.0 §7.3.3; canonical GS1 Digital Link form) this
way:

1. A GS1 identifier, an EPC URI (``urn:epc:class:lgtin:7540000.001001.H24-0917``) or a GS1
   Digital Link (``https://id.gs1.org/01/07540000010010/10/H24-0917``), is that identifier.
2. Another URI (``urn:example:batch:7``) is itself, when a captured event names it.
3. A plain code (``H24-0917``) is the lot (AI 10) of an LGTIN class: every captured
   ``https://id.gs1.org/01/<GTIN>/10/<code>``. When the line declares a GTIN and a lot of that
   GTIN exists, only that one. Lot codes are compared exactly, case included.

Each identifier is traced backward (:func:`tradetrace.events.trace.trace`: through
transformations and aggregations to its origin) and its facts are written down by
:func:`tradetrace.workflows.trace_facts.lot_facts`, keyed by the reference as the entry wrote it,
so the rules find them under the line's own heat, batch or lot. A reference that matches no
event has no facts, and the rules say so (``pipeline.custody_chain``,
``food.traceability_records``).

Everything is read, never written: pass the node's read-only sessions
(``storage.make_session_factory(engine, write=False)``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tradetrace.entries import Entry
from tradetrace.errors import InvalidDocument
from tradetrace.events import digital_link
from tradetrace.events import trace as event_trace
from tradetrace.events.identifiers import EpcScheme, Gs1Identifier
from tradetrace.rules.trace import CustodyStep, FoodRecord, ProductionRecord, Trace
from tradetrace.storage.events import EventRepository
from tradetrace.workflows.trace import PartyDirectory, RepositorySource
from tradetrace.workflows.trace_facts import LotKind, Parties, lot_facts

__all__ = ["declared_lots", "lot_identifiers", "trace_for_entry"]

_logger = logging.getLogger(__name__)

_GTIN_PATH = f"{digital_link.CANONICAL_DOMAIN}/01/"
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_Fact = TypeVar("_Fact", CustodyStep, FoodRecord)
_ANY_GTIN = "0" * 14  # stands in for the GTIN while encoding a lot as a Digital Link path


def declared_lots(entry: Entry) -> list[tuple[LotKind, str, str | None]]:
    """Each ``(kind, reference, line GTIN)`` the entry declares, in line order, once each."""
    found: dict[tuple[LotKind, str], str | None] = {}
    for _, line in entry.numbered_lines():
        for kind, references in (
            (LotKind.HEAT, line.heat_numbers),
            (LotKind.BATCH, line.batch_numbers),
            (LotKind.LOT_CODE, line.lot_codes),
        ):
            for reference in references:
                found.setdefault((kind, reference), line.gtin)
    return [(kind, reference, gtin) for (kind, reference), gtin in found.items()]


def _lot_path(reference: str) -> str | None:
    """``/10/<lot>`` as a canonical Digital Link writes it, or ``None`` if it cannot be a lot."""
    try:
        identifier = Gs1Identifier(EpcScheme.LGTIN, _ANY_GTIN, reference)
    except InvalidDocument:
        return None
    return digital_link.format_digital_link(identifier).removeprefix(_GTIN_PATH + _ANY_GTIN)


def lot_identifiers(
    repository: EventRepository, reference: str, *, gtin: str | None = None
) -> list[str]:
    """The identifiers of the trace index that ``reference`` stands for (see the module
    docstring), sorted; empty when no captured event names it."""
    canonical = digital_link.canonical_identifier_or_none(reference)
    if canonical is not None:
        return [canonical]
    if _URI.match(reference) and repository.identifier_rows([reference]):
        return [reference]
    path = _lot_path(reference)
    if path is None:
        return []
    found = [
        identifier
        for identifier in repository.class_identifiers(prefix=_GTIN_PATH, suffix=path)
        if re.fullmatch(r"\d{14}", identifier.removeprefix(_GTIN_PATH).removesuffix(path))
    ]
    if gtin is not None:
        own = f"{_GTIN_PATH}{gtin.zfill(14)}{path}"
        if own in found:
            return [own]
    return found


def _engine(sessions: sessionmaker[Session]) -> Engine:
    with sessions() as session:
        bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def trace_for_entry(sessions: sessionmaker[Session], entry: Entry) -> Trace:
    """The production records, custody steps and FSMA 204 records of every lot ``entry``
    declares, from the events captured on this node (see the module docstring)."""
    repository = EventRepository(_engine(sessions))
    with sessions() as session:
        parties = Parties.from_directory(PartyDirectory.load(session))
    production: list[ProductionRecord] = []
    custody: list[CustodyStep] = []
    food: list[FoodRecord] = []
    for kind, reference, gtin in declared_lots(entry):
        for root in lot_identifiers(repository, reference, gtin=gtin):
            source = RepositorySource(repository)
            graph = event_trace.trace(source, root, event_trace.Direction.BACKWARD)
            if graph.truncated:
                _logger.warning("trace of %s stopped at %d events", root, len(graph.events))
            facts = lot_facts(reference, kind, graph, graph.root, parties=parties)
            production += facts.production
            custody += facts.custody
            food += facts.food
    return Trace(
        production=tuple(dict.fromkeys(production)),
        custody=_once_per_event(custody, lambda step: (step.lot, step.event_id)),
        food=_once_per_event(food, lambda record: (record.lot_code, record.event_id)),
    )


def _once_per_event(
    facts: Iterable[_Fact], key: Callable[[_Fact], tuple[str, str]]
) -> tuple[_Fact, ...]:
    """The first fact of each (lot, event): an event naming two identifiers of one reference
    is one hand-over or one record of it, not two."""
    first: dict[tuple[str, str], _Fact] = {}
    for fact in facts:
        first.setdefault(key(fact), fact)
    return tuple(first.values())
