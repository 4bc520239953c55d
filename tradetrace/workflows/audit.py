"""Audit a tiled log as an outsider would: from a directory or over HTTP, offline-verifiable.

The auditor remembers the newest checkpoint it verified for each origin (in a state directory),
so the next audit also proves the log only grew since (C2SP tlog-checkpoint, RFC 9162 §2.1.4).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from tradetrace.errors import NotFound, TradeTraceError
from tradetrace.ledger import audit, checkpoint, notekeys

__all__ = ["AuditOutcome", "DirectoryReader", "HttpReader", "audit_source", "load_vkey"]

_CHECKPOINT_FILE = re.compile(r"^checkpoint(\.[0-9]+)?$")


class DirectoryReader:
    """A tile reader over a directory in the tlog-tiles layout."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def read(self, path: str) -> bytes:
        """The file at ``path`` below the root; :class:`NotFound` when absent or outside it."""
        target = (self._root / path).resolve()
        if not target.is_relative_to(self._root) or not target.is_file():
            raise NotFound(f"no log resource {path}")
        return target.read_bytes()

    def checkpoints(self) -> list[bytes]:
        """Every ``checkpoint`` and ``checkpoint.N`` file in the root, by name."""
        names = sorted(
            (item.name for item in self._root.iterdir() if _CHECKPOINT_FILE.match(item.name)),
            key=lambda name: (len(name), name),
        )
        return [(self._root / name).read_bytes() for name in names]


class HttpReader:
    """A tile reader over an HTTP(S) tlog-tiles prefix, through an injected client."""

    def __init__(self, client: httpx.Client, prefix: str) -> None:
        self._client = client
        self._prefix = prefix.rstrip("/")

    def read(self, path: str) -> bytes:
        """GET ``prefix/path``; :class:`NotFound` on 404, :class:`TradeTraceError` otherwise."""
        try:
            response = self._client.get(f"{self._prefix}/{path}")
        except httpx.HTTPError as exc:
            raise TradeTraceError(f"cannot fetch {path}: {exc}") from exc
        if response.status_code == 404:
            raise NotFound(f"no log resource {path}")
        if response.status_code != 200:
            raise TradeTraceError(f"cannot fetch {path}: HTTP {response.status_code}")
        return response.content

    def checkpoints(self) -> list[bytes]:
        """The log's current checkpoint."""
        return [self.read("checkpoint")]


@dataclass(frozen=True, slots=True)
class AuditOutcome:
    """What an audit verified, and the previous checkpoint it was consistent with."""

    result: audit.AuditResult
    previous_size: int | None


def load_vkey(value: str) -> notekeys.Ed25519Verifier | notekeys.CosignatureVerifier:
    """A verifier key given inline (``name+id+key``) or as a file holding one."""
    path = Path(value)
    text = path.read_text().strip() if "+" not in value and path.is_file() else value.strip()
    return notekeys.verifier_from_vkey(text)


def audit_source(
    reader: DirectoryReader | HttpReader,
    *,
    vkey: str,
    state_dir: Path | None,
    witnesses: Sequence[str] = (),
    quorum: int = 0,
) -> AuditOutcome:
    """Audit every checkpoint ``reader`` offers, plus the one remembered from the last audit.

    ``witnesses`` are cosignature vkeys (inline or files); the newest checkpoint must carry
    ``quorum`` of their cosignatures (C2SP tlog-cosignature).
    """
    verifier = load_vkey(vkey)
    witness_keys = [load_vkey(value) for value in witnesses]
    origin = verifier.name
    found = reader.checkpoints()
    if not found:
        raise NotFound("no checkpoint found")
    state = None if state_dir is None else state_dir / (re.sub(r"[^A-Za-z0-9.-]", "_", origin))
    previous = state.read_bytes() if state is not None and state.exists() else None
    texts = [*found, previous] if previous is not None else found
    result = audit.audit_log(
        reader,
        texts,
        origin=origin,
        verifiers=[verifier],
        witnesses=witness_keys,
        quorum=quorum,
    )
    previous_size = None
    if previous is not None:
        previous_size = checkpoint.SignedCheckpoint.from_text(previous).checkpoint.size
    if state is not None:
        newest = max(
            found, key=lambda text: checkpoint.SignedCheckpoint.from_text(text).checkpoint.size
        )
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_bytes(newest)
    return AuditOutcome(result, previous_size)
