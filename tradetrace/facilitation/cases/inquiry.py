"""A cargo-resolution inquiry: the data CBP's COVID-19 Cargo Resolution Team asked for.

CSMS #42231420 (customs.md §4) asked requesters for the **shipment** (manifest or air waybill
numbers, tracking numbers, entry numbers, mode of transport), the **conveyance** (carrier, flight
or vessel and voyage, port of arrival, port of entry), a **full description** of the cargo, the
countries of **manufacture** and **export**, and the **parties** (manufacturers, shippers,
importers, consignees). The portal (CSMS #42364745) sorted inquiries into four tabs, the
:class:`InquiryCategory` values.

What each category needs (our reading, ⚠ inferred): a cargo hold needs the shipment with an
identifier and the conveyance; admissibility needs the goods and both countries; a
classification or duty question needs the goods; PPE importing guidance needs only the question.
:meth:`Inquiry.parse` reports every field at fault in one
:class:`~tradetrace.errors.InvalidDocument`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.facilitation.cases.identifiers import (
    AirWaybillField,
    CountryField,
    EmailField,
    EntryNumberField,
    FlightNumberField,
    HtsCodeField,
    PhoneField,
    PortCodeField,
    ReferenceField,
)
from tradetrace.facilitation.cases.vocabulary import (
    Agency,
    CargoStatus,
    Channel,
    InquiryCategory,
    RequesterKind,
    TransportMode,
)
from tradetrace.facilitation.parsing import problems_from_validation_error
from tradetrace.types import HsCode

__all__ = [
    "Contact",
    "Conveyance",
    "GoodsItem",
    "Inquiry",
    "Party",
    "Shipment",
]

_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Form(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Party(_Form):
    """A manufacturer, shipper, importer or consignee: its name and location."""

    name: _Name
    city: _Name
    country: CountryField


class Contact(_Form):
    """The person to answer, and whom they speak for; ``agency`` is set for agencies only."""

    name: _Name
    organisation: _Name
    email: EmailField
    phone: PhoneField | None = None
    kind: RequesterKind
    agency: Agency | None = None


class Shipment(_Form):
    """The shipment's identifiers, its mode of transport and where the cargo stands."""

    mode: TransportMode
    status: CargoStatus
    manifest_numbers: tuple[ReferenceField, ...] = ()
    air_waybill_numbers: tuple[AirWaybillField, ...] = ()
    tracking_numbers: tuple[ReferenceField, ...] = ()
    entry_numbers: tuple[EntryNumberField, ...] = ()

    @property
    def identifiers(self) -> tuple[str, ...]:
        """Every identifier given, of any kind."""
        return (
            self.manifest_numbers
            + self.air_waybill_numbers
            + self.tracking_numbers
            + self.entry_numbers
        )


class Conveyance(_Form):
    """The carrier, the flight or vessel and voyage, and the ports of arrival and entry."""

    carrier: _Name
    flight_number: FlightNumberField | None = None
    vessel_name: _Name | None = None
    voyage_number: ReferenceField | None = None
    port_of_arrival: PortCodeField
    port_of_entry: PortCodeField


class GoodsItem(_Form):
    """One kind of goods: a full description, and its HTS number when known."""

    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)
    ]
    hts_code: HtsCodeField | None = None
    quantity: _Name | None = None


class Inquiry(_Form):
    """An inquiry to the cargo-resolution desk, valid field by field and for its category."""

    category: InquiryCategory
    channel: Channel
    subject: _Name
    message: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)
    ]
    contact: Contact
    shipment: Shipment | None = None
    conveyance: Conveyance | None = None
    goods: tuple[GoodsItem, ...] = Field(default=(), max_length=200)
    country_of_manufacture: CountryField | None = None
    country_of_export: CountryField | None = None
    manufacturer: Party | None = None
    shipper: Party | None = None
    importer: Party | None = None
    consignee: Party | None = None

    @model_validator(mode="after")
    def _complete_for_category(self, info: ValidationInfo) -> Inquiry:
        # ``parse`` collects these with their field paths; direct construction raises here.
        if not (info.context or {}).get("collect_requirements"):
            problems = _requirement_problems(self)
            if problems:
                summary = "; ".join(str(problem) for problem in problems)
                raise PydanticCustomError("inquiry_incomplete", "{summary}", {"summary": summary})
        return self

    @property
    def hts_codes(self) -> tuple[HsCode, ...]:
        """The HTS numbers of the goods that have one."""
        return tuple(item.hts_code for item in self.goods if item.hts_code is not None)

    @property
    def cargo_on_hold(self) -> bool:
        """Whether the requester reports the cargo held at a port."""
        return self.shipment is not None and self.shipment.status is CargoStatus.ON_HOLD

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Inquiry:
        """Validate a submitted form (JSON object) into an inquiry.

        Raises :class:`~tradetrace.errors.InvalidDocument` naming every field at fault: first
        the fields' own forms, then what the category requires.
        """
        try:
            inquiry = cls.model_validate(data, context={"collect_requirements": True})
        except ValidationError as exc:
            problems = problems_from_validation_error(exc)
            raise InvalidDocument.from_problems("inquiry", problems) from exc
        missing: list[FieldProblem] = _requirement_problems(inquiry)
        if missing:
            raise InvalidDocument.from_problems("inquiry", missing)
        return inquiry


def _requirement_problems(inquiry: Inquiry) -> list[FieldProblem]:
    """What the inquiry's category needs and lacks, and conveyance fields that fit no mode."""
    problems: list[FieldProblem] = []
    category = inquiry.category
    if category is not InquiryCategory.PPE_GUIDANCE and not inquiry.goods:
        problems.append(FieldProblem("goods", f"a {category.value} inquiry describes the goods"))
    if category is InquiryCategory.ADMISSIBILITY:
        countries = ("country_of_manufacture", "country_of_export")
        missing = [field for field in countries if getattr(inquiry, field) is None]
        problems.extend(FieldProblem(f, "required for an admissibility inquiry") for f in missing)
    if category is InquiryCategory.CARGO_HOLD:
        if inquiry.shipment is None:
            problems.append(FieldProblem("shipment", "required for a cargo hold inquiry"))
        elif not inquiry.shipment.identifiers:
            reason = "a cargo hold inquiry names a manifest, air waybill, tracking or entry number"
            problems.append(FieldProblem("shipment", reason))
        if inquiry.conveyance is None:
            problems.append(FieldProblem("conveyance", "required for a cargo hold inquiry"))
    problems.extend(_conveyance_problems(inquiry))
    if inquiry.contact.kind is RequesterKind.GOVERNMENT_AGENCY and inquiry.contact.agency is None:
        problems.append(FieldProblem("contact.agency", "required when the requester is an agency"))
    if inquiry.contact.kind is not RequesterKind.GOVERNMENT_AGENCY and inquiry.contact.agency:
        problems.append(FieldProblem("contact.agency", "set only when the requester is an agency"))
    return problems


def _conveyance_problems(inquiry: Inquiry) -> list[FieldProblem]:
    shipment, conveyance = inquiry.shipment, inquiry.conveyance
    problems: list[FieldProblem] = []
    if shipment and shipment.air_waybill_numbers and shipment.mode is not TransportMode.AIR:
        reason = f"air waybills belong to air shipments, not {shipment.mode.value}"
        problems.append(FieldProblem("shipment.air_waybill_numbers", reason))
    if conveyance is None:
        return problems
    if shipment is None:
        problems.append(FieldProblem("shipment", "required with a conveyance (mode of transport)"))
        return problems
    if shipment.mode is TransportMode.AIR and conveyance.flight_number is None:
        problems.append(FieldProblem("conveyance.flight_number", "required for air shipments"))
    if shipment.mode is TransportMode.VESSEL:
        for field in ("vessel_name", "voyage_number"):
            if getattr(conveyance, field) is None:
                reason = "required for vessel shipments"
                problems.append(FieldProblem(f"conveyance.{field}", reason))
    return problems
