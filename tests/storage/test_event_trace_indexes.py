"""Migration 0011: events get a unique digest key, the event key becomes the SQLite rowid,
unused event indexes go; and back."""

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from tradetrace import storage
from tradetrace.storage import migrate

STAMP = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine_at_0010(database_url, settings):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = storage.make_engine(database_url)
    storage.upgrade(engine, "0010")
    yield engine
    engine.dispose()


def _insert_events(engine: Engine) -> None:
    with engine.begin() as connection:
        for index in (3, 7):
            connection.execute(
                text(
                    "INSERT INTO epcis_event (ledger_index, hash_id, event_type, action,"
                    " event_time, record_time, biz_step, capture_id, submitter, document)"
                    " VALUES (:index, :hash_id, 'ObjectEvent', 'OBSERVE', :at, :at, 'shipping',"
                    " 'c-1', 'did:web:mill.example', '{}')"
                ),
                {"index": index, "hash_id": f"ni:///sha-256;{index:064x}?ver=CBV2.0", "at": STAMP},
            )
            connection.execute(
                text(
                    "INSERT INTO epcis_event_identifier"
                    " (identifier, event_index, role, is_class, quantity, uom)"
                    " VALUES ('https://id.gs1.org/01/09521234543213/10/L1', :index, 'quantity',"
                    " :yes, 2.5, 'KGM')"
                ),
                {"index": index, "yes": True},
            )


def _rows(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT e.ledger_index, e.hash_id, i.identifier, i.quantity FROM epcis_event e"
                    " JOIN epcis_event_identifier i ON i.event_index = e.ledger_index"
                    " ORDER BY e.ledger_index"
                )
            )
        ]


def _event_indexes(engine: Engine) -> set[str]:
    return {index["name"] for index in inspect(engine).get_indexes("epcis_event")}


def test_upgrade_keeps_events_and_drops_unused_indexes(engine_at_0010):
    _insert_events(engine_at_0010)
    before = _rows(engine_at_0010)
    assert {"ix_epcis_event_event_type", "ix_epcis_event_capture_id"} <= _event_indexes(
        engine_at_0010
    )
    uniques = inspect(engine_at_0010).get_unique_constraints("epcis_event")
    assert [unique["column_names"] for unique in uniques] == [["hash_id"]]
    storage.upgrade(engine_at_0010)
    assert _rows(engine_at_0010) == before
    with engine_at_0010.connect() as connection:
        digests = connection.execute(
            text("SELECT ledger_index, digest FROM epcis_event ORDER BY ledger_index")
        ).all()
    assert [(index, bytes(digest)) for index, digest in digests] == [
        (3, (3).to_bytes(32, "big")),
        (7, (7).to_bytes(32, "big")),
    ]
    indexes = _event_indexes(engine_at_0010)
    assert "ix_epcis_event_event_type" not in indexes
    assert "ix_epcis_event_capture_id" not in indexes
    assert {"ix_epcis_event_event_time", "ix_epcis_event_read_point"} <= indexes
    dialect = engine_at_0010.dialect.name
    partial = {
        index["name"]: str(index["dialect_options"].get(f"{dialect}_where", ""))
        for index in inspect(engine_at_0010).get_indexes("epcis_event")
    }
    for column in ("biz_step", "disposition", "read_point", "biz_location"):
        assert "is not null" in partial[f"ix_epcis_event_{column}"].lower()
    assert partial["ix_epcis_event_event_time"] == ""
    with engine_at_0010.connect() as connection:
        if connection.dialect.name == "sqlite":
            # the key is the rowid: its values are the rowids
            rowids = connection.execute(text("SELECT rowid, ledger_index FROM epcis_event"))
            assert all(rowid == key for rowid, key in rowids)
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        keys = inspect(connection).get_foreign_keys("epcis_event_identifier")
        assert [key["referred_table"] for key in keys] == ["epcis_event"]
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), engine_at_0010.begin() as tx:
        tx.execute(
            text(
                "INSERT INTO epcis_event_identifier (identifier, event_index, role, is_class)"
                " VALUES ('urn:x:orphan', 999, 'epc', :no)"
            ),
            {"no": False},
        )


def test_downgrade_restores_the_indexes_and_keeps_events(engine_at_0010):
    _insert_events(engine_at_0010)
    storage.upgrade(engine_at_0010, "0011")
    before = _rows(engine_at_0010)
    config = migrate._config()
    with engine_at_0010.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    assert _rows(engine_at_0010) == before
    assert {"ix_epcis_event_event_type", "ix_epcis_event_capture_id"} <= _event_indexes(
        engine_at_0010
    )
    uniques = inspect(engine_at_0010).get_unique_constraints("epcis_event")
    assert [unique["column_names"] for unique in uniques] == [["hash_id"]]
