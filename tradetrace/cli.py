"""The ``tradetrace`` command line: one Click group, subcommands grouped by domain.

Exit codes: 0 success, 1 verification failed or a domain error, 2 usage or configuration error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from pydantic import ValidationError

from tradetrace import __version__, storage
from tradetrace.config import Settings
from tradetrace.errors import ConfigurationError, TradeTraceError
from tradetrace.workflows import demo, organisations, setup

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])


def _now() -> datetime:
    return datetime.now(UTC)


def _fail(message: str, *, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    """Build the settings from the environment, global options and ``overrides``."""
    values = {**ctx.ensure_object(dict), **overrides}
    values = {key: value for key, value in values.items() if value is not None}
    try:
        return Settings(**values)
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "settings"
        message = str(problem["msg"]).removeprefix("Value error, ")
        _fail(f"configuration_error: {field}: {message}", code=2)


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


@cli.command()
@click.option("--host", help="Interface to bind (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8000).")
@click.option("--db", "database_url", help="Database URL (overrides the global --db).")
@click.option("--public-url", help="Base URL this node is reachable at.")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    database_url: str | None,
    public_url: str | None,
) -> None:
    """Run the HTTP server (API and web console); applies pending migrations first.

    Example: tradetrace serve --port 8000
    """
    import uvicorn

    from tradetrace.api.app import create_app

    settings = _settings(
        ctx, host=host, port=port, database_url=database_url, public_url=public_url
    )
    app = create_app(settings)
    click.echo(f"tradetrace {__version__} serving {settings.effective_public_url}", err=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


@cli.group()
def db() -> None:
    """Database schema management."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply every pending migration.

    Example: tradetrace --db postgresql+psycopg://postgres@127.0.0.1/test db upgrade
    """
    settings = _settings(ctx)
    engine = setup.open_database(settings)
    try:
        click.echo(f"database at revision {storage.current_revision(engine)}")
    finally:
        engine.dispose()


@cli.command("demo")
@json_option
@click.pass_context
def demo_command(ctx: click.Context, as_json: bool) -> None:
    """Load the demo data (idempotent).

    Example: tradetrace demo
    """
    settings = _settings(ctx)
    engine = setup.open_database(settings)
    try:
        with storage.make_session_factory(engine)() as session:
            summary = demo.load_demo(session, now=_now())
    finally:
        engine.dispose()
    if as_json:
        click.echo(json.dumps({"organisations_created": summary.organisations_created}))
    else:
        click.echo(
            f"demo loaded: {summary.organisations_created} organisations created, "
            f"{summary.organisations_present} already present"
        )


@cli.group("org")
def org() -> None:
    """Organisations (trade parties and authorities)."""


@org.command("list")
@json_option
@click.pass_context
def org_list(ctx: click.Context, as_json: bool) -> None:
    """List organisations.

    Example: tradetrace org list --json
    """
    engine = setup.open_database(_settings(ctx))
    try:
        with storage.make_session_factory(engine)() as session:
            found = organisations.list_organisations(session, limit=10_000)
    finally:
        engine.dispose()
    if as_json:
        click.echo(
            json.dumps([{"slug": o.slug, "name": o.name, "country": o.country} for o in found])
        )
        return
    for item in found:
        click.echo(f"{item.slug:28} {item.country}  {item.name}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn domain errors into one line and an exit code."""
    try:
        cli.main(args=argv, prog_name="tradetrace", standalone_mode=False)
    except click.exceptions.Abort:
        _fail("aborted", code=1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ConfigurationError as exc:
        _fail(f"{exc.code}: {exc.message}", code=2)
    except TradeTraceError as exc:
        _fail(f"{exc.code}: {exc.message}", code=1)
