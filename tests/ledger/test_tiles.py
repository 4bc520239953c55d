"""C2SP tlog-tiles: paths, tile sets per tree size, entry bundles, and reading nodes from tiles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace.errors import LimitExceeded, NotFound, TileInvalid
from tradetrace.ledger import (
    BundleId,
    InMemoryTree,
    MappingTileReader,
    TileId,
    TileNodes,
    bundles_for_size,
    consistency_proof,
    encode_entry_bundle,
    inclusion_proof,
    leaf_hash,
    parse_entry_bundle,
    read_entry_bundle,
    read_tile,
    tiles_for_size,
    tiles_since,
)

from .factories import TESSERA, TESSERA_WORDS, entries, make_log, tessera_reader


def _raises(error, message, call, *args):
    with pytest.raises(error, match=message) as caught:
        call(*args)
    assert caught.value.code == error.code


@pytest.mark.parametrize(
    ("tile", "path"),
    [
        (TileId(0, 0), "tile/0/000"),
        (TileId(0, 0, 15), "tile/0/000.p/15"),
        (TileId(1, 1234067), "tile/1/x001/x234/067"),
        (TileId(2, 1000, 255), "tile/2/x001/000.p/255"),
        (TileId(63, 999), "tile/63/999"),
        (TileId(3, 2**40), "tile/3/x001/x099/x511/x627/776"),
    ],
)
def test_tile_path_encoding(tile, path):
    assert tile.path == path
    assert TileId.from_path(path) == tile


@pytest.mark.parametrize(
    ("bundle", "path"),
    [
        (BundleId(0, 7), "tile/entries/000.p/7"),
        (BundleId(1234067), "tile/entries/x001/x234/067"),
        (BundleId(5, 1), "tile/entries/005.p/1"),
    ],
)
def test_entry_bundle_path_encoding(bundle, path):
    assert bundle.path == path
    assert BundleId.from_path(path) == bundle


@pytest.mark.parametrize(
    "path",
    [
        "tile/00/000",
        "tile/64/000",
        "tile/0/00",
        "tile/0/x000/001",
        "tile/0/001/002",
        "tile/0/000.p/0",
        "tile/0/000.p/256",
        "tile/0/000.p/07",
        "tile/entries/000",
        "/tile/0/000",
        "tile/0/000/",
    ],
)
def test_invalid_tile_path_is_not_found(path):
    _raises(NotFound, r"not a (canonical )?tile path", TileId.from_path, path)


@pytest.mark.parametrize(
    "path", ["tile/entries/x000/001", "tile/entries/000.p/256", "tile/0/000", "tile/entries/1"]
)
def test_invalid_bundle_path_is_not_found(path):
    _raises(NotFound, r"not (an|a canonical) entry bundle path", BundleId.from_path, path)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((64, 0), r"tile level 64 is not between 0 and 63"),
        ((-1, 0), r"tile level -1"),
        ((0, -1), r"tile index -1 or width 256 is out of range"),
        ((0, 0, 0), r"tile index 0 or width 0 is out of range"),
        ((0, 0, 257), r"width 257"),
    ],
)
def test_tile_coordinates_are_validated(arguments, message):
    _raises(NotFound, message, TileId, *arguments)


def test_tile_set_of_the_spec_example_size_70000():
    tiles = tiles_for_size(70_000)
    assert [tile for tile in tiles if tile.width < 256] == [
        TileId(0, 273, 112),
        TileId(1, 1, 17),
        TileId(2, 0, 1),
    ]
    assert sum(1 for tile in tiles if tile.level == 0 and tile.width == 256) == 273
    assert [tile for tile in tiles if tile.level == 1 and tile.width == 256] == [TileId(1, 0)]
    assert len(bundles_for_size(70_000)) == 274


def test_tile_set_of_size_256_has_a_partial_level_one_tile():
    assert tiles_for_size(256) == [TileId(0, 0), TileId(1, 0, 1)]
    assert bundles_for_size(256) == [BundleId(0)]
    assert tiles_for_size(0) == []
    assert bundles_for_size(0) == []


@pytest.mark.parametrize("size", range(1, 16))
def test_tessera_log_has_the_tiles_its_size_requires(size):
    reader = tessera_reader()
    assert [tile.path for tile in tiles_for_size(size)] == [f"tile/0/000.p/{size}"]
    assert all((TESSERA / tile.path).is_file() for tile in tiles_for_size(size))
    words = read_entry_bundle(reader, bundles_for_size(size)[0])
    assert words == list(TESSERA_WORDS[:size])
    assert read_tile(reader, tiles_for_size(size)[0]) == [leaf_hash(word) for word in words]


@given(st.lists(st.binary(max_size=300), max_size=40))
def test_entry_bundle_round_trips(values):
    assert parse_entry_bundle(encode_entry_bundle(values)) == values


def test_entry_bundle_is_length_prefixed_big_endian():
    assert encode_entry_bundle([b"one", b""]) == b"\x00\x03one\x00\x00"
    assert encode_entry_bundle([b"x" * 0xFFFF])[:2] == b"\xff\xff"


def test_entry_over_65535_bytes_cannot_be_bundled():
    _raises(
        LimitExceeded,
        r"entry 1 is 65536 bytes: a tlog-tiles entry holds at most 65535",
        encode_entry_bundle,
        [b"", b"x" * 65536],
    )


@pytest.mark.parametrize("data", [b"\x00", b"\x00\x05abcd", b"\x00\x01a\x00\x02b"])
def test_truncated_entry_bundle_is_invalid(data):
    _raises(TileInvalid, r"entry bundle is truncated", parse_entry_bundle, data)


def _small_log(count=300):
    return make_log(entries(count), batches=[10, count - 10])


def test_partial_tile_falls_back_to_the_full_tile_prefix():
    log = _small_log()
    assert "tile/0/000.p/10" in log.resources
    del log.resources["tile/0/000.p/10"], log.resources["tile/entries/000.p/10"]
    assert read_tile(log.reader, TileId(0, 0, 10)) == log.leaves[:10]
    assert read_entry_bundle(log.reader, BundleId(0, 10)) == entries(10)


def test_missing_tile_is_not_found():
    log = _small_log()
    _raises(NotFound, r"no tile at tile/0/002$", read_tile, log.reader, TileId(0, 2, 3))
    _raises(NotFound, r"no tile at tile/0/005$", read_tile, log.reader, TileId(0, 5))
    _raises(NotFound, r"tile/entries/002", read_entry_bundle, log.reader, BundleId(2, 3))


@pytest.mark.parametrize(
    ("path", "data", "tile", "message"),
    [
        (
            "tile/0/000.p/2",
            b"x" * 63,
            TileId(0, 0, 2),
            r"tile/0/000.p/2 has wrong length: expected 64, got 63",
        ),
        (
            "tile/0/000",
            b"x" * 64,
            TileId(0, 0, 2),
            r"tile/0/000 has wrong length: expected 8192, got 64",
        ),
    ],
)
def test_tile_of_the_wrong_length_is_invalid(path, data, tile, message):
    _raises(TileInvalid, message, read_tile, MappingTileReader({path: data}), tile)


@pytest.mark.parametrize(
    ("path", "values", "bundle", "message"),
    [
        (
            "tile/entries/000.p/3",
            [b"a", b"b"],
            BundleId(0, 3),
            r"000.p/3 has wrong entry count: expected 3, got 2",
        ),
        (
            "tile/entries/000",
            [b"a"] * 3,
            BundleId(0, 3),
            r"entries/000 has wrong entry count: expected 256, got 3",
        ),
    ],
)
def test_bundle_with_the_wrong_entry_count_is_invalid(path, values, bundle, message):
    reader = MappingTileReader({path: encode_entry_bundle(values)})
    _raises(TileInvalid, message, read_entry_bundle, reader, bundle)


def test_truncated_bundle_names_its_path():
    reader = MappingTileReader({"tile/entries/000.p/1": b"\x00\x09abc"})
    _raises(
        TileInvalid,
        r"^tile/entries/000.p/1: entry bundle is truncated",
        read_entry_bundle,
        reader,
        BundleId(0, 1),
    )


def test_tile_nodes_equal_in_memory_nodes_across_tile_levels():
    count = 65_536 + 600
    log = make_log(entries(count), batches=[1, 300, 65_000, count - 65_301])
    tree = InMemoryTree(log.leaves)
    nodes = TileNodes(log.reader, count)
    for level in range(17):
        for index in {0, 1, (count >> level) - 1}:
            if (index + 1) << level <= count:
                assert nodes.node(level, index) == tree.node(level, index), (level, index)


def test_tile_nodes_refuse_nodes_beyond_the_tree():
    nodes = TileNodes(_small_log().reader, 300)
    for level, index in [(0, 300), (2, 75), (9, 0), (-1, 0), (0, -1)]:
        _raises(NotFound, r"is not a full subtree of size 300", nodes.node, level, index)


@settings(max_examples=25, deadline=None)
@given(size=st.integers(min_value=1, max_value=700), data=st.data())
def test_proofs_from_tiles_equal_proofs_from_memory(size, data):
    log = make_log(entries(size))
    tree, nodes = InMemoryTree(log.leaves), TileNodes(log.reader, size)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    old = data.draw(st.integers(min_value=0, max_value=size))
    assert inclusion_proof(index, size, nodes=nodes) == inclusion_proof(index, size, nodes=tree)
    assert consistency_proof(old, size, nodes=nodes) == consistency_proof(old, size, nodes=tree)


def test_mapping_reader_reports_missing_paths():
    _raises(NotFound, r"no tile at tile/0/000", MappingTileReader({}).read, "tile/0/000")


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_tiles_since_are_what_the_smaller_tree_lacks(data):
    size = data.draw(st.integers(min_value=0, max_value=200_000))
    old = data.draw(st.integers(min_value=0, max_value=size))
    have = {tile.path for tile in tiles_for_size(old)}
    want = {tile.path for tile in tiles_for_size(size)}
    assert [tile.path for tile in tiles_since(old, size)] == [
        tile.path for tile in tiles_for_size(size) if tile.path in want - have
    ]


def test_tiles_since_needs_growth():
    _raises(NotFound, r"no tree growth from size 5 to size 4", tiles_since, 5, 4)
    _raises(NotFound, r"no tree growth from size -1 to size 4", tiles_since, -1, 4)
