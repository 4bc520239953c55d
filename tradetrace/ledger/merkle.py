"""RFC 9162 Merkle tree hashing, proof generation and proof verification.

Everything here works on ``bytes`` and ``int`` (STYLE.md §2). Verification ports the algorithms of
RFC 9162 §2.1.3.2 and §2.1.4.2 with the edge-case rules of transparency-dev/merkle
``proof/verify.go``, so it agrees with all 196 vendored probes.

Node coordinates follow tlog-tiles and transparency-dev: node ``(level, index)`` is the root of the
full subtree over leaves ``[index * 2**level, (index + 1) * 2**level)``. Proofs are built from such
nodes through a :class:`NodeReader`, so the same code runs over memory or over tiles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256
from typing import Protocol

from tradetrace.errors import (
    ConsistencyProofInvalid,
    InclusionProofInvalid,
    NotFound,
    TradeTraceError,
)

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "InMemoryTree",
    "NodeReader",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
"""Size in bytes of every tree hash (SHA-256, RFC 9162 §2.1)."""

EMPTY_ROOT = sha256(b"").digest()
"""The root hash of the empty tree, ``SHA-256("")`` (RFC 9162 §2.1.1)."""


def leaf_hash(data: bytes) -> bytes:
    """Hash one log entry: ``SHA-256(0x00 || data)`` (RFC 9162 §2.1.1)."""
    return sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two child hashes: ``SHA-256(0x01 || left || right)`` (RFC 9162 §2.1.1)."""
    return sha256(b"\x01" + left + right).digest()


class NodeReader(Protocol):
    """Reads the hash of a full subtree of a stored tree (tlog-tiles "Merkle Tree" section).

    Implementations raise :class:`~tradetrace.errors.NotFound` for a node they do not hold.
    """

    def node(self, level: int, index: int) -> bytes:
        """Return the root of the full subtree over leaves ``index << level`` up to the next node.

        Raises ``NotFound`` if the node is not stored or not a full subtree.
        """
        ...


class InMemoryTree:
    """A :class:`NodeReader` over a list of leaf hashes, with every full node precomputed.

    Building costs one :func:`node_hash` per node (RFC 9162 §2.1.1); lookups are O(1).
    """

    __slots__ = ("_levels",)

    def __init__(self, leaf_hashes: Iterable[bytes]) -> None:
        level = list(leaf_hashes)
        levels = [level]
        while len(level) > 1:
            level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            levels.append(level)
        self._levels = levels

    @property
    def size(self) -> int:
        """The number of leaves."""
        return len(self._levels[0])

    def node(self, level: int, index: int) -> bytes:
        """Return the full node ``(level, index)``; raise ``NotFound`` if the tree lacks it."""
        if 0 <= level < len(self._levels) and 0 <= index < len(self._levels[level]):
            return self._levels[level][index]
        raise NotFound(
            f"node ({level}, {index}) is not a full subtree of a tree of size {self.size}"
        )


def inclusion_proof(index: int, size: int, *, nodes: NodeReader) -> list[bytes]:
    """Return the audit path of leaf ``index`` in the tree of ``size`` leaves (RFC 9162 §2.1.3.1).

    Raises ``NotFound`` when the leaf is not in the tree, or when ``nodes`` lacks a needed node.
    """
    if not 0 <= index < size:
        raise NotFound(f"leaf {index} is not in a tree of size {size}")
    return _path(index, 0, size, nodes)


def consistency_proof(size1: int, size2: int, *, nodes: NodeReader) -> list[bytes]:
    """Return the consistency proof from tree size ``size1`` to ``size2`` (RFC 9162 §2.1.4.1).

    The proof is empty when ``size1`` is 0 or equal to ``size2``; tlog-witness needs the empty proof
    from size 0. Raises ``NotFound`` when ``size1 > size2`` or when ``nodes`` lacks a needed node.
    """
    if not 0 <= size1 <= size2:
        raise NotFound(f"no consistency proof from size {size1} to size {size2}")
    if size1 in (0, size2):
        return []
    # Start from the largest full subtree that ends at size1. Unless that subtree is the whole old
    # tree (size1 a power of two), the verifier cannot know its hash, so the proof leads with it.
    level = (size1 & -size1).bit_length() - 1
    index = (size1 - 1) >> level
    head = [nodes.node(level, index)] if index else []
    return head + _path(index, level, size2, nodes)


def verify_inclusion(
    leaf_hash: bytes, proof: Sequence[bytes], *, index: int, size: int, root: bytes
) -> None:
    """Check that ``proof`` leads from ``leaf_hash`` at ``index`` to ``root`` (RFC 9162 §2.1.3.2).

    Every hash must be 32 bytes. Raises :class:`InclusionProofInvalid` on any failure.
    """
    if not 0 <= index < size:
        raise InclusionProofInvalid(f"leaf index {index} is beyond tree size {size}")
    _check_length("leaf hash", leaf_hash, InclusionProofInvalid)
    _check_length("root hash", root, InclusionProofInvalid)
    for value in proof:
        _check_length("proof hash", value, InclusionProofInvalid)
    inner = (index ^ (size - 1)).bit_length()
    border = (index >> inner).bit_count()
    if len(proof) != inner + border:
        raise InclusionProofInvalid(
            f"wrong inclusion proof length for leaf {index} in tree of size {size}: "
            f"expected {inner + border} hashes, got {len(proof)}"
        )
    result = _chain_inner(leaf_hash, proof[:inner], index)
    result = _chain_border_right(result, proof[inner:])
    if result != root:
        raise InclusionProofInvalid(
            f"root hash mismatch for leaf {index} in tree of size {size}: "
            f"expected {root.hex()}, got {result.hex()}"
        )


def verify_consistency(
    proof: Sequence[bytes], *, size1: int, size2: int, root1: bytes, root2: bytes
) -> None:
    """Check that ``proof`` shows the tree ``(size2, root2)`` extends ``(size1, root1)``.

    RFC 9162 §2.1.4.2, as transparency-dev/merkle: ``size1 == 0`` is always an error (handle the
    tlog-witness "old size 0" case in the protocol layer); equal sizes need an empty proof and
    compare the roots byte for byte only. Raises :class:`ConsistencyProofInvalid` on any failure.
    """
    if size1 < 0 or size2 < size1:
        raise ConsistencyProofInvalid(f"size2 ({size2}) is smaller than size1 ({size1})")
    if size1 == 0:
        raise ConsistencyProofInvalid("a consistency proof from the empty tree is meaningless")
    if size1 == size2:
        if proof:
            raise ConsistencyProofInvalid(
                f"sizes are equal ({size1}) but the proof has {len(proof)} hashes, expected 0"
            )
        if root1 != root2:
            raise ConsistencyProofInvalid(
                f"root hash mismatch at size {size1}: expected {root2.hex()}, got {root1.hex()}"
            )
        return
    if not proof:
        raise ConsistencyProofInvalid(f"empty consistency proof from size {size1} to {size2}")
    _check_length("first root hash", root1, ConsistencyProofInvalid)
    _check_length("second root hash", root2, ConsistencyProofInvalid)
    for value in proof:
        _check_length("proof hash", value, ConsistencyProofInvalid)
    inner = ((size1 - 1) ^ (size2 - 1)).bit_length()
    shift = (size1 & -size1).bit_length() - 1
    inner -= shift  # shift < inner whenever size1 < size2
    # The proof starts with the root of the subtree of size 2**shift ending at size1, unless
    # size1 is exactly 2**shift: then that subtree is the old tree and its root is root1.
    if size1 == 1 << shift:
        seed, rest = root1, proof
    else:
        seed, rest = proof[0], proof[1:]
    border = ((size1 - 1) >> (shift + inner)).bit_count()
    if len(rest) != inner + border:
        raise ConsistencyProofInvalid(
            f"wrong consistency proof length from size {size1} to {size2}: "
            f"expected {len(proof) - len(rest) + inner + border} hashes, got {len(proof)}"
        )
    mask = (size1 - 1) >> shift
    hash1 = _chain_border_right(_chain_inner_right(seed, rest[:inner], mask), rest[inner:])
    if hash1 != root1:
        raise ConsistencyProofInvalid(
            f"first root hash mismatch for size {size1}: expected {root1.hex()}, got {hash1.hex()}"
        )
    hash2 = _chain_border_right(_chain_inner(seed, rest[:inner], mask), rest[inner:])
    if hash2 != root2:
        raise ConsistencyProofInvalid(
            f"second root hash mismatch for size {size2}: expected {root2.hex()}, got {hash2.hex()}"
        )


def _path(index: int, level: int, size: int, nodes: NodeReader) -> list[bytes]:
    """Sibling hashes from node ``(level, index)`` up to the root of the tree of ``size`` leaves."""
    path = []
    while level < (size - 1).bit_length():
        begin = (index ^ 1) << level
        if begin < size:  # on the right edge a node may have no sibling at this level
            end = begin + (1 << level)
            if end <= size:
                path.append(nodes.node(level, index ^ 1))
            else:
                path.append(_range_root(begin, size, nodes))
        index >>= 1
        level += 1
    return path


def _range_root(begin: int, end: int, nodes: NodeReader) -> bytes:
    """Hash of the right-edge subtree ``[begin, end)``, not full, so not stored (RFC 9162 §2.1.1).

    ``begin`` is aligned to a power of two larger than ``end - begin``; the range splits into
    full subtrees along the set bits of its length, folded from the right.
    """
    parts = []
    for level in reversed(range((end - begin).bit_length())):
        if (end - begin) >> level & 1:
            parts.append(nodes.node(level, begin >> level))
            begin += 1 << level
    result = parts.pop()
    while parts:
        result = node_hash(parts.pop(), result)
    return result


def _chain_inner(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    for i, value in enumerate(proof):
        seed = node_hash(value, seed) if index >> i & 1 else node_hash(seed, value)
    return seed


def _chain_inner_right(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    for i, value in enumerate(proof):
        if index >> i & 1:
            seed = node_hash(value, seed)
    return seed


def _chain_border_right(seed: bytes, proof: Sequence[bytes]) -> bytes:
    for value in proof:
        seed = node_hash(value, seed)
    return seed


def _check_length(what: str, value: bytes, error: type[TradeTraceError]) -> None:
    if len(value) != HASH_SIZE:
        raise error(f"{what} has wrong length: expected {HASH_SIZE} bytes, got {len(value)}")
