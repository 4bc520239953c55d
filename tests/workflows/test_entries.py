"""Filed entries: stored by version, logged, joined to the presentations sent for them, decided."""

import json
from datetime import UTC, datetime

import pytest

from tests.conftest import ASSETS, FIXED_NOW
from tradetrace import errors, storage
from tradetrace.credentials import issue, model
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.workflows import credentials, entries, identity, presentations, trust
from tradetrace.workflows.ledger import LedgerService, load_or_create_log_key

CUSTOMS = ASSETS / "customs"
CERTIFIER = "did:web:localhost%3A8000:orgs:conductores"
NODE = "did:web:localhost%3A8000"
NUMBER = "B76-0251001-1"
ISSUED = datetime(2025, 1, 2, 9, 0, tzinfo=UTC)
PRESENTED = datetime(2025, 7, 14, 12, 0, tzinfo=UTC)
FILED = datetime(2025, 7, 14, 16, 0, tzinfo=UTC)


@pytest.fixture
def node(engine, settings):
    signer = load_or_create_log_key(settings.effective_log_key_path, settings.effective_log_origin)
    ledger = LedgerService(engine, signer=signer, tiles_dir=None, clock=lambda: FIXED_NOW)
    readers = storage.make_session_factory(engine, write=False)
    context = credentials.NodeContext(settings, readers, ledger=ledger, clock=lambda: FIXED_NOW)
    return storage.make_session_factory(engine), ledger, context


def _entry_document(**changes):
    entry = json.loads((CUSTOMS / "usmca-conductors-entry.json").read_text())
    entry["seller"]["did"] = CERTIFIER
    entry.pop("filedAt", None)
    entry.update(changes)
    return entry


def _file(node, document, **options):
    sessions, ledger, context = node
    submission = entries.read_submission(json.dumps(document), context=context, now=FILED)
    options.setdefault("submitter", NODE)
    return entries.file_entry(sessions, ledger, submission, now=FILED, **options)


def _logged(ledger, digest):
    indexes = ledger.store.entries_with_key(digest)
    return [LogRecord.from_bytes(ledger.entry(index)) for index in indexes]


def test_filing_stores_a_version_and_logs_its_digest(node):
    filed, new = _file(node, _entry_document())
    assert new and filed.version == 1 and filed.entry_number == NUMBER
    assert filed.filed_at == FILED  # no filedAt given: the filing time
    assert filed.instances == (NUMBER,)
    (record,) = _logged(node[1], filed.digest)
    assert record.kind is RecordKind.CUSTOMS_ENTRY
    assert record.ref == f"{NUMBER}/v1"
    assert json.loads(filed.document)["filedAt"].startswith("2025-07-14T16:00:00")


def test_filing_the_same_data_again_changes_nothing(node):
    first, _ = _file(node, _entry_document())
    again, new = _file(node, _entry_document())
    assert not new and again == first
    assert len(_logged(node[1], first.digest)) == 1


def test_other_data_for_a_filed_number_needs_replace(node):
    _file(node, _entry_document())
    changed = _entry_document(portOfEntry="2305")
    with pytest.raises(errors.Conflict, match="already filed"):
        _file(node, changed)
    second, new = _file(node, changed, replace=True)
    assert new and second.version == 2
    with node[0]() as session:
        dossier = entries.entry_dossier(session, NUMBER)
    assert [item.version for item in dossier.versions] == [1, 2]
    assert dossier.entry.port_of_entry == "2305"


def test_bad_entry_names_the_field(node):
    with pytest.raises(errors.InvalidDocument, match=r"lines\[0\]\.hts10"):
        document = _entry_document()
        document["lines"][0]["hts10"] = "85444290"
        _file(node, document)


def test_submitter_must_be_a_did(node):
    with pytest.raises(errors.InvalidDocument, match="submitter"):
        _file(node, _entry_document(), submitter="broker-7")


def _certify(node, settings):
    sessions, ledger, _ = node
    document = json.loads((CUSTOMS / "usmca-conductors-certification.json").read_text())
    for name in ("id", "proof"):
        document.pop(name, None)
    document["issuer"]["id"] = CERTIFIER
    with sessions() as session:
        identity.create_organisation(
            session, settings, slug="conductores", name="Conductores del Norte", country="MX",
            roles=["exporter", "certifier"], now=ISSUED,
        )  # fmt: skip
        trust.accredit(
            session, did=CERTIFIER, roles=["certifier"], accredited_by=NODE,
            valid_from=FIXED_NOW.replace(year=2024), now=FIXED_NOW,
        )  # fmt: skip
        return credentials.issue_as_organisation(
            session, settings, ledger, slug="conductores", credential=document,
            format=issue.Format.EDDSA_JCS_2022, now=ISSUED,
        )  # fmt: skip


def _present(node, settings, secured, instance):
    """The exporter presents its certification for ``instance`` (Traceability Interop)."""
    sessions, ledger, context = node
    with sessions() as session:
        proved = presentations.prove_presentation(
            session, settings, caller_slug="conductores",
            presentation={
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiablePresentation"],
                "id": f"urn:uuid:presentation-for-{instance}",
                "verifiableCredential": [secured.document],
            },
            format=issue.Format.EDDSA_JCS_2022, challenge=None, domain=None,
            now=PRESENTED,
        )  # fmt: skip
        presentations.receive_presentation(
            session, ledger, context.verifier(), presentation=proved.document,
            workflow={"definition": ["urn:tradetrace:workflow:usmca"], "instance": [instance]},
            sender=presentations.Sender(client_id="client-1", organisation_slug=None),
            now=PRESENTED,
        )  # fmt: skip


def _assess(node):
    sessions, ledger, context = node
    return entries.assess_filed_entry(
        sessions, context, ledger, NUMBER, decided_by=NODE, now=FIXED_NOW
    )


def test_presentations_of_the_entrys_instance_make_its_case(node, settings):
    secured = _certify(node, settings)
    _present(node, settings, secured, NUMBER)
    _file(node, _entry_document())
    decision, stored = _assess(node)
    preferences = [line["preference"] for line in decision.to_json_dict()["lines"]]
    assert preferences and all(status == "granted" for status in preferences)
    document = json.loads(stored.document)
    assert document["credentials"] == [
        {
            "digest": model.secured_digest(secured.document),
            "source": f"presentation urn:uuid:presentation-for-{NUMBER}",
        }
    ]
    assert stored.recommendation == decision.recommendation.value
    assert stored.explanation.startswith(f"Entry {NUMBER} (type 01): release")
    (record,) = _logged(node[1], stored.digest)
    assert record.kind is RecordKind.CUSTOMS_DECISION
    assert record.ref == f"{NUMBER}/v1/decision/{stored.id}"


def test_presentations_of_another_instance_stay_out_unless_linked(node, settings):
    secured = _certify(node, settings)
    _present(node, settings, secured, "urn:uuid:shipment-42")
    _file(node, _entry_document())
    unlinked, _ = _assess(node)
    assert all(line["preference"] != "granted" for line in unlinked.to_json_dict()["lines"])
    _file(node, _entry_document(), instances=["urn:uuid:shipment-42"], replace=True)
    linked, stored = _assess(node)
    assert all(line["preference"] == "granted" for line in linked.to_json_dict()["lines"])
    assert json.loads(stored.document)["entry_version"] == 2
    with node[0]() as session:
        dossier = entries.entry_dossier(session, NUMBER)
        listed = entries.list_entries(session)
    assert [item.id for item in dossier.decisions] == [1, 2]
    assert dossier.latest_decision == stored
    assert [(filed.version, latest.id) for filed, latest in listed] == [(2, stored.id)]


def test_assessing_an_unfiled_entry_is_not_found(node):
    with pytest.raises(errors.NotFound, match="no filed entry"):
        _assess(node)


def test_a_filing_whose_append_failed_is_logged_when_filed_again(node):
    sessions, ledger, context = node
    submission = entries.read_submission(json.dumps(_entry_document()), context=context, now=FILED)
    stored, _ = entries.file_entry(sessions, None, submission, submitter=NODE, now=FILED)
    assert _logged(ledger, stored.digest) == []  # stored, but its append never happened
    again, new = _file(node, _entry_document())
    assert not new and again == stored
    (record,) = _logged(ledger, stored.digest)
    assert record.ref == f"{NUMBER}/v1"
    _file(node, _entry_document())
    assert len(_logged(ledger, stored.digest)) == 1
