"""JSON-LD 1.1 to RDF for Verifiable Credentials: offline, bounded and safe.

The public face of our JSON-LD processor: :func:`expand` (JSON-LD 1.1 API §5.1),
:func:`to_rdf` (JSON-LD 1.1 API §8.1, "Deserialize JSON-LD to RDF") and
:func:`canonicalize_document`, which feeds the quads to RDFC-1.0
(:mod:`tradetrace.credentials.rdfc`) as the ``*-rdfc-*`` cryptosuites require
(Data Integrity EdDSA 1.0 §3.3.2, ECDSA 1.0 §3.3.2).

- **Offline.** Contexts come from a :class:`DocumentLoader`; the default serves only the
  contexts bundled in :mod:`tradetrace.credentials.contexts`. An unknown context URL raises
  :class:`~tradetrace.errors.CanonicalizationError`; nothing is fetched.
- **Safe** (on by default). Data Integrity 1.0 §2.4 ("Securing Data Losslessly") requires an
  error when JSON-LD processing would drop data. Any term the active context does not define
  (dropped, or left as a relative IRI), a relative ``@id``/``@type``, a free-floating value,
  a null ``@value``, an ``@index`` key and a reserved (``@``-like) term raise, naming the term.
  ``@vocab`` counts as a definition, as in VC Data Model 2.0 §5.2: with the undefined-terms
  context (``https://www.w3.org/ns/credentials/undefined-terms/v2``) an undefined term expands
  to ``https://www.w3.org/ns/credentials/undefined-term#TERM``. VC Data Model 2.0 requires that
  context to be the last ``@context`` entry, so safe mode rejects it anywhere else; relative
  ``id`` values and relative ``@type: @id`` values are still rejected (VC DM 2.0 §4.4: an
  ``id`` must be a URL).
- **Bounded.** :class:`JsonLdLimits` caps depth, values and quads; RDFC-1.0 has its own
  :class:`~tradetrace.credentials.rdfc.Limits` and optional deadline.
- **Exact or error.** Anything outside the supported subset (``@reverse``, ``@nest``,
  ``@included``, ``@direction``, ``@import``, ``@base``, ``@id``/``@type`` maps,
  property-valued ``@index``) raises :class:`CanonicalizationError`.
"""

from __future__ import annotations

from typing import Any

from tradetrace.credentials import rdfc
from tradetrace.credentials.jsonld_context import DocumentLoader
from tradetrace.credentials.jsonld_expand import JsonLdLimits, expand_document, unsafe
from tradetrace.credentials.jsonld_rdf import to_quads
from tradetrace.credentials.nquads import Quad

__all__ = [
    "DEFAULT_LIMITS",
    "UNDEFINED_TERMS_CONTEXT",
    "DocumentLoader",
    "JsonLdLimits",
    "canonicalize_document",
    "expand",
    "to_rdf",
]

DEFAULT_LIMITS = JsonLdLimits()
UNDEFINED_TERMS_CONTEXT = "https://www.w3.org/ns/credentials/undefined-terms/v2"


def _check_undefined_terms_last(document: Any) -> None:
    """VC Data Model 2.0 §5.2: the undefined-terms context, if used, comes last."""
    if not isinstance(document, dict):
        return
    context = document.get("@context")
    entries = context if isinstance(context, list) else [context]
    if UNDEFINED_TERMS_CONTEXT in entries[:-1]:
        raise unsafe(f"{UNDEFINED_TERMS_CONTEXT} must be the last @context entry")


def expand(
    document: Any,
    *,
    loader: DocumentLoader | None = None,
    safe: bool = True,
    limits: JsonLdLimits = DEFAULT_LIMITS,
) -> list[dict[str, Any]]:
    """Expand a parsed JSON-LD document (JSON-LD 1.1 API §5.1, Expansion Algorithm).

    ``document`` is the output of ``json.loads``. Raises :class:`CanonicalizationError` on
    invalid or unsupported JSON-LD and, with ``safe``, on any data loss;
    :class:`~tradetrace.errors.LimitExceeded` past ``limits``.
    """
    loader = loader or DocumentLoader.bundled()
    if safe:
        _check_undefined_terms_last(document)
    return expand_document(loader.initial, document, safe=safe, limits=limits)


def to_rdf(
    document: Any,
    *,
    loader: DocumentLoader | None = None,
    safe: bool = True,
    limits: JsonLdLimits = DEFAULT_LIMITS,
) -> list[Quad]:
    """Deserialize a JSON-LD document to RDF quads (JSON-LD 1.1 API §8.1.2).

    Blank node labels are arbitrary (``b0``, ``b1``, ...); canonicalize to compare datasets.
    Raises as :func:`expand` does.
    """
    expanded = expand(document, loader=loader, safe=safe, limits=limits)
    return to_quads(expanded, safe=safe, limits=limits)


def canonicalize_document(
    document: Any,
    *,
    hash_algorithm: rdfc.HashAlgorithm = "sha256",
    loader: DocumentLoader | None = None,
    safe: bool = True,
    limits: JsonLdLimits = DEFAULT_LIMITS,
    rdfc_limits: rdfc.Limits = rdfc.DEFAULT_LIMITS,
    deadline: rdfc.Deadline | None = None,
) -> rdfc.CanonicalDataset:
    """JSON-LD to RDF, then RDFC-1.0: the canonical form the ``*-rdfc-*`` suites hash.

    Data Integrity EdDSA 1.0 §3.3.2 / ECDSA 1.0 §3.3.2 (transformation), over JSON-LD 1.1 API
    §8.1.2 and RDFC-1.0 §4.4. ``hash_algorithm`` is RDFC-1.0's internal hash for labelling
    blank nodes (§4.4 "hash algorithm"); the cryptosuites keep the default SHA-256 and apply
    their own digest (SHA-384 for P-384) to the canonical N-Quads afterwards.
    """
    quads = to_rdf(document, loader=loader, safe=safe, limits=limits)
    return rdfc.canonicalize(
        quads, hash_algorithm=hash_algorithm, limits=rdfc_limits, deadline=deadline
    )
