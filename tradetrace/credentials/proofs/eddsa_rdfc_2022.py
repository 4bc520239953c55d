"""The ``eddsa-rdfc-2022`` cryptosuite (vc-di-eddsa 1.0 §3.2): Ed25519 over RDFC-1.0, SHA-256.

Create Proof (§3.2.1), Verify Proof (§3.2.2), Transformation (§3.2.3: JSON-LD to RDF, then
RDFC-1.0 canonical N-Quads), Hashing (§3.2.4), Proof Configuration (§3.2.5) and Proof
Serialization (§3.2.6) are implemented by
:class:`~tradetrace.credentials.proofs.suites.RdfcCryptosuite`. JSON-LD runs offline, in safe
mode and within work limits (:mod:`tradetrace.credentials.jsonld`), so a term the contexts do
not define is refused rather than silently left unsigned (standards.md §11.2).
"""

from __future__ import annotations

from typing import Final

from tradetrace import keys
from tradetrace.credentials.proofs.suites import RdfcCryptosuite

__all__ = ["CRYPTOSUITE", "NAME"]

NAME: Final = "eddsa-rdfc-2022"
"""The ``cryptosuite`` identifier (vc-di-eddsa §3.2)."""

CRYPTOSUITE: Final = RdfcCryptosuite(NAME, frozenset({keys.KeyKind.ED25519}))
"""The suite: Ed25519 keys only (vc-di-eddsa §2.1.1)."""
