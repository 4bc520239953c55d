"""The EPCIS event repository: store captured events whole, query them, index identifiers.

Writes go straight to the driver's ``executemany`` (:class:`_BulkInsert`: one statement per
table per capture, compiled once per dialect by SQLAlchemy Core), in one transaction: a capture
is stored whole or not at all (EPCIS 2.0 §8.2.1). Events are keyed by their leaf index in the
transparency log. Reads return domain objects (:mod:`tradetrace.events.stored`), never rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Dialect,
    Engine,
    Table,
    bindparam,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import BindParameter

from tradetrace.errors import Conflict, NotFound
from tradetrace.events.ingest import PreparedEvent, digest_of_hash_id
from tradetrace.events.query import EventQuery
from tradetrace.events.stored import CaptureJob, EventCredential, StoredEvent
from tradetrace.storage.engine import WRITE_LOCK
from tradetrace.storage.events_tables import (
    CaptureJobRow,
    EventCredentialRow,
    EventIdentifierRow,
    EventRow,
)
from tradetrace.storage.tables import Base

__all__ = ["EventRepository", "IdentifierRow"]

IdentifierRow = tuple[str, int, str, bool, float | None, str | None]
"""``(identifier, event ledger index, role, is_class, quantity, uom)``."""

_CHUNK = 500  # bound parameters per IN (...) list, under every backend's limit
_JOB = CaptureJobRow.__table__
_CREDENTIAL = EventCredentialRow.__table__
_TIME_FIELDS: dict[str, tuple[Any, bool]] = {
    "GE_eventTime": (EventRow.event_time, True),
    "LT_eventTime": (EventRow.event_time, False),
    "GE_recordTime": (EventRow.record_time, True),
    "LT_recordTime": (EventRow.record_time, False),
}


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _job(row: Any) -> CaptureJob:
    return CaptureJob(
        capture_id=row["id"],
        created_at=row["created_at"],
        submitter=row["submitter"],
        running=bool(row["running"]),
        success=bool(row["success"]),
        finished_at=None if row["finished_at"] is None else row["finished_at"],
        event_count=row["event_count"],
        captured_count=row["captured_count"],
        duplicate_count=row["duplicate_count"],
        errors=tuple(row["errors"]),
        error_behaviour=row["error_behaviour"],
    )


def _job_values(job: CaptureJob) -> dict[str, Any]:
    return {
        "id": job.capture_id,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "running": job.running,
        "success": job.success,
        "error_behaviour": job.error_behaviour,
        "errors": [dict(error) for error in job.errors],
        "submitter": job.submitter,
        "event_count": job.event_count,
        "captured_count": job.captured_count,
        "duplicate_count": job.duplicate_count,
    }


_EVENT_COLUMNS = (
    EventRow.ledger_index,
    EventRow.hash_id,
    EventRow.record_time,
    EventRow.capture_id,
    EventRow.submitter,
    EventRow.document,
    EventRow.credential_index,
)


# Built once, with expanding IN lists: building a statement per call cost more than running it.
_VALUES: BindParameter[Any] = bindparam("values", expanding=True)
_BY_DIGEST = select(*_EVENT_COLUMNS).where(EventRow.digest == bindparam("digest"))
_EVENTS = select(*_EVENT_COLUMNS).where(EventRow.ledger_index.in_(_VALUES))
_USES = select(
    EventIdentifierRow.identifier,
    EventIdentifierRow.event_index,
    EventIdentifierRow.role,
    EventIdentifierRow.is_class,
    EventIdentifierRow.quantity,
    EventIdentifierRow.uom,
).where(EventIdentifierRow.identifier.in_(_VALUES))


_Converters = list[tuple[int, Callable[[Any], Any]]]


class _BulkInsert:
    """An INSERT of many rows in one ``executemany`` of the driver.

    SQLAlchemy's per-row parameter handling cost more than SQLite's insert itself: rows here
    are plain lists in ``columns`` order (the table's), and only the columns whose type
    converts values for the dialect (timestamps and booleans on SQLite) are converted, a value
    that repeats from the previous row (the capture's record time) only once. The statement is
    compiled once per dialect and driver parameter style.
    """

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self._table = table
        self._columns = tuple(columns)
        self._compiled: dict[str, tuple[str, bool, _Converters]] = {}

    def _for(self, dialect: Dialect) -> tuple[str, bool, _Converters]:
        key = f"{dialect.name}:{dialect.paramstyle}"
        found = self._compiled.get(key)
        if found is None:
            compiled = insert(self._table).compile(dialect=dialect, column_keys=self._columns)
            if compiled.positional and tuple(compiled.positiontup or ()) != self._columns:
                # the columns must be listed in the table's order
                raise AssertionError(f"parameter order {compiled.positiontup}")
            converters: _Converters = []
            for position, name in enumerate(self._columns):
                column_type = self._table.c[name].type.dialect_impl(dialect)
                converter = column_type.bind_processor(dialect)
                if converter is not None:
                    converters.append((position, converter))
            found = self._compiled[key] = (str(compiled), compiled.positional, converters)
        return found

    def run(self, connection: Connection, rows: list[list[Any]]) -> None:
        """Insert ``rows`` (lists, converted in place) in the connection's transaction."""
        if not rows:
            return
        statement, positional, converters = self._for(connection.dialect)
        for position, converter in converters:
            last: Any = object()
            done: Any = None
            for row in rows:
                value = row[position]
                if value is not last:
                    last, done = value, converter(value)
                row[position] = done
        if positional:
            connection.exec_driver_sql(statement, [tuple(row) for row in rows])
        else:
            names = self._columns
            connection.exec_driver_sql(
                statement, [dict(zip(names, row, strict=True)) for row in rows]
            )


_INSERT_EVENTS = _BulkInsert(
    Base.metadata.tables[EventRow.__tablename__],
    (
        *("ledger_index", "hash_id", "digest", "event_type", "action", "event_time"),
        "record_time",
        *("biz_step", "disposition", "read_point", "biz_location", "capture_id", "submitter"),
        *("credential_index", "document"),
    ),
)
_INSERT_IDENTIFIERS = _BulkInsert(
    Base.metadata.tables[EventIdentifierRow.__tablename__],
    ("identifier", "event_index", "role", "is_class", "quantity", "uom"),
)


_EXISTING: dict[str, tuple[str, bool]] = {}


def _existing_statement(dialect: Dialect) -> tuple[str, bool]:
    """``SELECT digest ... WHERE digest IN (<_CHUNK parameters>)`` for the driver, compiled
    once per dialect: SQLAlchemy's expanding IN cost more per value than SQLite's lookup."""
    key = f"{dialect.name}:{dialect.paramstyle}"
    found = _EXISTING.get(key)
    if found is None:
        values: list[BindParameter[bytes]] = [bindparam(f"d{n}") for n in range(_CHUNK)]
        compiled = (
            select(EventRow.digest).where(EventRow.digest.in_(values)).compile(dialect=dialect)
        )
        found = _EXISTING[key] = (str(compiled), compiled.positional)
    return found


_HASH_ID = re.compile(r"ni:///sha-256;[0-9a-f]{64}\?ver=[A-Za-z0-9.]+")


def _digest(hash_id: str) -> bytes:
    """The 32 bytes of the SHA-256 digest inside an Event Hash ID (CBV 2.0 §8.9)."""
    return bytes.fromhex(digest_of_hash_id(hash_id))


def _stored(row: Any) -> StoredEvent:
    return StoredEvent(
        ledger_index=int(row[0]),
        hash_id=row[1],
        record_time=row[2],
        capture_id=row[3],
        submitter=row[4],
        wire=json.loads(row[5]),
        credential_index=None if row[6] is None else int(row[6]),
    )


class EventRepository:
    """Captured events in the database behind ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**WRITE_LOCK)

    # -- capture ---------------------------------------------------------------------

    def existing(self, hash_ids: Collection[str]) -> set[str]:
        """Which of ``hash_ids`` (Event Hash IDs, as made by capture) are stored already."""
        wanted = {_digest(hash_id): hash_id for hash_id in hash_ids}
        found: set[str] = set()
        with self._engine.connect() as connection:
            statement, positional = _existing_statement(connection.dialect)
            for chunk in _chunks(sorted(wanted)):
                # Always _CHUNK values (the last repeated): one statement, compiled once.
                values = [*chunk, *[chunk[-1]] * (_CHUNK - len(chunk))]
                parameters: Any = (
                    tuple(values) if positional else {f"d{i}": v for i, v in enumerate(values)}
                )
                rows = connection.exec_driver_sql(statement, parameters)
                found.update(wanted[bytes(row[0])] for row in rows)
        return found

    def save_job(self, job: CaptureJob) -> None:
        """Store a capture job, or its new state."""
        values = _job_values(job)
        with self._writer.begin() as connection:
            changed = connection.execute(
                update(CaptureJobRow).where(CaptureJobRow.id == job.capture_id).values(values)
            )
            if not changed.rowcount:
                connection.execute(insert(CaptureJobRow).values(values))

    def add(
        self,
        events: Sequence[tuple[int, PreparedEvent]],
        *,
        job: CaptureJob,
        record_time: datetime,
        credential: EventCredential | None = None,
    ) -> None:
        """Store ``(ledger index, event)`` pairs, their identifiers, the credential that
        carried them and the finished ``job``, in one transaction.

        Raises :class:`~tradetrace.errors.Conflict` when an event is stored already (a
        concurrent capture of the same event); nothing is written then.
        """
        credential_index = None if credential is None else credential.ledger_index
        capture_id, submitter = job.capture_id, job.submitter
        event_rows = [
            [
                index,
                event.hash_id,
                bytes.fromhex(event.digest),
                event.event_type,
                event.action,
                event.event_time,
                record_time,
                event.biz_step,
                event.disposition,
                event.read_point,
                event.biz_location,
                capture_id,
                submitter,
                credential_index,
                event.json_text,
            ]
            for index, event in events
        ]
        identifier_rows = [
            [use.identifier, index, use.role.value, use.is_class, use.quantity, use.uom]
            for index, event in events
            for use in event.identifiers
        ]
        try:
            with self._writer.begin() as connection:
                if credential is not None:
                    connection.execute(
                        insert(EventCredentialRow).values(
                            ledger_index=credential.ledger_index,
                            credential_id=credential.credential_id,
                            issuer=credential.issuer,
                            digest=credential.digest,
                            document=credential.document,
                            verification=dict(credential.verification),
                            received_at=credential.received_at,
                        )
                    )
                _INSERT_EVENTS.run(connection, event_rows)
                _INSERT_IDENTIFIERS.run(connection, identifier_rows)
                connection.execute(insert(CaptureJobRow).values(_job_values(job)))
        except IntegrityError as exc:
            raise Conflict("some of these events were captured at the same time") from exc

    def job(self, capture_id: str) -> CaptureJob:
        """The capture job ``capture_id``; :class:`~tradetrace.errors.NotFound` if unknown."""
        with self._engine.connect() as connection:
            row = (
                connection.execute(select(_JOB).where(CaptureJobRow.id == capture_id))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound(f"no capture job {capture_id!r}")
        return _job(row)

    # -- reading ---------------------------------------------------------------------

    def by_hash_id(self, hash_id: str) -> StoredEvent:
        """The event with Event Hash ID ``hash_id``; :class:`NotFound` if none."""
        row = None
        if _HASH_ID.fullmatch(hash_id):
            with self._engine.connect() as connection:
                row = connection.execute(_BY_DIGEST, {"digest": _digest(hash_id)}).first()
        if row is None or row[1] != hash_id:
            raise NotFound(f"no event {hash_id}")
        return _stored(row)

    def events(self, indexes: Collection[int]) -> list[StoredEvent]:
        """The events with these ledger indexes, in index order."""
        found: list[StoredEvent] = []
        with self._engine.connect() as connection:
            for chunk in _chunks(sorted(indexes)):
                found += [_stored(row) for row in connection.execute(_EVENTS, {"values": chunk})]
        return sorted(found, key=lambda event: event.ledger_index)

    def identifier_rows(self, identifiers: Collection[str]) -> list[IdentifierRow]:
        """Every use of these identifiers by any event (the trace index)."""
        rows: list[IdentifierRow] = []
        with self._engine.connect() as connection:
            for chunk in _chunks(sorted(identifiers)):
                rows += [
                    (row[0], int(row[1]), row[2], bool(row[3]), row[4], row[5])
                    for row in connection.execute(_USES, {"values": chunk})
                ]
        return rows

    def class_identifiers(self, *, prefix: str, suffix: str) -> list[str]:
        """The class identifiers of the trace index that start with ``prefix`` and end with
        ``suffix``, sorted: ``https://id.gs1.org/01/`` and ``/10/<lot>`` find the lot under
        every GTIN. Matching is exact (case-sensitive) on every backend."""
        pattern = _like_prefix(prefix) + _like_prefix(suffix)[:-1]
        statement = (
            select(EventIdentifierRow.identifier)
            .where(
                EventIdentifierRow.identifier.like(pattern, escape="\\"),
                EventIdentifierRow.is_class.is_(True),
            )
            .distinct()
        )
        with self._engine.connect() as connection:
            found = connection.execute(statement).scalars()
            # SQLite's LIKE ignores ASCII case; the check below restores exact matching
            return sorted(
                name for name in found if name.startswith(prefix) and name.endswith(suffix)
            )

    def credential(self, ledger_index: int) -> EventCredential:
        """The credential logged at ``ledger_index``; :class:`NotFound` if none."""
        with self._engine.connect() as connection:
            row = (
                connection.execute(
                    select(_CREDENTIAL).where(EventCredentialRow.ledger_index == ledger_index)
                )
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound(f"no event credential at ledger index {ledger_index}")
        return EventCredential(
            ledger_index=int(row["ledger_index"]),
            credential_id=row["credential_id"],
            issuer=row["issuer"],
            digest=row["digest"],
            document=row["document"],
            verification=row["verification"],
            received_at=row["received_at"],
        )

    def query(self, query: EventQuery) -> list[StoredEvent]:
        """Events matching ``query`` in capture order: at most ``per_page + 1`` of them, so
        the caller knows whether another page follows (EPCIS 2.0 §8.2.7.1)."""
        statement = (
            select(*_EVENT_COLUMNS)
            .where(*_conditions(query))
            .order_by(EventRow.ledger_index)
            .limit(query.per_page + 1)
        )
        with self._engine.connect() as connection:
            return [_stored(row) for row in connection.execute(statement)]


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _conditions(query: EventQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.after is not None:
        conditions.append(EventRow.ledger_index > query.after)
    for name, moment in query.times.items():
        column, lower = _TIME_FIELDS[name]
        conditions.append(column >= moment if lower else column < moment)
    columns: tuple[tuple[Any, tuple[str, ...]], ...] = (
        (EventRow.event_type, query.event_types),
        (EventRow.action, query.actions),
        (EventRow.biz_step, query.biz_steps),
        (EventRow.disposition, query.dispositions),
        (EventRow.read_point, query.read_points),
        (EventRow.biz_location, query.biz_locations),
    )
    for column, wanted in columns:
        if wanted:
            conditions.append(column.in_(wanted))
    for match in query.matches:
        names = [EventIdentifierRow.identifier.in_(match.exact)] if match.exact else []
        names += [
            EventIdentifierRow.identifier.like(_like_prefix(prefix), escape="\\")
            for prefix in match.prefixes
        ]
        uses = select(EventIdentifierRow.event_index).where(
            or_(*names),
            EventIdentifierRow.role.in_([role.value for role in match.roles]),
            EventIdentifierRow.is_class.is_(match.is_class),
        )
        conditions.append(EventRow.ledger_index.in_(uses))
    return conditions
