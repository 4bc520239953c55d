"""The fast lane of Verifier.verify reports exactly what the pipeline reports, for every input.

Each test verifies the same bytes with a verifier whose fast lane is on (twice: the first call
resolves and caches the signer's key, the second may take the fast lane) and with one whose fast
lane is off, and compares the reports field by field.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.credentials import vc_assets
from tradetrace import did, errors, keys, trust
from tradetrace.credentials import issue, jose, json_input, proofs, status, verify
from tradetrace.credentials.proofs import data_integrity
from tradetrace.credentials.report import CheckId, VerificationReport
from tradetrace.credentials.status_cache import StatusListCache

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
NOWS = [
    datetime(2025, 12, 1, tzinfo=UTC),  # before validFrom
    datetime(2026, 1, 1, tzinfo=UTC),  # before validFrom, within the skew of one test
    NOW,
    datetime(2027, 1, 15, 9, 30, tzinfo=UTC),  # at validUntil
    datetime(2027, 6, 1, tzinfo=UTC),  # expired
]
ED = vc_assets.vector_key("ed25519")
P256 = vc_assets.vector_key("p256")
P384 = vc_assets.vector_key("p384")
FORGER = vc_assets.other_key()
LIST_BASE = "https://mill.example.com/status"
ASSETS = sorted(
    [
        *vc_assets.VC.glob("*.json"),
        *vc_assets.VC.glob("*.jwt"),
        *vc_assets.VECTORS.glob("w3c-vc-di-*/*/signed*.json"),
    ]
)
CONTENT = sorted((vc_assets.VC / "content").glob("*.json"))


class _Trust:
    def __init__(self, trusted: bool) -> None:
        self.trusted = trusted

    def decide(self, *, issuer, credential_types, at):
        code = "issuer_accredited" if self.trusted else "issuer_not_accredited"
        return trust.TrustDecision(self.trusted, code, f"{issuer} for {credential_types[-1]}")


class _Ledger:
    def __init__(self, anchored: bool) -> None:
        self.anchored = anchored

    def check(self, *, digest, document_id):
        code = "logged" if self.anchored else "not_logged"
        return verify.LedgerDecision(self.anchored, code, f"{digest} {document_id}")


def _status_lists(revoked=(), suspended=()):
    lists = {}
    for purpose, bits in (
        (status.StatusPurpose.REVOCATION, revoked),
        (status.StatusPurpose.SUSPENSION, suspended),
    ):
        url = f"{LIST_BASE}/{purpose.value}"
        document = vc_assets.status_list_document(url, purpose, set_bits=bits)
        secured = issue.issue_credential(
            document, key=ED, format=issue.Format.VC_JWT, now=vc_assets.ISSUED_AT
        )
        lists[url] = secured.to_bytes()
    return vc_assets.MemoryStatusLists(lists)


CONFIGURATIONS = {
    "default": {},
    "no schema": {"content_validator": None},
    "trusted, logged": {"trust_policy": _Trust(True), "ledger": _Ledger(True)},
    "untrusted": {"trust_policy": _Trust(False)},
    "not logged": {"ledger": _Ledger(False)},
    "skew": {"clock_skew": timedelta(days=30)},
    "small": {"limits": verify.InputLimits(max_bytes=2000)},
    "shallow": {"limits": verify.InputLimits(max_depth=4)},
    "status cache": {"status_lists": _status_lists(), "status_cache": True},
}


def _verifier(fast: bool, options: dict) -> verify.Verifier:
    options = dict(options)
    options.setdefault("status_lists", verify.UnsafeSkipStatusCheck())
    if options.get("status_cache") is True:  # a cache of this verifier's own
        options["status_cache"] = StatusListCache()
    verifier = verify.Verifier(did.KeyResolver(), fast_lane=fast, **options)
    # Every key these tests sign with is cached, as after verifying anything it signed: the
    # fast lane then gets as far as it can with every document.
    for key in (ED, P256, P384, FORGER):
        for relationship in (did.Relationship.ASSERTION_METHOD, did.Relationship.AUTHENTICATION):
            verifier._proofs.key(_method(key), relationship)
    return verifier


def _compare(data: bytes | str, now: datetime = NOW, **options) -> VerificationReport:
    """The pipeline's report of ``data``, after checking the fast lane's is the same."""
    expected = _verifier(False, options).verify(data, now=now)
    fast = _verifier(True, options)
    assert fast.verify(data, now=now) == expected
    assert fast.verify(data, now=now) == expected  # and again, with what the first call cached
    return expected


def _handled(data: bytes | str, now: datetime = NOW, **options) -> bool:
    """Whether the fast lane itself took ``data``."""
    verifier = _verifier(True, options)
    assert verifier._fast is not None
    return verifier._fast.verify(data, now) is not None


def _method(key: keys.SigningKey) -> str:
    key_did = vc_assets.key_did(key)
    return f"{key_did}#{key_did.removeprefix('did:key:')}"


def _sign_jws(document: dict, key: keys.SigningKey, kid: str | None = None) -> bytes:
    token = jose.sign_compact(
        document, key, kid=kid or _method(key), media_type=jose.MediaType.VC_JWT
    )
    return token.encode()


def _sign_proof(document: dict, key: keys.SigningKey, suite: str, **options) -> bytes:
    cryptosuite = proofs.find_cryptosuite(suite)
    assert cryptosuite is not None
    proof_options = {
        "type": data_integrity.PROOF_TYPE,
        "cryptosuite": suite,
        "created": "2026-01-15T09:30:00Z",
        "verificationMethod": _method(key),
        "proofPurpose": "assertionMethod",
        **options,
    }
    proof = cryptosuite.create_proof(document, proof_options, key)
    return json.dumps({**document, "proof": proof}, indent=2).encode()


SIGNERS = {
    "vc-jwt EdDSA": lambda document: _sign_jws(document, ED),
    "vc-jwt ES256": lambda document: _sign_jws(document, P256),
    "vc-jwt ES384": lambda document: _sign_jws(document, P384),
    "eddsa-jcs-2022": lambda document: _sign_proof(document, ED, "eddsa-jcs-2022"),
    "ecdsa-jcs-2019 P-256": lambda document: _sign_proof(document, P256, "ecdsa-jcs-2019"),
    "ecdsa-jcs-2019 P-384": lambda document: _sign_proof(document, P384, "ecdsa-jcs-2019"),
}


def _mill_test_report(key: keys.SigningKey = ED) -> dict:
    return vc_assets.mill_test_report(key)


# --- the stored assets and vectors --------------------------------------------------------------


def test_assets_are_found():
    names = {path.name for path in ASSETS}
    assert {"valid-vc-jwt-eddsa.jwt", "tampered-subject-eddsa-jcs-2022.json"} <= names
    assert "signedJCS.json" in names
    assert len(CONTENT) > 10


@pytest.mark.parametrize("configuration", CONFIGURATIONS)
@pytest.mark.parametrize("path", ASSETS, ids=lambda path: path.name)
def test_fast_lane_reports_stored_documents_as_the_pipeline(path, configuration):
    data = path.read_bytes()
    for now in NOWS:
        _compare(data, now, **CONFIGURATIONS[configuration])
    _compare(data.decode(), NOW, **CONFIGURATIONS[configuration])


@pytest.mark.parametrize(
    "name",
    [
        "valid-eddsa-jcs-2022.json",
        "valid-ecdsa-jcs-2019-p256.json",
        "valid-ecdsa-jcs-2019-p384.json",
        "valid-vc-jwt-eddsa.jwt",
        "valid-vc-jwt-es256.jwt",
        "valid-vc-jwt-es384.jwt",
    ],
)
def test_fast_lane_takes_valid_credentials(name):
    data = (vc_assets.VC / name).read_bytes()
    for options in ({}, CONFIGURATIONS["no schema"], CONFIGURATIONS["trusted, logged"]):
        assert _compare(data, **options).verified()
        assert _handled(data, **options)
        assert _handled(data.decode(), **options)


@pytest.mark.parametrize(
    "name",
    [
        "tampered-subject-eddsa-jcs-2022.json",
        "swapped-issuer-eddsa-jcs-2022.json",
        "other-signer-eddsa-jcs-2022.json",
        "payload-edited-vc-jwt-eddsa.jwt",
        "wrong-key-vc-jwt-eddsa.jwt",
        "with-status-vc-jwt-eddsa.jwt",
        "valid-vp-eddsa-jcs-2022.json",
        "valid-eddsa-rdfc-2022.json",
    ],
)
def test_fast_lane_leaves_failures_and_other_shapes_to_the_pipeline(name):
    assert not _handled((vc_assets.VC / name).read_bytes())


def test_fast_lane_leaves_failing_checks_to_the_pipeline():
    data = (vc_assets.VC / "valid-vc-jwt-eddsa.jwt").read_bytes()
    assert not _handled(data, NOWS[-1])  # expired
    assert not _handled(data, NOWS[0])  # not yet valid


def test_fast_lane_reports_untrusted_and_unlogged_credentials():
    data = (vc_assets.VC / "valid-vc-jwt-eddsa.jwt").read_bytes()
    for configuration in ("untrusted", "not logged"):
        report = _compare(data, **CONFIGURATIONS[configuration])
        assert report.verified() and not report.verified(require=list(CheckId))
        assert _handled(data, **CONFIGURATIONS[configuration])


@pytest.mark.parametrize(("revoked", "suspended"), [((), ()), ((94567,), ()), ((), (94567,))])
def test_fast_lane_reports_status_as_the_pipeline(revoked, suspended):
    data = (vc_assets.VC / "with-status-vc-jwt-eddsa.jwt").read_bytes()
    report = _compare(data, status_lists=_status_lists(revoked, suspended))
    assert report.verified() is not (revoked or suspended)


@pytest.mark.parametrize(("revoked", "suspended"), [((), ()), ((94567,), ()), ((), (94567,))])
def test_fast_lane_reports_cached_status_as_the_pipeline(revoked, suspended):
    data = (vc_assets.VC / "with-status-vc-jwt-eddsa.jwt").read_bytes()
    lists = _status_lists(revoked, suspended)
    report = _compare(data, status_lists=lists, status_cache=True)
    assert report.verified() is not (revoked or suspended)
    verifier = _verifier(True, {"status_lists": lists, "status_cache": True})
    assert verifier._fast is not None
    assert verifier._fast.verify(data, NOW) is None  # nothing cached yet: the pipeline's turn
    assert verifier.verify(data, now=NOW) == report
    handled = verifier._fast.verify(data, NOW)
    assert (handled is not None) is report.verified()  # a set bit is the pipeline's to report
    assert handled in (None, report)


def _status_entry(purpose: str = "revocation", index: str = "94567", **changes) -> dict:
    url = f"{LIST_BASE}/{purpose}"
    entry = {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": index,
        "statusListCredential": url,
    }
    return {**entry, **changes}


STATUS_SHAPES = {
    "one object": _status_entry(),
    "one in a list": [_status_entry("suspension")],
    "both": [_status_entry(), _status_entry("suspension")],
    "both, suspension first": [_status_entry("suspension"), _status_entry()],
    "bit set": _status_entry(index="12"),
    "index outside the list": _status_entry(index=str(status.MIN_LIST_BITS)),
    "index not decimal": _status_entry(index="0x10"),
    "purpose swapped": _status_entry(statusPurpose="suspension"),
    "purpose unknown": _status_entry(statusPurpose="message"),
    "other entry type": _status_entry(type="StatusList2021Entry"),
    "list not cached": _status_entry(statusListCredential=f"{LIST_BASE}/other"),
    "no URL": _status_entry(statusListCredential="urn:list"),
    "empty list": [],
    "not an object": ["revocation"],
    "a string": "revocation",
    "untyped": [{"statusListIndex": "3"}],
}


@pytest.mark.parametrize("fmt", ["vc-jwt EdDSA", "eddsa-jcs-2022", "ecdsa-jcs-2019 P-256"])
@pytest.mark.parametrize("shape", STATUS_SHAPES)
def test_fast_lane_reports_each_status_shape_as_the_pipeline(shape, fmt):
    key = P256 if fmt.endswith("P-256") else ED
    document = {**_mill_test_report(key), "credentialStatus": STATUS_SHAPES[shape]}
    lists = _status_lists(revoked=(12,), suspended=(12,))
    warm = (vc_assets.VC / "with-status-vc-jwt-eddsa.jwt").read_bytes()
    options = {"status_lists": lists, "status_cache": StatusListCache()}
    data = SIGNERS[fmt](document)
    # Both verifiers share one cache, filled by a credential of the lists' own issuer.
    fast, general = _verifier(True, options), _verifier(False, options)
    general.verify(warm, now=NOW)
    expected = general.verify(data, now=NOW)
    assert fast.verify(data, now=NOW) == expected
    if shape in ("one object", "one in a list", "both", "both, suspension first"):
        # Lists issued by ED: a credential of P256's did:key is not theirs to check.
        assert expected.verified() is (key is ED), expected.to_json()
        assert fast._fast is not None
        assert (fast._fast.verify(data, NOW) is not None) is (key is ED)


def test_fast_lane_is_off_for_challenge_and_domain():
    data = (vc_assets.VC / "valid-vc-jwt-eddsa.jwt").read_bytes()
    fast, general = _verifier(True, {}), _verifier(False, {})
    fast.verify(data, now=NOW)
    for challenge, domain in (("nonce", None), (None, "https://verifier.example")):
        expected = general.verify(data, now=NOW, challenge=challenge, domain=domain)
        assert fast.verify(data, now=NOW, challenge=challenge, domain=domain) == expected
        assert not expected.verified()


# --- scenarios built here -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", SIGNERS)
@pytest.mark.parametrize("path", CONTENT, ids=lambda path: path.name)
def test_fast_lane_reports_every_content_scenario_as_the_pipeline(path, fmt):
    document = json.loads(path.read_text())
    key = {"ES256": P256, "ES384": P384, "P-256": P256, "P-384": P384}.get(fmt.split()[-1], ED)
    issuer = document.get("issuer")
    if isinstance(issuer, dict):
        issuer["id"] = vc_assets.key_did(key)
    else:
        document["issuer"] = vc_assets.key_did(key)
    _compare(SIGNERS[fmt](document))


@pytest.mark.parametrize("fmt", SIGNERS)
def test_fast_lane_reports_tampering_as_the_pipeline(fmt):
    key = {"ES256": P256, "ES384": P384, "P-256": P256, "P-384": P384}.get(fmt.split()[-1], ED)
    data = SIGNERS[fmt](_mill_test_report(key))
    assert _compare(data).verified()
    assert _handled(data)
    if fmt.startswith("vc-jwt"):
        header, payload, signature = data.split(b".")
        flipped = signature[:10] + (b"A" if signature[10:11] != b"A" else b"B") + signature[11:]
        edited = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
        edited["credentialSubject"]["inspections"][0]["heatNumber"] = "61317"
        edited_payload = base64.urlsafe_b64encode(json.dumps(edited).encode()).rstrip(b"=")
        variants = [
            b".".join((header, payload, flipped)),
            b".".join((header, edited_payload, signature)),
            b" " + data + b"\n",
        ]
    else:
        secured = json.loads(data)
        changed = copy.deepcopy(secured)
        changed["credentialSubject"]["inspections"][0]["heatNumber"] = "61317"
        swapped = copy.deepcopy(secured)
        swapped["issuer"]["id"] = vc_assets.key_did(FORGER)
        bad_value = copy.deepcopy(secured)
        bad_value["proof"]["proofValue"] = bad_value["proof"]["proofValue"][:-2] + "11"
        variants = [json.dumps(item).encode() for item in (changed, swapped, bad_value)]
        variants.append(b"\n " + data)
    for variant in variants:
        _compare(variant)


@pytest.mark.parametrize("fmt", ["eddsa-jcs-2022", "ecdsa-jcs-2019 P-256"])
def test_fast_lane_takes_ids_that_look_like_exponents(fmt):
    # One random UUID in ten has a "<digit>e-<digit>" in it; it is a string, not a number.
    key = P256 if fmt.endswith("P-256") else ED
    document = {**_mill_test_report(key), "id": "urn:uuid:2f1c8a3e-5b7d-4c1e-9a2b-3c4d5e6f7a8b"}
    data = SIGNERS[fmt](document)
    assert _compare(data).verified()
    assert _handled(data)


def test_fast_lane_takes_a_credential_valid_within_the_clock_skew():
    data = (vc_assets.VC / "valid-vc-jwt-eddsa.jwt").read_bytes()
    assert _handled(data, datetime(2026, 1, 1, tzinfo=UTC), **CONFIGURATIONS["skew"])
    assert _handled(data, datetime(2027, 2, 1, tzinfo=UTC), **CONFIGURATIONS["skew"])


def test_fast_lane_reports_a_malformed_created_as_the_pipeline():
    # create_proof refuses such options, so the proof is made here (vc-di-eddsa §3.3.1).
    document = _mill_test_report()
    options = {
        "type": data_integrity.PROOF_TYPE,
        "cryptosuite": "eddsa-jcs-2022",
        "created": "2026-13-01T00:00:00Z",
        "verificationMethod": _method(ED),
        "proofPurpose": "assertionMethod",
    }
    config = {**options, "@context": document["@context"]}
    hash_data = b"".join(
        hashlib.sha256(json_input.canonical_json(value, jcs_ready=False)).digest()
        for value in (config, document)
    )
    proof = {**config, "proofValue": data_integrity.encode_proof_value(ED.sign(hash_data))}
    report = _compare(json.dumps({**document, "proof": proof}).encode())
    assert not report.verified()


def test_fast_lane_reports_other_signers_as_the_pipeline():
    document = _mill_test_report()
    wrong_key = _sign_jws(document, FORGER, kid=_method(ED))
    assert not _compare(wrong_key).verified()
    relative = _sign_jws(document, ED, kid="#" + _method(ED).partition("#")[2])
    assert _compare(relative).verified()
    assert _handled(relative)
    other_issuer = _sign_jws({**document, "iss": vc_assets.key_did(FORGER)}, ED)
    assert not _compare(other_issuer).verified()
    same_issuer = _sign_jws({**document, "iss": vc_assets.key_did(ED)}, ED)
    assert _compare(same_issuer).verified()
    forged = _sign_proof(document, FORGER, "eddsa-jcs-2022")
    assert not _compare(forged).verified()


def test_fast_lane_reports_unusual_proofs_as_the_pipeline():
    document = _mill_test_report()
    for options in (
        {"proofPurpose": "authentication"},
        {"expires": "2026-06-01T00:00:00Z"},
        {"expires": "2027-06-01T00:00:00Z"},
        {"challenge": "abc"},
        {"domain": "https://verifier.example"},
        {"@context": ["https://www.w3.org/ns/credentials/v2"]},
        {"id": "urn:uuid:5d1b7d4c-5a1e-4c52-a0ac-ef5e6d4e6c31"},
    ):
        _compare(_sign_proof(document, ED, "eddsa-jcs-2022", **options))
    for extra in ({"n": 20.0}, {"n": 1e-7}, {"\U0001f600": 1, "\ue000": 2}):
        subject = {**document["credentialSubject"], **extra}
        unsigned = {**document, "credentialSubject": subject}
        _compare(_sign_proof(unsigned, ED, "eddsa-jcs-2022"))
        _compare(_sign_jws(unsigned, ED))


# --- generated documents ------------------------------------------------------------------------

_DELETE = object()
_NAMES = sorted(
    {
        "@context",
        "id",
        "type",
        "name",
        "issuer",
        "validFrom",
        "validUntil",
        "credentialSubject",
        "credentialSchema",
        "credentialStatus",
        "evidence",
        "issuanceDate",
        "expirationDate",
        "valid_from",
        "credential_subject",
        "description",
        "iss",
        "nbf",
        "exp",
        "vc",
        "nonce",
        "unknownMember",
    }
)
_STRINGS = st.sampled_from(
    [
        "",
        "2026-01-15T09:30:00Z",
        "2027-01-15T09:30:00+01:00",
        "2026-06-01T00:00:00.123456789Z",
        "2026-13-01T00:00:00Z",
        "2026-01-15",
        "https://example.com/a b",
        "https://example.com/schema.json",
        "urn:uuid:0b6e6f0e-3a51-4c43-9a1e-6d0c7f8a2b11",
        "not a url",
        "VerifiableCredential",
        "VerifiablePresentation",
        "EnvelopedVerifiableCredential",
        "MillTestReportCredential",
        "BitstringStatusListEntry",
        "JsonSchema",
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/2018/credentials/v1",
        vc_assets.key_did(ED),
        vc_assets.key_did(FORGER),
        "\u00e9t\u00e9 \U0001f600 \ue000",
    ]
)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([1.0, 20.0, 1e-7, 5e-5, 1e16, 1e21, 0.1])
    | _STRINGS
    | st.text(max_size=8)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "type", "x", "statusPurpose"]), inner, max_size=3)
    ),
    max_leaves=6,
)
_ED_DID = vc_assets.key_did(ED)
_SCHEMA_URL = "https://example.com/schema.json"
_DATES = [
    "2026-01-15T09:30:00Z",
    "2026-11-27T12:00:00+14:00",
    "2026-06-01T00:00:00.123456789-05:00",
    "2027-01-15T09:30:00Z",
    "2026-11-28T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-01-15",
    None,
]
# Values near the valid ones for the members the envelope checks, so that generated documents
# often pass, and often fail in one place only.
_FIELD_VALUES_LISTED: dict[str, list] = {
    "@context": [
        ["https://www.w3.org/ns/credentials/v2"],
        "https://www.w3.org/ns/credentials/v2",
        ["https://www.w3.org/ns/credentials/v2", {"@vocab": "https://example.com/#"}],
        ["https://www.w3.org/ns/credentials/v2", "not a url"],
        ["https://www.w3.org/ns/credentials/v2", 5],
        ["https://www.w3.org/2018/credentials/v1"],
        [],
    ],
    "id": ["urn:uuid:0b6e6f0e-3a51-4c43", "https://example.com/1", "no url", None],
    "type": [
        ["VerifiableCredential"],
        "VerifiableCredential",
        ["VerifiableCredential", "MillTestReportCredential", "Other"],
        ["MillTestReportCredential"],
        ["VerifiableCredential", "EnvelopedVerifiableCredential"],
        ["VerifiableCredential", "VerifiablePresentation"],
        ["VerifiableCredential", 5],
        [],
    ],
    "issuer": [
        _ED_DID,
        {"id": _ED_DID, "name": "Mill"},
        {"name": "Mill"},
        {"id": 5},
        vc_assets.key_did(FORGER),
        "not a url",
    ],
    "validFrom": _DATES,
    "validUntil": _DATES,
    "issuanceDate": _DATES[:1],
    "credentialSubject": [
        {"id": "did:example:1"},
        [{"id": "did:example:1"}, {}],
        [],
        ["x"],
        {},
        "x",
    ],
    "credentialSchema": [
        {"id": _SCHEMA_URL, "type": "JsonSchema"},
        [{"id": _SCHEMA_URL, "type": ["JsonSchema"]}],
        [{"id": _SCHEMA_URL}],
        [{"id": _SCHEMA_URL, "type": 5}],
        [],
    ],
    "credentialStatus": [
        {"id": "https://example.com/s#1", "type": "Unknown"},
        [],
    ],
    "nbf": [1767000000, 1900000000, "x"],
    "exp": [1767000000, 1900000000],
    "iss": [_ED_DID, vc_assets.key_did(FORGER)],
}
_FIELD_VALUES = {name: st.sampled_from(values) for name, values in _FIELD_VALUES_LISTED.items()}
_CHANGES = st.lists(
    st.sampled_from(_NAMES).flatmap(
        lambda name: st.tuples(
            st.just(name), st.just(_DELETE) | _FIELD_VALUES.get(name, _VALUES) | _VALUES
        )
    ),
    max_size=3,
)
_PROOF_CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["@context", "id", "created", "expires", "challenge", "proofPurpose", "x"]),
        st.just(_DELETE) | _VALUES,
    ),
    max_size=2,
)


def _changed(document: dict, changes: list) -> dict:
    document = copy.deepcopy(document)
    for name, value in changes:
        if value is _DELETE:
            document.pop(name, None)
        else:
            document[name] = value
    return document


_SINGLE_CHANGES = [
    (name, value)
    for name in _NAMES
    for value in [_DELETE, *_FIELD_VALUES_LISTED.get(name, ["x", 5, None, [], {}])]
]


@pytest.mark.parametrize("configuration", ["default", "no schema", "skew"])
@pytest.mark.parametrize("fmt", ["vc-jwt EdDSA", "eddsa-jcs-2022"])
@pytest.mark.parametrize(("name", "value"), _SINGLE_CHANGES)
def test_fast_lane_reports_each_envelope_change_as_the_pipeline(name, value, fmt, configuration):
    document = _changed(_mill_test_report(), [(name, value)])
    try:
        data = SIGNERS[fmt](document)
    except (errors.TradeTraceError, TypeError, ValueError):
        return  # no signature for this document: nothing to verify
    _compare(data, **CONFIGURATIONS[configuration])


@pytest.mark.parametrize("fmt", ["vc-jwt EdDSA", "eddsa-jcs-2022"])
def test_fast_lane_reports_an_inverted_validity_period_as_the_pipeline(fmt):
    changes = [("validFrom", "2026-11-28T00:00:00Z"), ("validUntil", "2026-11-26T00:00:00Z")]
    data = SIGNERS[fmt](_changed(_mill_test_report(), changes))
    assert not _compare(data, **CONFIGURATIONS["skew"]).verified()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=_CHANGES,
    proof_changes=_PROOF_CHANGES,
    fmt=st.sampled_from(["vc-jwt EdDSA", "eddsa-jcs-2022", "ecdsa-jcs-2019 P-256"]),
    # Weighted towards the moments and configurations in which a document can pass.
    now=st.sampled_from(NOWS) | st.just(NOW),
    configuration=st.sampled_from(sorted(CONFIGURATIONS))
    | st.sampled_from(["default", "no schema", "trusted, logged"]),
)
def test_fast_lane_reports_generated_documents_as_the_pipeline(
    changes, proof_changes, fmt, now, configuration
):
    key = P256 if fmt.endswith("P-256") else ED
    document = _changed(_mill_test_report(key), changes)
    try:
        if fmt.startswith("vc-jwt"):
            data = _sign_jws(document, key)
        else:
            options = {name: value for name, value in proof_changes if value is not _DELETE}
            data = _sign_proof(document, key, fmt.split()[0], **options)
    except (errors.TradeTraceError, TypeError, ValueError):
        return  # no signature for this document: nothing to verify
    _compare(data, now, **CONFIGURATIONS[configuration])


@settings(max_examples=200, deadline=None)
@given(
    fmt=st.sampled_from(["vc-jwt EdDSA", "eddsa-jcs-2022"]),
    position=st.floats(min_value=0, max_value=1, exclude_max=True),
    replacement=st.sampled_from([b"0", b"A", b"_", b".", b" ", b"{", b'"', b"\\", b"\xff"]),
)
def test_fast_lane_reports_damaged_bytes_as_the_pipeline(fmt, position, replacement):
    data = SIGNERS[fmt](_mill_test_report())
    at = int(position * len(data))
    _compare(data[:at] + replacement + data[at + 1 :])


def test_generated_documents_reach_the_fast_lane():
    # The generators above start from documents the fast lane takes.
    for fmt in ("vc-jwt EdDSA", "eddsa-jcs-2022"):
        assert _handled(SIGNERS[fmt](_mill_test_report()))
    assert _handled(SIGNERS["ecdsa-jcs-2019 P-256"](_mill_test_report(P256)))
