"""DIDs (DID Core 1.0 §3) and DID documents (§5), parsed once at the edge.

A :class:`DidDocument` is a frozen pydantic model read from JSON. Parsing checks the DID syntax
(§3.1), that verification method ids are unique (§5.2), that references in verification
relationships (§5.3) point at methods the document holds, and that every method of a supported
type carries well-formed key material: ``Multikey`` (Controlled Identifiers 1.0 §2.2.2),
``JsonWebKey2020``/``JsonWebKey`` (§2.2.3), ``Ed25519VerificationKey2018``/``2020`` and
``P256Key2021``/``P384Key2021`` (the did:key test vectors). Private key material is refused
everywhere. Methods of other types (X25519 key agreement keys, secp256k1...) are kept but yield
no signing key.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable
from typing import Any, Final, ParamSpec, Self, TypeVar

import pydantic
from pydantic.alias_generators import to_camel

from tradetrace import errors, keys, multiformats
from tradetrace.types import Did

__all__ = [
    "DidDocument",
    "Relationship",
    "Service",
    "VerificationMethod",
    "parse_did",
    "split_did_url",
]

# DID Core §3.1: did = "did:" method-name ":" method-specific-id, idchar = ALPHA / DIGIT / "." /
# "-" / "_" / pct-encoded, and the method-specific id may not end with ":".
_IDCHAR = r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})"
_DID = re.compile(rf"did:[a-z0-9]+:(?:{_IDCHAR}*:)*{_IDCHAR}+")
# RFC 3986 §3.5 fragment characters, which DID URLs use (DID Core §3.2).
_FRAGMENT = re.compile(r"(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})+")
_PRIVATE_MEMBERS: Final = frozenset(
    {"privateKeyJwk", "privateKeyMultibase", "privateKeyBase58", "secretKeyMultibase"}
)
_SIGNING_CODECS: Final = frozenset(kind.public_codec for kind in keys.KeyKind)
_P = ParamSpec("_P")
_T = TypeVar("_T")
_V = TypeVar("_V")


def parse_did(value: str) -> Did:
    """Check ``value`` against the DID syntax (DID Core §3.1) and return it as a :class:`Did`.

    Raises:
        errors.InvalidDocument: the value is not a DID (a DID URL with a fragment is not a DID).
    """
    if not _DID.fullmatch(value):
        raise errors.InvalidDocument(f"invalid DID {value[:120]!r}")
    return Did(value)


def split_did_url(value: str) -> tuple[Did, str]:
    """Split a DID URL ``did:...#fragment`` into the DID and the fragment (DID Core §3.2).

    Raises:
        errors.InvalidDocument: no fragment, a malformed fragment, or a DID URL with a path or
            query, which verification method ids do not use.
    """
    did, hash_sign, fragment = value.partition("#")
    if not hash_sign or not _FRAGMENT.fullmatch(fragment):
        raise errors.InvalidDocument(f"invalid DID URL fragment in {value[:120]!r}")
    return parse_did(did), fragment


class Relationship(enum.StrEnum):
    """A verification relationship (DID Core §5.3); the value is the property name."""

    AUTHENTICATION = "authentication"
    ASSERTION_METHOD = "assertionMethod"
    KEY_AGREEMENT = "keyAgreement"
    CAPABILITY_INVOCATION = "capabilityInvocation"
    CAPABILITY_DELEGATION = "capabilityDelegation"


class _Model(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(
        frozen=True, extra="allow", alias_generator=to_camel, populate_by_name=True
    )


class VerificationMethod(_Model):
    """A verification method (DID Core §5.2) with at most one form of public key material."""

    id: str
    type: str
    controller: Did
    public_key_multibase: str | None = None
    public_key_jwk: dict[str, pydantic.JsonValue] | None = None
    public_key_base58: str | None = None
    _key: keys.PublicKey | None = pydantic.PrivateAttr(default=None)

    @pydantic.field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return _validated(_check_method_reference, value)

    @pydantic.field_validator("controller")
    @classmethod
    def _check_controller(cls, value: str) -> str:
        return _validated(parse_did, value)

    @pydantic.model_validator(mode="after")
    def _check_material(self) -> Self:
        leaked = sorted(_PRIVATE_MEMBERS.intersection(self.model_extra or {}))
        if leaked:
            raise ValueError(f"verification method carries private key material: {leaked}")
        forms = (self.public_key_multibase, self.public_key_jwk, self.public_key_base58)
        if sum(form is not None for form in forms) > 1:
            raise ValueError("verification method has more than one form of key material")
        self._key = _validated(self._decode_key)
        return self

    def public_key(self) -> keys.PublicKey:
        """The method's signature key.

        Raises:
            errors.ResolutionError: the method's type or key is not a supported signature key.
        """
        if self._key is None:
            raise errors.ResolutionError(
                f"verification method {self.id} of type {self.type} has no supported signing key"
            )
        return self._key

    def _decode_key(self) -> keys.PublicKey | None:
        if self.type == "Multikey":
            codec, _ = multiformats.decode_varint(_decode_z(_require(self.public_key_multibase)))
            if codec not in _SIGNING_CODECS:
                return None  # a key agreement or unsupported key: valid, but not for signing
            return keys.PublicKey.from_multibase(_require(self.public_key_multibase))
        if self.type in ("JsonWebKey2020", "JsonWebKey"):
            jwk = _require(self.public_key_jwk)
            if (jwk.get("kty"), jwk.get("crv")) not in _JWK_SIGNING_TYPES:
                if "d" in jwk:
                    raise errors.InvalidDocument("public JWK carries private member 'd'")
                return None
            return keys.PublicKey.from_jwk(jwk)
        kind = _BASE58_TYPES.get(self.type)
        if kind is not None:
            raw = multiformats.decode_base58btc(_require(self.public_key_base58))
            return keys.PublicKey.from_raw(kind, raw)
        if self.type == "Ed25519VerificationKey2020":
            key = keys.PublicKey.from_multibase(_require(self.public_key_multibase))
            if key.kind is not keys.KeyKind.ED25519:
                raise errors.InvalidDocument(f"{self.type} holds a {key.kind.value} key")
            return key
        return None


_BASE58_TYPES: Final = {
    "Ed25519VerificationKey2018": keys.KeyKind.ED25519,
    "P256Key2021": keys.KeyKind.P256,
    "P384Key2021": keys.KeyKind.P384,
}
_JWK_SIGNING_TYPES: Final = frozenset((kind.jwk_kty, kind.value) for kind in keys.KeyKind)


class Service(_Model):
    """A service (DID Core §5.4): an id, a type and a ``serviceEndpoint``."""

    id: str
    type: str | tuple[str, ...]
    service_endpoint: str | dict[str, pydantic.JsonValue] | tuple[pydantic.JsonValue, ...]


class DidDocument(_Model):
    """A DID document (DID Core §5), frozen; build it with :meth:`from_json` or :meth:`from_dict`.

    Python names are snake_case; the wire names come from an alias generator. The
    ``verificationMethod`` property is the field :attr:`methods`, because
    :meth:`verification_method` dereferences one method by id.
    """

    context: str | tuple[str | dict[str, pydantic.JsonValue], ...] | None = pydantic.Field(
        default=None, alias="@context"
    )
    id: Did
    controller: Did | tuple[Did, ...] | None = None
    also_known_as: tuple[str, ...] = ()
    methods: tuple[VerificationMethod, ...] = pydantic.Field(default=(), alias="verificationMethod")
    assertion_method: tuple[str | VerificationMethod, ...] = ()
    authentication: tuple[str | VerificationMethod, ...] = ()
    capability_invocation: tuple[str | VerificationMethod, ...] = ()
    capability_delegation: tuple[str | VerificationMethod, ...] = ()
    key_agreement: tuple[str | VerificationMethod, ...] = ()
    service: tuple[Service, ...] = ()

    @pydantic.field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return _validated(parse_did, value)

    @pydantic.model_validator(mode="after")
    def _check_references(self) -> Self:
        seen: set[str] = set()
        for method in self._all_methods():
            absolute = self._absolute(method.id)
            if absolute in seen:
                raise ValueError(f"duplicate verification method id {absolute}")
            seen.add(absolute)
        for relationship in Relationship:
            for entry in self._entries(relationship):
                if isinstance(entry, str):
                    absolute = self._absolute(_validated(_check_method_reference, entry))
                    if self._is_local(absolute) and absolute not in seen:
                        raise ValueError(f"{relationship.value} refers to unknown method {entry}")
        return self

    @classmethod
    def from_json(cls, text: str | bytes) -> DidDocument:
        """Parse a DID document from JSON text (DID Core §6.2 JSON, §6.3 JSON-LD).

        Duplicate member names and the non-JSON constants ``NaN``/``Infinity`` are refused.

        Raises:
            errors.InvalidDocument: the text is not JSON or does not form a valid document.
        """
        try:
            data = json.loads(text, object_pairs_hook=_unique_members, parse_constant=_no_constant)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise errors.InvalidDocument(f"DID document is not valid JSON: {exc}") from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: object) -> DidDocument:
        """Validate a DID document already decoded from JSON (DID Core §5).

        Raises:
            errors.InvalidDocument: the value does not form a valid document; ``problems`` names
                every field at fault.
        """
        try:
            # Wire names only: a "methods" or "assertion_method" member must not be read as
            # verificationMethod or assertionMethod, which other processors would ignore.
            return cls.model_validate(data, by_alias=True, by_name=False)
        except pydantic.ValidationError as exc:
            problems = [
                errors.FieldProblem(
                    ".".join(str(part) for part in error["loc"]) or "document",
                    error["msg"].removeprefix("Value error, "),
                )
                for error in exc.errors()
            ]
            raise errors.InvalidDocument.from_problems("DID document", problems) from None

    def to_dict(self) -> dict[str, Any]:
        """The document as JSON-ready data with the wire names; empty properties are left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=True)

    def verification_method(self, method_id: str) -> VerificationMethod:
        """Dereference a verification method by its absolute or relative id (DID Core §7.2).

        Raises:
            errors.ResolutionError: the document holds no method with that id.
        """
        absolute = self._absolute(method_id)
        for method in self._all_methods():
            if self._absolute(method.id) == absolute:
                return method
        raise errors.ResolutionError(f"verification method {absolute} not found in {self.id}")

    def verification_methods(self, relationship: Relationship) -> tuple[VerificationMethod, ...]:
        """The methods this document lists under ``relationship`` (DID Core §5.3).

        References to methods of other DIDs are left out: they need their own resolution.
        """
        return tuple(
            entry if not isinstance(entry, str) else self.verification_method(entry)
            for entry in self._entries(relationship)
            if not isinstance(entry, str) or self._is_local(self._absolute(entry))
        )

    def public_keys(self, relationship: Relationship) -> dict[str, keys.PublicKey]:
        """The signing keys listed under ``relationship``, by absolute method id (DID Core §5.3).

        Methods without a supported signing key (key agreement keys, other curves) are left out.
        """
        return {
            self._absolute(method.id): method._key
            for method in self.verification_methods(relationship)
            if method._key is not None
        }

    def has_relationship(self, method_id: str, relationship: Relationship) -> bool:
        """Whether ``relationship`` lists the method ``method_id`` (DID Core §5.3)."""
        absolute = self._absolute(method_id)
        return any(
            self._absolute(entry if isinstance(entry, str) else entry.id) == absolute
            for entry in self._entries(relationship)
        )

    def _entries(self, relationship: Relationship) -> tuple[str | VerificationMethod, ...]:
        entries: tuple[str | VerificationMethod, ...] = getattr(self, _FIELDS[relationship])
        return entries

    def _all_methods(self) -> list[VerificationMethod]:
        embedded = [
            entry
            for relationship in Relationship
            for entry in self._entries(relationship)
            if not isinstance(entry, str)
        ]
        return [*self.methods, *embedded]

    def _absolute(self, method_id: str) -> str:
        # DID Core §3.2.2: a relative DID URL "#key-1" is resolved against the document's DID.
        return self.id + method_id if method_id.startswith("#") else method_id

    def _is_local(self, absolute_id: str) -> bool:
        return absolute_id.partition("#")[0] == self.id


_FIELDS: Final = {
    Relationship.AUTHENTICATION: "authentication",
    Relationship.ASSERTION_METHOD: "assertion_method",
    Relationship.KEY_AGREEMENT: "key_agreement",
    Relationship.CAPABILITY_INVOCATION: "capability_invocation",
    Relationship.CAPABILITY_DELEGATION: "capability_delegation",
}


def _validated(check: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """Run ``check`` inside a pydantic validator, whose errors must be ``ValueError``s."""
    try:
        return check(*args, **kwargs)
    except errors.TradeTraceError as exc:
        raise ValueError(exc.message) from exc


def _check_method_reference(value: str) -> str:
    if value.startswith("#"):
        if not _FRAGMENT.fullmatch(value[1:]):
            raise errors.InvalidDocument(f"invalid DID URL fragment in {value[:120]!r}")
    else:
        split_did_url(value)
    return value


def _require(value: _V | None) -> _V:
    if value is None:
        raise errors.InvalidDocument("key material missing for this verification method type")
    return value


def _decode_z(value: str) -> bytes:
    if not value.startswith(multiformats.Base.BASE58BTC):
        raise errors.InvalidDocument("publicKeyMultibase must be base58btc ('z')")
    return multiformats.decode_multibase(value)


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise ValueError(f"duplicate member {name!r}")
        result[name] = value
    return result


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")
