"""OAuth clients of the Traceability Interop API: ``client create``."""

from __future__ import annotations

import json

import click

from tradetrace import oauth, storage
from tradetrace.cli._root import cli, json_option, now, open_engine
from tradetrace.workflows import oauth as oauth_workflow

__all__ = ["client", "client_create"]


@cli.group()
def client() -> None:
    """OAuth 2.0 clients that call this node's interop API (client credentials grant)."""


@client.command("create")
@click.option("--org", "organisation", required=True, help="Slug of the hosted organisation.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    help="Interop scope such as issue:credentials (repeatable, or space-separated). "
    "Default: every interop scope.",
)
@json_option
@click.pass_context
def client_create(
    ctx: click.Context, organisation: str, scopes: tuple[str, ...], as_json: bool
) -> None:
    """Register a client for an organisation; print its id and secret (shown only once).

    Example: tradetrace client create --org acme-steel --scope submit:presentations
    """
    granted = oauth.parse_scopes(" ".join(scopes)) if scopes else oauth.ALL_SCOPES
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        created, secret = oauth_workflow.create_client(
            session, organisation_slug=organisation, scopes=granted, now=now()
        )
    scope = oauth.format_scopes(created.scopes)
    if as_json:
        click.echo(json.dumps({"client_id": created.id, "client_secret": secret, "scope": scope}))
        return
    click.echo(f"client_id: {created.id}\nclient_secret: {secret}\nscope: {scope}")
    click.echo("the secret is not stored in clear and cannot be shown again", err=True)
