"""RFC 9162 hashing and proofs: every transparency-dev/merkle probe, the RFC 6962 reference tree,
and property tests against the recursive definition."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace.errors import ConsistencyProofInvalid, InclusionProofInvalid, NotFound
from tradetrace.ledger import (
    EMPTY_ROOT,
    InMemoryTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

from .factories import MERKLE, entries, flip, load_json, probe_files, probe_id, reference_root

INCLUSION_FAILURE = r"beyond tree size|wrong length|wrong inclusion proof length|root hash mismatch"
CONSISTENCY_FAILURE = (
    r"smaller than size1|empty tree is meaningless|sizes are equal|root hash mismatch"
    r"|empty consistency proof|wrong length|wrong consistency proof length"
)
TREE = load_json(MERKLE / "rfc6962-tree.json")
TREE_LEAVES = [leaf_hash(bytes.fromhex(value)) for value in TREE["leaves_hex"]]
TREE_ROOTS = {
    int(size): bytes.fromhex(root) for size, root in TREE["roots_by_tree_size_hex"].items()
}


def _b64(values):
    return [base64.b64decode(value) for value in values or []]


def _tree(count):
    hashes = [leaf_hash(value) for value in entries(count)]
    return hashes, InMemoryTree(hashes)


def test_vendored_probe_counts():
    assert len(probe_files("inclusion")) == 98
    assert len(probe_files("consistency")) == 98


@pytest.mark.parametrize("path", probe_files("inclusion"), ids=probe_id)
def test_verify_inclusion_matches_transparency_dev_probe(path):
    probe = load_json(path)
    arguments = {
        "index": probe["leafIdx"],
        "size": probe["treeSize"],
        "root": base64.b64decode(probe["root"]),
    }
    leaf, proof = base64.b64decode(probe["leafHash"]), _b64(probe["proof"])
    if not probe["wantErr"]:
        verify_inclusion(leaf, proof, **arguments)
        return
    with pytest.raises(InclusionProofInvalid, match=INCLUSION_FAILURE) as caught:
        verify_inclusion(leaf, proof, **arguments)
    assert caught.value.code == "inclusion_proof_invalid"


@pytest.mark.parametrize("path", probe_files("consistency"), ids=probe_id)
def test_verify_consistency_matches_transparency_dev_probe(path):
    probe = load_json(path)
    arguments = {
        "size1": probe["size1"],
        "size2": probe["size2"],
        "root1": base64.b64decode(probe["root1"]),
        "root2": base64.b64decode(probe["root2"]),
    }
    proof = _b64(probe["proof"])
    if not probe["wantErr"]:
        verify_consistency(proof, **arguments)
        return
    with pytest.raises(ConsistencyProofInvalid, match=CONSISTENCY_FAILURE) as caught:
        verify_consistency(proof, **arguments)
    assert caught.value.code == "consistency_proof_invalid"


@pytest.mark.parametrize(
    "path",
    [
        path
        for path in probe_files("inclusion") + probe_files("consistency")
        if "happy" in path.name
    ],
    ids=probe_id,
)
def test_generated_proof_equals_reference_happy_path(path):
    probe = load_json(path)
    tree = InMemoryTree(TREE_LEAVES)
    if "leafIdx" in probe:
        proof = inclusion_proof(probe["leafIdx"], probe["treeSize"], nodes=tree)
    else:
        proof = consistency_proof(probe["size1"], probe["size2"], nodes=tree)
    assert proof == _b64(probe["proof"])


@pytest.mark.parametrize("size", sorted(TREE_ROOTS))
def test_root_matches_rfc6962_reference_tree(size):
    assert root_from_leaf_hashes(TREE_LEAVES[:size]) == TREE_ROOTS[size]


def test_in_memory_tree_nodes_match_reference_node_hashes():
    tree = InMemoryTree(TREE_LEAVES)
    for level, hashes in enumerate(TREE["node_hashes_by_level_hex"]):
        assert [tree.node(level, index).hex() for index in range(len(hashes))] == hashes


def test_single_hash_vectors():
    empty, empty_leaf, leaf, node = TREE["single_hash_vectors"]
    assert EMPTY_ROOT.hex() == empty["want"]
    assert leaf_hash(b"").hex() == empty_leaf["want"]
    assert leaf_hash(leaf["leaf_ascii"].encode()).hex() == leaf["want"]
    assert node_hash(b"N123", b"N456").hex() == node["want"]


def test_in_memory_tree_rejects_a_node_it_lacks():
    tree = InMemoryTree(TREE_LEAVES[:5])
    assert tree.size == 5
    for level, index in [(0, 5), (2, 1), (3, 0), (-1, 0), (0, -1)]:
        with pytest.raises(NotFound, match=r"is not a full subtree of a tree of size 5") as caught:
            tree.node(level, index)
        assert caught.value.code == "not_found"


@pytest.mark.parametrize(("index", "size"), [(0, 0), (5, 5), (-1, 3)])
def test_inclusion_proof_rejects_a_leaf_outside_the_tree(index, size):
    with pytest.raises(NotFound, match=rf"leaf {index} is not in a tree of size {size}") as caught:
        inclusion_proof(index, size, nodes=InMemoryTree(TREE_LEAVES))
    assert caught.value.code == "not_found"


def test_consistency_proof_rejects_shrinking_sizes():
    with pytest.raises(NotFound, match=r"no consistency proof from size 5 to size 4") as caught:
        consistency_proof(5, 4, nodes=InMemoryTree(TREE_LEAVES))
    assert caught.value.code == "not_found"


@pytest.mark.parametrize(("size1", "size2"), [(0, 0), (0, 8), (3, 3), (8, 8)])
def test_consistency_proof_is_empty_from_zero_or_to_the_same_size(size1, size2):
    assert consistency_proof(size1, size2, nodes=InMemoryTree(TREE_LEAVES)) == []


def test_proof_generation_reports_a_missing_node():
    with pytest.raises(NotFound, match=r"node \(0, 5\)") as caught:
        inclusion_proof(4, 7, nodes=InMemoryTree(TREE_LEAVES[:5]))
    assert caught.value.code == "not_found"


def test_verify_inclusion_names_expected_and_actual_root():
    proof = inclusion_proof(2, 8, nodes=InMemoryTree(TREE_LEAVES))
    wrong_root = TREE_ROOTS[7]
    message = rf"leaf 2 in tree of size 8: expected {wrong_root.hex()}, got {TREE_ROOTS[8].hex()}"
    with pytest.raises(InclusionProofInvalid, match=message) as caught:
        verify_inclusion(TREE_LEAVES[2], proof, index=2, size=8, root=wrong_root)
    assert caught.value.code == "inclusion_proof_invalid"


@pytest.mark.parametrize(
    ("leaf", "proof", "root", "message"),
    [
        (b"x" * 31, [], b"r" * 32, r"leaf hash has wrong length: expected 32 bytes, got 31"),
        (b"x" * 32, [], b"r" * 33, r"root hash has wrong length: expected 32 bytes, got 33"),
        (b"x" * 32, [b"p"], b"r" * 32, r"proof hash has wrong length: expected 32 bytes, got 1"),
        (b"x" * 32, [b"p" * 32], b"r" * 32, r"expected 0 hashes, got 1"),
    ],
)
def test_verify_inclusion_rejects_malformed_input(leaf, proof, root, message):
    with pytest.raises(InclusionProofInvalid, match=message) as caught:
        verify_inclusion(leaf, proof, index=0, size=1, root=root)
    assert caught.value.code == "inclusion_proof_invalid"


def test_verify_consistency_names_which_root_is_wrong():
    proof = consistency_proof(3, 8, nodes=InMemoryTree(TREE_LEAVES))
    cases = [
        (TREE_ROOTS[4], TREE_ROOTS[8], r"first root hash mismatch for size 3"),
        (TREE_ROOTS[3], TREE_ROOTS[7], r"second root hash mismatch for size 8"),
    ]
    for root1, root2, message in cases:
        with pytest.raises(ConsistencyProofInvalid, match=message) as caught:
            verify_consistency(proof, size1=3, size2=8, root1=root1, root2=root2)
        assert caught.value.code == "consistency_proof_invalid"


@pytest.mark.parametrize(
    ("proof", "root1", "root2", "message"),
    [
        ([b"p" * 32], b"r" * 31, b"r" * 32, r"first root hash has wrong length"),
        ([b"p" * 32], b"r" * 32, b"r" * 31, r"second root hash has wrong length"),
        ([b"p" * 32, b"p"], b"r" * 32, b"r" * 32, r"proof hash has wrong length"),
        ([b"p" * 32] * 5, b"r" * 32, b"r" * 32, r"expected 4 hashes, got 5"),
    ],
)
def test_verify_consistency_rejects_malformed_input(proof, root1, root2, message):
    with pytest.raises(ConsistencyProofInvalid, match=message) as caught:
        verify_consistency(proof, size1=3, size2=8, root1=root1, root2=root2)
    assert caught.value.code == "consistency_proof_invalid"


def test_verify_consistency_rejects_negative_size():
    with pytest.raises(ConsistencyProofInvalid, match=r"smaller than size1 \(-1\)") as caught:
        verify_consistency([], size1=-1, size2=0, root1=EMPTY_ROOT, root2=EMPTY_ROOT)
    assert caught.value.code == "consistency_proof_invalid"


@settings(max_examples=60, deadline=None)
@given(size=st.integers(min_value=1, max_value=300), data=st.data())
def test_every_inclusion_proof_verifies_and_any_flipped_bit_fails(size, data):
    hashes, tree = _tree(size)
    root = root_from_leaf_hashes(hashes)
    assert root == reference_root(hashes)
    for index in range(size):
        verify_inclusion(
            hashes[index],
            inclusion_proof(index, size, nodes=tree),
            index=index,
            size=size,
            root=root,
        )
    index = data.draw(st.integers(min_value=0, max_value=size - 1), label="index")
    proof = inclusion_proof(index, size, nodes=tree)
    parts = [hashes[index], *proof, root]
    part = data.draw(st.integers(min_value=0, max_value=len(parts) - 1), label="part")
    bit = data.draw(st.integers(min_value=0, max_value=255), label="bit")
    parts[part] = flip(parts[part], bit // 8, 1 << bit % 8)
    with pytest.raises(InclusionProofInvalid, match=r"root hash mismatch") as caught:
        verify_inclusion(parts[0], parts[1:-1], index=index, size=size, root=parts[-1])
    assert caught.value.code == "inclusion_proof_invalid"


@settings(max_examples=40, deadline=None)
@given(size2=st.integers(min_value=1, max_value=200), data=st.data())
def test_consistency_holds_for_every_smaller_size_and_any_flipped_bit_fails(size2, data):
    hashes, tree = _tree(size2)
    roots = [reference_root(hashes[:size]) for size in range(size2 + 1)]
    for size1 in range(1, size2 + 1):
        proof = consistency_proof(size1, size2, nodes=tree)
        verify_consistency(proof, size1=size1, size2=size2, root1=roots[size1], root2=roots[size2])
    size1 = data.draw(st.integers(min_value=1, max_value=size2), label="size1")
    parts = [roots[size1], *consistency_proof(size1, size2, nodes=tree), roots[size2]]
    part = data.draw(st.integers(min_value=0, max_value=len(parts) - 1), label="part")
    bit = data.draw(st.integers(min_value=0, max_value=255), label="bit")
    parts[part] = flip(parts[part], bit // 8, 1 << bit % 8)
    with pytest.raises(ConsistencyProofInvalid, match=r"root hash mismatch") as caught:
        verify_consistency(parts[1:-1], size1=size1, size2=size2, root1=parts[0], root2=parts[-1])
    assert caught.value.code == "consistency_proof_invalid"
