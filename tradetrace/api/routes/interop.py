"""The Traceability Interop API of this node (w3c-ccg/traceability-interop; standards.md §2):
its routers under the configured path prefix, the OAuth token endpoint, and the token service.

:func:`include` is the one call :func:`~tradetrace.api.app.create_app` makes. The did:web
documents this node serves advertise ``PUBLIC_URL + interop_path_prefix`` as their
``TraceabilityAPI`` service (:func:`tradetrace.workflows.interop.traceability_service`).
"""

from __future__ import annotations

from fastapi import FastAPI

from tradetrace.api.routes import (
    interop_credentials,
    interop_oauth,
    interop_presentations,
    interop_status,
)
from tradetrace.config import Settings
from tradetrace.workflows.oauth import TokenService

__all__ = ["include"]


def include(app: FastAPI, settings: Settings) -> None:
    """Add the interop API to ``app``: the token service (``app.state.token_service``),
    ``/oauth/token``, ``/status/{id}/publish`` and the endpoints under the prefix.

    Raises:
        errors.ConfigurationError: the token key or an external issuer's JWKS is unusable.
    """
    app.state.token_service = TokenService(settings, clock=app.state.clock)
    app.include_router(interop_oauth.router)
    app.include_router(interop_status.router)  # beside GET /status/{id}, outside the prefix
    prefix = settings.interop_path_prefix
    app.include_router(interop_credentials.router, prefix=prefix)
    app.include_router(interop_presentations.router, prefix=prefix)
