"""``tradetrace credential``, ``presentation`` and ``status``: issue, verify, revoke."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from tradetrace import storage
from tradetrace.cli._node import node_context
from tradetrace.cli._root import cli, json_option, make_settings, now, open_engine
from tradetrace.credentials import issue
from tradetrace.credentials.report import CheckId, VerificationReport
from tradetrace.credentials.status import StatusPurpose
from tradetrace.errors import InvalidDocument
from tradetrace.keys import SigningKey
from tradetrace.workflows import credentials, setup

__all__ = [
    "credential",
    "credential_issue",
    "credential_verify",
    "presentation",
    "presentation_issue",
    "presentation_verify",
    "status_group",
    "status_set",
]

_FORMATS = click.Choice([item.value for item in issue.Format])


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InvalidDocument(f"{path.name}: not a JSON document ({exc})") from exc
    if not isinstance(value, dict):
        raise InvalidDocument(f"{path.name}: expected a JSON object")
    return value


def _print_secured(secured: issue.Secured) -> None:
    document = secured.document
    click.echo(document if isinstance(document, str) else json.dumps(document, indent=2))


@contextmanager
def _node(ctx: click.Context) -> Iterator[tuple[Any, Any, credentials.NodeContext]]:
    """The node's session factory, ledger and verification context."""
    settings = make_settings(ctx)
    with open_engine(ctx) as engine:
        ledger = setup.open_ledger(settings, engine, clock=now)
        yield storage.make_session_factory(engine), ledger, node_context(settings, engine, ledger)


def _exit_code(report: VerificationReport, require: list[CheckId]) -> int:
    """0 verified, 1 not verified, 2 unusable input (the format check failed)."""
    format_check = report.check(CheckId.FORMAT)
    if format_check is not None and format_check.status.value != "valid":
        return 2
    return 0 if report.verified(require=require) else 1


def _report_text(report: VerificationReport, require: list[CheckId]) -> None:
    verdict = "verified" if report.verified(require=require) else "NOT verified"
    click.echo(f"{verdict} ({report.format})")
    for item in report.checks:
        click.echo(f"  {item.id.value:9} {item.status.value:8} {item.code}: {item.message}")


def _report_out(report: VerificationReport, *, as_json: bool, trusted_only: bool) -> None:
    require = [CheckId.TRUST] if trusted_only else []
    if as_json:
        click.echo(json.dumps(report.to_json(require=require), indent=2))
    else:
        _report_text(report, require)
    code = _exit_code(report, require)
    if code:
        sys.exit(code)


def _reports_out(
    reports: list[tuple[str, VerificationReport]], *, as_json: bool, trusted_only: bool
) -> None:
    """Several files' reports: each under its name, then a summary; the exit code is the
    worst of theirs."""
    require = [CheckId.TRUST] if trusted_only else []
    codes = [_exit_code(report, require) for _, report in reports]
    if as_json:
        listed = [{"file": name, **report.to_json(require=require)} for name, report in reports]
        click.echo(json.dumps(listed, indent=2))
    else:
        for name, report in reports:
            click.echo(f"{name}: ", nl=False)
            _report_text(report, require)
        click.echo(
            f"{codes.count(0)} verified, {codes.count(1)} not verified, "
            f"{codes.count(2)} unusable, of {len(codes)}"
        )
    if max(codes):
        sys.exit(max(codes))


@cli.group()
def credential() -> None:
    """Verifiable credentials (VC 2.0; VC-JOSE and Data Integrity)."""


@credential.command("issue")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--format", "fmt", type=_FORMATS, default="vc-jwt", show_default=True)
@click.option("--key", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--passphrase", envvar="TRADETRACE_KEY_FILE_PASSPHRASE", help="If --key is encrypted."
)
@click.option("--issuer", help="Issuer DID the key belongs to (default: the key's did:key).")
@click.option("--method", help="Verification method id (with --issuer).")
@click.option("--org", help="Issue as this hosted organisation (status entries, ledger).")
@click.pass_context
def credential_issue(
    ctx: click.Context,
    source: Path,
    fmt: str,
    key: Path | None,
    passphrase: str | None,
    issuer: str | None,
    method: str | None,
    org: str | None,
) -> None:
    """Secure the credential in SOURCE and print it (compact JWS for vc-jwt, JSON otherwise).

    Example: tradetrace credential issue --key issuer.pem --format eddsa-jcs-2022 mtr.json
    """
    document, format_ = _read_json(source), issue.Format(fmt)
    if org is not None:
        with _node(ctx) as (sessions, ledger, _), sessions() as session:
            settings = make_settings(ctx)
            secured = credentials.issue_as_organisation(
                session, settings, ledger, slug=org, credential=document, format=format_, now=now()
            )
            ledger.publish()
    elif key is not None:
        signing_key = SigningKey.load(key, passphrase=passphrase)
        if issuer is not None and method is None:
            method = f"{issuer}#{signing_key.public_key().to_multibase()}"
        secured = issue.issue_credential(
            document, key=signing_key, format=format_, now=now(), issuer=issuer,
            verification_method=method,
        )  # fmt: skip
    else:
        raise click.UsageError("give --key FILE or --org SLUG")
    _print_secured(secured)


@credential.command("verify")
@click.argument("sources", nargs=-1, required=True, type=click.File("rb"))
@click.option("--trusted-only", is_flag=True, help="Also require an accredited issuer.")
@json_option
@click.pass_context
def credential_verify(
    ctx: click.Context, sources: tuple[Any, ...], trusted_only: bool, as_json: bool
) -> None:
    """Verify credentials (either form); exit 0 valid, 1 invalid, 2 unusable input.

    With several files each report is printed under the file's name (with --json, a list of
    reports with a "file" member), then a count of each outcome; the exit code is the worst.

    Example: tradetrace credential verify mtr.jwt --json
    """
    with _node(ctx) as (_, _, context):
        verifier = context.verifier()  # one verifier: signer keys stay cached across files
        reports = [(source.name, verifier.verify(source.read(), now=now())) for source in sources]
    if len(reports) == 1:
        _report_out(reports[0][1], as_json=as_json, trusted_only=trusted_only)
    else:
        _reports_out(reports, as_json=as_json, trusted_only=trusted_only)


@cli.group()
def presentation() -> None:
    """Verifiable presentations with holder binding, challenge and domain."""


@presentation.command("issue")
@click.argument("sources", nargs=-1, type=click.File("rb"))
@click.option("--format", "fmt", type=_FORMATS, default="vc-jwt", show_default=True)
@click.option("--key", type=click.Path(path_type=Path, dir_okay=False, exists=True), required=True)
@click.option("--passphrase", envvar="TRADETRACE_KEY_FILE_PASSPHRASE")
@click.option("--holder", help="Holder DID the key belongs to (default: the key's did:key).")
@click.option("--challenge", help="The verifier's challenge (nonce).")
@click.option("--domain", help="The verifier's domain (audience).")
def presentation_issue(
    sources: tuple[Any, ...],
    fmt: str,
    key: Path,
    passphrase: str | None,
    holder: str | None,
    challenge: str | None,
    domain: str | None,
) -> None:
    """Present the credentials in SOURCES, signed by the holder's key.

    Example: tradetrace presentation issue --key holder.pem --challenge abc mtr.jwt
    """
    items: list[Any] = []
    for handle in sources:
        raw = handle.read().decode().strip()
        items.append(raw if not raw.startswith("{") else json.loads(raw))
    signing_key = SigningKey.load(key, passphrase=passphrase)
    method = None if holder is None else f"{holder}#{signing_key.public_key().to_multibase()}"
    secured = issue.issue_presentation(
        credentials=items, key=signing_key, format=issue.Format(fmt), now=now(),
        holder=holder, verification_method=method, challenge=challenge, domain=domain,
    )  # fmt: skip
    _print_secured(secured)


@presentation.command("verify")
@click.argument("source", type=click.File("rb"))
@click.option("--challenge", help="The challenge this verifier issued.")
@click.option("--domain", help="This verifier's domain.")
@click.option("--trusted-only", is_flag=True, help="Also require accredited issuers.")
@json_option
@click.pass_context
def presentation_verify(
    ctx: click.Context,
    source: Any,
    challenge: str | None,
    domain: str | None,
    trusted_only: bool,
    as_json: bool,
) -> None:
    """Verify a presentation and every credential in it; exit 0, 1 or 2 as for credentials.

    Example: tradetrace presentation verify vp.jwt --challenge abc --json
    """
    data = source.read()
    with _node(ctx) as (_, _, context):
        report = context.verifier().verify(data, now=now(), challenge=challenge, domain=domain)
    _report_out(report, as_json=as_json, trusted_only=trusted_only)


@cli.group("status")
def status_group() -> None:
    """Revocation and suspension of credentials issued here (Bitstring Status List)."""


@status_group.command("set")
@click.argument("credential_id")
@click.argument("action", type=click.Choice(["revoke", "suspend", "reinstate"]))
@click.pass_context
def status_set(ctx: click.Context, credential_id: str, action: str) -> None:
    """Revoke, suspend or reinstate (lift a suspension of) a credential issued here.

    Example: tradetrace status set urn:uuid:0f9a... suspend
    """
    purpose = StatusPurpose.REVOCATION if action == "revoke" else StatusPurpose.SUSPENSION
    with _node(ctx) as (sessions, ledger, _), sessions() as session:
        version = credentials.change_status(
            session, make_settings(ctx), ledger, credential_id=credential_id,
            purpose=purpose, value=action != "reinstate", now=now(),
        )  # fmt: skip
        ledger.publish()
    click.echo(f"{action}: {credential_id} (status list version {version})")
