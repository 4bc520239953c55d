"""``tradetrace witness``: run a C2SP tlog-witness that cosigns other logs' checkpoints."""

from __future__ import annotations

from pathlib import Path

import click

from tradetrace.cli._root import cli, make_settings, now
from tradetrace.workflows import witness as witness_workflow

__all__ = ["witness", "witness_key", "witness_key_generate", "witness_serve"]


@cli.group("witness")
def witness() -> None:
    """A transparency-log witness (C2SP tlog-witness, tlog-cosignature)."""


@witness.group("key")
def witness_key() -> None:
    """The witness's cosigning key."""


@witness_key.command("generate")
@click.option("--name", required=True, help="Key name, for example witness.example.com/w1.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Where to write the private key (mode 0600; never overwritten).",
)
def witness_key_generate(name: str, out: Path) -> None:
    """Create a witness key (Go note PRIVATE+KEY text) and print its cosignature vkey.

    Give the printed vkey to the logs that use this witness.

    Example: tradetrace witness key generate --name witness.example/w1 --out witness.skey
    """
    cosigner = witness_workflow.generate_witness_key(out, name)
    click.echo(cosigner.verifier().vkey)


@witness.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", type=int, default=8080, show_default=True, help="Port to listen on.")
@click.option(
    "--key",
    "key_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The witness's private key file.",
)
@click.option(
    "--log",
    "logs",
    multiple=True,
    required=True,
    help="A log to witness, as ORIGIN=VKEY (repeat for more logs or keys).",
)
@click.option(
    "--state",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to keep the last cosigned checkpoints (default DATA_DIR/witness/state.json).",
)
@click.pass_context
def witness_serve(
    ctx: click.Context,
    host: str,
    port: int,
    key_path: Path,
    logs: tuple[str, ...],
    state: Path | None,
) -> None:
    """Serve POST /add-checkpoint: cosign checkpoints that extend the last one cosigned.

    Example: tradetrace witness serve --port 8080 --key witness.skey --log example.com/log=VKEY
    """
    import uvicorn

    from tradetrace.api.witness import create_witness_app

    cosigner = witness_workflow.load_witness_key(key_path)
    state_path = state or make_settings(ctx).data_dir / "witness" / "state.json"
    service = witness_workflow.Witness(
        cosigner,
        witness_workflow.trusted_logs(logs),
        state=witness_workflow.WitnessState(state_path),
        clock=now,
    )
    click.echo(f"witness {cosigner.verifier().vkey} serving http://{host}:{port}", err=True)
    uvicorn.run(create_witness_app(service), host=host, port=port, log_level="info")
