"""Node readers over tiles: a plain one for audits and a caching one for fast proofs.

A tile at a given width never changes: a full tile is immutable, and a partial tile of width
``W`` is a prefix of every later version of that tile (C2SP tlog-tiles "Partial Tiles"). So the
whole subtree a tile spans, all eight Merkle levels of it, can be hashed once and kept. With the
tiles of a proof's path cached, an inclusion or consistency proof (RFC 9162 §2.1.3.1, §2.1.4.1)
costs a few dictionary lookups and no reads at all.

The cache is bounded (least recently used tiles are dropped) and safe to share between threads.
It does no I/O of its own: tiles come from the :class:`~tradetrace.ledger.tiles.TileReader`
given to it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from hashlib import sha256
from threading import Lock

from tradetrace.errors import InvalidDocument, NotFound
from tradetrace.ledger.compact import root_from_leaf_hashes
from tradetrace.ledger.merkle import HASH_SIZE
from tradetrace.ledger.tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    TileId,
    TileReader,
    read_tile,
    tile_for_node,
)

__all__ = [
    "DEFAULT_CACHED_TILES",
    "NodeCache",
    "SizedNodes",
    "TileNodes",
    "tile_levels",
]

DEFAULT_CACHED_TILES = 4096
"""Tiles a :class:`NodeCache` keeps by default: at most 16 KiB each, so at most 64 MiB."""

_TileKey = tuple[int, int, int]  # level, index, width
_Levels = tuple[bytes, ...]  # Merkle level k of the tile as one string of (width >> k) hashes


class NodeCache:
    """Reads tree nodes from tiles, keeping every Merkle level of the tiles it has read.

    ``capacity`` bounds how many tiles are kept (``InvalidDocument`` if below 1). Use
    :meth:`nodes` to get the node reader of one tree size.
    """

    __slots__ = ("_capacity", "_lock", "_reader", "_tiles")

    def __init__(self, reader: TileReader, *, capacity: int = DEFAULT_CACHED_TILES) -> None:
        if capacity < 1:
            raise InvalidDocument(f"node cache capacity must be at least 1, got {capacity}")
        self._reader = reader
        self._capacity = capacity
        self._tiles: OrderedDict[_TileKey, _Levels] = OrderedDict()
        self._lock = Lock()

    def nodes(self, size: int) -> SizedNodes:
        """The :class:`~tradetrace.ledger.merkle.NodeReader` of the tree of ``size`` leaves."""
        return SizedNodes(self, size)

    def __len__(self) -> int:
        return len(self._tiles)

    def offer(self, tile: TileId, levels: Sequence[bytes]) -> None:
        """Keep the levels (:func:`tile_levels`) of a tile that was just stored, so that proofs
        neither read nor hash it again.

        Call this only once the write is committed: before that, a rolled-back append could
        leave the path to other hashes. Raises ``InvalidDocument`` unless ``levels`` has the
        nine levels of a tile of ``tile.width`` hashes.
        """
        expected = [(tile.width >> k) * HASH_SIZE for k in range(TILE_HEIGHT + 1)]
        if [len(level) for level in levels] != expected:
            raise InvalidDocument(f"levels offered for {tile.path} do not fit its width")
        self._store((tile.level, tile.index, tile.width), tuple(levels))

    def levels(self, level: int, index: int, width: int) -> _Levels:
        """Every Merkle level of one tile, read and hashed on the first request.

        Raises ``NotFound`` if the tile cannot be read and ``TileInvalid`` if it is malformed.
        """
        key = (level, index, width)
        with self._lock:
            cached = self._tiles.get(key)
            if cached is not None:
                self._tiles.move_to_end(key)
                return cached
        # Read and hash outside the lock; two threads missing at once just do the work twice.
        levels = tile_levels(b"".join(read_tile(self._reader, TileId(level, index, width))))
        self._store(key, levels)
        return levels

    def _store(self, key: _TileKey, value: _Levels) -> None:
        with self._lock:
            self._tiles[key] = value
            self._tiles.move_to_end(key)
            if len(self._tiles) > self._capacity:
                self._tiles.popitem(last=False)


class SizedNodes:
    """The nodes of the tree of ``size`` leaves, served from a :class:`NodeCache`.

    A node at Merkle level ``h`` lies in tile level ``h // 8``, at height ``h % 8`` inside the tile
    that holds its leftmost descendant (tlog-tiles "Merkle Tree").
    """

    __slots__ = ("_cache", "_size")

    def __init__(self, cache: NodeCache, size: int) -> None:
        self._cache = cache
        self._size = size

    def node(self, level: int, index: int) -> bytes:
        """Return the full node ``(level, index)``; raise ``NotFound`` beyond the tree."""
        size = self._size
        if level < 0 or index < 0 or (index + 1) << level > size:
            raise NotFound(f"node ({level}, {index}) is not a full subtree of size {size}")
        tile_level, height = divmod(level, TILE_HEIGHT)
        first = index << height  # the node's leftmost hash at the tile level
        tile_index = first >> TILE_HEIGHT
        count = size >> (TILE_HEIGHT * tile_level)
        width = min(TILE_WIDTH, count - (tile_index << TILE_HEIGHT))
        levels = self._cache.levels(tile_level, tile_index, width)
        offset = (index % (TILE_WIDTH >> height)) * HASH_SIZE
        return levels[height][offset : offset + HASH_SIZE]


class TileNodes:
    """A :class:`~tradetrace.ledger.merkle.NodeReader` over the tiles of a tree of ``size`` leaves.

    A node at Merkle level ``h`` is read from tile level ``h // 8`` and, unless ``h`` is a multiple
    of 8, rebuilt from the ``2**(h % 8)`` hashes under it. Tiles are cached for the reader's
    lifetime, so one instance should serve one proof or one audit step.
    """

    __slots__ = ("_cache", "_reader", "_size")

    def __init__(self, reader: TileReader, size: int) -> None:
        self._reader = reader
        self._size = size
        self._cache: dict[TileId, list[bytes]] = {}

    def node(self, level: int, index: int) -> bytes:
        """Return the full node ``(level, index)``; raise ``NotFound`` beyond the tree."""
        if level < 0 or index < 0 or (index + 1) << level > self._size:
            raise NotFound(f"node ({level}, {index}) is not a full subtree of size {self._size}")
        tile_level, height = divmod(level, TILE_HEIGHT)
        first = index << height  # index of the first hash under the node, at the tile level
        tile = tile_for_node(tile_level, first, self._size)
        hashes = self._cache.get(tile)
        if hashes is None:
            hashes = self._cache[tile] = read_tile(self._reader, tile)
        offset = first % TILE_WIDTH
        return root_from_leaf_hashes(hashes[offset : offset + (1 << height)])


def tile_levels(hashes: bytes) -> tuple[bytes, ...]:
    """Every Merkle level a tile spans: level 0 is the tile, level ``k + 1`` hashes adjacent
    pairs of level ``k`` (RFC 9162 §2.1.1), so a full tile's level 8 is its root.

    Only full nodes are kept: a partial tile of width ``W`` has ``W >> k`` nodes at level ``k``.
    """
    levels = [hashes]
    pair = 2 * HASH_SIZE
    for _ in range(TILE_HEIGHT):
        below = levels[-1]
        end = len(below) // pair * pair
        parents = [sha256(b"\x01" + below[i : i + pair]).digest() for i in range(0, end, pair)]
        levels.append(b"".join(parents))
    return tuple(levels)
