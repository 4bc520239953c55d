"""A cache of verified status lists, shared by the verifications of one node.

Checking a credential's status (Bitstring Status List v1.0 §3.2) means fetching its status list
credential, verifying it and inflating its bitstring: far more work than verifying the credential
itself. :class:`StatusListCache` keeps each list that verified, already inflated, so the next
credential that points into it is checked with a lookup. An entry is used while all of these
hold, and is fetched and verified again otherwise:

- **Age.** It is younger than the list's ``ttl``, the "time to live" in milliseconds before a
  refresh SHOULD be attempted (§2.2 ``ttl``), and never older than the cache's ``max_age``.
  The spec assumes no default when ``ttl`` is absent; this cache then uses ``max_age``.
- **Version.** The fetcher can tell the list's version cheaply (this node's own lists: the
  stored version, see :class:`VersionedStatusListFetcher`), and it is unchanged. A list this
  node changes is therefore never served stale, whatever the age. When that lookup fails, the
  lists are fetched and verified, and not kept.
- **Validity period.** The verification's ``now`` lies inside the list credential's validity
  period (VC DM 2.0 §4.9), which ``ttl`` does not override (§2.2). Where that is not certain
  (a JWT ``nbf``/``exp``), the list is not cached.

Only lists that verified are kept: a list that could not be fetched or verified is tried again
by the next verification, so a failure is never remembered as a pass, nor a pass invented.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Protocol, runtime_checkable

from tradetrace import errors
from tradetrace.credentials import status

__all__ = ["CachedStatusList", "StatusListCache", "VersionedStatusListFetcher", "list_issuer"]

DEFAULT_MAX_AGE: Final = timedelta(minutes=5)
"""How long a list is kept when neither its ``ttl`` nor the configuration says less."""
DEFAULT_MAX_LISTS: Final = 1024
"""How many lists are kept; the oldest entry makes room for a new one."""


@runtime_checkable
class VersionedStatusListFetcher(Protocol):
    """A status list fetcher that can also tell, cheaply, which version of a list it serves."""

    def status_list_versions(self, urls: Sequence[str]) -> Mapping[str, str]:
        """The versions of the lists at ``urls`` (each changes whenever its list does), in one
        lookup; a URL whose version it cannot tell is left out (the cache then relies on age
        alone for that list)."""
        ...


@dataclass(frozen=True, slots=True)
class CachedStatusList:
    """A status list credential that verified (§3.2 steps 3 and 4), read for lookups.

    ``purpose`` is the list's ``statusPurpose`` and ``bits`` its inflated ``encodedList``;
    ``not_before``/``not_after`` bound the credential's validity period.
    """

    url: str
    issuer: str
    purpose: str
    bits: status.Bitstring
    not_before: datetime | None
    not_after: datetime | None
    version: str | None
    expires: float

    def valid_at(self, now: datetime, skew: timedelta) -> bool:
        """Whether ``now`` is certainly inside the list credential's validity period."""
        if self.not_before is not None and now + skew < self.not_before:
            return False
        return self.not_after is None or now - skew < self.not_after


class StatusListCache:
    """Verified status lists by URL (see the module docstring); safe to share between threads.

    ``max_age`` bounds how long any list is kept (zero keeps none); ``clock`` is a monotonic
    clock in seconds, injectable for tests.
    """

    def __init__(
        self,
        *,
        max_age: timedelta = DEFAULT_MAX_AGE,
        max_lists: int = DEFAULT_MAX_LISTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_age < timedelta(0) or max_lists < 1:
            raise errors.ConfigurationError(
                "status list cache: max_age must be >= 0 and max_lists >= 1"
            )
        self._max_age = max_age.total_seconds()
        self._max_lists = max_lists
        self._clock = clock
        self._lists: dict[str, CachedStatusList] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._lists)

    def lookup(
        self, url: str, *, now: datetime, skew: timedelta, version: str | None
    ) -> CachedStatusList | None:
        """The list at ``url`` if it may be used now, else ``None``.

        ``version`` is the fetcher's current version of the list (``None``: unknown).
        """
        found = self._lists.get(url)
        if found is None:
            return None
        if self._clock() >= found.expires or found.version != version:
            self.forget(url)
            return None
        return found if found.valid_at(now, skew) else None

    def store(
        self,
        url: str,
        document: dict[str, Any],
        *,
        not_before: datetime | None,
        not_after: datetime | None,
        version: str | None,
    ) -> CachedStatusList | None:
        """Keep the verified status list credential ``document`` fetched from ``url``; the entry,
        or ``None`` when it is not kept (``ttl`` or ``max_age`` of zero, or a subject this
        cache does not read, which the uncached path then reports)."""
        subject = document.get("credentialSubject")
        if not isinstance(subject, dict):
            return None
        lifetime = self._lifetime(subject.get("ttl"))
        purpose, encoded = subject.get("statusPurpose"), subject.get("encodedList")
        issuer = list_issuer(document)
        if (
            lifetime <= 0
            or subject.get("type") != "BitstringStatusList"
            or not isinstance(purpose, str)
            or not isinstance(encoded, str)
            or issuer is None
        ):
            return None
        try:
            bits = status.Bitstring.decode(encoded)
        except (errors.InvalidDocument, errors.LimitExceeded):
            return None
        entry = CachedStatusList(
            url, issuer, purpose, bits, not_before, not_after, version, self._clock() + lifetime
        )
        with self._lock:
            self._lists.pop(url, None)
            while len(self._lists) >= self._max_lists:
                del self._lists[next(iter(self._lists))]
            self._lists[url] = entry
        return entry

    def forget(self, url: str) -> None:
        """Drop the list at ``url``, if kept."""
        with self._lock:
            self._lists.pop(url, None)

    def clear(self) -> None:
        """Drop every list."""
        with self._lock:
            self._lists.clear()

    def _lifetime(self, ttl: object) -> float:
        """Seconds to keep a list whose subject says ``ttl`` (§2.2: milliseconds)."""
        if isinstance(ttl, int | float) and not isinstance(ttl, bool) and ttl >= 0:
            return min(self._max_age, ttl / 1000)
        return self._max_age


def list_issuer(document: dict[str, Any]) -> str | None:
    """The ``issuer`` of a credential: the string, or the ``id`` of the object (VC DM 2.0
    §4.7); ``None`` when neither."""
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None
