"""Typed settings, read from ``TRADETRACE_*`` environment variables or passed in directly.

Nothing here is built at import time: the shells (CLI, ``create_app``) construct one
:class:`Settings` and hand it down; tests build ``Settings(...)`` themselves (STYLE.md §6).
This module imports nothing from the package.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["SUPPORTED_DATABASE_SCHEMES", "Settings"]

SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")
"""Database URL schemes tradetrace runs on: embedded SQLite, or PostgreSQL through psycopg 3."""


class Settings(BaseSettings):
    """Every setting tradetrace reads. Each field is documented in ``docs/configuration.md``."""

    model_config = SettingsConfigDict(
        env_prefix="TRADETRACE_", frozen=True, extra="forbid", env_file=None
    )

    data_dir: Path = Field(
        default=Path("tradetrace-data"),
        description=(
            "Directory for the embedded SQLite database, keys and ledger tiles. "
            "Created when missing; must be writable."
        ),
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy database URL. Unset means SQLite in the data directory "
            "(`sqlite:///DATA_DIR/tradetrace.db`). PostgreSQL: "
            "`postgresql+psycopg://user@host:5432/dbname`."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Interface the HTTP server binds to.")
    port: int = Field(default=8000, ge=0, le=65535, description="TCP port of the HTTP server.")
    public_url: str | None = Field(
        default=None,
        description=(
            "Base URL under which this node is reachable, used for did:web identifiers and "
            "status list URLs. Unset means `http://HOST:PORT`, with a loopback or wildcard HOST "
            "written as `localhost`."
        ),
    )
    environment: Literal["development", "production"] = Field(
        default="development",
        description=(
            "`production` refuses unsafe defaults (no placeholder secrets, explicit public URL)."
        ),
    )
    log_origin: str | None = Field(
        default=None,
        description=(
            "Origin line of the transparency log's checkpoints (C2SP tlog-checkpoint). "
            "Unset means the host and path of the public URL."
        ),
    )
    log_key_path: Path | None = Field(
        default=None,
        description=(
            "File with the log's checkpoint signing key (Go note `PRIVATE+KEY+…` text). Created "
            "with mode 0600 when missing. Unset means `DATA_DIR/keys/log.skey`. Every process "
            "serving one database must use the same key."
        ),
    )
    log_add_token: str | None = Field(
        default=None,
        description=(
            "Bearer token that authorizes `POST /log/add`. Unset disables that endpoint "
            "(documents issued or received through the API are logged regardless)."
        ),
    )
    operator_tokens: dict[str, SecretStr] = Field(
        default={},
        description=(
            "Operators of the cargo-resolution desk, as a JSON object of operator name to bearer "
            'token (`{"officer-7": "…"}`), each token at least 16 characters. The API takes '
            "`Authorization: Bearer TOKEN`; the `/cases` pages take the token once and keep it "
            "in a cookie. Empty means nobody can act on cases over HTTP (the CLI still can)."
        ),
    )
    key_passphrase: str | None = Field(
        default=None,
        description=(
            "Passphrase that encrypts organisations' private keys at rest (PKCS#8, "
            "BestAvailableEncryption). Required in production; in development an unset value "
            "means a random passphrase kept in `DATA_DIR/keys/.passphrase` (mode 0600)."
        ),
    )
    witnesses: tuple[str, ...] = Field(
        default=(),
        description=(
            "Witnesses asked to cosign each checkpoint the log publishes (C2SP tlog-witness), "
            "as `URL=VKEY` entries: the witness's submission prefix (without `=`) and its "
            "cosignature verifier key. Empty means checkpoints carry the log's signature only."
        ),
    )
    tariff_data_dir: Path | None = Field(
        default=None,
        description=(
            "Directory of newer tariff data files, named like the bundled ones "
            "(`tariff_database_2026.csv.gz`, `chapter99_headings_2026-08.csv.gz`, ...). It is "
            "searched together with the bundled data and the newest file of each kind wins, so "
            "a tariff update needs no code change. Empty means the bundled data only."
        ),
    )
    did_web_allow_hosts: tuple[str, ...] = Field(
        default=(),
        description=(
            "Hosts whose did:web documents may be fetched when resolving foreign DIDs. "
            "Empty means no foreign did:web is fetched."
        ),
    )
    did_web_insecure_hosts: tuple[str, ...] = Field(
        default=(),
        description=(
            "For local testing only: hosts on the allow-list whose did:web documents are "
            "fetched over plain `http` instead of `https` (`localhost:8001`). This gives up the "
            "server authentication did:web relies on; refused in production."
        ),
    )
    outbox_retry_interval_seconds: float = Field(
        default=30.0,
        ge=0,
        description=(
            "How often the server tries the due entries of the presentation outbox again, in "
            "seconds. 0 turns the background retry off (`tradetrace outbox flush` still works)."
        ),
    )
    outbox_backoff_base_seconds: float = Field(
        default=30.0,
        gt=0,
        description=(
            "Wait after the first failed delivery of an outbox entry, in seconds; it doubles "
            "with each further failure, up to `outbox_backoff_cap_seconds`."
        ),
    )
    outbox_backoff_cap_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="Longest wait between two delivery attempts of an outbox entry, in seconds.",
    )

    capture_workers: int | None = Field(
        default=None,
        ge=0,
        le=64,
        description=(
            "Worker processes that parse, validate and hash EPCIS documents while one writer "
            "stores them, when `tradetrace events capture` is given several files. Workers run at "
            "a lower priority than the writer. 0 captures every document in the command's own "
            "process. Unset means one per CPU, at most 4 (0 on a single CPU)."
        ),
    )

    verification_cache_seconds: float = Field(
        default=300.0,
        ge=0,
        le=86_400,
        description=(
            "How long verification reuses a status list credential it has verified (less when "
            "the list's `ttl` says less; a list this node serves is fetched again as soon as it "
            "changes) and the DID document of an organisation this node hosts. 0 fetches and "
            "verifies both for every verification."
        ),
    )

    interop_path_prefix: str = Field(
        default="/interop",
        description=(
            "Path prefix of the Traceability Interop API (`PREFIX/credentials/issue`, "
            "`PREFIX/presentations`, ...); the did:web documents advertise "
            "`PUBLIC_URL + PREFIX` as their `TraceabilityAPI` service. Empty or starting with `/`."
        ),
    )
    interop_max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body the interop API reads, in bytes; larger is refused.",
    )
    oauth_issuer: str | None = Field(
        default=None,
        description="Issuer (`iss`) of the OAuth access tokens this node signs. Unset: public URL.",
    )
    oauth_audience: str | None = Field(
        default=None,
        description=(
            "Audience (`aud`) an access token must name to be accepted by the interop API. "
            "Unset means the public URL."
        ),
    )
    oauth_token_lifetime_seconds: int = Field(
        default=900,
        ge=60,
        le=86400,
        description="Lifetime of the access tokens `POST /oauth/token` issues, in seconds.",
    )
    oauth_token_key_path: Path | None = Field(
        default=None,
        description=(
            "P-256 key that signs access tokens (ES256), PKCS#8 PEM encrypted with the key "
            "passphrase; created when missing. Unset means `DATA_DIR/keys/oauth-token.pem`."
        ),
    )
    oauth_external_issuer: str | None = Field(
        default=None,
        description=(
            "Issuer (`iss`) of an external authorization server whose access tokens are "
            "accepted as well; needs its keys in `oauth_external_jwks` or "
            "`oauth_external_jwks_path`. Unset accepts only this node's tokens."
        ),
    )
    oauth_external_jwks: str | None = Field(
        default=None,
        description="The external issuer's JWK Set (RFC 7517 §5) as inline JSON text.",
    )
    oauth_external_jwks_path: Path | None = Field(
        default=None,
        description="File holding the external issuer's JWK Set (RFC 7517 §5) as JSON.",
    )

    @field_validator("interop_path_prefix")
    @classmethod
    def _check_interop_prefix(cls, value: str) -> str:
        if value and (not value.startswith("/") or value.endswith("/")):
            raise ValueError("must be empty or start with / and not end with /")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_scheme(cls, value: str | None) -> str | None:
        if value is None:
            return None
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in SUPPORTED_DATABASE_SCHEMES:
            supported = ", ".join(SUPPORTED_DATABASE_SCHEMES)
            raise ValueError(
                f"unsupported database URL scheme {scheme!r}: expected one of {supported}"
            )
        return value

    @field_validator("operator_tokens")
    @classmethod
    def _check_operator_tokens(cls, value: dict[str, SecretStr]) -> dict[str, SecretStr]:
        for name, token in value.items():
            if not name.strip() or len(name) > 200:
                raise ValueError("operator names must have 1 to 200 characters")
            if len(token.get_secret_value()) < 16:
                raise ValueError(f"the token of operator {name!r} must have at least 16 characters")
        return value

    @property
    def effective_database_url(self) -> str:
        """The database URL in use: the configured one, or SQLite in the data directory."""
        if self.database_url is not None:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tradetrace.db').as_posix()}"

    @property
    def effective_capture_workers(self) -> int:
        """The capture worker processes to start: the configured count, or one per CPU this
        process may use, at most 4 (the single writer is the limit past that), and none on a
        single CPU (where workers would only add their hand-over to the writer's work)."""
        if self.capture_workers is not None:
            return self.capture_workers
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return min(4, cpus or 1) if (cpus or 1) > 1 else 0

    @property
    def effective_log_origin(self) -> str:
        """The log origin: the configured one, or the public URL's host and path plus ``/log``."""
        if self.log_origin is not None:
            return self.log_origin
        return self.effective_public_url.split("://", 1)[-1] + "/log"

    @property
    def effective_log_key_path(self) -> Path:
        """Where the log's signing key lives."""
        return self.log_key_path or self.data_dir / "keys" / "log.skey"

    @property
    def did_web_host(self) -> str:
        """The did:web method-specific host of this node: the public URL's host, with a port
        percent-encoded as did:web requires (``localhost%3A8443``)."""
        authority = self.effective_public_url.split("://", 1)[-1].split("/", 1)[0]
        return authority.replace(":", "%3A")

    @property
    def effective_public_url(self) -> str:
        """The base URL of this node, without a trailing slash."""
        if self.public_url is not None:
            return self.public_url.rstrip("/")
        # did:web needs a domain name, not an IP address: a loopback or wildcard bind is
        # reached, and named, as localhost.
        host = "localhost" if self.host in ("127.0.0.1", "0.0.0.0", "::1", "::") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"
