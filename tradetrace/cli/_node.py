"""The node's verification context for commands, as the server builds it."""

from __future__ import annotations

from typing import Final

import click
import httpx
from sqlalchemy import Engine

from tradetrace import storage
from tradetrace.cli._root import now
from tradetrace.config import Settings
from tradetrace.workflows import credentials
from tradetrace.workflows.ledger import LedgerService

__all__ = ["node_context"]

_HTTP_TIMEOUT_SECONDS: Final = 5.0  # as the server's


def node_context(
    settings: Settings, engine: Engine, ledger: LedgerService | None
) -> credentials.NodeContext:
    """The node's context over ``engine``: its organisations' did:web from the database and,
    when ``did_web_allow_hosts`` names any, an HTTP client for the foreign did:web documents
    and status lists of those hosts (closed when the command ends), as ``serve`` has."""
    http = None
    if settings.did_web_allow_hosts:
        http = httpx.Client(timeout=_HTTP_TIMEOUT_SECONDS)
        click.get_current_context().call_on_close(http.close)
    readers = storage.make_session_factory(engine, write=False)
    return credentials.NodeContext(settings, readers, ledger=ledger, clock=now, http=http)
