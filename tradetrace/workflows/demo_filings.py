"""The demo shipments as customs sees them: presentations sent for each entry, the entry filed,
and a first decision taken (docs/demo.md).

For each shipment, every party that issued its credentials sends them in one presentation
(Traceability Interop ``POST /presentations``) for the entry's workflow instance, the entry
number, half an hour before the entry's filing time. The presentation is verified, stored and
logged as it would be on arrival. Then the entry is filed as the broker filed it, and assessed.
``tradetrace entry assess NUMBER`` then decides again from the same case. Idempotent: a
shipment whose entry is already filed is left alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tradetrace import storage
from tradetrace.config import Settings
from tradetrace.credentials import issue, securing
from tradetrace.errors import Conflict
from tradetrace.rules import Decision
from tradetrace.storage.entries import EntryRepository
from tradetrace.storage.repositories import OrganisationRepository
from tradetrace.workflows import credentials, entries, identity, presentations
from tradetrace.workflows.demo_shipments import DemoShipment
from tradetrace.workflows.ledger import LedgerService

__all__ = ["DemoFiling", "file_demo_shipments"]

_BEFORE_FILING = timedelta(minutes=30)
_WORKFLOW = "urn:tradetrace:workflow:demo-entry"
_ENVELOPED = "data:application/vc+jwt,"


@dataclass(frozen=True, slots=True)
class DemoFiling:
    """A demo shipment filed as an entry, and the decision taken on it."""

    shipment: str
    entry_number: str
    decision: Decision


def _embedded(secured: str) -> dict[str, Any]:
    """A credential as a VC 2.0 presentation carries it (§4.13.1 for a JWS)."""
    text = secured.strip()
    if text.startswith("{"):
        document: dict[str, Any] = json.loads(text)
        return document
    return {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "id": f"{_ENVELOPED}{text}",
        "type": "EnvelopedVerifiableCredential",
    }


def _by_issuer(secured: Sequence[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for item in secured:
        document = securing.read_secured(item, limits=securing.DEFAULT_LIMITS).document
        issuer = document.get("issuer")
        issuer_id = str(issuer.get("id") if isinstance(issuer, Mapping) else issuer)
        grouped.setdefault(issuer_id, []).append(item)
    return grouped


def _present(
    sessions: sessionmaker[Session],
    settings: Settings,
    ledger: LedgerService,
    context: credentials.NodeContext,
    shipment: DemoShipment,
    *,
    number: str,
    at: datetime,
) -> None:
    for issuer, secured in _by_issuer(shipment.credentials).items():
        with sessions() as session:
            slug = OrganisationRepository(session).by_did(issuer).slug
            proved = presentations.prove_presentation(
                session, settings, caller_slug=slug,
                presentation={
                    "@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiablePresentation"],
                    "id": f"urn:tradetrace:demo:{shipment.name}:{slug}",
                    "verifiableCredential": [_embedded(item) for item in secured],
                },
                format=issue.Format.EDDSA_JCS_2022, challenge=None, domain=None, now=at,
            )  # fmt: skip
            session.commit()
        with sessions() as session:
            try:
                presentations.receive_presentation(
                    session, ledger, context.verifier(), presentation=json.loads(proved.to_bytes()),
                    workflow={"definition": [_WORKFLOW], "instance": [number]},
                    sender=presentations.Sender(client_id="demo", organisation_slug=None),
                    now=at,
                )  # fmt: skip
            except Conflict:
                continue  # sent by an earlier, interrupted load


def file_demo_shipments(
    engine: Engine,
    settings: Settings,
    ledger: LedgerService,
    shipments: Sequence[DemoShipment],
    *,
    now: datetime,
) -> tuple[DemoFiling, ...]:
    """Send, file and assess each demo shipment not yet filed; what was filed now."""
    writers = storage.make_session_factory(engine)
    readers = storage.make_session_factory(engine, write=False)
    context = credentials.NodeContext(settings, readers, ledger=ledger, clock=lambda: now)
    node_did = identity.organisation_did(settings, "", root=True)
    filed: list[DemoFiling] = []
    for shipment in shipments:
        entry = shipment.entry
        with readers() as session:
            if EntryRepository(session).latest(entry.entry_number) is not None:
                continue
        at = (entry.filed_at or now) - _BEFORE_FILING
        _present(writers, settings, ledger, context, shipment, number=entry.entry_number, at=at)
        submission = entries.EntrySubmission(entry, None)
        entries.file_entry(
            writers, ledger, submission, submitter=node_did,
            now=entry.filed_at or now,
        )  # fmt: skip
        decision, _ = entries.assess_filed_entry(
            writers, context, ledger, entry.entry_number,
            decided_by=node_did, now=now,
        )  # fmt: skip
        filed.append(DemoFiling(shipment.name, entry.entry_number, decision))
    return tuple(filed)
