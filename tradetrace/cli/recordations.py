"""``tradetrace recordation``: trademarks and copyrights recorded with CBP (19 CFR Part 133)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import click

from tradetrace import storage
from tradetrace.cli._root import cli, json_option, now, open_engine
from tradetrace.rules import Recordation, RightKind
from tradetrace.workflows import recordations as recordations_workflow

__all__ = [
    "recordation",
    "recordation_add",
    "recordation_list",
    "recordation_show",
]

_DATE = click.DateTime(["%Y-%m-%d"])


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()


def _as_json(item: Recordation) -> dict[str, Any]:
    """A recordation as the ``--json`` output shows it."""
    return {
        "number": item.number,
        "kind": item.kind.value,
        "mark": item.mark,
        "owner": item.owner,
        "owner_did": item.owner_did,
        "valid_until": item.valid_until.isoformat(),
        "goods": list(item.goods),
    }


def _line(item: Recordation) -> str:
    goods = ", ".join(item.goods) or "any goods"
    return (
        f"{item.number}  {item.kind.value} {item.mark}  {item.owner} ({item.owner_did})  "
        f"until {item.valid_until}  [{goods}]"
    )


@cli.group()
def recordation() -> None:
    """IPR recordations: trademarks and copyrights recorded with CBP (19 CFR Part 133)."""


@recordation.command("add")
@click.argument("number")
@click.option("--kind", type=click.Choice([k.value for k in RightKind]), required=True)
@click.option("--mark", required=True, help="Word mark or work title as it appears on goods.")
@click.option("--owner", required=True, help="Name of the rights holder.")
@click.option("--owner-did", required=True, help="DID of the rights holder.")
@click.option("--until", "valid_until", type=_DATE, required=True, help="Last day of the term.")
@click.option("--goods", multiple=True, help="HS chapter, heading or subheading (repeatable).")
@click.option("--replace", is_flag=True, help="Update a recordation of the same number.")
@json_option
@click.pass_context
def recordation_add(
    ctx: click.Context,
    number: str,
    kind: str,
    mark: str,
    owner: str,
    owner_did: str,
    valid_until: datetime,
    goods: tuple[str, ...],
    replace: bool,
    as_json: bool,
) -> None:
    """Record a trademark or copyright NUMBER; entries bearing the mark then need a licence chain.

    Example: tradetrace recordation add "TMK 24-00123" --kind trademark --mark STRIDE
    --owner "Stride Athletics Inc." --owner-did did:web:stride.example.com --until 2034-10-31
    --goods 6402 --goods 6403
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        stored = recordations_workflow.add_recordation(
            session, number=number, kind=kind, mark=mark, owner=owner, owner_did=owner_did,
            valid_until=_day(valid_until), goods=goods, replace=replace, now=now(),
        )  # fmt: skip
    click.echo(json.dumps(_as_json(stored)) if as_json else f"recorded {stored.number}")


@recordation.command("list")
@click.option("--on", "on", type=_DATE, help="Only recordations in force on this date.")
@json_option
@click.pass_context
def recordation_list(ctx: click.Context, on: datetime | None, as_json: bool) -> None:
    """List recordations by number.

    Example: tradetrace recordation list --on 2026-11-27 --json
    """
    with open_engine(ctx) as engine:
        readers = storage.make_session_factory(engine, write=False)
        with readers() as session:
            found = recordations_workflow.list_recordations(session, on=_day(on))
    if as_json:
        click.echo(json.dumps([_as_json(item) for item in found]))
        return
    for item in found:
        click.echo(_line(item))


@recordation.command("show")
@click.argument("number")
@json_option
@click.pass_context
def recordation_show(ctx: click.Context, number: str, as_json: bool) -> None:
    """Show the recordation NUMBER.

    Example: tradetrace recordation show "TMK 24-00123" --json
    """
    with open_engine(ctx) as engine:
        readers = storage.make_session_factory(engine, write=False)
        with readers() as session:
            item = recordations_workflow.get_recordation(session, number)
    click.echo(json.dumps(_as_json(item)) if as_json else _line(item))
