"""Running a node: ``serve``, ``db upgrade``, ``demo``."""

from __future__ import annotations

import json

import click

from tradetrace import __version__, storage
from tradetrace.cli._root import cli, json_option, make_settings, now, open_engine
from tradetrace.workflows import demo, demo_credentials, demo_filings, demo_shipments, setup

__all__ = ["db", "db_upgrade", "demo_command", "serve"]


@cli.command()
@click.option("--host", help="Interface to bind (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8000).")
@click.option("--db", "database_url", help="Database URL (overrides the global --db).")
@click.option("--public-url", help="Base URL this node is reachable at.")
@click.option("--ssl-keyfile", type=click.Path(exists=True), help="TLS private key (PEM).")
@click.option("--ssl-certfile", type=click.Path(exists=True), help="TLS certificate (PEM).")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    database_url: str | None,
    public_url: str | None,
    ssl_keyfile: str | None,
    ssl_certfile: str | None,
) -> None:
    """Run the HTTP server (API and web console); applies pending migrations first.

    Example: tradetrace serve --port 8000
    """
    import uvicorn

    from tradetrace.api.app import create_app

    settings = make_settings(
        ctx, host=host, port=port, database_url=database_url, public_url=public_url
    )
    app = create_app(settings, clock=now)
    click.echo(f"tradetrace {__version__} serving {settings.effective_public_url}", err=True)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        ssl_keyfile=ssl_keyfile,
        ssl_certfile=ssl_certfile,
    )


@cli.group()
def db() -> None:
    """Database schema management."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply every pending migration.

    Example: tradetrace --db postgresql+psycopg://postgres@127.0.0.1/test db upgrade
    """
    with open_engine(ctx) as engine:
        click.echo(f"database at revision {storage.current_revision(engine)}")


@cli.command("demo")
@json_option
@click.pass_context
def demo_command(ctx: click.Context, as_json: bool) -> None:
    """Load the demo data (idempotent).

    The demo organisations, each domain's credential and the demo shipments (docs/demo.md),
    each sent as presentations for its entry, filed and assessed once.

    Example: tradetrace demo
    """
    settings = make_settings(ctx)
    with open_engine(ctx) as engine:
        ledger = setup.open_ledger(settings, engine, clock=now)
        # Each step ends its transaction: on SQLite a session holds the write lock while one
        # is open, and the ledger writes through its own connections.
        # The shipments come before today's credentials: their stories are dated in the past,
        # and an issuer's status list must already be published at the time its credentials
        # were presented.
        with storage.make_session_factory(engine)() as session:
            summary = demo.load_demo(session, settings, now=now())
            session.commit()
        shipments = demo_shipments.load_demo_shipments(engine, settings, ledger, now=now())
        filings = demo_filings.file_demo_shipments(engine, settings, ledger, shipments, now=now())
        with storage.make_session_factory(engine)() as session:
            issued = demo_credentials.issue_demo_credentials(session, settings, ledger, now=now())
            session.commit()
        ledger.publish()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "organisations_created": summary.organisations_created,
                    "identifiers_added": summary.identifiers_added,
                    "credentials_issued": issued,
                    "shipments": [shipment.name for shipment in shipments],
                    "entries_filed": {
                        filing.entry_number: filing.decision.recommendation.value
                        for filing in filings
                    },
                }
            )
        )
    else:
        click.echo(
            f"demo loaded: {summary.organisations_created} organisations created, "
            f"{summary.organisations_present} already present "
            f"({summary.identifiers_added} identifiers added), {issued} credentials issued, "
            f"{len(shipments)} shipments loaded, {len(filings)} entries filed and assessed"
        )
