"""Data Integrity proofs (Data Integrity 1.0) and the cryptosuites tradetrace supports.

``eddsa-jcs-2022`` and ``eddsa-rdfc-2022`` (vc-di-eddsa 1.0), ``ecdsa-jcs-2019`` and
``ecdsa-rdfc-2019`` (vc-di-ecdsa 1.0), all with proof type ``DataIntegrityProof``; and the Linked
Data Signatures ``Ed25519Signature2018`` and ``JsonWebSignature2020``
(:mod:`~tradetrace.credentials.proofs.linked_data`), registered under their proof type.
:func:`find_cryptosuite` looks one up by its ``cryptosuite`` identifier (or legacy proof type);
:func:`parse_proof` parses a proof object of either kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from tradetrace.credentials.proofs import (
    ecdsa_jcs_2019,
    ecdsa_rdfc_2019,
    eddsa_jcs_2022,
    eddsa_rdfc_2022,
    linked_data,
)
from tradetrace.credentials.proofs.data_integrity import (
    PROOF_TYPE,
    Cryptosuite,
    Proof,
    ProofPurpose,
)

__all__ = [
    "CRYPTOSUITES",
    "PROOF_TYPE",
    "PROOF_TYPES",
    "Cryptosuite",
    "Proof",
    "ProofPurpose",
    "find_cryptosuite",
    "parse_proof",
    "suite_name",
]

CRYPTOSUITES: Final[Mapping[str, Cryptosuite]] = MappingProxyType(
    {
        suite.name: suite
        for suite in (
            eddsa_jcs_2022.CRYPTOSUITE,
            ecdsa_jcs_2019.CRYPTOSUITE,
            eddsa_rdfc_2022.CRYPTOSUITE,
            ecdsa_rdfc_2019.CRYPTOSUITE,
            linked_data.ED25519_SIGNATURE_2018,
            linked_data.JSON_WEB_SIGNATURE_2020,
        )
    }
)
"""Every supported cryptosuite by its identifier (Data Integrity 1.0 §3.1)."""


def find_cryptosuite(name: object) -> Cryptosuite | None:
    """The cryptosuite named ``name``, or ``None`` when tradetrace does not support it."""
    return CRYPTOSUITES.get(name) if isinstance(name, str) else None


PROOF_TYPES: Final = frozenset({PROOF_TYPE}) | linked_data.PROOF_TYPES
"""Every proof ``type`` tradetrace verifies."""


def suite_name(proof: object) -> str | None:
    """The key of a proof object's suite in :data:`CRYPTOSUITES`: its ``cryptosuite``, or its
    ``type`` for a Linked Data Signature; ``None`` when it names neither."""
    if not isinstance(proof, dict):
        return None
    name = proof.get("type") if proof.get("type") in linked_data.PROOF_TYPES else None
    name = name or proof.get("cryptosuite")
    return name if isinstance(name, str) else None


def parse_proof(data: object) -> Proof:
    """Parse one proof object: a Linked Data Signature by its ``type``
    (:func:`linked_data.parse_proof`), anything else as a Data Integrity proof (§2.1).

    Raises:
        errors.InvalidDocument: not an object, or a member is missing or malformed.
    """
    if isinstance(data, dict) and data.get("type") in linked_data.PROOF_TYPES:
        return linked_data.parse_proof(data)
    return Proof.from_dict(data)
