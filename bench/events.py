"""EPCIS benchmark: capture throughput and trace latency on a generated supply chain.

    .venv/bin/python bench/events.py [--events 1000000] [--batch 10000] [--postgres URL]
                                     [--workers N] [--only in-process|pipelined]

Prints the machine, then a baseline measured in the same run (``json.loads`` of the document
and one ``executemany`` of the events' JSON into a bare SQLite table), then tradetrace's capture
rate through :func:`tradetrace.workflows.capture.capture_json`, from the document's bytes:
JSON parse, whole-document validation (JSON Schema + CBV + GS1 check digits), CBV 2.0 hash
IDs, deduplication, one ledger append per document (leaf hashes, tiles, bundles, lookup keys,
tree head) and the event and identifier rows, all durable.
The rate is given by the wall clock and per CPU second of the process (on a shared machine the
second says what the code costs, the first what the machine gave it). Documents hold whole
chains, at most ``--batch`` events. Then p50/p99 latency of 1,000 backward traces from finished
coils through the graph (heat -> slabs -> shipment -> coil -> pallet -> shipment), of 1,000
forward traces from heats, and of 200 full trace reports (receipts, ledger digests, mass
balance, custody).

Each database is measured twice, on fresh databases: in process (one ``capture_json`` per
document, as above), then pipelined (:class:`tradetrace.workflows.capture_pipeline.
CapturePipeline`: ``--workers`` processes parse, validate and hash while this process, the
single writer, deduplicates, logs and stores, in document order, and prepares a later document
itself when a worker is late; ``--workers`` defaults to the ``capture_workers`` setting). The
pipelined rate is the wall clock of the whole stream, starting the workers included, and per
CPU second of the writer process alone. Each rate is followed by its ratio to the baseline of
the same run. The documents are generated before either measurement.

Each chain is 12 events: heat commissioning, casting (1 heat -> 3 slabs), slab shipping and
receiving, hot rolling (slab -> coil), packing onto a pallet, pallet shipping and receiving,
unpacking, coil shipping and receiving, and an inspection.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy
from _machine import describe

from tradetrace import storage
from tradetrace.config import Settings
from tradetrace.events.identifiers import gs1_check_digit
from tradetrace.events.trace import Direction, trace
from tradetrace.ledger import notekeys
from tradetrace.storage.events import EventRepository
from tradetrace.types import Did
from tradetrace.workflows import capture, capture_pipeline
from tradetrace.workflows.ledger import LedgerService
from tradetrace.workflows.trace import RepositorySource, trace_identifier

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
START = datetime(2026, 1, 1, tzinfo=UTC)
ORIGIN = "bench.tradetrace/log"


def _check(body: str) -> str:
    return body + str(gs1_check_digit(body))


GTINS = [_check(f"075400000{n:04d}") for n in range(4)]
GLNS = [_check(f"07540000{n:04d}") for n in range(50)]


def _lot(kind: int, code: str) -> str:
    return f"https://id.gs1.org/01/{GTINS[kind]}/10/{code}"


def _event(kind: str, minutes: int, where: str, step: str, **fields: Any) -> dict[str, Any]:
    stamp = (START + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {
        "type": kind,
        "eventTime": stamp,
        "eventTimeZoneOffset": "+00:00",
        "bizStep": step,
        "readPoint": {"id": f"https://id.gs1.org/414/{where}"},
        "bizLocation": {"id": f"https://id.gs1.org/414/{where}"},
        **fields,
    }


def _move(minutes: int, source: str, target: str, what: dict[str, Any], ref: str) -> list[dict]:
    parties = {
        "sourceList": [{"type": "owning_party", "source": f"https://id.gs1.org/417/{source}"}],
        "destinationList": [
            {"type": "owning_party", "destination": f"https://id.gs1.org/417/{target}"}
        ],
        "bizTransactionList": [{"type": "bol", "bizTransaction": f"urn:bol:{ref}"}],
    }
    return [
        _event("ObjectEvent", minutes, source, "shipping", action="OBSERVE", **what, **parties),
        _event(
            "ObjectEvent", minutes + 90, target, "receiving", action="OBSERVE", **what, **parties
        ),
    ]


def chain(number: int) -> tuple[list[dict[str, Any]], str]:
    """The 12 events of one heat-to-customer chain, and its coil (the finished item)."""
    rng = random.Random(number)
    mill, roller, customer = (GLNS[rng.randrange(len(GLNS))] for _ in range(3))
    t = number * 7 % 500_000
    heat, coil = _lot(0, f"H{number}"), _lot(2, f"C{number}")
    slabs = [_lot(1, f"S{number}-{k}") for k in range(3)]
    pallet = f"https://id.gs1.org/00/{_check(f'0754000{number:010d}')}"

    def q(lot: str, tonnes: float) -> dict[str, Any]:
        return {"epcClass": lot, "quantity": tonnes, "uom": "TNE"}

    events = [
        _event("ObjectEvent", t, mill, "commissioning", action="ADD", quantityList=[q(heat, 200)]),
        _event(
            "TransformationEvent",
            t + 60,
            mill,
            "commissioning",
            inputQuantityList=[q(heat, 200)],
            outputQuantityList=[q(slab, 65) for slab in slabs],
        ),
        *_move(t + 120, mill, roller, {"quantityList": [q(slabs[0], 65)]}, f"S{number}"),
        _event(
            "TransformationEvent",
            t + 300,
            roller,
            "commissioning",
            inputQuantityList=[q(slabs[0], 65)],
            outputQuantityList=[q(coil, 64)],
        ),
        _event(
            "AggregationEvent",
            t + 320,
            roller,
            "packing",
            action="ADD",
            parentID=pallet,
            childQuantityList=[q(coil, 64)],
        ),
        *_move(t + 400, roller, customer, {"epcList": [pallet]}, f"P{number}"),
        _event(
            "AggregationEvent",
            t + 600,
            customer,
            "unpacking",
            action="DELETE",
            parentID=pallet,
            childQuantityList=[q(coil, 64)],
        ),
        *_move(t + 700, customer, customer, {"quantityList": [q(coil, 64)]}, f"C{number}"),
        _event(
            "ObjectEvent",
            t + 900,
            customer,
            "inspecting",
            action="OBSERVE",
            quantityList=[q(coil, 64)],
        ),
    ]
    return events, coil


def _document(events: list[dict[str, Any]]) -> bytes:
    document = {
        "@context": [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-27T12:00:00Z",
        "epcisBody": {"eventList": events},
    }
    return json.dumps(document).encode()


SUBMITTER = Did("did:web:bench.example")


def documents(total: int, batch: int) -> Iterator[tuple[bytes, list[str]]]:
    """Capture documents of whole chains, at most ``batch`` events each (as JSON bytes), with
    their finished coils."""
    events: list[dict[str, Any]] = []
    coils: list[str] = []
    for number in range(-(-total // 12)):
        more, coil = chain(number)
        if events and len(events) + len(more) > batch:
            yield _document(events), coils
            events, coils = [], []
        events += more
        coils.append(coil)
    if events:
        yield _document(events), coils


def baseline(docs: list[bytes]) -> float:
    """Bare loop: json.loads + one executemany of (id, JSON) rows into SQLite, committed."""
    with tempfile.TemporaryDirectory() as directory:
        db = sqlite3.connect(Path(directory) / "baseline.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE event (id INTEGER PRIMARY KEY, document TEXT)")
        count = 0
        start = time.perf_counter()
        for text in docs:
            events = json.loads(text)["epcisBody"]["eventList"]
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "INSERT INTO event (document) VALUES (?)", [(json.dumps(e),) for e in events]
            )
            db.execute("COMMIT")
            count += len(events)
        elapsed = time.perf_counter() - start
        db.close()
    return count / elapsed


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.99) - 1)]


def _timed(action: Callable[[], object], into: list[float]) -> Any:
    begin = time.perf_counter()
    result = action()
    into.append((time.perf_counter() - begin) * 1000)
    return result


def _heats(coils: list[str]) -> list[str]:
    return [coil.replace(f"/01/{GTINS[2]}/10/C", f"/01/{GTINS[0]}/10/H") for coil in coils]


def capture_all(
    repository: EventRepository, ledger: LedgerService, docs: list[tuple[bytes, list[str]]]
) -> tuple[dict[str, float], list[str], list[str]]:
    """Capture the generated documents in process, parsed from bytes as the API and CLI do;
    the rates (wall clock and CPU time of this process) and the finished coils and heats."""
    coils: list[str] = []
    captured, busy, cpu = 0, 0.0, 0.0
    for text, more in docs:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        job = capture.capture_json(repository, ledger, text, submitter=SUBMITTER, now=START)
        busy += time.perf_counter() - begin
        cpu += time.process_time() - begin_cpu
        assert job.success, job.errors[:3]
        captured += job.captured_count
        coils += more
        if captured // 100_000 != (captured - job.captured_count) // 100_000:
            print(f"  {captured:>9,} events: {captured / busy:,.0f} events/s", flush=True)
    rates = {"rate": captured / busy, "cpu_rate": captured / cpu, "events": captured}
    return rates, coils, _heats(coils)


def capture_pipelined(
    repository: EventRepository,
    ledger: LedgerService,
    docs: list[tuple[bytes, list[str]]],
    workers: int,
) -> tuple[dict[str, float], list[str], list[str]]:
    """Capture the generated documents through a capture pipeline of ``workers`` processes;
    the rates (wall clock of the stream, CPU time of the writer process) and coils, heats."""
    coils = [coil for _, more in docs for coil in more]
    captured = 0
    begin, begin_cpu = time.perf_counter(), time.process_time()
    jobs = capture_pipeline.capture_stream(
        repository,
        ledger,
        (text for text, _ in docs),
        workers=workers,
        submitter=SUBMITTER,
        clock=lambda: START,
    )
    for job in jobs:
        assert job.success, job.errors[:3]
        captured += job.captured_count
        if captured // 100_000 != (captured - job.captured_count) // 100_000:
            elapsed = time.perf_counter() - begin
            print(f"  {captured:>9,} events: {captured / elapsed:,.0f} events/s", flush=True)
    busy, cpu = time.perf_counter() - begin, time.process_time() - begin_cpu
    rates = {"rate": captured / busy, "cpu_rate": captured / cpu, "events": captured}
    return rates, coils, _heats(coils)


def product(
    url: str, docs: list[tuple[bytes, list[str]]], tiles: Path, workers: int | None
) -> dict[str, float]:
    """Capture through the product (in process, or pipelined with ``workers``), then trace
    latencies; returns the figures."""
    engine = storage.make_engine(url)
    storage.upgrade(engine)
    ledger = LedgerService(
        engine,
        signer=notekeys.Ed25519Signer.generate(ORIGIN),
        tiles_dir=tiles,
        clock=lambda: datetime.now(UTC),
    )
    repository = EventRepository(engine)
    if workers is None:
        figures, coils, heats = capture_all(repository, ledger, docs)
    else:
        figures, coils, heats = capture_pipelined(repository, ledger, docs, workers)
    ledger.publish()
    rng = random.Random(7)
    source = RepositorySource(repository)
    backward: list[float] = []
    for coil in rng.sample(coils, min(1000, len(coils))):
        graph = _timed(lambda coil=coil: trace(source, coil, Direction.BACKWARD), backward)
        assert len(graph.events) >= 9, len(graph.events)
    forward: list[float] = []
    for heat in rng.sample(heats, min(1000, len(heats))):
        graph = _timed(lambda heat=heat: trace(source, heat, Direction.FORWARD), forward)
        assert len(graph.events) >= 9, len(graph.events)
    reports: list[float] = []
    for coil in rng.sample(coils, min(200, len(coils))):
        report = _timed(lambda coil=coil: trace_identifier(engine, ledger, coil), reports)
        assert not report.findings, report.findings[:2]
    engine.dispose()
    for name, samples in (("backward", backward), ("forward", forward), ("report", reports)):
        figures[f"{name}_p50"], figures[f"{name}_p99"] = _percentiles(samples)
    return figures


def _report(figures: dict[str, float]) -> None:
    for label, key in (
        ("backward trace graph", "backward"),
        ("forward trace graph", "forward"),
        ("full trace report", "report"),
    ):
        print(f"  {label}: p50 {figures[key + '_p50']:.2f} ms, p99 {figures[key + '_p99']:.2f} ms")
    print(f"  after: {describe()}")


@contextmanager
def scratch_database(url: str | None, directory: str) -> Iterator[str]:
    """An empty database for one measurement: a SQLite file in ``directory``, or a schema of its
    own in the PostgreSQL database at ``url``, dropped afterwards (each measurement captures the
    same events, which would otherwise all be duplicates the second time)."""
    if url is None:
        yield f"sqlite:///{directory}/bench.db"
        return
    schema = f"bench_{uuid.uuid4().hex[:16]}"
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--postgres", help="PostgreSQL URL (a scratch schema is used)")
    parser.add_argument(
        "--workers",
        type=int,
        default=Settings().effective_capture_workers,
        help="worker processes of the pipelined capture (default: the capture_workers setting)",
    )
    parser.add_argument("--only", choices=("in-process", "pipelined"), help="one measurement")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    docs = list(documents(args.events, args.batch))
    sample = [text for text, _ in documents(min(args.events, 100_000), args.batch)]
    base = baseline(sample)
    print(f"baseline json.loads + SQLite executemany: {base:>10,.0f} events/s")
    targets = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    for name, url in targets:
        if args.only != "pipelined":
            with (
                tempfile.TemporaryDirectory() as directory,
                scratch_database(url, directory) as database,
            ):
                figures = product(database, docs, Path(directory) / "tiles", None)
            print(
                f"tradetrace capture on {name}: {figures['rate']:>10,.0f} events/s"
                f" ({figures['cpu_rate']:,.0f} events per CPU second;"
                f" {figures['events']:,.0f} events in documents of {args.batch:,},"
                " parse + validate + hash + store + log)"
            )
            print(f"  in process: {figures['rate'] / base:.2f}x the baseline ({base:,.0f}/s)")
            _report(figures)
        if args.only != "in-process":
            with (
                tempfile.TemporaryDirectory() as directory,
                scratch_database(url, directory) as database,
            ):
                figures = product(database, docs, Path(directory) / "tiles", args.workers)
            print(
                f"tradetrace pipelined capture on {name} ({args.workers} workers):"
                f" {figures['rate']:>10,.0f} events/s"
                f" ({figures['cpu_rate']:,.0f} events per CPU second of the writer;"
                f" {figures['events']:,.0f} events in documents of {args.batch:,})"
            )
            print(f"  pipelined: {figures['rate'] / base:.2f}x the baseline ({base:,.0f}/s)")
            _report(figures)


if __name__ == "__main__":
    main()
