"""The ``ecdsa-jcs-2019`` cryptosuite (vc-di-ecdsa 1.0 §3.4): ECDSA over JCS.

P-256 keys hash with SHA-256 and P-384 keys with SHA-384 (§3.4.4); signatures are IEEE P1363
``r || s`` (§3.4.6). The algorithm is JCS Data Integrity as in
:class:`~tradetrace.credentials.proofs.suites.JcsCryptosuite`: Create Proof (§3.4.1), Verify
Proof (§3.4.2), Transformation (§3.4.3), Hashing (§3.4.4), Proof Configuration (§3.4.5).
ECDSA is randomised, so a proof cannot be re-created byte for byte, only verified.
"""

from __future__ import annotations

from typing import Final

from tradetrace import keys
from tradetrace.credentials.proofs.suites import JcsCryptosuite

__all__ = ["CRYPTOSUITE", "NAME"]

NAME: Final = "ecdsa-jcs-2019"
"""The ``cryptosuite`` identifier (vc-di-ecdsa §3.4)."""

CRYPTOSUITE: Final = JcsCryptosuite(NAME, frozenset({keys.KeyKind.P256, keys.KeyKind.P384}))
"""The suite: P-256 and P-384 keys (vc-di-ecdsa §2.1.1, Multikey ``0x8024``/``0x8124``)."""
