"""Persistence: SQLAlchemy 2 engine, typed table mappings, repositories and Alembic migrations.

SQLite (WAL) is the embedded default; PostgreSQL is the production store. Dialect-specific SQL
lives only in this package (STYLE.md §8).
"""

from tradetrace.storage.engine import (
    WRITE_LOCK,
    database_backend,
    make_engine,
    make_session_factory,
    read_statement_by_statement,
    sqlite_path,
)
from tradetrace.storage.migrate import current_revision, head_revision, upgrade

__all__ = [
    "WRITE_LOCK",
    "current_revision",
    "database_backend",
    "head_revision",
    "make_engine",
    "make_session_factory",
    "read_statement_by_statement",
    "sqlite_path",
    "upgrade",
]
