"""The SQL log store on SQLite and PostgreSQL: atomic appends, tiles, keys, leases."""

import threading
from datetime import timedelta

import pytest

from tests.conftest import FIXED_NOW
from tradetrace.ledger import audit, notekeys
from tradetrace.ledger.log import TransparencyLog, TreeHead
from tradetrace.storage.ledger import SqlLogStore

ORIGIN = "tradetrace.test/log"


@pytest.fixture
def signer():
    return notekeys.Ed25519Signer.generate(ORIGIN)


def test_appends_in_batches_audit_from_the_database(engine, signer):
    store = SqlLogStore(engine)
    log = TransparencyLog(store, origin=ORIGIN, signer=signer)
    entries = [f"entry {i}".encode() for i in range(700)]
    for start in range(0, 700, 97):
        log.append(
            entries[start : start + 97],
            keys=[f"k{i}" for i in range(start, start + 97)][: len(entries[start : start + 97])],
        )
    signed = log.sign()
    assert signed.checkpoint.size == 700
    result = audit.audit_log(
        store, [signed.to_text()], origin=ORIGIN, verifiers=[signer.verifier()]
    )
    assert (result.entries, result.bundles) == (700, 3)
    assert store.entries_with_key("k517") == [517]
    assert SqlLogStore(engine).head() == store.head()


def test_concurrent_appenders_build_one_consistent_log(engine, signer):
    logs = [TransparencyLog(SqlLogStore(engine), origin=ORIGIN, signer=signer) for _ in range(3)]
    firsts: list[int] = []

    def append(log, worker):
        for batch in range(10):
            firsts.append(log.append([f"w{worker} b{batch} e{i}".encode() for i in range(7)]))

    threads = [threading.Thread(target=append, args=(log, n)) for n, log in enumerate(logs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(firsts) == list(range(0, 210, 7))
    signed = logs[0].sign()
    audit.audit_log(
        logs[1]._store, [signed.to_text()], origin=ORIGIN, verifiers=[signer.verifier()]
    )


def test_failed_append_rolls_back(engine, signer):
    store = SqlLogStore(engine)
    log = TransparencyLog(store, origin=ORIGIN, signer=signer)
    log.append([b"a"], keys=["first"])
    with (
        pytest.raises(RuntimeError, match="crash mid-append"),
        store.append_transaction() as transaction,
    ):
        transaction.write(head=TreeHead(2, store.head().edge), resources={}, keys=[(1, "second")])
        raise RuntimeError("crash mid-append")
    assert store.entries_with_key("second") == []
    assert store.head().size == 1


def test_checkpoints_keep_the_most_signed_note(engine):
    store = SqlLogStore(engine)
    store.save_checkpoint(3, "body\n\n— a sig\n", now=FIXED_NOW)
    store.save_checkpoint(3, "body\n\n— a sig\n— w cosig\n", now=FIXED_NOW)
    store.save_checkpoint(3, "body\n\n— a other\n", now=FIXED_NOW)
    store.save_checkpoint(1, "small\n\n— a sig\n", now=FIXED_NOW)
    assert store.latest_checkpoint() == "body\n\n— a sig\n— w cosig\n"
    assert [size for size, _, _ in store.checkpoints()] == [3, 1]


def test_lease_is_exclusive_until_it_expires(engine):
    store = SqlLogStore(engine)
    soon = FIXED_NOW + timedelta(seconds=10)
    assert store.acquire_lease("job", "a", now=FIXED_NOW, until=soon)
    assert not store.acquire_lease("job", "b", now=FIXED_NOW, until=soon)
    assert store.acquire_lease("job", "a", now=FIXED_NOW, until=soon)
    assert store.acquire_lease("job", "b", now=soon, until=soon + timedelta(seconds=10))
    store.release_lease("job", "b")
    assert store.acquire_lease("job", "c", now=FIXED_NOW, until=soon)
