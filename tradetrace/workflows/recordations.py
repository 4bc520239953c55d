"""The IPR recordations registry: trademarks and copyrights recorded with CBP (19 CFR Part 133).

Customs officers (or an import of CBP's IPR recordations, customs.md §6.2) record each right here;
an entry assessment reads the recordations in force on the entry date, and the ``ipr`` rules ask
goods bearing a recorded mark for a licence chain from the recorded owner.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tradetrace.rules.recordation import Recordation
from tradetrace.storage.recordations import RecordationRepository

__all__ = ["add_recordation", "get_recordation", "list_recordations", "recordations_in_force"]


def add_recordation(
    session: Session,
    *,
    number: Any,
    kind: Any,
    mark: Any,
    owner: Any,
    owner_did: Any,
    valid_until: Any,
    goods: Iterable[Any] = (),
    replace: bool = False,
    now: datetime,
) -> Recordation:
    """Validate every field (:meth:`Recordation.parse`) and store the recordation, committing on
    success. ``replace`` updates a recordation of the same number (a renewal).

    Raises:
        InvalidDocument: naming each field at fault.
        Conflict: the number is recorded already and ``replace`` is not set.
    """
    recordation = Recordation.parse(
        number=number, kind=kind, mark=mark, owner=owner, owner_did=owner_did,
        valid_until=valid_until, goods=goods,
    )  # fmt: skip
    stored = RecordationRepository(session).add(recordation, replace=replace, now=now)
    session.commit()
    return stored


def get_recordation(session: Session, number: str) -> Recordation:
    """The recordation ``number`` (:class:`~tradetrace.errors.NotFound` if there is none)."""
    return RecordationRepository(session).get(number.strip().upper())


def list_recordations(session: Session, *, on: date | None = None) -> list[Recordation]:
    """Every recordation by number, or those in force on ``on``."""
    return RecordationRepository(session).list(in_force_on=on)


def recordations_in_force(sessions: sessionmaker[Session], on: date) -> tuple[Recordation, ...]:
    """The recordations whose term includes ``on`` (an entry's date), read in a session of
    ``sessions`` (the node's read-only sessions will do)."""
    with sessions() as session:
        return tuple(RecordationRepository(session).list(in_force_on=on))
