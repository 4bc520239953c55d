"""Public keys: import from raw bytes, JWK or Multikey, export, and signature verification.

Ed25519 verification policy (RFC 8032 §5.1.7 leaves the edge cases open; standards.md §12): we
accept exactly what ``cryptography``/OpenSSL accepts. Against the 914 C2SP CCTV edge-case vectors
(``ed25519vectors.json``) that is **208 accepted, 706 rejected** with cryptography 50.0.2:

* the cofactorless equation ``[S]B = R + [k]A`` is checked, so every ``low_order_residue`` vector
  (583) is rejected;
* a non-canonical ``R`` encoding is rejected (all 316 ``non_canonical_R``);
* low-order ``A`` and ``R`` are accepted when the equation holds (122 of 526 ``low_order_A``);
* a non-canonical ``A`` encoding is accepted when the equation holds (36 of 226);
* ``S`` must be below the group order (RFC 8032 §5.1.7 step 1).

``tests/test_keys.py`` pins the accepted set by its digest, so a library upgrade that changes the
policy fails the suite instead of silently changing which signatures verify.

libsodium (PyNaCl's bundled library: ``crypto_sign_verify_detached`` through :mod:`ctypes`, which
spares copying the message, or PyNaCl's ``crypto_sign_open`` where that symbol is not exported;
both run the same check) checks a signature first, being about twice as fast as OpenSSL here.
It runs the same cofactorless equation but also refuses low-order and non-canonical ``A`` and
``R``, so it accepts a subset of what OpenSSL accepts (``tests/test_keys.py`` checks this on every
CCTV vector): a signature libsodium accepts is accepted, and OpenSSL decides every other one. The
policy above is therefore unchanged.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Mapping
from typing import Final, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from nacl import _sodium
from nacl.bindings import crypto_sign_open
from nacl.exceptions import BadSignatureError

from tradetrace import errors, multiformats
from tradetrace.keys.kinds import KeyKind
from tradetrace.types import Multibase

__all__ = ["PublicKey"]

# JWK members that carry private key material (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
_PRIVATE_JWK_MEMBERS: Final = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})

_CryptoPublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey
_ED25519_SIGNATURE_SIZE: Final = 64
# The ECDSA scheme of each NIST kind, built once: verification is on the hot path.
_ECDSA: Final = {kind: kind.ecdsa() for kind in (KeyKind.P256, KeyKind.P384)}


def _sodium_verify_detached() -> Callable[[bytes, bytes, int, bytes], int] | None:
    """libsodium's ``crypto_sign_verify_detached(sig, m, mlen, pk)`` (0: valid) from the library
    PyNaCl bundles, or ``None`` when it does not export that symbol."""
    try:
        function = ctypes.CDLL(_sodium.__file__).crypto_sign_verify_detached
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulonglong, ctypes.c_char_p)
    function.restype = ctypes.c_int
    return cast(Callable[[bytes, bytes, int, bytes], int], function)


_VERIFY_DETACHED: Final = _sodium_verify_detached()


class PublicKey:
    """A public signature key of one :class:`KeyKind`, immutable and comparable by value.

    Build one with :meth:`from_raw`, :meth:`from_jwk` or :meth:`from_multibase`, or get it from
    ``SigningKey.public_key()``.
    """

    __slots__ = ("_key", "_kind", "_raw")

    def __init__(self, kind: KeyKind, key: _CryptoPublicKey) -> None:
        """Wrap a ``cryptography`` key; prefer the ``from_*`` constructors."""
        self._kind = kind
        self._key = key
        if isinstance(key, ed25519.Ed25519PublicKey):
            self._raw = key.public_bytes_raw()
        else:
            self._raw = key.public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
            )

    @classmethod
    def from_raw(cls, kind: KeyKind, data: bytes) -> PublicKey:
        """Import a raw key: 32 bytes for Ed25519 (RFC 8032 §5.1.5), else a SEC 1 §2.3.3 point.

        NIST points may be compressed or uncompressed; they must lie on the curve.

        Raises:
            errors.InvalidDocument: the bytes are not a key of this kind.
        """
        try:
            if kind is KeyKind.ED25519:
                return cls(kind, ed25519.Ed25519PublicKey.from_public_bytes(data))
            return cls(kind, ec.EllipticCurvePublicKey.from_encoded_point(kind.curve(), data))
        except ValueError as exc:
            raise errors.InvalidDocument(f"invalid {kind.value} public key") from exc

    @classmethod
    def from_multibase(cls, value: str) -> PublicKey:
        """Import a Multikey ``publicKeyMultibase`` (Controlled Identifiers 1.0 §2.2.2).

        The value is base58btc (``z``) of the multicodec ``ed25519-pub`` (0xed), ``p256-pub``
        (0x1200) or ``p384-pub`` (0x1201) followed by the raw key; NIST points must be compressed.

        Raises:
            errors.InvalidDocument: another base or codec, a wrong length, or an invalid point.
        """
        if not value.startswith(multiformats.Base.BASE58BTC):
            raise errors.InvalidDocument("publicKeyMultibase must be base58btc ('z')")
        codec, raw = multiformats.split_multicodec(multiformats.decode_multibase(value))
        kind = KeyKind.from_public_codec(codec)
        expected = kind.scalar_size if kind is KeyKind.ED25519 else kind.scalar_size + 1
        if len(raw) != expected:
            raise errors.InvalidDocument(
                f"invalid {kind.value} Multikey length: expected {expected} bytes, got {len(raw)}"
            )
        return cls.from_raw(kind, raw)

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, object]) -> PublicKey:
        """Import a public JWK (RFC 7517 §4, RFC 7518 §6.2.1, RFC 8037 §2).

        Coordinates must be unpadded base64url of the full field size (RFC 7518 §6.2.1.2). An
        ``alg`` member, when present, must match the key. A JWK with private members is refused,
        so private material cannot reach a public document by accident.

        Raises:
            errors.InvalidDocument: the JWK is malformed, private, or of an unsupported type.
        """
        leaked = sorted(_PRIVATE_JWK_MEMBERS.intersection(jwk))
        if leaked:
            raise errors.InvalidDocument(f"public JWK carries private members: {', '.join(leaked)}")
        kind = KeyKind.from_jwk(jwk.get("kty"), jwk.get("crv"))
        alg = jwk.get("alg")
        if alg is not None and alg != kind.jose_alg:
            raise errors.InvalidDocument(
                f"JWK alg mismatch for {kind.value}: expected {kind.jose_alg}, got {alg!r}"
            )
        x = _jwk_bytes(jwk, "x", kind.scalar_size)
        if kind is KeyKind.ED25519:
            return cls.from_raw(kind, x)
        return cls.from_raw(kind, b"\x04" + x + _jwk_bytes(jwk, "y", kind.scalar_size))

    @property
    def kind(self) -> KeyKind:
        """The key's algorithm and curve."""
        return self._kind

    @property
    def jose_alg(self) -> str:
        """The JOSE ``alg`` for signatures by this key (RFC 7518 §3.1, RFC 8037 §3.1)."""
        return self._kind.jose_alg

    @property
    def raw(self) -> bytes:
        """The Multikey key bytes: 32 raw bytes for Ed25519, else a compressed SEC 1 point."""
        return self._raw

    def to_multibase(self) -> Multibase:
        """Export as Multikey ``publicKeyMultibase`` (Controlled Identifiers 1.0 §2.2.2)."""
        data = multiformats.add_multicodec(self._kind.public_codec, self._raw)
        return multiformats.encode_multibase(data, multiformats.Base.BASE58BTC)

    def to_jwk(self) -> dict[str, str]:
        """Export as a public JWK: ``kty, crv, x[, y]`` (RFC 7518 §6.2.1, RFC 8037 §2)."""
        jwk = {"kty": self._kind.jwk_kty, "crv": self._kind.value}
        if isinstance(self._key, ed25519.Ed25519PublicKey):
            jwk["x"] = multiformats.encode_base64url(self._raw)
            return jwk
        numbers = self._key.public_numbers()
        size = self._kind.scalar_size
        jwk["x"] = multiformats.encode_base64url(numbers.x.to_bytes(size, "big"))
        jwk["y"] = multiformats.encode_base64url(numbers.y.to_bytes(size, "big"))
        return jwk

    def verify(self, signature: bytes, message: bytes) -> None:
        """Verify a raw signature over ``message``; return ``None`` or raise.

        Ed25519 follows the policy in the module docstring (RFC 8032 §5.1.7 as OpenSSL implements
        it). ECDSA takes the IEEE P1363 ``r || s`` form of RFC 7518 §3.4, hashing with SHA-256 for
        P-256 and SHA-384 for P-384.

        Raises:
            errors.SignatureInvalid: the signature is malformed or does not verify.
        """
        try:
            if self._kind is KeyKind.ED25519:
                if len(signature) == _ED25519_SIGNATURE_SIZE:
                    if _VERIFY_DETACHED is not None and type(message) is bytes:
                        # 64 signature bytes and a 32-byte key, as the C function reads.
                        if _VERIFY_DETACHED(signature, message, len(message), self._raw) == 0:
                            return
                    else:
                        try:
                            crypto_sign_open(signature + message, self._raw)
                            return
                        except BadSignatureError:
                            pass
                    # OpenSSL decides what libsodium refuses (see the module docstring)
                cast(ed25519.Ed25519PublicKey, self._key).verify(signature, message)
                return
            size = self._kind.scalar_size
            if len(signature) != 2 * size:
                raise errors.SignatureInvalid(
                    f"invalid {self._kind.jose_alg} signature length: "
                    f"expected {2 * size} bytes, got {len(signature)}"
                )
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            ecdsa_key = cast(ec.EllipticCurvePublicKey, self._key)
            ecdsa_key.verify(encode_dss_signature(r, s), message, _ECDSA[self._kind])
        except InvalidSignature:
            raise errors.SignatureInvalid(
                f"{self._kind.jose_alg} signature does not verify under {self.to_multibase()}"
            ) from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicKey):
            return NotImplemented
        return self._kind is other._kind and self._raw == other._raw

    def __hash__(self) -> int:
        return hash((self._kind, self._raw))

    def __repr__(self) -> str:
        return f"PublicKey(kind={self._kind.value!r}, multibase={self.to_multibase()!r})"


def _jwk_bytes(jwk: Mapping[str, object], member: str, size: int) -> bytes:
    value = jwk.get(member)
    if not isinstance(value, str):
        raise errors.InvalidDocument(f"JWK member {member!r} must be a base64url string")
    data = multiformats.decode_base64url(value)
    if len(data) != size:
        raise errors.InvalidDocument(
            f"JWK member {member!r} has the wrong length: expected {size} bytes, got {len(data)}"
        )
    return data
