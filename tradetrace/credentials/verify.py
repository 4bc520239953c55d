"""The one verification pipeline for every credential and presentation format.

:meth:`Verifier.verify` takes bytes (or parsed JSON) and returns a
:class:`~tradetrace.credentials.report.VerificationReport`; it never raises for a bad document.
The checks run in this order (VC DM 2.0 §7.1 "Verification"; Data Integrity 1.0 §4.3):

1. **format**: the input is a compact JWS (VC-JOSE-COSE §3.1), JSON with a Data Integrity
   ``proof`` or an enveloped JWS (VC DM 2.0 §4.13.1), and the envelope is valid (§4);
2. **proof**: header or proof options, the key found through the signer's DID document under
   ``assertionMethod`` (credential) or ``authentication`` (presentation), the signature, and
   for presentations the verifier's challenge and domain;
3. **issuer** (credential): the signer's DID is the ``issuer`` (and the JWT ``iss``);
   **holder** (presentation): the signer's DID is the ``holder``;
4. **validity**: ``validFrom``/``validUntil`` (VC 1.1: ``issuanceDate``/``expirationDate``)
   and JWT ``nbf``/``exp`` against the injected ``now`` (§4.9);
5. **status**: every ``BitstringStatusListEntry`` (Bitstring Status List §3.2), its status list
   credential fetched through the injected :class:`StatusListFetcher`, verified by this same
   pipeline and issued by the same issuer;
6. **schema**: the content against its type's schema (:mod:`~tradetrace.credentials.content`);
7. **trust**: the injected :class:`TrustPolicy`; 8. **ledger**: the injected :class:`LedgerLookup`.

Status, trust and ledger are not consulted for a document whose proof failed (no I/O on behalf
of an unauthenticated document). A presentation's embedded credentials get nested reports; its
own status, schema, trust and ledger checks summarise theirs. Every check carries a stable code
from :data:`REASON_CODES`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Final, Protocol

from tradetrace import did, errors, trust
from tradetrace.credentials import content, fixed_checks, model, status_check
from tradetrace.credentials.fast_lane import FastLane
from tradetrace.credentials.reason_codes import REASON_CODES
from tradetrace.credentials.report import Check, CheckId, CheckStatus, VerificationReport
from tradetrace.credentials.securing import (
    DEFAULT_LIMITS,
    Failure,
    InputLimits,
    ProofChecker,
    Received,
    Signer,
)
from tradetrace.credentials.securing import read_secured as _read_secured
from tradetrace.credentials.status_cache import StatusListCache
from tradetrace.credentials.status_check import StatusListFetcher, UnsafeSkipStatusCheck
from tradetrace.types import Sha256Digest

__all__ = [
    "REASON_CODES",
    "ContentValidator",
    "InputLimits",
    "LedgerDecision",
    "LedgerLookup",
    "StatusListCache",
    "StatusListFetcher",
    "TrustPolicy",
    "UnsafeSkipStatusCheck",
    "Verifier",
]

_logger = logging.getLogger(__name__)
_LATER: Final = (CheckId.STATUS, CheckId.SCHEMA, CheckId.TRUST, CheckId.LEDGER)
_READ: Final = {
    "credential": fixed_checks.CREDENTIAL_READ,
    "presentation": fixed_checks.PRESENTATION_READ,
}
_NO_DATES: Final[tuple[datetime | None, datetime | None]] = (None, None)


class TrustPolicy(Protocol):
    """Decides whether an issuer is trusted for a credential (VC DM 2.0 §7.1 "validation" is the
    verifier's business rules; see :func:`tradetrace.trust.decide_trust`)."""

    def decide(
        self, *, issuer: str, credential_types: Sequence[str], at: datetime
    ) -> trust.TrustDecision:
        """The decision for ``issuer`` and a credential of ``credential_types`` at ``at``."""
        ...


@dataclass(frozen=True, slots=True)
class LedgerDecision:
    """Whether a secured document is recorded in the transparency log (RFC 9162 §2.1 leaves),
    with a stable code and a message, as :class:`tradetrace.trust.TrustDecision` has."""

    anchored: bool
    code: str
    message: str


class LedgerLookup(Protocol):
    """Looks a secured document up in the transparency log by :func:`model.secured_digest`
    (the digest a ``credential.issued`` record holds)."""

    def check(self, *, digest: Sha256Digest, document_id: str | None) -> LedgerDecision:
        """Whether the document with ``digest`` (and ``id``) was logged."""
        ...


class ContentValidator(Protocol):
    """Validates a credential's content against its type's schema (VC DM 2.0 §4.11 data schemas),
    like :func:`tradetrace.credentials.content.validate_content`."""

    def __call__(self, credential: Mapping[str, Any], /) -> content.ContentResult:
        """The result; raises :class:`errors.InvalidDocument` for content that breaks it."""
        ...


class Verifier:
    """Verifies credentials and presentations in every supported format (VC DM 2.0 §7.1,
    Data Integrity 1.0 §4.3, VC-JOSE-COSE §3.1); reusable and cheap to call, since the keys of
    did:key and did:jwk signers are cached after first use.

    ``status_lists`` is required: pass :class:`UnsafeSkipStatusCheck` to skip status checks.
    ``trust_policy`` and ``ledger`` are optional (their checks are then ``skipped``), as is
    ``content_validator`` (``None`` skips the schema check). ``clock_skew`` widens the
    validity period on both ends. ``status_cache`` keeps verified status lists between
    verifications (:mod:`~tradetrace.credentials.status_cache`; share one per node, since a
    list is verified with this verifier's resolver). ``stable_dids`` names DIDs whose keys never
    change, so they are kept like those of did:key and did:jwk. ``fast_lane`` verifies the
    common case in straight-line code (:mod:`~tradetrace.credentials.fast_lane`), with the same
    report; ``False`` runs every document through the pipeline.
    """

    def __init__(
        self,
        resolver: did.Resolver,
        *,
        status_lists: StatusListFetcher,
        trust_policy: TrustPolicy | None = None,
        ledger: LedgerLookup | None = None,
        content_validator: ContentValidator | None = content.validate_content,
        limits: InputLimits = DEFAULT_LIMITS,
        clock_skew: timedelta = timedelta(0),
        status_cache: StatusListCache | None = None,
        stable_dids: Callable[[str], bool] | None = None,
        fast_lane: bool = True,
    ) -> None:
        self._proofs = ProofChecker(resolver, stable=stable_dids)
        self._status_lists = status_lists
        self._status_cache = status_cache
        # Only a cache asks for versions; deciding whether the fetcher tells them is slow.
        self._versions = (
            status_check.version_lookup(status_lists) if status_cache is not None else None
        )
        self._trust = trust_policy
        self._ledger = ledger
        self._content = content_validator
        self._limits = limits
        self._skew = clock_skew
        self._fast = (
            FastLane(
                self._proofs.cached_key,
                content_validator=content_validator,
                trust_policy=trust_policy,
                ledger=ledger,
                limits=limits,
                clock_skew=clock_skew,
                status_lists=(
                    status_check.cached_lists(status_cache, clock_skew, self._versions)
                    if status_cache is not None
                    and not isinstance(status_lists, UnsafeSkipStatusCheck)
                    else None
                ),
            )
            if fast_lane
            else None
        )

    def verify(
        self,
        data: bytes | str | Mapping[str, Any],
        *,
        now: datetime,
        challenge: str | None = None,
        domain: str | None = None,
    ) -> VerificationReport:
        """Verify a secured credential or presentation at ``now`` (see the module docstring).

        ``challenge`` and ``domain`` are what this verifier asked the holder to bind its proof
        to (Data Integrity 1.0 §2.1; JWT ``nonce``/``aud``); ``None`` does not check them.

        Raises:
            errors.ConfigurationError: ``now`` is not timezone-aware (a caller bug, not a
                verdict on the document).
        """
        if now.tzinfo is None:
            raise errors.ConfigurationError("verify needs a timezone-aware now")
        now = now.astimezone(UTC)
        # bytes first: the usual input, and a quicker test than the Mapping ABC.
        if self._fast is not None and isinstance(data, bytes | str) and challenge is domain is None:
            report = self._fast.verify(data, now)
            if report is not None:
                return report
        run = _Run(self, now)
        if isinstance(data, (bytes, str)) or not isinstance(data, Mapping):
            return run.report(data, challenge=challenge, domain=domain)[0]
        return run.report(dict(data), challenge=challenge, domain=domain)[0]


def _check(check_id: CheckId, status: CheckStatus, code: str, message: str) -> Check:
    return Check(check_id, status, code, message)


def _guard(check_id: CheckId, compute: Callable[[], Check]) -> Check:
    """Run one check, turning every failure into its report entry (fail closed)."""
    try:
        return compute()
    except Failure as failure:
        return Check(check_id, failure.status, failure.code, failure.message)
    except errors.TradeTraceError as exc:
        return Check(check_id, CheckStatus.ERROR, exc.code, exc.message)
    except Exception:  # a bug must not become a verdict either way
        _logger.exception("%s check failed unexpectedly", check_id.value)
        return Check(check_id, CheckStatus.ERROR, "internal_error", "the check failed to run")


def _not_checked(check_id: CheckId, reason: str) -> Check:
    return Check(check_id, CheckStatus.SKIPPED, "not_checked", f"not checked: {reason}")


class _Run:
    """One call of :meth:`Verifier.verify`: its clock, and the status lists it fetched."""

    def __init__(self, verifier: Verifier, now: datetime) -> None:
        self.verifier = verifier
        self.now = now
        self._status: status_check.StatusChecker | None = None

    @property
    def status(self) -> status_check.StatusChecker:
        """The status checker of this run, made on first use (most credentials need none)."""
        if self._status is None:
            verifier = self.verifier
            self._status = status_check.StatusChecker(
                verifier._status_lists,
                partial(self.report, status_list=True),
                cache=verifier._status_cache,
                now=self.now,
                skew=verifier._skew,
                versions=verifier._versions,
            )
        return self._status

    def report(
        self,
        data: bytes | str | dict[str, Any],
        *,
        challenge: str | None = None,
        domain: str | None = None,
        jcs_ready: bool = False,
        embedded: bool = False,
        status_list: bool = False,
    ) -> tuple[VerificationReport, Received | None]:
        limits = self.verifier._limits
        try:
            secured = _read_secured(data, limits=limits, jcs_ready=jcs_ready)
            _check_kind(secured, embedded=embedded or status_list, limits=limits)
        except Failure as failure:
            first = Check(CheckId.FORMAT, failure.status, failure.code, failure.message)
            rest = (CheckId.PROOF, CheckId.VALIDITY) if status_list else (CheckId.PROOF, *_LATER)
            skipped = (_not_checked(i, "the format check failed") for i in rest)
            return VerificationReport("unknown", (first, *skipped)), None
        kind = "presentation" if secured.is_presentation else "credential"
        proof = _guard(CheckId.PROOF, lambda: self._proof(secured, challenge, domain))
        party = _guard(_party_check(secured), lambda: _party(secured))
        checks: list[Check] = [_READ[kind], proof, party]
        authentic = proof.status is CheckStatus.VALID and party.status is CheckStatus.VALID
        checks.append(_guard(CheckId.VALIDITY, lambda: self._validity(secured)))
        envelope = secured.envelope
        nested: tuple[VerificationReport, ...] = ()
        if isinstance(envelope, model.Presentation):
            nested = tuple(
                self.report(item, jcs_ready=secured.jcs_ready, embedded=True)[0]
                for item in envelope.verifiable_credential
            )
            checks += [_summary(check_id, nested) for check_id in _LATER]
        elif not status_list:
            checks += self._later(secured, envelope, authentic)
        report = VerificationReport(
            secured.format,
            tuple(checks),
            document_id=envelope.id,
            issuer=envelope.issuer if isinstance(envelope, model.Credential) else None,
            types=envelope.types,
            credentials=nested,
        )
        return report, secured

    def _proof(self, secured: Received, challenge: str | None, domain: str | None) -> Check:
        proofs = self.verifier._proofs
        signer: Signer = proofs.check(secured, now=self.now, challenge=challenge, domain=domain)
        return Check(
            CheckId.PROOF, CheckStatus.VALID, "proof_valid", f"signed by {signer.method_id}"
        )

    def _validity(self, secured: Received) -> Check:
        start = end = None
        if isinstance(secured.envelope, model.Credential):
            start, end = secured.envelope.not_before, secured.envelope.not_after
        claims: tuple[datetime | None, datetime | None] = (None, None)
        if secured.jws is not None:
            claims = _numeric_dates(secured.document)
        skew = self.verifier._skew
        for moment in (start, claims[0]):
            if moment is not None and self.now + skew < moment:
                message = f"not valid before {moment.isoformat()}"
                raise Failure(CheckStatus.INVALID, "not_yet_valid", message)
        if end is not None and self.now - skew > end:
            message = f"expired at {end.isoformat()}"
            raise Failure(CheckStatus.INVALID, "expired", message)
        if claims[1] is not None and self.now - skew >= claims[1]:
            message = f"JWT expired at {claims[1].isoformat()}"
            raise Failure(CheckStatus.INVALID, "expired", message)
        if start is end is None and claims == (None, None):
            return fixed_checks.NO_VALIDITY_PERIOD
        message = f"valid at {self.now.isoformat()}"
        return Check(CheckId.VALIDITY, CheckStatus.VALID, "within_validity_period", message)

    def _later(self, secured: Received, envelope: model.Credential, authentic: bool) -> list[Check]:
        if not authentic:
            reason = "the credential did not verify"
            skipped = [_not_checked(check_id, reason) for check_id in (CheckId.STATUS,)]
            schema = _guard(CheckId.SCHEMA, lambda: self._schema(secured))
            rest = [_not_checked(check_id, reason) for check_id in (CheckId.TRUST, CheckId.LEDGER)]
            return [*skipped, schema, *rest]
        return [
            _guard(CheckId.STATUS, lambda: self._status_check(envelope)),
            _guard(CheckId.SCHEMA, lambda: self._schema(secured)),
            _guard(CheckId.TRUST, lambda: self._trust(envelope)),
            _guard(CheckId.LEDGER, lambda: self._ledger_check(secured, envelope)),
        ]

    def _status_check(self, envelope: model.Credential) -> Check:
        if not envelope.credential_status:
            return fixed_checks.NO_STATUS  # what StatusChecker.check says, without making one
        return self.status.check(envelope)

    def _schema(self, secured: Received) -> Check:
        validator = self.verifier._content
        if validator is None:
            return fixed_checks.NO_CONTENT_VALIDATOR
        try:
            result = validator(secured.document)
        except errors.InvalidDocument as exc:
            raise Failure(CheckStatus.INVALID, "schema_invalid", exc.message) from None
        if result.matched is None:
            return fixed_checks.UNKNOWN_TYPE
        message = f"content matches {result.matched.schema_id}"
        return Check(CheckId.SCHEMA, CheckStatus.VALID, fixed_checks.SCHEMA_VALID, message)

    def _trust(self, envelope: model.Credential) -> Check:
        policy = self.verifier._trust
        if policy is None:
            return fixed_checks.NO_TRUST_POLICY
        decision = policy.decide(
            issuer=envelope.issuer, credential_types=envelope.types, at=self.now
        )
        outcome = CheckStatus.VALID if decision.trusted else CheckStatus.INVALID
        return _check(CheckId.TRUST, outcome, decision.code, decision.message)

    def _ledger_check(self, secured: Received, envelope: model.Credential) -> Check:
        ledger = self.verifier._ledger
        if ledger is None:
            return fixed_checks.NO_LEDGER
        digest = model.secured_digest(secured.secured_form())
        decision = ledger.check(digest=digest, document_id=envelope.id)
        outcome = CheckStatus.VALID if decision.anchored else CheckStatus.INVALID
        return _check(CheckId.LEDGER, outcome, decision.code, decision.message)


def _check_kind(secured: Received, *, embedded: bool, limits: InputLimits) -> None:
    envelope = secured.envelope
    if isinstance(envelope, model.Presentation):
        if embedded:
            message = "expected a credential, got a presentation"
            raise Failure(CheckStatus.INVALID, "malformed", message)
        if len(envelope.verifiable_credential) > limits.max_credentials:
            message = f"more than {limits.max_credentials} credentials in one presentation"
            raise Failure(CheckStatus.INVALID, "limit_exceeded", message)


def _party_check(secured: Received) -> CheckId:
    return CheckId.HOLDER if secured.is_presentation else CheckId.ISSUER


def _party(secured: Received) -> Check:
    """Issuer (VC DM 2.0 §4.7) or holder binding: the signer's DID is the party's id."""
    check_id, role = (
        (CheckId.HOLDER, "holder") if secured.is_presentation else (CheckId.ISSUER, "issuer")
    )
    party = secured.party
    if party is None:
        message = "the presentation names no holder to bind to its signer"
        raise Failure(CheckStatus.INVALID, "holder_missing", message)
    method_id = secured.method_id
    if method_id is None:
        return _not_checked(check_id, "no verification method")
    signer = method_id.partition("#")[0]
    claimed = secured.document.get("iss", party) if secured.jws is not None else party
    if signer != party or claimed != party:
        message = f"{role} {party:.200} is not the signer {signer:.200}"
        raise Failure(CheckStatus.INVALID, f"{role}_mismatch", message)
    return Check(check_id, CheckStatus.VALID, f"{role}_matches", f"{role} {party} signed")


def _numeric_dates(document: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """JWT ``nbf`` and ``exp`` (RFC 7519 §4.1.4, §4.1.5) as datetimes, when present."""
    if "nbf" not in document and "exp" not in document:
        return _NO_DATES  # VC-JOSE-COSE does not need them: validFrom/validUntil say it
    found: list[datetime | None] = []
    for claim in ("nbf", "exp"):
        value = document.get(claim)
        if value is None:
            found.append(None)
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Failure(CheckStatus.INVALID, "malformed", f"JWT {claim} is not a NumericDate")
        try:
            found.append(datetime.fromtimestamp(value, UTC))
        except (OverflowError, OSError, ValueError):
            raise Failure(CheckStatus.INVALID, "malformed", f"JWT {claim} out of range") from None
    return found[0], found[1]


def _summary(check_id: CheckId, nested: tuple[VerificationReport, ...]) -> Check:
    """A presentation's view of one check: the worst outcome among its credentials."""
    if not nested:
        return _check(check_id, CheckStatus.SKIPPED, "no_credentials", "no credentials presented")
    outcomes = [report.check(check_id) for report in nested]
    worst = max(
        (outcome.status if outcome else CheckStatus.SKIPPED for outcome in outcomes),
        key=status_check.SEVERITY.__getitem__,
    )
    count = sum(1 for o in outcomes if (o.status if o else CheckStatus.SKIPPED) is worst)
    message = f"{count} of {len(nested)} credentials {worst.value}"
    return _check(check_id, worst, f"credentials_{worst.value}", message)
