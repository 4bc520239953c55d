"""Client identifiers and secrets, with secrets stored only as scrypt hashes (RFC 6749 §2.3.1,
§10.1: the authorization server keeps client credentials confidential; RFC 7914 scrypt).

A stored hash reads ``scrypt$N$r$p$SALT$HASH`` (base64url, no padding), so the cost can be raised
later without breaking stored clients. Comparison is constant-time (:func:`hmac.compare_digest`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Final

from tradetrace import errors

__all__ = ["hash_secret", "new_client_id", "new_client_secret", "verify_secret"]

_COST: Final = 2**14  # RFC 7914 §2 N: 16 MiB of memory with r=8, about 50 ms per check
_BLOCK_SIZE: Final = 8
_PARALLEL: Final = 1
_SALT_BYTES: Final = 16
_HASH_BYTES: Final = 32
_MAX_SECRET_BYTES: Final = 512
_MAX_COST: Final = 2**20


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(secret: str, salt: bytes, cost: int, block_size: int, parallel: int) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"),
        salt=salt,
        n=cost,
        r=block_size,
        p=parallel,
        maxmem=128 * cost * block_size * parallel + 1024 * 1024,
        dklen=_HASH_BYTES,
    )


def new_client_id() -> str:
    """A fresh client identifier (RFC 6749 §2.2): unique, not secret, URL-safe."""
    return "tt-" + secrets.token_hex(12)


def new_client_secret() -> str:
    """A fresh client secret: 256 random bits, base64url (RFC 6749 §10.10 "Credentials-Guessing
    Attacks": at least 128 bits of entropy)."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """The storable scrypt hash of ``secret`` with a fresh salt (RFC 7914 §2).

    Raises:
        errors.InvalidDocument: the secret is empty or longer than 512 bytes.
    """
    if not secret or len(secret.encode("utf-8")) > _MAX_SECRET_BYTES:
        raise errors.InvalidDocument("client secret must have 1 to 512 bytes")
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(secret, salt, _COST, _BLOCK_SIZE, _PARALLEL)
    return f"scrypt${_COST}${_BLOCK_SIZE}${_PARALLEL}${_encode(salt)}${_encode(digest)}"


def verify_secret(secret: str, stored: str) -> None:
    """Check ``secret`` against a hash from :func:`hash_secret`, in constant time.

    Raises:
        errors.Unauthorized: the secret does not match (or is too long to be one).
        errors.ConfigurationError: the stored hash is not one :func:`hash_secret` writes.
    """
    try:
        scheme, cost, block_size, parallel, salt, digest = stored.split("$")
        params = int(cost), int(block_size), int(parallel)
        salt_bytes, expected = _decode(salt), _decode(digest)
    except ValueError:
        raise errors.ConfigurationError("stored client secret hash is malformed") from None
    if scheme != "scrypt" or not 1 < params[0] <= _MAX_COST or params[1:] != (8, 1):
        raise errors.ConfigurationError("stored client secret hash has unsupported parameters")
    if len(secret.encode("utf-8")) > _MAX_SECRET_BYTES:
        raise errors.Unauthorized("invalid client credentials")
    actual = _scrypt(secret, salt_bytes, *params)
    if not hmac.compare_digest(actual, expected):
        raise errors.Unauthorized("invalid client credentials")
