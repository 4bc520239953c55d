"""Build the ASGI application from settings: the API, the web console and their resources."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy import Engine

from tradetrace import __version__, storage, web
from tradetrace.api.errors import install_error_handlers
from tradetrace.api.routes import health, organisations
from tradetrace.api.routes import ledger as ledger_routes
from tradetrace.config import Settings
from tradetrace.workflows import setup

__all__ = ["create_app"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    clock: Callable[[], datetime] = _utc_now,
) -> FastAPI:
    """Create the application for ``settings``.

    The database engine is opened (and migrated) here unless one is passed in; it is disposed
    when the application shuts down. ``clock`` is the only source of the current time.
    """
    owned = engine is None
    database = engine if engine is not None else setup.open_database(settings)
    ledger = setup.open_ledger(settings, database, clock=clock)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        ledger.start()
        try:
            yield
        finally:
            ledger.stop()
            if owned:
                database.dispose()

    app = FastAPI(
        title="tradetrace",
        version=__version__,
        summary="Verifiable proof of origin, licence and custody for customs clearance.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = database
    app.state.session_factory = storage.make_session_factory(database)
    app.state.clock = clock
    app.state.ledger = ledger
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(organisations.router)
    app.include_router(ledger_routes.router)
    web.mount(app)
    return app
