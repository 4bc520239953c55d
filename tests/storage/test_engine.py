import sqlite3

import pytest
from sqlalchemy import text

from tradetrace import storage
from tradetrace.errors import ConfigurationError


def test_sqlite_engine_uses_wal_and_foreign_keys(tmp_path):
    engine = storage.make_engine(f"sqlite:///{tmp_path}/x.db")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_new_sqlite_database_gets_large_pages_cache_and_checkpoints(tmp_path):
    engine = storage.make_engine(f"sqlite:///{tmp_path}/x.db")
    try:
        with engine.connect() as connection:
            pragma = {
                name: connection.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("page_size", "cache_size", "wal_autocheckpoint")
            }
        assert pragma == {"page_size": 16384, "cache_size": -65536, "wal_autocheckpoint": 4096}
    finally:
        engine.dispose()


def test_existing_sqlite_database_keeps_its_page_size(tmp_path):
    existing = sqlite3.connect(tmp_path / "old.db")
    existing.execute("PRAGMA journal_mode=WAL")
    existing.execute("CREATE TABLE t (x INTEGER)")
    existing.close()
    engine = storage.make_engine(f"sqlite:///{tmp_path}/old.db")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA page_size")).scalar() == 4096
    finally:
        engine.dispose()


def test_plain_postgresql_url_uses_psycopg():
    engine = storage.make_engine("postgresql://postgres@127.0.0.1:5432/test")
    try:
        assert engine.url.drivername == "postgresql+psycopg"
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [("mysql://u@h/db", "unsupported database backend 'mysql'"), ("::nope", "malformed")],
)
def test_database_backend_rejects_other_databases(url, message):
    with pytest.raises(ConfigurationError, match=message) as caught:
        storage.database_backend(url)
    assert caught.value.code == "configuration_error"


def test_sqlite_path_of_urls(tmp_path):
    assert storage.sqlite_path(f"sqlite:///{tmp_path}/a/b.db") == tmp_path / "a" / "b.db"
    assert storage.sqlite_path("sqlite://") is None
    assert storage.sqlite_path("sqlite:///:memory:") is None
    assert storage.sqlite_path("postgresql://u@h/db") is None


def test_sqlite_readers_do_not_wait_for_a_writer(tmp_path):
    engine = storage.make_engine(f"sqlite:///{tmp_path}/x.db")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        writer = engine.execution_options(**storage.WRITE_LOCK)
        with writer.begin() as holding:
            holding.execute(text("INSERT INTO t VALUES (1)"))
            with engine.connect() as reader:
                assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 0
    finally:
        engine.dispose()


def test_read_statement_by_statement_runs_each_read_on_its_own_on_postgresql(engine):
    """On PostgreSQL the session's statements each run in their own transaction (now() moves
    between them; inside one transaction it is the transaction's start); on SQLite the session
    keeps its one read transaction (a write committed meanwhile is not seen)."""
    sessions = storage.make_session_factory(engine, write=False)
    with sessions() as session:
        storage.read_statement_by_statement(session)
        if engine.dialect.name == "postgresql":
            first = session.execute(text("SELECT clock_timestamp(), now()")).one()
            second = session.execute(text("SELECT now()")).scalar_one()
            assert second > first[1] and second >= first[0]
            assert session.connection().connection.dbapi_connection.autocommit is True
        else:
            before = session.execute(text("SELECT count(*) FROM organisation")).scalar_one()
            with engine.begin() as writer:
                writer.execute(
                    text(
                        "INSERT INTO organisation (slug, name, country, roles, created_at)"
                        " VALUES ('x', 'X', 'US', '[]', '2026-11-27 12:00:00')"
                    )
                )
            after = session.execute(text("SELECT count(*) FROM organisation")).scalar_one()
            assert before == after == 0
    with sessions() as fresh:  # the pooled connection is back to transactions
        if engine.dialect.name == "postgresql":
            fresh.execute(text("SELECT 1"))
            assert fresh.connection().connection.dbapi_connection.autocommit is False
