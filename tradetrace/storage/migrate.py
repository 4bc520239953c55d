"""Apply and inspect the Alembic migrations that own the schema.

Alembic is configured in code (``pyproject.toml`` is the only configuration file). On
PostgreSQL an advisory lock serializes concurrent upgrades, so two processes starting at once
on one database do not race.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from tradetrace.storage.engine import WRITE_LOCK

__all__ = ["current_revision", "head_revision", "upgrade"]

_MIGRATIONS = Path(__file__).with_name("migrations")
_UPGRADE_LOCK_KEY = 0x7472_6163_6500  # "trace" as an advisory lock id


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest migration revision this code knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:  # pragma: no cover - there is always at least the initial migration
        raise RuntimeError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of ``engine``'s database up to ``revision``."""
    config = _config()
    with engine.execution_options(**WRITE_LOCK).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK_KEY}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
