"""``tradetrace guidance``: the public guidance page's questions and answers."""

from __future__ import annotations

import json
from datetime import datetime

import click

from tradetrace import storage
from tradetrace.cli._root import cli, json_option, now, open_engine
from tradetrace.facilitation.cases import Actor, Role
from tradetrace.facilitation.guidance import GuidanceEntry
from tradetrace.workflows import guidance as guidance_workflow

__all__ = ["guidance", "guidance_list", "guidance_set"]


def _entry_json(entry: GuidanceEntry) -> dict[str, object]:
    return {
        "slug": entry.slug,
        "question": entry.question,
        "answer": entry.answer,
        "category": entry.category.value if entry.category else None,
        "last_reviewed": entry.last_reviewed_date.isoformat(),
        "case_numbers": list(entry.case_numbers),
        "updated_by": entry.updated_by,
    }


@cli.group()
def guidance() -> None:
    """The guidance page: questions and answers operators keep reviewed."""


@guidance.command("list")
@click.option("--search", "query", default="", help="Words that must all appear.")
@json_option
@click.pass_context
def guidance_list(ctx: click.Context, query: str, as_json: bool) -> None:
    """List the guidance entries (or those matching --search).

    Example: tradetrace guidance list --search masks
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        entries = guidance_workflow.list_guidance(session, query=query)
    if as_json:
        click.echo(json.dumps([_entry_json(entry) for entry in entries]))
        return
    for entry in entries:
        click.echo(f"{entry.slug}  (reviewed {entry.last_reviewed_date})  {entry.question}")


@guidance.command("set")
@click.argument("slug")
@click.option("--question", required=True, help="The question.")
@click.option("--answer", required=True, help="The answer.")
@click.option("--category", help="Portal category the entry belongs to.")
@click.option("--reviewed", type=click.DateTime(["%Y-%m-%d"]), help="Review date (default today).")
@click.option("--case", "case_numbers", multiple=True, help="Case number the answer links to.")
@click.option("--operator", required=True, help="Operator name recorded as the editor.")
@json_option
@click.pass_context
def guidance_set(
    ctx: click.Context,
    slug: str,
    question: str,
    answer: str,
    category: str | None,
    reviewed: datetime | None,
    case_numbers: tuple[str, ...],
    operator: str,
    as_json: bool,
) -> None:
    """Create or replace a guidance entry.

    Example: tradetrace guidance set face-masks --question "How are masks classified?"
    --answer "Subheading 6307.90." --case CRT-2020-000003 --operator officer-7
    """
    day = (reviewed or now()).date().isoformat()
    data = {
        "slug": slug,
        "question": question,
        "answer": answer,
        "category": category,
        "last_reviewed": day,
        "case_numbers": list(case_numbers),
    }
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        entry = guidance_workflow.save_guidance(
            session, data, by=Actor(operator, Role.OPERATOR), now=now()
        )
    click.echo(json.dumps(_entry_json(entry)) if as_json else f"guidance {entry.slug} saved")
