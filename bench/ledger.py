"""Ledger benchmark: sustained appends with durable checkpoints, and inclusion-proof latency.

    .venv/bin/python bench/ledger.py [--entries 1000000] [--postgres URL] [--batch 8192]

Prints the machine, then for SQLite (and PostgreSQL when given) the sustained append rate
through the product's sequencer (atomic batch: leaf hashes, tiles, bundles, lookup keys and the
tree head in one transaction; a signed checkpoint published every second by a second thread),
next to a baseline measured in the same run: a bare batched SQLite loop of leaf hash + compact
tree + one insert per entry + a signed head per batch. Then p50/p99 inclusion-proof latency at
the final size, read through the store as the API does, the time to merge the lookup-key runs
(the publisher does this in the background) and p50/p99 latency of a lookup by key.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from _machine import describe
from sqlalchemy import text

from tradetrace import storage
from tradetrace.ledger import compact, notekeys
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.workflows.ledger import LedgerService

ORIGIN = "bench.tradetrace/log"


def _records(count: int) -> list[tuple[bytes, str]]:
    now = datetime(2026, 11, 27, tzinfo=UTC)
    out = []
    for number in range(count):
        record = LogRecord(
            kind=RecordKind.CREDENTIAL_ISSUED,
            digest=hashlib.sha256(number.to_bytes(8, "big")).hexdigest(),
            submitter="did:web:mill.example.com",
            time=now,
            ref=f"urn:uuid:{number:032x}",
        )
        out.append((record.to_bytes(), record.digest))
    return out


def baseline_sqlite(entries: list[tuple[bytes, str]], batch: int) -> float:
    """Bare loop: leaf hash + compact range + insert + signed head per batch, on sqlite3."""
    signer = notekeys.Ed25519Signer.generate(ORIGIN)
    with tempfile.TemporaryDirectory() as directory:
        db = sqlite3.connect(Path(directory) / "baseline.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE leaf (idx INTEGER PRIMARY KEY, hash BLOB, entry BLOB)")
        db.execute("CREATE TABLE head (id INTEGER PRIMARY KEY, size INTEGER, root BLOB, sig BLOB)")
        edge = compact.CompactRange()
        start = time.perf_counter()
        for offset in range(0, len(entries), batch):
            chunk = entries[offset : offset + batch]
            rows = []
            for number, (entry, _) in enumerate(chunk, start=offset):
                leaf = hashlib.sha256(b"\x00" + entry).digest()
                edge.append(leaf)
                rows.append((number, leaf, entry))
            root = edge.root()
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO leaf VALUES (?, ?, ?)", rows)
            db.execute(
                "INSERT OR REPLACE INTO head VALUES (1, ?, ?, ?)",
                (edge.size, root, signer.sign(root)),
            )
            db.execute("COMMIT")
        elapsed = time.perf_counter() - start
        db.close()
    return len(entries) / elapsed


def product(
    url: str, entries: list[tuple[bytes, str]], batch: int, tiles_dir: Path
) -> dict[str, float]:
    """Appends through LedgerService with a publisher thread; then inclusion-proof latency."""
    engine = storage.make_engine(url)
    storage.upgrade(engine)
    signer = notekeys.Ed25519Signer.generate(ORIGIN)
    ledger = LedgerService(
        engine, signer=signer, tiles_dir=tiles_dir, clock=lambda: datetime.now(UTC)
    )
    stop = threading.Event()
    published = []

    def publish() -> None:
        while not stop.wait(1.0):
            signed = ledger.publish()
            if signed is not None:
                published.append(signed.checkpoint.size)

    publisher = threading.Thread(target=publish)
    publisher.start()
    start = time.perf_counter()
    for offset in range(0, len(entries), batch):
        chunk = entries[offset : offset + batch]
        ledger.log.append([entry for entry, _ in chunk], keys=[key for _, key in chunk])
    elapsed = time.perf_counter() - start
    stop.set()
    publisher.join()
    final = ledger.publish() or ledger.latest_checkpoint()
    assert final is not None and final.checkpoint.size == len(entries)
    latencies = []
    step = max(1, len(entries) // 2000)
    for index in range(0, len(entries), step):
        begin = time.perf_counter()
        ledger.log.prove(index, final)
        latencies.append((time.perf_counter() - begin) * 1000)
    latencies.sort()
    begin = time.perf_counter()
    ledger.store.compact_keys()
    merging = time.perf_counter() - begin
    lookups = []
    for index in range(0, len(entries), step):
        begin = time.perf_counter()
        assert ledger.store.entries_with_key(entries[index][1]) == [index]
        lookups.append((time.perf_counter() - begin) * 1000)
    lookups.sort()
    engine.dispose()
    return {
        "rate": len(entries) / elapsed,
        "checkpoints": len(published) + 1,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "merge": merging,
        "lookup50": statistics.median(lookups),
        "lookup99": lookups[int(len(lookups) * 0.99) - 1],
    }


def _report(name: str, figures: dict[str, float], base: float) -> None:
    print(
        f"tradetrace on {name + ':':<15} {figures['rate']:>10,.0f} entries/s "
        f"({figures['rate'] / base:.2f}x baseline), {figures['checkpoints']:.0f} checkpoints; "
        f"inclusion proof p50 {figures['p50']:.2f} ms, p99 {figures['p99']:.2f} ms; "
        f"key runs merged in {figures['merge']:.1f} s, lookup p50 {figures['lookup50']:.2f} ms, "
        f"p99 {figures['lookup99']:.2f} ms"
    )


def _postgres_scratch(url: str) -> str:
    engine = storage.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS bench_ledger CASCADE"))
        connection.execute(text("CREATE SCHEMA bench_ledger"))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3Dbench_ledger"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=8192)
    parser.add_argument("--postgres", help="PostgreSQL URL (a scratch schema is used)")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    entries = _records(args.entries)
    print(f"entries: {args.entries:,}, ~{len(entries[0][0])} bytes each, batch {args.batch}")
    base = baseline_sqlite(entries, args.batch)
    print(f"baseline bare SQLite loop:      {base:>10,.0f} entries/s")
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/bench.db"
        figures = product(url, entries, args.batch, Path(directory) / "tiles")
    _report("SQLite", figures, base)
    if args.postgres:
        with tempfile.TemporaryDirectory() as directory:
            pg = product(_postgres_scratch(args.postgres), entries, args.batch, Path(directory))
        _report("PostgreSQL", pg, base)


if __name__ == "__main__":
    main()
