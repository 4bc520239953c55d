"""Typed settings, read from ``TRADETRACE_*`` environment variables or passed in directly.

Nothing here is built at import time: the shells (CLI, ``create_app``) construct one
:class:`Settings` and hand it down; tests build ``Settings(...)`` themselves (STYLE.md §6).
This module imports nothing from the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
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
            "status list URLs. Unset means `http://HOST:PORT`."
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
    did_web_allow_hosts: tuple[str, ...] = Field(
        default=(),
        description=(
            "Hosts whose did:web documents may be fetched when resolving foreign DIDs. "
            "Empty means no foreign did:web is fetched."
        ),
    )

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

    @property
    def effective_database_url(self) -> str:
        """The database URL in use: the configured one, or SQLite in the data directory."""
        if self.database_url is not None:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tradetrace.db').as_posix()}"

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
    def effective_public_url(self) -> str:
        """The base URL of this node, without a trailing slash."""
        if self.public_url is not None:
            return self.public_url.rstrip("/")
        return f"http://{self.host}:{self.port}"
