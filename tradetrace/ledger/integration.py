"""Build the tiles and entry bundles that change when a batch of entries is appended.

This is the pure half of a tlog-tiles integrator (Tessera's "integrate" step): it reads the
right-edge partial tiles of the old tree through a :class:`~tradetrace.ledger.tiles.TileReader`
and returns every resource to write for the new tree. Writing them, and publishing the checkpoint
only afterwards, is the storage layer's job. The root comes from the sequencer's
:class:`~tradetrace.ledger.compact.CompactRange`; :func:`extend_tree` updates both at once, so
every node is hashed only once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tradetrace.ledger.compact import CompactRange
from tradetrace.ledger.nodecache import tile_levels
from tradetrace.ledger.tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    BundleId,
    TileId,
    TileReader,
    encode_entry_bundle,
    read_entry_bundle,
    read_tile,
)

__all__ = [
    "TreeExtension",
    "build_entry_bundles",
    "build_tiles",
    "extend_tree",
]


@dataclass(frozen=True, slots=True)
class TreeExtension:
    """What appending a batch of leaf hashes changes (see :func:`extend_tree`).

    ``resources`` maps each changed tile's path to its bytes. ``filled`` holds, for each tile
    that became full, all nine Merkle levels it spans (level ``k`` as one string of hashes), so
    a :class:`~tradetrace.ledger.nodecache.NodeCache` can take them without hashing again.
    """

    resources: dict[str, bytes]
    filled: dict[TileId, tuple[bytes, ...]]


def build_tiles(
    old_size: int, leaf_hashes: Sequence[bytes], *, reader: TileReader
) -> dict[str, bytes]:
    """Return ``{path: tile bytes}`` for every tile that changes when ``leaf_hashes`` are appended.

    Level by level, the old partial tile is extended with the new hashes; each tile that becomes
    full contributes its root to the level above, and partial tiles never do (tlog-tiles "Partial
    Tiles"). Raises ``NotFound`` if an old partial tile cannot be read.
    """
    return _build_tiles(old_size, leaf_hashes, reader).resources


def extend_tree(
    edge: CompactRange, leaf_hashes: Sequence[bytes], *, reader: TileReader
) -> TreeExtension:
    """Append ``leaf_hashes`` to ``edge`` and return what changes, as :func:`build_tiles` does.

    The roots of the level-0 tiles the batch fills are computed once, for the tiles, and then
    appended to ``edge`` as whole subtrees (RFC 9162 §2.1.1): a batch costs about two hashes per
    entry (leaf and node) instead of three.
    """
    old_size = edge.size
    extension = _build_tiles(old_size, leaf_hashes, reader)
    tile_roots = [
        levels[TILE_HEIGHT]
        for tile, levels in extension.filled.items()
        if tile.level == 0 and tile.index >= -(-old_size // TILE_WIDTH)
    ]
    head = min(len(leaf_hashes), -old_size % TILE_WIDTH)
    edge.extend(leaf_hashes[:head])
    # Tiles wholly made of new leaves go in as subtrees. A completed old partial tile does
    # not: the edge has just hashed that one itself, leaf by leaf.
    for root in tile_roots:
        edge.append_subtree(TILE_HEIGHT, root)
    edge.extend(leaf_hashes[head + len(tile_roots) * TILE_WIDTH :])
    return extension


def _build_tiles(old_size: int, leaf_hashes: Sequence[bytes], reader: TileReader) -> TreeExtension:
    """The changed tiles, and the levels of every tile that became full, in tile order."""
    resources: dict[str, bytes] = {}
    filled: dict[TileId, tuple[bytes, ...]] = {}
    level = 0
    old_count = old_size  # hashes the old tree has at this tile level
    new = list(leaf_hashes)
    while new:
        first_tile, old_width = divmod(old_count, TILE_WIDTH)
        hashes = read_tile(reader, TileId(level, first_tile, old_width)) if old_width else []
        hashes += new
        new = []
        for offset in range(0, len(hashes), TILE_WIDTH):
            chunk = hashes[offset : offset + TILE_WIDTH]
            tile = TileId(level, first_tile + offset // TILE_WIDTH, len(chunk))
            data = resources[tile.path] = b"".join(chunk)
            if len(chunk) == TILE_WIDTH:
                levels = filled[tile] = tile_levels(data)
                new.append(levels[TILE_HEIGHT])
        old_count >>= TILE_HEIGHT
        level += 1
    return TreeExtension(resources, filled)


def build_entry_bundles(
    old_size: int, entries: Sequence[bytes], *, reader: TileReader
) -> dict[str, bytes]:
    """Return ``{path: bundle bytes}`` for every entry bundle that changes (tlog-tiles).

    Raises ``LimitExceeded`` for an entry over 65,535 bytes and ``NotFound`` if the old partial
    bundle cannot be read.
    """
    if not entries:
        return {}
    first, old_width = divmod(old_size, TILE_WIDTH)
    merged = read_entry_bundle(reader, BundleId(first, old_width)) if old_width else []
    merged += entries
    resources = {}
    for offset in range(0, len(merged), TILE_WIDTH):
        chunk = merged[offset : offset + TILE_WIDTH]
        bundle = BundleId(first + offset // TILE_WIDTH, len(chunk))
        resources[bundle.path] = encode_entry_bundle(chunk)
    return resources
