"""The stable reason codes of verification reports, and what each one means.

Every :class:`~tradetrace.credentials.report.Check` that :mod:`~tradetrace.credentials.verify`
produces carries one of these codes, so clients can branch on them (STYLE.md §5). Trust and
ledger checks carry the code of the injected decision: :func:`tradetrace.trust.decide_trust`
answers ``issuer_accredited``, ``issuer_not_accredited``, ``accreditation_not_current`` or
``accreditation_wrong_scope``. Codes never change meaning; new ones are added here first.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = ["DECISION_CODES", "REASON_CODES"]

REASON_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # format
        "format_valid": "the input is a secured credential or presentation with a valid envelope",
        "malformed": "the input, its envelope or a claim is not well-formed (VC DM 2.0 §4)",
        "limit_exceeded": "the input is too large, too deep or holds too many credentials",
        "unsupported_format": "a securing format tradetrace does not accept (a VC 1.1 JWT)",
        "proof_missing": "JSON without a proof: unsecured documents are not accepted",
        # proof
        "proof_valid": "the signature verifies under a key the signer's DID authorises",
        "signature_invalid": "the signature does not verify: the document or proof was changed",
        "proof_invalid": "the proof is malformed or does not fit its document",
        "unsupported_cryptosuite": "a Data Integrity proof type or cryptosuite not supported",
        "unsupported_algorithm": "a JWS alg other than ES256, ES384 or EdDSA (alg none included)",
        "unsupported_header": "a JWS header parameter that must be understood (crit, b64, zip)",
        "media_type_invalid": "JWS typ or cty does not match the payload (vc+jwt, vp+jwt)",
        "kid_missing": "the JWS header names no verification method",
        "key_algorithm_mismatch": "the algorithm or cryptosuite does not fit the signer's key",
        "did_unresolvable": "the signer's DID could not be resolved (an error, not a verdict)",
        "verification_method_not_found": "the DID document has no such verification method",
        "key_not_authorized": "the DID document does not list the key for the proof's purpose",
        "unsupported_key": "the verification method holds no supported signing key",
        "proof_purpose_mismatch": "assertionMethod for credentials, authentication for holders",
        "challenge_mismatch": "the proof's challenge (JWT nonce) is not the verifier's",
        "domain_mismatch": "the proof's domain (JWT aud) does not include the verifier's",
        "proof_expired": "the proof's expires time has passed",
        "canonicalization_failed": "RDFC canonicalization refused the document (undefined term)",
        # issuer and holder
        "issuer_matches": "the signer's DID is the credential's issuer",
        "issuer_mismatch": "the credential names another issuer than the signer",
        "holder_matches": "the signer's DID is the presentation's holder",
        "holder_mismatch": "the presentation names another holder than the signer",
        "holder_missing": "the presentation names no holder to bind to its signer",
        # validity
        "within_validity_period": "now is inside validFrom..validUntil (and JWT nbf..exp)",
        "not_yet_valid": "validFrom (issuanceDate, JWT nbf) is in the future",
        "expired": "validUntil (expirationDate, JWT exp) has passed",
        "no_validity_period": "the document states no validity period",
        # status
        "status_active": "no status list bit is set for the credential",
        "revoked": "the revocation status list says the credential is revoked",
        "suspended": "the suspension status list says the credential is suspended",
        "status_unreachable": "the status list credential could not be fetched",
        "status_list_invalid": "the status list credential does not verify or does not fit",
        "status_unsupported": "a credentialStatus type other than BitstringStatusListEntry",
        "status_entry_invalid": "a malformed BitstringStatusListEntry",
        "no_status": "the credential has no credentialStatus",
        "status_check_skipped": "status checks are disabled (UnsafeSkipStatusCheck)",
        # schema
        "schema_valid": "the content matches its type's schema",
        "schema_invalid": "the content breaks its type's schema",
        "schema_unknown_type": "no supported credential type to validate against",
        "no_content_validator": "content validation is not configured",
        # trust and ledger
        "no_trust_policy": "no trust policy is configured",
        "no_ledger": "no ledger lookup is configured",
        # presentations
        "credentials_valid": "every embedded credential passed this check",
        "credentials_skipped": "some embedded credential skipped this check, none failed it",
        "credentials_invalid": "some embedded credential failed this check",
        "credentials_error": "this check could not be completed for some embedded credential",
        "no_credentials": "the presentation holds no credentials",
        # any check
        "not_checked": "not run because an earlier check failed",
        "internal_error": "the check failed to run; the document is not accepted",
    }
)
"""Each reason code and its meaning."""

DECISION_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # trust: the node's trust registry (tradetrace.trust.decide_trust)
        "issuer_accredited": "the registry accredits the issuer for this credential's type now",
        "issuer_not_accredited": "the registry holds no accreditation of the issuer",
        "accreditation_not_current": "no accreditation of the issuer is in force at this moment",
        "accreditation_wrong_scope": "the issuer is accredited, but not for this credential's type",
        # ledger: the node's transparency log
        "logged": "the secured document is on this node's log",
        "not_logged": "the secured document is not on this node's log",
        "ledger_unavailable": "this node has no log to look in",
    }
)
"""The codes of the trust and ledger checks a node's verifier reports: the answers of its trust
registry and of its log (the injected policy and lookup of
:class:`~tradetrace.credentials.verify.Verifier`)."""
