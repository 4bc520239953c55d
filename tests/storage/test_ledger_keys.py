"""The lookup-key index as sorted runs, and the publisher's range reads (SQLite, PostgreSQL)."""

import pytest
from sqlalchemy import func, select, text

from tradetrace import storage
from tradetrace.errors import NotFound
from tradetrace.ledger import notekeys
from tradetrace.ledger.log import TransparencyLog
from tradetrace.ledger.tiles import tiles_since
from tradetrace.storage.ledger import SqlLogStore
from tradetrace.storage.ledger_keys import KeyIndex, key_digest
from tradetrace.storage.tables import LogKeyChunkRow, LogKeyRunRow

ORIGIN = "tradetrace.test/log"


@pytest.fixture
def log_and_store(engine):
    store = SqlLogStore(engine)
    log = TransparencyLog(store, origin=ORIGIN, signer=notekeys.Ed25519Signer.generate(ORIGIN))
    return log, store


def _runs(engine):
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(LogKeyRunRow)).scalar()


def test_lookups_find_every_entry_across_runs_and_merges(engine, log_and_store):
    log, store = log_and_store
    expected: dict[str, list[int]] = {}
    for batch in range(20):
        keys = [f"doc-{(batch * 7 + number) % 45}" for number in range(batch + 1)]
        first = log.append([f"{batch}.{n}".encode() for n in range(len(keys))], keys=keys)
        for offset, key in enumerate(keys):
            expected.setdefault(key, []).append(first + offset)
    assert _runs(engine) == 20
    assert {key: store.entries_with_key(key) for key in expected} == expected
    # Runs of 1-7 keys are one size class (7 runs: left alone), runs of 8-20 the next (merged).
    assert store.compact_keys() == 1
    assert _runs(engine) == 8
    assert store.compact_keys() == 0  # nothing left to merge
    assert {key: store.entries_with_key(key) for key in expected} == expected
    assert store.entries_with_key("never logged") == []


def test_one_key_logged_more_often_than_a_chunk_holds_stays_in_one_chunk(engine, log_and_store):
    log, store = log_and_store
    keys = ["popular"] * 2500 + [f"k{number}" for number in range(1500)]
    log.append([b"e%d" % number for number in range(len(keys))], keys=keys)
    assert store.entries_with_key("popular") == list(range(2500))
    assert store.entries_with_key("k1499") == [3999]
    with engine.connect() as connection:
        chunks = connection.execute(select(LogKeyChunkRow.low, LogKeyChunkRow.data)).all()
    holding = [low for low, data in chunks if key_digest("popular") in bytes(data)]
    assert len(holding) == 1


def test_a_merge_raced_by_another_process_is_dropped(engine, log_and_store):
    log, store = log_and_store
    for batch in range(8):
        log.append([b"x%d" % batch], keys=[f"key-{batch}"])
    writer = engine.execution_options(**storage.WRITE_LOCK)
    slow, fast = KeyIndex(engine, writer), KeyIndex(engine, writer)
    planned = slow._plan()
    assert planned is not None
    assert fast.compact() == 1
    assert slow._apply(*planned) is False  # its runs are gone: nothing is written twice
    assert [store.entries_with_key(f"key-{batch}") for batch in range(8)] == [[n] for n in range(8)]
    assert _runs(engine) == 1


def test_resources_since_are_the_new_tiles_at_their_widths(engine, log_and_store):
    log, store = log_and_store
    for start in range(0, 70_000, 9_000):
        count = min(9_000, 70_000 - start)
        log.append([b"%d" % number for number in range(start, start + count)])
    for old, new in [(0, 70_000), (65_000, 66_000), (256, 513), (100, 100), (3, 65_536)]:
        found = store.resources_since(old, new)
        expected_tiles = tiles_since(old, new)
        tile_paths = [tile.path for tile in expected_tiles]
        bundle_paths = [
            tile.path.replace("tile/0/", "tile/entries/")
            for tile in expected_tiles
            if tile.level == 0
        ]
        assert [path for path, _ in found] == tile_paths + bundle_paths
        assert all(data == store.read(path) for path, data in found)
    with pytest.raises(NotFound, match=r"no log resource tile/0/273.p/113") as caught:
        store.resources_since(0, 70_001)
    assert caught.value.code == "not_found"


def test_migration_moves_existing_keys_into_one_run(database_url, settings):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = storage.make_engine(database_url)
    try:
        storage.upgrade(engine, "0004")
        rows = [{"lookup_key": f"k{n % 700}", "leaf_index": n} for n in range(3000)]
        with engine.begin() as connection:
            old = text("INSERT INTO log_entry_key (lookup_key, leaf_index) VALUES (:k, :i)")
            connection.execute(
                old, [{"k": row["lookup_key"], "i": row["leaf_index"]} for row in rows]
            )
        storage.upgrade(engine)
        store = SqlLogStore(engine)
        assert store.entries_with_key("k5") == [5, 705, 1405, 2105, 2805]
        assert _runs(engine) == 1
    finally:
        engine.dispose()
