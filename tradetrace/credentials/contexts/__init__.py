"""JSON-LD contexts bundled with tradetrace, so no context is ever fetched over the network.

``INDEX`` maps each context URL to its file in this package; ``README.md`` records each file's
origin, commit and licence. Remote contexts are the classic JSON-LD availability and
tampering risk (standards.md §11.2), so the document loader serves only these files
(JSON-LD 1.1 API §9.4, LoadDocumentCallback).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from tradetrace.errors import CanonicalizationError

__all__ = ["INDEX", "load_bundled_context"]

INDEX: Mapping[str, str] = MappingProxyType(
    {
        "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
        "https://www.w3.org/ns/credentials/undefined-terms/v2": (
            "credentials-undefined-terms-v2.jsonld"
        ),
        "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
        "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
        "https://w3id.org/traceability/v1": "traceability-v1.jsonld",
        "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
        "https://w3id.org/security/suites/jws-2020/v1": "jws-2020-v1.jsonld",
    }
)


@cache
def load_bundled_context(url: str) -> Any:
    """Return the parsed context document bundled for ``url`` (JSON-LD 1.1 API §9.4).

    Raises :class:`CanonicalizationError` for a URL that is not bundled: it is never fetched.
    The same parsed object is returned on every call; callers must not mutate it.
    """
    name = INDEX.get(url)
    if name is None:
        raise CanonicalizationError(f"unknown JSON-LD context (not bundled, never fetched): {url}")
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)
