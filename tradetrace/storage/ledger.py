"""The transparency log's store in SQL: tree head, tiles, bundles, keys and checkpoints.

Every append is one database transaction that locks the tree head (``BEGIN IMMEDIATE`` on
SQLite, ``SELECT … FOR UPDATE`` on PostgreSQL), so any number of processes may append to one
database and the result is one consistent log. Tiles and bundles are stored one row each at their
newest width; smaller partial widths are served as prefixes (:func:`ledger.log.slice_resource`).
Lookup keys go to the run-based index of :mod:`.ledger_keys`, in the same transaction.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from threading import Lock
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tradetrace.errors import NotFound
from tradetrace.ledger import log as ledger_log
from tradetrace.ledger.tiles import BundleId, TileId, tiles_since
from tradetrace.storage.engine import WRITE_LOCK
from tradetrace.storage.ledger_keys import KeyIndex
from tradetrace.storage.tables import (
    LeaseRow,
    LogBundleRow,
    LogCheckpointRow,
    LogHeadRow,
    LogTileRow,
)

__all__ = ["SqlLogStore"]

_HEAD_ID = 1
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
        self._keys = KeyIndex(engine, self._writer)
        # Built once: a statement with a fixed shape is compiled once, then run as executemany.
        self._upsert_tiles = self._upsert(
            LogTileRow, [LogTileRow.level, LogTileRow.tile_index], None, update_columns=("data",)
        )
        self._upsert_bundles = self._upsert(
            LogBundleRow, [LogBundleRow.bundle_index], None, update_columns=("data",)
        )
        self._ensure_head()

    def _ensure_head(self) -> None:
        row = {"id": _HEAD_ID, "size": 0, "edge": b"", "updated_at": datetime.now(UTC)}
        with self._writer.begin() as connection:
            connection.execute(self._upsert(LogHeadRow, [LogHeadRow.id], row, update_columns=()))

    def _upsert(
        self,
        table: type[Any],
        keys: Sequence[Any],
        values: dict[str, Any] | None,
        *,
        update_columns: Sequence[str],
    ) -> Any:
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = dialect_insert(table)
        if values is not None:
            statement = statement.values(values)
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

    def resources_since(self, old_size: int, size: int) -> list[tuple[str, bytes]]:
        """The tiles and entry bundles of the tree of ``size`` leaves that the tree of
        ``old_size`` leaves does not have (:func:`ledger.tiles.tiles_since`), with their bytes.

        One range query per tile level and one for the bundles, whatever their number: this is
        what a publisher copies to a tile directory. ``size`` must not exceed the head.
        """
        tiles = tiles_since(old_size, size)
        found: list[tuple[str, bytes]] = []
        with self._engine.connect() as connection:
            for level in sorted({tile.level for tile in tiles}):
                wanted = [tile for tile in tiles if tile.level == level]
                rows = dict(
                    connection.execute(
                        select(LogTileRow.tile_index, LogTileRow.data)
                        .where(LogTileRow.level == level)
                        .where(LogTileRow.tile_index.between(wanted[0].index, wanted[-1].index))
                    ).all()
                )
                found += [(tile.path, _slice(tile.path, rows.get(tile.index))) for tile in wanted]
            bundles = [BundleId(tile.index, tile.width) for tile in tiles if tile.level == 0]
            if bundles:
                rows = dict(
                    connection.execute(
                        select(LogBundleRow.bundle_index, LogBundleRow.data).where(
                            LogBundleRow.bundle_index.between(bundles[0].index, bundles[-1].index)
                        )
                    ).all()
                )
                found += [
                    (bundle.path, _slice(bundle.path, rows.get(bundle.index))) for bundle in bundles
                ]
        return found

    @property
    def engine(self) -> Engine:
        """The engine of the database the log is in."""
        return self._engine

    def entries_with_key(self, key: str, *, connection: Connection | None = None) -> list[int]:
        """Indexes of the entries logged under lookup ``key``, oldest first; read through
        ``connection`` when given (an open connection to :attr:`engine`'s database).

        Keys are indexed by a 128-bit digest (:func:`.ledger_keys.key_digest`).
        """
        return self._keys.lookup(key, connection=connection)

    def compact_keys(self) -> int:
        """Merge runs of the lookup-key index (:meth:`.ledger_keys.KeyIndex.compact`)."""
        return self._keys.compact()

    # -- appending -----------------------------------------------------------------------

    @contextmanager
    def append_transaction(self) -> Iterator[ledger_log.AppendTransaction]:
        """A transaction holding the tree-head lock until it commits or rolls back."""
        with self._writer.begin() as connection:
            yield _SqlAppend(self, connection, _read_head(connection, lock=True))

    # -- checkpoints and leases ----------------------------------------------------------

    def save_checkpoint(self, size: int, note: str, *, now: datetime) -> None:
        """Store a published checkpoint (the first one for a size wins) and a newer note text
        for the same size replaces the old one only when it carries more signatures.

        The insert does nothing on conflict, so two publishers racing on one size (another
        process, or a publish call beside the publisher thread) cannot fail each other.
        """
        with self._writer.begin() as connection:
            connection.execute(
                self._upsert(
                    LogCheckpointRow,
                    [LogCheckpointRow.size],
                    {"size": size, "note": note, "published_at": now},
                    update_columns=(),
                )
            )
            existing = connection.execute(
                select(LogCheckpointRow.note).where(LogCheckpointRow.size == size).with_for_update()
            ).scalar_one()
            if note.count("\n— ") > existing.count("\n— "):
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
            self._connection.execute(store._upsert_tiles, tiles)
        if bundles:
            self._connection.execute(store._upsert_bundles, bundles)
        store._keys.write_run(self._connection, keys)
        self._connection.execute(
            update(LogHeadRow)
            .where(LogHeadRow.id == _HEAD_ID)
            .values(size=head.size, edge=_pack(head.edge), updated_at=datetime.now(UTC))
        )


def _read_head(connection: Connection, *, lock: bool) -> ledger_log.TreeHead:
    query = select(LogHeadRow.size, LogHeadRow.edge).where(LogHeadRow.id == _HEAD_ID)
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    row = connection.execute(query).one()
    return _unpack(int(row.size), bytes(row.edge))


# Built once: building a select per read cost more than the read itself on a proof's cold path.
_READ_BUNDLE = select(LogBundleRow.data).where(LogBundleRow.bundle_index == bindparam("index"))
_READ_TILE = select(LogTileRow.data).where(
    LogTileRow.level == bindparam("level"), LogTileRow.tile_index == bindparam("index")
)


def _read_resource(connection: Connection, path: str) -> bytes:
    if path.startswith("tile/entries/"):
        bundle = BundleId.from_path(path)
        data = connection.execute(_READ_BUNDLE, {"index": bundle.index}).scalar()
    else:
        tile = TileId.from_path(path)
        data = connection.execute(_READ_TILE, {"level": tile.level, "index": tile.index}).scalar()
    return _slice(path, data)


def _slice(path: str, data: bytes | None) -> bytes:
    if data is None:
        raise NotFound(f"no log resource {path}")
    return ledger_log.slice_resource(path, bytes(data))
