"""GS1 EPCIS 2.0 supply-chain events and the GS1 identifiers they carry.

- :mod:`~tradetrace.events.identifiers`, :mod:`~tradetrace.events.epc_uri`,
  :mod:`~tradetrace.events.digital_link`: GS1 keys, check digits, EPC URI <-> Digital Link,
  the canonical identifier form.
- :mod:`~tradetrace.events.model`, :mod:`~tradetrace.events.document`: the event and document
  models (EPCIS 2.0 §7, §9.3).
- :mod:`~tradetrace.events.validation`: whole-document validation (JSON Schema + CBV 2.0);
  import it as a module (it loads the compiled schema's engine, ``jsonschema-rs``).
- :mod:`~tradetrace.events.hashing`: the CBV 2.0 Event Hash ID.
- :mod:`~tradetrace.events.fsma`: FSMA 204 critical tracking events and key data elements.
"""

from tradetrace.events.digital_link import canonical_identifier, parse_identifier
from tradetrace.events.document import EpcisDocument, EpcisQueryDocument
from tradetrace.events.hashing import EventHashId, document_event_hash_ids, event_hash_id
from tradetrace.events.identifiers import EpcScheme, Gs1Identifier
from tradetrace.events.model import (
    Action,
    AggregationEvent,
    AssociationEvent,
    EpcisEvent,
    ObjectEvent,
    TransactionEvent,
    TransformationEvent,
)

__all__ = [
    "Action",
    "AggregationEvent",
    "AssociationEvent",
    "EpcScheme",
    "EpcisDocument",
    "EpcisEvent",
    "EpcisQueryDocument",
    "EventHashId",
    "Gs1Identifier",
    "ObjectEvent",
    "TransactionEvent",
    "TransformationEvent",
    "canonical_identifier",
    "document_event_hash_ids",
    "event_hash_id",
    "parse_identifier",
]
