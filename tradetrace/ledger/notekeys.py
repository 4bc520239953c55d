"""Ed25519 note keys: signers, verifiers, vkeys and Go ``sumdb/note`` private keys.

Two signature types are supported (signed-note "Signature types"): ``0x01`` Ed25519 note
signatures, and ``0x04`` timestamped Ed25519 witness cosignatures (C2SP tlog-cosignature v1).
Key material stays inside the key objects: the private key leaves only through
:meth:`Ed25519Signer.export_skey`, and no ``repr`` shows it (STYLE.md §4).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from hashlib import sha256
from typing import Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tradetrace.errors import CheckpointInvalid, InvalidDocument
from tradetrace.ledger._codec import check_key_name, decode_base64, encode_base64

__all__ = [
    "COSIGNATURE_V1",
    "ED25519",
    "CosignatureVerifier",
    "Cosigner",
    "Ed25519Signer",
    "Ed25519Verifier",
    "cosignature_time",
    "key_id",
    "verifier_from_vkey",
]

ED25519 = 0x01
"""Signature type byte of Ed25519 note signatures (signed-note "Ed25519 signatures")."""

COSIGNATURE_V1 = 0x04
"""Signature type byte of timestamped Ed25519 cosignatures (tlog-cosignature "Format")."""

_HEX_ID = re.compile(r"[0-9a-fA-F]{8}", re.ASCII)
_MAX_TIMESTAMP = (1 << 63) - 1


def key_id(name: str, key_type: int, public_key: bytes) -> int:
    """Return ``SHA-256(name || 0x0A || type || public key)[:4]`` as an int (signed-note)."""
    digest = sha256(name.encode() + b"\n" + bytes([key_type]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


class _PublicKey:
    """Name, key ID and Ed25519 public key shared by both verifier types."""

    __slots__ = ("_key", "_key_id", "_name", "_public_bytes")
    key_type: int

    def __init__(self, name: str, public_key: bytes) -> None:
        check_key_name(name, InvalidDocument)
        if len(public_key) != 32:
            raise InvalidDocument(f"ed25519 public key for {name!r} must be 32 bytes")
        self._name = name
        self._public_bytes = public_key
        self._key = Ed25519PublicKey.from_public_bytes(public_key)
        self._key_id = key_id(name, self.key_type, public_key)

    @property
    def name(self) -> str:
        """The key name."""
        return self._name

    @property
    def key_id(self) -> int:
        """The key ID computed from name, type and public key."""
        return self._key_id

    @property
    def public_key(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        return self._public_bytes

    @property
    def vkey(self) -> str:
        """The verifier key text ``name+hex(key ID)+base64(type || key)`` (signed-note)."""
        material = encode_base64(bytes([self.key_type]) + self._public_bytes)
        return f"{self._name}+{self._key_id:08x}+{material}"

    def _check(self, message: bytes, signature: bytes) -> None:
        try:
            self._key.verify(signature, message)
        except InvalidSignature as exc:
            raise CheckpointInvalid(
                f"signature by {self._name}+{self._key_id:08x} does not verify"
            ) from exc

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.vkey!r})"


class Ed25519Verifier(_PublicKey):
    """Verifies Ed25519 note signatures, type ``0x01`` (signed-note "Ed25519 signatures")."""

    __slots__ = ()
    key_type = ED25519

    def verify(self, text: bytes, signature: bytes) -> None:
        """Check an Ed25519 signature over the note text; raise ``CheckpointInvalid``."""
        self._check(text, signature)


class CosignatureVerifier(_PublicKey):
    """Verifies timestamped Ed25519 cosignatures, type ``0x04`` (tlog-cosignature "Format")."""

    __slots__ = ()
    key_type = COSIGNATURE_V1

    def verify(self, text: bytes, signature: bytes) -> None:
        """Check a ``timestamped_signature`` over ``cosignature/v1``, the time and the text."""
        if len(signature) != 72:
            raise CheckpointInvalid(
                f"cosignature by {self.name} has wrong length: expected 72 bytes, "
                f"got {len(signature)}"
            )
        timestamp = int.from_bytes(signature[:8], "big")
        if timestamp > _MAX_TIMESTAMP:
            raise CheckpointInvalid(f"cosignature by {self.name} has a timestamp above 2^63-1")
        self._check(_cosigned_message(timestamp, text), signature[8:])


def verifier_from_vkey(vkey: str) -> Ed25519Verifier | CosignatureVerifier:
    """Parse a verifier key ``name+hex(key ID)+base64(type || key)`` (signed-note "Verifier keys").

    Splits on the first two ``+`` only: base64 key material can contain ``+``. Returns an
    :class:`Ed25519Verifier` (type 0x01) or a :class:`CosignatureVerifier` (type 0x04). Raises
    ``InvalidDocument`` if the text is malformed, the type unsupported or the key ID wrong.
    """
    name, _, rest = vkey.partition("+")
    hex_id, _, material = rest.partition("+")
    if not _HEX_ID.fullmatch(hex_id):
        raise InvalidDocument(f"malformed vkey for {name!r}: key id must be 8 hex digits")
    raw = decode_base64(material, f"vkey for {name!r}", InvalidDocument)
    kinds: dict[int, type[Ed25519Verifier | CosignatureVerifier]] = {
        ED25519: Ed25519Verifier,
        COSIGNATURE_V1: CosignatureVerifier,
    }
    kind = kinds.get(raw[0]) if raw else None
    if kind is None:
        raise InvalidDocument(f"unsupported vkey type for {name!r}: {raw[:1].hex() or 'empty'}")
    verifier = kind(name, raw[1:])
    if verifier.key_id != int(hex_id, 16):
        raise InvalidDocument(
            f"key id mismatch for vkey {name!r}: expected {verifier.key_id:08x}, got {hex_id}"
        )
    return verifier


class _PrivateKey:
    """Name, key ID and Ed25519 private key shared by both signer types."""

    __slots__ = ("_key", "_key_id", "_name")
    key_type: int

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        check_key_name(name, InvalidDocument)
        self._name = name
        self._key = private_key
        self._key_id = key_id(name, self.key_type, private_key.public_key().public_bytes_raw())

    @classmethod
    def generate(cls, name: str) -> Self:
        """Create a signer with a fresh random key."""
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def from_skey(cls, skey: str) -> Self:
        """Load a Go ``sumdb/note`` private key ``PRIVATE+KEY+name+hex(id)+base64(0x01 || seed)``.

        The key ID in the text is the type-0x01 ID, whatever signer class loads it (as in
        transparency-dev's cosigner). Raises ``InvalidDocument`` without echoing the key.
        """
        parts = skey.split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not _HEX_ID.fullmatch(parts[3]):
            raise InvalidDocument("malformed private key: expected PRIVATE+KEY+name+id+key")
        name, hex_id = parts[2], parts[3]
        check_key_name(name, InvalidDocument)
        raw = decode_base64(parts[4], f"private key for {name!r}", InvalidDocument)
        if len(raw) != 33 or raw[0] != ED25519:
            raise InvalidDocument(f"private key for {name!r} is not an ed25519 seed")
        key = Ed25519PrivateKey.from_private_bytes(raw[1:])
        expected = key_id(name, ED25519, key.public_key().public_bytes_raw())
        if expected != int(hex_id, 16):
            raise InvalidDocument(
                f"key id mismatch for private key {name!r}: expected {expected:08x}, got {hex_id}"
            )
        return cls(name, key)

    @property
    def name(self) -> str:
        """The key name."""
        return self._name

    @property
    def key_id(self) -> int:
        """The key ID computed from name, type and public key."""
        return self._key_id

    def export_skey(self) -> str:
        """Return the private key in the Go ``sumdb/note`` text format. Handle as a secret."""
        public = self._key.public_key().public_bytes_raw()
        material = encode_base64(bytes([ED25519]) + self._key.private_bytes_raw())
        return f"PRIVATE+KEY+{self._name}+{key_id(self._name, ED25519, public):08x}+{material}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self._name!r}, key_id={self._key_id:08x})"


class Ed25519Signer(_PrivateKey):
    """Signs notes with Ed25519, type ``0x01`` (signed-note "Ed25519 signatures")."""

    __slots__ = ()
    key_type = ED25519

    def verifier(self) -> Ed25519Verifier:
        """Return the matching verifier."""
        return Ed25519Verifier(self._name, self._key.public_key().public_bytes_raw())

    def sign(self, text: bytes) -> bytes:
        """Return the Ed25519 signature over the note text."""
        return self._key.sign(text)


class Cosigner(_PrivateKey):
    """Makes timestamped Ed25519 witness cosignatures, type ``0x04`` (tlog-cosignature v1).

    It is deliberately not a :class:`~tradetrace.ledger.note.Signer`: a cosignature needs the time.
    """

    __slots__ = ()
    key_type = COSIGNATURE_V1

    def verifier(self) -> CosignatureVerifier:
        """Return the matching cosignature verifier."""
        return CosignatureVerifier(self._name, self._key.public_key().public_bytes_raw())

    def sign(self, text: bytes, *, now: datetime) -> bytes:
        """Return ``timestamp || signature`` over ``cosignature/v1``, ``time <now>`` and the text.

        ``now`` must be timezone-aware and not before 1970; else ``InvalidDocument``.
        """
        if now.tzinfo is None:
            raise InvalidDocument("cosignature time must be a timezone-aware datetime")
        timestamp = int(now.timestamp())
        if timestamp < 0:
            raise InvalidDocument(f"cosignature time {now.isoformat()} is before 1970")
        return timestamp.to_bytes(8, "big") + self._key.sign(_cosigned_message(timestamp, text))


def cosignature_time(signature: bytes) -> datetime:
    """Return the UTC time stamped into a type-0x04 cosignature (tlog-cosignature "Format")."""
    if len(signature) != 72:
        raise CheckpointInvalid(
            f"cosignature has wrong length: expected 72 bytes, got {len(signature)}"
        )
    timestamp = int.from_bytes(signature[:8], "big")
    try:
        return datetime.fromtimestamp(timestamp, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise CheckpointInvalid(f"cosignature timestamp {timestamp} is out of range") from exc


def _cosigned_message(timestamp: int, text: bytes) -> bytes:
    return b"cosignature/v1\ntime %d\n" % timestamp + text
