"""C2SP tlog-tiles: tile and entry-bundle paths, their contents, and reading the tree from tiles.

A tile at level ``L`` holds up to 256 consecutive hashes of Merkle level ``8 * L``: each is the
root of a full subtree of ``256**L`` leaves. Level-0 tiles hold leaf hashes; entry bundles hold
the entries themselves as big-endian uint16 length-prefixed byte strings. Reading goes through a
:class:`TileReader`, so the same code serves a directory, an HTTP fetcher or a dict.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from tradetrace.errors import LimitExceeded, NotFound, TileInvalid
from tradetrace.ledger.merkle import HASH_SIZE

__all__ = [
    "MAX_ENTRY_SIZE",
    "TILE_HEIGHT",
    "TILE_WIDTH",
    "BundleId",
    "MappingTileReader",
    "TileId",
    "TileReader",
    "bundles_for_size",
    "encode_entry_bundle",
    "parse_entry_bundle",
    "read_entry_bundle",
    "read_tile",
    "tile_for_node",
    "tiles_for_size",
    "tiles_since",
]

TILE_HEIGHT = 8
"""Merkle levels spanned by one tile level (tlog-tiles "Merkle Tree")."""

TILE_WIDTH = 1 << TILE_HEIGHT
"""Hashes in a full tile, and entries in a full bundle: 256."""

MAX_ENTRY_SIZE = 0xFFFF
"""Largest entry an entry bundle can hold: its length is a uint16 (tlog-tiles "Log entries")."""

_PACK_LENGTH = struct.Struct(">H").pack
_INDEX = r"((?:x[0-9]{3}/)*[0-9]{3})"
_WIDTH = r"(?:\.p/([1-9][0-9]?|1[0-9]{2}|2[0-4][0-9]|25[0-5]))?"
_TILE_PATH = re.compile(rf"tile/([0-9]|[1-5][0-9]|6[0-3])/{_INDEX}{_WIDTH}", re.ASCII)
_BUNDLE_PATH = re.compile(rf"tile/entries/{_INDEX}{_WIDTH}", re.ASCII)


class TileReader(Protocol):
    """Reads one resource of a tiled log by its path, for example ``tile/0/x001/234.p/7``.

    Implementations raise :class:`~tradetrace.errors.NotFound` when the resource does not exist.
    """

    def read(self, path: str) -> bytes:
        """Return the bytes stored at ``path`` (relative to the log prefix)."""
        ...


@dataclass(frozen=True, slots=True)
class TileId:
    """One Merkle tree tile: level, index and width (tlog-tiles "Merkle Tree")."""

    level: int
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        _check_coordinates(self.index, self.width)
        if not 0 <= self.level <= 63:
            raise NotFound(f"tile level {self.level} is not between 0 and 63")

    @property
    def path(self) -> str:
        """The path ``tile/<L>/<N>[.p/<W>]``."""
        return f"tile/{self.level}/{_encode_index(self.index, self.width)}"

    @classmethod
    def from_path(cls, path: str) -> TileId:
        """Parse a tile path; raise ``NotFound`` if it is not one."""
        match = _TILE_PATH.fullmatch(path)
        if match is None:
            raise NotFound(f"not a tile path: {path[:80]!r}")
        level, index, width = match.groups()
        tile = cls(int(level), _decode_index(index), int(width or TILE_WIDTH))
        if tile.path != path:  # reject non-canonical forms such as x000/001
            raise NotFound(f"not a canonical tile path: {path[:80]!r}")
        return tile


@dataclass(frozen=True, slots=True)
class BundleId:
    """One entry bundle: index and width, as the level-0 tile it matches (tlog-tiles)."""

    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        _check_coordinates(self.index, self.width)

    @property
    def path(self) -> str:
        """The path ``tile/entries/<N>[.p/<W>]``."""
        return f"tile/entries/{_encode_index(self.index, self.width)}"

    @classmethod
    def from_path(cls, path: str) -> BundleId:
        """Parse an entry bundle path; raise ``NotFound`` if it is not one."""
        match = _BUNDLE_PATH.fullmatch(path)
        if match is None:
            raise NotFound(f"not an entry bundle path: {path[:80]!r}")
        index, width = match.groups()
        bundle = cls(_decode_index(index), int(width or TILE_WIDTH))
        if bundle.path != path:  # reject non-canonical forms such as x000/001
            raise NotFound(f"not a canonical entry bundle path: {path[:80]!r}")
        return bundle


def tiles_for_size(size: int) -> list[TileId]:
    """List every tile of a tree of ``size`` leaves, level by level (tlog-tiles "Partial Tiles").

    Level ``L`` has ``size >> 8(L+1)`` full tiles and, if ``(size >> 8L) % 256`` is non-zero,
    one partial tile of that width. A tree of size 256 has one full level-0 tile and a partial
    level-1 tile of width 1.
    """
    tiles = []
    level = 0
    while size >> (TILE_HEIGHT * level):
        count = size >> (TILE_HEIGHT * level)
        tiles += [TileId(level, index) for index in range(count >> TILE_HEIGHT)]
        if count % TILE_WIDTH:
            tiles.append(TileId(level, count >> TILE_HEIGHT, count % TILE_WIDTH))
        level += 1
    return tiles


def tiles_since(old_size: int, size: int) -> list[TileId]:
    """List the tiles of a tree of ``size`` leaves whose paths a tree of ``old_size`` lacks.

    A mirror holding every tile of the smaller tree needs exactly these to hold the larger one:
    new full tiles, and the partial tiles whose width changed (tlog-tiles "Partial Tiles"). The
    entry bundles it needs are the :class:`BundleId` of the level-0 ones. Raises ``NotFound``
    unless ``0 <= old_size <= size``.
    """
    if not 0 <= old_size <= size:
        raise NotFound(f"no tree growth from size {old_size} to size {size}")
    tiles = []
    level = 0
    while count := size >> (TILE_HEIGHT * level):
        old_count = old_size >> (TILE_HEIGHT * level)
        for index in range(old_count >> TILE_HEIGHT, (count + TILE_WIDTH - 1) >> TILE_HEIGHT):
            start = index << TILE_HEIGHT
            width = min(TILE_WIDTH, count - start)
            if width != min(TILE_WIDTH, max(old_count - start, 0)):
                tiles.append(TileId(level, index, width))
        level += 1
    return tiles


def bundles_for_size(size: int) -> list[BundleId]:
    """List every entry bundle of a log of ``size`` entries (tlog-tiles "Log entries")."""
    return [BundleId(tile.index, tile.width) for tile in tiles_for_size(size) if tile.level == 0]


def tile_for_node(level: int, index: int, size: int) -> TileId:
    """Return the tile holding hash ``index`` of tile level ``level`` in a tree of ``size`` leaves.

    Its width is what that tree's tile has: 256 if full, else the partial width (tlog-tiles
    "Partial Tiles"). Raises ``NotFound`` if the tree has no such hash.
    """
    count = size >> (TILE_HEIGHT * level)
    tile_index = index >> TILE_HEIGHT
    return TileId(level, tile_index, min(TILE_WIDTH, count - (tile_index << TILE_HEIGHT)))


def encode_entry_bundle(entries: Iterable[bytes]) -> bytes:
    """Encode entries as big-endian uint16 length-prefixed byte strings (tlog-tiles).

    Raises ``LimitExceeded`` for an entry over 65,535 bytes.
    """
    entries = list(entries)
    if max(map(len, entries), default=0) > MAX_ENTRY_SIZE:
        number = next(n for n, entry in enumerate(entries) if len(entry) > MAX_ENTRY_SIZE)
        raise LimitExceeded(
            f"entry {number} is {len(entries[number])} bytes: a tlog-tiles entry holds at "
            f"most {MAX_ENTRY_SIZE}"
        )
    return b"".join([_PACK_LENGTH(len(entry)) + entry for entry in entries])


def parse_entry_bundle(data: bytes) -> list[bytes]:
    """Split an entry bundle into its entries (tlog-tiles "Log entries"); raise ``TileInvalid``."""
    entries: list[bytes] = []
    offset = 0
    while offset < len(data):
        end = offset + 2 + int.from_bytes(data[offset : offset + 2], "big")
        if end > len(data):
            raise TileInvalid(
                f"entry bundle is truncated: entry {len(entries)} needs {end} bytes, "
                f"bundle has {len(data)}"
            )
        entries.append(data[offset + 2 : end])
        offset = end
    return entries


def read_tile(reader: TileReader, tile: TileId) -> list[bytes]:
    """Read a tile's hashes; for a missing partial tile, fall back to the full tile's prefix.

    tlog-tiles lets logs delete a partial tile once the full tile exists. Raises ``NotFound``
    when neither exists and ``TileInvalid`` when the data has the wrong length.
    """
    full = TileId(tile.level, tile.index)
    path, data = _read_with_fallback(reader, tile, full)
    expected = (TILE_WIDTH if path == full.path else tile.width) * HASH_SIZE
    if len(data) != expected:
        raise TileInvalid(f"{path} has wrong length: expected {expected}, got {len(data)}")
    return [data[i : i + HASH_SIZE] for i in range(0, tile.width * HASH_SIZE, HASH_SIZE)]


def read_entry_bundle(reader: TileReader, bundle: BundleId) -> list[bytes]:
    """Read a bundle's entries, with the same partial-to-full fallback as :func:`read_tile`.

    Raises ``NotFound`` if neither exists and ``TileInvalid`` if the entry count is wrong.
    """
    full = BundleId(bundle.index)
    path, data = _read_with_fallback(reader, bundle, full)
    try:
        entries = parse_entry_bundle(data)
    except TileInvalid as exc:
        raise TileInvalid(f"{path}: {exc.message}") from exc
    expected = TILE_WIDTH if path == full.path else bundle.width
    if len(entries) != expected:
        raise TileInvalid(f"{path} has wrong entry count: expected {expected}, got {len(entries)}")
    return entries[: bundle.width]


class MappingTileReader:
    """A :class:`TileReader` over a mapping of paths to bytes, such as tiles built in memory."""

    __slots__ = ("_tiles",)

    def __init__(self, tiles: Mapping[str, bytes]) -> None:
        self._tiles = tiles

    def read(self, path: str) -> bytes:
        """Return the bytes at ``path``; raise ``NotFound`` if there are none."""
        try:
            return self._tiles[path]
        except KeyError:
            raise NotFound(f"no tile at {path}") from None


def _read_with_fallback(
    reader: TileReader, wanted: TileId | BundleId, full: TileId | BundleId
) -> tuple[str, bytes]:
    """Read ``wanted``; if it is partial and missing, read ``full``. Returns the path read."""
    try:
        return wanted.path, reader.read(wanted.path)
    except NotFound:
        if wanted == full:
            raise
    return full.path, reader.read(full.path)


def _check_coordinates(index: int, width: int) -> None:
    if index < 0 or not 1 <= width <= TILE_WIDTH:
        raise NotFound(f"tile index {index} or width {width} is out of range")


def _encode_index(index: int, width: int) -> str:
    """``1234067`` becomes ``x001/x234/067``: 3-digit groups, all but the last x-prefixed."""
    digits = str(index)
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    encoded = "/".join(f"x{group}" for group in groups[:-1]) + ("/" if groups[:-1] else "")
    encoded += groups[-1]
    return encoded if width == TILE_WIDTH else f"{encoded}.p/{width}"


def _decode_index(encoded: str) -> int:
    return int(encoded.replace("x", "").replace("/", ""))
