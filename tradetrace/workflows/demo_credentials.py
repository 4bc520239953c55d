"""Demo credentials: each domain's typical credential, issued by the demo party that would
issue it, accredited in the trust registry by the customs authority, and logged on the ledger.

The credential bodies are the W3C CCG Traceability Vocabulary's own examples for each type
(bundled with the schemas), re-issued under the demo party's did:web.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tradetrace.config import Settings
from tradetrace.credentials import content, issue
from tradetrace.errors import NotFound
from tradetrace.storage.credentials import IssuedCredentialRepository
from tradetrace.storage.repositories import OrganisationRepository
from tradetrace.workflows import credentials, trust
from tradetrace.workflows.ledger import LedgerService

__all__ = ["DEMO_CREDENTIALS", "DemoCredential", "issue_demo_credentials"]


@dataclass(frozen=True, slots=True)
class DemoCredential:
    """Which demo party issues which credential type, in which format."""

    slug: str
    credential_type: str
    format: issue.Format


DEMO_CREDENTIALS: tuple[DemoCredential, ...] = (
    DemoCredential("hamilton-steelworks", "MillTestReportCredential", issue.Format.VC_JWT),
    DemoCredential("monterrey-autopartes", "USMCACertificationOfOrigin", issue.Format.VC_JWT),
    DemoCredential(
        "athabasca-midstream", "OilAndGasDeliveryTicketCredential", issue.Format.ECDSA_JCS_2019
    ),
    DemoCredential(
        "northwind-apparel", "IntellectualPropertyRightsCredential", issue.Format.EDDSA_JCS_2022
    ),
    DemoCredential("parcelbridge", "CBPSection321DeMinimisCredential", issue.Format.VC_JWT),
)
"""The demo's credentials, one or two per domain."""


def _example(credential_type: str) -> dict[str, Any]:
    found = content.find_credential_type(credential_type)
    example = None if found is None else content.schema_example(found)
    if example is None:  # pragma: no cover - the table above names types with examples only
        raise LookupError(f"no example for {credential_type}")
    document = example
    for name in ("id", "proof", "validFrom", "validUntil", "issuanceDate", "expirationDate"):
        document.pop(name, None)
    return document


def issue_demo_credentials(
    session: Session, settings: Settings, ledger: LedgerService, *, now: datetime
) -> int:
    """Accredit each demo issuer and issue its credential (id
    ``urn:tradetrace:demo:<slug>:<type>``) unless it was issued before; the number issued."""
    parties = OrganisationRepository(session)
    authority = parties.get("cbp").did or ""
    issued = 0
    for spec in DEMO_CREDENTIALS:
        credential_id = f"urn:tradetrace:demo:{spec.slug}:{spec.credential_type}"
        try:
            IssuedCredentialRepository(session).get(credential_id)
            continue
        except NotFound:
            pass
        party = parties.get(spec.slug)
        trust.accredit(
            session, did=party.did or "", roles=[role.value for role in party.roles],
            credential_types=[spec.credential_type], accredited_by=authority,
            valid_from=now, now=now,
        )  # fmt: skip
        document = _example(spec.credential_type)
        issuer = document.get("issuer")
        document["issuer"] = {**issuer, "id": party.did} if isinstance(issuer, dict) else party.did
        document["id"] = credential_id
        credentials.issue_as_organisation(
            session, settings, ledger, slug=spec.slug, credential=document,
            format=spec.format, now=now,
        )  # fmt: skip
        issued += 1
    return issued
