"""The signature algorithms tradetrace supports, and the names each one goes by.

One key kind fixes everything else: the curve, the hash, the JOSE ``alg`` (RFC 7518 §3.1, RFC 8037
§3.1), the JWK ``kty``/``crv`` (RFC 7518 §6.2, RFC 8037 §2), the multicodec codes of the public and
secret Multikey forms (Controlled Identifiers 1.0 §2.2.2, multicodec ``table.csv``) and the size of
a raw signature. ECDSA signatures are the IEEE P1363 ``r || s`` concatenation that JOSE (RFC 7518
§3.4) and the Data Integrity ECDSA cryptosuites (vc-di-ecdsa §3.3) require, not DER.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from tradetrace import errors
from tradetrace.multiformats import Multicodec

__all__ = ["KeyKind"]


class KeyKind(enum.StrEnum):
    """A signature algorithm and its curve; the value is the JWK ``crv`` (RFC 7518 §6.2.1.1)."""

    ED25519 = "Ed25519"
    P256 = "P-256"
    P384 = "P-384"

    @property
    def jose_alg(self) -> str:
        """The JOSE ``alg``: ``EdDSA`` (RFC 8037 §3.1), ``ES256`` or ``ES384`` (RFC 7518 §3.4)."""
        return _PARAMETERS[self].jose_alg

    @property
    def jwk_kty(self) -> str:
        """The JWK key type: ``OKP`` (RFC 8037 §2) or ``EC`` (RFC 7518 §6.2)."""
        return "OKP" if self is KeyKind.ED25519 else "EC"

    @property
    def public_codec(self) -> Multicodec:
        """The multicodec of the public Multikey form (``ed25519-pub``, ``p256-pub``...)."""
        return _PARAMETERS[self].public_codec

    @property
    def secret_codec(self) -> Multicodec:
        """The multicodec of the secret Multikey form (``ed25519-priv``, ``p256-priv``...)."""
        return _PARAMETERS[self].secret_codec

    @property
    def scalar_size(self) -> int:
        """Bytes in a private scalar or seed, and in each of ECDSA's ``r`` and ``s``."""
        return _PARAMETERS[self].scalar_size

    @property
    def signature_size(self) -> int:
        """Bytes in a raw signature: 64 for Ed25519 (RFC 8032 §5.1.6), ``2 * scalar_size`` else."""
        return 2 * self.scalar_size

    def curve(self) -> ec.EllipticCurve:
        """The NIST curve of an ECDSA kind.

        Raises:
            errors.InvalidDocument: the kind is Ed25519, which has no NIST curve.
        """
        if self is KeyKind.P256:
            return ec.SECP256R1()
        if self is KeyKind.P384:
            return ec.SECP384R1()
        raise errors.InvalidDocument(f"{self.value} is not an ECDSA key kind")

    def ecdsa(self) -> ec.ECDSA:
        """The ECDSA scheme with the kind's hash: SHA-256 for P-256, SHA-384 for P-384 (RFC 7518
        §3.4).

        Raises:
            errors.InvalidDocument: the kind is Ed25519, which signs without a separate hash.
        """
        if self is KeyKind.P256:
            return ec.ECDSA(hashes.SHA256())
        if self is KeyKind.P384:
            return ec.ECDSA(hashes.SHA384())
        raise errors.InvalidDocument(f"{self.value} is not an ECDSA key kind")

    @classmethod
    def from_public_codec(cls, codec: Multicodec) -> KeyKind:
        """The kind whose public Multikey uses ``codec``.

        Raises:
            errors.InvalidDocument: ``codec`` is not a public signing key codec.
        """
        return _by_codec(codec, public=True)

    @classmethod
    def from_secret_codec(cls, codec: Multicodec) -> KeyKind:
        """The kind whose secret Multikey uses ``codec``.

        Raises:
            errors.InvalidDocument: ``codec`` is not a secret signing key codec.
        """
        return _by_codec(codec, public=False)

    @classmethod
    def from_jwk(cls, kty: object, crv: object) -> KeyKind:
        """The kind named by a JWK's ``kty`` and ``crv`` (RFC 7518 §6.2.1.1, RFC 8037 §2).

        Raises:
            errors.InvalidDocument: the pair names a key type tradetrace does not support.
        """
        for kind in cls:
            if kind.jwk_kty == kty and kind.value == crv:
                return kind
        raise errors.InvalidDocument(f"unsupported JWK key type: kty {kty!r}, crv {crv!r}")


@dataclass(frozen=True, slots=True)
class _Parameters:
    jose_alg: str
    public_codec: Multicodec
    secret_codec: Multicodec
    scalar_size: int


_PARAMETERS = {
    KeyKind.ED25519: _Parameters("EdDSA", Multicodec.ED25519_PUB, Multicodec.ED25519_PRIV, 32),
    KeyKind.P256: _Parameters("ES256", Multicodec.P256_PUB, Multicodec.P256_PRIV, 32),
    KeyKind.P384: _Parameters("ES384", Multicodec.P384_PUB, Multicodec.P384_PRIV, 48),
}


def _by_codec(codec: Multicodec, *, public: bool) -> KeyKind:
    for kind, parameters in _PARAMETERS.items():
        if codec == (parameters.public_codec if public else parameters.secret_codec):
            return kind
    role = "public" if public else "secret"
    raise errors.InvalidDocument(f"multicodec 0x{codec:x} is not a {role} signing key codec")
