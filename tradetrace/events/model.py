"""EPCIS 2.0 events as frozen pydantic models, a union on ``type`` (EPCIS 2.0 §7.4).

Python attributes are snake_case; the JSON-LD wire names (EPCIS 2.0 §9.3) are their aliases,
``eventID``, ``childEPCs`` and ``@context`` included, so ``model_validate`` reads the wire
form and :meth:`to_wire` writes it back. User extensions (EPCIS 2.0 §7.5: names in a
namespace of the user's own, ``example:myField``) are kept verbatim, in order, at event level
and in the fields that allow them (``readPoint``, ``bizLocation``, ``errorDeclaration`` and
the sensor elements); see :attr:`extensions`. Timestamps become timezone-aware UTC datetimes;
``eventTimeZoneOffset`` keeps the local offset. The models check structure and types only:
:mod:`tradetrace.events.validation` applies the JSON Schema and the CBV rules first.
"""

from __future__ import annotations

from datetime import UTC
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StrictBool,
    StrictFloat,
    StrictInt,
    model_validator,
)
from pydantic.alias_generators import to_camel

__all__ = [
    "Action",
    "AggregationEvent",
    "AssociationEvent",
    "BizLocation",
    "BizTransaction",
    "Context",
    "Destination",
    "EpcisEvent",
    "ErrorDeclaration",
    "ExtensibleModel",
    "Number",
    "ObjectEvent",
    "PersistentDisposition",
    "QuantityElement",
    "ReadPoint",
    "SensorElement",
    "SensorMetadata",
    "SensorReport",
    "Source",
    "TransactionEvent",
    "TransformationEvent",
    "UtcDatetime",
    "WireModel",
]

UtcDatetime = Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(UTC))]
"""An xsd:dateTimeStamp (with an offset), held in UTC (EPCIS 2.0 §7.3.1)."""
Number = StrictInt | StrictFloat
"""A JSON number; a number written as a string is refused (EPCIS 2.0 JSON Schema ``decimal``)."""
Context = str | dict[str, JsonValue] | tuple[str | dict[str, JsonValue], ...]
"""A JSON-LD ``@context``: a URL, an inline context, or a list of them (JSON-LD 1.1 §3.1)."""
_OFFSET = r"^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$"  # EPCIS 2.0 JSON Schema, Event


class Action(StrEnum):
    """What an event did to the objects' existence (EPCIS 2.0 §7.3.2)."""

    ADD = "ADD"
    OBSERVE = "OBSERVE"
    DELETE = "DELETE"


class WireModel(BaseModel):
    """Base of the EPCIS models: frozen, camelCase aliases, unknown fields rejected."""

    model_config = ConfigDict(
        frozen=True, alias_generator=to_camel, populate_by_name=True, extra="forbid"
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON-LD wire form (EPCIS 2.0 §9.3): aliases, absent fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class ExtensibleModel(WireModel):
    """A model that also keeps namespaced user extension fields (EPCIS 2.0 §7.5)."""

    model_config = ConfigDict(extra="allow")

    @model_validator(mode="before")
    @classmethod
    def _drop_null_extensions(cls, data: Any) -> Any:
        # JSON-LD drops null values, and so does to_wire(); dropping them here as well keeps
        # parse -> to_wire -> parse the identity.
        if isinstance(data, dict) and None in data.values():
            return {k: v for k, v in data.items() if v is not None or ":" not in k}
        return data

    @model_validator(mode="after")
    def _extensions_are_namespaced(self) -> ExtensibleModel:
        for key in self.model_extra or {}:
            if ":" not in key:
                raise ValueError(f"unknown field {key!r} (a user extension needs a namespace)")
        return self

    @property
    def extensions(self) -> dict[str, Any]:
        """User extension fields, by their wire names as written (EPCIS 2.0 §7.5)."""
        return dict(self.model_extra or {})


class QuantityElement(WireModel):
    """A quantity of a class of objects (EPCIS 2.0 §7.3.3.3)."""

    epc_class: str
    quantity: Number | None = None
    uom: str | None = None


class BizTransaction(WireModel):
    """A business transaction reference and its CBV type (EPCIS 2.0 §7.3.5.3)."""

    biz_transaction: str
    type: str | None = None


class Source(WireModel):
    """Where the objects came from, by party or location (EPCIS 2.0 §7.3.5.4)."""

    type: str
    source: str


class Destination(WireModel):
    """Where the objects are going, by party or location (EPCIS 2.0 §7.3.5.4)."""

    type: str
    destination: str


class ReadPoint(ExtensibleModel):
    """Where the event was captured (EPCIS 2.0 §7.3.4)."""

    id: str


class BizLocation(ExtensibleModel):
    """Where the objects are afterwards (EPCIS 2.0 §7.3.4)."""

    id: str


class PersistentDisposition(WireModel):
    """Dispositions that stay set until unset (EPCIS 2.0 §7.3.5.2)."""

    set: tuple[str, ...] | None = None
    unset: tuple[str, ...] | None = None


class ErrorDeclaration(ExtensibleModel):
    """The event is declared erroneous (EPCIS 2.0 §7.4.1.4)."""

    declaration_time: UtcDatetime
    reason: str | None = None
    corrective_event_ids: tuple[str, ...] | None = Field(None, alias="correctiveEventIDs")


class SensorMetadata(ExtensibleModel):
    """Context of a group of sensor reports (EPCIS 2.0 §7.3.8.1)."""

    time: UtcDatetime | None = None
    device_id: str | None = Field(None, alias="deviceID")
    device_metadata: str | None = None
    raw_data: str | None = None
    start_time: UtcDatetime | None = None
    end_time: UtcDatetime | None = None
    data_processing_method: str | None = None
    biz_rules: str | None = None


class SensorReport(ExtensibleModel):
    """One sensor measurement or alert (EPCIS 2.0 §7.3.8.2)."""

    type: str
    exception: str | None = None
    device_id: str | None = Field(None, alias="deviceID")
    device_metadata: str | None = None
    raw_data: str | None = None
    data_processing_method: str | None = None
    biz_rules: str | None = None
    time: UtcDatetime | None = None
    microorganism: str | None = None
    chemical_substance: str | None = None
    coordinate_reference_system: str | None = None
    value: Number | None = None
    component: str | None = None
    string_value: str | None = None
    boolean_value: StrictBool | None = None
    hex_binary_value: str | None = None
    uri_value: str | None = None
    min_value: Number | None = None
    max_value: Number | None = None
    mean_value: Number | None = None
    s_dev: Number | None = Field(None, alias="sDev")
    perc_rank: Number | None = None
    perc_value: Number | None = None
    uom: str | None = None


class SensorElement(ExtensibleModel):
    """Sensor metadata and the reports it applies to (EPCIS 2.0 §7.3.8)."""

    sensor_metadata: SensorMetadata | None = None
    sensor_report: tuple[SensorReport, ...]


class _Event(ExtensibleModel):
    """Fields every event type has (EPCIS 2.0 §7.4.1)."""

    context: Context | None = Field(None, alias="@context")
    event_time: UtcDatetime
    record_time: UtcDatetime | None = None
    event_time_zone_offset: str = Field(pattern=_OFFSET)
    event_id: str | None = Field(None, alias="eventID")
    certification_info: str | tuple[str, ...] | None = None
    error_declaration: ErrorDeclaration | None = None


class _Business(_Event):
    """The why and where dimensions shared by all event types (EPCIS 2.0 §7.3.5)."""

    biz_step: str | None = None
    disposition: str | None = None
    persistent_disposition: PersistentDisposition | None = None
    read_point: ReadPoint | None = None
    biz_location: BizLocation | None = None
    biz_transaction_list: tuple[BizTransaction, ...] | None = None
    source_list: tuple[Source, ...] | None = None
    destination_list: tuple[Destination, ...] | None = None
    sensor_element_list: tuple[SensorElement, ...] | None = None


class ObjectEvent(_Business):
    """Objects observed, commissioned (ADD) or decommissioned (EPCIS 2.0 §7.4.2)."""

    type: Literal["ObjectEvent"] = "ObjectEvent"
    action: Action
    epc_list: tuple[str, ...] | None = None
    quantity_list: tuple[QuantityElement, ...] | None = None
    ilmd: dict[str, JsonValue] | None = None

    @model_validator(mode="after")
    def _ilmd_only_when_added(self) -> ObjectEvent:
        if self.ilmd is not None and self.action != Action.ADD:
            raise ValueError("ilmd is only allowed when action is ADD (EPCIS 2.0 §7.4.2)")
        return self


class AggregationEvent(_Business):
    """Children packed into (ADD), seen in (OBSERVE) or taken from a parent (EPCIS 2.0 §7.4.3)."""

    type: Literal["AggregationEvent"] = "AggregationEvent"
    action: Action
    parent_id: str | None = Field(None, alias="parentID")
    child_epcs: tuple[str, ...] | None = Field(None, alias="childEPCs")
    child_quantity_list: tuple[QuantityElement, ...] | None = None


class TransactionEvent(_Business):
    """Objects tied to or untied from business transactions (EPCIS 2.0 §7.4.5)."""

    type: Literal["TransactionEvent"] = "TransactionEvent"
    action: Action
    biz_transaction_list: tuple[BizTransaction, ...] = Field(min_length=1)
    parent_id: str | None = Field(None, alias="parentID")
    epc_list: tuple[str, ...] | None = None
    quantity_list: tuple[QuantityElement, ...] | None = None


class TransformationEvent(_Business):
    """Inputs consumed and outputs produced (EPCIS 2.0 §7.4.6)."""

    type: Literal["TransformationEvent"] = "TransformationEvent"
    input_epc_list: tuple[str, ...] | None = Field(None, alias="inputEPCList")
    input_quantity_list: tuple[QuantityElement, ...] | None = None
    output_epc_list: tuple[str, ...] | None = Field(None, alias="outputEPCList")
    output_quantity_list: tuple[QuantityElement, ...] | None = None
    transformation_id: str | None = Field(None, alias="transformationID")
    ilmd: dict[str, JsonValue] | None = None


class AssociationEvent(_Business):
    """Children associated with a parent that is not a container (EPCIS 2.0 §7.4.4)."""

    type: Literal["AssociationEvent"] = "AssociationEvent"
    action: Action
    parent_id: str = Field(alias="parentID")
    child_epcs: tuple[str, ...] | None = Field(None, alias="childEPCs")
    child_quantity_list: tuple[QuantityElement, ...] | None = None


EpcisEvent = Annotated[
    ObjectEvent | AggregationEvent | TransactionEvent | TransformationEvent | AssociationEvent,
    Field(discriminator="type"),
]
"""Any EPCIS 2.0 event, told apart by its ``type`` (EPCIS 2.0 §7.4)."""
