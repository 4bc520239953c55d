"""Generate the reference pages docs/configuration.md and docs/cli.md from the code.

Run ``python scripts/gendocs.py`` after changing a setting or a command; the test suite fails
when the committed pages differ from what this produces.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tradetrace.cli import cli
from tradetrace.config import Settings

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


PAGES = {"docs/configuration.md": configuration_page, "docs/cli.md": cli_page}


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
