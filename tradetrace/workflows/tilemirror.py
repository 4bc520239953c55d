"""A directory copy of the log in the C2SP tlog-tiles layout, for any static server or CDN.

The database is the log; the directory mirrors what each published checkpoint covers. Per
checkpoint, only the tiles and bundles the previous one lacked are written (new full tiles and
partial tiles of a new width), from a few range queries, by a few threads at once: creating a
file is a slow, GIL-free system call. They are made durable with one ``sync`` for the whole set
instead of an ``fsync`` per file, which at tens of thousands of entries a second meant hundreds
of fsyncs a second. Only then is the ``checkpoint`` file replaced (and fsynced), so the
checkpoint never names a resource that a crash could lose.
"""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tradetrace.errors import TradeTraceError
from tradetrace.ledger import checkpoint as ledger_checkpoint
from tradetrace.ledger import note
from tradetrace.storage.ledger import SqlLogStore

__all__ = ["TileMirror"]

_WRITERS = 4


class TileMirror:
    """Writes a log's tiles, entry bundles and checkpoint under ``root`` (tlog-tiles).

    At start it trusts the ``checkpoint`` file already there, if the log's key signed it: the
    resources it covers were durable before it was written.
    """

    def __init__(
        self, root: Path, store: SqlLogStore, *, verifier: note.Verifier, origin: str
    ) -> None:
        self._root = root
        self._store = store
        self._written = _published_size(root / "checkpoint", verifier, origin)
        self._directories: set[Path] = set()

    @property
    def size(self) -> int:
        """The tree size whose every tile and bundle is durably in the directory."""
        return self._written

    def write_tiles(self, size: int) -> None:
        """Write every tile and bundle the tree of ``size`` leaves has and the directory lacks.

        A path always holds the same bytes, so a file that is already there (after a restart,
        or from another process) is simply replaced by an identical one.
        """
        if size <= self._written:
            return
        resources = self._store.resources_since(self._written, size)
        for parent in {(self._root / path).parent for path, _ in resources}:
            if parent not in self._directories:
                parent.mkdir(parents=True, exist_ok=True)
                self._directories.add(parent)
        with ThreadPoolExecutor(_WRITERS, thread_name_prefix="tradetrace-tiles") as pool:
            # list() re-raises the first failed write here.
            list(pool.map(lambda item: self._write(self._root / item[0], item[1]), resources))
        os.sync()  # everything above is durable before a checkpoint names it
        self._written = size

    def write_checkpoint(self, signed: ledger_checkpoint.SignedCheckpoint) -> None:
        """Replace the ``checkpoint`` file, durably; its tiles must already be written."""
        if signed.checkpoint.size > self._written:
            raise TradeTraceError(
                f"checkpoint of size {signed.checkpoint.size} is beyond the tiles written "
                f"({self._written})"
            )
        self._root.mkdir(parents=True, exist_ok=True)
        self._write(self._root / "checkpoint", signed.to_text().encode(), durable=True)
        directory = os.open(self._root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def _write(self, target: Path, data: bytes, *, durable: bool = False) -> None:
        temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(temporary, target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise TradeTraceError(
                f"cannot write log resource {target.name}: {exc.strerror}"
            ) from exc


def _published_size(path: Path, verifier: note.Verifier, origin: str) -> int:
    try:
        text = path.read_bytes()
    except OSError:
        return 0
    try:
        return ledger_checkpoint.verify_checkpoint(text, [verifier], origin=origin).size
    except TradeTraceError:
        return 0  # not this log's checkpoint: rewrite from scratch
