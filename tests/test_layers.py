"""The import rules of STYLE.md §2, checked by parsing every module with ``ast``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "tradetrace"

FOUNDATION = {"errors", "types", "config"}
SHELLS = {"api", "web", "cli"}
UPPER = {"storage", "workflows"} | SHELLS
FRAMEWORKS = {"sqlalchemy", "alembic", "fastapi", "starlette", "click", "uvicorn", "jinja2"}
# ``api.app`` is the composition root: it wires the web console into the application it
# builds, and ``cli serve`` runs that application. ``api.witness`` builds the standalone
# witness server that ``cli witness serve`` runs.
COMPOSITION_ROOT = "api.app"
WITNESS_ROOT = "api.witness"


def _layer(module: str) -> str:
    """Top-level part of a ``tradetrace.x.y`` module name (``x``), or ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(relative.parts).removesuffix(".__init__")
        found.append((name, path))
    return found


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module == "tradetrace":
                names.extend(f"tradetrace.{alias.name}" for alias in node.names)
    return names


def _violations(module: str, imported: str) -> str | None:
    layer = _layer(module)
    root = imported.split(".")[0]
    target = _layer(imported) if root == "tradetrace" else None
    if layer in {"errors", "types"}:
        if root == "tradetrace":
            return "foundation modules import nothing from the package"
        return None
    if layer == "config":
        return "config imports nothing from the package" if root == "tradetrace" else None
    if layer in UPPER or layer in {"__init__", "__main__"}:
        if layer in SHELLS and target in SHELLS - {layer}:
            if module.removeprefix("tradetrace.") == COMPOSITION_ROOT and target == "web":
                return None
            if layer == "cli" and imported in {
                f"tradetrace.{COMPOSITION_ROOT}",
                f"tradetrace.{WITNESS_ROOT}",
            }:
                return None
            return f"shell {layer} must not import shell {target}"
        if layer == "storage" and target in {"workflows"} | SHELLS:
            return f"storage must not import {target}"
        if layer == "workflows" and target in SHELLS:
            return f"workflows must not import {target}"
        return None
    # Everything else is domain.
    if root in FRAMEWORKS:
        return f"domain module imports framework {root}"
    if target in UPPER or target == "config":
        return f"domain module imports {target}"
    return None


@pytest.mark.parametrize(("module", "path"), _modules(), ids=lambda value: str(value))
def test_module_respects_layers(module, path):
    problems = [
        f"{imported}: {reason}"
        for imported in _imports(path)
        if (reason := _violations(module, imported)) is not None
    ]
    assert not problems, f"{module}: " + "; ".join(problems)


@pytest.mark.parametrize(
    ("module", "imported", "expected"),
    [
        ("tradetrace.ledger.merkle", "sqlalchemy", "framework"),
        ("tradetrace.ledger.merkle", "tradetrace.storage.tables", "imports storage"),
        ("tradetrace.did.web", "tradetrace.config", "imports config"),
        ("tradetrace.errors", "tradetrace.types", "import nothing"),
        ("tradetrace.storage.engine", "tradetrace.workflows.setup", "must not import"),
        ("tradetrace.workflows.demo", "tradetrace.api", "must not import"),
        ("tradetrace.cli", "tradetrace.web", "must not import shell"),
        ("tradetrace.cli", "tradetrace.api.routes.health", "must not import shell"),
        ("tradetrace.web.views", "tradetrace.api.deps", "must not import shell"),
    ],
)
def test_layer_rules_catch_violations(module, imported, expected):
    reason = _violations(module, imported)
    assert reason is not None and expected in reason
