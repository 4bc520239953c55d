"""C2SP tlog-proof: an offline-verifiable receipt that an entry is in a log (tlog-proof v1).

The text form is ``c2sp.org/tlog-proof@v1``, an optional ``extra <base64>`` line, ``index <N>``,
the inclusion proof as one base64 hash per line, a blank line, and then the (cosigned) checkpoint
verbatim. It verifies against the log's origin and a policy of log and witness keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tradetrace.errors import InvalidDocument
from tradetrace.ledger._codec import decode_base64, decode_text, encode_base64, parse_decimal
from tradetrace.ledger.checkpoint import Checkpoint, SignedCheckpoint, verify_checkpoint
from tradetrace.ledger.merkle import (
    HASH_SIZE,
    NodeReader,
    inclusion_proof,
    leaf_hash,
    verify_inclusion,
)
from tradetrace.ledger.note import Verifier

__all__ = [
    "TLOG_PROOF_HEADER",
    "TlogProof",
    "build_tlog_proof",
    "verify_tlog_proof",
]

TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1"
"""First line of every tlog-proof (tlog-proof "Format")."""

_MAX_PROOF_HASHES = 63  # a tree of at most 2**64 leaves has at most 63 levels below the root


@dataclass(frozen=True, slots=True)
class TlogProof:
    """An entry's index, its inclusion proof and the signed checkpoint it leads to (tlog-proof).

    ``extra`` is opaque, unauthenticated application data: never trust it implicitly.
    """

    index: int
    hashes: tuple[bytes, ...]
    checkpoint: SignedCheckpoint
    extra: bytes | None = None

    def __post_init__(self) -> None:
        if self.index < 0:
            raise InvalidDocument(f"malformed tlog-proof: index {self.index} is negative")
        if len(self.hashes) > _MAX_PROOF_HASHES:
            raise InvalidDocument(
                f"malformed tlog-proof: {len(self.hashes)} proof hashes, at most "
                f"{_MAX_PROOF_HASHES} allowed"
            )
        for number, value in enumerate(self.hashes):
            if len(value) != HASH_SIZE:
                raise InvalidDocument(
                    f"malformed tlog-proof: proof hash {number} has {len(value)} bytes, "
                    f"expected {HASH_SIZE}"
                )

    @classmethod
    def from_text(cls, text: str | bytes) -> TlogProof:
        """Parse a tlog-proof; raise ``InvalidDocument``, or ``CheckpointInvalid`` for the note."""
        text = decode_text(text, "tlog-proof", InvalidDocument)
        head, blank, checkpoint = text.partition("\n\n")
        lines = head.split("\n")
        if not blank or lines[0] != TLOG_PROOF_HEADER:
            raise InvalidDocument(
                f"malformed tlog-proof: expected {TLOG_PROOF_HEADER!r}, proof lines, blank line"
            )
        extra = None
        if len(lines) > 1 and lines[1].startswith("extra "):
            extra = decode_base64(
                lines.pop(1)[len("extra ") :], "tlog-proof extra", InvalidDocument
            )
        if len(lines) < 2 or not lines[1].startswith("index "):
            raise InvalidDocument("malformed tlog-proof: missing 'index' line")
        index = parse_decimal(lines[1][len("index ") :], "tlog-proof index", InvalidDocument)
        hashes = tuple(
            decode_base64(line, "tlog-proof hash", InvalidDocument) for line in lines[2:]
        )
        return cls(index, hashes, SignedCheckpoint.from_text(checkpoint), extra)

    def to_text(self) -> str:
        """Return the tlog-proof text."""
        lines = [TLOG_PROOF_HEADER]
        if self.extra is not None:
            lines.append(f"extra {encode_base64(self.extra)}")
        lines.append(f"index {self.index}")
        lines += [encode_base64(value) for value in self.hashes]
        return "\n".join(lines) + "\n\n" + self.checkpoint.to_text()


def build_tlog_proof(
    index: int, checkpoint: SignedCheckpoint, *, nodes: NodeReader, extra: bytes | None = None
) -> TlogProof:
    """Build the receipt for entry ``index`` under ``checkpoint`` from the stored tree nodes.

    Raises ``NotFound`` if the entry is beyond the checkpoint or ``nodes`` lacks a node.
    """
    hashes = inclusion_proof(index, checkpoint.checkpoint.size, nodes=nodes)
    return TlogProof(index, tuple(hashes), checkpoint, extra)


def verify_tlog_proof(
    proof: TlogProof,
    entry: bytes,
    *,
    origin: str,
    verifiers: Sequence[Verifier],
    witnesses: Sequence[Verifier] = (),
    quorum: int = 0,
) -> Checkpoint:
    """Verify that ``entry`` is in the log under a checkpoint trusted by the given policy.

    Checks the checkpoint as :func:`~tradetrace.ledger.checkpoint.verify_checkpoint` does (origin,
    log signature, witness quorum; raises ``CheckpointInvalid``), then the inclusion proof of the
    entry's leaf hash at ``proof.index`` (RFC 9162 §2.1.3.2; raises ``InclusionProofInvalid``).
    Returns the verified checkpoint: take size and root from it, nowhere else.
    """
    checkpoint = verify_checkpoint(
        proof.checkpoint, verifiers, origin=origin, witnesses=witnesses, quorum=quorum
    )
    verify_inclusion(
        leaf_hash(entry),
        proof.hashes,
        index=proof.index,
        size=checkpoint.size,
        root=checkpoint.root_hash,
    )
    return checkpoint
