"""The customs inbox: presentations received at ``POST /presentations``, grouped by workflow
instance (the workflow join, standards.md §2.1; w3c-ccg/traceability-interop
``docs/tutorials/workflow-join``).

Each group is one business process, such as one customs entry: every presentation any party
sent for that instance, newest first, with whether it verified on arrival, its holder, how many
credentials it carried and whether a later one replaced it. The credentials a case uses are
:func:`tradetrace.workflows.presentations.credentials_of_instance`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tradetrace.storage.oauth import ReceivedPresentation, ReceivedPresentationRepository
from tradetrace.workflows import presentations

__all__ = ["InboxEntry", "InboxGroup", "inbox"]


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One received presentation as the inbox shows it; ``digest`` is the SHA-256 of its
    secured form, under which the ledger logged it."""

    id: str
    holder: str | None
    verified: bool
    credentials: int
    digest: str
    received_at: datetime
    definitions: tuple[str, ...]
    instances: tuple[str, ...]
    replaces: str | None
    superseded_by: str | None

    @classmethod
    def from_received(cls, received: ReceivedPresentation) -> InboxEntry:
        """The entry of a stored presentation (its credentials counted from its document)."""
        document = json.loads(received.document)
        return cls(
            id=received.id, holder=received.holder, verified=received.verified,
            credentials=len(presentations.embedded_credentials(document)),
            digest=received.digest,
            received_at=received.received_at, definitions=received.definitions,
            instances=received.instances, replaces=received.replaces,
            superseded_by=received.superseded_by,
        )  # fmt: skip

    def to_json(self) -> dict[str, object]:
        """The entry as ``--json`` output and the API show it (camelCase wire names)."""
        return {
            "id": self.id,
            "holder": self.holder,
            "verified": self.verified,
            "credentials": self.credentials,
            "digest": self.digest,
            "receivedAt": self.received_at.isoformat(),
            "workflow": {"definition": list(self.definitions), "instance": list(self.instances)},
            "replaces": self.replaces,
            "supersededBy": self.superseded_by,
        }


@dataclass(frozen=True, slots=True)
class InboxGroup:
    """The presentations of one workflow instance (``None``: sent without one), newest first,
    with the workflow definitions they name."""

    instance: str | None
    definitions: tuple[str, ...]
    entries: tuple[InboxEntry, ...]

    @property
    def last_received_at(self) -> datetime:
        """When the newest presentation of the group arrived."""
        return max(entry.received_at for entry in self.entries)

    def to_json(self) -> dict[str, object]:
        """The group as ``--json`` output shows it."""
        return {
            "instance": self.instance,
            "definitions": list(self.definitions),
            "presentations": [entry.to_json() for entry in self.entries],
        }


def _group(instance: str | None, entries: list[InboxEntry]) -> InboxGroup:
    ordered = sorted(entries, key=lambda entry: (entry.received_at, entry.id), reverse=True)
    definitions = dict.fromkeys(name for entry in ordered for name in entry.definitions)
    return InboxGroup(instance, tuple(definitions), tuple(ordered))


def inbox(session: Session, *, instance: str | None = None, limit: int = 500) -> list[InboxGroup]:
    """The inbox, grouped by workflow instance, the group with the newest arrival first; only
    the group of ``instance`` when given (empty when nothing was received for it).

    Without ``instance`` it covers the ``limit`` presentations received last; a presentation
    naming several instances appears in each of their groups.
    """
    repository = ReceivedPresentationRepository(session)
    if instance is not None:
        entries = [InboxEntry.from_received(item) for item in repository.for_instance(instance)]
        return [_group(instance, entries)] if entries else []
    grouped: dict[str | None, list[InboxEntry]] = {}
    for received in repository.newest(limit=limit):
        entry = InboxEntry.from_received(received)
        for key in received.instances or (None,):
            grouped.setdefault(key, []).append(entry)
    groups = [_group(key, entries) for key, entries in grouped.items()]
    return sorted(groups, key=lambda group: group.last_received_at, reverse=True)
