"""Build the ASGI application from settings: the API, the web console and their resources."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import httpx
from fastapi import FastAPI
from sqlalchemy import Engine

from tradetrace import __version__, storage, web
from tradetrace.api.errors import install_error_handlers
from tradetrace.api.routes import (
    cases,
    guidance,
    health,
    identity,
    interop,
    organisations,
    recordations,
    relief,
    trust,
)
from tradetrace.api.routes import credentials as credential_routes
from tradetrace.api.routes import entries as entry_routes
from tradetrace.api.routes import epcis as epcis_routes
from tradetrace.api.routes import inbox as inbox_routes
from tradetrace.api.routes import ledger as ledger_routes
from tradetrace.config import Settings
from tradetrace.workflows import credentials, outbound, setup

__all__ = ["create_app"]


# A slow witness delays each checkpoint, a slow peer each outbox round, by at most this.
_HTTP_TIMEOUT_SECONDS = 5.0


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    clock: Callable[[], datetime] = _utc_now,
    http: httpx.Client | None = None,
) -> FastAPI:
    """Create the application for ``settings``.

    The database engine is opened (and migrated) here unless one is passed in; it is disposed
    when the application shuts down. ``clock`` is the only source of the current time. ``http``
    reaches the configured witnesses, allowed foreign did:web hosts and the platforms the
    outbox delivers to; without one, a client is made here and closed at shutdown. The outbox
    is retried in the background every ``outbox_retry_interval_seconds``.
    """
    owned = engine is None
    database = engine if engine is not None else setup.open_database(settings)
    owned_http = http is None
    client = http if http is not None else httpx.Client(timeout=_HTTP_TIMEOUT_SECONDS)
    ledger = setup.open_ledger(settings, database, clock=clock, http=client)
    outbox = outbound.OutboxWorker(
        outbound.Dispatcher(database, settings, client, clock=clock),
        interval=settings.outbox_retry_interval_seconds,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        ledger.start()
        outbox.start()
        try:
            yield
        finally:
            outbox.stop()
            ledger.stop()
            if owned_http:
                client.close()
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
    app.state.node_context = credentials.NodeContext(
        settings,
        storage.make_session_factory(database, write=False),
        ledger=ledger,
        clock=clock,
        http=client,
    )
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(organisations.router)
    app.include_router(identity.router)
    app.include_router(trust.router)
    app.include_router(recordations.router)
    app.include_router(credential_routes.router)
    app.include_router(cases.router)
    app.include_router(guidance.router)
    app.include_router(relief.router)
    app.include_router(entry_routes.router)
    app.include_router(inbox_routes.router)
    app.include_router(ledger_routes.router)
    app.include_router(epcis_routes.router)
    interop.include(app, settings)
    web.mount(app)
    return app
