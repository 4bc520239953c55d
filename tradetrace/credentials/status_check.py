"""The status check of the verification pipeline (Bitstring Status List v1.0 §3.2 "Validate").

For every ``BitstringStatusListEntry`` of a credential (§2.1), :class:`StatusChecker` fetches the
status list credential through the injected :class:`StatusListFetcher`, verifies it with the
same pipeline as the credential (its proof, issuer binding and validity must hold, §3.2 step 4:
``STATUS_VERIFICATION_ERROR`` otherwise), checks that it is a ``BitstringStatusListCredential``
with the URL as its ``id``, issued by the credential's issuer, and reads the entry's bit with
:func:`tradetrace.credentials.status.check_status`. Each list is fetched once per verification.
Failing to fetch or verify a list is an ``error``: the check fails closed.

With a :class:`~tradetrace.credentials.status_cache.StatusListCache`, a list that verified is
kept, inflated, for later verifications, as long as that cache allows (its ``ttl``, its version,
its validity period); see :func:`cached_lists`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

from tradetrace import errors
from tradetrace.credentials import model, status
from tradetrace.credentials.report import Check, CheckId, CheckStatus, VerificationReport
from tradetrace.credentials.securing import Failure, Received
from tradetrace.credentials.status_cache import (
    CachedStatusList,
    StatusListCache,
    VersionedStatusListFetcher,
    list_issuer,
)

__all__ = [
    "SEVERITY",
    "CachedLists",
    "StatusChecker",
    "StatusListFetcher",
    "UnsafeSkipStatusCheck",
    "cached_lists",
    "version_lookup",
]

SEVERITY: Final = {
    CheckStatus.VALID: 0,
    CheckStatus.SKIPPED: 1,
    CheckStatus.INVALID: 2,
    CheckStatus.ERROR: 3,
}
"""How bad each check status is, for summarising several checks into one."""

_STATUS_LIST_TYPE: Final = "BitstringStatusListCredential"
_DEFINITE: Final = frozenset({"revoked", "suspended"})
_OK: Final = CheckStatus.VALID
_NO_JWT_DATES: Final = frozenset({"nbf", "exp"})
_ListVerifier = Callable[[Any], tuple[VerificationReport, Received | None]]
CachedLists = Callable[[Sequence[str], datetime], list[CachedStatusList | None]]
"""The cached, usable list at each URL at a moment, or ``None`` (see :func:`cached_lists`)."""
VersionLookup = Callable[[Sequence[str]], Mapping[str, str]]
"""A fetcher's ``status_list_versions`` (see :func:`version_lookup`)."""


class StatusListFetcher(Protocol):
    """Fetches a status list credential by its URL (Bitstring Status List §3.2 step 3)."""

    def fetch(self, url: str) -> bytes | str | Mapping[str, Any]:
        """The status list credential as received: JSON or compact JWS bytes, or parsed JSON.

        Raises:
            errors.TradeTraceError: the list cannot be fetched (reported as
                ``status_unreachable``).
        """
        ...


class UnsafeSkipStatusCheck:
    """A :class:`StatusListFetcher` that fetches nothing: status is reported ``skipped``.

    For tests and offline demonstrations only; a revoked credential then verifies.
    """

    def fetch(self, url: str) -> bytes:
        """Never called: the verifier skips the status check instead."""
        raise errors.ConfigurationError(f"status checks are disabled; not fetching {url}")


class StatusChecker:
    """Checks credentials' status entries for one verification, fetching each list once
    (Bitstring Status List v1.0 §3.2).

    ``verify_list`` verifies a fetched status list credential (the verifier's own pipeline, in
    its status-list mode) and returns its report and the secured document it read, at the
    verification's ``now``. With a ``cache``, lists are looked up there first (the validity
    period widened by ``skew``, as the validity check does, and the version as ``versions``
    tells it, :func:`version_lookup`) and kept there once verified.
    """

    def __init__(
        self,
        fetcher: StatusListFetcher,
        verify_list: _ListVerifier,
        *,
        now: datetime,
        cache: StatusListCache | None = None,
        skew: timedelta = timedelta(0),
        versions: VersionLookup | None = None,
    ) -> None:
        self._fetcher = fetcher
        self._verify_list = verify_list
        self._lists: dict[str, dict[str, Any] | CachedStatusList | Failure] = {}
        self._cache = cache
        self._now = now
        self._skew = skew
        self._version_lookup = versions
        self._versions: dict[str, str] = {}
        self._uncertain: set[str] = set()  # URLs whose version lookup failed: no cache for them

    def check(self, envelope: model.Credential) -> Check:
        """The status check of an authentic credential: every entry, the worst outcome wins.

        Raises:
            Failure: never; each entry's failure becomes its check (see :meth:`_entry`).
        """
        if not envelope.credential_status:
            return Check(CheckId.STATUS, CheckStatus.SKIPPED, "no_status", "no credentialStatus")
        if isinstance(self._fetcher, UnsafeSkipStatusCheck):
            message = "status check skipped by configuration (UnsafeSkipStatusCheck)"
            return Check(CheckId.STATUS, CheckStatus.SKIPPED, "status_check_skipped", message)
        if self._cache is not None:  # every list's version in one lookup, before any fetch
            urls = [entry.get("statusListCredential") for entry in envelope.credential_status]
            wanted = [url for url in dict.fromkeys(urls) if isinstance(url, str)]
            versions = _versions(self._version_lookup, wanted)
            if versions is None:
                self._uncertain.update(wanted)
            else:
                self._versions.update(versions)
        results = [self._entry(entry, envelope.issuer) for entry in envelope.credential_status]
        # A definite revocation or suspension outranks a list that could not be read.
        return max(results, key=lambda check: (check.code in _DEFINITE, SEVERITY[check.status]))

    def _entry(self, entry: dict[str, Any], issuer: str) -> Check:
        try:
            return self._checked_entry(entry, issuer)
        except Failure as failure:
            return Check(CheckId.STATUS, failure.status, failure.code, failure.message)

    def _checked_entry(self, entry: dict[str, Any], issuer: str) -> Check:
        if entry.get("type") != "BitstringStatusListEntry":
            message = f"status type {entry.get('type')!r:.80} is not supported"
            raise Failure(CheckStatus.ERROR, "status_unsupported", message)
        try:
            parsed = status.StatusEntry.from_json(entry)
        except errors.InvalidDocument as exc:
            raise Failure(CheckStatus.INVALID, "status_entry_invalid", exc.message) from None
        status_list = self._status_list(parsed.list_url, issuer)
        try:
            if isinstance(status_list, CachedStatusList):
                status.check_entry(parsed, status_list.purpose, status_list.bits)
            else:
                status.check_status(parsed, status_list)
        except errors.CredentialRevoked as exc:
            raise Failure(CheckStatus.INVALID, "revoked", exc.message) from None
        except errors.CredentialSuspended as exc:
            raise Failure(CheckStatus.INVALID, "suspended", exc.message) from None
        except (errors.InvalidDocument, errors.LimitExceeded) as exc:
            raise Failure(CheckStatus.ERROR, "status_list_invalid", exc.message) from None
        return active_check(parsed)

    def _status_list(self, url: str, issuer: str) -> dict[str, Any] | CachedStatusList:
        """The verified status list credential at ``url`` (Bitstring Status List §3.2)."""
        found = self._lists.get(url)
        if found is None:
            found = self._lists[url] = self._fetch_list(url, issuer)
        if isinstance(found, Failure):
            raise found
        named = found.issuer if isinstance(found, CachedStatusList) else list_issuer(found)
        if named != issuer:
            message = f"status list {url} is not issued by {issuer}"
            raise Failure(CheckStatus.ERROR, "status_list_invalid", message)
        return found

    def _fetch_list(self, url: str, issuer: str) -> dict[str, Any] | CachedStatusList | Failure:
        """The list at ``url``: from the cache if it holds it, usable now and issued by
        ``issuer`` (else the list may have changed hands: fetch it afresh), else fetched."""
        cache = None if url in self._uncertain else self._cache
        version = None
        if cache is not None:
            version = self._versions.get(url)
            cached = cache.lookup(url, now=self._now, skew=self._skew, version=version)
            if cached is not None and cached.issuer == issuer:
                return cached
        try:
            raw = self._fetcher.fetch(url)
        except Exception as exc:  # any failure to fetch is "unreachable", never a pass
            detail = exc.message if isinstance(exc, errors.TradeTraceError) else type(exc).__name__
            return Failure(CheckStatus.ERROR, "status_unreachable", f"{url}: {detail}")
        report, secured = self._verify_list(dict(raw) if isinstance(raw, Mapping) else raw)
        if secured is None or not report.verified():
            failed = next(c for c in report.checks if c.status not in (_OK, CheckStatus.SKIPPED))
            detail = f"{failed.code}: {failed.message}"
            return Failure(CheckStatus.ERROR, "status_list_invalid", f"{url}: {detail}")
        if _STATUS_LIST_TYPE not in report.types or report.document_id not in (None, url):
            message = f"{url} is not the {_STATUS_LIST_TYPE} it names"
            return Failure(CheckStatus.ERROR, "status_list_invalid", message)
        envelope = secured.envelope
        if cache is not None and isinstance(envelope, model.Credential):
            jwt_dates = secured.jws is not None and not _NO_JWT_DATES.isdisjoint(secured.document)
            if not jwt_dates:
                stored = cache.store(
                    url,
                    secured.document,
                    not_before=envelope.not_before,
                    not_after=envelope.not_after,
                    version=version,
                )
                if stored is not None:
                    return stored
        return secured.document


def active_check(entry: status.StatusEntry) -> Check:
    """The check of an entry whose bit is not set (§3.2 "Validate")."""
    message = f"{entry.purpose.value} status {entry.index} of {entry.list_url} is not set"
    return Check(CheckId.STATUS, CheckStatus.VALID, "status_active", message)


def version_lookup(fetcher: StatusListFetcher) -> VersionLookup | None:
    """``fetcher.status_list_versions`` when ``fetcher`` is a
    :class:`~tradetrace.credentials.status_cache.VersionedStatusListFetcher`, else ``None``.

    Decide it once per fetcher: checking a runtime protocol takes several microseconds.
    """
    return fetcher.status_list_versions if isinstance(fetcher, VersionedStatusListFetcher) else None


def cached_lists(
    cache: StatusListCache, skew: timedelta, versions: VersionLookup | None
) -> CachedLists:
    """A lookup of ``cache`` that asks for the lists' current versions when it can."""

    def lookup(urls: Sequence[str], now: datetime) -> list[CachedStatusList | None]:
        found = _versions(versions, urls)
        if found is None:
            return [None] * len(urls)
        return [cache.lookup(url, now=now, skew=skew, version=found.get(url)) for url in urls]

    return lookup


def _versions(lookup: VersionLookup | None, urls: Sequence[str]) -> Mapping[str, str] | None:
    """The versions of the lists at ``urls`` (none without a lookup), or ``None`` when the
    lookup failed: then no cached copy of them can be trusted."""
    if not urls or lookup is None:
        return {}
    try:
        return lookup(urls)
    except Exception:  # the lists are fetched and verified, and not kept
        return None
