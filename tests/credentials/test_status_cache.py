"""The cache of verified status lists: what it keeps, for how long, and what it never serves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.credentials import vc_assets
from tradetrace import did, errors
from tradetrace.credentials import issue, status, status_check, verify
from tradetrace.credentials.report import CheckId, CheckStatus
from tradetrace.credentials.status_cache import StatusListCache, list_issuer

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ED = vc_assets.vector_key("ed25519")
FORGER = vc_assets.other_key()
LIST_BASE = "https://mill.example.com/status"
REVOCATION = f"{LIST_BASE}/revocation"
SUSPENSION = f"{LIST_BASE}/suspension"
WITH_STATUS = (vc_assets.VC / "with-status-vc-jwt-eddsa.jwt").read_bytes()
INDEX = 94567  # the entries' statusListIndex in WITH_STATUS


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _list_document(purpose=status.StatusPurpose.REVOCATION, *, set_bits=(), url=None, **subject):
    url = url or f"{LIST_BASE}/{purpose.value}"
    document = vc_assets.status_list_document(url, purpose, set_bits=set_bits, **subject)
    return {**document, "issuer": vc_assets.key_did(ED)}


def _signed(document, *, fmt=issue.Format.VC_JWT, key=ED, now=vc_assets.ISSUED_AT):
    unsigned = {name: value for name, value in document.items() if name != "issuer"}
    return issue.issue_credential(unsigned, key=key, format=fmt, now=now).to_bytes()


def _lists(revoked=(), suspended=(), **subject) -> vc_assets.MemoryStatusLists:
    """The revocation and suspension lists of ED's did:key, served from memory."""
    return vc_assets.MemoryStatusLists(_list_credentials(revoked, suspended, **subject))


def _list_credentials(revoked=(), suspended=(), **subject) -> dict[str, bytes]:
    return {
        REVOCATION: _signed(_list_document(set_bits=revoked, **subject)),
        SUSPENSION: _signed(
            _list_document(status.StatusPurpose.SUSPENSION, set_bits=suspended, **subject)
        ),
    }


class _VersionedLists(vc_assets.MemoryStatusLists):
    def __init__(self, revoked=(), suspended=()) -> None:
        super().__init__(_list_credentials(revoked, suspended))
        self.versions = {REVOCATION: "1", SUSPENSION: "1"}
        self.asked: list[list[str]] = []

    def status_list_versions(self, urls):
        self.asked.append(list(urls))
        if "https://broken.example" in urls:
            raise RuntimeError("database gone")
        return {url: self.versions[url] for url in urls if url in self.versions}


def _verifier(lists, cache, **options):
    return verify.Verifier(did.KeyResolver(), status_lists=lists, status_cache=cache, **options)


def _status(report):
    check = report.check(CheckId.STATUS)
    assert check is not None
    return check.status, check.code


# --- the cache on its own -----------------------------------------------------------------------


def test_a_kept_list_is_found_until_its_age_runs_out():
    clock = _Clock()
    cache = StatusListCache(max_age=timedelta(seconds=60), clock=clock)
    entry = cache.store(REVOCATION, _list_document(set_bits=(7,)), **_no_period())
    assert entry is not None and len(cache) == 1
    assert entry.issuer == vc_assets.key_did(ED) and entry.purpose == "revocation"
    assert entry.bits.get(7) and not entry.bits.get(8)
    assert cache.lookup(REVOCATION, now=NOW, skew=timedelta(0), version=None) is entry
    clock.now += 59.9
    assert cache.lookup(REVOCATION, now=NOW, skew=timedelta(0), version=None) is entry
    clock.now += 0.1
    assert cache.lookup(REVOCATION, now=NOW, skew=timedelta(0), version=None) is None
    assert len(cache) == 0  # an expired entry is dropped
    assert cache.lookup(SUSPENSION, now=NOW, skew=timedelta(0), version=None) is None


@pytest.mark.parametrize(
    ("ttl", "kept_for"),
    [(30_000, 30.0), (1_500.5, 1.5005), (600_000, 60.0), ("soon", 60.0), (True, 60.0), (-5, 60.0)],
)
def test_ttl_shortens_the_age_but_never_lengthens_it(ttl, kept_for):
    clock = _Clock()
    cache = StatusListCache(max_age=timedelta(seconds=60), clock=clock)
    entry = cache.store(REVOCATION, _list_document(ttl=ttl), **_no_period())
    assert entry is not None
    assert entry.expires == pytest.approx(clock.now + kept_for)


@pytest.mark.parametrize(
    "document",
    [
        _list_document(ttl=0),
        {**_list_document(), "credentialSubject": "not an object"},
        {**_list_document(), "issuer": 7},
        {**_list_document(), "issuer": {"name": "no id"}},
        _list_document(type="StatusList2021"),
        _list_document(statusPurpose=["revocation", "suspension"]),
        _list_document(encodedList=12),
        _list_document(encodedList="uNotGzip"),
        _list_document(encodedList="zWrongPrefix"),
    ],
    ids=[
        "ttl-0",
        "subject-not-object",
        "issuer-not-string",
        "issuer-without-id",
        "other-type",
        "purpose-list",
        "list-not-string",
        "list-not-gzip",
        "list-wrong-prefix",
    ],
)
def test_lists_the_cache_cannot_read_are_not_kept(document):
    cache = StatusListCache()
    assert cache.store(REVOCATION, document, **_no_period()) is None
    assert len(cache) == 0


def test_nothing_is_kept_with_a_max_age_of_zero():
    cache = StatusListCache(max_age=timedelta(0))
    assert cache.store(REVOCATION, _list_document(), **_no_period()) is None


def test_a_changed_version_is_a_miss_and_drops_the_entry():
    cache = StatusListCache()
    cache.store(REVOCATION, _list_document(), not_before=None, not_after=None, version="3")
    assert cache.lookup(REVOCATION, now=NOW, skew=timedelta(0), version="3") is not None
    assert cache.lookup(REVOCATION, now=NOW, skew=timedelta(0), version=None) is None
    assert len(cache) == 0
    cache.store(REVOCATION, _list_document(), not_before=None, not_after=None, version="3")
    assert cache.lookup(REVOCATION, now=NOW, skew=timedelta(0), version="4") is None


def test_a_list_is_served_only_inside_its_validity_period():
    cache = StatusListCache()
    start, end = NOW - timedelta(days=1), NOW + timedelta(days=1)
    cache.store(REVOCATION, _list_document(), not_before=start, not_after=end, version=None)

    def found(moment, skew=timedelta(0)):
        return cache.lookup(REVOCATION, now=moment, skew=skew, version=None) is not None

    assert found(NOW) and found(start)
    assert not found(start - timedelta(seconds=1))
    assert found(start - timedelta(seconds=1), skew=timedelta(seconds=1))
    assert not found(end)  # certainly inside only: the end itself goes to the pipeline
    assert found(end, skew=timedelta(seconds=1))
    assert len(cache) == 1  # a moment outside the period does not drop the entry


def test_the_oldest_list_makes_room():
    cache = StatusListCache(max_lists=2)
    for name in ("a", "b", "a", "c"):
        cache.store(f"{LIST_BASE}/{name}", _list_document(), **_no_period())
    kept = [
        name
        for name in ("a", "b", "c")
        if cache.lookup(f"{LIST_BASE}/{name}", now=NOW, skew=timedelta(0), version=None)
    ]
    assert kept == ["a", "c"]  # storing "a" again made it the newest
    cache.forget(f"{LIST_BASE}/a")
    cache.forget(f"{LIST_BASE}/never")
    assert len(cache) == 1
    cache.clear()
    assert len(cache) == 0


@pytest.mark.parametrize(("max_age", "max_lists"), [(timedelta(seconds=-1), 10), (timedelta(0), 0)])
def test_the_cache_refuses_impossible_bounds(max_age, max_lists):
    with pytest.raises(errors.ConfigurationError, match="max_age must be >= 0"):
        StatusListCache(max_age=max_age, max_lists=max_lists)


def test_list_issuer_reads_a_string_or_an_object_id():
    assert list_issuer({"issuer": "did:key:z1"}) == "did:key:z1"
    assert list_issuer({"issuer": {"id": "did:key:z2", "name": "Mill"}}) == "did:key:z2"
    assert list_issuer({"issuer": {"id": 3}}) is None
    assert list_issuer({}) is None


def _no_period():
    return {"not_before": None, "not_after": None, "version": None}


# --- verification with a cache ------------------------------------------------------------------


def test_a_second_verification_uses_the_lists_the_first_verified():
    lists, cache = _lists(), StatusListCache()
    verifier = _verifier(lists, cache)
    first = verifier.verify(WITH_STATUS, now=NOW)
    assert first.verified(), first.to_json()
    assert sorted(lists.fetched) == [REVOCATION, SUSPENSION]
    for other in (verifier, _verifier(lists, cache), _verifier(lists, cache, fast_lane=False)):
        assert other.verify(WITH_STATUS, now=NOW) == first
    assert len(lists.fetched) == 2
    assert _status(first) == (CheckStatus.VALID, "status_active")


def test_without_a_cache_every_verification_fetches():
    lists = _lists()
    verifier = _verifier(lists, None)
    verifier.verify(WITH_STATUS, now=NOW)
    verifier.verify(WITH_STATUS, now=NOW)
    assert len(lists.fetched) == 4


def test_a_revocation_is_seen_once_the_lists_ttl_has_passed():
    clock = _Clock()
    lists, cache = _lists(ttl=30_000), StatusListCache(clock=clock)
    verifier = _verifier(lists, cache)
    assert verifier.verify(WITH_STATUS, now=NOW).verified()
    lists.lists[REVOCATION] = _signed(_list_document(set_bits=(INDEX,), ttl=30_000))
    clock.now += 29
    assert verifier.verify(WITH_STATUS, now=NOW).verified()  # within the ttl the list is reused
    clock.now += 1
    report = verifier.verify(WITH_STATUS, now=NOW)
    assert _status(report) == (CheckStatus.INVALID, "revoked")
    assert lists.fetched.count(REVOCATION) == 2


def test_a_versioned_list_is_fetched_again_as_soon_as_it_changes():
    lists, cache = _VersionedLists(), StatusListCache()
    verifier = _verifier(lists, cache)
    assert verifier.verify(WITH_STATUS, now=NOW).verified()
    assert verifier.verify(WITH_STATUS, now=NOW).verified()
    assert len(lists.fetched) == 2
    # one lookup of both versions per verification (the second from the fast lane)
    assert lists.asked == [[REVOCATION, SUSPENSION]] * 2
    lists.lists[SUSPENSION] = _signed(
        _list_document(status.StatusPurpose.SUSPENSION, set_bits=(INDEX,))
    )
    lists.versions[SUSPENSION] = "2"
    for fast in (True, False):
        report = _verifier(lists, cache, fast_lane=fast).verify(WITH_STATUS, now=NOW)
        assert _status(report) == (CheckStatus.INVALID, "suspended")
    assert lists.fetched.count(SUSPENSION) == 2  # the new version was kept after one fetch
    assert lists.fetched.count(REVOCATION) == 1


def test_a_version_that_cannot_be_read_means_fetching():
    lists, cache = _VersionedLists(), StatusListCache()
    for url in (REVOCATION, "https://broken.example"):
        cache.store(url, _list_document(), not_before=None, not_after=None, version="1")
    versions = status_check.version_lookup(lists)
    assert versions is not None
    lookup = status_check.cached_lists(cache, timedelta(0), versions)
    assert lookup([REVOCATION], NOW)[0] is not None
    assert lookup([], NOW) == []
    # the version lookup raised: no kept copy can be trusted
    assert lookup([REVOCATION, "https://broken.example"], NOW) == [None, None]
    cache.store(REVOCATION, _list_document(), not_before=None, not_after=None, version="1")
    assert status_check.version_lookup(_lists()) is None
    assert status_check.cached_lists(cache, timedelta(0), None)([REVOCATION], NOW) == [None]
    verifier = _verifier(lists, cache)
    lists.lists["https://broken.example"] = _signed(_list_document(url="https://broken.example"))
    document = vc_assets.mill_test_report(ED)
    document["credentialStatus"] = {
        **_entries()[0],
        "statusListCredential": "https://broken.example",
    }
    data = issue.issue_credential(document, key=ED, format=issue.Format.VC_JWT, now=NOW)
    for _ in range(2):
        assert verifier.verify(data.to_bytes(), now=NOW).verified()
    assert lists.fetched.count("https://broken.example") == 2  # fetched each time, never kept
    assert cache.lookup("https://broken.example", now=NOW, skew=timedelta(0), version="1")


def test_a_list_that_failed_is_not_remembered():
    lists, cache = _lists(), StatusListCache()
    verifier = _verifier(lists, cache)
    missing = lists.lists.pop(REVOCATION)
    assert _status(verifier.verify(WITH_STATUS, now=NOW)) == (
        CheckStatus.ERROR,
        "status_unreachable",
    )
    lists.lists[REVOCATION] = _signed(_list_document(), key=FORGER)
    assert _status(verifier.verify(WITH_STATUS, now=NOW)) == (
        CheckStatus.ERROR,
        "status_list_invalid",
    )
    lists.lists[REVOCATION] = missing  # the forger's list was kept, but is not the issuer's
    assert verifier.verify(WITH_STATUS, now=NOW).verified()
    assert lists.fetched.count(REVOCATION) == 3


def test_a_cached_list_still_has_to_be_the_credential_issuers():
    lists, cache = _lists(), StatusListCache()
    assert _verifier(lists, cache).verify(WITH_STATUS, now=NOW).verified()
    # The same entries in a credential of another issuer: the cached lists are not its lists,
    # so they are fetched afresh (the URL may have changed hands), and refused.
    document = vc_assets.mill_test_report(FORGER)
    document["credentialStatus"] = _entries()
    other = issue.issue_credential(document, key=FORGER, format=issue.Format.VC_JWT, now=NOW)
    for fast in (True, False):
        report = _verifier(lists, cache, fast_lane=fast).verify(other.to_bytes(), now=NOW)
        assert _status(report) == (CheckStatus.ERROR, "status_list_invalid")
        assert "is not issued by" in report.check(CheckId.STATUS).message
    assert len(lists.fetched) == 2 + 2 * 2
    assert _verifier(lists, cache).verify(WITH_STATUS, now=NOW).verified()
    assert len(lists.fetched) == 6  # the refetched lists were kept, and are the issuer's


def test_a_cached_list_is_checked_against_the_entrys_purpose_and_range():
    lists, cache = _lists(), StatusListCache()
    assert _verifier(lists, cache).verify(WITH_STATUS, now=NOW).verified()
    swapped = _entries()
    swapped[0]["statusPurpose"], swapped[1]["statusPurpose"] = "suspension", "revocation"
    beyond = _entries()
    beyond[0]["statusListIndex"] = str(status.MIN_LIST_BITS)
    for entries, message in ((swapped, "purpose mismatch"), (beyond, "is outside")):
        document = {**vc_assets.mill_test_report(ED), "credentialStatus": entries}
        data = issue.issue_credential(document, key=ED, format=issue.Format.VC_JWT, now=NOW)
        report = _verifier(lists, cache).verify(data.to_bytes(), now=NOW)
        assert _status(report) == (CheckStatus.ERROR, "status_list_invalid")
        assert message in report.check(CheckId.STATUS).message
    assert len(lists.fetched) == 2


def test_lists_with_jwt_dates_are_verified_every_time():
    lists, cache = _lists(), StatusListCache()
    unsigned = {k: v for k, v in _list_document().items() if k != "issuer"}
    lists.lists[REVOCATION] = issue.issue_credential(
        {**unsigned, "exp": int((NOW + timedelta(days=1)).timestamp())},
        key=ED,
        format=issue.Format.VC_JWT,
        now=vc_assets.ISSUED_AT,
    ).to_bytes()
    verifier = _verifier(lists, cache)
    assert verifier.verify(WITH_STATUS, now=NOW).verified()
    assert verifier.verify(WITH_STATUS, now=NOW).verified()
    assert lists.fetched.count(REVOCATION) == 2
    assert lists.fetched.count(SUSPENSION) == 1


def test_a_list_past_its_validity_period_is_verified_again_and_refused():
    lists, cache = _lists(), StatusListCache()
    unsigned = {k: v for k, v in _list_document().items() if k != "issuer"}
    unsigned["validUntil"] = (NOW + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    lists.lists[REVOCATION] = issue.issue_credential(
        unsigned, key=ED, format=issue.Format.EDDSA_JCS_2022, now=vc_assets.ISSUED_AT
    ).to_bytes()
    verifier = _verifier(lists, cache)
    assert verifier.verify(WITH_STATUS, now=NOW).verified()
    later = NOW + timedelta(hours=2)
    report = verifier.verify(WITH_STATUS, now=later)
    assert _status(report) == (CheckStatus.ERROR, "status_list_invalid")
    assert "expired" in report.check(CheckId.STATUS).message
    assert lists.fetched.count(REVOCATION) == 2


def test_unsafe_skip_status_check_ignores_the_cache():
    cache = StatusListCache()
    verifier = _verifier(verify.UnsafeSkipStatusCheck(), cache)
    report = verifier.verify(WITH_STATUS, now=NOW)
    assert _status(report) == (CheckStatus.SKIPPED, "status_check_skipped")
    assert len(cache) == 0


def _entries():
    return [
        {
            "id": f"{url}#{INDEX}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(INDEX),
            "statusListCredential": url,
        }
        for purpose, url in (("revocation", REVOCATION), ("suspension", SUSPENSION))
    ]
