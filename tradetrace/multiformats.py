"""Multibase strings, unsigned varints and multicodec prefixes.

Keys in DID documents and Data Integrity proofs travel as *multibase* strings: one character names
the base, the rest is the encoded data (multiformats/multibase, IETF draft
`draft-multiformats-multibase-08` §2). Public and secret keys inside them start with a *multicodec*
code written as an unsigned LEB128 varint (multiformats/unsigned-varint, multiformats/multicodec
`table.csv`), so ``0xed`` becomes ``ed 01`` and ``0x1200`` becomes ``80 24``.

Only the bases the platform meets are supported: ``z`` base58btc (Multikey, proof values), ``u``
base64url (status lists), ``m`` base64, and ``f``/``F`` base16. Decoding is strict: padding,
characters outside the alphabet and non-canonical trailing bits are refused, so one value has
exactly one encoding.
"""

from __future__ import annotations

import base64
import binascii
import enum
import re

from tradetrace import errors
from tradetrace.types import Multibase

__all__ = [
    "Base",
    "Multicodec",
    "add_multicodec",
    "decode_base58btc",
    "decode_base64url",
    "decode_multibase",
    "decode_varint",
    "encode_base58btc",
    "encode_base64url",
    "encode_multibase",
    "encode_varint",
    "split_multicodec",
]

_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: index for index, char in enumerate(_BASE58_ALPHABET)}
# base58 decoding is quadratic in the input length; no key, signature or DID needs more.
_MAX_BASE58_CHARS = 2048
_HEX = re.compile("[0-9a-fA-F]*")
# The unsigned-varint spec caps varints at 9 bytes (63 bits of payload).
_MAX_VARINT_BYTES = 9


class Base(enum.StrEnum):
    """The multibase prefixes tradetrace reads and writes (multibase draft §2, Appendix D.1)."""

    BASE58BTC = "z"
    BASE64URL = "u"
    BASE64 = "m"
    BASE16 = "f"
    BASE16UPPER = "F"


class Multicodec(enum.IntEnum):
    """Key codes from the multicodec table (multiformats/multicodec ``table.csv``, "key" tag)."""

    X25519_PUB = 0xEC
    ED25519_PUB = 0xED
    P256_PUB = 0x1200
    P384_PUB = 0x1201
    ED25519_PRIV = 0x1300
    P256_PRIV = 0x1306
    P384_PRIV = 0x1307


def encode_base58btc(data: bytes) -> str:
    """Encode bytes in the Bitcoin base58 alphabet (draft-msporny-base58-03 §3).

    Each leading zero byte becomes a leading ``1``.
    """
    number = int.from_bytes(data, "big")
    digits: list[str] = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(_BASE58_ALPHABET[remainder])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def decode_base58btc(text: str) -> bytes:
    """Decode Bitcoin base58 (draft-msporny-base58-03 §4).

    Raises:
        errors.InvalidDocument: a character is outside the alphabet.
        errors.LimitExceeded: the text is longer than 2048 characters.
    """
    if len(text) > _MAX_BASE58_CHARS:
        raise errors.LimitExceeded(
            f"base58 text too long: at most {_MAX_BASE58_CHARS} characters, got {len(text)}"
        )
    number = 0
    for char in text:
        value = _BASE58_INDEX.get(char)
        if value is None:
            raise errors.InvalidDocument(f"invalid base58btc character {char!r}")
        number = number * 58 + value
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def encode_base64url(data: bytes) -> str:
    """Encode bytes as base64url without padding (RFC 4648 §5, as JOSE uses it: RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64url(text: str) -> bytes:
    """Decode unpadded base64url (RFC 4648 §5), refusing padding and non-canonical input.

    Raises:
        errors.InvalidDocument: the text is not canonical unpadded base64url.
    """
    return _decode_base64(text, altchars=b"-_", name="base64url")


def _decode_base64(text: str, *, altchars: bytes, name: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    try:
        data = base64.b64decode(padded, altchars=altchars, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise errors.InvalidDocument(f"invalid {name} text") from exc
    # Re-encoding catches padding in the input and stray bits in the last character (RFC 4648 §3.5).
    if base64.b64encode(data, altchars=altchars).rstrip(b"=").decode("ascii") != text:
        raise errors.InvalidDocument(f"non-canonical {name} text")
    return data


def encode_multibase(data: bytes, base: Base = Base.BASE58BTC) -> Multibase:
    """Encode bytes as a multibase string in ``base`` (multibase draft §2)."""
    if base is Base.BASE58BTC:
        body = encode_base58btc(data)
    elif base is Base.BASE64URL:
        body = encode_base64url(data)
    elif base is Base.BASE64:
        body = base64.b64encode(data).rstrip(b"=").decode("ascii")
    elif base is Base.BASE16:
        body = data.hex()
    else:
        body = data.hex().upper()
    return Multibase(base.value + body)


def decode_multibase(value: str) -> bytes:
    """Decode a multibase string in one of the supported bases (multibase draft §2).

    Base16 is case-insensitive, as the multibase test vectors require.

    Raises:
        errors.InvalidDocument: the prefix names an unsupported base, or the body is malformed.
        errors.LimitExceeded: a base58btc body is longer than 2048 characters.
    """
    if not value:
        raise errors.InvalidDocument("empty multibase value")
    prefix, body = value[0], value[1:]
    if prefix == Base.BASE58BTC:
        return decode_base58btc(body)
    if prefix == Base.BASE64URL:
        return decode_base64url(body)
    if prefix == Base.BASE64:
        return _decode_base64(body, altchars=b"+/", name="base64")
    if prefix in (Base.BASE16, Base.BASE16UPPER):
        # bytes.fromhex would skip whitespace; multibase allows none.
        if len(body) % 2 or not _HEX.fullmatch(body):
            raise errors.InvalidDocument("invalid base16 text")
        return bytes.fromhex(body)
    supported = ", ".join(base.value for base in Base)
    raise errors.InvalidDocument(
        f"unsupported multibase prefix {prefix!r}: expected one of {supported}"
    )


def encode_varint(value: int) -> bytes:
    """Encode an integer in ``[0, 2**63)`` as an unsigned LEB128 varint (unsigned-varint spec).

    Raises:
        errors.InvalidDocument: the value is negative or needs more than 9 bytes.
    """
    if not 0 <= value < 1 << (7 * _MAX_VARINT_BYTES):
        raise errors.InvalidDocument(f"varint out of range: expected 0 to 2**63 - 1, got {value}")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def decode_varint(data: bytes) -> tuple[int, int]:
    """Decode the unsigned varint at the start of ``data``; return (value, bytes used).

    Raises:
        errors.InvalidDocument: the varint is truncated, longer than 9 bytes, or not minimal
            (the unsigned-varint spec forbids trailing zero groups).
    """
    value = 0
    for index, byte in enumerate(data[:_MAX_VARINT_BYTES]):
        value |= (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            if byte == 0 and index > 0:
                raise errors.InvalidDocument("non-minimal varint")
            return value, index + 1
    raise errors.InvalidDocument("truncated or overlong varint")


def add_multicodec(codec: Multicodec, data: bytes) -> bytes:
    """Prefix ``data`` with the varint of ``codec`` (multicodec spec, "multicodec-packed")."""
    return encode_varint(codec) + data


def split_multicodec(data: bytes) -> tuple[Multicodec, bytes]:
    """Split a multicodec-prefixed value into its codec and payload.

    Raises:
        errors.InvalidDocument: the varint is malformed or names a codec tradetrace does not use.
    """
    code, used = decode_varint(data)
    try:
        codec = Multicodec(code)
    except ValueError:
        raise errors.InvalidDocument(f"unsupported multicodec 0x{code:x}") from None
    return codec, data[used:]
