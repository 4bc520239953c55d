"""OAuth 2.0 client credentials for the Traceability Interop API (standards.md §2.1, §2.2).

tradetrace is its own authorization server: clients registered per organisation authenticate
with a secret stored only as a hash (:mod:`~tradetrace.oauth.clients`, RFC 6749 §2.3.1) and get
short-lived ES256 JWT access tokens (:mod:`~tradetrace.oauth.tokens`, RFC 9068) whose ``scope``
names the interop scopes of :mod:`~tradetrace.oauth.scopes`. Tokens from an external issuer are
accepted when its JWKS (RFC 7517 §5) is configured. The secrets other platforms issued to this
node, as their client, are sealed at rest (:mod:`~tradetrace.oauth.sealing`). This package does
no I/O.
"""

from tradetrace.oauth.clients import hash_secret, new_client_id, new_client_secret, verify_secret
from tradetrace.oauth.scopes import ALL_SCOPES, Scope, format_scopes, parse_scopes
from tradetrace.oauth.sealing import seal_secret, unseal_secret
from tradetrace.oauth.tokens import (
    AccessToken,
    KeySet,
    TrustedIssuer,
    read_access_token,
    sign_access_token,
)

__all__ = [
    "ALL_SCOPES",
    "AccessToken",
    "KeySet",
    "Scope",
    "TrustedIssuer",
    "format_scopes",
    "hash_secret",
    "new_client_id",
    "new_client_secret",
    "parse_scopes",
    "read_access_token",
    "seal_secret",
    "sign_access_token",
    "unseal_secret",
    "verify_secret",
]
