"""OAuth 2.0 client credentials as this node runs them (RFC 6749 §4.4; RFC 9068 access tokens).

:func:`create_client` registers a client for a hosted organisation and returns its secret once.
:class:`TokenService` is the authorization server (``POST /oauth/token``) and the resource
server's token check: it signs ES256 tokens with the node's token key (created on first use,
encrypted at rest with the key passphrase) and accepts those, plus tokens of an external issuer
whose JWKS is configured (``oauth_external_*`` settings).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from tradetrace import errors, oauth
from tradetrace.config import Settings
from tradetrace.keys import KeyKind, SigningKey
from tradetrace.storage.oauth import OAuthClient, OAuthClientRepository
from tradetrace.storage.repositories import OrganisationRepository
from tradetrace.workflows import identity

__all__ = ["GrantedToken", "Principal", "TokenService", "create_client"]

_LEEWAY = timedelta(seconds=30)


def create_client(
    session: Session,
    *,
    organisation_slug: str,
    scopes: frozenset[oauth.Scope],
    now: datetime,
) -> tuple[OAuthClient, str]:
    """Register a client of a hosted organisation; return it and its secret (shown only once).

    Raises:
        errors.NotFound: no such organisation.
        errors.InvalidDocument: no scope.
    """
    OrganisationRepository(session).get(organisation_slug)
    if not scopes:
        problem = errors.FieldProblem("scope", "name at least one scope")
        raise errors.InvalidDocument.from_problems("client", [problem])
    secret = oauth.new_client_secret()
    client = OAuthClient(
        id=oauth.new_client_id(),
        organisation_slug=organisation_slug,
        secret_hash=oauth.hash_secret(secret),
        scopes=scopes,
        created_at=now,
        revoked_at=None,
    )
    OAuthClientRepository(session).add(client)
    session.commit()
    return client, secret


@dataclass(frozen=True, slots=True)
class GrantedToken:
    """A successful token response (RFC 6749 §5.1)."""

    access_token: str
    expires_in: int
    scopes: frozenset[oauth.Scope]

    def to_json(self) -> dict[str, object]:
        """The JSON body of RFC 6749 §5.1."""
        return {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "scope": oauth.format_scopes(self.scopes),
        }


@dataclass(frozen=True, slots=True)
class Principal:
    """Who called: a verified token, and the hosted organisation its client acts for (``None``
    for an external token whose subject is not a client registered here)."""

    token: oauth.AccessToken
    organisation_slug: str | None


def _external_issuer(settings: Settings) -> oauth.TrustedIssuer | None:
    if settings.oauth_external_issuer is None:
        return None
    text = settings.oauth_external_jwks
    if text is None and settings.oauth_external_jwks_path is not None:
        try:
            text = settings.oauth_external_jwks_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise errors.ConfigurationError(
                f"oauth_external_jwks_path: cannot read {exc.filename}: {exc.strerror}"
            ) from None
    if text is None:
        raise errors.ConfigurationError("oauth_external_issuer needs oauth_external_jwks(_path)")
    try:
        keys = oauth.KeySet.from_jwks(json.loads(text))
    except (ValueError, errors.InvalidDocument) as exc:
        raise errors.ConfigurationError(f"oauth_external_jwks: not a usable JWKS: {exc}") from None
    return oauth.TrustedIssuer(settings.oauth_external_issuer, keys)


def _load_or_create_key(settings: Settings) -> SigningKey:
    path: Path = settings.oauth_token_key_path or settings.data_dir / "keys" / "oauth-token.pem"
    passphrase = identity.key_passphrase(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Another process may create it first; then use theirs.
        with contextlib.suppress(errors.Conflict):
            SigningKey.generate(KeyKind.P256).save(path, passphrase=passphrase)
    key = SigningKey.load(path, passphrase=passphrase)
    if key.kind is not KeyKind.P256:
        raise errors.ConfigurationError(f"oauth token key {path} must be P-256 (ES256)")
    return key


class TokenService:
    """This node's authorization server and token check (RFC 6749 §4.4, RFC 9068 §4)."""

    def __init__(self, settings: Settings, *, clock: Callable[[], datetime]) -> None:
        self._settings = settings
        self._clock = clock
        self._key = _load_or_create_key(settings)
        self.issuer = settings.oauth_issuer or settings.effective_public_url
        self.audience = settings.oauth_audience or settings.effective_public_url
        self.keys = oauth.KeySet.of(self._key.public_key())
        self._issuers = {self.issuer: oauth.TrustedIssuer(self.issuer, self.keys)}
        external = _external_issuer(settings)
        if external is not None:
            self._issuers[external.issuer] = external
        prefix_url = settings.effective_public_url + settings.interop_path_prefix
        self.audiences = frozenset({self.audience, prefix_url})

    def grant(
        self,
        session: Session,
        *,
        client_id: str,
        client_secret: str,
        scope: str | None,
        audience: str | None,
    ) -> GrantedToken:
        """Client credentials grant (RFC 6749 §4.4.2-§4.4.3): check the client and its secret,
        narrow the scopes to those asked for, sign a token for ``audience``.

        Raises:
            errors.Unauthorized: unknown or revoked client, or wrong secret (``invalid_client``).
            errors.InvalidDocument: a scope the client may not have (field ``scope``) or an
                audience this node does not serve (field ``audience``).
        """
        try:
            client = OAuthClientRepository(session).get(client_id)
        except errors.NotFound:
            # Spend the same work as for a known client, so timing does not reveal ids.
            oauth.hash_secret(client_secret or "x")
            raise errors.Unauthorized("invalid client credentials") from None
        oauth.verify_secret(client_secret, client.secret_hash)
        if client.revoked_at is not None:
            raise errors.Unauthorized("invalid client credentials")
        wanted = oauth.parse_scopes(scope) or client.scopes
        if not wanted <= client.scopes:
            extra = oauth.format_scopes(wanted - client.scopes)
            problem = errors.FieldProblem("scope", f"not granted to this client: {extra}")
            raise errors.InvalidDocument.from_problems("token request", [problem])
        if audience is not None and audience not in self.audiences:
            problem = errors.FieldProblem("audience", f"not served here: {audience[:200]}")
            raise errors.InvalidDocument.from_problems("token request", [problem])
        lifetime = timedelta(seconds=self._settings.oauth_token_lifetime_seconds)
        token = oauth.sign_access_token(
            key=self._key,
            issuer=self.issuer,
            audience=audience or self.audience,
            subject=client.id,
            scopes=wanted,
            now=self._clock(),
            lifetime=lifetime,
        )
        return GrantedToken(token, int(lifetime.total_seconds()), wanted)

    def authenticate(self, session: Session, token: str, *, scope: oauth.Scope) -> Principal:
        """Check a bearer token for an endpoint that needs ``scope`` (RFC 6750 §3.1).

        Raises:
            errors.Unauthorized: invalid, expired, untrusted, or of a revoked client.
            errors.Forbidden: for another audience, or without ``scope``.
        """
        access = oauth.read_access_token(
            token, issuers=self._issuers, now=self._clock(), leeway=_LEEWAY
        )
        if not self.audiences & set(access.audience):
            raise errors.Forbidden("access token is for another audience")
        if scope not in access.scopes:
            raise errors.Forbidden(f"access token lacks the scope {scope.value}")
        try:
            client = OAuthClientRepository(session).get(access.subject)
        except errors.NotFound:
            if access.issuer == self.issuer:
                raise errors.Unauthorized("access token of an unknown client") from None
            return Principal(access, None)
        if client.revoked_at is not None:
            raise errors.Unauthorized("access token of a revoked client")
        return Principal(access, client.organisation_slug)
