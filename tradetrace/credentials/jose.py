"""VC-JOSE-COSE (W3C Recommendation, 15 May 2025) §3.1: credentials and presentations as JWS.

A credential is secured as a compact JWS (RFC 7515 §7.1) whose payload *is* the credential (or
presentation) JSON, with no ``vc``/``vp`` claim (VC-JOSE-COSE §3.1.1, §3.1.2); its media type is
``application/vc+jwt`` (``application/vp+jwt``), announced in the ``typ`` header. ``kid`` is the
verification method id; the verifier resolves it through the issuer's DID document, never through
keys carried in the header (``jwk``, ``x5c``... are ignored).

Header validation is strict (RFC 7515 §4.1, §5.2; RFC 8725 §3.1-§3.2): ``alg`` must be one of
``ES256`` (mandatory to implement), ``ES384`` or ``EdDSA`` and must match the key; ``none`` and
every other algorithm are refused, as is any ``crit`` (tradetrace implements no extension
header parameter, so RFC 7515 §4.1.11 makes every listed one fatal) and ``b64`` (RFC 7797). The
signature is checked over the exact ASCII bytes received, so nothing is re-encoded.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import orjson
import pybase64

from tradetrace import errors, keys
from tradetrace.credentials.proofs.data_integrity import Mismatch

__all__ = [
    "ALGORITHMS",
    "CompactJws",
    "MediaType",
    "algorithm_mismatch",
    "header_mismatch",
    "parse_compact",
    "sign_compact",
    "verify_compact",
]

ALGORITHMS: Final[Mapping[str, keys.KeyKind]] = {
    "ES256": keys.KeyKind.P256,
    "ES384": keys.KeyKind.P384,
    "EdDSA": keys.KeyKind.ED25519,
}
"""The JOSE ``alg`` values accepted and the key kind each needs (RFC 7518 §3.4, RFC 8037 §3.1)."""

_UNSUPPORTED_HEADERS: Final = ("crit", "b64", "zip")
# base64url to standard base64, and "+" and "/" to a character outside both alphabets.
_TO_STANDARD: Final = bytes.maketrans(b"-_+/", b"+/!!")
_DIGITS_AS_ZERO: Final = bytes.maketrans(b"123456789", b"000000000")


class MediaType(StrEnum):
    """The ``typ`` of a secured credential or presentation (VC-JOSE-COSE §6.1.1, §6.1.2)."""

    VC_JWT = "vc+jwt"
    VP_JWT = "vp+jwt"

    @classmethod
    def from_typ(cls, typ: object) -> MediaType | None:
        """The media type a ``typ`` names, with or without ``application/`` (RFC 7515 §4.1.9)."""
        if not isinstance(typ, str):
            return None
        return _MEDIA_TYPES.get(typ.lower().removeprefix("application/"))


_MEDIA_TYPES: Final = {media.value: media for media in MediaType}


@dataclass(frozen=True, slots=True)
class CompactJws:
    """A compact JWS split into its parts (RFC 7515 §7.1); build it with :func:`parse_compact`.

    ``signing_input`` is ``BASE64URL(header) '.' BASE64URL(payload)`` exactly as received.
    """

    header: dict[str, Any]
    payload: bytes
    signing_input: bytes
    signature: bytes

    @property
    def alg(self) -> str:
        """The ``alg`` header parameter (RFC 7515 §4.1.1)."""
        value = self.header.get("alg")
        return value if isinstance(value, str) else ""

    def serialize(self) -> str:
        """The compact serialization, as received (RFC 7515 §7.1)."""
        return (self.signing_input + b"." + _b64encode(self.signature)).decode("ascii")

    @property
    def kid(self) -> str | None:
        """The ``kid`` header parameter (RFC 7515 §4.1.4), if it is a string."""
        value = self.header.get("kid")
        return value if isinstance(value, str) else None


def _b64decode(part: bytes, what: str, *, canonical: bool = False) -> bytes:
    """Strict unpadded base64url (RFC 7515 §2): only the alphabet, no padding.

    ``canonical`` also refuses stray bits in the last character. The header and payload need
    no such check: the signature covers their text as received, so another encoding of the
    same bytes fails to verify. The signature does: otherwise one JWS has several spellings.

    pybase64 (SIMD) decodes, taking exactly that. What it refuses, :mod:`binascii` (strict,
    after padding) tells apart: not base64url at all, or base64url with padding or stray bits.
    """
    try:
        return pybase64.b64decode(
            part, altchars=b"-_", validate=True, padded=False, canonical=canonical
        )
    except ValueError:  # binascii.Error
        pass
    try:
        binascii.a2b_base64(
            part.translate(_TO_STANDARD) + b"=" * (-len(part) % 4), strict_mode=True
        )
    except (binascii.Error, ValueError):
        raise errors.InvalidDocument(f"JWS {what} is not base64url") from None
    raise errors.InvalidDocument(f"JWS {what} is not canonical unpadded base64url")


def _b64encode(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def parse_compact(token: bytes | str) -> CompactJws:
    """Split and decode a compact JWS (RFC 7515 §7.1, §5.2 steps 1-7).

    The header must be a JSON object; the payload is returned as bytes for the caller to parse.

    Raises:
        errors.InvalidDocument: not three base64url parts, or a header that is not a JSON object.
    """
    if not token.isascii():
        raise errors.InvalidDocument("not a compact JWS: non-ASCII characters")
    data = token.encode("ascii") if isinstance(token, str) else token
    parts = data.strip().split(b".")
    if len(parts) != 3 or not all(parts[:2]):
        raise errors.InvalidDocument("not a compact JWS: expected three base64url parts")
    header_part, payload_part, signature_part = parts
    header_json = _b64decode(header_part, "header")
    try:
        header = orjson.loads(header_json)
    except orjson.JSONDecodeError:
        header = None  # json.loads decides, and says why (it also takes NaN and UTF-16)
    # orjson reads an integer beyond 64 bits as a float; json.loads keeps it exact.
    if header is None or b"0" * 19 in header_json.translate(_DIGITS_AS_ZERO):
        try:
            header = json.loads(header_json)
        except (ValueError, RecursionError):
            raise errors.InvalidDocument("JWS header is not JSON") from None
    if not isinstance(header, dict):
        raise errors.InvalidDocument("JWS header is not a JSON object")
    return CompactJws(
        header=header,
        payload=_b64decode(payload_part, "payload"),
        signing_input=header_part + b"." + payload_part,
        signature=_b64decode(signature_part, "signature", canonical=True),
    )


def header_mismatch(jws: CompactJws, media_type: MediaType) -> Mismatch | None:
    """Check the JOSE header against the policy of the module docstring (RFC 7515 §4.1, §5.2;
    VC-JOSE-COSE §3.1.1, §3.1.2) for a payload of ``media_type``.

    Codes: ``unsupported_algorithm``, ``unsupported_header``, ``media_type_invalid``,
    ``kid_missing``.
    """
    alg = jws.header.get("alg")
    if not isinstance(alg, str) or alg not in ALGORITHMS:
        shown = repr(alg)[:40]
        return Mismatch("unsupported_algorithm", f"JWS alg {shown} is not ES256, ES384 or EdDSA")
    for name in _UNSUPPORTED_HEADERS:
        if name in jws.header:
            return Mismatch("unsupported_header", f"JWS header parameter {name} is not supported")
    typ = MediaType.from_typ(jws.header.get("typ"))
    if typ is not media_type:
        shown = repr(jws.header.get("typ"))[:60]
        return Mismatch("media_type_invalid", f"JWS typ: expected {media_type.value}, got {shown}")
    cty = jws.header.get("cty")
    if cty is not None:
        content = media_type.value.partition("+")[0]
        if cty not in (content, f"application/{content}"):
            return Mismatch("media_type_invalid", f"JWS cty: expected {content}, got {cty!r:.60}")
    if jws.kid is None:
        return Mismatch("kid_missing", "JWS header has no kid naming the verification method")
    return None


def algorithm_mismatch(jws: CompactJws, key: keys.PublicKey) -> Mismatch | None:
    """Check that ``alg`` fits the key (RFC 8725 §3.1); code ``key_algorithm_mismatch``."""
    if ALGORITHMS.get(jws.alg) is not key.kind:
        message = f"JWS alg {jws.alg} does not fit the {key.kind.value} key of the method"
        return Mismatch("key_algorithm_mismatch", message)
    return None


def verify_compact(jws: CompactJws, key: keys.PublicKey) -> None:
    """Verify the signature of a parsed JWS under ``key`` (RFC 7515 §5.2 step 8).

    Raises:
        errors.ProofInvalid: ``alg`` does not fit the key, or is not allowed.
        errors.SignatureInvalid: the signature does not verify.
    """
    mismatch = algorithm_mismatch(jws, key)
    if mismatch is not None:
        raise errors.ProofInvalid(mismatch.message)
    key.verify(jws.signature, jws.signing_input)


def sign_compact(
    payload: Mapping[str, Any], key: keys.SigningKey, *, kid: str, media_type: MediaType
) -> str:
    """Secure ``payload`` as a compact JWS (RFC 7515 §5.1, §7.1; VC-JOSE-COSE §3.1.1).

    The header is ``{"alg", "kid", "typ"}``; the payload is the JSON of ``payload``, compact.

    Raises:
        errors.InvalidDocument: ``payload`` has no JSON form.
    """
    header = {"alg": key.jose_alg, "kid": kid, "typ": media_type.value}
    try:
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        encoded = body.encode("utf-8")
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        raise errors.InvalidDocument(f"payload has no JSON form: {exc}") from None
    signing_input = (
        _b64encode(json.dumps(header, separators=(",", ":")).encode()) + b"." + _b64encode(encoded)
    )
    signature = key.sign(signing_input)
    return (signing_input + b"." + _b64encode(signature)).decode("ascii")
