"""The running ledger: group commit, publishing under a lease, files, receipts."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import FIXED_NOW
from tests.witnesses import make_witness, witness_client
from tradetrace.errors import ConfigurationError, NotFound
from tradetrace.ledger import notekeys, proof
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.workflows import audit
from tradetrace.workflows.cosigning import Cosigning, WitnessEndpoint
from tradetrace.workflows.ledger import LedgerOptions, LedgerService, load_or_create_log_key

ORIGIN = "tradetrace.test/log"


def _record(number: int) -> LogRecord:
    return LogRecord(
        kind=RecordKind.EPCIS_EVENT,
        digest=f"{number:064x}",
        submitter="did:web:mill.example",
        time=FIXED_NOW,
        ref=f"urn:uuid:{number}",
    )


@pytest.fixture
def make_ledger(engine, tmp_path):
    services = []

    def _make(*, tiles=True, signer=None, cosigning=None, **options):
        service = LedgerService(
            engine,
            signer=signer or notekeys.Ed25519Signer.generate(ORIGIN),
            tiles_dir=tmp_path / "log" if tiles else None,
            clock=lambda: FIXED_NOW,
            options=LedgerOptions(**options),
            cosigning=cosigning,
        )
        services.append(service)
        return service

    yield _make
    for service in services:
        service.stop()


def test_concurrent_submissions_are_group_committed(make_ledger):
    ledger = make_ledger(checkpoint_interval=0.05)
    ledger.start()
    with ThreadPoolExecutor(8) as pool:
        indexes = list(pool.map(ledger.submit, [_record(n) for n in range(200)]))
    assert sorted(indexes) == list(range(200))
    assert ledger.store.entries_with_key(f"{17:064x}") == [indexes[17]]
    with ledger.store.engine.connect() as connection:  # a caller's connection gives the same
        found = ledger.store.entries_with_key(f"{17:064x}", connection=connection)
        assert found == [indexes[17]]
        assert ledger.store.entries_with_key(f"{999:064x}", connection=connection) == []
    receipt = ledger.receipt(indexes[17], wait=5)
    proof.verify_tlog_proof(
        receipt, _record(17).to_bytes(), origin=ORIGIN, verifiers=[ledger.verifier]
    )
    assert ledger.entry(indexes[17]) == _record(17).to_bytes()


def test_published_directory_audits_like_any_tiled_log(make_ledger, tmp_path):
    ledger = make_ledger()
    ledger.append([_record(n) for n in range(300)])
    assert ledger.publish().checkpoint.size == 300
    ledger.append([_record(n) for n in range(300, 333)])
    ledger.publish()
    vkey = ledger.verifier.vkey
    outcome = audit.audit_source(
        audit.DirectoryReader(tmp_path / "log"), vkey=vkey, state_dir=tmp_path / "state"
    )
    assert outcome.result.sizes == (333,)
    ledger.append([_record(999)])
    ledger.publish()
    again = audit.audit_source(
        audit.DirectoryReader(tmp_path / "log"), vkey=vkey, state_dir=tmp_path / "state"
    )
    assert (again.previous_size, again.result.sizes) == (333, (333, 334))


def test_only_the_lease_holder_publishes(make_ledger):
    signer = notekeys.Ed25519Signer.generate(ORIGIN)
    first, second = make_ledger(signer=signer, tiles=False), make_ledger(signer=signer, tiles=False)
    second.append([_record(1)])
    assert first.publish() is not None
    second.append([_record(2)])
    assert second.publish() is None
    assert first.publish().checkpoint.size == 2
    assert first.publish() is None  # nothing new to sign


def test_waiting_for_an_unpublished_entry_times_out(make_ledger):
    ledger = make_ledger()
    with pytest.raises(NotFound, match="entry 0 is not in a published checkpoint yet") as caught:
        ledger.receipt(0, wait=0.05)
    assert caught.value.code == "not_found"
    with pytest.raises(NotFound, match="no log entry 5") as missing:
        ledger.entry(5)
    assert missing.value.code == "not_found"


def test_stop_flushes_and_publishes(make_ledger):
    ledger = make_ledger(checkpoint_interval=60)
    ledger.start()
    ledger.submit(_record(1))
    ledger.stop()
    assert ledger.latest_checkpoint().checkpoint.size == 1
    assert ledger.submit(_record(2)) == 1  # after stop, submissions commit synchronously


def test_log_key_is_created_private_and_reloaded(tmp_path):
    path = tmp_path / "keys" / "log.skey"
    created = load_or_create_log_key(path, ORIGIN)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_log_key(path, ORIGIN).verifier().vkey == created.verifier().vkey
    with pytest.raises(ConfigurationError, match="is for origin") as caught:
        load_or_create_log_key(path, "other.example/log")
    assert caught.value.code == "configuration_error"


def test_published_checkpoints_carry_witness_cosignatures(make_ledger, tmp_path):
    signer = notekeys.Ed25519Signer.generate(ORIGIN)
    witness = make_witness(tmp_path / "witness.json", {ORIGIN: [signer.verifier()]})
    endpoint = WitnessEndpoint.from_setting(f"http://w.test={witness.vkey}")
    cosigning = Cosigning(witness_client({"w.test": witness}), [endpoint])
    ledger = make_ledger(signer=signer, cosigning=cosigning)
    ledger.append([_record(n) for n in range(300)])
    ledger.publish()
    ledger.append([_record(n) for n in range(300, 310)])
    ledger.publish()
    receipt = ledger.receipt(301)
    witness_key = notekeys.verifier_from_vkey(witness.vkey)
    checkpoint = proof.verify_tlog_proof(
        receipt,
        _record(301).to_bytes(),
        origin=ORIGIN,
        verifiers=[ledger.verifier],
        witnesses=[witness_key],
        quorum=1,
    )
    assert checkpoint.size == 310
    published = (tmp_path / "log" / "checkpoint").read_text()
    assert published == ledger.latest_checkpoint().to_text()
    outcome = audit.audit_source(
        audit.DirectoryReader(tmp_path / "log"),
        vkey=ledger.verifier.vkey,
        state_dir=None,
        witnesses=[witness.vkey],
        quorum=1,
    )
    assert outcome.result.sizes == (310,)


def test_tile_directory_resumes_from_its_checkpoint_after_a_restart(make_ledger, tmp_path):
    signer = notekeys.Ed25519Signer.generate(ORIGIN)
    first = make_ledger(signer=signer)
    first.append([_record(n) for n in range(700)])
    first.publish()
    tile = tmp_path / "log" / "tile" / "0" / "000"
    written = tile.stat().st_mtime_ns
    restarted = make_ledger(signer=signer)
    assert restarted._mirror.size == 700
    restarted.append([_record(n) for n in range(700, 720)])
    restarted.publish()
    assert tile.stat().st_mtime_ns == written  # nothing below size 700 was rewritten
    assert sorted(path.name for path in (tmp_path / "log" / "tile" / "entries").iterdir()) == [
        "000",
        "001",
        "002.p",
    ]
    (tmp_path / "log" / "checkpoint").write_text("not a checkpoint\n")
    assert make_ledger(signer=signer)._mirror.size == 0


def test_publisher_merges_lookup_key_runs(make_ledger):
    ledger = make_ledger(checkpoint_interval=0.02)
    for batch in range(9):
        ledger.append([_record(batch * 10 + n) for n in range(10)])
    ledger.start()
    ledger.wait_for_checkpoint(89, timeout=5)
    deadline = time.monotonic() + 5
    while ledger.store._keys._plan() is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ledger.store._keys._plan() is None
    assert ledger.store.entries_with_key(f"{57:064x}") == [57]
