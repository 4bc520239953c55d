"""Helpers for the case-desk tests: operator tokens, a clock the test moves, an app client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tradetrace.api import create_app
from tradetrace.config import Settings

INQUIRIES = Path(__file__).parents[1] / "assets" / "inquiries"
OPERATOR_TOKEN = "operator-token-officer-7"
OTHER_OPERATOR_TOKEN = "operator-token-officer-9"
OPERATORS = {"officer-7": OPERATOR_TOKEN, "officer-9": OTHER_OPERATOR_TOKEN}
OPERATOR = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}


def inquiry(name: str, **overrides: object) -> dict[str, object]:
    """The inquiry ``tests/assets/inquiries/<name>.json``, top-level fields replaced."""
    data: dict[str, object] = json.loads((INQUIRIES / f"{name}.json").read_text())
    data.update(overrides)
    return data


def bearer(token: str) -> dict[str, str]:
    """An ``Authorization`` header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


class Clock:
    """A clock the test sets and advances."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@contextmanager
def desk_client(settings: Settings, engine: Engine, clock: Clock) -> Iterator[TestClient]:
    """The application with the test operators configured, on ``engine``, at ``clock``."""
    configured = Settings(
        data_dir=settings.data_dir, database_url=settings.database_url, operator_tokens=OPERATORS
    )
    with TestClient(create_app(configured, engine=engine, clock=clock)) as client:
        yield client
