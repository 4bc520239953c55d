"""An entry: the data of CBP Form 3461 (entry / immediate delivery) and 7501 (entry summary).

One model covers both forms, since the rules read them together: the 3461 release data (entry
number and type, importer, ports, arrival, carrier and bill of lading, manufacturer or shipper
with its MID) and the 7501 summary data (entry and import dates, mode of transport, parties,
lines with HTS number, origin, value, quantities and SPI). Sources: 19 CFR 141.61 and 142.3-142.3a;
CBP Form 7501 instructions (blocks 1-40); CBP Form 3461 instructions.

Parse input with :meth:`Entry.from_json`: a JSON document or a mapping, snake_case or camelCase
names (see :mod:`tradetrace.entries._wire`). A bad entry raises one
:class:`~tradetrace.errors.InvalidDocument` naming every field at fault, such as
``lines[2].hts10: expected 10 digits, got 8 in '72081015'``::

    entry = Entry.from_json(
        {"entryNumber": "B76-0324527-8", "entryType": "01", "importerOfRecordNumber": "12-3456789",
         "portOfEntry": "2304", "entryDate": "2025-07-15", "modeOfTransport": "30",
         "importer": {"name": "Harbor Imports LLC"},
         "lines": [{"hts10": "8544429090", "originCountry": "MX", "value": "50000"}]}
    )
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, Field, ValidationError, ValidationInfo, field_validator

from tradetrace.entries import numbers
from tradetrace.entries._wire import (
    EntryNumberText,
    ImporterNumber,
    PortCode,
    Reference,
    WireModel,
    problems_from,
)
from tradetrace.entries.codes import EntryType, TransportCode
from tradetrace.entries.lines import EntryLine
from tradetrace.entries.parties import Party
from tradetrace.errors import InvalidDocument

__all__ = ["MAX_LINES", "Entry"]

MAX_LINES = 999
"""Lines on one entry summary (CBP Form 7501 instructions: line numbers 001-999)."""


class Entry(WireModel):
    """An entry and its entry summary, validated field by field.

    ``filed_at`` is when the entry was filed (ACE acceptance); rules compare it with when each
    credential was logged on the ledger. ``importer_of_record_number`` and ``importer`` may be
    left out only on a Type 86 entry, whose importer number is conditional (customs.md §7.1).
    """

    entry_number: EntryNumberText
    entry_type: EntryType
    importer_of_record_number: ImporterNumber | None = Field(None, validate_default=True)
    importer: Party | None = Field(None, validate_default=True)
    port_of_entry: PortCode
    port_of_unlading: PortCode | None = None
    entry_date: date
    import_date: date | None = None
    arrival_date: date | None = None
    filed_at: AwareDatetime | None = None
    mode_of_transport: TransportCode | None = None
    carrier_code: Reference | None = None
    bill_of_lading: Reference | None = None
    invoice_numbers: tuple[Reference, ...] = ()
    consignee: Party | None = None
    seller: Party | None = None
    buyer: Party | None = None
    shipper: Party | None = None
    lines: tuple[EntryLine, ...] = Field(min_length=1, max_length=MAX_LINES)

    @field_validator("importer_of_record_number", "importer")
    @classmethod
    def _required_unless_type_86(cls, value: object, info: ValidationInfo) -> object:
        kind = info.data.get("entry_type")
        if value is None and kind is not None and kind is not EntryType.SECTION_321:
            raise ValueError(f"required on an entry of type {kind.value}")
        return value

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str | bytes) -> Entry:
        """Parse an entry from a JSON document or an already decoded mapping.

        Raises :class:`InvalidDocument` naming every field at fault.
        """
        try:
            if isinstance(data, str | bytes):
                return cls.model_validate_json(data)
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InvalidDocument.from_problems("entry", problems_from(exc)) from exc

    @property
    def filer_code(self) -> str:
        """The entry filer code, the first three characters of the entry number."""
        return numbers.filer_code_of(self.entry_number)

    @property
    def value(self) -> Decimal:
        """The entered value of all lines, in U.S. dollars."""
        return sum((line.value for line in self.lines), Decimal(0))

    def line(self, number: int) -> EntryLine:
        """Line ``number`` (1-based, as on the entry summary)."""
        return self.lines[number - 1]

    def numbered_lines(self) -> tuple[tuple[int, EntryLine], ...]:
        """Each line with its 1-based line number."""
        return tuple(enumerate(self.lines, start=1))
