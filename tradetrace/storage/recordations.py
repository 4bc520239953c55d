"""IPR recordations in the database: stored by number, read back as domain objects."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tradetrace.errors import Conflict, NotFound
from tradetrace.rules.recordation import Recordation, RightKind
from tradetrace.storage.recordations_tables import RecordationRow

__all__ = ["RecordationRepository"]


def _to_domain(row: RecordationRow) -> Recordation:
    return Recordation(
        number=row.number,
        kind=RightKind(row.kind),
        mark=row.mark,
        owner=row.owner,
        owner_did=row.owner_did,
        valid_until=row.valid_until_date,
        goods=tuple(row.goods),
    )


def _values(recordation: Recordation) -> dict[str, object]:
    return {
        "kind": recordation.kind.value,
        "mark": recordation.mark,
        "owner": recordation.owner,
        "owner_did": recordation.owner_did,
        "valid_until_date": recordation.valid_until,
        "goods": list(recordation.goods),
    }


class RecordationRepository:
    """IPR recordations stored behind ``session``."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, recordation: Recordation, *, replace: bool = False, now: datetime) -> Recordation:
        """Store a recordation; with ``replace``, an existing one of the same number is updated
        (a renewal or a change of owner). Raises :class:`Conflict` when the number is taken
        and ``replace`` is not set."""
        row = self._session.get(RecordationRow, recordation.number)
        if row is not None and not replace:
            raise Conflict(f"recordation {recordation.number} is already recorded")
        if row is None:
            row = RecordationRow(
                number=recordation.number, created_at=now, updated_at=now, **_values(recordation)
            )
            self._session.add(row)
        else:
            for name, value in _values(recordation).items():
                setattr(row, name, value)
            row.updated_at = now
        try:
            self._session.flush()
        except IntegrityError as exc:  # the same number added at the same time elsewhere
            raise Conflict(f"recordation {recordation.number} is already recorded") from exc
        return _to_domain(row)

    def get(self, number: str) -> Recordation:
        """The recordation ``number``; :class:`NotFound` if there is none."""
        row = self._session.get(RecordationRow, number)
        if row is None:
            raise NotFound(f"no recordation {number!r}")
        return _to_domain(row)

    def list(self, *, in_force_on: date | None = None, limit: int = 10_000) -> list[Recordation]:
        """Recordations by number; only those whose term includes ``in_force_on`` if given."""
        statement = select(RecordationRow).order_by(RecordationRow.number).limit(limit)
        if in_force_on is not None:
            statement = statement.where(RecordationRow.valid_until_date >= in_force_on)
        return [_to_domain(row) for row in self._session.scalars(statement)]
