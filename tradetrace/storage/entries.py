"""Repositories of filed entries and customs decisions.

Entries are kept by version: filing corrected data for a number that exists stores version n+1
and leaves the earlier ones as they were (19 CFR 141.61: a post-summary correction does not erase
what was filed). Decisions are append-only. The repositories take and return plain records; the
caller commits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tradetrace.errors import Conflict, NotFound
from tradetrace.storage.entries_tables import CustomsDecisionRow, CustomsEntryVersionRow

__all__ = ["DecisionRepository", "EntryRepository", "FiledEntry", "StoredDecision"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FiledEntry:
    """One version of an entry as filed.

    ``document`` is the entry's JSON (RFC 8785 canonical form, the bytes behind ``digest``);
    ``credential`` the secured entry credential it was read from, if it came as one;
    ``instances`` the workflow instances whose presentations make up the entry's case.
    """

    entry_number: str
    version: int
    entry_type: str
    importer_number: str | None
    entry_date: date
    filed_at: datetime
    document: str
    digest: str
    credential: str | None
    submitter: str
    instances: tuple[str, ...]
    recorded_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredDecision:
    """A decision taken on one version of an entry; ``id`` is 0 until stored."""

    id: int
    entry_number: str
    entry_version: int
    decided_at: datetime
    recommendation: str
    document: str
    explanation: str
    digest: str


def _entry(row: CustomsEntryVersionRow) -> FiledEntry:
    return FiledEntry(
        entry_number=row.entry_number,
        version=row.version,
        entry_type=row.entry_type,
        importer_number=row.importer_number,
        entry_date=row.entry_date,
        filed_at=row.filed_at,
        document=row.document,
        digest=row.digest,
        credential=row.credential,
        submitter=row.submitter,
        instances=tuple(json.loads(row.instances)),
        recorded_at=row.recorded_at,
    )


def _decision(row: CustomsDecisionRow) -> StoredDecision:
    return StoredDecision(
        id=row.id,
        entry_number=row.entry_number,
        entry_version=row.entry_version,
        decided_at=row.decided_at,
        recommendation=row.recommendation,
        document=row.document,
        explanation=row.explanation,
        digest=row.digest,
    )


class EntryRepository:
    """Filed entries behind ``session``; the caller commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, filed: FiledEntry) -> None:
        """Store one version; :class:`Conflict` when that number and version exist."""
        self._session.add(
            CustomsEntryVersionRow(
                entry_number=filed.entry_number,
                version=filed.version,
                entry_type=filed.entry_type,
                importer_number=filed.importer_number,
                entry_date=filed.entry_date,
                filed_at=filed.filed_at,
                document=filed.document,
                digest=filed.digest,
                credential=filed.credential,
                submitter=filed.submitter,
                instances=json.dumps(list(filed.instances)),
                recorded_at=filed.recorded_at,
            )
        )
        try:
            self._session.flush()
        except IntegrityError:  # another filer stored this version first
            self._session.rollback()
            raise Conflict(
                f"entry {filed.entry_number} version {filed.version} was just filed by another "
                "request; file again to make a new version"
            ) from None

    def latest(self, entry_number: str) -> FiledEntry | None:
        """The newest version of ``entry_number``, or ``None`` if it was never filed."""
        row = self._session.scalars(
            select(CustomsEntryVersionRow)
            .where(CustomsEntryVersionRow.entry_number == entry_number)
            .order_by(CustomsEntryVersionRow.version.desc())
            .limit(1)
        ).first()
        return None if row is None else _entry(row)

    def get(self, entry_number: str, version: int | None = None) -> FiledEntry:
        """One version (default the newest); :class:`NotFound` when there is none."""
        if version is None:
            found = self.latest(entry_number)
        else:
            row = self._session.get(CustomsEntryVersionRow, (entry_number, version))
            found = None if row is None else _entry(row)
        if found is None:
            which = "" if version is None else f" version {version}"
            raise NotFound(f"no filed entry {entry_number[:20]!r}{which}")
        return found

    def versions(self, entry_number: str) -> list[FiledEntry]:
        """Every version of ``entry_number``, oldest first."""
        rows = self._session.scalars(
            select(CustomsEntryVersionRow)
            .where(CustomsEntryVersionRow.entry_number == entry_number)
            .order_by(CustomsEntryVersionRow.version)
        )
        return [_entry(row) for row in rows]

    def newest(self, *, limit: int = 50, offset: int = 0) -> list[FiledEntry]:
        """The newest version of each entry, most recently filed first."""
        newest = (
            select(
                CustomsEntryVersionRow.entry_number,
                func.max(CustomsEntryVersionRow.version).label("version"),
            )
            .group_by(CustomsEntryVersionRow.entry_number)
            .subquery()
        )
        rows = self._session.scalars(
            select(CustomsEntryVersionRow)
            .join(
                newest,
                (newest.c.entry_number == CustomsEntryVersionRow.entry_number)
                & (newest.c.version == CustomsEntryVersionRow.version),
            )
            .order_by(
                CustomsEntryVersionRow.recorded_at.desc(), CustomsEntryVersionRow.entry_number
            )
            .limit(limit)
            .offset(offset)
        )
        return [_entry(row) for row in rows]


class DecisionRepository:
    """Decisions behind ``session``, append-only; the caller commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, decision: StoredDecision) -> StoredDecision:
        """Store a decision; the stored record with its id."""
        row = CustomsDecisionRow(
            entry_number=decision.entry_number,
            entry_version=decision.entry_version,
            decided_at=decision.decided_at,
            recommendation=decision.recommendation,
            document=decision.document,
            explanation=decision.explanation,
            digest=decision.digest,
        )
        self._session.add(row)
        self._session.flush()
        return _decision(row)

    def for_entry(self, entry_number: str) -> list[StoredDecision]:
        """Every decision on ``entry_number``, oldest first."""
        rows = self._session.scalars(
            select(CustomsDecisionRow)
            .where(CustomsDecisionRow.entry_number == entry_number)
            .order_by(CustomsDecisionRow.id)
        )
        return [_decision(row) for row in rows]

    def latest_for(self, entry_numbers: Sequence[str]) -> dict[str, StoredDecision]:
        """The newest decision of each of ``entry_numbers`` that has one."""
        if not entry_numbers:
            return {}
        newest = (
            select(func.max(CustomsDecisionRow.id))
            .where(CustomsDecisionRow.entry_number.in_(list(entry_numbers)))
            .group_by(CustomsDecisionRow.entry_number)
        )
        rows = self._session.scalars(
            select(CustomsDecisionRow).where(CustomsDecisionRow.id.in_(newest))
        )
        return {row.entry_number: _decision(row) for row in rows}
