"""Bitstring Status List v1.0: revocation and suspension of credentials.

A status list credential carries ``encodedList``: the multibase base64url (``u``, no padding)
of the GZIP-compressed bitstring, at least 131,072 bits long for herd privacy (§3.1, §4.1).
Position 0 is the left-most, most significant bit of byte 0 (§3.1 "bitstring"). A credential
points into a list with a ``BitstringStatusListEntry`` (§2.1).
"""

from __future__ import annotations

import base64
import gzip
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tradetrace.errors import CredentialRevoked, CredentialSuspended, InvalidDocument, LimitExceeded

__all__ = [
    "MAX_LIST_BYTES",
    "MIN_LIST_BITS",
    "Bitstring",
    "StatusEntry",
    "StatusPurpose",
    "check_entry",
    "check_status",
    "status_list_subject",
]

MIN_LIST_BITS = 131_072
"""Smallest list the spec allows: 16 KiB of bits (§4.1 "Bitstring Generation Algorithm")."""

MAX_LIST_BYTES = 16 * 1024 * 1024
"""Largest decompressed list we accept, so a small gzip bomb cannot exhaust memory."""


class StatusPurpose(StrEnum):
    """What a set bit means (§2.1 ``statusPurpose``)."""

    REVOCATION = "revocation"
    SUSPENSION = "suspension"


class Bitstring:
    """A mutable bitstring with the spec's bit order and encoding (§3.1, §4.1, §4.2)."""

    __slots__ = ("_bytes",)

    def __init__(self, size: int = MIN_LIST_BITS) -> None:
        if size < MIN_LIST_BITS or size % 8:
            raise InvalidDocument(
                f"status list size: expected a multiple of 8 of at least {MIN_LIST_BITS}, "
                f"got {size}"
            )
        self._bytes = bytearray(size // 8)

    @property
    def size(self) -> int:
        """Number of bits."""
        return len(self._bytes) * 8

    def get(self, index: int) -> bool:
        """Whether bit ``index`` is set."""
        self._check(index)
        return bool(self._bytes[index >> 3] & (0x80 >> (index & 7)))

    def set(self, index: int, value: bool) -> None:
        """Set or clear bit ``index``."""
        self._check(index)
        if value:
            self._bytes[index >> 3] |= 0x80 >> (index & 7)
        else:
            self._bytes[index >> 3] &= ~(0x80 >> (index & 7)) & 0xFF

    @classmethod
    def from_bytes(cls, raw: bytes) -> Bitstring:
        """A bitstring over ``raw`` (bit 0 is the most significant bit of byte 0)."""
        bits = cls(len(raw) * 8)
        bits._bytes[:] = raw
        return bits

    def to_bytes(self) -> bytes:
        """The bits as bytes (bit 0 is the most significant bit of byte 0)."""
        return bytes(self._bytes)

    def encode(self) -> str:
        """``encodedList``: multibase base64url of the GZIP-compressed bits (§4.1 steps 3 and 4)."""
        compressed = gzip.compress(bytes(self._bytes), mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()

    @classmethod
    def decode(cls, encoded: str) -> Bitstring:
        """Parse ``encodedList`` (§4.2 "Bitstring Expansion Algorithm").

        Raises :class:`InvalidDocument` for a wrong prefix, bad base64 or gzip, or a list shorter
        than the minimum, and :class:`LimitExceeded` when it inflates past :data:`MAX_LIST_BYTES`.
        """
        if not encoded.startswith("u"):
            raise InvalidDocument("encodedList: expected multibase base64url (prefix 'u')")
        body = encoded[1:]
        try:
            compressed = base64.b64decode(
                body + "=" * (-len(body) % 4), altchars=b"-_", validate=True
            )
        except ValueError as exc:
            raise InvalidDocument("encodedList: not base64url") from exc
        inflater = zlib.decompressobj(wbits=31)
        try:
            raw = inflater.decompress(compressed, MAX_LIST_BYTES + 1)
        except zlib.error as exc:
            raise InvalidDocument("encodedList: not GZIP data") from exc
        if len(raw) > MAX_LIST_BYTES:
            raise LimitExceeded(f"encodedList inflates past {MAX_LIST_BYTES} bytes")
        if not inflater.eof:
            raise InvalidDocument("encodedList: truncated GZIP data")
        bits = cls.__new__(cls)
        if len(raw) * 8 < MIN_LIST_BITS:
            raise InvalidDocument(
                f"encodedList: {len(raw) * 8} bits, the minimum is {MIN_LIST_BITS}"
            )
        bits._bytes = bytearray(raw)
        return bits

    def _check(self, index: int) -> None:
        if not 0 <= index < self.size:
            raise InvalidDocument(f"status list index {index} is outside 0..{self.size - 1}")


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """A credential's ``BitstringStatusListEntry`` (§2.1), parsed and checked."""

    purpose: StatusPurpose
    index: int
    list_url: str

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> StatusEntry:
        """Parse one ``credentialStatus`` object; :class:`InvalidDocument` names the field."""
        if value.get("type") != "BitstringStatusListEntry":
            raise InvalidDocument("credentialStatus.type: expected BitstringStatusListEntry")
        try:
            purpose = StatusPurpose(str(value.get("statusPurpose")))
        except ValueError as exc:
            raise InvalidDocument(
                "credentialStatus.statusPurpose: expected revocation or suspension"
            ) from exc
        index = value.get("statusListIndex")
        if not isinstance(index, str) or not index.isascii() or not index.isdigit():
            raise InvalidDocument("credentialStatus.statusListIndex: expected a decimal string")
        url = value.get("statusListCredential")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise InvalidDocument("credentialStatus.statusListCredential: expected a URL")
        return cls(purpose, int(index), url)


def status_list_subject(list_id: str, purpose: StatusPurpose, bits: Bitstring) -> dict[str, str]:
    """The ``credentialSubject`` of a status list credential (§2.2)."""
    return {
        "id": f"{list_id}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose.value,
        "encodedList": bits.encode(),
    }


def check_status(entry: StatusEntry, status_list_credential: Mapping[str, Any]) -> None:
    """Check ``entry`` against an already verified status list credential (§3.2 "Validate").

    The list's ``statusPurpose`` must match the entry's. Raises :class:`CredentialRevoked` or
    :class:`CredentialSuspended` when the bit is set, :class:`InvalidDocument` for a list that
    does not fit the entry.
    """
    subject = status_list_credential.get("credentialSubject")
    if not isinstance(subject, Mapping) or subject.get("type") != "BitstringStatusList":
        raise InvalidDocument("status list credentialSubject: expected type BitstringStatusList")
    encoded = subject.get("encodedList")

    def inflate() -> Bitstring:
        if not isinstance(encoded, str):
            raise InvalidDocument("status list encodedList: expected a string")
        return Bitstring.decode(encoded)

    check_entry(entry, subject.get("statusPurpose"), inflate)


def check_entry(
    entry: StatusEntry, list_purpose: object, bits: Bitstring | Callable[[], Bitstring]
) -> None:
    """Check ``entry`` against a verified list's ``statusPurpose`` and bits (§3.2 "Validate"
    steps 8 to 10); ``bits`` may be a function that inflates them, called only when needed.

    Raises :class:`CredentialRevoked` or :class:`CredentialSuspended` when the bit is set,
    :class:`InvalidDocument` for a purpose mismatch or an index outside the list.
    """
    if list_purpose != entry.purpose.value:
        raise InvalidDocument(
            f"status list purpose mismatch: expected {entry.purpose.value!r}, got {list_purpose!r}"
        )
    if (bits if isinstance(bits, Bitstring) else bits()).get(entry.index):
        if entry.purpose is StatusPurpose.REVOCATION:
            raise CredentialRevoked(f"credential revoked (status list index {entry.index})")
        raise CredentialSuspended(f"credential suspended (status list index {entry.index})")
