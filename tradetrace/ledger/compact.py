"""The right edge of a Merkle tree, for appending leaves without rereading the tree.

A :class:`CompactRange` holds the roots of the full subtrees that make up ``[0, size)``, one per
set bit of ``size`` (RFC 9162 §2.1.1; transparency-dev ``compact.Range``). Appending a leaf merges
equal-sized subtrees like a binary counter: one :func:`~.merkle.node_hash` per leaf amortised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

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
    """Return the Merkle tree hash of a list of leaf hashes (RFC 9162 §2.1.1)."""
    edge = CompactRange()
    edge.extend(leaf_hashes)
    return edge.root()
