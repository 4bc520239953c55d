"""Trace an identifier through the captured events, with proofs, verifications and faults.

The graph comes from :func:`tradetrace.events.trace.trace` over the event repository. Each of
its events is then checked against the ledger: its Event Hash ID is recomputed from the stored
event and compared with the digest its ledger record holds (an altered event no longer
matches), and its C2SP tlog-proof receipt (RFC 9162 inclusion proof under a signed checkpoint)
is attached. Events that arrived in a credential carry the verification report made when the
credential was received. Parties are the organisations whose GLN owns a location.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tradetrace.errors import NotFound, TradeTraceError
from tradetrace.events import balance, hashing, ingest, profiles
from tradetrace.events import trace as event_trace
from tradetrace.events.ingest import Role
from tradetrace.ledger.record import LogRecord
from tradetrace.organisations.identifiers import IdentifierScheme
from tradetrace.storage.events import EventRepository
from tradetrace.storage.repositories import OrganisationRepository
from tradetrace.workflows.ledger import LedgerService

_logger = logging.getLogger(__name__)

__all__ = [
    "PartyDirectory",
    "RepositorySource",
    "TraceReport",
    "check_trace_profile",
    "trace_identifier",
]


class RepositorySource:
    """The event repository as an :class:`~tradetrace.events.trace.EventSource`."""

    def __init__(self, repository: EventRepository) -> None:
        self._repository = repository
        self.credential_of: dict[int, int] = {}
        """The credential ledger index of each event read that came in a credential."""

    def uses(self, identifiers: Collection[str]) -> Mapping[str, list[tuple[int, Role]]]:
        """Every ``(event index, role)`` of each identifier, from the identifier index."""
        found: dict[str, list[tuple[int, Role]]] = {}
        for identifier, index, role, *_ in self._repository.identifier_rows(identifiers):
            found.setdefault(identifier, []).append((index, Role(role)))
        return found

    def events(self, indexes: Collection[int]) -> Mapping[int, event_trace.TraceEvent]:
        """The stored events, read for tracing."""
        found = {}
        for event in self._repository.events(indexes):
            found[event.ledger_index] = event_trace.TraceEvent.from_wire(
                event.ledger_index, event.hash_id, event.wire
            )
            if event.credential_index is not None:
                self.credential_of[event.ledger_index] = event.credential_index
        return found


@dataclass(frozen=True, slots=True)
class PartyDirectory:
    """Organisations by GLN: who owns a location or is a party (GS1 GLN, party GLN)."""

    by_gln: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> PartyDirectory:
        """Every stored organisation with a GLN: ``gln -> (DID or slug, name, country)``."""
        found = {}
        for organisation in OrganisationRepository(session).list(limit=10_000):
            value = organisation.identifier(IdentifierScheme.GLN)
            if value is not None:
                key = organisation.did or organisation.slug
                found[value] = (key, organisation.name, organisation.country)
        return cls(found)

    @classmethod
    def from_engine(cls, engine: Engine) -> PartyDirectory:
        """:meth:`load` in a read-only session of its own, which takes no write lock."""
        with Session(engine) as session:
            return cls.load(session)

    def party_of(self, location: str) -> str:
        """The party owning a location: its organisation's DID, else ``gln:<GLN>``."""
        party = balance.gln_party(location)
        known = self.by_gln.get(party.removeprefix("gln:"))
        return known[0] if known is not None else party

    def describe(self, party: str) -> dict[str, str]:
        """A party for display: its id, and its name and country when known."""
        for key, name, country in self.by_gln.values():
            if key == party:
                return {"id": party, "name": name, "country": country}
        return {"id": party}


@dataclass(frozen=True, slots=True)
class TraceReport:
    """A trace graph with its faults, the ledger receipt of each event, and the credential
    verification of events that came as credentials."""

    graph: event_trace.TraceGraph
    findings: tuple[balance.Finding, ...]
    receipts: Mapping[int, str]
    credentials: Mapping[int, Mapping[str, Any]]
    parties: tuple[Mapping[str, str], ...]
    locations: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON: events (with receipt and verification), edges, parties,
        locations and findings."""
        graph = self.graph
        return {
            "root": graph.root,
            "direction": graph.direction.value,
            "truncated": graph.truncated,
            "events": [
                {
                    "eventID": event.hash_id,
                    "ledgerIndex": event.ledger_index,
                    "type": event.event_type,
                    "eventTime": event.event_time.isoformat(),
                    "bizStep": event.biz_step,
                    "location": event.place,
                    "identifiers": [
                        {"id": use.identifier, "role": use.role.value, "quantity": use.quantity}
                        | ({"uom": use.uom} if use.uom else {})
                        for use in event.uses
                    ],
                    "receipt": self.receipts.get(event.ledger_index),
                    "credential": self.credentials.get(event.ledger_index),
                }
                for event in graph.events
            ],
            "edges": [
                {"from": edge.earlier, "to": edge.later, "identifier": edge.identifier}
                for edge in graph.edges
            ],
            "parties": [dict(party) for party in self.parties],
            "locations": list(self.locations),
            "findings": [
                {
                    "kind": item.kind.value,
                    "eventID": item.event,
                    "identifier": item.identifier,
                    "message": item.message,
                }
                for item in self.findings
            ],
        }


def _altered(event: event_trace.TraceEvent, ledger: LedgerService) -> balance.Finding | None:
    """A finding when the stored event no longer matches the digest logged for it."""
    recomputed = hashing.event_hash_id(event.wire)
    try:
        logged = LogRecord.from_bytes(ledger.entry(event.ledger_index)).digest
    except (NotFound, TradeTraceError):
        logged = None
    if recomputed == event.hash_id and logged == ingest.digest_of_hash_id(event.hash_id):
        return None
    return balance.Finding(
        balance.FindingKind.ALTERED_EVENT,
        event.hash_id,
        None,
        f"stored event hashes to {recomputed}, not the {event.hash_id} logged at ledger index"
        f" {event.ledger_index}",
    )


def trace_identifier(
    engine: Engine,
    ledger: LedgerService,
    identifier: str,
    *,
    direction: event_trace.Direction = event_trace.Direction.BACKWARD,
    max_events: int = 5000,
) -> TraceReport:
    """Trace ``identifier`` backward (to origin) or forward (recall); see the module docstring.

    Raises :class:`~tradetrace.errors.NotFound` when no captured event names it.
    """
    repository = EventRepository(engine)
    source = RepositorySource(repository)
    graph = event_trace.trace(source, identifier, direction, max_events=max_events)
    if not graph.events:
        raise NotFound(f"no captured event names {graph.root}")
    directory = PartyDirectory.from_engine(engine)
    findings = balance.trace_findings(graph, directory.party_of)
    findings += [found for e in graph.events if (found := _altered(e, ledger)) is not None]
    latest = ledger.latest_checkpoint()
    if latest is None or latest.checkpoint.size <= max(e.ledger_index for e in graph.events):
        ledger.publish()
    receipts = {
        e.ledger_index: ledger.receipt(e.ledger_index, wait=2.0).to_text() for e in graph.events
    }
    credentials: dict[int, Mapping[str, Any]] = {}
    for event in graph.events:
        if event.ledger_index in source.credential_of:
            credential = repository.credential(source.credential_of[event.ledger_index])
            credentials[event.ledger_index] = {
                "id": credential.credential_id,
                "issuer": credential.issuer,
                "ledgerIndex": credential.ledger_index,
                "verification": dict(credential.verification),
            }
    places = {e.place for e in graph.events if e.place is not None}
    party_keys = {directory.party_of(place) for place in places}
    party_keys |= {
        directory.party_of(target)
        for e in graph.events
        for _, target in (*e.sources, *e.destinations)
    }
    return TraceReport(
        graph=graph,
        findings=tuple(findings),
        receipts=receipts,
        credentials=credentials,
        parties=tuple(directory.describe(key) for key in sorted(party_keys)),
        locations=tuple(sorted(places)),
    )


def check_trace_profile(
    engine: Engine, ledger: LedgerService, identifier: str, domain: profiles.Domain
) -> tuple[TraceReport, profiles.ProfileReport]:
    """Trace ``identifier`` back to its origin and check it against the ``domain`` profile."""
    report = trace_identifier(engine, ledger, identifier)
    return report, profiles.check_profile(report.graph, domain, findings=report.findings)
