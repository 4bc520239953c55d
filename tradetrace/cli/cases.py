"""``tradetrace case``: the cargo-resolution desk from the command line.

The CLI works on the database directly, so whoever runs it is trusted as an operator; commands
that change a case name that operator with ``--operator``, which the timeline records.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click

from tradetrace import storage
from tradetrace.cli._root import cli, json_option, now, open_engine
from tradetrace.facilitation.cases import (
    Actor,
    Case,
    Resolution,
    Role,
    Triage,
    answer_case,
    assign_case,
    close_case,
    escalate_case,
    link_entry,
    request_information,
)
from tradetrace.workflows import cases

__all__ = [
    "case",
    "case_assign",
    "case_close",
    "case_escalate",
    "case_link",
    "case_list",
    "case_reply",
    "case_request_info",
    "case_show",
    "triage_rules",
    "triage_rules_load",
    "triage_rules_show",
]

_operator_option = click.option(
    "--operator", "operator", required=True, help="Operator name recorded on the timeline."
)


def _summary(case: Case, triage: Triage) -> dict[str, object]:
    return {
        "number": case.id,
        "state": case.state.value,
        "category": case.inquiry.category.value,
        "subject": case.inquiry.subject,
        "received_at": case.received_at.isoformat(),
        "assignee": case.assignee,
        "priority": triage.priority.value,
        "due_by": triage.due_by.isoformat(),
        "overdue": triage.overdue,
    }


def _document(case: Case, triage: Triage) -> dict[str, object]:
    history = [
        {
            "action": e.action.value,
            "actor": e.actor.id,
            "role": e.actor.role.value,
            "at": e.at.isoformat(),
            "from_state": e.from_state.value if e.from_state else None,
            "to_state": e.to_state.value,
            "note": e.note,
        }
        for e in case.history
    ]
    return {
        **_summary(case, triage),
        "resolution": case.resolution.value if case.resolution else None,
        "linked_entries": list(case.linked_entries),
        "reasons": [{"rule_id": m.rule_id, "points": m.points} for m in triage.matches],
        "inquiry": case.inquiry.model_dump(mode="json", exclude_none=True),
        "history": history,
    }


def _print_case(case: Case, triage: Triage, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(_document(case, triage)))
        return
    click.echo(
        f"{case.id}  {triage.priority.value.upper()}  {case.state.value}  {case.inquiry.subject}"
    )
    click.echo(
        f"  due by {triage.due_by:%Y-%m-%d %H:%M} UTC{' (overdue)' if triage.overdue else ''}"
    )
    for event in case.history:
        note = f": {event.note}" if event.note else ""
        click.echo(f"  {event.at:%Y-%m-%d %H:%M}  {event.actor.id}  {event.action.value}{note}")


def _change(ctx: click.Context, number: str, as_json: bool, step: Callable[[Case], Case]) -> None:
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        changed = cases.change_case(session, number, step)
        triage = cases.triage_of(changed, cases.current_policy(session), now())
    _print_case(changed, triage, as_json)


@cli.group()
def case() -> None:
    """The cargo-resolution desk: the queue, cases and triage rules."""


@case.command("list")
@click.option("--all", "show_all", is_flag=True, help="Every case, newest first, not the queue.")
@click.option("--assignee", help="Only cases assigned to this operator.")
@json_option
@click.pass_context
def case_list(ctx: click.Context, show_all: bool, assignee: str | None, as_json: bool) -> None:
    """List the queue, most urgent first (or every case with --all).

    Example: tradetrace case list --json
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        if show_all:
            entries = cases.list_cases(session, now=now())
        else:
            entries = cases.queue(session, now=now(), assignee=assignee)
    rows = [_summary(entry.case, entry.triage) for entry in entries]
    if as_json:
        click.echo(json.dumps(rows))
        return
    for row in rows:
        late = "  OVERDUE" if row["overdue"] else ""
        priority = str(row["priority"]).upper()
        click.echo(f"{row['number']}  {priority}  {row['state']}  {row['subject']}{late}")


@case.command("show")
@click.argument("number")
@json_option
@click.pass_context
def case_show(ctx: click.Context, number: str, as_json: bool) -> None:
    """Show a case with its triage and timeline.

    Example: tradetrace case show CRT-2020-000001
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        found = cases.get_case(session, number, actor=Actor("cli", Role.OPERATOR))
        triage = cases.triage_of(found, cases.current_policy(session), now())
    _print_case(found, triage, as_json)


@case.command("reply")
@click.argument("number")
@click.argument("message")
@_operator_option
@json_option
@click.pass_context
def case_reply(ctx: click.Context, number: str, message: str, operator: str, as_json: bool) -> None:
    """Answer the requester (they see it on their status page).

    Example: tradetrace case reply CRT-2020-000001 "Released by FDA." --operator officer-7
    """
    actor = Actor(operator, Role.OPERATOR)
    _change(ctx, number, as_json, lambda c: answer_case(c, actor=actor, message=message, now=now()))


@case.command("request-info")
@click.argument("number")
@click.argument("message")
@_operator_option
@json_option
@click.pass_context
def case_request_info(
    ctx: click.Context, number: str, message: str, operator: str, as_json: bool
) -> None:
    """Ask the requester for more information.

    Example: tradetrace case request-info CRT-2020-000001 "Send the FDA code." --operator officer-7
    """
    actor = Actor(operator, Role.OPERATOR)
    _change(
        ctx,
        number,
        as_json,
        lambda c: request_information(c, actor=actor, message=message, now=now()),
    )


@case.command("assign")
@click.argument("number")
@click.option("--to", "assignee", help="Operator to assign (default: --operator).")
@_operator_option
@json_option
@click.pass_context
def case_assign(
    ctx: click.Context, number: str, assignee: str | None, operator: str, as_json: bool
) -> None:
    """Assign a case.

    Example: tradetrace case assign CRT-2020-000001 --operator officer-7
    """
    actor = Actor(operator, Role.OPERATOR)
    who = assignee or operator
    _change(ctx, number, as_json, lambda c: assign_case(c, actor=actor, assignee=who, now=now()))


@case.command("escalate")
@click.argument("number")
@click.argument("reason")
@_operator_option
@json_option
@click.pass_context
def case_escalate(
    ctx: click.Context, number: str, reason: str, operator: str, as_json: bool
) -> None:
    """Escalate to a port or partner agency.

    Example: tradetrace case escalate CRT-2020-000001 "FDA review at ORD" --operator officer-7
    """
    actor = Actor(operator, Role.OPERATOR)
    _change(ctx, number, as_json, lambda c: escalate_case(c, actor=actor, reason=reason, now=now()))


@case.command("link")
@click.argument("number")
@click.argument("entry_number")
@_operator_option
@json_option
@click.pass_context
def case_link(
    ctx: click.Context, number: str, entry_number: str, operator: str, as_json: bool
) -> None:
    """Link a case to a CBP entry number.

    Example: tradetrace case link CRT-2020-000001 ABC-1234567-8 --operator officer-7
    """
    actor = Actor(operator, Role.OPERATOR)
    _change(
        ctx,
        number,
        as_json,
        lambda c: link_entry(c, actor=actor, entry_number=entry_number, now=now()),
    )


@case.command("close")
@click.argument("number")
@click.option(
    "--resolution", type=click.Choice([r.value for r in Resolution]), required=True, help="Outcome."
)
@click.option("--note", default="", help="Internal closing note.")
@_operator_option
@json_option
@click.pass_context
def case_close(
    ctx: click.Context, number: str, resolution: str, note: str, operator: str, as_json: bool
) -> None:
    """Close a case with a resolution code.

    Example: tradetrace case close CRT-2020-000001 --resolution released --operator officer-7
    """
    actor = Actor(operator, Role.OPERATOR)
    code = Resolution(resolution)
    _change(
        ctx,
        number,
        as_json,
        lambda c: close_case(c, actor=actor, resolution=code, note=note, now=now()),
    )


@case.group("triage-rules")
def triage_rules() -> None:
    """The triage rules operators edit: show the rules in force, load a new version."""


@triage_rules.command("show")
@json_option
@click.pass_context
def triage_rules_show(ctx: click.Context, as_json: bool) -> None:
    """Show the triage rules in force and who stored them.

    Example: tradetrace case triage-rules show --json
    """
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        stored, policy = cases.triage_rules(session)
    document = {
        "revision": stored.revision if stored else None,
        "changed_by": stored.changed_by if stored else None,
        "changed_at": stored.changed_at.isoformat() if stored else None,
        "rules": policy.rules.model_dump(mode="json"),
    }
    click.echo(json.dumps(document, indent=None if as_json else 2))


@triage_rules.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_operator_option
@json_option
@click.pass_context
def triage_rules_load(ctx: click.Context, path: Path, operator: str, as_json: bool) -> None:
    """Validate a triage rules JSON file and store it as the rules in force.

    Example: tradetrace case triage-rules load rules.json --operator officer-7
    """
    actor = Actor(operator, Role.OPERATOR)
    with open_engine(ctx) as engine, storage.make_session_factory(engine)() as session:
        stored = cases.set_triage_rules(session, path.read_bytes(), by=actor, now=now())
    document = {
        "revision": stored.revision,
        "version": stored.rules_version,
        "changed_by": operator,
    }
    click.echo(
        json.dumps(document) if as_json else f"triage rules revision {stored.revision} in force"
    )
