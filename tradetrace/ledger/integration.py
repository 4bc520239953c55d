"""Build the tiles and entry bundles that change when a batch of entries is appended.

This is the pure half of a tlog-tiles integrator (Tessera's "integrate" step): it reads the
right-edge partial tiles of the old tree through a :class:`~tradetrace.ledger.tiles.TileReader`
and returns every resource to write for the new tree. Writing them, and publishing the checkpoint
only afterwards, is the storage layer's job. The root comes from the sequencer's
:class:`~tradetrace.ledger.compact.CompactRange`.
"""

from __future__ import annotations

from collections.abc import Sequence

from tradetrace.ledger.compact import root_from_leaf_hashes
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
    "build_entry_bundles",
    "build_tiles",
]


def build_tiles(
    old_size: int, leaf_hashes: Sequence[bytes], *, reader: TileReader
) -> dict[str, bytes]:
    """Return ``{path: tile bytes}`` for every tile that changes when ``leaf_hashes`` are appended.

    Level by level, the old partial tile is extended with the new hashes; each tile that becomes
    full contributes its root to the level above, and partial tiles never do (tlog-tiles "Partial
    Tiles"). Raises ``NotFound`` if an old partial tile cannot be read.
    """
    resources: dict[str, bytes] = {}
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
            resources[tile.path] = b"".join(chunk)
            if len(chunk) == TILE_WIDTH:
                new.append(root_from_leaf_hashes(chunk))
        old_count >>= TILE_HEIGHT
        level += 1
    return resources


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
