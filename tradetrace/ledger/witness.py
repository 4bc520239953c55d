"""The witness side of C2SP tlog-witness: the add-checkpoint request and its update rule.

A witness keeps the latest checkpoint it cosigned for each origin. It may cosign a new checkpoint
only if that extends the old one: :func:`check_witness_update` applies the rules of tlog-witness
"add-checkpoint" to already signature-checked checkpoints. The HTTP status each error maps to is
the API layer's business (STYLE.md §5); the spec's mapping is noted on each rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tradetrace.errors import CheckpointInvalid, Conflict, ConsistencyProofInvalid, InvalidDocument
from tradetrace.ledger._codec import decode_base64, decode_text, encode_base64, parse_decimal
from tradetrace.ledger.checkpoint import Checkpoint, SignedCheckpoint
from tradetrace.ledger.merkle import EMPTY_ROOT, HASH_SIZE, verify_consistency

__all__ = [
    "MAX_WITNESS_PROOF_HASHES",
    "AddCheckpointRequest",
    "check_witness_update",
]

MAX_WITNESS_PROOF_HASHES = 63
"""Most consistency proof lines a client may send (tlog-witness "add-checkpoint")."""


@dataclass(frozen=True, slots=True)
class AddCheckpointRequest:
    """The body of ``POST <prefix>/add-checkpoint``: old size, consistency proof, checkpoint."""

    old_size: int
    proof: tuple[bytes, ...]
    checkpoint: SignedCheckpoint

    def __post_init__(self) -> None:
        if self.old_size < 0:
            raise InvalidDocument(f"malformed add-checkpoint: old size {self.old_size}")
        if len(self.proof) > MAX_WITNESS_PROOF_HASHES:
            raise InvalidDocument(
                f"malformed add-checkpoint: {len(self.proof)} proof lines, at most "
                f"{MAX_WITNESS_PROOF_HASHES} allowed"
            )
        if any(len(value) != HASH_SIZE for value in self.proof):
            raise InvalidDocument(
                f"malformed add-checkpoint: proof hashes must be {HASH_SIZE} bytes"
            )

    @classmethod
    def from_text(cls, text: str | bytes) -> AddCheckpointRequest:
        """Parse a request body; raise ``InvalidDocument`` (``CheckpointInvalid`` for the note)."""
        text = decode_text(text, "add-checkpoint", InvalidDocument)
        head, blank, checkpoint = text.partition("\n\n")
        lines = head.split("\n")
        if not blank or not lines[0].startswith("old "):
            raise InvalidDocument(
                "malformed add-checkpoint: expected 'old <size>' and a blank line"
            )
        old_size = parse_decimal(lines[0][len("old ") :], "old size", InvalidDocument)
        proof = tuple(decode_base64(line, "proof hash", InvalidDocument) for line in lines[1:])
        return cls(old_size, proof, SignedCheckpoint.from_text(checkpoint))

    def to_text(self) -> str:
        """Return the request body."""
        lines = [f"old {self.old_size}", *(encode_base64(value) for value in self.proof)]
        return "\n".join(lines) + "\n\n" + self.checkpoint.to_text()


def check_witness_update(
    old: Checkpoint | None, new: Checkpoint, *, proof: Sequence[bytes]
) -> None:
    """Check that a witness may move from its cosigned ``old`` checkpoint to ``new``.

    ``old`` is ``None`` if the witness never cosigned for this origin, which counts as size 0.
    The rules of tlog-witness "add-checkpoint", in order:

    - a smaller size than the cosigned one is a rollback: ``Conflict`` (the spec answers 400
      when the request's own old size exceeds the checkpoint size);
    - from size 0 the proof must be empty: ``ConsistencyProofInvalid`` (422);
    - the same size with a different root is a fork: ``Conflict`` (409);
    - otherwise the RFC 9162 consistency proof must verify: ``ConsistencyProofInvalid`` (422).

    A checkpoint of size 0 must carry the empty-tree root, else ``CheckpointInvalid``.
    """
    if new.size == 0 and new.root_hash != EMPTY_ROOT:
        raise CheckpointInvalid(
            f"checkpoint for {new.origin!r} has size 0 but root {new.root_hash.hex()}, "
            f"expected {EMPTY_ROOT.hex()}"
        )
    if old is not None and old.origin != new.origin:
        raise CheckpointInvalid(f"origin mismatch: expected {old.origin!r}, got {new.origin!r}")
    old_size = 0 if old is None else old.size
    if new.size < old_size:
        raise Conflict(
            f"checkpoint for {new.origin!r} has size {new.size}, smaller than the cosigned "
            f"size {old_size}"
        )
    if old is None or old_size == 0:
        if proof:
            raise ConsistencyProofInvalid(
                f"consistency proof from size 0 must be empty, got {len(proof)} hashes"
            )
        return
    if new.size == old_size and new.root_hash != old.root_hash:
        raise Conflict(
            f"log {new.origin!r} forked at size {new.size}: cosigned root "
            f"{old.root_hash.hex()}, new root {new.root_hash.hex()}"
        )
    verify_consistency(
        proof, size1=old_size, size2=new.size, root1=old.root_hash, root2=new.root_hash
    )
