"""Building tiles and entry bundles: byte-exact against Tessera, and independent of batching."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace.errors import LimitExceeded, NotFound
from tradetrace.ledger import (
    CompactRange,
    MappingTileReader,
    TileNodes,
    build_entry_bundles,
    build_tiles,
    extend_tree,
    leaf_hash,
    tile_levels,
    tiles_for_size,
)

from .factories import TESSERA, TESSERA_WORDS, entries, make_log, reference_root


def _append(store, start, values):
    reader = MappingTileReader(store)
    changed = build_tiles(start, [leaf_hash(value) for value in values], reader=reader)
    changed |= build_entry_bundles(start, values, reader=reader)
    store |= changed
    return changed


def test_one_entry_at_a_time_rebuilds_every_tessera_tile_byte_for_byte():
    store: dict[str, bytes] = {}
    for size, word in enumerate(TESSERA_WORDS, start=1):
        changed = _append(store, size - 1, [word])
        assert sorted(changed) == [f"tile/0/000.p/{size}", f"tile/entries/000.p/{size}"]
        for path, data in changed.items():
            assert (TESSERA / path).read_bytes() == data, path


@pytest.mark.parametrize("split", [[15], [1, 14], [7, 8], [3, 0, 12]])
def test_any_batching_gives_the_tessera_final_tiles(split):
    store: dict[str, bytes] = {}
    start = 0
    for size in split:
        _append(store, start, list(TESSERA_WORDS[start : start + size]))
        start += size
    for path in ("tile/0/000.p/15", "tile/entries/000.p/15"):
        assert store[path] == (TESSERA / path).read_bytes()


def test_empty_batch_changes_nothing():
    store: dict[str, bytes] = {}
    _append(store, 0, [b"a", b"b"])
    assert build_tiles(2, [], reader=MappingTileReader(store)) == {}
    assert build_entry_bundles(2, [], reader=MappingTileReader(store)) == {}


@settings(max_examples=15, deadline=None)
@given(batches=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=5))
def test_batched_tiles_equal_one_shot_tiles(batches):
    values = entries(sum(batches))
    batched = make_log(values, batches=batches)
    one_shot = make_log(values)
    size = len(values)
    for tile in tiles_for_size(size):
        assert batched.resources[tile.path] == one_shot.resources[tile.path], tile.path
    edge = CompactRange.from_nodes(size, TileNodes(batched.reader, size))
    assert edge.root() == reference_root(batched.leaves)


def test_tiles_above_level_zero_hold_roots_of_full_tiles():
    log = make_log(entries(256 * 3 + 1), batches=[255, 2, 512])
    level_one = log.resources["tile/1/000.p/3"]
    for position in range(3):
        leaves = log.leaves[position * 256 : (position + 1) * 256]
        assert level_one[position * 32 : (position + 1) * 32] == reference_root(leaves)
    assert "tile/1/000.p/1" in log.resources  # the size-257 checkpoint's partial tile
    assert "tile/2/000.p/1" not in log.resources


def test_building_on_a_missing_partial_tile_is_not_found():
    with pytest.raises(NotFound, match=r"no tile at tile/0/000") as caught:
        build_tiles(5, [leaf_hash(b"x")], reader=MappingTileReader({}))
    assert caught.value.code == "not_found"
    with pytest.raises(NotFound, match=r"no tile at tile/entries/000") as caught:
        build_entry_bundles(5, [b"x"], reader=MappingTileReader({}))
    assert caught.value.code == "not_found"


def test_oversized_entry_is_refused_before_anything_is_written():
    with pytest.raises(LimitExceeded, match=r"entry 1 is 70000 bytes") as caught:
        build_entry_bundles(0, [b"ok", b"x" * 70_000], reader=MappingTileReader({}))
    assert caught.value.code == "limit_exceeded"


@settings(max_examples=40, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=700),
    count=st.integers(min_value=0, max_value=900),
)
def test_extend_tree_equals_separate_tiles_and_compact_range(start, count):
    leaves = [leaf_hash(value) for value in entries(start + count)]
    store: dict[str, bytes] = {}
    _append(store, 0, entries(start))
    expected_edge = CompactRange()
    expected_edge.extend(leaves)
    edge = CompactRange()
    edge.extend(leaves[:start])
    extension = extend_tree(edge, leaves[start:], reader=MappingTileReader(store))
    assert extension.resources == build_tiles(
        start, leaves[start:], reader=MappingTileReader(store)
    )
    assert (edge.size, edge.hashes) == (expected_edge.size, expected_edge.hashes)
    for tile, levels in extension.filled.items():
        assert levels == tile_levels(extension.resources[tile.path])
        assert tile.width == 256
