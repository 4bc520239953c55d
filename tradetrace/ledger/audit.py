"""Offline audit of a tiled transparency log (C2SP tlog-tiles, tlog-checkpoint, RFC 9162).

Given signed checkpoints and a :class:`~tradetrace.ledger.tiles.TileReader`, the auditor
re-derives the whole tree and checks, in this order, stopping at the first failure:

1. every checkpoint is signed by a pinned log key for the pinned origin, and a checkpoint of the
   largest size carries the required witness cosignatures, if any (``CheckpointInvalid``);
2. no two checkpoints have the same size and different roots (``ConsistencyProofInvalid``);
3. for the largest checkpoint, every entry bundle hashes to its level-0 tile, every full tile
   hashes to its entry in the tile above, and the tiles give the signed root (``TileInvalid``);
4. for each smaller checkpoint, its partial tiles and bundle are prefixes of the largest tree's
   (``TileInvalid``), and a consistency proof built from its tiles joins it to the next larger
   checkpoint (``ConsistencyProofInvalid``).

Tile storage is untrusted (Sunlight's split): nothing read from it is believed until it hashes
up to a signed root.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from tradetrace.errors import (
    CheckpointInvalid,
    ConsistencyProofInvalid,
    InvalidDocument,
    NotFound,
    TileInvalid,
)
from tradetrace.ledger.checkpoint import Checkpoint, verify_checkpoint
from tradetrace.ledger.compact import CompactRange, root_from_leaf_hashes
from tradetrace.ledger.merkle import EMPTY_ROOT, consistency_proof, leaf_hash, verify_consistency
from tradetrace.ledger.nodecache import TileNodes
from tradetrace.ledger.note import Verifier
from tradetrace.ledger.tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    BundleId,
    TileId,
    TileReader,
    read_entry_bundle,
    read_tile,
    tile_for_node,
)

__all__ = [
    "AuditResult",
    "audit_log",
]


@dataclass(frozen=True, slots=True)
class AuditResult:
    """What a successful :func:`audit_log` checked.

    ``sizes`` are the distinct checkpoint sizes, ascending; ``entries`` the entries hashed;
    ``tiles`` and ``bundles`` the tile and entry-bundle reads that were verified.
    """

    origin: str
    sizes: tuple[int, ...]
    root_hash: bytes
    entries: int
    tiles: int
    bundles: int


def audit_log(
    reader: TileReader,
    checkpoints: str | bytes | Sequence[str | bytes],
    *,
    origin: str,
    verifiers: Sequence[Verifier],
    witnesses: Sequence[Verifier] = (),
    quorum: int = 0,
) -> AuditResult:
    """Audit a tiled log against one or more signed checkpoints; see the module docstring.

    Checkpoints are named in errors by their position in ``checkpoints`` (``checkpoint 3``).
    They may come in any order: consistency is checked between consecutive sizes. With a
    ``quorum``, some checkpoint of the largest size must be cosigned by that many distinct
    ``witnesses`` (tlog-cosignature): smaller ones are then covered by consistency with it.
    """
    if isinstance(checkpoints, str | bytes):
        checkpoints = [checkpoints]
    if not checkpoints:
        raise InvalidDocument("no checkpoints to audit")
    heads = []
    for number, text in enumerate(checkpoints):
        try:
            heads.append((verify_checkpoint(text, verifiers, origin=origin), number))
        except CheckpointInvalid as exc:
            raise CheckpointInvalid(f"checkpoint {number}: {exc.message}") from exc
    heads.sort(key=lambda head: head[0].size)
    if quorum or witnesses:
        largest = [number for head, number in heads if head.size == heads[-1][0].size]
        _check_witnessed(
            [checkpoints[number] for number in largest],
            verifiers,
            origin=origin,
            witnesses=witnesses,
            quorum=quorum,
        )
    distinct = [heads[0]]
    for head, number in heads[1:]:
        previous, previous_number = distinct[-1]
        if head.size != previous.size:
            distinct.append((head, number))
        elif head.root_hash != previous.root_hash:
            raise ConsistencyProofInvalid(
                f"log forked at size {head.size}: checkpoint {previous_number} has root "
                f"{previous.root_hash.hex()}, checkpoint {number} has root {head.root_hash.hex()}"
            )
    auditor = _Auditor(reader, distinct[-1][0].size)
    auditor.check_tree(*distinct[-1])
    for head, number in distinct[:-1]:
        auditor.check_prefix(head, number)
    for (small, small_number), (big, big_number) in itertools.pairwise(distinct):
        auditor.check_consistency(small, small_number, big, big_number)
    return AuditResult(
        origin=origin,
        sizes=tuple(head.size for head, _ in distinct),
        root_hash=distinct[-1][0].root_hash,
        entries=auditor.entries,
        tiles=auditor.tiles,
        bundles=auditor.bundles,
    )


class _Auditor:
    """Reads and cross-checks the tiles of the tree of ``size`` leaves, counting what it read."""

    def __init__(self, reader: TileReader, size: int) -> None:
        self.reader = reader
        self.size = size
        self.entries = self.tiles = self.bundles = 0

    def check_tree(self, head: Checkpoint, number: int) -> None:
        """Step 3: every tile and bundle of the largest tree, then its root."""
        if head.size == 0:
            _check_empty(head, number)
            return
        # Full tiles are reached from the partial tile above them, so walking the partial
        # tiles top-down visits every tile once, in entry order.
        edge = []
        for tile in reversed(_partial_tiles(head.size)):
            hashes = self._check_tile(tile)
            # The tile's hashes split into full subtrees along the set bits of its width; over
            # all levels those are exactly the compact range of the tree.
            start = 0
            for height in reversed(range(tile.width.bit_length())):
                if tile.width >> height & 1:
                    edge.append(root_from_leaf_hashes(hashes[start : start + (1 << height)]))
                    start += 1 << height
        root = CompactRange(head.size, edge).root()
        if root != head.root_hash:
            raise TileInvalid(
                f"root hash mismatch for checkpoint {number} (size {head.size}): tiles give "
                f"{root.hex()}, checkpoint has {head.root_hash.hex()}"
            )

    def check_prefix(self, head: Checkpoint, number: int) -> None:
        """Step 4a: a smaller tree's partial tiles and bundle must prefix the largest tree's."""
        if head.size == 0:
            _check_empty(head, number)
            return
        what = f"checkpoint {number} (size {head.size})"
        # Full tiles of the smaller tree are full tiles of the largest one, already checked.
        for tile in _partial_tiles(head.size):
            bigger = tile_for_node(tile.level, tile.index << TILE_HEIGHT, self.size)
            _compare_prefix(
                tile.path, self._read(tile, what), bigger.path, self._read(bigger, what)
            )
            if tile.level == 0:
                small = BundleId(tile.index, tile.width)
                large = BundleId(tile.index, bigger.width)
                _compare_prefix(
                    small.path, self._bundle(small, what), large.path, self._bundle(large, what)
                )

    def check_consistency(
        self, small: Checkpoint, small_number: int, big: Checkpoint, big_number: int
    ) -> None:
        """Step 4b: a consistency proof built from the bigger tree's tiles must verify."""
        if small.size == 0:
            return  # the empty tree is a prefix of every tree; its root was checked in 4a
        what = f"checkpoint {big_number} (size {big.size})"
        try:
            proof = consistency_proof(small.size, big.size, nodes=TileNodes(self.reader, big.size))
        except NotFound as exc:
            raise TileInvalid(f"missing tile for {what}: {exc.message}") from exc
        try:
            verify_consistency(
                proof,
                size1=small.size,
                size2=big.size,
                root1=small.root_hash,
                root2=big.root_hash,
            )
        except ConsistencyProofInvalid as exc:
            raise ConsistencyProofInvalid(
                f"checkpoint {small_number} (size {small.size}) is not consistent with "
                f"checkpoint {big_number} (size {big.size}): {exc.message}"
            ) from exc

    def _check_tile(self, tile: TileId) -> list[bytes]:
        """Check a tile against what is below it and return its hashes."""
        hashes = self._read(tile, f"checkpoint at size {self.size}")
        if tile.level == 0:
            bundle = BundleId(tile.index, tile.width)
            entries = self._bundle(bundle, f"checkpoint at size {self.size}")
            for position, (entry, expected) in enumerate(zip(entries, hashes, strict=True)):
                actual = leaf_hash(entry)
                if actual != expected:
                    raise TileInvalid(
                        f"{tile.path} hash {position} does not match entry "
                        f"{(tile.index << TILE_HEIGHT) + position} in {bundle.path}: "
                        f"tile has {expected.hex()}, entry hashes to {actual.hex()}"
                    )
            self.entries += len(entries)
            return hashes
        for position, expected in enumerate(hashes):
            child = TileId(tile.level - 1, (tile.index << TILE_HEIGHT) + position)
            actual = root_from_leaf_hashes(self._check_tile(child))
            if actual != expected:
                raise TileInvalid(
                    f"{tile.path} hash {position} does not match the root of {child.path}: "
                    f"tile has {expected.hex()}, child hashes to {actual.hex()}"
                )
        return hashes

    def _read(self, tile: TileId, what: str) -> list[bytes]:
        try:
            hashes = read_tile(self.reader, tile)
        except NotFound as exc:
            raise TileInvalid(f"missing {tile.path} for {what}: {exc.message}") from exc
        self.tiles += 1
        return hashes

    def _bundle(self, bundle: BundleId, what: str) -> list[bytes]:
        try:
            entries = read_entry_bundle(self.reader, bundle)
        except NotFound as exc:
            raise TileInvalid(f"missing {bundle.path} for {what}: {exc.message}") from exc
        self.bundles += 1
        return entries


def _check_witnessed(
    texts: Sequence[str | bytes],
    verifiers: Sequence[Verifier],
    *,
    origin: str,
    witnesses: Sequence[Verifier],
    quorum: int,
) -> None:
    """At least one of ``texts`` (same size, same root) must meet the witness quorum."""
    failures = []
    for text in texts:
        try:
            verify_checkpoint(text, verifiers, origin=origin, witnesses=witnesses, quorum=quorum)
            return
        except CheckpointInvalid as exc:
            failures.append(exc)
    raise CheckpointInvalid(f"newest checkpoint: {failures[-1].message}") from failures[-1]


def _partial_tiles(size: int) -> list[TileId]:
    """The partial tiles of a tree of ``size`` leaves, lowest level first (tlog-tiles)."""
    tiles = []
    level = 0
    while count := size >> (TILE_HEIGHT * level):
        if count % TILE_WIDTH:
            tiles.append(TileId(level, count >> TILE_HEIGHT, count % TILE_WIDTH))
        level += 1
    return tiles


def _check_empty(head: Checkpoint, number: int) -> None:
    if head.root_hash != EMPTY_ROOT:
        raise CheckpointInvalid(
            f"checkpoint {number} has size 0 but root {head.root_hash.hex()}, "
            f"expected {EMPTY_ROOT.hex()}"
        )


def _compare_prefix(path: str, values: list[bytes], bigger_path: str, bigger: list[bytes]) -> None:
    for position, (value, expected) in enumerate(zip(values, bigger, strict=False)):
        if value != expected:
            raise TileInvalid(
                f"{path} item {position} does not match {bigger_path}: expected "
                f"{expected.hex()}, got {value.hex()}"
            )
