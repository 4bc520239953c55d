"""EPCIS events carried in verifiable credentials, read out as EPCIS 2.0 events.

Two wrappings are accepted:

- the UN Transparency Protocol **Digital Traceability Event** (UNTP DTE, credential type
  ``DigitalTraceabilityEvent``), whose ``credentialSubject`` is a list of EPCIS-style events
  (UNTP spec §"Digital Traceability Events", data model 0.5);
- the W3C CCG traceability vocabulary's **EventCredential** (``EventCredential``), whose
  ``credentialSubject`` is, for EPCIS use, one EPCIS event or a list of them.

An event that is already EPCIS 2.0 JSON-LD (``type`` a string naming an EPCIS event type) is
taken as it is. The UNTP spelling is mapped field by field: ``type`` is a list naming the
event type; ``action`` is lower-case; ``id`` is the event id (``eventID``); identified items
are objects (``{"id": …, "name": …}``) in ``epcList``, ``childEPCs``, ``inputEPCList`` and
``outputEPCList`` and ``parentEPC`` (``parentID``); quantities are ``{"productId",
"quantity", "uom"}``; ``bizLocation`` and ``readPoint`` are URIs; business transactions name
their document in ``bizTransaction`` or ``identifier``. Descriptive UNTP fields that EPCIS
has no place for (``processType``, ``name``, ``description``) are left out. The result is
validated as any captured EPCIS document is (:mod:`tradetrace.events.validation`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tradetrace.errors import InvalidDocument

__all__ = ["EPCIS_CONTEXT", "EVENT_CREDENTIAL_TYPES", "credential_events", "events_document"]

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
"""The EPCIS 2.0 JSON-LD context (EPCIS 2.0 §9.3)."""
EVENT_CREDENTIAL_TYPES = frozenset({"DigitalTraceabilityEvent", "EventCredential"})
"""Credential types whose subject carries EPCIS events."""

_EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
_ITEM_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
_PLAIN = (
    "eventTime",
    "eventTimeZoneOffset",
    "disposition",
    "bizStep",
    "transformationID",
    "sensorElementList",
    "persistentDisposition",
    "ilmd",
    "certificationInfo",
    "errorDeclaration",
    "sourceList",
    "destinationList",
)


def _identifier(value: Any) -> Any:
    return value.get("id") if isinstance(value, Mapping) else value


def _quantity(value: Any) -> Any:
    if not isinstance(value, Mapping) or "epcClass" in value:
        return value
    element = {"epcClass": value.get("productId"), "quantity": value.get("quantity")}
    if value.get("uom") is not None:
        element["uom"] = value["uom"]
    return {key: item for key, item in element.items() if item is not None}


def _offset(event_time: Any) -> str | None:
    if not isinstance(event_time, str):
        return None
    if event_time.endswith("Z"):
        return "+00:00"
    tail = event_time[-6:]
    return tail if tail[:1] in "+-" and tail[3:4] == ":" else None


def _from_untp(subject: Mapping[str, Any]) -> dict[str, Any]:
    names = subject.get("type")
    kinds = [name for name in (names if isinstance(names, list) else [names]) if name]
    event_type = next((name for name in kinds if name in _EVENT_TYPES), None)
    event: dict[str, Any] = {"type": event_type}
    if subject.get("id") is not None:
        event["eventID"] = subject["id"]
    if isinstance(subject.get("action"), str):
        event["action"] = subject["action"].upper()
    for name in _PLAIN:
        if name in subject:
            event[name] = subject[name]
    event.setdefault("eventTimeZoneOffset", _offset(subject.get("eventTime")))
    for name in _ITEM_LISTS:
        if isinstance(subject.get(name), list):
            event[name] = [_identifier(item) for item in subject[name]]
    for name in _QUANTITY_LISTS:
        if isinstance(subject.get(name), list):
            event[name] = [_quantity(item) for item in subject[name]]
    parent = subject.get("parentEPC", subject.get("parentID"))
    if parent is not None:
        event["parentID"] = _identifier(parent)
    for name in ("bizLocation", "readPoint"):
        if subject.get(name) is not None:
            where = subject[name]
            event[name] = where if isinstance(where, Mapping) else {"id": where}
    if isinstance(subject.get("bizTransactionList"), list):
        event["bizTransactionList"] = [
            {
                key: value
                for key, value in (
                    ("type", item.get("type")),
                    ("bizTransaction", item.get("bizTransaction", item.get("identifier"))),
                )
                if value is not None
            }
            for item in subject["bizTransactionList"]
            if isinstance(item, Mapping)
        ]
    event.update({key: value for key, value in subject.items() if ":" in key})
    return {key: value for key, value in event.items() if value is not None}


def credential_events(credential: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The EPCIS 2.0 events a UNTP DTE or traceability EventCredential carries, in order.

    Raises :class:`~tradetrace.errors.InvalidDocument` when the credential is of neither type
    or its subject carries no event.
    """
    types = credential.get("type")
    names = set(types) if isinstance(types, list) else {types}
    if not names & EVENT_CREDENTIAL_TYPES:
        raise InvalidDocument(
            "not an event credential: expected type DigitalTraceabilityEvent or EventCredential"
        )
    subject = credential.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    events = []
    for item in subjects:
        if not isinstance(item, Mapping):
            continue
        if isinstance(item.get("type"), str) and item["type"] in _EVENT_TYPES:
            events.append(dict(item))
        else:
            events.append(_from_untp(item))
    if not events:
        raise InvalidDocument("event credential: credentialSubject carries no event")
    return events


def events_document(
    events: list[dict[str, Any]], *, created: str, context: object = None
) -> dict[str, Any]:
    """An EPCISDocument carrying ``events`` (EPCIS 2.0 §9.3), for validation and capture.

    The inline entries of ``context`` (the credential's ``@context``) come along, so that the
    namespace prefixes of user extensions stay declared (EPCIS 2.0 §7.5).
    """
    entries = context if isinstance(context, list) else [context]
    inline = [entry for entry in entries if isinstance(entry, dict)]
    return {
        "@context": [EPCIS_CONTEXT, *inline],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": created,
        "epcisBody": {"eventList": events},
    }
