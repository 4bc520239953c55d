"""Prepare a node from its settings: the data directory and the database."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine

from tradetrace import storage
from tradetrace.config import Settings
from tradetrace.errors import ConfigurationError
from tradetrace.tariff import TariffData, load_tariff_data
from tradetrace.workflows.cosigning import Cosigning, WitnessEndpoint
from tradetrace.workflows.ledger import LedgerService, load_or_create_log_key

__all__ = [
    "check_database",
    "check_settings",
    "load_or_create_log_key",
    "open_database",
    "open_ledger",
    "prepare_data_dir",
    "tariff_data",
]


def prepare_data_dir(settings: Settings) -> Path:
    """Create the data directory if needed and prove it is writable.

    Raises :class:`ConfigurationError` naming the directory and the reason.
    """
    data_dir = settings.data_dir
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".write-check-"):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigurationError(f"data directory {data_dir} is not writable: {reason}") from exc
    if not os.access(data_dir, os.W_OK):  # pragma: no cover - caught by the write above
        raise ConfigurationError(f"data directory {data_dir} is not writable")
    return data_dir


def check_settings(settings: Settings) -> None:
    """Refuse settings that are unsafe for the configured environment (STYLE.md §6).

    In ``production`` the public URL must be explicit and use HTTPS, because it becomes part of
    every did:web identifier and status list URL this node publishes.
    """
    if settings.environment != "production":
        return
    if settings.public_url is None:
        raise ConfigurationError("public_url: must be set explicitly in production")
    if not settings.public_url.startswith("https://"):
        raise ConfigurationError("public_url: must be an https:// URL in production")
    if not settings.key_passphrase or len(settings.key_passphrase) < 16:
        raise ConfigurationError(
            "key_passphrase: must be set, at least 16 characters, in production"
        )
    if settings.did_web_insecure_hosts:
        raise ConfigurationError("did_web_insecure_hosts: must be empty in production")


def open_database(settings: Settings, *, migrate: bool = True) -> Engine:
    """Check the settings, prepare the data directory, create the engine and (by default)
    apply the migrations."""
    check_settings(settings)
    prepare_data_dir(settings)
    url = settings.effective_database_url
    sqlite_file = storage.sqlite_path(url)
    if sqlite_file is not None:
        try:
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigurationError(f"cannot create {sqlite_file.parent}: {exc.strerror}") from exc
    engine = storage.make_engine(url)
    if migrate:
        try:
            storage.upgrade(engine)
        except Exception as exc:
            engine.dispose()
            raise ConfigurationError(f"cannot prepare the database: {_first_line(exc)}") from exc
    return engine


def open_ledger(
    settings: Settings,
    engine: Engine,
    *,
    clock: Callable[[], datetime],
    http: httpx.Client | None = None,
) -> LedgerService:
    """The node's ledger: its signing key, its store in ``engine``, its tile directory and,
    when ``witnesses`` are configured, cosigning through ``http`` (then required)."""
    signer = load_or_create_log_key(settings.effective_log_key_path, settings.effective_log_origin)
    cosigning = None
    if settings.witnesses:
        if http is None:
            raise ConfigurationError("witnesses: configured, but no HTTP client to reach them")
        endpoints = [WitnessEndpoint.from_setting(value) for value in settings.witnesses]
        cosigning = Cosigning(http, endpoints)
    return LedgerService(
        engine,
        signer=signer,
        tiles_dir=settings.data_dir / "log",
        clock=clock,
        cosigning=cosigning,
    )


def check_database(engine: Engine) -> str:
    """Return the schema revision; :class:`ConfigurationError` when it is not the newest."""
    try:
        current = storage.current_revision(engine)
    except Exception as exc:
        raise ConfigurationError(f"database unreachable: {_first_line(exc)}") from exc
    head = storage.head_revision()
    if current != head:
        raise ConfigurationError(f"database schema at {current}, expected {head}")
    return current


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def tariff_data(settings: Settings) -> TariffData:
    """The tariff data this node computes with: the bundled files, newer ones in
    ``settings.tariff_data_dir`` winning (see :class:`tradetrace.tariff.sources.TariffFiles`).

    Raises :class:`ConfigurationError` when that directory is missing or lacks a kind of file.
    """
    return load_tariff_data(settings.tariff_data_dir)
