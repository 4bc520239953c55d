"""C2SP signed-note: parse, serialize, sign and verify notes (signed-note v1.0.0).

A note is UTF-8 text ending in a newline, a blank line, then one or more signature lines
``— <key name> base64(key ID || signature)``. The key types live in :mod:`.notekeys`; this module
only needs their :class:`Signer` and :class:`Verifier` shapes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from tradetrace.errors import CheckpointInvalid, InvalidDocument
from tradetrace.ledger._codec import check_key_name, decode_base64, encode_base64

__all__ = [
    "MAX_SIGNATURES",
    "Note",
    "NoteSignature",
    "Signer",
    "Verifier",
    "check_note_text",
    "sign_note",
    "verify_note",
]

MAX_SIGNATURES = 100
"""Most signature lines a note may carry; the spec requires accepting at least 16 (as Go, 100)."""

_SIGNATURE_PREFIX = "\u2014 "  # em dash, space
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


class Verifier(Protocol):
    """Checks note signatures made by one key (signed-note "Signatures")."""

    @property
    def name(self) -> str:
        """The key name, as written on signature lines."""
        ...

    @property
    def key_id(self) -> int:
        """The 32-bit key ID, as written at the start of each signature."""
        ...

    def verify(self, text: bytes, signature: bytes) -> None:
        """Check ``signature`` (without the key ID) over the note ``text``; raise if it fails."""
        ...


class Signer(Protocol):
    """Signs note text with one key (signed-note "Signatures")."""

    @property
    def name(self) -> str:
        """The key name, as written on signature lines."""
        ...

    @property
    def key_id(self) -> int:
        """The 32-bit key ID, as written at the start of each signature."""
        ...

    def sign(self, text: bytes) -> bytes:
        """Return the signature over ``text``, without the key ID."""
        ...


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line of a note: key name, key ID and signature bytes (signed-note "Format")."""

    name: str
    key_id: int
    signature: bytes

    def __post_init__(self) -> None:
        check_key_name(self.name, CheckpointInvalid)
        if not 0 <= self.key_id < 1 << 32:
            raise CheckpointInvalid(f"key id for {self.name!r} is not a 32-bit value")
        if not self.signature:
            raise CheckpointInvalid(f"signature by {self.name!r} is empty")

    @classmethod
    def from_line(cls, line: str) -> NoteSignature:
        """Parse one signature line, without its newline; raise ``CheckpointInvalid``."""
        if not line.startswith(_SIGNATURE_PREFIX):
            raise CheckpointInvalid(f"malformed note: signature line {line[:40]!r} lacks '— '")
        name, _, encoded = line[len(_SIGNATURE_PREFIX) :].partition(" ")
        raw = decode_base64(encoded, "note signature", CheckpointInvalid)
        if len(raw) < 5:
            raise CheckpointInvalid(f"malformed note: signature by {name!r} is too short")
        return cls(name, int.from_bytes(raw[:4], "big"), raw[4:])

    def to_line(self) -> str:
        """Return the signature line, ending in a newline."""
        raw = self.key_id.to_bytes(4, "big") + self.signature
        return f"{_SIGNATURE_PREFIX}{self.name} {encode_base64(raw)}\n"


@dataclass(frozen=True, slots=True)
class Note:
    """A signed note: text (ending in a newline) and at least one signature (signed-note "Format").

    Parsing does not verify; call :func:`verify_note`.
    """

    text: str
    signatures: tuple[NoteSignature, ...]

    def __post_init__(self) -> None:
        check_note_text(self.text)
        if not 1 <= len(self.signatures) <= MAX_SIGNATURES:
            raise CheckpointInvalid(
                f"malformed note: expected 1 to {MAX_SIGNATURES} signatures, "
                f"got {len(self.signatures)}"
            )

    @classmethod
    def from_text(cls, message: str | bytes) -> Note:
        """Parse a signed note; raise ``CheckpointInvalid`` if it is malformed."""
        try:
            if isinstance(message, bytes):
                message = message.decode()
            else:
                message.encode()
        except UnicodeError as exc:
            raise CheckpointInvalid("malformed note: not valid UTF-8") from exc
        if _CONTROL.search(message):
            raise CheckpointInvalid("malformed note: contains a control character")
        # The text is separated from the signatures by the last blank line.
        split = message.rfind("\n\n")
        if split < 0:
            raise CheckpointInvalid("malformed note: no blank line before the signatures")
        text, block = message[: split + 1], message[split + 2 :]
        if not block.endswith("\n"):
            raise CheckpointInvalid("malformed note: signature block must end with a newline")
        lines = block[:-1].split("\n")
        if len(lines) > MAX_SIGNATURES:
            raise CheckpointInvalid(
                f"malformed note: more than {MAX_SIGNATURES} signatures ({len(lines)})"
            )
        return cls(text, tuple(NoteSignature.from_line(line) for line in lines))

    def to_text(self) -> str:
        """Return the note in its wire form: text, blank line, signature lines."""
        return self.text + "\n" + "".join(sig.to_line() for sig in self.signatures)

    def with_signatures(self, *signatures: NoteSignature) -> Note:
        """Return a copy with ``signatures`` appended, for example a witness's cosignatures."""
        return Note(self.text, self.signatures + signatures)


def sign_note(text: str, signers: Sequence[Signer]) -> Note:
    """Sign ``text`` with every signer, in order (signed-note "Signatures").

    Raises ``CheckpointInvalid`` if the text is not valid note text or no signer is given.
    """
    check_note_text(text)
    data = text.encode()
    return Note(text, tuple(NoteSignature(s.name, s.key_id, s.sign(data)) for s in signers))


def verify_note(note: Note, verifiers: Sequence[Verifier]) -> tuple[NoteSignature, ...]:
    """Verify ``note`` and return the signatures made by known keys (signed-note "Signatures").

    Signatures whose (name, key ID) matches no verifier are ignored, as the spec requires. A
    signature by a known key that fails rejects the whole note, and so does a note with no
    signature by a known key: both raise ``CheckpointInvalid``.
    """
    known: dict[tuple[str, int], Verifier] = {}
    for verifier in verifiers:
        slot = (verifier.name, verifier.key_id)
        if slot in known:
            raise InvalidDocument(
                f"two verifiers share key name {verifier.name!r} and id {verifier.key_id:08x}"
            )
        known[slot] = verifier
    data = note.text.encode()
    verified = []
    for sig in note.signatures:
        match = known.get((sig.name, sig.key_id))
        if match is not None:
            match.verify(data, sig.signature)
            verified.append(sig)
    if not verified:
        names = sorted({f"{name}+{key_id:08x}" for name, key_id in known})
        raise CheckpointInvalid(f"note has no signature by a known key: expected one of {names}")
    return tuple(verified)


def check_note_text(text: str) -> None:
    """Raise ``CheckpointInvalid`` unless ``text`` is valid note text (signed-note "Format")."""
    if not text.endswith("\n"):
        raise CheckpointInvalid("malformed note: text must end with a newline")
    if _CONTROL.search(text):
        raise CheckpointInvalid("malformed note: text contains a control character")
    try:
        text.encode()
    except UnicodeEncodeError as exc:
        raise CheckpointInvalid("malformed note: text is not valid UTF-8") from exc
