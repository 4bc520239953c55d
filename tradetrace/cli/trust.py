"""``tradetrace trust``: the trust registry of accredited DIDs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from tradetrace import storage
from tradetrace.cli._root import cli, json_option, now, open_engine
from tradetrace.workflows import trust as trust_workflow

__all__ = ["trust", "trust_add", "trust_check", "trust_list"]

_DATE = click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


@cli.group()
def trust() -> None:
    """The trust registry: which DIDs are accredited for which roles and credential types."""


@trust.command("add")
@click.argument("did")
@click.option("--role", "roles", multiple=True, help="Accredited role (repeatable).")
@click.option("--type", "types", multiple=True, help="Accredited credential type (repeatable).")
@click.option("--by", "accredited_by", required=True, help="DID of the accrediting authority.")
@click.option("--from", "valid_from", type=_DATE, help="Start (UTC); default now.")
@click.option("--until", "valid_until", type=_DATE, help="End (UTC, exclusive); default open.")
@json_option
@click.pass_context
def trust_add(
    ctx: click.Context,
    did: str,
    roles: tuple[str, ...],
    types: tuple[str, ...],
    accredited_by: str,
    valid_from: datetime | None,
    valid_until: datetime | None,
    as_json: bool,
) -> None:
    """Accredit DID for roles and credential types.

    Example: tradetrace trust add did:web:mill.example --role steel_mill --by did:web:cbp.gov
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        stored = trust_workflow.accredit(
            session,
            did=did,
            roles=roles,
            credential_types=types,
            accredited_by=accredited_by,
            valid_from=_utc(valid_from) or now(),
            valid_until=_utc(valid_until),
            now=now(),
        )
    click.echo(json.dumps({"id": stored.id, "did": stored.did}) if as_json else f"accredited {did}")


@trust.command("list")
@json_option
@click.pass_context
def trust_list(ctx: click.Context, as_json: bool) -> None:
    """List accreditations, newest first.

    Example: tradetrace trust list --json
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        found = trust_workflow.list_accreditations(session)
    rows = [
        {
            "id": item.id,
            "did": item.did,
            "roles": [role.value for role in item.roles],
            "credential_types": list(item.credential_types),
            "accredited_by": item.accredited_by,
            "valid_from": item.valid_from.isoformat(),
            "valid_until": item.valid_until.isoformat() if item.valid_until else None,
        }
        for item in found
    ]
    if as_json:
        click.echo(json.dumps(rows))
        return
    for item in found:
        scope = ", ".join([*(role.value for role in item.roles), *item.credential_types])
        click.echo(
            f"{item.did}  [{scope}]  by {item.accredited_by}  from {item.valid_from:%Y-%m-%d}"
        )


@trust.command("check")
@click.argument("did")
@click.option("--type", "types", multiple=True, required=True, help="Credential type.")
@click.option("--at", "at", type=_DATE, help="Moment to check (UTC); default now.")
@json_option
@click.pass_context
def trust_check(
    ctx: click.Context, did: str, types: tuple[str, ...], at: datetime | None, as_json: bool
) -> None:
    """Say whether DID is trusted to issue a credential of the given types; exit 1 if not.

    Example: tradetrace trust check did:web:mill.example --type MillTestReportCredential
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        decision = trust_workflow.check_issuer(
            session, issuer=did, credential_types=list(types), at=_utc(at) or now()
        )
    if as_json:
        click.echo(
            json.dumps(
                {"trusted": decision.trusted, "code": decision.code, "message": decision.message}
            )
        )
    else:
        click.echo(f"{'trusted' if decision.trusted else 'not trusted'}: {decision.message}")
    if not decision.trusted:
        ctx.exit(1)
