"""An entry assessed end to end: credentials issued and logged here, verified, decided."""

import json

import pytest

from tests.conftest import ASSETS, FIXED_NOW
from tradetrace import storage
from tradetrace.credentials import issue
from tradetrace.errors import InvalidDocument
from tradetrace.workflows import assessment, credentials, identity, trust
from tradetrace.workflows.ledger import LedgerService, load_or_create_log_key

CUSTOMS = ASSETS / "customs"


@pytest.fixture
def node(engine, settings):
    signer = load_or_create_log_key(settings.effective_log_key_path, settings.effective_log_origin)
    ledger = LedgerService(engine, signer=signer, tiles_dir=None, clock=lambda: FIXED_NOW)
    readers = storage.make_session_factory(engine, write=False)
    context = credentials.NodeContext(settings, readers, ledger=ledger, clock=lambda: FIXED_NOW)
    return storage.make_session_factory(engine), ledger, context


def _certification(session, settings, ledger):
    document = json.loads((CUSTOMS / "usmca-conductors-certification.json").read_text())
    for name in ("id", "proof"):
        document.pop(name, None)
    document["issuer"]["id"] = "did:web:localhost%3A8000:orgs:conductores"
    identity.create_organisation(
        session, settings, slug="conductores", name="Conductores del Norte", country="MX",
        roles=["exporter", "certifier"], now=FIXED_NOW,
    )  # fmt: skip
    return credentials.issue_as_organisation(
        session, settings, ledger, slug="conductores", credential=document,
        format=issue.Format.VC_JWT, now=FIXED_NOW,
    )  # fmt: skip


def _entry():
    entry = json.loads((CUSTOMS / "usmca-conductors-entry.json").read_text())
    entry["seller"]["did"] = "did:web:localhost%3A8000:orgs:conductores"
    entry.pop("filedAt", None)
    return json.dumps(entry)


def _line_preferences(decision):
    return [line["preference"] for line in decision.to_json_dict()["lines"]]


def test_trusted_certifier_gets_the_preference_and_an_untrusted_one_does_not(node, settings):
    sessions, ledger, context = node
    with sessions() as session:
        secured = _certification(session, settings, ledger)
    untrusted = assessment.assess_entry(
        _entry(), [secured.to_bytes()], context=context, ledger=ledger, now=FIXED_NOW
    )
    with sessions() as session:
        trust.accredit(
            session, did="did:web:localhost%3A8000:orgs:conductores", roles=["certifier"],
            accredited_by="did:web:localhost%3A8000", valid_from=FIXED_NOW.replace(year=2024),
            now=FIXED_NOW,
        )  # fmt: skip
    trusted = assessment.assess_entry(
        _entry(), [secured.to_bytes()], context=context, ledger=ledger, now=FIXED_NOW
    )
    rule_ids = {f["rule_id"] for f in untrusted.report.to_json_dict()["findings"]}
    assert "usmca.certifier_trusted" in rule_ids
    assert _line_preferences(untrusted) != _line_preferences(trusted)
    assert all("grant" in str(status) for status in _line_preferences(trusted))


def test_unreadable_credential_is_named(node):
    _, ledger, context = node
    with pytest.raises(InvalidDocument, match=r"credentials\[0\]") as caught:
        assessment.assess_entry(_entry(), [b"{}"], context=context, ledger=ledger, now=FIXED_NOW)
    assert caught.value.code == "invalid_document"
