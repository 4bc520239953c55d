"""Small text codecs shared by the C2SP formats: strict base64, decimals and key names.

Private to :mod:`tradetrace.ledger`; each function raises the caller's error class so a parse
failure carries the code of the format being parsed (STYLE.md §5).
"""

from __future__ import annotations

import base64
import binascii
import re

from tradetrace.errors import TradeTraceError

__all__ = [
    "MAX_UINT64",
    "check_key_name",
    "decode_base64",
    "decode_text",
    "encode_base64",
    "parse_decimal",
]

_DECIMAL = re.compile(r"0|[1-9][0-9]*", re.ASCII)

MAX_UINT64 = (1 << 64) - 1


def decode_base64(value: str, what: str, error: type[TradeTraceError]) -> bytes:
    """Decode canonical standard base64 (RFC 4648 §4) or raise ``error`` naming ``what``.

    Canonical means it re-encodes to the same text: no missing padding, no stray bits.
    """
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise error(f"malformed {what}: not valid base64") from exc
    if base64.b64encode(raw).decode() != value:
        raise error(f"malformed {what}: not canonical base64")
    return raw


def encode_base64(value: bytes) -> str:
    """Encode standard base64 with padding (RFC 4648 §4)."""
    return base64.b64encode(value).decode()


def parse_decimal(value: str, what: str, error: type[TradeTraceError]) -> int:
    """Parse an ASCII decimal uint64 with no leading zeroes, as the C2SP text formats write them."""
    if not _DECIMAL.fullmatch(value) or int(value) > MAX_UINT64:
        raise error(f"malformed {what}: {value[:24]!r} is not a decimal without leading zeroes")
    return int(value)


def check_key_name(name: str, error: type[TradeTraceError]) -> None:
    """Key names are non-empty, without Unicode spaces or ``+`` (signed-note "Format")."""
    if not name or "+" in name or any(char.isspace() for char in name):
        raise error(f"invalid key name {name!r}: must be non-empty, without spaces or '+'")


def decode_text(value: str | bytes, what: str, error: type[TradeTraceError]) -> str:
    """Return ``value`` as text, decoding bytes as strict UTF-8 or raising ``error``."""
    if isinstance(value, str):
        return value
    try:
        return value.decode()
    except UnicodeDecodeError as exc:
        raise error(f"malformed {what}: not valid UTF-8") from exc
