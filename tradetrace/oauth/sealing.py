"""Client secrets that this node must present to other authorization servers, sealed at rest.

A secret a peer issued to us (RFC 6749 §2.3.1: we are the client) cannot be stored as a hash: it
has to be sent again. It is sealed with AES-256-GCM (NIST SP 800-38D) under a key derived from
the node's key passphrase with scrypt (RFC 7914), so a copy of the database alone does not
reveal it. A sealed value reads ``sealed-v1$N$SALT$NONCE$CIPHERTEXT`` (base64url, no padding);
the associated data binds it to the peer it belongs to, so sealed values cannot be swapped
between peers. This module does no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tradetrace import errors

__all__ = ["seal_secret", "unseal_secret"]

_SCHEME: Final = "sealed-v1"
_COST: Final = 2**14  # RFC 7914 §2 N, as for client secret hashes
_BLOCK_SIZE: Final = 8
_SALT_BYTES: Final = 16
_NONCE_BYTES: Final = 12  # SP 800-38D §8.2: 96-bit random nonces, one per sealing
_MAX_SECRET_BYTES: Final = 512


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key(passphrase: str, salt: bytes, cost: int) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=cost,
        r=_BLOCK_SIZE,
        p=1,
        maxmem=128 * cost * _BLOCK_SIZE + 1024 * 1024,
        dklen=32,
    )


def seal_secret(secret: str, *, passphrase: str, context: str) -> str:
    """Seal ``secret`` under ``passphrase``; ``context`` (the peer's DID) is bound to it.

    Raises:
        errors.InvalidDocument: the secret is empty or longer than 512 bytes.
    """
    data = secret.encode("utf-8")
    if not data or len(data) > _MAX_SECRET_BYTES:
        raise errors.InvalidDocument("client secret must have 1 to 512 bytes")
    salt, nonce = secrets.token_bytes(_SALT_BYTES), secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(_key(passphrase, salt, _COST)).encrypt(nonce, data, context.encode("utf-8"))
    return "$".join((_SCHEME, str(_COST), _encode(salt), _encode(nonce), _encode(sealed)))


def unseal_secret(sealed: str, *, passphrase: str, context: str) -> str:
    """The secret in a value from :func:`seal_secret`, for the same ``context``.

    Raises:
        errors.ConfigurationError: the value is malformed, or the passphrase or context is
            not the one it was sealed with (the node's key passphrase changed, or the value
            was copied from another peer).
    """
    try:
        scheme, cost, salt, nonce, body = sealed.split("$")
        parameters = int(cost), _decode(salt), _decode(nonce), _decode(body)
    except ValueError:
        raise errors.ConfigurationError("sealed client secret is malformed") from None
    if scheme != _SCHEME or not 1 < parameters[0] <= 2**20:
        raise errors.ConfigurationError("sealed client secret has unsupported parameters")
    key = _key(passphrase, parameters[1], parameters[0])
    try:
        data = AESGCM(key).decrypt(parameters[2], parameters[3], context.encode("utf-8"))
    except (InvalidTag, ValueError):
        raise errors.ConfigurationError(
            "cannot unseal the client secret: the key passphrase or the peer differs"
        ) from None
    return data.decode("utf-8")
