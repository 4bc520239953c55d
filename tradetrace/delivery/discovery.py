"""Discovery of a platform's interop endpoint from its DID document (Traceability Interop
``TraceabilityAPIDIDWebDocument``; standards.md §2.2).

A platform's did:web document lists a service whose ``type`` includes ``TraceabilityAPI``; its
``serviceEndpoint`` is the base URL of the interop API (``{endpoint}/presentations``, ...). The
conformance suite takes the first such service, and so do we.
"""

from __future__ import annotations

import urllib.parse
from typing import Final

from tradetrace import did, errors

__all__ = ["SERVICE_TYPE", "default_token_endpoint", "traceability_endpoint"]

SERVICE_TYPE: Final = "TraceabilityAPI"
"""The service type of the interop endpoint in a DID document (standards.md §2.2)."""

_TOKEN_PATH: Final = "/oauth/token"  # noqa: S105 - a path, not a secret


def _checked_url(value: str, what: str) -> str:
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or "@" in parts.netloc:
        raise errors.ResolutionError(f"{what} is not a plain http(s) URL: {value[:200]!r}")
    if parts.query or parts.fragment:
        raise errors.ResolutionError(f"{what} has a query or fragment: {value[:200]!r}")
    return value.rstrip("/")


def traceability_endpoint(document: did.DidDocument) -> str:
    """The ``serviceEndpoint`` of the first ``TraceabilityAPI`` service of ``document``,
    without a trailing slash (DID Core §5.4).

    Raises:
        errors.ResolutionError: no such service, or its endpoint is not an http(s) URL string.
    """
    for service in document.service:
        types = (service.type,) if isinstance(service.type, str) else service.type
        if SERVICE_TYPE in types:
            if not isinstance(service.service_endpoint, str):
                raise errors.ResolutionError(
                    f"the {SERVICE_TYPE} service of {document.id} has no URL endpoint"
                )
            return _checked_url(service.service_endpoint, f"{SERVICE_TYPE} of {document.id}")
    raise errors.ResolutionError(f"{document.id} lists no {SERVICE_TYPE} service")


def default_token_endpoint(service_endpoint: str) -> str:
    """Where a tradetrace platform with ``service_endpoint`` issues tokens: ``/oauth/token`` at
    the endpoint's origin. Other platforms name theirs when they register us as a client.

    Raises:
        errors.ResolutionError: the endpoint is not an http(s) URL.
    """
    parts = urllib.parse.urlsplit(_checked_url(service_endpoint, "service endpoint"))
    return f"{parts.scheme}://{parts.netloc}{_TOKEN_PATH}"
