"""The generated reference pages match the code, and every CLI command is documented."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _gendocs():
    spec = importlib.util.spec_from_file_location("gendocs", ROOT / "scripts" / "gendocs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("page", ["docs/configuration.md", "docs/cli.md", "docs/reason-codes.md"])
def test_generated_page_is_current(page):
    render = _gendocs().PAGES[page]
    assert (ROOT / page).read_text() == render(), f"{page} is stale: run scripts/gendocs.py"


def test_every_command_has_an_example_in_its_help():
    gendocs = _gendocs()
    for path, command in gendocs._walk(gendocs.cli, ["tradetrace"]):
        if hasattr(command, "commands"):
            continue
        assert "Example:" in (command.help or ""), f"{' '.join(path)} has no example"


def test_readme_names_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    assert "scripts/run" in readme
    assert "scripts/test" in readme
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text()
