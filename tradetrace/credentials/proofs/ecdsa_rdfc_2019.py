"""The ``ecdsa-rdfc-2019`` cryptosuite (vc-di-ecdsa 1.0 §3.3): ECDSA over RDFC-1.0.

P-256 keys hash with SHA-256 and P-384 keys with SHA-384 (§3.3.4); RDFC-1.0 keeps its default
SHA-256 for labelling blank nodes. The algorithm is RDFC Data Integrity as in
:class:`~tradetrace.credentials.proofs.suites.RdfcCryptosuite`: Create Proof (§3.3.1), Verify
Proof (§3.3.2), Transformation (§3.3.3), Hashing (§3.3.4), Proof Configuration (§3.3.5).
"""

from __future__ import annotations

from typing import Final

from tradetrace import keys
from tradetrace.credentials.proofs.suites import RdfcCryptosuite

__all__ = ["CRYPTOSUITE", "NAME"]

NAME: Final = "ecdsa-rdfc-2019"
"""The ``cryptosuite`` identifier (vc-di-ecdsa §3.3)."""

CRYPTOSUITE: Final = RdfcCryptosuite(NAME, frozenset({keys.KeyKind.P256, keys.KeyKind.P384}))
"""The suite: P-256 and P-384 keys (vc-di-ecdsa §2.1.1)."""
