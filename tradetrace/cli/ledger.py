"""``tradetrace log``: audit any tiled log, print this node's checkpoint, prove and verify."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import click
import httpx

from tradetrace.cli._root import cli, json_option, make_settings, now, open_engine
from tradetrace.ledger import proof as ledger_proof
from tradetrace.workflows import audit, setup

__all__ = ["log", "log_audit", "log_checkpoint", "log_prove", "log_verify_proof", "log_vkey"]


F = TypeVar("F", bound=Callable[..., Any])
_WITNESS_TIMEOUT_SECONDS = 10.0


def _witness_options(function: F) -> F:
    """``--witness VKEY`` (repeatable) and ``--quorum N``: a C2SP tlog-cosignature policy."""
    function = click.option(
        "--quorum",
        type=click.IntRange(min=0),
        help="How many of the --witness keys must have cosigned (default: all of them).",
    )(function)
    return click.option(
        "--witness",
        "witnesses",
        multiple=True,
        help="A witness's cosignature vkey, or a file holding it; repeat for more.",
    )(function)


@cli.group("log")
def log() -> None:
    """The transparency log (C2SP tlog-tiles)."""


@log.command("audit")
@click.argument("source")
@click.option("--vkey", required=True, help="Verifier key name+id+key, or a file holding it.")
@click.option(
    "--state",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to remember the last verified checkpoint (default DATA_DIR/audit).",
)
@_witness_options
@json_option
@click.pass_context
def log_audit(
    ctx: click.Context,
    source: str,
    vkey: str,
    state: Path | None,
    witnesses: tuple[str, ...],
    quorum: int | None,
    as_json: bool,
) -> None:
    """Verify every checkpoint, tile and entry bundle of a log directory or URL.

    Exits 0 when everything verifies, the newest checkpoint has the witness cosignatures asked
    for and the log is consistent with the checkpoint remembered from the last audit; 1 naming
    the first failure otherwise.

    Example: tradetrace log audit http://127.0.0.1:8000/log --vkey log.vkey
    """
    state_dir = state or make_settings(ctx).data_dir / "audit"
    required = len(witnesses) if quorum is None else quorum
    with httpx.Client(timeout=30) as client:
        reader: audit.HttpReader | audit.DirectoryReader = (
            audit.HttpReader(client, source)
            if source.startswith(("http://", "https://"))
            else audit.DirectoryReader(Path(source))
        )
        outcome = audit.audit_source(
            reader, vkey=vkey, state_dir=state_dir, witnesses=witnesses, quorum=required
        )
    result = outcome.result
    if as_json:
        click.echo(
            json.dumps(
                {
                    "origin": result.origin,
                    "sizes": list(result.sizes),
                    "entries": result.entries,
                    "tiles": result.tiles,
                    "bundles": result.bundles,
                    "previous_size": outcome.previous_size,
                }
            )
        )
        return
    click.echo(
        f"ok: {result.origin} size {result.sizes[-1]}: {len(result.sizes)} checkpoints, "
        f"{result.entries} entries, {result.tiles} tiles, {result.bundles} bundles verified"
    )


@log.command("vkey")
@click.pass_context
def log_vkey(ctx: click.Context) -> None:
    """Print this node's log verifier key (give it to auditors and witnesses).

    Example: tradetrace log vkey > log.vkey
    """
    settings = make_settings(ctx)
    signer = setup.load_or_create_log_key(
        settings.effective_log_key_path, settings.effective_log_origin
    )
    click.echo(signer.verifier().vkey)


@log.command("checkpoint")
@click.pass_context
def log_checkpoint(ctx: click.Context) -> None:
    """Publish and print this node's newest checkpoint.

    Example: tradetrace log checkpoint
    """
    settings = make_settings(ctx)
    with open_engine(ctx) as engine, httpx.Client(timeout=_WITNESS_TIMEOUT_SECONDS) as http:
        ledger = setup.open_ledger(settings, engine, clock=now, http=http)
        ledger.publish()
        latest = ledger.latest_checkpoint()
    if latest is None:
        raise click.ClickException("the log is empty")
    click.echo(latest.to_text(), nl=False)


@log.command("prove")
@click.argument("index", type=int)
@click.pass_context
def log_prove(ctx: click.Context, index: int) -> None:
    """Print the tlog-proof receipt of entry INDEX under the newest checkpoint.

    Example: tradetrace log prove 42 > entry-42.proof
    """
    settings = make_settings(ctx)
    with open_engine(ctx) as engine, httpx.Client(timeout=_WITNESS_TIMEOUT_SECONDS) as http:
        ledger = setup.open_ledger(settings, engine, clock=now, http=http)
        ledger.publish()
        click.echo(ledger.receipt(index).to_text(), nl=False)


@log.command("verify-proof")
@click.argument("proof_file", type=click.File("rb"))
@click.option("--entry", "entry_file", type=click.File("rb"), required=True, help="Entry bytes.")
@click.option("--vkey", required=True, help="Log verifier key, or a file holding it.")
@_witness_options
def log_verify_proof(
    proof_file: BinaryIO,
    entry_file: BinaryIO,
    vkey: str,
    witnesses: tuple[str, ...],
    quorum: int | None,
) -> None:
    """Verify a tlog-proof receipt for an entry offline: signature, origin, witness
    cosignatures and inclusion.

    Example: tradetrace log verify-proof entry-42.proof --entry entry-42.json --vkey log.vkey
    """
    verifier = audit.load_vkey(vkey)
    witness_keys = [audit.load_vkey(value) for value in witnesses]
    receipt = ledger_proof.TlogProof.from_text(proof_file.read())
    checkpoint = ledger_proof.verify_tlog_proof(
        receipt,
        entry_file.read(),
        origin=verifier.name,
        verifiers=[verifier],
        witnesses=witness_keys,
        quorum=len(witness_keys) if quorum is None else quorum,
    )
    click.echo(f"ok: entry {receipt.index} is in {checkpoint.origin} at size {checkpoint.size}")
