"""Demo shipments: realistic entries across the five domains plus USMCA, CAFTA-DR and IPR, each
with its evidence and the decision customs should reach on it (MISSION.md capability 5).

:func:`load_demo_shipments` loads them onto a node that holds the demo organisations
(:func:`tradetrace.workflows.demo.load_demo`): every issuer is accredited by the customs
authority for the credential types it issues, each credential is issued and logged on the ledger
by its demo organisation, each EPCIS document is captured by its party, and the shipments come
back with their entry, the secured credentials to present with it and the expected decision.
:meth:`ExpectedDecision.differences` compares that with what
:func:`tradetrace.workflows.assessment.assess_entry` decides. The data are in ``demo_data/``
(:mod:`tradetrace.workflows.demo_shipment_data`).

The stories are dated: every credential is issued, and its ledger record dated, at the time its
data file gives, and every entry is filed after its evidence was logged. The dates fall between
the 29 Aug 2025 suspension of duty-free de minimis and 30 Sep 2026, the end of the bundled tariff
data (``tariff/data/README.md``), so the decisions, duties included, do not change with the day
the demo is loaded. Loading is idempotent: what is already there is left alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tradetrace import storage
from tradetrace.config import Settings
from tradetrace.entries import Entry
from tradetrace.errors import FieldProblem, InvalidDocument, NotFound
from tradetrace.rules import Decision, PreferenceStatus, Recommendation, Recordation
from tradetrace.storage.credentials import IssuedCredentialRepository
from tradetrace.storage.events import EventRepository
from tradetrace.storage.repositories import OrganisationRepository
from tradetrace.storage.trust import AccreditationRepository
from tradetrace.types import Did
from tradetrace.workflows import capture, credentials, recordations, trust
from tradetrace.workflows.demo_shipment_data import (
    CredentialSpec,
    EventsSpec,
    ExpectedSpec,
    RecordationSpec,
    ShipmentSpec,
    read_shipment_specs,
    with_dids,
)
from tradetrace.workflows.ledger import LedgerService

__all__ = [
    "ACCREDITED_FROM",
    "DemoShipment",
    "ExpectedDecision",
    "ExpectedLine",
    "load_demo_shipments",
]

ACCREDITED_FROM = datetime(2025, 1, 1, tzinfo=UTC)
"""From when the customs authority accredits the demo shipments' issuers."""

_AUTHORITY = "cbp"


@dataclass(frozen=True, slots=True)
class ExpectedLine:
    """One line's expected preference outcome and admissibility."""

    preference: PreferenceStatus
    admissible: bool


@dataclass(frozen=True, slots=True)
class ExpectedDecision:
    """The decision a shipment should get.

    ``reasons`` are the rule ids of the findings that drive the recommendation (none for a plain
    release); ``duties`` some amounts of the computed duties and fees (``duty``,
    ``additional_duties``, ``mpf``, ``hmf``, ``total``); ``evidence`` what the decision relies on
    beyond the credentials: ``trace`` (the captured EPCIS events) or ``recordations`` (the CBP
    recordation registry).
    """

    recommendation: Recommendation
    reasons: tuple[str, ...]
    lines: tuple[ExpectedLine, ...]
    duties: Mapping[str, Decimal] = field(default_factory=dict)
    evidence: frozenset[str] = frozenset()

    @classmethod
    def from_spec(cls, spec: ExpectedSpec) -> ExpectedDecision:
        """The expectation a data file states."""
        return cls(
            recommendation=spec.recommendation,
            reasons=tuple(sorted(set(spec.reasons))),
            lines=tuple(ExpectedLine(line.preference, line.admissible) for line in spec.lines),
            duties={str(name): amount for name, amount in spec.duties.items()},
            evidence=frozenset(spec.evidence),
        )

    def differences(self, decision: Decision) -> tuple[str, ...]:
        """How ``decision`` departs from this expectation, one statement each (none: it
        matches)."""
        found: list[str] = []
        if decision.recommendation is not self.recommendation:
            found.append(
                f"recommendation: expected {self.recommendation}, got {decision.recommendation}"
            )
        reasons = tuple(sorted({finding.rule_id for finding in decision.reasons}))
        if reasons != self.reasons:
            found.append(f"reasons: expected {list(self.reasons)}, got {list(reasons)}")
        got = tuple(ExpectedLine(line.preference, line.admissible) for line in decision.lines)
        if got != self.lines:
            found.append(f"lines: expected {list(self.lines)}, got {list(got)}")
        amounts = decision.duties.to_json_dict() if decision.duties is not None else {}
        for name, amount in self.duties.items():
            actual = amounts.get(name)
            if actual is None or Decimal(str(actual)) != amount:
                found.append(f"duties.{name}: expected {amount}, got {actual}")
        return tuple(found)


@dataclass(frozen=True, slots=True)
class DemoShipment:
    """A loaded demo shipment.

    ``entry_json`` is valid for :meth:`Entry.from_json`; ``credentials`` are the secured
    credentials (compact JWS or JSON with a Data Integrity proof) to present with it;
    ``event_ids`` the CBV 2.0 Event Hash IDs of the EPCIS events captured for its lots;
    ``recordations`` the CBP recordations it relies on.
    """

    name: str
    domain: str
    story: str
    entry_json: str
    credentials: tuple[str, ...]
    event_ids: tuple[str, ...]
    recordations: tuple[Recordation, ...]
    expected: ExpectedDecision

    @property
    def entry(self) -> Entry:
        """The entry, parsed."""
        return Entry.from_json(self.entry_json)


def _named_parties(specs: Sequence[ShipmentSpec]) -> set[str]:
    """The demo organisations the shipments name as issuers, capturing parties or owners."""
    named = {_AUTHORITY}
    for spec in specs:
        named |= {item.issuer for item in spec.credentials}
        named |= {item.party for item in spec.events}
        named |= {item.owner for item in spec.recordations}
    return named


def _issued_types(specs: Sequence[ShipmentSpec]) -> dict[str, set[str]]:
    """The credential types each demo organisation issues in the shipments."""
    issued: dict[str, set[str]] = {}
    for spec in specs:
        for item in spec.credentials:
            types = item.document.get("type", [])
            names = {name for name in types if name != "VerifiableCredential"}
            issued.setdefault(item.issuer, set()).update(names)
    return issued


def _accredit_issuers(
    session: Session, specs: Sequence[ShipmentSpec], dids: Mapping[str, str], *, now: datetime
) -> None:
    """Accredit each issuer for its roles and types, unless an accreditation does already."""
    authority = dids[_AUTHORITY]
    parties = OrganisationRepository(session)
    for slug, types in sorted(_issued_types(specs).items()):
        did = dids[slug]
        current = AccreditationRepository(session).for_did(did)
        if any(
            item.accredited_by == authority
            and item.valid_from == ACCREDITED_FROM
            and types <= set(item.credential_types)
            for item in current
        ):
            continue
        trust.accredit(
            session, did=did, roles=[role.value for role in parties.get(slug).roles],
            credential_types=sorted(types), accredited_by=authority,
            valid_from=ACCREDITED_FROM, now=now,
        )  # fmt: skip


def _secured(
    session: Session,
    settings: Settings,
    ledger: LedgerService,
    item: CredentialSpec,
    dids: Mapping[str, str],
) -> str:
    """The credential as issued here: issued and logged at its ``issued_at`` unless it was
    already."""
    document = with_dids(item.document, dids)
    repository = IssuedCredentialRepository(session)
    try:
        return repository.get(str(document["id"])).document
    except NotFound:
        pass
    secured = credentials.issue_as_organisation(
        session, settings, ledger, slug=item.issuer, credential=document,
        format=item.format, now=item.issued_at,
    )  # fmt: skip
    body = secured.document
    return body if isinstance(body, str) else json.dumps(body)


def _captured(
    repository: EventRepository, ledger: LedgerService, item: EventsSpec, did: str
) -> tuple[str, ...]:
    """Capture the document unless all its events are stored; their Event Hash IDs."""
    problems = capture.validate_document(item.document)
    if problems:
        raise InvalidDocument.from_problems(f"demo events of {item.party}", problems)
    hash_ids = [str(found) for found in capture.document_hash_ids(item.document)]
    if len(repository.existing(hash_ids)) < len(set(hash_ids)):
        capture.capture_document(
            repository, ledger, item.document, submitter=Did(did), now=item.captured_at
        )
    return tuple(hash_ids)


def _recorded(
    session: Session,
    item: RecordationSpec,
    dids: Mapping[str, str],
    names: Mapping[str, str],
    *,
    now: datetime,
) -> Recordation:
    """The recordation in this node's registry, recorded unless it is already."""
    try:
        return recordations.get_recordation(session, item.number)
    except NotFound:
        pass
    return recordations.add_recordation(
        session, number=item.number, kind=item.kind, mark=item.mark, owner=names[item.owner],
        owner_did=dids[item.owner], valid_until=item.valid_until, goods=item.goods, now=now,
    )  # fmt: skip


def load_demo_shipments(
    engine: Engine, settings: Settings, ledger: LedgerService, *, now: datetime
) -> tuple[DemoShipment, ...]:
    """Load the demo shipments onto this node (idempotent) and return them.

    Needs the demo organisations (:func:`tradetrace.workflows.demo.load_demo`); raises
    :class:`InvalidDocument` naming a missing one, a data file field at fault, or a rejected
    EPCIS document. ``now`` dates the accreditations; credentials and events carry their
    stories' times (see the module docstring).
    """
    specs = read_shipment_specs()
    sessions = storage.make_session_factory(engine)
    with sessions() as session:
        organisations = OrganisationRepository(session).list(limit=1000)
        dids = {org.slug: org.did for org in organisations if org.did}
        names = {org.slug: org.name for org in organisations}
        missing = sorted(_named_parties(specs) - set(dids))
        if missing:
            reason = "no such organisation here: load the demo organisations first"
            raise InvalidDocument.from_problems(
                "demo shipments", [FieldProblem(slug, reason) for slug in missing]
            )
        _accredit_issuers(session, specs, dids, now=now)
    repository = EventRepository(engine)
    loaded = []
    for spec in specs:
        with sessions() as session:
            secured = tuple(_secured(session, settings, ledger, c, dids) for c in spec.credentials)
            recorded = tuple(_recorded(session, r, dids, names, now=now) for r in spec.recordations)
            session.commit()
        event_ids = tuple(
            hash_id
            for item in spec.events
            for hash_id in _captured(repository, ledger, item, dids[item.party])
        )
        loaded.append(
            DemoShipment(
                name=spec.name,
                domain=spec.domain,
                story=spec.story,
                entry_json=json.dumps(with_dids(spec.entry, dids)),
                credentials=secured,
                event_ids=event_ids,
                recordations=recorded,
                expected=ExpectedDecision.from_spec(spec.expected),
            )
        )
    return tuple(loaded)
