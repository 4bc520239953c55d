"""``tradetrace org``: organisations (trade parties and authorities)."""

from __future__ import annotations

import json

import click

from tradetrace import storage
from tradetrace.cli._root import cli, json_option, open_engine
from tradetrace.workflows import organisations

__all__ = ["org", "org_list"]


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
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        found = organisations.list_organisations(session, limit=10_000)
    if as_json:
        listed = [{"slug": o.slug, "name": o.name, "country": o.country} for o in found]
        click.echo(json.dumps(listed))
        return
    for item in found:
        click.echo(f"{item.slug:28} {item.country}  {item.name}")
