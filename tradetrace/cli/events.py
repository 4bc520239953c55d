"""``tradetrace events``: validate, hash, capture and query EPCIS 2.0 documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing, contextmanager
from functools import partial
from typing import IO, Any

import click

from tradetrace.cli._root import cli, json_option, make_settings, now, open_engine
from tradetrace.errors import FieldProblem, InvalidDocument, TradeTraceError
from tradetrace.events.stored import CaptureJob, job_errors
from tradetrace.storage.events import EventRepository
from tradetrace.types import Did
from tradetrace.workflows import capture, capture_pipeline, event_query, setup
from tradetrace.workflows.identity import organisation_did
from tradetrace.workflows.ledger import LedgerService

__all__ = ["events", "events_capture", "events_hash", "events_query", "events_validate", "node"]

_FILE = click.File("rb")


@contextmanager
def node(ctx: click.Context) -> Iterator[tuple[EventRepository, LedgerService]]:
    """The node's event repository and ledger, for one command."""
    with open_engine(ctx) as engine:
        yield EventRepository(engine), setup.open_ledger(make_settings(ctx), engine, clock=now)


def _problem_lines(problems: list[dict[str, Any]]) -> list[str]:
    return [
        f"event {item['event_index']}: {item['field']}: {item['reason']}"
        if item["event_index"] is not None
        else f"{item['field']}: {item['reason']}"
        for item in problems
    ]


def _problems(file: IO[bytes]) -> list[FieldProblem]:
    try:
        return capture.validate_document(capture.read_json(file.read()))
    except InvalidDocument as exc:
        return list(exc.problems)


@cli.group()
def events() -> None:
    """EPCIS 2.0 supply-chain events: validate, hash, capture, query and trace them."""


@events.command("validate")
@click.argument("file", type=_FILE)
@json_option
@click.pass_context
def events_validate(ctx: click.Context, file: IO[bytes], as_json: bool) -> None:
    """Validate an EPCIS 2.0 document without storing it; exit 1 listing every problem.

    Example: tradetrace events validate shipment.jsonld --json
    """
    problems = [
        {"event_index": e["event_index"], "field": e["field"], "reason": e["reason"]}
        for e in job_errors(_problems(file))
    ]
    if as_json:
        click.echo(json.dumps({"valid": not problems, "problems": problems}))
    else:
        click.echo("\n".join(_problem_lines(problems)) if problems else "valid")
    if problems:
        ctx.exit(1)


@events.command("hash")
@click.argument("file", type=_FILE)
def events_hash(file: IO[bytes]) -> None:
    """Print the CBV 2.0 Event Hash ID of every event, one per line, in document order.

    Example: tradetrace events hash shipment.jsonld
    """
    for hash_id in capture.document_hash_ids(capture.read_json(file.read())):
        click.echo(hash_id)


def _read(path: str) -> bytes:
    with click.open_file(path, "rb") as handle:
        data: bytes = handle.read()
    return data


def _job_lines(job: CaptureJob) -> list[str]:
    if job.success:
        return [
            f"captured {job.captured_count} events ({job.duplicate_count} duplicates)"
            f" as capture {job.capture_id}"
        ]
    return _problem_lines([dict(error) for error in job.errors])


@events.command("capture")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True)
)
@click.option("--submitter", help="DID of the capturing party; default the node's DID.")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Worker processes that prepare documents when several files are given; 0 captures "
    "in this process. Env: TRADETRACE_CAPTURE_WORKERS (default one per CPU, at most 4).",
)
@json_option
@click.pass_context
def events_capture(
    ctx: click.Context,
    files: tuple[str, ...],
    submitter: str | None,
    workers: int | None,
    as_json: bool,
) -> None:
    """Validate, store and log EPCIS documents, each whole or not at all; exit 1 if one is
    rejected.

    One file is captured in this process. Several are captured in order, prepared by worker
    processes while this process stores them (--workers); each line of output names its file,
    and --json prints an array of the capture jobs. A file that is not JSON stops the run: the
    files before it are captured.

    Example: tradetrace events capture shipment.jsonld --submitter did:web:mill.example
    """
    settings = make_settings(ctx, capture_workers=workers)
    did = Did(submitter or organisation_did(settings, "", root=True))
    if len(files) == 1:
        data = capture.read_json(_read(files[0]))
        with node(ctx) as (repository, ledger):
            job = capture.capture_document(repository, ledger, data, submitter=did, now=now())
        if as_json:
            click.echo(json.dumps(job.to_json()))
        else:
            click.echo("\n".join(_job_lines(job)))
        if not job.success:
            ctx.exit(1)
        return
    jobs: list[CaptureJob] = []
    stream = partial(
        capture_pipeline.capture_stream,
        documents=(_read(path) for path in files),
        workers=settings.effective_capture_workers,
        submitter=did,
        clock=now,
    )
    with node(ctx) as (repository, ledger), closing(stream(repository, ledger)) as captured:
        try:
            for path, job in zip(files, captured, strict=False):
                jobs.append(job)
                if not as_json:
                    click.echo("\n".join(f"{path}: {line}" for line in _job_lines(job)))
        except TradeTraceError:
            click.echo(f"{files[len(jobs)]}: not captured, nor the files after it", err=True)
            raise
    if as_json:
        click.echo(json.dumps([job.to_json() for job in jobs]))
    if not all(job.success for job in jobs):
        ctx.exit(1)


@events.command("query")
@click.argument("parameters", nargs=-1)
@click.pass_context
def events_query(ctx: click.Context, parameters: tuple[str, ...]) -> None:
    """Query captured events with EPCIS 2.0 query parameters (NAME=VALUE); print JSON-LD.

    Example: tradetrace events query eventType=ObjectEvent EQ_bizStep=shipping perPage=10
    """
    params: dict[str, list[str]] = {}
    for item in parameters:
        name, equals, value = item.partition("=")
        if not equals:
            raise click.UsageError(f"expected NAME=VALUE, got {item!r}")
        params.setdefault(name, []).append(value)
    with open_engine(ctx) as engine:
        page = event_query.query_events(EventRepository(engine), params, now=now())
    click.echo(json.dumps(page.document))
