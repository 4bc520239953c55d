"""``tradetrace events trace|profile-check|fsma-export``: traces, profiles, FSMA 204 sheets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from tradetrace.cli._root import json_option, make_settings, now, open_engine
from tradetrace.cli.events import events
from tradetrace.events import profiles
from tradetrace.events.trace import Direction
from tradetrace.workflows import fsma_export, setup
from tradetrace.workflows import trace as trace_workflow

__all__ = ["events_fsma_export", "events_profile_check", "events_trace"]

_DATE = click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"])


@events.command("trace")
@click.argument("identifier")
@click.option(
    "--direction",
    type=click.Choice([d.value for d in Direction]),
    default="backward",
    help="backward: to the origin; forward: everywhere it went (recall).",
)
@json_option
@click.pass_context
def events_trace(ctx: click.Context, identifier: str, direction: str, as_json: bool) -> None:
    """Trace an identifier through captured events; exit 1 if the trace has faults.

    Example: tradetrace events trace urn:epc:class:lgtin:4012345.012345.COIL-7 --json
    """
    with open_engine(ctx) as engine:
        ledger = setup.open_ledger(make_settings(ctx), engine, clock=now)
        report = trace_workflow.trace_identifier(
            engine, ledger, identifier, direction=Direction(direction)
        )
    if as_json:
        click.echo(json.dumps(report.to_json()))
    else:
        for event in report.graph.events:
            click.echo(
                f"{event.event_time:%Y-%m-%d %H:%M}  {event.event_type:<20} "
                f"{event.biz_step or '-':<14} {event.place or '-'}  [{event.ledger_index}]"
            )
        for finding in report.findings:
            click.echo(f"FAULT {finding.kind.value}: {finding.message} ({finding.event})")
    if report.findings:
        ctx.exit(1)


@events.command("profile-check")
@click.argument("identifier")
@click.option("--domain", type=click.Choice([d.value for d in profiles.Domain]), required=True)
@json_option
@click.pass_context
def events_profile_check(ctx: click.Context, identifier: str, domain: str, as_json: bool) -> None:
    """Check that a trace back to origin has all its domain needs; exit 1 listing gaps.

    Example: tradetrace events profile-check urn:epc:class:lgtin:4012345.012345.C7 --domain steel
    """
    with open_engine(ctx) as engine:
        ledger = setup.open_ledger(make_settings(ctx), engine, clock=now)
        _, report = trace_workflow.check_trace_profile(
            engine, ledger, identifier, profiles.Domain(domain)
        )
    gaps = [
        {"requirement": g.requirement, "subject": g.subject, "message": g.message}
        for g in report.gaps
    ]
    if as_json:
        click.echo(json.dumps({"domain": domain, "complete": report.complete, "gaps": gaps}))
    else:
        click.echo(f"{domain}: {'complete' if report.complete else 'incomplete'}")
        for gap in gaps:
            click.echo(f"  missing {gap['requirement']}: {gap['message']} ({gap['subject']})")
    if not report.complete:
        ctx.exit(1)


@events.command("fsma-export")
@click.option("--product", required=True, help="GTIN or traceability lot code (LGTIN).")
@click.option("--from", "start", type=_DATE, required=True, help="First day (UTC).")
@click.option("--until", "end", type=_DATE, required=True, help="Day after the last (UTC).")
@click.option("--format", "sheet_format", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.pass_context
def events_fsma_export(
    ctx: click.Context,
    product: str,
    start: datetime,
    end: datetime,
    sheet_format: str,
    output: Path,
) -> None:
    """Write the FSMA 204 sortable spreadsheet (CSV or XLSX) of a product and date range.

    Example: tradetrace events fsma-export --product 00614141123452 --from 2026-11-01
    --until 2026-12-01 --format xlsx --output lettuce.xlsx
    """
    with open_engine(ctx) as engine:
        data = fsma_export.export_sheet(
            engine,
            product=product,
            start=start.replace(tzinfo=UTC),
            end=end.replace(tzinfo=UTC),
            format=fsma_export.SheetFormat(sheet_format),
        )
    output.write_bytes(data)
    click.echo(f"wrote {output}")
