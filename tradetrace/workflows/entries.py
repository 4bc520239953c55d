"""File customs entries, join the presentations sent for them, decide, and keep it all.

An entry (CBP Form 3461/7501 data) is filed as entry JSON or as the vocabulary's entry credential
(``CBPEntryType86Credential``, ``CBP7501EntrySummaryCredential``; a credential must verify first).
Each filing is stored as a version and logged on the ledger (``customs.entry``) by the SHA-256
of the entry's RFC 8785 form; filing the same data again changes nothing, and different data
for a filed number needs ``replace`` (a correction: version n+1, earlier versions kept).

The entry's case joins, by workflow instance (Traceability Interop ``workflow.instance``;
standards.md §2.1), the credentials of every verified, not superseded presentation received for
it. The entry number is always one of its instances, so a presentation whose
``workflow.instance`` is the entry number joins without being linked by hand. Each decision is
stored with the credentials it used and its plain-words explanation, and logged
(``customs.decision``) by the digest of its JSON.

Storage is committed before the ledger append (SQLite allows one writer at a time); a filing
whose append failed is logged when the same data is filed again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tradetrace import errors
from tradetrace.credentials import jcs, securing
from tradetrace.credentials.report import CheckStatus, VerificationReport
from tradetrace.entries import Entry
from tradetrace.entries import credentials as entry_credentials
from tradetrace.ledger.record import LogRecord, RecordKind
from tradetrace.rules import Decision, assess, explain
from tradetrace.storage.entries import (
    DecisionRepository,
    EntryRepository,
    FiledEntry,
    StoredDecision,
)
from tradetrace.types import Did, Sha256Digest
from tradetrace.workflows import assessment, presentations, setup
from tradetrace.workflows.credentials import NodeContext
from tradetrace.workflows.ledger import LedgerService

__all__ = [
    "ENTRY_CREDENTIAL_TYPES",
    "CaseCredential",
    "EntryDossier",
    "EntrySubmission",
    "assess_filed_entry",
    "case_credentials",
    "entry_dossier",
    "file_entry",
    "list_entries",
    "read_submission",
]

ENTRY_CREDENTIAL_TYPES = {
    "CBPEntryType86Credential": entry_credentials.entry_from_type86_credential,
    "CBP7501EntrySummaryCredential": entry_credentials.entry_from_entry_summary_credential,
}
"""The vocabulary credential types that carry an entry, and how each becomes an :class:`Entry`."""


@dataclass(frozen=True, slots=True)
class EntrySubmission:
    """An entry read from what a filer sent: the entry and, if it came as one, the credential."""

    entry: Entry
    credential: str | None


@dataclass(frozen=True, slots=True)
class CaseCredential:
    """One credential of an entry's case: its secured form and where it came from."""

    secured: str
    source: str

    @property
    def digest(self) -> Sha256Digest:
        """The digest the ledger knows it by."""
        return Sha256Digest(assessment.securing_digest(self.secured))


@dataclass(frozen=True, slots=True)
class EntryDossier:
    """Everything kept on one entry: its versions (oldest first) and its decisions."""

    versions: tuple[FiledEntry, ...]
    decisions: tuple[StoredDecision, ...]

    @property
    def current(self) -> FiledEntry:
        """The newest version."""
        return self.versions[-1]

    @property
    def entry(self) -> Entry:
        """The newest version, parsed."""
        return Entry.from_json(self.current.document)

    @property
    def latest_decision(self) -> StoredDecision | None:
        """The newest decision, if any."""
        return self.decisions[-1] if self.decisions else None


def _failures(report: VerificationReport) -> str:
    failed = [
        f"{check.id.value}: {check.code} ({check.message})"
        for check in report.checks
        if check.status in (CheckStatus.INVALID, CheckStatus.ERROR)
    ]
    return "; ".join(failed[:6]) or "not verified"


def _entry_from_credential(document: Mapping[str, Any]) -> Entry:
    types = document.get("type", [])
    names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    for name in names:
        reader = ENTRY_CREDENTIAL_TYPES.get(str(name))
        if reader is not None:
            return reader(document)
    expected = " or ".join(sorted(ENTRY_CREDENTIAL_TYPES))
    problem = errors.FieldProblem("type", f"expected {expected}, got {names!r}"[:300])
    raise errors.InvalidDocument.from_problems("entry credential", [problem])


def read_submission(
    data: bytes | str | Mapping[str, Any], *, context: NodeContext, now: datetime
) -> EntrySubmission:
    """Read entry JSON, or verify an entry credential and read the entry it carries.

    Raises:
        errors.InvalidDocument: the entry (or credential) breaks a rule; every field is named.
        errors.VerificationError: an entry credential that does not verify (fail closed).
    """
    if isinstance(data, Mapping):
        document: Any = dict(data)
        text = None
    else:
        text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
        stripped = text.strip()
        if not stripped.startswith("{"):
            document = None  # a compact JWS: a VC-JOSE entry credential
        else:
            try:
                document = json.loads(stripped)
            except ValueError as exc:
                problem = errors.FieldProblem("entry", f"not JSON: {exc}")
                raise errors.InvalidDocument.from_problems("entry", [problem]) from None
    is_credential = document is None or (
        isinstance(document, dict) and ("proof" in document or "@context" in document)
    )
    if not is_credential:
        if not isinstance(document, dict):
            problem = errors.FieldProblem("entry", "expected a JSON object")
            raise errors.InvalidDocument.from_problems("entry", [problem])
        return EntrySubmission(Entry.from_json(document), None)
    secured = text.strip() if text is not None and document is None else json.dumps(document)
    try:
        received = securing.read_secured(secured, limits=securing.DEFAULT_LIMITS)
    except securing.Failure as exc:
        problem = errors.FieldProblem("credential", f"unusable: {exc}")
        raise errors.InvalidDocument.from_problems("entry credential", [problem]) from None
    entry = _entry_from_credential(received.document)
    report = context.verifier().verify(secured, now=now)
    if not report.verified():
        raise errors.VerificationError(f"entry credential did not verify: {_failures(report)}")
    return EntrySubmission(entry, secured)


def _canonical(document: Mapping[str, Any]) -> tuple[str, Sha256Digest]:
    data = jcs.canonicalize(dict(document))
    return data.decode("utf-8"), Sha256Digest(hashlib.sha256(data).hexdigest())


def _instances(entry_number: str, given: Sequence[str]) -> tuple[str, ...]:
    problems = [
        errors.FieldProblem(f"instances[{index}]", "expected a non-empty IRI of at most 512 chars")
        for index, value in enumerate(given)
        if not value.strip() or len(value) > 512
    ]
    if problems:
        raise errors.InvalidDocument.from_problems("entry filing", problems)
    found = [entry_number]
    found += [value.strip() for value in given if value.strip() not in found]
    return tuple(found)


def file_entry(
    sessions: sessionmaker[Session],
    ledger: LedgerService | None,
    submission: EntrySubmission,
    *,
    submitter: str,
    instances: Sequence[str] = (),
    replace: bool = False,
    now: datetime,
) -> tuple[FiledEntry, bool]:
    """Store and log an entry; the version filed and whether it is new.

    The filing time is the entry's ``filedAt`` or ``now``; rules compare it with when each
    credential was logged. Filing data identical to the newest version (same digest, same
    instances) returns that version unchanged.

    Raises:
        errors.Conflict: the number was filed with other data and ``replace`` is not set.
        errors.InvalidDocument: ``submitter`` is not a DID, or an instance is empty.
    """
    if not submitter.startswith("did:") or len(submitter) > 512:
        problem = errors.FieldProblem("submitter", "expected a DID of at most 512 characters")
        raise errors.InvalidDocument.from_problems("entry filing", [problem])
    entry = submission.entry.model_copy(update={"filed_at": submission.entry.filed_at or now})
    number = entry.entry_number
    linked = _instances(number, instances)
    with sessions() as session:
        latest = EntryRepository(session).latest(number)
    if latest is not None and _same_filing(entry, latest, linked):
        if ledger is not None and not ledger.store.entries_with_key(latest.digest):
            _log_filing(ledger, latest)  # its first append failed: log it now
        return latest, False
    filed = _new_version(submission, entry, latest, linked, submitter, replace, now)
    with sessions() as session:
        EntryRepository(session).add(filed)  # Conflict if a concurrent filing took the version
        session.commit()
    if ledger is not None:
        _log_filing(ledger, filed)
    return filed, True


def _same_filing(entry: Entry, latest: FiledEntry, linked: tuple[str, ...]) -> bool:
    """Whether ``entry`` with ``linked`` instances is the newest version's filing again."""
    if latest.instances != linked:
        return False
    same = entry.model_copy(update={"filed_at": latest.filed_at})
    return _canonical(same.to_json_dict())[1] == latest.digest


def _new_version(
    submission: EntrySubmission,
    entry: Entry,
    latest: FiledEntry | None,
    linked: tuple[str, ...],
    submitter: str,
    replace: bool,
    now: datetime,
) -> FiledEntry:
    """The next version of ``entry``; :class:`Conflict` for other data without ``replace``."""
    number = entry.entry_number
    if latest is not None and not replace:
        raise errors.Conflict(
            f"entry {number} was already filed (version {latest.version}) with other data; "
            "file it again with replace to record a correction"
        )
    document, digest = _canonical(entry.to_json_dict())
    return FiledEntry(
        entry_number=number,
        version=1 if latest is None else latest.version + 1,
        entry_type=entry.entry_type.value,
        importer_number=entry.importer_of_record_number,
        entry_date=entry.entry_date,
        filed_at=entry.filed_at or now,
        document=document,
        digest=digest,
        credential=submission.credential,
        submitter=submitter,
        instances=linked,
        recorded_at=now,
    )


def _log_filing(ledger: LedgerService, filed: FiledEntry) -> None:
    record = LogRecord(
        kind=RecordKind.CUSTOMS_ENTRY, digest=Sha256Digest(filed.digest),
        submitter=Did(filed.submitter), time=filed.recorded_at,
        ref=f"{filed.entry_number}/v{filed.version}",
    )  # fmt: skip
    ledger.append([record])


def _secured_text(item: Any) -> str:
    return item if isinstance(item, str) else json.dumps(item)


def case_credentials(
    session: Session, filed: FiledEntry, extra: Sequence[bytes | str] = ()
) -> list[CaseCredential]:
    """The credentials of an entry's case: those carried by the verified, not superseded
    presentations of its workflow instances (oldest first), then ``extra``; each once."""
    found: list[CaseCredential] = []
    seen: set[str] = set()

    def add(secured: str, source: str) -> None:
        item = CaseCredential(secured, source)
        try:
            digest = item.digest
        except errors.TradeTraceError:
            digest = Sha256Digest(hashlib.sha256(secured.encode()).hexdigest())
        if digest not in seen:
            seen.add(digest)
            found.append(item)

    for instance in filed.instances:
        for secured, received in presentations.carried_credentials(session, instance):
            add(_secured_text(secured), f"presentation {received.id}")
    for data in extra:
        add(
            data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data, "submitted"
        )
    return found


def assess_filed_entry(
    sessions: sessionmaker[Session],
    context: NodeContext,
    ledger: LedgerService | None,
    entry_number: str,
    *,
    decided_by: str,
    extra: Sequence[bytes | str] = (),
    now: datetime,
) -> tuple[Decision, StoredDecision]:
    """Decide on the newest version of a filed entry with its case's credentials; store the
    decision with its explanation and log it.

    ``decided_by`` is the DID the decision is logged under (the customs node's own did:web).

    Raises:
        errors.NotFound: the entry was never filed.
        errors.InvalidDocument: a credential of the case cannot be read at all.
    """
    with sessions() as session:
        filed = EntryRepository(session).get(entry_number)
        gathered = case_credentials(session, filed, extra)
    entry = Entry.from_json(filed.document)
    case = assessment.build_case(
        entry, [item.secured for item in gathered], context=context, ledger=ledger, now=now
    )
    decision = assess(case, now=now, data=setup.tariff_data(context.settings))
    document = {
        **decision.to_json_dict(),
        "entry_version": filed.version,
        "decided_at": now.isoformat(),
        "credentials": [{"digest": item.digest, "source": item.source} for item in gathered],
    }
    text, digest = _canonical(document)
    with sessions() as session:
        stored = DecisionRepository(session).add(
            StoredDecision(
                id=0, entry_number=filed.entry_number, entry_version=filed.version,
                decided_at=now, recommendation=decision.recommendation.value, document=text,
                explanation=explain(decision), digest=digest,
            )
        )  # fmt: skip
        session.commit()
    if ledger is not None:
        ledger.append(
            [
                LogRecord(
                    kind=RecordKind.CUSTOMS_DECISION, digest=digest, submitter=Did(decided_by),
                    time=now, ref=f"{filed.entry_number}/v{filed.version}/decision/{stored.id}",
                )
            ]
        )  # fmt: skip
    return decision, stored


def entry_dossier(session: Session, entry_number: str) -> EntryDossier:
    """Every version of an entry and every decision on it; :class:`NotFound` if never filed."""
    versions = EntryRepository(session).versions(entry_number)
    if not versions:
        raise errors.NotFound(f"no filed entry {entry_number[:20]!r}")
    decisions = DecisionRepository(session).for_entry(entry_number)
    return EntryDossier(tuple(versions), tuple(decisions))


def list_entries(
    session: Session, *, limit: int = 50, offset: int = 0
) -> list[tuple[FiledEntry, StoredDecision | None]]:
    """The newest version of each entry, most recently filed first, with its newest decision."""
    filed = EntryRepository(session).newest(limit=limit, offset=offset)
    latest = DecisionRepository(session).latest_for([item.entry_number for item in filed])
    return [(item, latest.get(item.entry_number)) for item in filed]
