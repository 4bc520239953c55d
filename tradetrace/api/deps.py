"""Dependencies routes receive: settings, a database session, the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from tradetrace.config import Settings
from tradetrace.workflows.ledger import LedgerService

__all__ = ["ClockDep", "LedgerDep", "SessionDep", "SettingsDep", "get_session"]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, closed (and rolled back if uncommitted) afterwards."""
    with request.app.state.session_factory() as session:
        yield session


def _clock(request: Request) -> Callable[[], datetime]:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock


def _ledger(request: Request) -> LedgerService:
    ledger: LedgerService = request.app.state.ledger
    return ledger


SettingsDep = Annotated[Settings, Depends(_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
ClockDep = Annotated[Callable[[], datetime], Depends(_clock)]
LedgerDep = Annotated[LedgerService, Depends(_ledger)]
