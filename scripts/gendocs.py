"""Generate the reference pages docs/configuration.md and docs/cli.md from the code.

Run ``python scripts/gendocs.py`` after changing a setting or a command; the test suite fails
when the committed pages differ from what this produces.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import click

from tradetrace.cli import cli
from tradetrace.config import Settings
from tradetrace.credentials.reason_codes import DECISION_CODES, REASON_CODES
from tradetrace.credentials.report import DECIDING_CHECKS, CheckId, CheckStatus

ROOT = Path(__file__).resolve().parents[1]


def configuration_page() -> str:
    """Markdown table of every setting, its variable, type, default and description."""
    lines = [
        "# Configuration",
        "",
        "Settings come from `TRADETRACE_*` environment variables, or from the global CLI options",
        "`--data-dir` and `--db`, which win over the environment. A bad value stops start-up with",
        "one line naming the setting, and exit code 2.",
        "",
        "| variable | type | default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for name, field in Settings.model_fields.items():
        annotation = getattr(field.annotation, "__name__", None) or str(field.annotation)
        annotation = annotation.replace("typing.", "").replace("|", "or")
        default = "unset" if field.default is None else f"`{field.default}`"
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `TRADETRACE_{name.upper()}` | {annotation} | {default} | {description} |")
    return "\n".join(lines) + "\n"


def _walk(command: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            found.extend(_walk(command.commands[name], [*path, name]))
    return found


def cli_page() -> str:
    """Every command's ``--help`` text, in command order."""
    lines = ["# Command line reference", "", "Generated from `tradetrace … --help`.", ""]
    for path, command in _walk(cli, ["tradetrace"]):
        with click.Context(
            command, info_name=" ".join(path), terminal_width=88, max_content_width=88
        ) as ctx:
            help_text = command.get_help(ctx)
        lines += [f"## `{' '.join(path)}`", "", "```text", help_text, "```", ""]
    return "\n".join(lines)


def reason_codes_page() -> str:
    """The checks of a verification report, their statuses, and every reason code."""

    def listed(values: list[str]) -> str:
        return ", ".join(f"`{value}`" for value in values)

    introduction = (
        "Every verification (`tradetrace credential verify --json`, "
        "`POST /api/credentials/verify`, the console's `/verify`) reports a list of named "
        f"checks, in this order: {listed([check.value for check in CheckId])}. Each has a "
        f"status ({listed([status.value for status in CheckStatus])}), a stable reason code "
        "from the tables below, and a message for people. `verified` is decided by "
        f"{listed([check.value for check in CheckId if check in DECIDING_CHECKS])}; `schema`, "
        "`trust` and `ledger` are reported and decide only when the caller requires them "
        "(`--trusted-only`, the customs rules). A code never changes meaning."
    )
    lines = [
        "# Verification reason codes",
        "",
        "Generated from `tradetrace/credentials/reason_codes.py`.",
        "",
        textwrap.fill(introduction, width=96, break_on_hyphens=False, break_long_words=False),
        "",
        "| code | meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{code}` | {meaning} |" for code, meaning in REASON_CODES.items()]
    lines += [
        "",
        "## Trust and ledger",
        "",
        "A node's verifier asks its trust registry and its log; their answers are the codes of",
        "the `trust` and `ledger` checks:",
        "",
        "| code | meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{code}` | {meaning} |" for code, meaning in DECISION_CODES.items()]
    return "\n".join(lines) + "\n"


PAGES = {
    "docs/configuration.md": configuration_page,
    "docs/cli.md": cli_page,
    "docs/reason-codes.md": reason_codes_page,
}


def main() -> int:
    """Write every generated page; with ``--check`` only report stale ones."""
    check = "--check" in sys.argv[1:]
    stale = []
    for relative, render in PAGES.items():
        path = ROOT / relative
        content = render()
        if path.exists() and path.read_text() == content:
            continue
        stale.append(relative)
        if not check:
            path.write_text(content)
    for relative in stale:
        print(("stale: " if check else "wrote: ") + relative)  # noqa: T201
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
