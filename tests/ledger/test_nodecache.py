"""The caching node reader: proofs from cached tiles equal proofs from the whole tree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace.errors import InvalidDocument, NotFound
from tradetrace.ledger import (
    Ed25519Signer,
    InMemoryTree,
    MappingTileReader,
    NodeCache,
    TileId,
    build_tiles,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    tile_levels,
)
from tradetrace.ledger.log import InMemoryLogStore, TransparencyLog

from .factories import entries


def _small_log():
    """1,500 entries in odd batches, in a store that serves every partial width."""
    store = InMemoryLogStore()
    log = TransparencyLog(store, origin="o", signer=Ed25519Signer.generate("o"))
    values = entries(1500)
    start = 0
    for size in [1, 255, 1, 300, 943]:
        log.append(values[start : start + size])
        start += size
    return store, [leaf_hash(value) for value in values]


SMALL, SMALL_LEAVES = _small_log()
SMALL_TREE = InMemoryTree(SMALL_LEAVES)


class CountingReader:
    """A tile reader that counts reads."""

    def __init__(self, inner):
        self.inner = inner
        self.reads = []

    def read(self, path):
        self.reads.append(path)
        return self.inner.read(path)


@pytest.fixture(scope="module")
def large():
    """70,000 leaves: two levels of full tiles and a partial level-2 tile."""
    hashes = [leaf_hash(b"%d" % number) for number in range(70_000)]
    tiles = build_tiles(0, hashes[:65_600], reader=MappingTileReader({}))
    tiles |= build_tiles(65_600, hashes[65_600:], reader=MappingTileReader(tiles))
    return tiles, InMemoryTree(hashes)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_cached_proofs_equal_in_memory_proofs(data):
    size = data.draw(st.integers(min_value=1, max_value=1500))
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    old = data.draw(st.integers(min_value=0, max_value=size))
    reference = InMemoryTree(SMALL_LEAVES[:size])
    cache = NodeCache(SMALL, capacity=3)
    nodes = cache.nodes(size)
    assert inclusion_proof(index, size, nodes=nodes) == inclusion_proof(
        index, size, nodes=reference
    )
    assert consistency_proof(old, size, nodes=nodes) == consistency_proof(
        old, size, nodes=reference
    )


@settings(max_examples=25, deadline=None)
@given(index=st.integers(min_value=0, max_value=69_999), old=st.integers(1, 70_000))
def test_cached_proofs_span_several_tile_levels(large, index, old):
    tiles, reference = large
    nodes = NodeCache(MappingTileReader(tiles)).nodes(70_000)
    assert inclusion_proof(index, 70_000, nodes=nodes) == inclusion_proof(
        index, 70_000, nodes=reference
    )
    assert consistency_proof(old, 70_000, nodes=nodes) == consistency_proof(
        old, 70_000, nodes=reference
    )


def test_a_tile_is_read_and_hashed_once_per_width():
    reader = CountingReader(SMALL)
    cache = NodeCache(reader)
    for index in range(0, 1500, 7):
        inclusion_proof(index, 1500, nodes=cache.nodes(1500))
    first = list(reader.reads)
    assert sorted(first) == sorted(set(first))  # every tile read exactly once
    for index in range(0, 1500, 11):
        inclusion_proof(index, 1500, nodes=cache.nodes(1500))
    assert reader.reads == first
    # A smaller tree: its level-0 partial tile has another width; its level-1 tile (width 5)
    # is the same one.
    inclusion_proof(3, 1400, nodes=cache.nodes(1400))
    assert reader.reads[len(first) :] == ["tile/0/005.p/120"]


def test_least_recently_used_tiles_are_dropped():
    reader = CountingReader(SMALL)
    cache = NodeCache(reader, capacity=2)
    nodes = cache.nodes(1500)
    for tile in (0, 1, 0, 2, 0):
        nodes.node(0, tile * 256)
    assert len(cache) == 2
    assert reader.reads == ["tile/0/000", "tile/0/001", "tile/0/002"]
    nodes.node(0, 256)  # evicted when tile 2 came in
    assert reader.reads[-1] == "tile/0/001"


def test_node_outside_the_tree_is_not_found():
    nodes = NodeCache(SMALL).nodes(1500)
    assert nodes.node(3, 10) == SMALL_TREE.node(3, 10)
    for level, index in [(0, 1500), (-1, 0), (0, -1), (11, 0)]:
        with pytest.raises(NotFound, match=r"is not a full subtree of size 1500") as caught:
            nodes.node(level, index)
        assert caught.value.code == "not_found"


def test_missing_tile_is_not_found_and_not_cached():
    cache = NodeCache(MappingTileReader({}))
    with pytest.raises(NotFound, match=r"no tile at tile/0/000") as caught:
        cache.nodes(10).node(0, 3)
    assert caught.value.code == "not_found"
    assert len(cache) == 0


def test_capacity_must_be_positive():
    with pytest.raises(InvalidDocument, match=r"capacity must be at least 1, got 0") as caught:
        NodeCache(SMALL, capacity=0)
    assert caught.value.code == "invalid_document"


def test_offered_levels_must_fit_the_tile():
    cache = NodeCache(SMALL)
    levels = tile_levels(b"".join(SMALL_LEAVES[:256]))
    cache.offer(TileId(0, 0), levels)
    assert cache.nodes(1500).node(8, 0) == SMALL_TREE.node(8, 0)
    with pytest.raises(
        InvalidDocument, match=r"levels offered for tile/0/001 do not fit"
    ) as caught:
        cache.offer(TileId(0, 1), levels[:-1])
    assert caught.value.code == "invalid_document"
    with pytest.raises(InvalidDocument, match=r"tile/0/001.p/3 do not fit its width") as wide:
        cache.offer(TileId(0, 1, 3), levels)
    assert wide.value.code == "invalid_document"
