"""Private signing keys: generation, import, named exports, file storage and signing.

Key material stays inside :class:`SigningKey`. It leaves only through methods whose names say so
(``export_private_bytes``, ``export_private_jwk``, ``export_secret_multibase``, ``export_pem``,
``save``), and ``repr`` shows the public key only (STYLE.md §4).

Files are PKCS#8 PEM (RFC 5958 §2, RFC 7468 §10/§11), encrypted with the passphrase through
``cryptography``'s ``BestAvailableEncryption`` (PBES2, RFC 8018 §6.2), or unencrypted when no
passphrase is given.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from tradetrace import errors, multiformats
from tradetrace.keys.kinds import KeyKind
from tradetrace.keys.public import PublicKey
from tradetrace.types import Multibase

__all__ = ["SigningKey"]

_CryptoPrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
_CURVE_KINDS = {"secp256r1": KeyKind.P256, "secp384r1": KeyKind.P384}


class SigningKey:
    """A private key of one :class:`KeyKind` that signs messages; secrets never show in ``repr``."""

    __slots__ = ("_key", "_kind", "_public")

    def __init__(self, kind: KeyKind, key: _CryptoPrivateKey) -> None:
        """Wrap a ``cryptography`` key; prefer :meth:`generate` and the ``from_*`` constructors."""
        self._kind = kind
        self._key = key
        self._public = PublicKey(kind, key.public_key())

    @classmethod
    def generate(cls, kind: KeyKind) -> SigningKey:
        """Generate a fresh key from the operating system's CSPRNG (through OpenSSL)."""
        if kind is KeyKind.ED25519:
            return cls(kind, ed25519.Ed25519PrivateKey.generate())
        return cls(kind, ec.generate_private_key(kind.curve()))

    @classmethod
    def from_private_bytes(cls, kind: KeyKind, data: bytes) -> SigningKey:
        """Import raw private bytes: the 32-byte Ed25519 seed (RFC 8032 §5.1.5) or a big-endian
        ECDSA scalar of the curve's size (SEC 1 §2.3.6), which must lie in ``[1, n - 1]``.

        Raises:
            errors.InvalidDocument: wrong length, or a scalar out of range.
        """
        if len(data) != kind.scalar_size:
            raise errors.InvalidDocument(
                f"invalid {kind.value} private key length: "
                f"expected {kind.scalar_size} bytes, got {len(data)}"
            )
        if kind is KeyKind.ED25519:
            return cls(kind, ed25519.Ed25519PrivateKey.from_private_bytes(data))
        try:
            key = ec.derive_private_key(int.from_bytes(data, "big"), kind.curve())
        except ValueError as exc:
            raise errors.InvalidDocument(f"invalid {kind.value} private scalar") from exc
        return cls(kind, key)

    @classmethod
    def from_secret_multibase(cls, value: str) -> SigningKey:
        """Import a secret Multikey ``secretKeyMultibase`` (Controlled Identifiers 1.0 §2.2.2):
        base58btc of ``ed25519-priv`` (0x1300), ``p256-priv`` (0x1306) or ``p384-priv`` (0x1307)
        followed by the raw private bytes.

        Raises:
            errors.InvalidDocument: another base or codec, or invalid key bytes.
        """
        if not value.startswith(multiformats.Base.BASE58BTC):
            raise errors.InvalidDocument("secretKeyMultibase must be base58btc ('z')")
        codec, raw = multiformats.split_multicodec(multiformats.decode_multibase(value))
        return cls.from_private_bytes(KeyKind.from_secret_codec(codec), raw)

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, object]) -> SigningKey:
        """Import a private JWK (RFC 7518 §6.2.2, RFC 8037 §2); its public part must match ``d``.

        Raises:
            errors.InvalidDocument: ``d`` is missing or malformed, or the public part differs.
        """
        d = jwk.get("d")
        if not isinstance(d, str):
            raise errors.InvalidDocument("private JWK member 'd' must be a base64url string")
        public = PublicKey.from_jwk({name: value for name, value in jwk.items() if name != "d"})
        key = cls.from_private_bytes(public.kind, multiformats.decode_base64url(d))
        if key.public_key() != public:
            raise errors.InvalidDocument("private JWK 'd' does not match its public members")
        return key

    @classmethod
    def from_pem(cls, data: bytes, *, passphrase: str | bytes | None = None) -> SigningKey:
        """Import a PKCS#8 PEM private key (RFC 5958 §2, RFC 7468 §10/§11).

        Raises:
            errors.InvalidDocument: the PEM is malformed, the passphrase is wrong or missing (or
                given for an unencrypted key), or the key is not Ed25519, P-256 or P-384.
        """
        password = passphrase.encode() if isinstance(passphrase, str) else passphrase
        try:
            key = serialization.load_pem_private_key(data, password)
        except TypeError as exc:
            # cryptography raises TypeError when encryption and passphrase do not go together.
            problem = (
                "a passphrase was given but the key is not encrypted"
                if password
                else "the key is encrypted and no passphrase was given"
            )
            raise errors.InvalidDocument(f"cannot load private key: {problem}") from exc
        except ValueError as exc:
            raise errors.InvalidDocument(
                "cannot load private key: malformed PEM or wrong passphrase"
            ) from exc
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return cls(KeyKind.ED25519, key)
        if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name in _CURVE_KINDS:
            return cls(_CURVE_KINDS[key.curve.name], key)
        raise errors.InvalidDocument(f"unsupported private key type: {type(key).__name__}")

    @classmethod
    def load(cls, path: Path, *, passphrase: str | bytes | None = None) -> SigningKey:
        """Read a private key file written by :meth:`save` (PKCS#8 PEM).

        Raises:
            errors.ConfigurationError: the file cannot be read.
            errors.InvalidDocument: see :meth:`from_pem`.
        """
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise errors.ConfigurationError(
                f"cannot read private key file {path}: {exc.strerror}"
            ) from exc
        return cls.from_pem(data, passphrase=passphrase)

    @property
    def kind(self) -> KeyKind:
        """The key's algorithm and curve."""
        return self._kind

    @property
    def jose_alg(self) -> str:
        """The JOSE ``alg`` for this key's signatures (RFC 7518 §3.1, RFC 8037 §3.1)."""
        return self._kind.jose_alg

    def public_key(self) -> PublicKey:
        """The matching public key."""
        return self._public

    def sign(self, message: bytes) -> bytes:
        """Sign ``message``: pure Ed25519 (RFC 8032 §5.1.6), or ECDSA with SHA-256/SHA-384
        returned as IEEE P1363 ``r || s`` of fixed size (RFC 7518 §3.4, vc-di-ecdsa §3.3).
        """
        if isinstance(self._key, ed25519.Ed25519PrivateKey):
            return self._key.sign(message)
        r, s = decode_dss_signature(self._key.sign(message, self._kind.ecdsa()))
        size = self._kind.scalar_size
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    def export_private_bytes(self) -> bytes:
        """Export the raw private bytes: the Ed25519 seed or the big-endian ECDSA scalar."""
        if isinstance(self._key, ed25519.Ed25519PrivateKey):
            return self._key.private_bytes_raw()
        return self._key.private_numbers().private_value.to_bytes(self._kind.scalar_size, "big")

    def export_private_jwk(self) -> dict[str, str]:
        """Export as a private JWK: the public members plus ``d`` (RFC 7518 §6.2.2, RFC 8037 §2)."""
        jwk = self._public.to_jwk()
        jwk["d"] = multiformats.encode_base64url(self.export_private_bytes())
        return jwk

    def export_secret_multibase(self) -> Multibase:
        """Export as secret Multikey ``secretKeyMultibase`` (Controlled Identifiers 1.0 §2.2.2)."""
        data = multiformats.add_multicodec(self._kind.secret_codec, self.export_private_bytes())
        return multiformats.encode_multibase(data, multiformats.Base.BASE58BTC)

    def export_pem(self, *, passphrase: str | bytes | None) -> bytes:
        """Export as PKCS#8 PEM, encrypted with ``passphrase`` unless it is ``None``.

        The passphrase is required as a keyword so that writing an unencrypted key is a visible
        choice at the call site.

        Raises:
            errors.ConfigurationError: the passphrase is empty.
        """
        encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
        if passphrase is not None:
            password = passphrase.encode() if isinstance(passphrase, str) else passphrase
            if not password:
                raise errors.ConfigurationError("private key passphrase must not be empty")
            encryption = serialization.BestAvailableEncryption(password)
        return self._key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def save(self, path: Path, *, passphrase: str | bytes | None) -> None:
        """Write :meth:`export_pem` to a new file readable by its owner only (mode 0600).

        Raises:
            errors.Conflict: the file already exists; keys are never overwritten.
            errors.ConfigurationError: the passphrase is empty, or the file cannot be written.
        """
        pem = self.export_pem(passphrase=passphrase)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise errors.Conflict(f"private key file already exists: {path}") from exc
        except OSError as exc:
            raise errors.ConfigurationError(
                f"cannot write private key file {path}: {exc.strerror}"
            ) from exc
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)

    def __repr__(self) -> str:
        return f"SigningKey(kind={self._kind.value!r}, public_key={self._public.to_multibase()!r})"
