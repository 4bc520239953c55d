"""Engine and session construction for SQLite and PostgreSQL.

SQLite runs in WAL mode with foreign keys enforced and a busy timeout, so readers never block
the writer and concurrent processes wait instead of failing. Each connection may cache up to
64 MiB of pages, and the WAL is checkpointed into the database once it holds 64 MiB rather than
SQLite's default 4 MiB: a capture of thousands of events dirties pages all over the indexes,
and checkpointing after every such commit wrote the same pages again and again (at a million
events this was most of the cost of storing them). A new database gets 16 KiB pages instead
of 4 KiB: fewer, shallower B-tree pages to split and write for the same rows (an existing
database keeps its page size). PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from tradetrace.errors import ConfigurationError

__all__ = [
    "WRITE_LOCK",
    "database_backend",
    "make_engine",
    "make_session_factory",
    "read_statement_by_statement",
    "sqlite_path",
]

WRITE_LOCK = {"tradetrace_write_lock": True}
"""Execution options for a transaction that will write: on SQLite it starts with
``BEGIN IMMEDIATE`` and so holds the write lock from its first statement; elsewhere no effect."""

_SQLITE_BUSY_TIMEOUT_MS = 30_000
_SQLITE_CACHE_KIB = 65_536  # per connection, allocated as pages are read
_SQLITE_PAGE_BYTES = 16_384  # for new databases only
_SQLITE_CHECKPOINT_PAGES = 4_096  # of 16 KiB: 64 MiB


def database_backend(url: str) -> str:
    """Name the backend of a database URL: ``sqlite`` or ``postgresql``.

    Raises :class:`ConfigurationError` for any other backend.
    """
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise ConfigurationError(f"malformed database URL: {exc}") from exc
    if backend not in ("sqlite", "postgresql"):
        raise ConfigurationError(
            f"unsupported database backend {backend!r}: expected sqlite or postgresql"
        )
    return backend


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; ``None`` for in-memory SQLite and other backends."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """Create the engine for ``url``, tuned for its backend.

    A plain ``postgresql://`` URL is read as psycopg 3 (``postgresql+psycopg://``).
    """
    backend = database_backend(url)
    if backend == "sqlite":
        engine = create_engine(url, connect_args={"timeout": _SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)


def make_session_factory(engine: Engine, *, write: bool = True) -> sessionmaker[Session]:
    """A session factory whose sessions keep loaded values after commit.

    Writing sessions take the write lock when they begin (:data:`WRITE_LOCK`): a unit of work
    reads and then writes, and on SQLite upgrading a read transaction to a write one can fail at
    once instead of waiting for another writer. Reading sessions (``write=False``) never wait for
    a writer, so code that only reads can run while another session holds the lock.
    """
    bind = engine.execution_options(**WRITE_LOCK) if write else engine
    return sessionmaker(bind, expire_on_commit=False)


def read_statement_by_statement(session: Session) -> None:
    """Let a new, read-only ``session`` run each statement on its own (autocommit) on
    PostgreSQL, before its first statement.

    A short read then costs no ``BEGIN`` and no ``ROLLBACK`` round trip, and psycopg keeps the
    statements it has prepared, which it forgets on every rollback. Nothing is lost: at
    PostgreSQL's read committed level (the engine's) each statement of a transaction sees what
    was committed when it began anyway (PostgreSQL manual, "Transaction Isolation"). On SQLite
    this does nothing: it has no round trips, and its read transaction is one snapshot.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite opens transactions lazily and hides BEGIN; take control of it so that
    # a write transaction starts with BEGIN IMMEDIATE (see _begin_sqlite_transaction).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA page_size={_SQLITE_PAGE_BYTES}")  # before WAL fixes it
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
    cursor.execute(f"PRAGMA wal_autocheckpoint={_SQLITE_CHECKPOINT_PAGES}")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    # A writer starts with BEGIN IMMEDIATE so two writers queue on the busy timeout instead of
    # one failing with "database is locked" on lock upgrade. Readers start a deferred
    # transaction and, in WAL mode, never wait for a writer.
    writes = connection.get_execution_options().get("tradetrace_write_lock", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
