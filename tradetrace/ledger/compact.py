"""The right edge of a Merkle tree, for appending leaves without rereading the tree.

A :class:`CompactRange` holds the roots of the full subtrees that make up ``[0, size)``, one per
set bit of ``size`` (RFC 9162 §2.1.1; transparency-dev ``compact.Range``). Appending a leaf merges
equal-sized subtrees like a binary counter: one :func:`~.merkle.node_hash` per leaf amortised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from hashlib import sha256

from tradetrace.errors import InvalidDocument
from tradetrace.ledger.merkle import EMPTY_ROOT, HASH_SIZE, NodeReader, node_hash

__all__ = [
    "CompactRange",
    "NodeVisitor",
    "root_from_leaf_hashes",
]

NodeVisitor = Callable[[int, int, bytes], None]
"""Called with ``(level, index, hash)`` for every full subtree a :class:`CompactRange` completes."""


class CompactRange:
    """The right edge of a tree: the roots of the full subtrees that make up ``[0, size)``.

    A sequencer keeps one of these and appends leaf hashes in O(1) amortised hashing per leaf;
    :meth:`root` costs O(log n). ``hashes`` lists the subtree roots from the largest (leftmost) to
    the smallest, one per set bit of ``size``, so the storage layer can persist it and rebuild it
    with ``CompactRange(size, hashes)`` (RFC 9162 §2.1.1; transparency-dev ``compact.Range``).
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if size < 0 or len(hashes) != size.bit_count():
            raise InvalidDocument(
                f"compact range of size {size} needs {max(size, 0).bit_count()} hashes, "
                f"got {len(hashes)}"
            )
        for value in hashes:
            if len(value) != HASH_SIZE:
                raise InvalidDocument(
                    f"compact range hash has wrong length: expected {HASH_SIZE} bytes, "
                    f"got {len(value)}"
                )
        self._size = size
        self._hashes = list(hashes)

    @classmethod
    def from_nodes(cls, size: int, nodes: NodeReader) -> CompactRange:
        """Rebuild the right edge of a tree of ``size`` leaves from its stored nodes."""
        hashes = []
        begin = 0
        for level in reversed(range(size.bit_length())):
            if size >> level & 1:
                hashes.append(nodes.node(level, begin >> level))
                begin += 1 << level
        return cls(size, hashes)

    @property
    def size(self) -> int:
        """The number of leaves appended so far."""
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        """The full-subtree roots, leftmost (largest) first."""
        return tuple(self._hashes)

    def append(self, leaf_hash: bytes) -> None:
        """Append one leaf hash. Merges equal-sized subtrees like a binary counter."""
        self.extend((leaf_hash,))

    def extend(self, leaf_hashes: Iterable[bytes], visit: NodeVisitor | None = None) -> None:
        """Append many leaf hashes; ``visit`` sees every full node they complete, leaves included.

        The visitor is how an integrator learns the new level-0 and level-8k hashes to write into
        tiles without reading the tree back. The batch is checked before anything is appended,
        so a bad hash leaves the range unchanged. Raises ``InvalidDocument``.
        """
        batch = list(leaf_hashes)
        for value in batch:
            if len(value) != HASH_SIZE:
                raise InvalidDocument(
                    f"leaf hash has wrong length: expected {HASH_SIZE} bytes, got {len(value)}"
                )
        hashes = self._hashes
        size = self._size
        if visit is None:
            for value in batch:
                index = size
                size += 1
                while index & 1:
                    value = node_hash(hashes.pop(), value)
                    index >>= 1
                hashes.append(value)
            self._size = size
            return
        for value in batch:
            index = size
            size += 1
            visit(0, index, value)
            level = 0
            # The same binary-counter merge, reporting each parent it completes.
            while index & 1:
                value = node_hash(hashes.pop(), value)
                index >>= 1
                level += 1
                visit(level, index, value)
            hashes.append(value)
        self._size = size

    def append_subtree(self, level: int, root: bytes) -> None:
        """Append the root of a full subtree of ``2**level`` leaves, as if appending its leaves.

        Only valid where such a subtree starts: ``size`` must be a multiple of ``2**level``, else
        ``InvalidDocument``. An integrator that already hashed a full tile appends its root here
        instead of hashing its 256 leaves a second time (RFC 9162 §2.1.1).
        """
        if level < 0 or self._size % (1 << level) or len(root) != HASH_SIZE:
            raise InvalidDocument(
                f"cannot append a subtree of level {level} at size {self._size}: "
                f"the size must be a multiple of {1 << max(level, 0)} and the root 32 bytes"
            )
        hashes = self._hashes
        index = self._size >> level
        self._size += 1 << level
        while index & 1:
            root = node_hash(hashes.pop(), root)
            index >>= 1
        hashes.append(root)

    def root(self) -> bytes:
        """Return the tree hash of ``[0, size)`` (RFC 9162 §2.1.1)."""
        hashes = self._hashes
        if not hashes:
            return EMPTY_ROOT
        result = hashes[-1]
        for value in reversed(hashes[:-1]):
            result = node_hash(value, result)
        return result


def root_from_leaf_hashes(leaf_hashes: Iterable[bytes]) -> bytes:
    """Return the Merkle tree hash of a list of leaf hashes (RFC 9162 §2.1.1).

    Hashes level by level, carrying an odd last node up unchanged: that gives the same tree as
    RFC 9162's split at the largest power of two, because the left part is always full.
    """
    level = list(leaf_hashes)
    if not level:
        return EMPTY_ROOT
    while len(level) > 1:
        paired = [
            sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]
