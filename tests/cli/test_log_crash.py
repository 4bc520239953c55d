"""The log under real processes: kill -9 during heavy appends, and two servers on one database."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.cli.servers import ServerPool
from tradetrace.ledger import audit, notekeys
from tradetrace.workflows.audit import HttpReader

TOKEN = "crash-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def servers(tmp_path):
    pool = ServerPool(tmp_path)
    yield pool
    pool.stop_all()


def _load(bases: list[str], stop: threading.Event, acked: dict[int, bytes], workers: int = 6):
    """Post records until ``stop``; remember what each acknowledged index holds."""
    lock = threading.Lock()

    def worker(number: int) -> None:
        base = bases[number % len(bases)]
        with httpx.Client(timeout=10) as client:
            counter = 0
            while not stop.is_set():
                counter += 1
                body = {
                    "kind": "epcis.event",
                    "digest": f"{number:08x}{counter:056x}",
                    "submitter": "did:web:load.example",
                    "ref": f"urn:load:{number}:{counter}",
                }
                try:
                    response = client.post(f"{base}/log/add", json=body, headers=AUTH)
                except httpx.TransportError:
                    return  # the server died: this request was never acknowledged
                if response.status_code == 201:
                    with lock:
                        acked[response.json()["index"]] = response.json()["entry"].encode()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    return threads


def _collect_checkpoints(base: str, stop: threading.Event, seen: list[str]) -> threading.Thread:
    def poll() -> None:
        while not stop.is_set():
            try:
                response = httpx.get(f"{base}/log/checkpoint", timeout=2)
            except httpx.TransportError:
                return
            if response.status_code == 200 and response.text not in seen:
                seen.append(response.text)
            time.sleep(0.05)

    thread = threading.Thread(target=poll)
    thread.start()
    return thread


def _verify_everything(base: str, vkey: str, acked: dict[int, bytes], checkpoints: list[str]):
    verifier = notekeys.verifier_from_vkey(vkey)
    final = httpx.get(f"{base}/log/checkpoint").text
    with httpx.Client(timeout=30) as client:
        reader = HttpReader(client, f"{base}/log")
        result = audit.audit_log(
            reader, [*checkpoints, final], origin=verifier.name, verifiers=[verifier]
        )
        for index, entry in acked.items():
            bundle = reader.read(f"tile/entries/{_bundle_path(index, result.sizes[-1])}")
            assert _entries(bundle)[index % 256] == entry, f"acknowledged entry {index} lost"
    return result


def _bundle_path(index: int, size: int) -> str:
    from tradetrace.ledger.tiles import BundleId

    number = index // 256
    width = min(256, size - number * 256)
    return BundleId(number, width).path.removeprefix("tile/entries/")


def _entries(bundle: bytes) -> list[bytes]:
    from tradetrace.ledger.tiles import parse_entry_bundle

    return parse_entry_bundle(bundle)


def test_kill_9_during_heavy_appends_loses_nothing_acknowledged(servers, tmp_path, database_url):
    data_dir = tmp_path / "node"
    first = servers.start(
        data_dir, database_url, log_add_token=TOKEN, log_origin="tradetrace.test/log"
    )
    stop, acked, checkpoints = threading.Event(), {}, []
    threads = _load([first.base], stop, acked)
    poller = _collect_checkpoints(first.base, stop, checkpoints)
    time.sleep(3)
    first.kill()
    stop.set()
    for thread in [*threads, poller]:
        thread.join()
    assert len(acked) > 20, "the load generator hardly ran"
    assert checkpoints, "no checkpoint was published before the crash"

    second = servers.start(
        data_dir, database_url, log_add_token=TOKEN, log_origin="tradetrace.test/log"
    )
    vkey = (data_dir / "keys" / "log.skey").read_text()
    vkey = notekeys.Ed25519Signer.from_skey(vkey.strip()).verifier().vkey
    response = httpx.post(
        f"{second.base}/log/add?wait=true",
        json={"kind": "epcis.event", "digest": "f" * 64, "submitter": "did:web:x", "ref": "after"},
        headers=AUTH,
        timeout=30,
    )
    assert response.status_code == 201
    acked[response.json()["index"]] = response.json()["entry"].encode()
    result = _verify_everything(second.base, vkey, acked, checkpoints)
    assert result.sizes[-1] >= len(acked)
    second.stop()


def test_two_servers_on_one_database_append_into_one_log(servers, tmp_path, database_url):
    data_dir = tmp_path / "node"
    one = servers.start(
        data_dir, database_url, log_add_token=TOKEN, log_origin="tradetrace.test/log"
    )
    two = servers.start(
        data_dir, database_url, log_add_token=TOKEN, log_origin="tradetrace.test/log"
    )
    stop, acked = threading.Event(), {}
    threads = _load([one.base, two.base], stop, acked)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join()
    assert len(acked) > 20
    time.sleep(1.5)  # let the publisher sign the final size
    vkey = notekeys.Ed25519Signer.from_skey((data_dir / "keys" / "log.skey").read_text().strip())
    result = _verify_everything(one.base, vkey.verifier().vkey, acked, [])
    assert result.sizes[-1] == len(acked)
    assert (
        httpx.get(f"{two.base}/log/checkpoint").text == httpx.get(f"{one.base}/log/checkpoint").text
    )
    one.stop()
    two.stop()
