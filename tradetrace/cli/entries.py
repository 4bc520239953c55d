"""``tradetrace entry``: file customs entries, assess them with their evidence, show the record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from tradetrace import storage
from tradetrace.cli._node import node_context
from tradetrace.cli._root import cli, json_option, make_settings, now, open_engine
from tradetrace.config import Settings
from tradetrace.storage.entries import FiledEntry, StoredDecision
from tradetrace.workflows import entries, identity, setup
from tradetrace.workflows.ledger import LedgerService

__all__ = ["entry", "entry_assess", "entry_file", "entry_list", "entry_show"]


@cli.group()
def entry() -> None:
    """Customs entries (CBP 3461/7501): file, assess against the evidence, show."""


def _filed_json(filed: FiledEntry, *, new: bool | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "entry_number": filed.entry_number,
        "version": filed.version,
        "entry_type": filed.entry_type,
        "entry_date": filed.entry_date.isoformat(),
        "filed_at": filed.filed_at.isoformat(),
        "digest": filed.digest,
        "submitter": filed.submitter,
        "instances": list(filed.instances),
        "from_credential": filed.credential is not None,
    }
    return found if new is None else {**found, "new": new}


def _decision_json(stored: StoredDecision) -> dict[str, Any]:
    return {
        "id": stored.id,
        "entry_version": stored.entry_version,
        "decided_at": stored.decided_at.isoformat(),
        "recommendation": stored.recommendation,
        "digest": stored.digest,
        "explanation": stored.explanation,
    }


def _file(
    settings: Settings, engine: Any, ledger: LedgerService, data: bytes, **options: Any
) -> tuple[FiledEntry, bool]:
    context = node_context(settings, engine, ledger)
    submission = entries.read_submission(data, context=context, now=now())
    submitter = options.pop("submitter", None) or identity.organisation_did(settings, "", root=True)
    return entries.file_entry(
        storage.make_session_factory(engine), ledger, submission, submitter=submitter,
        now=now(), **options,
    )  # fmt: skip


@entry.command("file")
@click.argument("entry_file", type=click.File("rb"))
@click.option(
    "--instance", "instances", multiple=True,
    help="Workflow instance whose presentations belong to this entry (repeatable); the entry "
    "number is always one.",
)  # fmt: skip
@click.option("--submitter", help="DID of the filer; default this node's did:web.")
@click.option("--replace", is_flag=True, help="Record a correction of an entry filed before.")
@json_option
@click.pass_context
def entry_file(
    ctx: click.Context,
    entry_file: Any,
    instances: tuple[str, ...],
    submitter: str | None,
    replace: bool,
    as_json: bool,
) -> None:
    """File an entry (JSON, or an entry credential that must verify): store it and log it.

    Example: tradetrace entry file entry.json --instance urn:uuid:8c0c6f7e --json
    """
    settings = make_settings(ctx)
    with open_engine(ctx) as engine:
        ledger = setup.open_ledger(settings, engine, clock=now)
        filed, new = _file(
            settings, engine, ledger, entry_file.read(), instances=instances,
            submitter=submitter, replace=replace,
        )  # fmt: skip
    if as_json:
        click.echo(json.dumps(_filed_json(filed, new=new)))
        return
    state = "filed" if new else "already filed, unchanged"
    click.echo(f"{filed.entry_number} version {filed.version}: {state}; digest {filed.digest}")


@entry.command("assess")
@click.argument("entry_ref")
@click.argument("credential_files", nargs=-1, type=click.File("rb"))
@json_option
@click.pass_context
def entry_assess(
    ctx: click.Context, entry_ref: str, credential_files: tuple[Any, ...], as_json: bool
) -> None:
    """Decide on an entry with the credentials of its case: preference, duties, release.

    ENTRY_REF is a filed entry's number, or an entry file, which is filed first. The case is
    every credential presented for the entry's workflow instances, plus CREDENTIAL_FILES. The
    decision is stored and logged.

    Example: tradetrace entry assess B76-0251001-1 usmca-certification.jwt --json
    """
    settings = make_settings(ctx)
    with open_engine(ctx) as engine:
        ledger = setup.open_ledger(settings, engine, clock=now)
        number = entry_ref
        if Path(entry_ref).is_file():
            filed, _ = _file(settings, engine, ledger, Path(entry_ref).read_bytes())
            number = filed.entry_number
        decision, stored = entries.assess_filed_entry(
            storage.make_session_factory(engine), node_context(settings, engine, ledger), ledger,
            number, decided_by=identity.organisation_did(settings, "", root=True),
            extra=[handle.read() for handle in credential_files], now=now(),
        )  # fmt: skip
    if as_json:
        click.echo(
            json.dumps(
                {**decision.to_json_dict(), "decision_id": stored.id,
                 "explanation": stored.explanation}
            )
        )  # fmt: skip
    else:
        click.echo(stored.explanation)


@entry.command("show")
@click.argument("entry_number")
@json_option
@click.pass_context
def entry_show(ctx: click.Context, entry_number: str, as_json: bool) -> None:
    """Show a filed entry: its versions, its lines and every decision taken on it.

    Example: tradetrace entry show B76-0251001-1 --json
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine, write=False)() as session:
        dossier = entries.entry_dossier(session, entry_number)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "entry": json.loads(dossier.current.document),
                    "versions": [_filed_json(item) for item in dossier.versions],
                    "decisions": [_decision_json(item) for item in dossier.decisions],
                }
            )
        )
        return
    current, parsed = dossier.current, dossier.entry
    click.echo(
        f"Entry {current.entry_number} (type {current.entry_type}), version {current.version} "
        f"of {len(dossier.versions)}, entry date {current.entry_date.isoformat()}, "
        f"filed {current.filed_at.isoformat()} by {current.submitter}"
    )
    click.echo(f"Workflow instances: {', '.join(current.instances)}")
    for number, line in parsed.numbered_lines():
        click.echo(f"  line {number}: HTS {line.hts10}, origin {line.origin_country}, "
                   f"value {line.value} USD")  # fmt: skip
    latest = dossier.latest_decision
    if latest is None:
        click.echo("No decision yet: tradetrace entry assess " + current.entry_number)
        return
    click.echo(f"Decision {latest.id} of {latest.decided_at.isoformat()}:")
    click.echo(latest.explanation)


@entry.command("list")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@json_option
@click.pass_context
def entry_list(ctx: click.Context, limit: int, as_json: bool) -> None:
    """List filed entries, most recently filed first, with their latest recommendation.

    Example: tradetrace entry list --limit 20 --json
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine, write=False)() as session:
        listed = entries.list_entries(session, limit=limit)
    if as_json:
        items = [
            {**_filed_json(filed),
             "recommendation": None if latest is None else latest.recommendation}
            for filed, latest in listed
        ]  # fmt: skip
        click.echo(json.dumps({"items": items}))
        return
    for filed, latest in listed:
        verdict = "not assessed" if latest is None else latest.recommendation
        click.echo(
            f"{filed.entry_number}  type {filed.entry_type}  v{filed.version}  "
            f"{filed.entry_date.isoformat()}  {verdict}"
        )
