"""Outbound interop and the customs inbox: ``peer``, ``outbox``, ``presentation send`` and
``presentation inbox``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
import httpx

from tradetrace import storage
from tradetrace.cli._root import cli, json_option, make_settings, now, open_engine
from tradetrace.cli.credentials import presentation
from tradetrace.credentials import issue
from tradetrace.delivery import DeliveryState
from tradetrace.errors import InvalidDocument
from tradetrace.storage.outbox import OutboxItem
from tradetrace.workflows import inbox, outbound

__all__ = [
    "outbox",
    "outbox_flush",
    "outbox_list",
    "peer",
    "peer_add",
    "peer_list",
    "peer_remove",
    "presentation_inbox",
    "presentation_send",
]

_HTTP_TIMEOUT_SECONDS = 10.0
_PROOF_FORMATS = click.Choice(
    [item.value for item in issue.Format if item is not issue.Format.VC_JWT]
)


def _item_json(item: OutboxItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "recipient": item.recipient,
        "presentationId": item.presentation_id,
        "sender": item.sender_slug,
        "state": item.state.value,
        "attempts": item.attempts,
        "nextAttemptAt": item.next_attempt_at.isoformat() if item.next_attempt_at else None,
        "lastStatus": item.last_status,
        "lastError": item.last_error,
        "createdAt": item.created_at.isoformat(),
        "deliveredAt": item.delivered_at.isoformat() if item.delivered_at else None,
    }


def _item_line(item: OutboxItem) -> str:
    line = f"{item.id}  {item.state.value:15} attempts={item.attempts}  {item.recipient}"
    line += f"  {item.presentation_id}"
    if item.state.pending and item.next_attempt_at is not None:
        line += f"\n    next attempt {item.next_attempt_at.isoformat()}"
    return line + (f"\n    last error: {item.last_error}" if item.last_error else "")


def _print_items(items: list[OutboxItem], *, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([_item_json(item) for item in items]))
    else:
        for item in items:
            click.echo(_item_line(item))


def _read_document(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidDocument(f"{path.name}: not a JSON document ({exc})") from exc
    if not isinstance(value, dict):
        raise InvalidDocument(f"{path.name}: expected a JSON object")
    return value


@cli.group()
def peer() -> None:
    """Platforms this node sends presentations to, with the client credentials they issued."""


@peer.command("add")
@click.argument("did")
@click.option("--client-id", required=True, help="Client id the platform issued to this node.")
@click.option(
    "--client-secret",
    envvar="TRADETRACE_PEER_CLIENT_SECRET",
    prompt=True,
    hide_input=True,
    help="Its secret (prompted for when not given; env TRADETRACE_PEER_CLIENT_SECRET).",
)
@click.option("--token-endpoint", help="OAuth token URL (default: /oauth/token at its origin).")
@click.option("--audience", help="Token audience (default: its TraceabilityAPI endpoint).")
@click.option("--scope", default=outbound.DEFAULT_SCOPE, show_default=True)
@click.pass_context
def peer_add(
    ctx: click.Context,
    did: str,
    client_id: str,
    client_secret: str,
    token_endpoint: str | None,
    audience: str | None,
    scope: str,
) -> None:
    """Register (or replace) a platform's client credentials; the secret is sealed at rest.

    Example: tradetrace peer add did:web:customs.example --client-id tt-4f2a --token-endpoint
    https://customs.example/oauth/token
    """
    settings = make_settings(ctx)
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        stored = outbound.add_peer(
            session, settings, did_web=did, client_id=client_id, client_secret=client_secret,
            token_endpoint=token_endpoint, audience=audience, scope=scope, now=now(),
        )  # fmt: skip
    click.echo(f"peer {stored.did}: client {stored.client_id} (secret sealed, not shown)")


@peer.command("list")
@json_option
@click.pass_context
def peer_list(ctx: click.Context, as_json: bool) -> None:
    """List the registered platforms (never their secrets).

    Example: tradetrace peer list --json
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine, write=False)() as s:
        peers = outbound.list_peers(s)
    rows = [
        {"did": p.did, "clientId": p.client_id, "tokenEndpoint": p.token_endpoint,
         "audience": p.audience, "scope": p.scope, "updatedAt": p.updated_at.isoformat()}
        for p in peers
    ]  # fmt: skip
    if as_json:
        click.echo(json.dumps(rows))
        return
    for row in rows:
        click.echo(f"{row['did']}  client {row['clientId']}  scope {row['scope']}")


@peer.command("remove")
@click.argument("did")
@click.pass_context
def peer_remove(ctx: click.Context, did: str) -> None:
    """Forget a platform's credentials (entries queued for it wait for new ones).

    Example: tradetrace peer remove did:web:customs.example
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        outbound.remove_peer(session, did)
    click.echo(f"removed peer {did}")


@presentation.command("send")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--to", "recipient", required=True, help="did:web of the receiving platform.")
@click.option("--org", help="Sign it first as this hosted organisation (its holder).")
@click.option("--format", "fmt", type=_PROOF_FORMATS, default="ecdsa-jcs-2019", show_default=True)
@json_option
@click.pass_context
def presentation_send(
    ctx: click.Context, source: Path, recipient: str, org: str | None, fmt: str, as_json: bool
) -> None:
    """Queue a TraceablePresentation in the outbox for a peer and try it at once.

    SOURCE is a presentation (with its ``workflow``), or ``{"verifiablePresentation",
    "workflow"}``; signed already, or signed here with --org. Exit 1 when the recipient
    rejected it; one that could not be delivered yet stays queued (state failed-retrying).

    Example: tradetrace presentation send --to did:web:customs.example --org acme vp.json
    """
    settings, document = make_settings(ctx), _read_document(source)
    with open_engine(ctx) as engine, httpx.Client(timeout=_HTTP_TIMEOUT_SECONDS) as http:
        if org is not None:
            with storage.make_session_factory(engine)() as session:
                document = outbound.sign_presentation(
                    session, settings, slug=org, document=document, format=issue.Format(fmt),
                    now=now(),
                )  # fmt: skip
        dispatcher = outbound.Dispatcher(engine, settings, http, clock=now)
        item = dispatcher.send(recipient=recipient, body=document, sender_slug=org)
    _print_items([item], as_json=as_json)
    if item.state is DeliveryState.REJECTED:
        sys.exit(1)


@presentation.command("inbox")
@click.option("--instance", help="Only this workflow instance (for example one customs entry).")
@json_option
@click.pass_context
def presentation_inbox(ctx: click.Context, instance: str | None, as_json: bool) -> None:
    """List received presentations grouped by workflow instance, newest first.

    Example: tradetrace presentation inbox --instance urn:uuid:f5fb6ce4-b0b1-41b8-89b0-331a58b7ee00
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine, write=False)() as s:
        groups = inbox.inbox(s, instance=instance)
    if as_json:
        click.echo(json.dumps([group.to_json() for group in groups]))
        return
    for group in groups:
        click.echo(f"{group.instance or '(no workflow instance)'}  {len(group.entries)} received")
        for entry in group.entries:
            verdict = "verified" if entry.verified else "NOT verified"
            replaced = f"  superseded by {entry.superseded_by}" if entry.superseded_by else ""
            click.echo(
                f"  {entry.received_at.isoformat()}  {verdict}  {entry.credentials} credentials"
                f"  {entry.holder}  {entry.id}{replaced}"
            )


@cli.group()
def outbox() -> None:
    """Presentations queued for other platforms, and their delivery."""


@outbox.command("list")
@click.option(
    "--state", "states", multiple=True, type=click.Choice([state.value for state in DeliveryState])
)
@json_option
@click.pass_context
def outbox_list(ctx: click.Context, states: tuple[str, ...], as_json: bool) -> None:
    """List outbox entries, newest first, with their state, attempts and last error.

    Example: tradetrace outbox list --state failed-retrying --json
    """
    wanted = [DeliveryState(value) for value in states]
    with open_engine(ctx) as engine, storage.make_session_factory(engine, write=False)() as s:
        items = outbound.list_outbox(s, states=wanted)
    _print_items(items, as_json=as_json)


@outbox.command("flush")
@click.option("--all", "every", is_flag=True, help="Also entries whose backoff has not passed.")
@json_option
@click.pass_context
def outbox_flush(ctx: click.Context, every: bool, as_json: bool) -> None:
    """Try the pending entries that are due now (every pending one with --all).

    Example: tradetrace outbox flush --all
    """
    settings = make_settings(ctx)
    with open_engine(ctx) as engine, httpx.Client(timeout=_HTTP_TIMEOUT_SECONDS) as http:
        dispatcher = outbound.Dispatcher(engine, settings, http, clock=now)
        items = dispatcher.flush(due_only=not every)
    _print_items(items, as_json=as_json)
    if not as_json and not items:
        click.echo("nothing due", err=True)
