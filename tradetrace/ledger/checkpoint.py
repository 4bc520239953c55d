"""C2SP tlog-checkpoint: the signed tree head of a transparency log (tlog-checkpoint v1.0.0).

A checkpoint is a signed note whose text is the origin, the decimal tree size and the base64 root
hash, then optional extension lines. Witness cosignatures (tlog-cosignature) are extra signature
lines on the same note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tradetrace.errors import CheckpointInvalid, InvalidDocument
from tradetrace.ledger._codec import decode_base64, encode_base64, parse_decimal
from tradetrace.ledger.merkle import HASH_SIZE
from tradetrace.ledger.note import Note, NoteSignature, Signer, Verifier, sign_note, verify_note

__all__ = [
    "Checkpoint",
    "SignedCheckpoint",
    "sign_checkpoint",
    "verify_checkpoint",
]


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A log's tree head: origin, tree size, root hash and extension lines (tlog-checkpoint).

    Construction validates every field, so a ``Checkpoint`` always serializes to valid note text.
    """

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise CheckpointInvalid("malformed checkpoint: origin must be one non-empty line")
        if not 0 <= self.size < 1 << 64:
            raise CheckpointInvalid(f"malformed checkpoint: size {self.size} is not a uint64")
        if len(self.root_hash) != HASH_SIZE:
            raise CheckpointInvalid(
                f"malformed checkpoint: root hash must be {HASH_SIZE} bytes, "
                f"got {len(self.root_hash)}"
            )
        for line in self.extensions:
            if not line or "\n" in line:
                raise CheckpointInvalid("malformed checkpoint: extension lines must be non-empty")

    @classmethod
    def from_text(cls, text: str) -> Checkpoint:
        """Parse checkpoint note text (not the signatures); raise ``CheckpointInvalid``."""
        if not text.endswith("\n"):
            raise CheckpointInvalid("malformed checkpoint: text must end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise CheckpointInvalid(
                f"malformed checkpoint: expected at least 3 lines, got {len(lines)}"
            )
        origin, size, root = lines[:3]
        return cls(
            origin,
            parse_decimal(size, "checkpoint size", CheckpointInvalid),
            decode_base64(root, "checkpoint root hash", CheckpointInvalid),
            tuple(lines[3:]),
        )

    def to_text(self) -> str:
        """Return the checkpoint note text, ending in a newline."""
        lines = [self.origin, str(self.size), encode_base64(self.root_hash), *self.extensions]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    """A checkpoint with its signed note, as served at ``<prefix>/checkpoint`` (tlog-tiles).

    Parsing does not verify; call :func:`verify_checkpoint`.
    """

    checkpoint: Checkpoint
    note: Note

    def __post_init__(self) -> None:
        if self.note.text != self.checkpoint.to_text():
            raise CheckpointInvalid("signed checkpoint: note text does not match the checkpoint")

    @classmethod
    def from_text(cls, text: str | bytes) -> SignedCheckpoint:
        """Parse a signed checkpoint; raise ``CheckpointInvalid`` if it is malformed."""
        note = Note.from_text(text)
        return cls(Checkpoint.from_text(note.text), note)

    def to_text(self) -> str:
        """Return the signed note text."""
        return self.note.to_text()


def sign_checkpoint(checkpoint: Checkpoint, signers: Sequence[Signer]) -> SignedCheckpoint:
    """Sign a checkpoint with the log's key(s) (tlog-checkpoint "Signatures")."""
    return SignedCheckpoint(checkpoint, sign_note(checkpoint.to_text(), signers))


def verify_checkpoint(
    signed: str | bytes | SignedCheckpoint,
    verifiers: Sequence[Verifier],
    *,
    origin: str,
    witnesses: Sequence[Verifier] = (),
    quorum: int = 0,
) -> Checkpoint:
    """Verify a signed checkpoint against pinned log keys and return the checkpoint.

    The origin line must equal ``origin`` and at least one signature must verify under
    ``verifiers`` (tlog-checkpoint "Signatures"). If ``quorum`` is set, at least that many distinct
    ``witnesses`` must have cosigned (tlog-cosignature). Signatures by unknown keys are ignored;
    a known key whose signature fails rejects the checkpoint (signed-note "Signatures"). Raises
    ``CheckpointInvalid``.
    """
    if not 0 <= quorum <= len(witnesses):
        raise InvalidDocument(f"witness quorum {quorum} is not between 0 and {len(witnesses)}")
    if not isinstance(signed, SignedCheckpoint):
        signed = SignedCheckpoint.from_text(signed)
    checkpoint = signed.checkpoint
    if checkpoint.origin != origin:
        raise CheckpointInvalid(
            f"checkpoint origin mismatch: expected {origin!r}, got {checkpoint.origin!r}"
        )
    verified = verify_note(signed.note, [*verifiers, *witnesses])
    if not _count(verified, verifiers):
        raise CheckpointInvalid(f"checkpoint for {origin!r} has no valid signature by the log")
    cosigned = _count(verified, witnesses)
    if cosigned < quorum:
        raise CheckpointInvalid(
            f"checkpoint for {origin!r} has too few witness cosignatures: "
            f"expected {quorum}, got {cosigned}"
        )
    return checkpoint


def _count(verified: Sequence[NoteSignature], keys: Sequence[Verifier]) -> int:
    """How many of ``keys`` made at least one of the ``verified`` signatures."""
    made = {(sig.name, sig.key_id) for sig in verified}
    return sum((key.name, key.key_id) in made for key in keys)
