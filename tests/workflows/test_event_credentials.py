# ruff: noqa: F811 - the fixtures imported from epcis_support are parameters here
"""Events that come as credentials: verified, issuer checked against the step, logged."""

import copy

import pytest

from tests.conftest import FIXED_NOW
from tests.workflows import supply_chains
from tests.workflows.epcis_support import ledger, repository  # noqa: F401 - fixtures
from tests.workflows.test_supply_chains import _load
from tradetrace.credentials import verify
from tradetrace.credentials.issue import Format, issue_credential
from tradetrace.did import CompositeResolver, KeyResolver
from tradetrace.keys import KeyKind
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.workflows import event_credentials, identity
from tradetrace.workflows import trace as trace_workflow

DTE_CONTEXT = "https://test.uncefact.org/vocabulary/untp/dte/0.5.0/"


@pytest.fixture
def verifier(engine):
    resolver = CompositeResolver(
        {"web": event_credentials.HostedDidResolver(engine), "key": KeyResolver()}
    )
    return verify.Verifier(resolver, status_lists=verify.UnsafeSkipStatusCheck())


@pytest.fixture
def shop(session, settings, repository, ledger):
    """The e-commerce chain captured up to the seller's shipment to the buyer."""
    chain = supply_chains.ecommerce()
    shipment = chain.events["web-seller"].pop()
    receipt = chain.events["buyer-home"].pop()
    chain.events.pop("buyer-home")
    dids = _load(session, settings, repository, ledger, chain)
    return chain, dids, shipment, receipt


def _untp(event):
    """The shipment in the UNTP DTE spelling."""
    return {
        "type": ["ObjectEvent", "Event"],
        "eventTime": event["eventTime"],
        "action": event["action"].lower(),
        "bizStep": event["bizStep"],
        "disposition": event["disposition"],
        "bizLocation": event["bizLocation"]["id"],
        "epcList": [{"id": epc, "name": "gadget"} for epc in event["epcList"]],
        "sourceList": event["sourceList"],
        "destinationList": event["destinationList"],
        "bizTransactionList": [
            {"type": item["type"], "identifier": item["bizTransaction"]}
            for item in event["bizTransactionList"]
        ],
        "processType": "dispatch",
    }


def _issue(session, settings, slug, credential):
    signer = identity.organisation_signing_key(session, settings, slug, kind=KeyKind.ED25519)
    session.rollback()  # end the read: the session factory's transactions hold the write lock
    secured = issue_credential(
        credential,
        key=signer.key,
        format=Format.EDDSA_JCS_2022,
        now=FIXED_NOW,
        issuer=signer.did,
        verification_method=signer.verification_method,
    )
    return secured.document


def _dte(subject):
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", DTE_CONTEXT],
        "type": ["VerifiableCredential", "DigitalTraceabilityEvent"],
        "credentialSubject": [subject],
    }


def test_dte_signed_by_the_shipper_is_captured_and_logged(
    engine, session, settings, repository, ledger, verifier, shop
):
    chain, dids, shipment, _ = shop
    credential = _issue(session, settings, "web-seller", _dte(_untp(shipment)))
    job = event_credentials.capture_credential(
        repository, ledger, engine, verifier, credential, now=FIXED_NOW
    )
    assert job.success, job.errors
    assert job.submitter == dids["web-seller"]
    logged = repository.credential(repository.by_hash_id(_hash(repository, job)).credential_index)
    assert logged.issuer == dids["web-seller"]
    assert logged.verification["verified"] is True
    record = LogRecord.from_bytes(ledger.entry(logged.ledger_index))
    assert record.kind is RecordKind.CREDENTIAL_RECEIVED
    report = trace_workflow.trace_identifier(engine, ledger, chain.finished)
    carried = [report.credentials[i] for i in report.credentials]
    assert [item["issuer"] for item in carried] == [dids["web-seller"]]


def _hash(repository, job):
    from sqlalchemy import select

    from tradetrace.storage.events_tables import EventRow

    with repository._engine.connect() as connection:
        return connection.execute(
            select(EventRow.hash_id).where(EventRow.capture_id == job.capture_id)
        ).scalar_one()


def test_event_signed_by_the_wrong_party_is_rejected(
    engine, session, settings, repository, ledger, verifier, shop
):
    _, dids, shipment, _ = shop
    credential = _issue(session, settings, "shenzhen-maker", _dte(_untp(shipment)))
    size = ledger.store.head().size
    job = event_credentials.capture_credential(
        repository, ledger, engine, verifier, credential, now=FIXED_NOW
    )
    assert not job.success
    [error] = job.errors
    assert error["event_index"] == 0
    assert error["reason"] == (
        f"issuer {dids['shenzhen-maker']} is not the party at this step ({dids['web-seller']})"
    )
    assert ledger.store.head().size == size


def test_traceability_event_credential_with_an_epcis_event(
    engine, session, settings, repository, ledger, verifier, shop
):
    _, dids, _, receipt = shop
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/traceability/v1"],
        "type": ["VerifiableCredential", "EventCredential"],
        "credentialSubject": receipt,
    }
    signed = _issue(session, settings, "buyer-home", credential)
    job = event_credentials.capture_credential(
        repository, ledger, engine, verifier, signed, now=FIXED_NOW
    )
    assert job.success, job.errors
    assert job.submitter == dids["buyer-home"]
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["quantityList"] = []
    rejected = event_credentials.capture_credential(
        repository, ledger, engine, verifier, tampered, now=FIXED_NOW
    )
    assert not rejected.success
    assert rejected.errors[0]["field"] == "proof"
