"""``tradetrace entry``: assess an entry against the credentials presented for it."""

from __future__ import annotations

import json
from typing import Any

import click

from tradetrace import storage
from tradetrace.cli._root import cli, json_option, make_settings, now, open_engine
from tradetrace.rules import explain
from tradetrace.workflows import assessment, credentials, setup

__all__ = ["entry", "entry_assess"]


@cli.group()
def entry() -> None:
    """Customs entries (CBP 3461/7501) and their assessment."""


@entry.command("assess")
@click.argument("entry_file", type=click.File("rb"))
@click.argument("credential_files", nargs=-1, type=click.File("rb"))
@json_option
@click.pass_context
def entry_assess(
    ctx: click.Context, entry_file: Any, credential_files: tuple[Any, ...], as_json: bool
) -> None:
    """Verify the presented credentials and decide on the entry: preference, duties, release.

    Example: tradetrace entry assess entry.json usmca-certification.jwt invoice.jwt --json
    """
    settings = make_settings(ctx)
    with open_engine(ctx) as engine:
        ledger = setup.open_ledger(settings, engine, clock=now)
        readers = storage.make_session_factory(engine, write=False)
        context = credentials.NodeContext(settings, readers, ledger=ledger, clock=now)
        decision = assessment.assess_entry(
            entry_file.read(),
            [handle.read() for handle in credential_files],
            context=context,
            ledger=ledger,
            now=now(),
        )
    if as_json:
        click.echo(json.dumps({**decision.to_json_dict(), "explanation": explain(decision)}))
    else:
        click.echo(explain(decision))
