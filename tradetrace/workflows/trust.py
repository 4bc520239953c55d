"""Accredit DIDs and decide whether an issuer is trusted for a credential."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from tradetrace.storage.trust import AccreditationRepository
from tradetrace.trust.registry import Accreditation, NewAccreditation, TrustDecision, decide_trust

__all__ = ["accredit", "check_issuer", "list_accreditations"]


def accredit(
    session: Session,
    *,
    did: str,
    roles: Iterable[str],
    credential_types: Iterable[str] = (),
    accredited_by: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    now: datetime,
) -> Accreditation:
    """Validate and store an accreditation, committing on success."""
    new = NewAccreditation.parse(
        did=did,
        roles=roles,
        credential_types=credential_types,
        accredited_by=accredited_by,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    stored = AccreditationRepository(session).add(new, now=now)
    session.commit()
    return stored


def list_accreditations(session: Session) -> list[Accreditation]:
    """Every accreditation, newest first."""
    return AccreditationRepository(session).list()


def check_issuer(
    session: Session, *, issuer: str, credential_types: Sequence[str], at: datetime
) -> TrustDecision:
    """Whether ``issuer`` is accredited for a credential of ``credential_types`` at ``at``."""
    accreditations = AccreditationRepository(session).for_did(issuer)
    return decide_trust(accreditations, issuer=issuer, credential_types=credential_types, at=at)
