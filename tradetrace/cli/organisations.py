"""``tradetrace org``: organisations (trade parties and authorities)."""

from __future__ import annotations

import json

import click

from tradetrace import storage
from tradetrace.cli._root import KEY_TYPES, cli, json_option, make_settings, now, open_engine
from tradetrace.organisations.model import Organisation
from tradetrace.workflows import identity, organisations

__all__ = ["org", "org_add_id", "org_create", "org_did", "org_list", "org_show"]


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
        click.echo(json.dumps([_organisation_json(item) for item in found]))
        return
    for item in found:
        click.echo(f"{item.slug:28} {item.country}  {item.name}")


def _organisation_json(item: Organisation) -> dict[str, object]:
    return {
        "slug": item.slug,
        "name": item.name,
        "country": item.country,
        "roles": [role.value for role in item.roles],
        "identifiers": {entry.scheme.value: entry.value for entry in item.identifiers},
        "did": item.did,
        "created_at": item.created_at.isoformat(),
    }


@org.command("show")
@click.argument("slug")
@json_option
@click.pass_context
def org_show(ctx: click.Context, slug: str, as_json: bool) -> None:
    """Show one organisation: name, country, roles, identifiers and DID.

    Example: tradetrace org show hamilton-steelworks --json
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        found = organisations.get_organisation(session, slug)
    if as_json:
        click.echo(json.dumps(_organisation_json(found), indent=2))
        return
    click.echo(f"{found.name} ({found.slug}), {found.country}")
    click.echo(f"  DID          {found.did or '-'}")
    click.echo(f"  roles        {', '.join(role.value for role in found.roles) or '-'}")
    for entry in found.identifiers:
        click.echo(f"  {entry.scheme.value:12} {entry.value}")
    click.echo(f"  registered   {found.created_at:%Y-%m-%d %H:%M} UTC")


def _identifiers(values: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for value in values:
        scheme, separator, identifier = value.partition("=")
        if not separator:
            raise click.BadParameter(f"expected SCHEME=VALUE, got {value!r}", param_hint="--id")
        parsed[scheme.strip().lower()] = identifier.strip()
    return parsed


@org.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="Legal name.")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 country code.")
@click.option("--role", "roles", multiple=True, help="Role, e.g. steel_mill (repeatable).")
@click.option("--id", "identifiers", multiple=True, help="SCHEME=VALUE: eori, lei, gln, ...")
@click.option(
    "--key-type",
    "key_types",
    multiple=True,
    type=click.Choice(sorted(KEY_TYPES)),
    help="Signing keys to create (default p256 and ed25519).",
)
@click.option("--root", is_flag=True, help="Give it the node's host DID (did:web:<host>).")
@json_option
@click.pass_context
def org_create(
    ctx: click.Context,
    slug: str,
    name: str,
    country: str,
    roles: tuple[str, ...],
    identifiers: tuple[str, ...],
    key_types: tuple[str, ...],
    root: bool,
    as_json: bool,
) -> None:
    """Register an organisation with a did:web and encrypted signing keys; print its DID.

    Example: tradetrace org create acme-steel --name "Acme Steel" --country CA
    --role steel_mill --id gln=0614141000012
    """
    settings = make_settings(ctx)
    kinds = tuple(KEY_TYPES[value] for value in key_types) or identity.DEFAULT_KEY_KINDS
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        created = identity.create_organisation(
            session,
            settings,
            slug=slug,
            name=name,
            country=country,
            roles=roles,
            identifiers=_identifiers(identifiers),
            key_kinds=kinds,
            root=root,
            now=now(),
        )
    click.echo(json.dumps({"slug": created.slug, "did": created.did}) if as_json else created.did)


@org.command("add-id")
@click.argument("slug")
@click.option(
    "--id", "identifiers", multiple=True, required=True, help="SCHEME=VALUE (repeatable)."
)
@json_option
@click.pass_context
def org_add_id(ctx: click.Context, slug: str, identifiers: tuple[str, ...], as_json: bool) -> None:
    """Give an organisation identifiers in schemes it has none of; an identifier it already
    has is left alone, and one in a scheme it holds another value in is refused (exit 1).

    Example: tradetrace org add-id gulf-refining --id gln=0614141000043
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        updated, added = organisations.add_identifiers(session, slug, _identifiers(identifiers))
    shown = {item.scheme.value: item.value for item in updated.identifiers}
    if as_json:
        click.echo(json.dumps({"slug": updated.slug, "added": added, "identifiers": shown}))
    else:
        listed = ", ".join(f"{scheme}={value}" for scheme, value in shown.items())
        click.echo(f"{updated.slug}: {added} added; identifiers {listed}")


@org.command("did")
@click.argument("slug")
@click.pass_context
def org_did(ctx: click.Context, slug: str) -> None:
    """Print the DID document an organisation hosts.

    Example: tradetrace org did acme-steel
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        document = identity.organisation_did_document(session, slug)
    click.echo(json.dumps(document.to_dict(), indent=2))
