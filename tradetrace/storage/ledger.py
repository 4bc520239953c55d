"""The transparency log's store in SQL: tree head, tiles, bundles, keys and checkpoints.

Every append is one database transaction that locks the tree head (``BEGIN IMMEDIATE`` on
SQLite, ``SELECT … FOR UPDATE`` on PostgreSQL), so any number of processes may append to one
database and the result is one consistent log. Tiles and bundles are stored one row each at their
newest width; smaller partial widths are served as prefixes (:func:`ledger.log.slice_resource`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from threading import Lock
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tradetrace.errors import NotFound
from tradetrace.ledger import log as ledger_log
from tradetrace.ledger.tiles import BundleId, TileId
from tradetrace.storage.engine import WRITE_LOCK
from tradetrace.storage.tables import (
    LeaseRow,
    LogBundleRow,
    LogCheckpointRow,
    LogEntryKeyRow,
    LogHeadRow,
    LogTileRow,
)

__all__ = ["SqlLogStore"]

_HEAD_ID = 1
_COPY_KEYS = "COPY log_entry_key (leaf_index, lookup_key) FROM STDIN"
_INSERT_KEYS = "INSERT INTO log_entry_key (leaf_index, lookup_key) VALUES (?, ?)"
_CACHE_TILES = 8192  # full tiles are immutable: ~64 MiB of hashes at most


def _pack(edge: Sequence[bytes]) -> bytes:
    return b"".join(edge)


def _unpack(size: int, packed: bytes) -> ledger_log.TreeHead:
    return ledger_log.TreeHead(size, tuple(packed[i : i + 32] for i in range(0, len(packed), 32)))


class SqlLogStore:
    """A :class:`~tradetrace.ledger.log.LogStore` in the database behind ``engine``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**WRITE_LOCK)
        self._dialect = engine.dialect.name
        self._full: OrderedDict[str, bytes] = OrderedDict()
        self._cache_lock = Lock()
        self._ensure_head()

    def _ensure_head(self) -> None:
        row = {"id": _HEAD_ID, "size": 0, "edge": b"", "updated_at": datetime.now(UTC)}
        with self._writer.begin() as connection:
            connection.execute(self._upsert(LogHeadRow, [LogHeadRow.id], row, update_columns=()))

    def _upsert(
        self,
        table: type[Any],
        keys: Sequence[Any],
        values: dict[str, Any] | list[dict[str, Any]],
        *,
        update_columns: Sequence[str],
    ) -> Any:
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = dialect_insert(table).values(values)
        if not update_columns:
            return statement.on_conflict_do_nothing(index_elements=keys)
        return statement.on_conflict_do_update(
            index_elements=keys,
            set_={column: getattr(statement.excluded, column) for column in update_columns},
        )

    # -- reading -------------------------------------------------------------------------

    def head(self) -> ledger_log.TreeHead:
        """The committed tree head."""
        with self._engine.connect() as connection:
            return _read_head(connection, lock=False)

    def read(self, path: str) -> bytes:
        """A tile or entry bundle by its tlog-tiles path; :class:`NotFound` beyond the log."""
        with self._cache_lock:
            cached = self._full.get(path)
        if cached is not None:
            return cached
        with self._engine.connect() as connection:
            data = _read_resource(connection, path)
        if ".p/" not in path:
            with self._cache_lock:
                self._full[path] = data
                if len(self._full) > _CACHE_TILES:
                    self._full.popitem(last=False)
        return data

    def entries_with_key(self, key: str) -> list[int]:
        """Indexes of the entries logged under lookup ``key``, oldest first."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(LogEntryKeyRow.leaf_index)
                .where(LogEntryKeyRow.lookup_key == key)
                .order_by(LogEntryKeyRow.leaf_index)
            )
            return [int(index) for (index,) in rows]

    # -- appending -----------------------------------------------------------------------

    @contextmanager
    def append_transaction(self) -> Iterator[ledger_log.AppendTransaction]:
        """A transaction holding the tree-head lock until it commits or rolls back."""
        with self._writer.begin() as connection:
            yield _SqlAppend(self, connection, _read_head(connection, lock=True))

    # -- checkpoints and leases ----------------------------------------------------------

    def save_checkpoint(self, size: int, note: str, *, now: datetime) -> None:
        """Store a published checkpoint (the first one for a size wins) and a newer note text
        for the same size replaces the old one only when it carries more signatures."""
        with self._writer.begin() as connection:
            existing = connection.execute(
                select(LogCheckpointRow.note).where(LogCheckpointRow.size == size)
            ).scalar()
            if existing is None:
                connection.execute(
                    insert(LogCheckpointRow).values(size=size, note=note, published_at=now)
                )
            elif note.count("\n— ") > existing.count("\n— "):
                connection.execute(
                    update(LogCheckpointRow).where(LogCheckpointRow.size == size).values(note=note)
                )

    def latest_checkpoint(self) -> str | None:
        """The note text of the largest published checkpoint."""
        with self._engine.connect() as connection:
            return connection.execute(
                select(LogCheckpointRow.note).order_by(LogCheckpointRow.size.desc()).limit(1)
            ).scalar()

    def checkpoints(self, *, limit: int = 20) -> list[tuple[int, str, datetime]]:
        """The most recent checkpoints as ``(size, note, published_at)``, newest first."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(LogCheckpointRow.size, LogCheckpointRow.note, LogCheckpointRow.published_at)
                .order_by(LogCheckpointRow.size.desc())
                .limit(limit)
            )
            return [(int(size), note, published) for size, note, published in rows]

    def acquire_lease(self, name: str, holder: str, *, now: datetime, until: datetime) -> bool:
        """Take or renew the lease ``name`` for ``holder``; ``False`` while another holds it."""
        with self._writer.begin() as connection:
            connection.execute(
                self._upsert(
                    LeaseRow,
                    [LeaseRow.name],
                    {"name": name, "holder": holder, "expires_at": now},
                    update_columns=(),
                )
            )
            taken = connection.execute(
                update(LeaseRow)
                .where(LeaseRow.name == name)
                .where((LeaseRow.holder == holder) | (LeaseRow.expires_at <= now))
                .values(holder=holder, expires_at=until)
            )
            return bool(taken.rowcount)

    def release_lease(self, name: str, holder: str) -> None:
        """Give up the lease if ``holder`` has it."""
        with self._writer.begin() as connection:
            connection.execute(
                delete(LeaseRow).where(LeaseRow.name == name).where(LeaseRow.holder == holder)
            )


class _SqlAppend:
    def __init__(
        self, store: SqlLogStore, connection: Connection, head: ledger_log.TreeHead
    ) -> None:
        self._store = store
        self._connection = connection
        self._head = head

    def head(self) -> ledger_log.TreeHead:
        return self._head

    def read(self, path: str) -> bytes:
        return _read_resource(self._connection, path)

    def write(
        self,
        *,
        head: ledger_log.TreeHead,
        resources: dict[str, bytes],
        keys: Sequence[tuple[int, str]],
    ) -> None:
        tiles: list[dict[str, Any]] = []
        bundles: list[dict[str, Any]] = []
        for path, data in resources.items():
            if path.startswith("tile/entries/"):
                bundles.append({"bundle_index": BundleId.from_path(path).index, "data": data})
            else:
                tile = TileId.from_path(path)
                tiles.append({"level": tile.level, "tile_index": tile.index, "data": data})
        store = self._store
        if tiles:
            self._connection.execute(
                store._upsert(
                    LogTileRow,
                    [LogTileRow.level, LogTileRow.tile_index],
                    tiles,
                    update_columns=("data",),
                )
            )
        if bundles:
            self._connection.execute(
                store._upsert(
                    LogBundleRow, [LogBundleRow.bundle_index], bundles, update_columns=("data",)
                )
            )
        if keys:
            _insert_keys(self._connection, keys)
        self._connection.execute(
            update(LogHeadRow)
            .where(LogHeadRow.id == _HEAD_ID)
            .values(size=head.size, edge=_pack(head.edge), updated_at=datetime.now(UTC))
        )


def _insert_keys(connection: Connection, keys: Sequence[tuple[int, str]]) -> None:
    """Insert lookup keys through the driver directly: ``COPY`` on PostgreSQL, ``executemany``
    on SQLite. For thousands of rows a batch, SQLAlchemy's per-row parameter processing would
    cost more than the insert itself."""
    if connection.dialect.name == "postgresql":
        raw = connection.connection.dbapi_connection
        assert raw is not None  # noqa: S101 - an open Connection always has one
        with raw.cursor() as cursor, cursor.copy(_COPY_KEYS) as copy:  # type: ignore[attr-defined]
            for row in keys:
                copy.write_row(row)
        return
    connection.exec_driver_sql(_INSERT_KEYS, list(keys))


def _read_head(connection: Connection, *, lock: bool) -> ledger_log.TreeHead:
    query = select(LogHeadRow.size, LogHeadRow.edge).where(LogHeadRow.id == _HEAD_ID)
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = connection.execute(query).one()
    return _unpack(int(row.size), bytes(row.edge))


def _read_resource(connection: Connection, path: str) -> bytes:
    if path.startswith("tile/entries/"):
        bundle = BundleId.from_path(path)
        data = connection.execute(
            select(LogBundleRow.data).where(LogBundleRow.bundle_index == bundle.index)
        ).scalar()
    else:
        tile = TileId.from_path(path)
        data = connection.execute(
            select(LogTileRow.data)
            .where(LogTileRow.level == tile.level)
            .where(LogTileRow.tile_index == tile.index)
        ).scalar()
    if data is None:
        raise NotFound(f"no log resource {path}")
    return ledger_log.slice_resource(path, bytes(data))
