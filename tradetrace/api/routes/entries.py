"""Customs entries over HTTP: file, list, show, assess. Every route needs an operator token.

``POST /api/entries`` takes ``{"entry": ENTRY_JSON}`` or ``{"credential": SECURED}`` (an entry
credential, JWS or JSON, that must verify), with optional ``instances``, ``submitter`` and
``replace``. ``POST /api/entries/{number}/assess`` decides with the credentials of the entry's
workflow instances plus any given in ``credentials``; the decision is stored and logged.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from tradetrace import errors
from tradetrace.api.deps import ClockDep, LedgerDep, SessionDep, SettingsDep
from tradetrace.api.operators import CurrentOperator
from tradetrace.storage.entries import FiledEntry, StoredDecision
from tradetrace.workflows import credentials, entries, identity

__all__ = ["router"]

router = APIRouter(prefix="/api/entries", tags=["entries"])


class EntryFiling(BaseModel):
    """An entry to file: its JSON or an entry credential, and the workflow instances of its
    case (the entry number is always one)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entry: dict[str, Any] | None = Field(default=None, description="Entry JSON (3461/7501 data).")
    credential: str | dict[str, Any] | None = Field(
        default=None, description="A CBPEntryType86 or CBP7501EntrySummary credential instead."
    )
    instances: list[str] = Field(default_factory=list, max_length=32)
    submitter: str | None = Field(default=None, description="Filer DID; default this node's.")
    replace: bool = Field(default=False, description="Record a correction of a filed entry.")


class FiledEntryPublic(BaseModel):
    """One version of a filed entry."""

    entry_number: str
    version: int
    entry_type: str
    entry_date: str
    filed_at: str
    digest: str
    submitter: str
    instances: list[str]
    from_credential: bool

    @classmethod
    def from_domain(cls, filed: FiledEntry) -> FiledEntryPublic:
        """Render a stored version."""
        return cls(
            entry_number=filed.entry_number, version=filed.version, entry_type=filed.entry_type,
            entry_date=filed.entry_date.isoformat(), filed_at=filed.filed_at.isoformat(),
            digest=filed.digest, submitter=filed.submitter, instances=list(filed.instances),
            from_credential=filed.credential is not None,
        )  # fmt: skip


class FilingResult(FiledEntryPublic):
    """The version filed and whether the filing made it (``false``: same data as before)."""

    new: bool


class DecisionPublic(BaseModel):
    """A stored decision: its summary, explanation and full document."""

    id: int
    entry_version: int
    decided_at: str
    recommendation: str
    digest: str
    explanation: str
    decision: dict[str, Any]

    @classmethod
    def from_domain(cls, stored: StoredDecision) -> DecisionPublic:
        """Render a stored decision."""
        return cls(
            id=stored.id, entry_version=stored.entry_version,
            decided_at=stored.decided_at.isoformat(), recommendation=stored.recommendation,
            digest=stored.digest, explanation=stored.explanation,
            decision=json.loads(stored.document),
        )  # fmt: skip


class EntryDossierPublic(BaseModel):
    """An entry: its newest data, every version and every decision."""

    entry: dict[str, Any]
    versions: list[FiledEntryPublic]
    decisions: list[DecisionPublic]


class EntrySummary(FiledEntryPublic):
    """A line of the entry list: the newest version and its latest recommendation."""

    recommendation: str | None


class EntryList(BaseModel):
    """Filed entries, most recently filed first."""

    items: list[EntrySummary]


class AssessRequest(BaseModel):
    """Credentials presented with the entry beyond those of its workflow instances."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credentials: list[str | dict[str, Any]] = Field(default_factory=list, max_length=200)


def _node_context(request: Request) -> credentials.NodeContext:
    context: credentials.NodeContext = request.app.state.node_context
    return context


@router.post("", response_model=FilingResult)
def file_entry(
    body: EntryFiling,
    request: Request,
    settings: SettingsDep,
    ledger: LedgerDep,
    clock: ClockDep,
    _operator: CurrentOperator,
) -> FilingResult:
    """File an entry: stored as a version, logged on the ledger; 409 for other data under a
    filed number without ``replace``; 400 names every invalid field; 422 for a credential that
    does not verify."""
    if (body.entry is None) == (body.credential is None):
        problem = errors.FieldProblem("entry", "give exactly one of entry or credential")
        raise errors.InvalidDocument.from_problems("entry filing", [problem])
    now = clock()
    given = body.entry if body.entry is not None else body.credential
    data = given if isinstance(given, str) else json.dumps(given)
    submission = entries.read_submission(data, context=_node_context(request), now=now)
    filed, new = entries.file_entry(
        request.app.state.session_factory, ledger, submission,
        submitter=body.submitter or identity.organisation_did(settings, "", root=True),
        instances=body.instances, replace=body.replace, now=now,
    )  # fmt: skip
    return FilingResult(**FiledEntryPublic.from_domain(filed).model_dump(), new=new)


@router.get("", response_model=EntryList)
def list_entries(
    session: SessionDep,
    _operator: CurrentOperator,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> EntryList:
    """Filed entries with their latest recommendation, most recently filed first."""
    listed = entries.list_entries(session, limit=limit, offset=offset)
    items = [
        EntrySummary(
            **FiledEntryPublic.from_domain(filed).model_dump(),
            recommendation=None if latest is None else latest.recommendation,
        )
        for filed, latest in listed
    ]
    return EntryList(items=items)


@router.get("/{entry_number}", response_model=EntryDossierPublic)
def show_entry(
    entry_number: str, session: SessionDep, _operator: CurrentOperator
) -> EntryDossierPublic:
    """An entry with its versions and decisions; 404 if it was never filed."""
    dossier = entries.entry_dossier(session, entry_number)
    return EntryDossierPublic(
        entry=json.loads(dossier.current.document),
        versions=[FiledEntryPublic.from_domain(item) for item in dossier.versions],
        decisions=[DecisionPublic.from_domain(item) for item in dossier.decisions],
    )


@router.post("/{entry_number}/assess", response_model=DecisionPublic)
def assess_entry(
    entry_number: str,
    request: Request,
    settings: SettingsDep,
    ledger: LedgerDep,
    clock: ClockDep,
    _operator: CurrentOperator,
    body: AssessRequest | None = None,
) -> DecisionPublic:
    """Decide on the entry with its case's credentials; the stored, logged decision."""
    extra = [
        item if isinstance(item, str) else json.dumps(item)
        for item in (body or AssessRequest()).credentials
    ]
    _, stored = entries.assess_filed_entry(
        request.app.state.session_factory, _node_context(request), ledger, entry_number,
        decided_by=identity.organisation_did(settings, "", root=True), extra=extra, now=clock(),
    )  # fmt: skip
    return DecisionPublic.from_domain(stored)
