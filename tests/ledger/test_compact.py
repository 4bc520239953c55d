"""The compact range: batch appends, persistence, and the nodes it reports to an integrator."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace.errors import InvalidDocument
from tradetrace.ledger import (
    EMPTY_ROOT,
    CompactRange,
    InMemoryTree,
    leaf_hash,
    root_from_leaf_hashes,
)

from .factories import entries, reference_root


def _hashes(count):
    return [leaf_hash(value) for value in entries(count)]


def test_empty_range_has_the_empty_root():
    edge = CompactRange()
    assert (edge.size, edge.hashes, edge.root()) == (0, (), EMPTY_ROOT)
    assert root_from_leaf_hashes([]) == EMPTY_ROOT


@settings(max_examples=50, deadline=None)
@given(batches=st.lists(st.integers(min_value=0, max_value=70), max_size=8))
def test_batched_appends_give_the_reference_root_at_every_step(batches):
    hashes = _hashes(sum(batches))
    edge = CompactRange()
    done = 0
    for batch in batches:
        edge.extend(hashes[done : done + batch])
        done += batch
        assert edge.size == done
        assert edge.root() == reference_root(hashes[:done])
        assert len(edge.hashes) == done.bit_count()


@settings(max_examples=30, deadline=None)
@given(size=st.integers(min_value=0, max_value=600), more=st.integers(min_value=0, max_value=40))
def test_persisted_range_resumes_where_it_stopped(size, more):
    hashes = _hashes(size + more)
    first = CompactRange()
    first.extend(hashes[:size])
    resumed = CompactRange(first.size, first.hashes)
    rebuilt = CompactRange.from_nodes(size, InMemoryTree(hashes[:size]))
    assert rebuilt.hashes == first.hashes
    for value in hashes[size:]:
        resumed.append(value)
    assert resumed.root() == reference_root(hashes)


@settings(max_examples=30, deadline=None)
@given(start=st.integers(min_value=0, max_value=300), count=st.integers(min_value=0, max_value=300))
def test_visitor_reports_exactly_the_nodes_completed(start, count):
    hashes = _hashes(start + count)
    tree = InMemoryTree(hashes)
    edge = CompactRange()
    edge.extend(hashes[:start])
    seen = []
    edge.extend(hashes[start:], lambda level, index, value: seen.append((level, index, value)))
    expected = [
        (level, index)
        for level in range((start + count).bit_length())
        for index in range(start + count >> level)
        if (index + 1) << level > start
    ]
    assert sorted((level, index) for level, index, _ in seen) == sorted(expected)
    assert all(tree.node(level, index) == value for level, index, value in seen)
    assert edge.root() == root_from_leaf_hashes(hashes)


@pytest.mark.parametrize(
    ("size", "hashes", "message"),
    [
        (3, [b"a" * 32], r"compact range of size 3 needs 2 hashes, got 1"),
        (-1, [], r"compact range of size -1 needs 0 hashes, got 0"),
        (1, [b"a" * 31], r"compact range hash has wrong length: expected 32 bytes, got 31"),
    ],
)
def test_compact_range_rejects_an_inconsistent_state(size, hashes, message):
    with pytest.raises(InvalidDocument, match=message) as caught:
        CompactRange(size, hashes)
    assert caught.value.code == "invalid_document"


@pytest.mark.parametrize("visit", [None, lambda level, index, value: None])
def test_append_rejects_a_leaf_hash_of_the_wrong_length(visit):
    edge = CompactRange()
    with pytest.raises(InvalidDocument, match=r"leaf hash has wrong length: .* got 5") as caught:
        edge.extend([b"short"], visit)
    assert caught.value.code == "invalid_document"
    assert edge.size == 0


@pytest.mark.parametrize("size", [0, 256, 512, 768, 1024 + 256])
def test_appended_subtree_equals_its_leaves(size):
    leaves = [leaf_hash(b"%d" % number) for number in range(size + 256)]
    expected = CompactRange()
    expected.extend(leaves)
    edge = CompactRange()
    edge.extend(leaves[:size])
    edge.append_subtree(8, root_from_leaf_hashes(leaves[size:]))
    assert (edge.size, edge.hashes, edge.root()) == (
        expected.size,
        expected.hashes,
        expected.root(),
    )


@pytest.mark.parametrize(
    ("size", "level", "root"),
    [(100, 8, b"r" * 32), (256, -1, b"r" * 32), (256, 8, b"short")],
)
def test_subtree_must_start_at_its_own_boundary(size, level, root):
    edge = CompactRange()
    edge.extend([leaf_hash(b"%d" % number) for number in range(size)])
    with pytest.raises(
        InvalidDocument, match=rf"cannot append a subtree of level {level}"
    ) as caught:
        edge.append_subtree(level, root)
    assert caught.value.code == "invalid_document"
    assert edge.size == size


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5, 7, 8, 255, 256, 300])
def test_root_from_leaf_hashes_follows_the_rfc9162_split(count):
    leaves = [leaf_hash(b"%d" % number) for number in range(count)]
    assert root_from_leaf_hashes(leaves) == reference_root(leaves)
