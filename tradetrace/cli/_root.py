"""The root command group, the shared options and the entry point that maps errors to exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from pydantic import ValidationError
from sqlalchemy import Engine

from tradetrace import __version__
from tradetrace.config import Settings
from tradetrace.errors import ConfigurationError, TradeTraceError
from tradetrace.keys import KeyKind
from tradetrace.workflows import setup

__all__ = ["KEY_TYPES", "cli", "json_option", "main", "make_settings", "now", "open_engine"]

F = TypeVar("F", bound=Callable[..., Any])

KEY_TYPES = {"ed25519": KeyKind.ED25519, "p256": KeyKind.P256, "p384": KeyKind.P384}
"""Key type names on the command line."""


def now() -> datetime:
    """The real clock; only the shells read it."""
    return datetime.now(UTC)


def _fail(message: str, *, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def make_settings(ctx: click.Context, **overrides: Any) -> Settings:
    """Build the settings from the environment, global options and ``overrides``; an option
    or override that is ``None`` (not given) leaves the one before it in place."""
    values = {
        key: value
        for key, value in (*ctx.ensure_object(dict).items(), *overrides.items())
        if value is not None
    }
    try:
        return Settings(**values)
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "settings"
        message = str(problem["msg"]).removeprefix("Value error, ")
        _fail(f"configuration_error: {field}: {message}", code=2)


@contextmanager
def open_engine(ctx: click.Context) -> Iterator[Engine]:
    """The node's database, migrated, disposed of afterwards."""
    engine = setup.open_database(make_settings(ctx))
    try:
        yield engine
    finally:
        engine.dispose()


def json_option(function: F) -> F:
    """The shared ``--json`` flag: print one JSON document instead of text."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(function)


@click.group()
@click.version_option(__version__, prog_name="tradetrace")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Data directory (SQLite, keys, tiles). Env: TRADETRACE_DATA_DIR.",
)
@click.option("--db", "database_url", help="Database URL. Env: TRADETRACE_DATABASE_URL.")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, database_url: str | None) -> None:
    """tradetrace: verifiable proof of origin, licence and custody for customs.

    Example: tradetrace --data-dir ./data serve --port 8000
    """
    ctx.ensure_object(dict).update(data_dir=data_dir, database_url=database_url)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn domain errors into one line and an exit code."""
    try:
        # Without standalone mode, ``ctx.exit(code)`` comes back as the return value.
        code = cli.main(args=argv, prog_name="tradetrace", standalone_mode=False)
    except click.exceptions.Abort:
        _fail("aborted", code=1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ConfigurationError as exc:
        _fail(f"{exc.code}: {exc.message}", code=2)
    except TradeTraceError as exc:
        _fail(f"{exc.code}: {exc.message}", code=1)
    if isinstance(code, int) and code != 0:
        sys.exit(code)
