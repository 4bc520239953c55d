"""Prepare validated EPCIS events for capture: hash ID, indexed fields, identifiers by role.

Capture (EPCIS 2.0 §8.2.1) stores each event once, keyed by its CBV 2.0 Event Hash ID
(CBV 2.0 §8.9), with the fields queries filter on (EPCIS 2.0 §8.2.7.1: event type, times,
business step, disposition, read point, business location, action) and every identifier it
names, by the role the identifier plays (:class:`Role`), so that traces can follow objects
through aggregations and transformations. Identifiers are kept in their constrained canonical
GS1 Digital Link form (:func:`~tradetrace.events.digital_link.canonical_identifier`), so an
EPC URI and a Digital Link URI of one object meet; other URIs are kept as written.

This path works on the JSON-LD wire form and never builds the pydantic models: it is the hot
path of capture, and the document has been validated whole before it runs. The wire form is
kept as the compact JSON text that is stored (:func:`event_json_text`), so a prepared event is
flat, plain data: a capture pipeline hands it from a worker process to the writer cheaply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

import orjson

from tradetrace.events import digital_link, hashing, prehash
from tradetrace.events.cbv import Vocabulary, code_list
from tradetrace.types import Sha256Digest

__all__ = [
    "IdentifierUse",
    "PreparedEvent",
    "Role",
    "canonical_or_given",
    "digest_of_hash_id",
    "document_events",
    "event_json_text",
    "identifier_uses",
    "location",
    "prepare_event",
    "standard_code",
]


class Role(StrEnum):
    """The role an identifier plays in an event (EPCIS 2.0 §7.3.3, §7.4)."""

    EPC = "epc"  # epcList of an ObjectEvent or TransactionEvent
    QUANTITY = "quantity"  # quantityList of an ObjectEvent or TransactionEvent
    PARENT = "parent"  # parentID
    CHILD = "child"  # childEPCs and childQuantityList
    INPUT = "input"  # inputEPCList and inputQuantityList
    OUTPUT = "output"  # outputEPCList and outputQuantityList


@dataclass(frozen=True, slots=True)
class IdentifierUse:
    """One identifier of an event, its role, and the quantity when it names a class."""

    identifier: str
    role: Role
    is_class: bool = False
    quantity: float | None = None
    uom: str | None = None


@dataclass(frozen=True, slots=True)
class PreparedEvent:
    """An event ready to store: its hash ID, indexed fields, identifiers and wire form (as the
    compact JSON text that is stored, :func:`event_json_text`)."""

    hash_id: hashing.EventHashId
    event_type: str
    action: str | None
    event_time: datetime
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    identifiers: tuple[IdentifierUse, ...]
    json_text: str

    @property
    def digest(self) -> Sha256Digest:
        """The SHA-256 of the event's CBV 2.0 pre-hash string (the hex in :attr:`hash_id`)."""
        return digest_of_hash_id(self.hash_id)


def digest_of_hash_id(hash_id: str) -> Sha256Digest:
    """The hex SHA-256 digest inside a CBV 2.0 Event Hash ID (RFC 6920 ``ni`` URI)."""
    return Sha256Digest(hash_id[14:78])


_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def event_json_text(wire: Mapping[str, Any]) -> str:
    """An event's wire form as compact JSON text, as stored (RFC 8259, UTF-8 unescaped).

    orjson is several times faster than the standard library here, but it writes NaN and
    infinities (which JSON cannot express, and the standard parser lets through in user
    extensions) as ``null`` and refuses integers beyond 64 bits: such events, and any whose
    text has a ``null`` that may stand for one, are written by the standard library.
    """
    try:
        text = orjson.dumps(wire)
    except TypeError:
        return _encode_json(wire)
    return _encode_json(wire) if b"null" in text else text.decode()


def canonical_or_given(uri: str) -> str:
    """The canonical GS1 Digital Link of a GS1 identifier, or ``uri`` itself for others."""
    return digital_link.canonical_identifier_or_none(uri) or uri


def standard_code(vocabulary: Vocabulary, value: str | None) -> str | None:
    """A CBV value as its bare code when it is a standard one, else as written (CBV 2.0 §6)."""
    if value is None:
        return None
    return _standard_code(vocabulary, value)


@lru_cache(maxsize=4096)
def _standard_code(vocabulary: Vocabulary, value: str) -> str:
    codes = code_list(vocabulary)
    web = codes.web_uri(value)
    return web[len(codes.web_prefix) :] if web else value


_EPC_ROLES = (
    ("epcList", Role.EPC),
    ("childEPCs", Role.CHILD),
    ("inputEPCList", Role.INPUT),
    ("outputEPCList", Role.OUTPUT),
)
_CLASS_ROLES = (
    ("quantityList", Role.QUANTITY),
    ("childQuantityList", Role.CHILD),
    ("inputQuantityList", Role.INPUT),
    ("outputQuantityList", Role.OUTPUT),
)


@lru_cache(maxsize=16384)
def _use(
    identifier: str, role: Role, is_class: bool, quantity: float | None, uom: str | None
) -> IdentifierUse:
    """One shared (immutable) instance per use: objects recur in event after event."""
    return IdentifierUse(canonical_or_given(identifier), role, is_class, quantity, uom)


def identifier_uses(event: Mapping[str, Any]) -> tuple[IdentifierUse, ...]:
    """Every identifier a validated event names, by role (EPCIS 2.0 §7.3.3, §7.4)."""
    found: dict[tuple[str, Role], IdentifierUse] = {}
    parent = event.get("parentID")
    if parent is not None:
        found[(parent, Role.PARENT)] = _use(parent, Role.PARENT, False, None, None)
    for field, role in _EPC_ROLES:
        for epc in event.get(field) or ():
            if (epc, role) not in found:
                found[(epc, role)] = _use(epc, role, False, None, None)
    for field, role in _CLASS_ROLES:
        for element in event.get(field) or ():
            epc_class = element["epcClass"]
            amount = element.get("quantity")
            quantity = None if amount is None else float(amount)
            uom = element.get("uom")
            if quantity == 0:  # the cache would not tell 0.0 from -0.0
                use = IdentifierUse(canonical_or_given(epc_class), role, True, quantity, uom)
            else:
                use = _use(epc_class, role, True, quantity, uom)
            previous = found.get((epc_class, role))
            if previous is not None and previous.uom == use.uom and use.quantity is not None:
                # one class twice in a list: the amounts add up
                total = (previous.quantity or 0.0) + use.quantity
                use = IdentifierUse(use.identifier, role, True, total, use.uom)
            found[(epc_class, role)] = use
    # The same object written as an EPC URI and a Digital Link is one identifier.
    unique = {(use.identifier, use.role): use for use in found.values()}
    return tuple(unique.values())


def location(event: Mapping[str, Any], field: str) -> str | None:
    """The canonical id of a ``readPoint`` or ``bizLocation`` of an event (EPCIS 2.0 §7.3.4)."""
    value = event.get(field)
    return canonical_or_given(value["id"]) if isinstance(value, dict) else None


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def prepare_event(
    event: Mapping[str, Any], *, namespaces: Mapping[str, str], context: list[Any] | None = None
) -> PreparedEvent:
    """Prepare one validated event in its JSON-LD form (see the module docstring).

    ``namespaces`` are the document's prefixes (:func:`.prehash.namespaces_from_context`).
    ``context`` are the document's inline ``@context`` entries: they are copied onto the
    stored event (EPCIS 2.0 §9.3 allows an ``@context`` per event), so that it stands alone
    and its hash ID can be recomputed from it.
    """
    # The event is copied only to carry the context: the stored text is all that is kept of it.
    wire = event if type(event) is dict else dict(event)
    if context and "@context" not in wire:
        wire = {**wire, "@context": context}
    return PreparedEvent(
        hash_id=hashing.event_hash_id(event, namespaces=namespaces),
        event_type=event["type"],
        action=event.get("action"),
        event_time=_time(event["eventTime"]),
        biz_step=standard_code(Vocabulary.BIZ_STEP, event.get("bizStep")),
        disposition=standard_code(Vocabulary.DISPOSITION, event.get("disposition")),
        read_point=location(event, "readPoint"),
        biz_location=location(event, "bizLocation"),
        identifiers=identifier_uses(event),
        json_text=event_json_text(wire),
    )


def document_events(document: Mapping[str, Any]) -> list[PreparedEvent]:
    """Prepare every event of a validated EPCISDocument, in document order (EPCIS 2.0 §9.3)."""
    context = document.get("@context")
    namespaces = prehash.namespaces_from_context(context)
    entries = context if isinstance(context, list) else [context]
    inline = [entry for entry in entries if isinstance(entry, dict)]
    events = document["epcisBody"]["eventList"]
    return [prepare_event(event, namespaces=namespaces, context=inline) for event in events]
