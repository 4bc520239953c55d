"""JWT access tokens (RFC 9068, over RFC 7519 and RFC 7515): sign them, and read them back.

A token is a compact JWS with header ``{"alg", "typ": "at+jwt", "kid"}`` (RFC 9068 §2.1) and the
claims ``iss``, ``aud``, ``sub`` (the client id), ``scope``, ``iat``, ``exp`` and ``jti``
(RFC 9068 §2.2). :func:`read_access_token` accepts tokens of the issuers it is given, each with
its JWKS (:class:`KeySet`, RFC 7517 §5): this node's own, and optionally an external
authorization server's. Every failure is :class:`~tradetrace.errors.Unauthorized`, and its
message never repeats the token.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from tradetrace import errors, keys
from tradetrace.credentials import jose
from tradetrace.oauth.scopes import Scope, format_scopes, parse_scopes

__all__ = ["AccessToken", "KeySet", "TrustedIssuer", "read_access_token", "sign_access_token"]

_TOKEN_TYPES: Final = frozenset({"at+jwt", "application/at+jwt", "jwt", "JWT"})
_MAX_TOKEN_BYTES: Final = 8192


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class AccessToken:
    """The claims of a verified access token (RFC 9068 §2.2)."""

    issuer: str
    audience: tuple[str, ...]
    subject: str
    scopes: frozenset[Scope]
    issued_at: datetime
    expires_at: datetime
    token_id: str | None


class KeySet:
    """The public keys of one issuer by ``kid`` (a JWK Set, RFC 7517 §5)."""

    def __init__(self, keys_by_id: Mapping[str, keys.PublicKey]) -> None:
        self._keys = dict(keys_by_id)

    @classmethod
    def from_jwks(cls, data: object) -> KeySet:
        """Read a JWK Set (RFC 7517 §5): EC P-256/P-384 and OKP Ed25519 keys, each with a
        ``kid``; keys with ``use`` other than ``sig`` and of other types are skipped.

        Raises:
            errors.InvalidDocument: not a JWK Set, a key without ``kid``, or a malformed key.
        """
        if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
            raise errors.InvalidDocument("JWKS must be an object with a keys array")
        found: dict[str, keys.PublicKey] = {}
        for index, jwk in enumerate(data["keys"]):
            if not isinstance(jwk, dict) or jwk.get("use", "sig") != "sig":
                continue
            if jwk.get("kty") not in ("EC", "OKP"):
                continue
            kid = jwk.get("kid")
            if not isinstance(kid, str) or not kid:
                raise errors.InvalidDocument(f"JWKS key {index} has no kid")
            found[kid] = keys.PublicKey.from_jwk(
                {name: value for name, value in jwk.items() if name in ("kty", "crv", "x", "y")}
            )
        return cls(found)

    @staticmethod
    def thumbprint(key: keys.PublicKey) -> str:
        """The JWK thumbprint of ``key`` (RFC 7638 §3), used as its ``kid``."""
        jwk = key.to_jwk()
        members = {name: jwk[name] for name in ("crv", "kty", "x", "y") if name in jwk}
        canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode("ascii")
        return _b64(hashlib.sha256(canonical).digest())

    @classmethod
    def of(cls, *public_keys: keys.PublicKey) -> KeySet:
        """A key set of ``public_keys``, each under its thumbprint."""
        return cls({cls.thumbprint(key): key for key in public_keys})

    def get(self, kid: str | None) -> keys.PublicKey:
        """The key ``kid``; a token without ``kid`` may use the only key of a one-key set.

        Raises:
            errors.Unauthorized: no such key.
        """
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        key = self._keys.get(kid) if kid is not None else None
        if key is None:
            raise errors.Unauthorized("access token signed by an unknown key")
        return key

    def to_jwks(self) -> dict[str, Any]:
        """The JWK Set document (RFC 7517 §5) of the public keys, for ``/oauth/jwks.json``."""
        entries = [
            {**key.to_jwk(), "kid": kid, "use": "sig", "alg": key.jose_alg}
            for kid, key in sorted(self._keys.items())
        ]
        return {"keys": entries}


@dataclass(frozen=True, slots=True)
class TrustedIssuer:
    """An issuer whose tokens are accepted: its ``iss`` value and its keys (RFC 9068 §4)."""

    issuer: str
    keys: KeySet


def sign_access_token(
    *,
    key: keys.SigningKey,
    issuer: str,
    audience: str,
    subject: str,
    scopes: frozenset[Scope],
    now: datetime,
    lifetime: timedelta,
) -> str:
    """A signed JWT access token (RFC 9068 §2); ES256 with a P-256 key (standards.md §2.1)."""
    header = {"alg": key.jose_alg, "typ": "at+jwt", "kid": KeySet.thumbprint(key.public_key())}
    issued = int(now.timestamp())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "client_id": subject,
        "scope": format_scopes(scopes),
        "iat": issued,
        "exp": issued + int(lifetime.total_seconds()),
        "jti": str(uuid.uuid4()),
    }
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":")).encode("utf-8")) for part in (header, claims)
    )
    return f"{signing_input}.{_b64(key.sign(signing_input.encode('ascii')))}"


def _claims(jws: jose.CompactJws) -> dict[str, Any]:
    try:
        claims = json.loads(jws.payload)
    except (ValueError, RecursionError):
        raise errors.Unauthorized("access token claims are not JSON") from None
    if not isinstance(claims, dict):
        raise errors.Unauthorized("access token claims are not a JSON object")
    return claims


def _time(claims: Mapping[str, Any], name: str) -> datetime:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise errors.Unauthorized(f"access token has no numeric {name} claim")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise errors.Unauthorized(f"access token {name} claim is out of range") from None


def _strings(value: object) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        return ()
    return tuple(item for item in items if isinstance(item, str))


def read_access_token(
    token: str, *, issuers: Mapping[str, TrustedIssuer], now: datetime, leeway: timedelta
) -> AccessToken:
    """Verify a JWT access token from one of ``issuers`` at ``now`` (RFC 9068 §4 steps 1-6).

    The audience and scopes are returned for the caller to check against the request.

    Raises:
        errors.Unauthorized: malformed, unknown issuer or key, wrong ``alg``, bad signature,
            expired or not yet valid.
    """
    if len(token) > _MAX_TOKEN_BYTES:
        raise errors.Unauthorized("access token too large")
    try:
        jws = jose.parse_compact(token)
    except errors.InvalidDocument:
        raise errors.Unauthorized("access token is not a compact JWS") from None
    if jws.header.get("typ", "at+jwt") not in _TOKEN_TYPES:
        raise errors.Unauthorized("access token typ is not at+jwt")
    claims = _claims(jws)
    issuer = claims.get("iss")
    trusted = issuers.get(issuer) if isinstance(issuer, str) else None
    if trusted is None:
        raise errors.Unauthorized("access token issuer is not trusted")
    key = trusted.keys.get(jws.kid)
    if jws.alg != key.jose_alg:  # never "none", never an algorithm the key does not have
        raise errors.Unauthorized(f"access token alg {jws.alg[:20]!r} does not fit its key")
    try:
        key.verify(jws.signature, jws.signing_input)
    except errors.SignatureInvalid:
        raise errors.Unauthorized("access token signature does not verify") from None
    expires, issued = _time(claims, "exp"), _time(claims, "iat")
    if now - leeway >= expires:
        raise errors.Unauthorized("access token expired")
    not_before = _time(claims, "nbf") if "nbf" in claims else issued
    if now + leeway < not_before:
        raise errors.Unauthorized("access token is not valid yet")
    subject = claims.get("sub", claims.get("client_id"))
    if not isinstance(subject, str) or not subject:
        raise errors.Unauthorized("access token has no sub claim")
    scope = claims.get("scope")
    text = scope if isinstance(scope, str) else " ".join(_strings(claims.get("scp")))
    try:
        scopes = parse_scopes(text, strict=False)
    except errors.InvalidDocument:
        raise errors.Unauthorized("access token scope claim is too long") from None
    return AccessToken(
        issuer=trusted.issuer,
        audience=_strings(claims.get("aud")),
        subject=subject,
        scopes=scopes,
        issued_at=issued,
        expires_at=expires,
        token_id=claims.get("jti") if isinstance(claims.get("jti"), str) else None,
    )
