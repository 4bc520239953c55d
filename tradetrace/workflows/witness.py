"""A C2SP tlog-witness: cosign a log's checkpoint only if it extends the last one it cosigned.

:class:`Witness` applies the ``add-checkpoint`` rules of tlog-witness in the spec's order
(unknown origin, no trusted signature, old size beyond the checkpoint, old size not the one last
cosigned, bad consistency proof, a fork at the same size) and answers with a timestamped Ed25519
cosignature (tlog-cosignature v1). Checking the old size and recording the new checkpoint happen
atomically under a lock, as the spec requires, and the record is on disk before the answer.

The HTTP status of each error is the API shell's business; the error classes chosen here map to
the spec's codes through ``api/errors.py``.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from tradetrace.errors import (
    CheckpointInvalid,
    ConfigurationError,
    CosignedSizeMismatch,
    Forbidden,
    InvalidDocument,
    NotFound,
    TradeTraceError,
)
from tradetrace.ledger import checkpoint, note, notekeys, witness

__all__ = [
    "Witness",
    "WitnessState",
    "generate_witness_key",
    "load_witness_key",
    "trusted_logs",
]

_logger = logging.getLogger(__name__)


class WitnessState:
    """The latest cosigned checkpoint per origin, in a JSON file replaced atomically.

    :meth:`transaction` holds a thread lock and an exclusive ``flock`` on ``<file>.lock``, so
    threads and processes sharing the file see each other's updates.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[dict[str, checkpoint.Checkpoint]]:
        """Yield the state to read and change; write it back if the block changed it."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self._path.with_name(self._path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            state = self._load()
            before = dict(state)
            yield state
            if state != before:
                self._save(state)

    def _load(self) -> dict[str, checkpoint.Checkpoint]:
        if not self._path.exists():
            return {}
        try:
            texts = json.loads(self._path.read_text())["checkpoints"]
            return {origin: checkpoint.Checkpoint.from_text(text) for origin, text in texts.items()}
        except (ValueError, KeyError, TypeError, AttributeError, CheckpointInvalid) as exc:
            raise ConfigurationError(f"witness state {self._path} is unreadable: {exc}") from exc

    def _save(self, state: dict[str, checkpoint.Checkpoint]) -> None:
        data = {"checkpoints": {origin: head.to_text() for origin, head in sorted(state.items())}}
        temporary = self._path.with_name(f".{self._path.name}.{uuid.uuid4().hex}")
        with open(temporary, "w") as handle:
            json.dump(data, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self._path)
        directory = os.open(self._path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself must survive a crash
        finally:
            os.close(directory)


class Witness:
    """Cosigns checkpoints of the logs it trusts (tlog-witness ``add-checkpoint``).

    ``logs`` maps each trusted origin to its log's verifier keys; ``clock`` dates cosignatures.
    """

    def __init__(
        self,
        cosigner: notekeys.Cosigner,
        logs: Mapping[str, Sequence[note.Verifier]],
        *,
        state: WitnessState,
        clock: Callable[[], datetime],
    ) -> None:
        self._cosigner = cosigner
        self._logs = {origin: tuple(keys) for origin, keys in logs.items()}
        self._state = state
        self._clock = clock

    @property
    def vkey(self) -> str:
        """The witness's cosignature verifier key (tlog-cosignature)."""
        return self._cosigner.verifier().vkey

    def add_checkpoint(self, body: str | bytes) -> str:
        """Check an ``add-checkpoint`` request body and return the cosignature line.

        Raises, in the spec's order: ``InvalidDocument`` for a malformed body (400),
        ``NotFound`` for an unknown origin (404), ``Forbidden`` when no trusted signature
        verifies (403), ``InvalidDocument`` when the old size exceeds the checkpoint size (400),
        ``CosignedSizeMismatch`` carrying the witness's size (409), ``ConsistencyProofInvalid``
        for a bad proof or a non-empty proof from size 0 (422) and ``Conflict`` for a different
        root at the cosigned size (409).
        """
        try:
            request = witness.AddCheckpointRequest.from_text(body)
        except CheckpointInvalid as exc:
            raise InvalidDocument(f"malformed add-checkpoint: {exc.message}") from exc
        new = request.checkpoint.checkpoint
        keys = self._logs.get(new.origin)
        if keys is None:
            raise NotFound(f"unknown log origin {new.origin[:100]!r}")
        try:
            checkpoint.verify_checkpoint(request.checkpoint, keys, origin=new.origin)
        except CheckpointInvalid as exc:
            raise Forbidden(f"checkpoint for {new.origin!r}: {exc.message}") from exc
        if request.old_size > new.size:
            raise InvalidDocument(
                f"old size {request.old_size} is larger than the checkpoint size {new.size}"
            )
        with self._state.transaction() as state:
            old = state.get(new.origin)
            if request.old_size != (0 if old is None else old.size):
                raise CosignedSizeMismatch(0 if old is None else old.size)
            try:
                witness.check_witness_update(old, new, proof=request.proof)
            except TradeTraceError:
                # The log signed this: it may be evidence of misbehaviour (tlog-witness).
                _logger.warning("refused checkpoint:\n%s", request.checkpoint.to_text())
                raise
            state[new.origin] = new
        signature = self._cosigner.sign(new.to_text().encode(), now=self._clock())
        cosigner = self._cosigner
        return note.NoteSignature(cosigner.name, cosigner.key_id, signature).to_line()


def trusted_logs(values: Sequence[str]) -> dict[str, list[note.Verifier]]:
    """Parse ``ORIGIN=VKEY`` options into origins and their log keys (repeat for more keys).

    The origin is everything before the first ``=``. Raises ``ConfigurationError``.
    """
    logs: dict[str, list[note.Verifier]] = {}
    for value in values:
        origin, _, vkey = value.partition("=")
        if not origin or not vkey:
            raise ConfigurationError(f"log {value[:80]!r}: expected ORIGIN=VKEY")
        try:
            verifier = notekeys.verifier_from_vkey(vkey)
        except InvalidDocument as exc:
            raise ConfigurationError(f"log {origin!r}: {exc.message}") from exc
        if not isinstance(verifier, notekeys.Ed25519Verifier):
            raise ConfigurationError(f"log {origin!r}: the vkey is not an Ed25519 log key")
        known = logs.setdefault(origin, [])
        if all((key.name, key.key_id) != (verifier.name, verifier.key_id) for key in known):
            known.append(verifier)
    return logs


def generate_witness_key(path: Path, name: str) -> notekeys.Cosigner:
    """Create a witness key, saved at ``path`` (mode 0600, never overwritten) as a Go note
    ``PRIVATE+KEY+…`` skey; ``ConfigurationError`` if ``path`` exists or the name is invalid."""
    try:
        cosigner = notekeys.Cosigner.generate(name)
    except InvalidDocument as exc:
        raise ConfigurationError(exc.message) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise ConfigurationError(f"{path} exists: refusing to overwrite a key") from exc
    with os.fdopen(descriptor, "w") as handle:
        handle.write(cosigner.export_skey() + "\n")
    return cosigner


def load_witness_key(path: Path) -> notekeys.Cosigner:
    """Load a witness key saved by :func:`generate_witness_key`; ``ConfigurationError``."""
    try:
        return notekeys.Cosigner.from_skey(path.read_text().strip())
    except OSError as exc:
        raise ConfigurationError(f"cannot read witness key {path}: {exc.strerror}") from exc
    except InvalidDocument as exc:
        raise ConfigurationError(f"witness key {path}: {exc.message}") from exc
