"""``tradetrace key`` and ``tradetrace did``: standalone keys and DIDs."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tradetrace.cli._node import node_context
from tradetrace.cli._root import KEY_TYPES, cli, make_settings, open_engine
from tradetrace.did import create_jwk_did, create_key_did, resolve_jwk_did, resolve_key_did
from tradetrace.errors import InvalidDocument
from tradetrace.keys import SigningKey
from tradetrace.types import Did

__all__ = ["did", "did_resolve", "key", "key_did", "key_generate"]


@cli.group()
def key() -> None:
    """Signing keys (Ed25519, P-256, P-384)."""


@key.command("generate")
@click.option("--type", "kind", type=click.Choice(sorted(KEY_TYPES)), default="p256")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.option(
    "--passphrase",
    envvar="TRADETRACE_KEY_FILE_PASSPHRASE",
    help="Encrypt the file (env TRADETRACE_KEY_FILE_PASSPHRASE). Default: not encrypted.",
)
def key_generate(kind: str, out: Path, passphrase: str | None) -> None:
    """Write a new private key (PKCS#8 PEM, mode 0600) and print its did:key.

    Example: tradetrace key generate --type ed25519 --out issuer.pem
    """
    signing_key = SigningKey.generate(KEY_TYPES[kind])
    signing_key.save(out, passphrase=passphrase)
    click.echo(create_key_did(signing_key.public_key()))


@key.command("did")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--method", type=click.Choice(["key", "jwk"]), default="key")
@click.option("--passphrase", envvar="TRADETRACE_KEY_FILE_PASSPHRASE", help="If encrypted.")
def key_did(path: Path, method: str, passphrase: str | None) -> None:
    """Print the did:key (or did:jwk) of a private key file.

    Example: tradetrace key did issuer.pem
    """
    public = SigningKey.load(path, passphrase=passphrase).public_key()
    click.echo(create_key_did(public) if method == "key" else create_jwk_did(public))


@cli.group()
def did() -> None:
    """Decentralized identifiers."""


@did.command("resolve")
@click.argument("identifier")
@click.pass_context
def did_resolve(ctx: click.Context, identifier: str) -> None:
    """Print the DID document of a did:key or did:jwk (no network needed), or of a did:web:
    an organisation of this node from its database, another host's over HTTPS when
    TRADETRACE_DID_WEB_ALLOW_HOSTS names it.

    Example: tradetrace did resolve did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK
    """
    if identifier.startswith("did:key:"):
        document = resolve_key_did(identifier)
    elif identifier.startswith("did:jwk:"):
        document = resolve_jwk_did(identifier)
    elif identifier.startswith("did:web:"):
        with open_engine(ctx) as engine:
            document = node_context(make_settings(ctx), engine, None).resolver.resolve(
                Did(identifier)
            )
    else:
        raise InvalidDocument(f"only did:key, did:jwk and did:web resolve, got {identifier[:40]}")
    click.echo(json.dumps(document.to_dict(), indent=2))
