"""The transparency log: sequencing batches of entries into a Merkle tree stored as tiles.

:class:`TransparencyLog` holds no state of its own: the tree head, tiles and entry bundles live
in a :class:`LogStore` (database, memory), and appending is one atomic store transaction, so an
entry is acknowledged only once its index, its tiles and the new tree head are durable together
(C2SP tlog-tiles; RFC 9162 §2.1). Checkpoints are signed separately and publish a size that the
store already holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Protocol

from tradetrace.errors import InvalidDocument, NotFound, TileInvalid
from tradetrace.ledger.checkpoint import Checkpoint, SignedCheckpoint, sign_checkpoint
from tradetrace.ledger.compact import CompactRange
from tradetrace.ledger.integration import build_entry_bundles, extend_tree
from tradetrace.ledger.merkle import HASH_SIZE, consistency_proof
from tradetrace.ledger.nodecache import DEFAULT_CACHED_TILES, NodeCache
from tradetrace.ledger.note import Signer
from tradetrace.ledger.proof import TlogProof, build_tlog_proof
from tradetrace.ledger.tiles import (
    MAX_ENTRY_SIZE,
    TILE_WIDTH,
    TileReader,
)

__all__ = [
    "AppendTransaction",
    "InMemoryLogStore",
    "LogStore",
    "TransparencyLog",
    "TreeHead",
    "slice_resource",
]


@dataclass(frozen=True, slots=True)
class TreeHead:
    """The sequenced tree: its size and the right edge (full-subtree roots, largest first)."""

    size: int
    edge: tuple[bytes, ...] = ()

    def root(self) -> bytes:
        """The RFC 9162 tree hash of the sequenced entries."""
        return CompactRange(self.size, self.edge).root()


class AppendTransaction(TileReader, Protocol):
    """One atomic append: read the head and the right-edge tiles, then write everything at once."""

    def head(self) -> TreeHead:
        """The tree head as of the start of the transaction (locked against other appenders)."""
        ...

    def write(
        self, *, head: TreeHead, resources: dict[str, bytes], keys: Sequence[tuple[int, str]]
    ) -> None:
        """Store the new head, the changed tiles/bundles and the lookup keys of new entries."""
        ...


class LogStore(TileReader, Protocol):
    """Durable storage of a log. Reads see only committed appends."""

    def append_transaction(self) -> AbstractContextManager[AppendTransaction]:
        """Begin an append; commit on normal exit, roll back on an exception."""
        ...

    def head(self) -> TreeHead:
        """The committed tree head."""
        ...


class TransparencyLog:
    """Appends entries, signs checkpoints and proves inclusion over a :class:`LogStore`.

    Proofs read the tree through a :class:`~tradetrace.ledger.nodecache.NodeCache` of up to
    ``cached_tiles`` tiles, so repeated proofs cost no store reads.
    """

    def __init__(
        self,
        store: LogStore,
        *,
        origin: str,
        signer: Signer,
        cached_tiles: int = DEFAULT_CACHED_TILES,
    ) -> None:
        self._store = store
        self.origin = origin
        self._signer = signer
        self._nodes = NodeCache(store, capacity=cached_tiles)

    def append(self, entries: Sequence[bytes], *, keys: Sequence[str] | None = None) -> int:
        """Sequence ``entries`` in one atomic batch and return the index of the first.

        ``keys`` (one per entry, e.g. the logged document's digest) are stored for lookup.
        Raises :class:`InvalidDocument` for an empty or oversized entry; nothing is written then.
        """
        if keys is not None and len(keys) != len(entries):
            raise InvalidDocument(f"expected {len(entries)} lookup keys, got {len(keys)}")
        for number, entry in enumerate(entries):
            if not entry or len(entry) > MAX_ENTRY_SIZE:
                raise InvalidDocument(
                    f"log entry {number}: expected 1 to {MAX_ENTRY_SIZE} bytes, got {len(entry)}"
                )
        with self._store.append_transaction() as transaction:
            head = transaction.head()
            if not entries:
                return head.size
            # leaf_hash() inlined: at tens of thousands of entries a second, calls add up.
            hashes = [sha256(b"\x00" + entry).digest() for entry in entries]
            edge = CompactRange(head.size, head.edge)
            extension = extend_tree(edge, hashes, reader=transaction)
            resources = dict(extension.resources)
            resources.update(build_entry_bundles(head.size, entries, reader=transaction))
            indexed = [] if keys is None else list(enumerate(keys, start=head.size))
            transaction.write(
                head=TreeHead(edge.size, edge.hashes), resources=resources, keys=indexed
            )
        # Committed: the tiles just filled serve proofs without being read back or rehashed.
        for tile, levels in extension.filled.items():
            self._nodes.offer(tile, levels)
        return head.size

    def sign(self, head: TreeHead | None = None) -> SignedCheckpoint:
        """Sign a checkpoint for ``head`` (default: the committed head) (C2SP tlog-checkpoint)."""
        head = head if head is not None else self._store.head()
        checkpoint = Checkpoint(origin=self.origin, size=head.size, root_hash=head.root())
        return sign_checkpoint(checkpoint, [self._signer])

    def prove(self, index: int, checkpoint: SignedCheckpoint) -> TlogProof:
        """The tlog-proof receipt for entry ``index`` under ``checkpoint``."""
        size = checkpoint.checkpoint.size
        if not 0 <= index < size:
            raise NotFound(f"entry {index} is not in the checkpoint of size {size}")
        return build_tlog_proof(index, checkpoint, nodes=self._nodes.nodes(size))

    def prove_consistency(self, old_size: int, new_size: int) -> list[bytes]:
        """The RFC 9162 §2.1.4.1 consistency proof between two sizes of the stored tree.

        Empty when ``old_size`` is 0 or equal to ``new_size``, as tlog-witness wants. Raises
        ``NotFound`` if ``new_size`` is beyond the stored tree or smaller than ``old_size``.
        """
        head = self._store.head()
        if new_size > head.size:
            raise NotFound(f"no tree of size {new_size}: the log has {head.size} entries")
        return consistency_proof(old_size, new_size, nodes=self._nodes.nodes(new_size))


@dataclass
class InMemoryLogStore:
    """A :class:`LogStore` in a dict, for tests and tools. Appends are atomic per transaction."""

    resources: dict[str, bytes] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)
    _head: TreeHead = field(default_factory=lambda: TreeHead(0))

    def head(self) -> TreeHead:
        """The committed head."""
        return self._head

    def read(self, path: str) -> bytes:
        """A stored tile or bundle, with partial widths sliced from the longer stored one."""
        return _read_prefix(self.resources, path)

    @contextmanager
    def append_transaction(self) -> Iterator[AppendTransaction]:
        """Stage writes and apply them only if the block finishes without an exception."""
        staged = _StagedAppend(self)
        yield staged
        if staged.new_head is not None:
            self.resources.update(staged.resources)
            self.keys.update(staged.keys)
            self._head = staged.new_head


class _StagedAppend:
    def __init__(self, store: InMemoryLogStore) -> None:
        self._store = store
        self.new_head: TreeHead | None = None
        self.resources: dict[str, bytes] = {}
        self.keys: dict[int, str] = {}

    def head(self) -> TreeHead:
        return self._store.head()

    def read(self, path: str) -> bytes:
        return self._store.read(path)

    def write(
        self, *, head: TreeHead, resources: dict[str, bytes], keys: Sequence[tuple[int, str]]
    ) -> None:
        self.new_head = head
        self.resources = {_full_path(path): data for path, data in resources.items()}
        self.keys = dict(keys)


def _full_path(path: str) -> str:
    return path.split(".p/", 1)[0]


def _read_prefix(resources: dict[str, bytes], path: str) -> bytes:
    base = _full_path(path)
    data = resources.get(base)
    if data is None:
        raise NotFound(f"no log resource {path}")
    return slice_resource(path, data)


def slice_resource(path: str, stored: bytes) -> bytes:
    """Serve ``path`` from the newest stored bytes of its tile or bundle.

    Tiles and bundles only ever grow, so the resource at a smaller partial width is a prefix of
    the newest one (tlog-tiles "Partial Tiles"). A store keeps one row per tile, written under
    its full path, and slices on read. Raises :class:`NotFound` when ``path`` asks for more
    hashes or entries than are stored.
    """
    base, _, width_text = path.partition(".p/")
    width = int(width_text) if width_text else TILE_WIDTH
    if base.startswith("tile/entries/"):
        # Walk the length prefixes only: splitting out 256 entries to count them cost more than
        # reading the bundle.
        offset = 0
        for count in range(width):
            if offset >= len(stored):
                raise NotFound(f"no log resource {path}: {count} entries stored")
            offset += 2 + int.from_bytes(stored[offset : offset + 2], "big")
        if offset > len(stored):
            raise TileInvalid(f"stored bundle for {path} is truncated: {len(stored)} bytes")
        return stored[:offset]
    if len(stored) < width * HASH_SIZE:
        raise NotFound(f"no log resource {path}: {len(stored) // HASH_SIZE} hashes stored")
    return stored[: width * HASH_SIZE]
