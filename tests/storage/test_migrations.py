from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from tradetrace import storage
from tradetrace.storage.tables import Base


def test_upgrade_reaches_head_and_is_idempotent(engine):
    assert storage.current_revision(engine) == storage.head_revision()
    storage.upgrade(engine)
    assert storage.current_revision(engine) == storage.head_revision()


def test_migrated_schema_matches_table_mappings(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_schema_has_named_constraints(engine):
    inspector = inspect(engine)
    uniques = {item["name"] for item in inspector.get_unique_constraints("organisation_identifier")}
    assert "uq_organisation_identifier_scheme" in uniques


def test_fresh_database_has_no_revision(database_url, settings):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = storage.make_engine(database_url)
    try:
        assert storage.current_revision(engine) is None
    finally:
        engine.dispose()
