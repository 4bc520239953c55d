"""The ``eddsa-jcs-2022`` cryptosuite (vc-di-eddsa 1.0 §3.3): Ed25519 over JCS, SHA-256.

Create Proof (§3.3.1), Verify Proof (§3.3.2), Transformation (§3.3.3, RFC 8785), Hashing
(§3.3.4: ``SHA-256(canonical proof configuration) || SHA-256(canonical document)``), Proof
Configuration (§3.3.5, which carries the document's ``@context``) and Proof Serialization
(§3.3.6, pure Ed25519, RFC 8032 §5.1.6) are implemented by
:class:`~tradetrace.credentials.proofs.suites.JcsCryptosuite`.
"""

from __future__ import annotations

from typing import Final

from tradetrace import keys
from tradetrace.credentials.proofs.suites import JcsCryptosuite

__all__ = ["CRYPTOSUITE", "NAME"]

NAME: Final = "eddsa-jcs-2022"
"""The ``cryptosuite`` identifier (vc-di-eddsa §3.3)."""

CRYPTOSUITE: Final = JcsCryptosuite(NAME, frozenset({keys.KeyKind.ED25519}))
"""The suite: Ed25519 keys only (vc-di-eddsa §2.1.1, Multikey ``0xed01``)."""
