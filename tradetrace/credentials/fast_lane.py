"""The fast lane of :meth:`Verifier.verify <tradetrace.credentials.verify.Verifier.verify>`:
the common case, verified in straight-line code, with the report the pipeline would make.

The common case is a VC DM 2.0 credential secured as a compact JWS (VC-JOSE-COSE §3.1) or with
one ``eddsa-jcs-2022`` / ``ecdsa-jcs-2019`` proof (vc-di-eddsa §3.3.2, vc-di-ecdsa §3.4.2),
whose signer's key the verifier has already cached (did:key, did:jwk), without
``credentialStatus`` or with entries whose status lists the verifier's status list cache holds
(:mod:`~tradetrace.credentials.status_cache`), whose proof, issuer, validity, status and
content checks pass. :meth:`FastLane.verify` runs the same checks in the same order (format,
proof, issuer, validity, status, schema, trust, ledger; VC DM 2.0 §7.1) and builds the same
:class:`~tradetrace.credentials.report.VerificationReport`. Trust and ledger are reported
whatever their outcome, as the pipeline does: it asks them of every authentic credential, and
their checks are the policy's answers.

Anything else returns ``None``, and the pipeline verifies the input from the start: another
failing check, a member it does not know, VC 1.1, a presentation, an enveloped credential,
RDFC, a key not in the cache, input that is not JCS-ready, an exception. So every such failure
is reported by the pipeline's own code, and the lane only has to be exact for documents that
pass the checks before trust. ``tests/credentials/test_verify_fast_lane.py`` compares the two
reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import orjson

from tradetrace import did, keys
from tradetrace.credentials import fixed_checks, jose, json_input, model, proofs, status
from tradetrace.credentials.issue import Format
from tradetrace.credentials.proofs import data_integrity, suites
from tradetrace.credentials.report import Check, CheckId, CheckStatus, VerificationReport
from tradetrace.credentials.securing import InputLimits
from tradetrace.credentials.status_check import active_check

if TYPE_CHECKING:
    from tradetrace.credentials.status_check import CachedLists
    from tradetrace.credentials.verify import ContentValidator, LedgerLookup, TrustPolicy

__all__ = ["FastLane", "KeyLookup"]

KeyLookup = Callable[[str, did.Relationship], keys.PublicKey | None]
"""A key cache lookup that neither resolves nor raises (``ProofChecker.cached_key``)."""

# The members the lane knows (VC DM 2.0 §4, and registered JWT claims for a JWS payload, RFC
# 7519 §4.1, that the pipeline does not check without a challenge or domain). Any other member
# (credentialStatus, VC 1.1 or snake_case names, nbf, exp, vc, vp...) sends the document to the
# pipeline, so the envelope checks below are exactly the model's for what is left.
_KNOWN: Final = frozenset(
    {
        "@context",
        "id",
        "type",
        "name",
        "description",
        "issuer",
        "validFrom",
        "validUntil",
        "credentialSubject",
        "credentialSchema",
        "evidence",
        "termsOfUse",
        "refreshService",
        "renderMethod",
        "relatedResource",
        "confidenceMethod",
    }
)
_KNOWN_JSON: Final = _KNOWN | {"proof"}
_KNOWN_JWT: Final = _KNOWN | {"iss", "sub", "iat", "jti", "nonce", "aud", "cnf"}
# Proof members of a plain assertion proof; challenge, domain, expires, previousProof... are not.
_KNOWN_PROOF: Final = frozenset(
    {
        "@context",
        "id",
        "type",
        "cryptosuite",
        "verificationMethod",
        "proofPurpose",
        "proofValue",
        "created",
    }
)
_ENVELOPED: Final = frozenset({"EnvelopedVerifiableCredential", "EnvelopedVerifiablePresentation"})
_ASSERTION: Final = did.Relationship.ASSERTION_METHOD
_VC_JWT: Final = Format.VC_JWT.value
_V2: Final = model.VC_2_0_CONTEXT
_URL: Final = model.URL.fullmatch
_parse_date: Final = model.parse_date_time_stamp
_MAX_SIGNERS: Final = 4096


@dataclass(frozen=True, slots=True)
class _Envelope:
    """What the report and the checks need of a credential's envelope (VC DM 2.0 §4)."""

    id: str | None
    issuer: str
    types: tuple[str, ...]
    not_before: datetime | None
    not_after: datetime | None


class FastLane:
    """Verifies the common case (see the module docstring) as a
    :class:`~tradetrace.credentials.verify.Verifier` configured with these arguments would."""

    __slots__ = (
        "_cached_key",
        "_content",
        "_known_json",
        "_known_jwt",
        "_ledger",
        "_limits",
        "_signers",
        "_skew",
        "_status_lists",
        "_trust",
    )

    def __init__(
        self,
        cached_key: KeyLookup,
        *,
        content_validator: ContentValidator | None,
        trust_policy: TrustPolicy | None,
        ledger: LedgerLookup | None,
        limits: InputLimits,
        clock_skew: timedelta,
        status_lists: CachedLists | None = None,
    ) -> None:
        self._cached_key = cached_key
        self._status_lists = status_lists
        status_member = {"credentialStatus"} if status_lists is not None else set()
        self._known_json = _KNOWN_JSON | status_member
        self._known_jwt = _KNOWN_JWT | status_member
        self._content = content_validator
        self._trust = trust_policy
        self._ledger = ledger
        self._limits = limits
        self._skew = clock_skew
        # The proof and issuer checks of each signer seen (they depend on nothing else).
        self._signers: dict[str, tuple[Check, Check]] = {}

    def verify(self, data: bytes | str, now: datetime) -> VerificationReport | None:
        """The report of ``data`` at ``now`` (aware, UTC), or ``None`` when the pipeline must
        verify it (for anything but a credential that passes every check)."""
        try:
            text = data.encode("utf-8") if isinstance(data, str) else data
            if len(text) > self._limits.max_bytes:
                return None
            if text.lstrip()[:1] == b"{":
                return self._data_integrity(text, now)
            return self._jws(text, now)
        except Exception:  # the pipeline runs instead, and reports it
            return None

    def _jws(self, text: bytes, now: datetime) -> VerificationReport | None:
        """A compact JWS credential (VC-JOSE-COSE §3.1.1; RFC 7515 §5.2)."""
        jws = jose.parse_compact(text)
        if jose.header_mismatch(jws, jose.MediaType.VC_JWT) is not None:
            return None
        limits = self._limits
        document = json_input.parse_json(
            jws.payload, max_bytes=limits.max_bytes, max_depth=limits.max_depth, for_jcs=False
        ).value
        if type(document) is not dict or not self._known_jwt.issuperset(document):
            return None
        envelope = _envelope(document)
        if envelope is None:
            return None
        kid = jws.kid or ""
        method_id = envelope.issuer + kid if kid.startswith("#") else kid
        key = self._cached_key(method_id, _ASSERTION)
        if key is None or jose.algorithm_mismatch(jws, key) is not None:
            return None
        key.verify(jws.signature, jws.signing_input)  # raises for a bad signature
        if document.get("iss", envelope.issuer) != envelope.issuer:
            return None
        return self._report(_VC_JWT, document, envelope, method_id, now, jws)

    def _data_integrity(self, text: bytes, now: datetime) -> VerificationReport | None:
        """JSON with one JCS Data Integrity proof (Data Integrity 1.0 §4.3; vc-di-eddsa
        §3.3.2, vc-di-ecdsa §3.4.2), JCS-ready as :func:`json_input.parse_json` decides."""
        if text.count(b"{") + text.count(b"[") > self._limits.max_depth:
            return None
        document = orjson.loads(text)
        if type(document) is not dict or not self._known_json.issuperset(document):
            return None
        proof = document.get("proof")
        if type(proof) is not dict or not _KNOWN_PROOF.issuperset(proof):
            return None
        suite = proofs.find_cryptosuite(proof.get("cryptosuite"))
        if not isinstance(suite, suites.JcsCryptosuite) or not json_input.sorts_as_utf16(text):
            return None
        envelope = _envelope(document)
        method_id = proof.get("verificationMethod")
        value = proof.get("proofValue")
        if (
            envelope is None
            or proof.get("type") != data_integrity.PROOF_TYPE
            or proof.get("proofPurpose") != _ASSERTION.value
            or type(method_id) is not str
            or type(value) is not str
            or proof.get("@context", document["@context"]) != document["@context"]
        ):
            return None
        if "created" in proof:
            _parse_date(proof["created"])  # raises for a malformed one
        key = self._cached_key(method_id, _ASSERTION)
        if key is None or not suite.supports(key.kind):
            return None
        signature = data_integrity.decode_proof_value(value, key.kind)
        config = {name: item for name, item in proof.items() if name != "proofValue"}
        config["@context"] = document["@context"]
        unsecured = {name: item for name, item in document.items() if name != "proof"}
        canonical_config = json_input.sorted_json(config)
        canonical_document = json_input.sorted_json(unsecured)
        if canonical_config is None or canonical_document is None:
            return None
        hash_function = data_integrity.hash_for(key.kind)
        key.verify(signature, hash_function(canonical_config) + hash_function(canonical_document))
        return self._report(suite.name, document, envelope, method_id, now, None)

    def _report(
        self,
        fmt: str,
        document: dict[str, Any],
        envelope: _Envelope,
        method_id: str,
        now: datetime,
        jws: jose.CompactJws | None,
    ) -> VerificationReport | None:
        """The checks after the proof, for a credential whose signature verified."""
        issuer = envelope.issuer
        if method_id.partition("#")[0] != issuer:
            return None
        signer = self._signers.get(method_id)
        if signer is None:
            signer = (
                Check(CheckId.PROOF, CheckStatus.VALID, "proof_valid", f"signed by {method_id}"),
                Check(
                    CheckId.ISSUER, CheckStatus.VALID, "issuer_matches", f"issuer {issuer} signed"
                ),
            )
            if len(self._signers) >= _MAX_SIGNERS:
                self._signers.clear()
            self._signers[method_id] = signer
        start, end, skew = envelope.not_before, envelope.not_after, self._skew
        if start is None and end is None:
            validity = fixed_checks.NO_VALIDITY_PERIOD
        elif (start is not None and now + skew < start) or (end is not None and now - skew > end):
            return None
        else:
            message = f"valid at {now.isoformat()}"
            validity = Check(CheckId.VALIDITY, CheckStatus.VALID, "within_validity_period", message)
        if "credentialStatus" not in document:
            active = fixed_checks.NO_STATUS
        else:
            checked = self._status(document["credentialStatus"], issuer, now)
            if checked is None:
                return None
            active = checked
        validator = self._content
        if validator is None:
            schema = fixed_checks.NO_CONTENT_VALIDATOR
        else:
            matched = validator(document).matched  # raises for content that breaks its schema
            if matched is None:
                schema = fixed_checks.UNKNOWN_TYPE
            else:
                message = f"content matches {matched.schema_id}"
                schema = Check(
                    CheckId.SCHEMA, CheckStatus.VALID, fixed_checks.SCHEMA_VALID, message
                )
        policy = self._trust
        if policy is None:
            trusted = fixed_checks.NO_TRUST_POLICY
        else:
            decision = policy.decide(issuer=issuer, credential_types=envelope.types, at=now)
            outcome = CheckStatus.VALID if decision.trusted else CheckStatus.INVALID
            trusted = Check(CheckId.TRUST, outcome, decision.code, decision.message)
        ledger = self._ledger
        if ledger is None:
            anchored = fixed_checks.NO_LEDGER
        else:
            secured = jws.serialize() if jws is not None else document
            found = ledger.check(digest=model.secured_digest(secured), document_id=envelope.id)
            outcome = CheckStatus.VALID if found.anchored else CheckStatus.INVALID
            anchored = Check(CheckId.LEDGER, outcome, found.code, found.message)
        checks = (
            fixed_checks.CREDENTIAL_READ,
            *signer,
            validity,
            active,
            schema,
            trusted,
            anchored,
        )
        return VerificationReport(
            fmt, checks, document_id=envelope.id, issuer=issuer, types=envelope.types
        )

    def _status(self, value: object, issuer: str, now: datetime) -> Check | None:
        """The status check of entries whose lists are cached and whose bits are clear, as the
        pipeline reports it (the first entry's, Bitstring Status List §3.2); else ``None``."""
        lists = self._status_lists
        entries = [value] if type(value) is dict else value
        if lists is None or type(entries) is not list or not entries:
            return None
        parsed = []
        for entry in entries:
            if type(entry) is not dict or entry.get("type") != "BitstringStatusListEntry":
                return None
            parsed.append(status.StatusEntry.from_json(entry))  # raises for a malformed entry
        for item, found in zip(parsed, lists([item.list_url for item in parsed], now), strict=True):
            if (
                found is None
                or found.issuer != issuer
                or found.purpose != item.purpose.value
                or found.bits.get(item.index)  # raises for an index outside the list
            ):
                return None
        return active_check(parsed[0])


def _envelope(document: dict[str, Any]) -> _Envelope | None:
    """The envelope of a VC DM 2.0 credential whose members are all known, as
    :meth:`model.Credential.from_dict` reads it; ``None`` where it might not accept it."""
    context = document.get("@context")
    if type(context) is not list or not context or context[0] != _V2:
        return None
    for entry in context[1:]:
        if type(entry) is not dict and not (type(entry) is str and _URL(entry)):
            return None
    names = document.get("type")
    if type(names) is str:
        names = [names]
    if (
        type(names) is not list
        or "VerifiableCredential" not in names
        or not _ENVELOPED.isdisjoint(names)
    ):
        return None
    if "VerifiablePresentation" in names or not all(type(name) is str for name in names):
        return None
    identifier = document.get("id")
    if "id" in document and not (type(identifier) is str and _URL(identifier)):
        return None
    issuer = document.get("issuer")
    if type(issuer) is dict:
        issuer = issuer.get("id")
    if type(issuer) is not str or not _URL(issuer):
        return None
    subject = document.get("credentialSubject")
    if type(subject) is list:
        if not subject or not all(type(item) is dict for item in subject):
            return None
    elif type(subject) is not dict:
        return None
    if "credentialSchema" in document and not _typed_objects(document["credentialSchema"]):
        return None
    start = _parse_date(document["validFrom"]) if "validFrom" in document else None
    end = _parse_date(document["validUntil"]) if "validUntil" in document else None
    if start is not None and end is not None and end < start:
        return None
    return _Envelope(identifier, issuer, tuple(names), start, end)


def _typed_objects(value: object) -> bool:
    """Whether ``value`` is an object or a non-empty array of objects, each with a ``type``
    (VC DM 2.0 §4.11), as the model requires of ``credentialSchema``."""
    items = [value] if type(value) is dict else value
    if type(items) is not list or not items:
        return False
    return all(type(item) is dict and type(item.get("type")) in (str, list) for item in items)
