"""``tradetrace relief``: relief programs (19 CFR 24.1a), attestations and the deferral ledger.

``relief evaluate`` stores nothing and exits 0 with a verdict either way (an ineligible entry
is an answer, not an error); the other commands work on the node's database.
"""

from __future__ import annotations

import json
from datetime import datetime

import click

from tradetrace import storage
from tradetrace.cli._root import cli, json_option, now, open_engine
from tradetrace.facilitation.cases import Actor, Role
from tradetrace.facilitation.relief import Eligibility, ImporterStatement, ProgramReport
from tradetrace.storage.relief import DocumentReference
from tradetrace.workflows import relief as relief_workflow

__all__ = [
    "relief",
    "relief_attest",
    "relief_entry",
    "relief_evaluate",
    "relief_pay",
    "relief_report",
    "relief_simulate",
    "relief_statement",
]

_DATE = click.DateTime(["%Y-%m-%d"])
_program_option = click.option(
    "--program", default=relief_workflow.DEFAULT_PROGRAM, show_default=True, help="Program id."
)
_operator_option = click.option(
    "--operator", required=True, help="Operator name recorded with what is stored."
)


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    parsed = {}
    for value in values:
        key, separator, amount = value.partition("=")
        if not separator or not key.strip() or not amount.strip():
            raise click.BadParameter(f"expected CODE=AMOUNT, got {value!r}", param_hint=option)
        parsed[key.strip().lower()] = amount.strip()
    return parsed


def _print_eligibility(result: Eligibility, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result.to_json_dict()))
        return
    due = f", due {result.due_date}" if result.due_date else ""
    click.echo(f"{'eligible' if result.eligible else 'not eligible'}{due}")
    for reason in result.reasons:
        click.echo(f"  [{'x' if reason.met else ' '}] {reason.code}: {reason.message}")


def _print_report(report: ProgramReport) -> None:
    click.echo(
        f"{report.program_id}: {report.importers_deferring:,} importers deferred "
        f"${report.total_deferred:,} on {report.entries_deferred:,} of "
        f"{report.entries_evaluated:,} entries ({report.entries_eligible:,} eligible)"
    )
    for title, groups in (("month", report.by_month), ("port", report.by_port)):
        for key, group in groups.items():
            click.echo(f"  {title} {key}: ${group.deferred:,} ({group.entries:,} entries)")


@cli.group()
def relief() -> None:
    """Relief programs: evaluate entries, attestations, the deferral ledger and reports."""


@relief.command("evaluate")
@_program_option
@click.option("--entry-date", type=_DATE, required=True, help="Entry date, YYYY-MM-DD.")
@click.option("--entry-type", required=True, help="CBP entry type code (01, 06, 11, 31 ...).")
@click.option(
    "--excluded-duty",
    "excluded",
    multiple=True,
    type=click.Choice(["ad", "cvd", "201", "232", "301"]),
    help="A trade-remedy duty on a line of the entry (repeatable).",
)
@click.option("--receipts-2019", required=True, help="Gross receipts, comparison period of 2019.")
@click.option("--receipts-2020", required=True, help="Gross receipts, same period of 2020.")
@click.option("--suspended", is_flag=True, help="Operations suspended by government order.")
@click.option(
    "--payment",
    type=click.Choice(["single", "daily", "monthly"]),
    default="single",
    show_default=True,
)
@json_option
def relief_evaluate(
    program: str,
    entry_date: datetime,
    entry_type: str,
    excluded: tuple[str, ...],
    receipts_2019: str,
    receipts_2020: str,
    suspended: bool,
    payment: str,
    as_json: bool,
) -> None:
    """Say whether an entry qualifies, why, and its postponed due date (stores nothing).

    Example: tradetrace relief evaluate --program us-covid-2020 --entry-date 2020-04-16
    --entry-type 01 --receipts-2019 100000 --receipts-2020 40000 --suspended --json
    """
    result = relief_workflow.evaluate(
        program,
        entry_date=entry_date.date(),
        entry_type=entry_type,
        excluded_duties=excluded,
        receipts_2019=receipts_2019,
        receipts_2020=receipts_2020,
        suspended=suspended,
        payment=payment,
    )
    _print_eligibility(result, as_json)


@relief.command("attest")
@_program_option
@click.option("--ior", required=True, help="Importer of record number.")
@click.option("--name", "importer_name", required=True, help="Importer's name.")
@click.option("--period", default="April 2020", show_default=True, help="Comparison period.")
@click.option("--receipts-2019", required=True, help="Gross receipts, comparison period of 2019.")
@click.option("--receipts-2020", required=True, help="Gross receipts, same period of 2020.")
@click.option("--suspended", is_flag=True, help="Operations suspended by government order.")
@click.option("--document", "documents", multiple=True, help="TITLE=REFERENCE of evidence kept.")
@_operator_option
@json_option
@click.pass_context
def relief_attest(
    ctx: click.Context,
    program: str,
    ior: str,
    importer_name: str,
    period: str,
    receipts_2019: str,
    receipts_2020: str,
    suspended: bool,
    documents: tuple[str, ...],
    operator: str,
    as_json: bool,
) -> None:
    """Record an importer's hardship attestation and the evidence it keeps.

    Example: tradetrace relief attest --ior 12-345678900 --name "Acme Imports" --receipts-2019
    100000 --receipts-2020 40000 --suspended --document "April P&L=ledger/2020-04.pdf" --operator o7
    """
    evidence = [DocumentReference(t, r) for t, r in _pairs(documents, "--document").items()]
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        stored = relief_workflow.attest(
            session,
            program_id=program,
            ior=ior,
            importer_name=importer_name,
            receipts_2019=receipts_2019,
            receipts_2020=receipts_2020,
            suspended=suspended,
            comparison_period=period,
            documents=evidence,
            by=Actor(operator, Role.OPERATOR),
            now=now(),
        )
    document = {"id": stored.id, "ior": stored.importer.ior, "program": stored.program_id}
    click.echo(
        json.dumps(document)
        if as_json
        else f"attestation {stored.id} recorded for {stored.importer.ior}"
    )


@relief.command("entry")
@_program_option
@click.argument("entry_number")
@click.option("--ior", required=True, help="Importer of record number.")
@click.option("--port", required=True, help="4-digit CBP port of entry code.")
@click.option("--entry-date", type=_DATE, required=True, help="Entry date, YYYY-MM-DD.")
@click.option("--entry-type", default="01", show_default=True, help="CBP entry type code.")
@click.option("--payment", type=click.Choice(["single", "daily", "monthly"]), default="single")
@click.option("--charge", "charges", multiple=True, help="CODE=AMOUNT: duty, mpf, hmf, 301 ...")
@click.option("--paid", "paid", multiple=True, help="CODE=AMOUNT already paid.")
@_operator_option
@json_option
@click.pass_context
def relief_entry(
    ctx: click.Context,
    program: str,
    entry_number: str,
    ior: str,
    port: str,
    entry_date: datetime,
    entry_type: str,
    payment: str,
    charges: tuple[str, ...],
    paid: tuple[str, ...],
    operator: str,
    as_json: bool,
) -> None:
    """Evaluate an entry on its importer's attestation and add it to the deferral ledger.

    Example: tradetrace relief entry ABC-1234567-8 --ior 12-345678900 --port 2704
    --entry-date 2020-04-16 --charge duty=1200 --charge mpf=41.57 --operator officer-7
    """
    entry = relief_workflow.parse_entry(
        entry_number=entry_number,
        ior=ior,
        port=port,
        entry_date=entry_date.date(),
        entry_type=entry_type,
        payment=payment,
        charges=_pairs(charges, "--charge"),
        paid=_pairs(paid, "--paid"),
    )
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        deferral = relief_workflow.record_entry(
            session, program, entry, by=Actor(operator, Role.OPERATOR), now=now()
        )
    if as_json:
        document = {**deferral.eligibility.to_json_dict(), "deferred": f"{deferral.total_deferred}"}
        click.echo(json.dumps(document))
        return
    click.echo(f"{entry.entry_number}: ${deferral.total_deferred} deferred")
    _print_eligibility(deferral.eligibility, False)


@relief.command("pay")
@_program_option
@click.argument("entry_number")
@click.option("--date", "paid_date", type=_DATE, help="Payment date (default today).")
@_operator_option
@json_option
@click.pass_context
def relief_pay(
    ctx: click.Context,
    program: str,
    entry_number: str,
    paid_date: datetime | None,
    operator: str,
    as_json: bool,
) -> None:
    """Record that an entry's postponed dollars were paid.

    Example: tradetrace relief pay ABC-1234567-8 --date 2020-07-29 --operator officer-7
    """
    day = paid_date.date() if paid_date else now().date()
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        stored = relief_workflow.mark_paid(
            session, program, entry_number, paid_date=day, by=Actor(operator, Role.OPERATOR)
        )
    number, status = stored.deferral.entry.entry_number, stored.payment_status.value
    document = {"entry_number": number, "payment_status": status, "paid_date": day.isoformat()}
    click.echo(json.dumps(document) if as_json else f"{number}: {status} on {day}")


def _statement_json(item: ImporterStatement) -> dict[str, object]:
    lines = [
        {
            "entry_number": line.entry_number,
            "entry_date": line.entry_date.isoformat(),
            "port": line.port,
            "payment": line.payment.value,
            "original_due_date": line.original_due_date.isoformat(),
            "due_date": line.due_date.isoformat(),
            "amount": f"{line.amount}",
        }
        for line in item.lines
    ]
    by_date = {day.isoformat(): f"{amount}" for day, amount in item.by_due_date().items()}
    return {"ior": item.ior, "total": f"{item.total}", "by_due_date": by_date, "lines": lines}


@relief.command("statement")
@_program_option
@click.argument("ior")
@json_option
@click.pass_context
def relief_statement(ctx: click.Context, program: str, ior: str, as_json: bool) -> None:
    """An importer's statement: postponed entries, due dates and amounts.

    Example: tradetrace relief statement 12-345678900 --json
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        item = relief_workflow.statement(session, program, ior)
    if as_json:
        click.echo(json.dumps(_statement_json(item)))
        return
    click.echo(f"{item.ior}: ${item.total:,} postponed")
    for day, amount in item.by_due_date().items():
        click.echo(f"  due {day}: ${amount:,}")


@relief.command("report")
@_program_option
@json_option
@click.pass_context
def relief_report(ctx: click.Context, program: str, as_json: bool) -> None:
    """The program report: importers, entries and dollars deferred, by month and port.

    Example: tradetrace relief report --json
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        report = relief_workflow.program_report(session, program)
    if as_json:
        click.echo(json.dumps(report.to_json_dict()))
    else:
        _print_report(report)


@relief.command("simulate")
@_program_option
@click.option("--seed", type=int, required=True, help="Seed of the generated population.")
@click.option("--importers", type=click.IntRange(1, 100_000), default=3000, show_default=True)
@click.option("--entries", type=click.IntRange(1, 1_000_000), default=30000, show_default=True)
@click.option("--operator", default="simulation", show_default=True, help="Recorded as author.")
@json_option
@click.pass_context
def relief_simulate(
    ctx: click.Context,
    program: str,
    seed: int,
    importers: int,
    entries: int,
    operator: str,
    as_json: bool,
) -> None:
    """Run a generated population through a program into an empty ledger; check the report.

    Exits 1 when the report from the ledger is not consistent.
    Example: tradetrace relief simulate --seed 7 --importers 3000 --entries 30000
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        result = relief_workflow.simulate(
            session,
            program_id=program,
            seed=seed,
            importers=importers,
            entries=entries,
            by=Actor(operator, Role.OPERATOR),
            now=now(),
        )
    if as_json:
        document = {"report": result.report.to_json_dict(), "problems": list(result.problems)}
        click.echo(json.dumps(document))
    else:
        _print_report(result.report)
        for problem in result.problems:
            click.echo(f"inconsistent: {problem}", err=True)
    if result.problems:
        ctx.exit(1)
