"""The two shapes of cryptosuite: JCS-canonicalized and RDFC-canonicalized Data Integrity proofs.

``eddsa-jcs-2022`` and ``ecdsa-jcs-2019`` run the same algorithm with different keys and hashes
(vc-di-eddsa §3.3, vc-di-ecdsa §3.4), as do ``eddsa-rdfc-2022`` and ``ecdsa-rdfc-2019``
(vc-di-eddsa §3.2, vc-di-ecdsa §3.3). :class:`JcsCryptosuite` and :class:`RdfcCryptosuite`
implement each algorithm once; the cryptosuite modules name the instances.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tradetrace import errors, keys
from tradetrace.credentials.proofs import data_integrity
from tradetrace.credentials.proofs.data_integrity import Proof

__all__ = ["JcsCryptosuite", "RdfcCryptosuite"]


def _check_key(name: str, kinds: frozenset[keys.KeyKind], kind: keys.KeyKind) -> None:
    if kind not in kinds:
        allowed = ", ".join(sorted(k.value for k in kinds))
        raise errors.ProofInvalid(f"{name} needs a key of kind {allowed}, got {kind.value}")


def _context_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True, slots=True)
class JcsCryptosuite:
    """A cryptosuite that canonicalizes with JCS (vc-di-eddsa §3.3, vc-di-ecdsa §3.4)."""

    name: str
    kinds: frozenset[keys.KeyKind]

    def supports(self, kind: keys.KeyKind) -> bool:
        """Whether keys of ``kind`` make this suite's proofs."""
        return kind in self.kinds

    def create_proof(
        self, document: Mapping[str, Any], options: Mapping[str, Any], key: keys.SigningKey
    ) -> dict[str, Any]:
        """Create Proof (vc-di-eddsa §3.3.1; vc-di-ecdsa §3.4.1).

        The proof is a copy of ``options`` that carries the document's ``@context`` (step 2),
        so a verifier can tell which contexts the signature covers.

        Raises:
            errors.ProofInvalid: the options are not this suite's, or the key kind does not fit.
            errors.CanonicalizationError: a value has no RFC 8785 form.
        """
        _check_key(self.name, self.kinds, key.kind)
        proof = dict(options)
        if "@context" in document:
            proof["@context"] = document["@context"]
        unsecured = data_integrity.unsecured_document(document)
        hash_data = data_integrity.jcs_hash_data(
            unsecured, options, suite=self.name, hash_function=data_integrity.hash_for(key.kind)
        )
        proof["proofValue"] = data_integrity.encode_proof_value(key.sign(hash_data))
        return proof

    def verify_proof(
        self,
        document: Mapping[str, Any],
        proof: Proof,
        key: keys.PublicKey,
        *,
        jcs_ready: bool = False,
    ) -> None:
        """Verify Proof (vc-di-eddsa §3.3.2; vc-di-ecdsa §3.4.2).

        When the proof carries ``@context``, the document's ``@context`` must start with it, and
        the document is hashed with the proof's (step 4): contexts added after signing, as a
        later proof in a proof set may add, are not covered.

        Raises:
            errors.SignatureInvalid: the signature does not verify.
            errors.ProofInvalid: the proof does not fit the suite, the key or the contexts.
            errors.CanonicalizationError: a value has no RFC 8785 form.
        """
        _check_key(self.name, self.kinds, key.kind)
        signature = data_integrity.decode_proof_value(proof.proof_value, key.kind)
        unsecured = data_integrity.unsecured_document(document)
        options = proof.options
        if "@context" in options:
            signed = _context_list(options["@context"])
            if _context_list(unsecured.get("@context"))[: len(signed)] != signed:
                raise errors.ProofInvalid("document @context does not start with proof @context")
            unsecured["@context"] = options["@context"]
        hash_data = data_integrity.jcs_hash_data(
            unsecured,
            options,
            suite=self.name,
            hash_function=data_integrity.hash_for(key.kind),
            jcs_ready=jcs_ready,
        )
        key.verify(signature, hash_data)


@dataclass(frozen=True, slots=True)
class RdfcCryptosuite:
    """A cryptosuite that canonicalizes with RDFC-1.0 (vc-di-eddsa §3.2, vc-di-ecdsa §3.3)."""

    name: str
    kinds: frozenset[keys.KeyKind]

    def supports(self, kind: keys.KeyKind) -> bool:
        """Whether keys of ``kind`` make this suite's proofs."""
        return kind in self.kinds

    def create_proof(
        self, document: Mapping[str, Any], options: Mapping[str, Any], key: keys.SigningKey
    ) -> dict[str, Any]:
        """Create Proof (vc-di-eddsa §3.2.1; vc-di-ecdsa §3.3.1).

        Raises:
            errors.ProofInvalid: the options are not this suite's, or the key kind does not fit.
            errors.CanonicalizationError: the JSON-LD is invalid, unsupported or loses data.
            errors.LimitExceeded: canonicalization went past its work limits.
        """
        _check_key(self.name, self.kinds, key.kind)
        unsecured = data_integrity.unsecured_document(document)
        hash_data = data_integrity.rdfc_hash_data(
            unsecured, options, suite=self.name, hash_function=data_integrity.hash_for(key.kind)
        )
        proof = dict(options)
        proof["proofValue"] = data_integrity.encode_proof_value(key.sign(hash_data))
        return proof

    def verify_proof(
        self,
        document: Mapping[str, Any],
        proof: Proof,
        key: keys.PublicKey,
        *,
        jcs_ready: bool = False,
    ) -> None:
        """Verify Proof (vc-di-eddsa §3.2.2; vc-di-ecdsa §3.3.2); ``jcs_ready`` is unused.

        Raises:
            errors.SignatureInvalid: the signature does not verify.
            errors.ProofInvalid: the proof does not fit the suite or the key.
            errors.CanonicalizationError: the JSON-LD is invalid, unsupported or loses data.
            errors.LimitExceeded: canonicalization went past its work limits.
        """
        _check_key(self.name, self.kinds, key.kind)
        signature = data_integrity.decode_proof_value(proof.proof_value, key.kind)
        hash_data = data_integrity.rdfc_hash_data(
            data_integrity.unsecured_document(document),
            proof.options,
            suite=self.name,
            hash_function=data_integrity.hash_for(key.kind),
        )
        key.verify(signature, hash_data)
