from __future__ import annotations

from dataclasses import dataclass

import pytest

from tradetrace.cli import main


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys, monkeypatch):
    """Run ``tradetrace ARGS`` in-process through the real entry point."""
    for name in ("TRADETRACE_DATA_DIR", "TRADETRACE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)

    def _run(*args: str) -> Result:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run
