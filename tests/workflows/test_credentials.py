"""Issuing as a hosted organisation and verifying with the node's context, end to end."""

import json

import pytest
from sqlalchemy.orm import sessionmaker

from tests.conftest import ASSETS, FIXED_NOW
from tradetrace import did, storage
from tradetrace.credentials import issue
from tradetrace.credentials.reason_codes import DECISION_CODES
from tradetrace.credentials.report import CheckId
from tradetrace.credentials.status import StatusPurpose
from tradetrace.errors import NotFound, TradeTraceError
from tradetrace.keys import KeyKind, SigningKey
from tradetrace.storage.ledger import SqlLogStore
from tradetrace.workflows import credentials, identity, trust
from tradetrace.workflows.ledger import LedgerService, load_or_create_log_key

MTR = json.loads((ASSETS / "vc" / "content" / "valid-mill-test-report.json").read_text())
MILL = "did:web:localhost%3A8000:orgs:mill"


@pytest.fixture
def node(engine, settings):
    sessions: sessionmaker = storage.make_session_factory(engine)
    signer = load_or_create_log_key(settings.effective_log_key_path, settings.effective_log_origin)
    ledger = LedgerService(engine, signer=signer, tiles_dir=None, clock=lambda: FIXED_NOW)
    with sessions() as session:
        identity.create_organisation(
            session, settings, slug="mill", name="Mill", country="CA", roles=["steel_mill"],
            now=FIXED_NOW,
        )  # fmt: skip
        identity.create_organisation(
            session, settings, slug="cbp", name="CBP", country="US",
            roles=["customs_authority"], root=True, now=FIXED_NOW,
        )  # fmt: skip
    readers = storage.make_session_factory(engine, write=False)
    context = credentials.NodeContext(settings, readers, ledger=ledger, clock=lambda: FIXED_NOW)
    return sessions, ledger, context


def _issued(node, settings, fmt):
    """A mill test report issued by the mill in ``fmt``, with its status entries."""
    sessions, ledger, _ = node
    with sessions() as session:
        return credentials.issue_as_organisation(
            session, settings, ledger, slug="mill", credential=_unsigned(), format=fmt,
            now=FIXED_NOW,
        )  # fmt: skip


def _unsigned():
    """The vocabulary's mill test report, its issuer the hosted mill (schema-valid)."""
    document = {key: value for key, value in MTR.items() if key not in ("proof", "issuer", "id")}
    document.pop("validFrom", None)
    document.pop("validUntil", None)
    return {**document, "issuer": {**MTR["issuer"], "id": MILL}}


@pytest.mark.parametrize(
    "fmt", [issue.Format.VC_JWT, issue.Format.EDDSA_JCS_2022, issue.Format.ECDSA_JCS_2019]
)
def test_issued_credential_verifies_with_status_trust_and_ledger(node, settings, fmt):
    sessions, ledger, context = node
    with sessions() as session:
        secured = credentials.issue_as_organisation(
            session,
            settings,
            ledger,
            slug="mill",
            credential=_unsigned(),
            format=fmt,
            now=FIXED_NOW,
        )
        trust.accredit(
            session, did="did:web:localhost%3A8000:orgs:mill", roles=["steel_mill"],
            accredited_by="did:web:localhost%3A8000", valid_from=FIXED_NOW, now=FIXED_NOW,
        )  # fmt: skip
    report = context.verifier().verify(secured.to_bytes(), now=FIXED_NOW)
    statuses = {check.id: (check.status.value, check.code) for check in report.checks}
    assert report.verified(require=[CheckId.TRUST, CheckId.LEDGER]), statuses
    assert statuses[CheckId.STATUS][0] == "valid"
    assert statuses[CheckId.TRUST] == ("valid", "issuer_accredited")
    assert statuses[CheckId.LEDGER] == ("valid", "logged")
    assert {statuses[CheckId.TRUST][1], statuses[CheckId.LEDGER][1]} <= set(DECISION_CODES)
    kind = KeyKind.P256 if fmt is issue.Format.ECDSA_JCS_2019 else KeyKind.ED25519
    foreign_key = SigningKey.generate(kind)  # a did:key issuer, neither accredited nor logged
    unsigned = _unsigned()
    unsigned["issuer"] = {**unsigned["issuer"], "id": did.create_key_did(foreign_key.public_key())}
    foreign = issue.issue_credential(unsigned, key=foreign_key, format=fmt, now=FIXED_NOW)
    others = context.verifier().verify(foreign.to_bytes(), now=FIXED_NOW)
    codes = {check.id: check.code for check in others.checks}
    assert (codes[CheckId.TRUST], codes[CheckId.LEDGER]) == ("issuer_not_accredited", "not_logged")
    assert {codes[CheckId.TRUST], codes[CheckId.LEDGER]} <= set(DECISION_CODES)


def test_revoked_and_suspended_credentials_fail_verification(node, settings):
    sessions, ledger, context = node
    with sessions() as session:
        secured = credentials.issue_as_organisation(
            session, settings, ledger, slug="mill", credential=_unsigned(),
            format=issue.Format.ECDSA_JCS_2019, now=FIXED_NOW,
        )  # fmt: skip
        credential_id = secured.document["id"]
        credentials.change_status(
            session, settings, ledger, credential_id=credential_id,
            purpose=StatusPurpose.SUSPENSION, value=True, now=FIXED_NOW,
        )  # fmt: skip
    report = context.verifier().verify(secured.to_bytes(), now=FIXED_NOW)
    assert not report.verified()
    assert report.check(CheckId.STATUS).code == "suspended"
    with sessions() as session:
        credentials.change_status(
            session, settings, ledger, credential_id=credential_id,
            purpose=StatusPurpose.SUSPENSION, value=False, now=FIXED_NOW,
        )  # fmt: skip
        assert context.verifier().verify(secured.to_bytes(), now=FIXED_NOW).verified()
        credentials.change_status(
            session, settings, ledger, credential_id=credential_id,
            purpose=StatusPurpose.REVOCATION, value=True, now=FIXED_NOW,
        )  # fmt: skip
        report = context.verifier().verify(secured.to_bytes(), now=FIXED_NOW)
        assert report.check(CheckId.STATUS).code == "revoked"
        with pytest.raises(TradeTraceError, match="cannot be undone"):
            credentials.change_status(
                session, settings, ledger, credential_id=credential_id,
                purpose=StatusPurpose.REVOCATION, value=False, now=FIXED_NOW,
            )  # fmt: skip
        with pytest.raises(NotFound, match="no credential") as caught:
            credentials.change_status(
                session, settings, ledger, credential_id="urn:uuid:nope",
                purpose=StatusPurpose.REVOCATION, value=True, now=FIXED_NOW,
            )  # fmt: skip
        assert caught.value.code == "not_found"
    # two new status lists, the credential, then three status list versions
    assert ledger.store.head().size == 6


def test_unaccredited_issuer_fails_only_when_trust_is_required(node, settings):
    context = node[2]
    secured = _issued(node, settings, issue.Format.VC_JWT)
    report = context.verifier().verify(secured.to_bytes(), now=FIXED_NOW)
    assert report.verified()
    assert not report.verified(require=[CheckId.TRUST])
    assert report.check(CheckId.TRUST).code == "issuer_not_accredited"


def test_foreign_did_web_is_refused_without_an_allowed_host(node):
    _, _, context = node
    with pytest.raises(Exception, match="not hosted here") as caught:
        context.resolver.resolve("did:web:elsewhere.example")
    assert caught.value.code == "did_resolution_failed"


class _Calls:
    calls = 0


def _counted(monkeypatch, owner, name) -> _Calls:
    """Count the calls of ``owner.name`` (a function, or a method of a class)."""
    counter, function = _Calls(), getattr(owner, name)

    def counting(*args, **kwargs):
        counter.calls += 1
        return function(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return counter


def _counting(monkeypatch):
    documents = _counted(monkeypatch, identity, "organisation_did_document")
    return documents, _counted(monkeypatch, credentials.NodeContext, "fetch")


def test_the_node_reuses_verified_lists_and_hosted_dids_until_a_list_changes(
    node, settings, monkeypatch
):
    sessions, ledger, context = node
    secured = _issued(node, settings, issue.Format.EDDSA_JCS_2022)
    documents, fetches = _counting(monkeypatch)
    first = context.verifier().verify(secured.to_bytes(), now=FIXED_NOW)
    assert first.check(CheckId.STATUS).code == "status_active"
    # The credential's issuer and both lists' issuer: one DID document read; two lists.
    assert (documents.calls, fetches.calls) == (1, 2)
    for _ in range(3):
        assert context.verifier().verify(secured.to_bytes(), now=FIXED_NOW) == first
    assert (documents.calls, fetches.calls) == (1, 2)
    with sessions() as session:
        credentials.change_status(
            session, settings, ledger, credential_id=secured.document["id"],
            purpose=StatusPurpose.REVOCATION, value=True, now=FIXED_NOW,
        )  # fmt: skip
    report = context.verifier().verify(secured.to_bytes(), now=FIXED_NOW)
    assert report.check(CheckId.STATUS).code == "revoked"  # at once: the version changed
    assert fetches.calls == 3  # only the changed list was fetched again


def test_the_node_caches_nothing_with_a_cache_time_of_zero(node, settings, monkeypatch):
    sessions, ledger, _ = node
    secured = _issued(node, settings, issue.Format.VC_JWT)
    uncached = settings.model_copy(update={"verification_cache_seconds": 0})
    readers = storage.make_session_factory(sessions.kw["bind"], write=False)
    context = credentials.NodeContext(uncached, readers, ledger=ledger, clock=lambda: FIXED_NOW)
    documents, fetches = _counting(monkeypatch)
    for _ in range(2):
        report = context.verifier().verify(secured.to_bytes(), now=FIXED_NOW)
        assert report.check(CheckId.STATUS).code == "status_active"
    assert (documents.calls, fetches.calls) == (2 * 3, 2 * 2)
    own = f"{settings.effective_public_url}/status/nope"
    assert context.status_list_versions(["https://elsewhere.example/status/1", own]) == {}
    assert context.status_list_versions([]) == {}


def test_a_verification_reads_the_node_through_one_session(node, settings, monkeypatch):
    context = node[2]
    secured = _issued(node, settings, issue.Format.ECDSA_JCS_2019)
    verifier = context.verifier()
    first = verifier.verify(secured.to_bytes(), now=FIXED_NOW)
    opened = _counted(monkeypatch, context, "_sessions")
    connections: list[object] = []
    lookup = SqlLogStore.entries_with_key

    def entries_with_key(store, key, *, connection=None):
        connections.append(connection)
        return lookup(store, key, connection=connection)

    monkeypatch.setattr(SqlLogStore, "entries_with_key", entries_with_key)
    # lists' versions, the trust registry and the ledger; then all the pipeline reads on a miss
    assert verifier.verify(secured.to_bytes(), now=FIXED_NOW) == first
    assert opened.calls == 1
    assert len(connections) == 1 and connections[0] is not None  # the session's connection
    context._status_cache.clear()
    context._hosted.clear()
    assert verifier.verify(secured.to_bytes(), now=FIXED_NOW) == first
    assert opened.calls == 2
    with context.one_read(), context.one_read():  # nested: still the one session
        context.status_list_versions(
            [secured.document["credentialStatus"][0]["statusListCredential"]]
        )
        context.resolve("did:web:localhost%3A8000")
    assert opened.calls == 3
    context.decide(
        issuer="did:web:localhost%3A8000:orgs:mill", credential_types=["X"], at=FIXED_NOW
    )
    assert opened.calls == 4  # outside a verification, each lookup has its own


def test_the_node_keeps_one_verifier_and_its_signer_keys(node):
    context = node[2]
    verifier = context.verifier()
    assert context.verifier() is verifier
    key = SigningKey.generate(KeyKind.ED25519)
    document = {
        **_unsigned(),
        "id": "urn:uuid:0d3c1b5e-8f0a-4f5e-b6b2-7a1f6c2d9e40",
        "issuer": {**MTR["issuer"], "id": did.create_key_did(key.public_key())},
    }
    data = issue.issue_credential(
        document, key=key, format=issue.Format.EDDSA_JCS_2022, now=FIXED_NOW
    ).to_bytes()
    assert verifier._fast is not None
    assert verifier._fast.verify(data, FIXED_NOW) is None  # the did:key is not known yet
    first = verifier.verify(data, now=FIXED_NOW)
    assert first.verified(), first.to_json()
    assert first.check(CheckId.TRUST).code == "issuer_not_accredited"
    assert first.check(CheckId.LEDGER).code == "not_logged"
    assert verifier._fast.verify(data, FIXED_NOW) == first  # now the fast lane takes it


@pytest.mark.parametrize("fmt", [issue.Format.VC_JWT, issue.Format.EDDSA_JCS_2022])
def test_the_fast_lane_takes_the_node_s_own_credentials_once_seen(node, settings, fmt):
    sessions, ledger, context = node
    secured = _issued(node, settings, fmt)
    data, verifier = secured.to_bytes(), context.verifier()
    assert verifier._fast is not None
    assert verifier._fast.verify(data, FIXED_NOW) is None  # neither key nor lists known yet
    first = verifier.verify(data, now=FIXED_NOW)
    assert first.verified(require=[CheckId.LEDGER]), first.to_json()
    assert first.check(CheckId.SCHEMA).code == "schema_valid"
    assert verifier._fast.verify(data, FIXED_NOW) == first
    with sessions() as session:
        credentials.change_status(
            session, settings, ledger, credential_id=first.document_id,
            purpose=StatusPurpose.SUSPENSION, value=True, now=FIXED_NOW,
        )  # fmt: skip
    assert verifier._fast.verify(data, FIXED_NOW) is None  # a set bit is the pipeline's
    assert verifier.verify(data, now=FIXED_NOW).check(CheckId.STATUS).code == "suspended"
