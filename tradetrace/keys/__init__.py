"""Signature keys over pyca/cryptography: Ed25519, P-256 and P-384.

:class:`SigningKey` holds a private key and signs; :class:`PublicKey` verifies and converts between
the forms DID documents and proofs use (raw, JWK, Multikey). :class:`KeyKind` names the algorithm.
See :mod:`tradetrace.keys.public` for the Ed25519 verification policy.
"""

from __future__ import annotations

from tradetrace.keys.kinds import KeyKind
from tradetrace.keys.public import PublicKey
from tradetrace.keys.signing import SigningKey

__all__ = ["KeyKind", "PublicKey", "SigningKey"]
