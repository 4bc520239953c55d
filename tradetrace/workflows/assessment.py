"""Assess an entry against the credentials presented for it, as customs would.

Each credential is verified with everything this node knows (its DIDs, status lists, trust
registry and ledger), turned into the rule engine's evidence with the trace facts of the
entry's lots and the IPR recordations in force, and the entry gets a decision:
per-line preference and admissibility, duties, and a release recommendation with the findings
that drove it (STYLE.md §5: findings are outcomes, not errors).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any

from tradetrace.credentials import model, securing
from tradetrace.credentials.report import CheckId, CheckStatus, VerificationReport
from tradetrace.credentials.verify import Verifier
from tradetrace.entries import Entry
from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.ledger.record import LogRecord
from tradetrace.rules import Case, Decision, LedgerRecord, PresentedCredential, assess
from tradetrace.workflows.credentials import NodeContext
from tradetrace.workflows.entry_trace import trace_for_entry
from tradetrace.workflows.ledger import LedgerService
from tradetrace.workflows.recordations import recordations_in_force
from tradetrace.workflows.setup import tariff_data

__all__ = ["assess_entry", "build_case", "securing_digest"]


def _document(data: bytes | str) -> dict[str, Any]:
    try:
        return securing.read_secured(data, limits=securing.DEFAULT_LIMITS).document
    except securing.Failure as exc:
        raise InvalidDocument(f"credential is unusable: {exc}") from exc


def _ledger_record(ledger: LedgerService | None, digest: str) -> LedgerRecord | None:
    if ledger is None:
        return None
    indexes = ledger.store.entries_with_key(digest)
    if not indexes:
        return None
    record = LogRecord.from_bytes(ledger.entry(indexes[0]))
    return LedgerRecord(log_origin=ledger.origin, index=indexes[0], logged_at=record.time)


def _verify(
    verifier: Verifier, data: bytes | str, *, now: datetime, at: datetime
) -> VerificationReport:
    """Verify at ``now``; take the validity check as of ``at`` (the filing time)."""
    report = verifier.verify(data, now=now)
    validity = report.check(CheckId.VALIDITY)
    if validity is None or validity.status is CheckStatus.VALID:
        return report
    then = verifier.verify(data, now=at).check(CheckId.VALIDITY)
    if then is None:
        return report
    checks = tuple(then if item.id is CheckId.VALIDITY else item for item in report.checks)
    return dataclasses.replace(report, checks=checks)


def build_case(
    entry: Entry,
    secured: Sequence[bytes | str],
    *,
    context: NodeContext,
    ledger: LedgerService | None,
    now: datetime,
) -> Case:
    """The rule engine's input: the entry, every presented credential with its verdicts, the
    trace facts of its lots and the IPR recordations in force on its date.

    Credentials are verified now (proof, current status), but their validity period, and the
    issuer's accreditation, are judged as of the filing time (or noon UTC on the entry date): a
    certification valid when the goods were entered covers them even if it expired since. The
    trace facts come from the events captured on this node
    (:func:`~tradetrace.workflows.entry_trace.trace_for_entry`), the recordations from its
    registry (:func:`~tradetrace.workflows.recordations.recordations_in_force`), both read
    through the context's read-only sessions.
    Raises :class:`InvalidDocument` naming each credential that cannot be read at all.
    """
    verifier = context.verifier()
    at = entry.filed_at or datetime.combine(entry.entry_date, time(12), tzinfo=UTC)
    presented: list[PresentedCredential] = []
    problems: list[FieldProblem] = []
    for number, data in enumerate(secured):
        try:
            document = _document(data)
        except InvalidDocument as exc:
            problems.append(FieldProblem(f"credentials[{number}]", exc.message))
            continue
        report = _verify(verifier, data, now=now, at=at)
        issuer = document.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        types = document.get("type", [])
        decision = context.decide(
            issuer=str(issuer_id), credential_types=types if isinstance(types, list) else [types],
            at=at,
        )  # fmt: skip
        digest = securing_digest(data)
        presented.append(
            PresentedCredential(
                document=document,
                report=report,
                trust=decision,
                ledger=_ledger_record(ledger, digest),
            )
        )
    if problems:
        raise InvalidDocument.from_problems("presented credentials", problems)
    return Case(
        entry=entry,
        credentials=tuple(presented),
        trace=trace_for_entry(context.sessions, entry),
        recordations=recordations_in_force(context.sessions, entry.entry_date),
        now=now,
    )


def securing_digest(data: bytes | str) -> str:
    """The digest the ledger knows a secured document by (see ``credentials.model``)."""
    text = data.decode() if isinstance(data, bytes) else data
    stripped = text.strip()
    return model.secured_digest(stripped if not stripped.startswith("{") else json.loads(stripped))


def assess_entry(
    entry_json: bytes | str,
    secured: Sequence[bytes | str],
    *,
    context: NodeContext,
    ledger: LedgerService | None,
    now: datetime,
) -> Decision:
    """Parse the entry, build its case and decide on it."""
    entry = Entry.from_json(entry_json)
    case = build_case(entry, secured, context=context, ledger=ledger, now=now)
    return assess(case, now=now, data=tariff_data(context.settings))
