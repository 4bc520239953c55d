"""The running ledger: group-committing sequencer, checkpoint publisher and tile files.

Submitters hand in records and wait for their batch to commit (group commit): one database
transaction sequences up to ``batch_size`` entries. A publisher signs a checkpoint at least every
``checkpoint_interval`` seconds while the tree grows: it writes the new tiles and entry bundles
under the tlog-tiles layout (:mod:`.tilemirror`), collects witness cosignatures
(:mod:`.cosigning`, C2SP tlog-witness), then writes the ``checkpoint`` file and stores the
cosigned checkpoint. Only the holder of the ``log-publisher`` lease publishes; any process may
sequence, because appends serialize on the tree-head lock in the database.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from tradetrace.errors import ConfigurationError, NotFound
from tradetrace.ledger import checkpoint as ledger_checkpoint
from tradetrace.ledger import log as ledger_log
from tradetrace.ledger import notekeys, proof, tiles
from tradetrace.ledger.record import LogRecord
from tradetrace.storage.ledger import SqlLogStore
from tradetrace.workflows.cosigning import Cosigning
from tradetrace.workflows.tilemirror import TileMirror

__all__ = [
    "LedgerOptions",
    "LedgerService",
    "ReceiptCheck",
    "check_receipt",
    "load_or_create_log_key",
]

_logger = logging.getLogger(__name__)
_LEASE = "log-publisher"


@dataclass(frozen=True, slots=True)
class LedgerOptions:
    """Tuning of the sequencer and publisher."""

    batch_size: int = 4096
    max_batch_delay: float = 0.01
    checkpoint_interval: float = 1.0
    lease_seconds: float = 10.0


def load_or_create_log_key(path: Path, origin: str) -> notekeys.Ed25519Signer:
    """The log's checkpoint signing key from ``path`` (Go note ``PRIVATE+KEY`` text), created
    with mode 0600 when missing. Its name must be the log origin (C2SP tlog-checkpoint)."""
    if path.exists():
        signer = notekeys.Ed25519Signer.from_skey(path.read_text().strip())
        if signer.name != origin:
            raise ConfigurationError(
                f"log key {path} is for origin {signer.name!r}, expected {origin!r}"
            )
        return signer
    signer = notekeys.Ed25519Signer.generate(origin)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(signer.export_skey() + "\n")
    return signer


class LedgerService:
    """The ledger of one node: sequencing, publishing and receipts."""

    def __init__(
        self,
        engine: Engine,
        *,
        signer: notekeys.Ed25519Signer,
        tiles_dir: Path | None,
        clock: Callable[[], datetime],
        options: LedgerOptions | None = None,
        cosigning: Cosigning | None = None,
    ) -> None:
        self.store = SqlLogStore(engine)
        self.log = ledger_log.TransparencyLog(self.store, origin=signer.name, signer=signer)
        self.verifier = signer.verifier()
        self._mirror = (
            None
            if tiles_dir is None
            else TileMirror(tiles_dir, self.store, verifier=self.verifier, origin=signer.name)
        )
        self._cosigning = cosigning
        self._clock = clock
        self._options = options or LedgerOptions()
        self._holder = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._queue: queue.Queue[tuple[bytes, str, Future[int]] | None] = queue.Queue()
        self._published = threading.Condition()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._leading = False  # whether this process held the publisher lease last time

    @property
    def origin(self) -> str:
        """The log's origin line."""
        return self.log.origin

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        """Start the sequencer and publisher threads."""
        for target, name in ((self._sequence_loop, "sequencer"), (self._publish_loop, "publisher")):
            thread = threading.Thread(target=target, name=f"tradetrace-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Sequence what is queued, publish a final checkpoint and stop the threads."""
        self._stopping.set()
        self._wake.set()
        self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads.clear()
        self.publish()
        self.store.release_lease(_LEASE, self._holder)

    # -- appending -------------------------------------------------------------------

    def append(self, records: Sequence[LogRecord]) -> int:
        """Sequence ``records`` now, in this thread, as one batch; the first index."""
        return self.append_entries(
            [record.to_bytes() for record in records], [record.digest for record in records]
        )

    def append_entries(self, entries: Sequence[bytes], digests: Sequence[str]) -> int:
        """Sequence records already serialized (:meth:`LogRecord.to_bytes`,
        :func:`~tradetrace.ledger.record.record_entries`), each looked up by its record's
        ``digests`` entry, now, in this thread, as one batch; the first index."""
        return self.log.append(entries, keys=digests)

    def submit(self, record: LogRecord, *, timeout: float = 30.0) -> int:
        """Queue ``record`` for the next group commit and wait until it is durable: its index."""
        future: Future[int] = Future()
        if self._stopping.is_set() or not self._threads:
            return self.append([record])
        self._queue.put((record.to_bytes(), record.digest, future))
        return future.result(timeout=timeout)

    def _sequence_loop(self) -> None:
        options = self._options
        while True:
            item = self._queue.get()
            if item is None:
                return
            batch = [item]
            # Batching and waiting use the monotonic clock; the injected clock dates things.
            deadline = time.monotonic() + options.max_batch_delay
            while len(batch) < options.batch_size:
                remaining = deadline - time.monotonic()
                try:
                    more = self._queue.get(timeout=max(remaining, 0)) if remaining > 0 else None
                except queue.Empty:
                    more = None
                if more is None:
                    break
                batch.append(more)
            self._commit(batch)

    def _commit(self, batch: list[tuple[bytes, str, Future[int]]]) -> None:
        try:
            first = self.log.append([entry for entry, _, _ in batch], keys=[k for _, k, _ in batch])
        except Exception as exc:
            _logger.exception("sequencing a batch of %d entries failed", len(batch))
            for _, _, future in batch:
                future.set_exception(exc)
            return
        for offset, (_, _, future) in enumerate(batch):
            future.set_result(first + offset)

    # -- publishing ------------------------------------------------------------------

    def _publish_loop(self) -> None:
        # Publish every interval, or at once when a caller waits for a checkpoint.
        while True:
            self._wake.wait(self._options.checkpoint_interval)
            self._wake.clear()
            if self._stopping.is_set():
                return
            try:
                self.publish()
                if self._leading:
                    self.store.compact_keys()  # merge lookup-key runs, off the append path
            except Exception:
                _logger.exception("publishing a checkpoint failed")

    def publish(self) -> ledger_checkpoint.SignedCheckpoint | None:
        """Sign and publish a checkpoint for the committed tree if it grew and this process
        holds the publisher lease; write the new tiles first so the checkpoint never points
        at resources that are not there yet, then collect witness cosignatures."""
        times = self._lease_times()
        self._leading = self.store.acquire_lease(_LEASE, self._holder, **times)
        if not self._leading:
            return None
        head = self.store.head()
        latest = self.latest_checkpoint()
        if latest is not None and latest.checkpoint.size >= head.size:
            return None
        signed = self.log.sign(head)
        if self._mirror is not None:
            self._mirror.write_tiles(head.size)
        if self._cosigning is not None:
            signed = self._cosigning.cosign(signed, prove=self.log.prove_consistency)
        if self._mirror is not None:
            self._mirror.write_checkpoint(signed)
        self.store.save_checkpoint(head.size, signed.to_text(), now=times["now"])
        with self._published:
            self._published.notify_all()
        return signed

    def _lease_times(self) -> dict[str, datetime]:
        now = self._clock()
        return {"now": now, "until": now + timedelta(seconds=self._options.lease_seconds)}

    def latest_checkpoint(self) -> ledger_checkpoint.SignedCheckpoint | None:
        """The newest published checkpoint."""
        text = self.store.latest_checkpoint()
        return None if text is None else ledger_checkpoint.SignedCheckpoint.from_text(text)

    def wait_for_checkpoint(
        self, index: int, *, timeout: float
    ) -> ledger_checkpoint.SignedCheckpoint:
        """Block until a published checkpoint includes entry ``index``."""
        deadline = time.monotonic() + timeout
        with self._published:
            while True:
                latest = self.latest_checkpoint()
                if latest is not None and latest.checkpoint.size > index:
                    return latest
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise NotFound(f"entry {index} is not in a published checkpoint yet")
                self._wake.set()
                self._published.wait(timeout=min(remaining, 0.2))

    def receipt(self, index: int, *, wait: float = 0.0) -> proof.TlogProof:
        """The tlog-proof receipt for entry ``index`` under the newest checkpoint."""
        signed = self.wait_for_checkpoint(index, timeout=wait)
        return self.log.prove(index, signed)

    def entry(self, index: int) -> bytes:
        """The bytes of entry ``index`` from its bundle."""
        head = self.store.head()
        if not 0 <= index < head.size:
            raise NotFound(f"no log entry {index}: the log has {head.size} entries")
        bundle, offset = divmod(index, tiles.TILE_WIDTH)
        width = min(tiles.TILE_WIDTH, head.size - bundle * tiles.TILE_WIDTH)
        return tiles.read_entry_bundle(self.store, tiles.BundleId(bundle, width))[offset]


@dataclass(frozen=True, slots=True)
class ReceiptCheck:
    """The outcome of checking a receipt: the verified checkpoint and the entry it proves."""

    index: int
    size: int
    origin: str
    entry: bytes


def check_receipt(ledger: LedgerService, receipt_text: str, entry: bytes | None) -> ReceiptCheck:
    """Verify a tlog-proof receipt against this node's log key (C2SP tlog-proof).

    Without ``entry`` the entry at the receipt's index is read from this log, so the check
    proves what this log says is there. Raises :class:`InvalidDocument` for a malformed receipt
    and a :class:`VerificationError` subclass when it does not verify.
    """
    receipt = proof.TlogProof.from_text(receipt_text)
    data = entry if entry is not None else ledger.entry(receipt.index)
    checkpoint = proof.verify_tlog_proof(
        receipt, data, origin=ledger.origin, verifiers=[ledger.verifier]
    )
    return ReceiptCheck(receipt.index, checkpoint.size, checkpoint.origin, data)
