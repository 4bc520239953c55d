"""The FSMA 204 electronic sortable spreadsheet, as CSV and XLSX, from captured events.

21 CFR 1.1455(c)(3)(ii): on request, FDA receives within 24 hours an electronic sortable
spreadsheet of the key data elements (KDEs) of the critical tracking events (CTEs) of a food
and date range. One row per CTE and traceability lot. The headings are tradetrace's own, each
the regulation's name for the KDE it holds (21 CFR 1.1325-1.1350): FDA's 2024 template is not
among the references tradetrace is built from, so its wording and order are not claimed
(``docs/fsma204.md`` lists the columns). Lot, product, quantity and unit, event, date and
places come first, then the CTE-specific KDEs and the reference document; tradetrace adds the
KDEs found missing and the event's hash ID. KDEs are read by
:func:`tradetrace.events.fsma.fsma_record`.

The XLSX file is a minimal Office Open XML (ECMA-376 Part 1, SpreadsheetML) workbook of one
sheet with inline strings and an auto-filter on the header row, written with the standard
library.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from pydantic import TypeAdapter

from tradetrace.events import digital_link, fsma, prehash
from tradetrace.events.fsma import Kde
from tradetrace.events.identifiers import EpcScheme
from tradetrace.events.model import EpcisEvent

__all__ = ["COLUMNS", "sheet_rows", "to_csv", "to_xlsx"]

COLUMNS: tuple[str, ...] = (
    "Traceability Lot Code (TLC)",
    "Product Description",
    "Quantity",
    "Unit of Measure",
    "Critical Tracking Event",
    "Event Date",
    "Location Description",
    "Immediate Previous Source",
    "Immediate Subsequent Recipient",
    "TLC Source Location",
    "TLC Source Reference",
    "Commodity and Variety",
    "Harvest Date",
    "Field or Growing Area",
    "Harvester or Harvest Farm",
    "Cooling Location and Date",
    "Species and Fishing Area",
    "Input TLCs (Transformation)",
    "Reference Document Type",
    "Reference Document Number",
    "Missing KDEs",
    "EPCIS Event ID",
)
"""The spreadsheet's columns, in order (see the module docstring)."""

_QUANTITY_FIELDS = ("quantityList", "outputQuantityList")
_PLACE_KDES: tuple[Kde, ...] = (Kde.TLC_SOURCE, Kde.RECEIVING_LOCATION, Kde.SHIP_FROM_LOCATION)
_PLACE_KDES += (Kde.HARVEST_FARM_LOCATION, Kde.COOLING_LOCATION)
_DATE_KDES: tuple[Kde, ...] = (Kde.HARVEST_DATE, Kde.COOLING_DATE, Kde.PACKING_DATE)
_DATE_KDES += (Kde.LANDING_DATE, Kde.SHIP_DATE, Kde.RECEIVE_DATE, Kde.TRANSFORMATION_DATE)


@cache
def _adapter() -> TypeAdapter[EpcisEvent]:
    return TypeAdapter(EpcisEvent)


def _first(values: Mapping[Kde, tuple[str, ...]], *kdes: Kde) -> str:
    for kde in kdes:
        if values.get(kde):
            return "; ".join(values[kde])
    return ""


def _lots(wire: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(TLC, quantity, unit) of each LGTIN class the event records (outputs for transforms)."""
    found = []
    for field in _QUANTITY_FIELDS:
        for element in wire.get(field) or ():
            identifier = digital_link.parse_identifier(element["epcClass"])
            if identifier.scheme == EpcScheme.LGTIN:
                quantity = element.get("quantity")
                found.append(
                    (
                        digital_link.format_digital_link(identifier),
                        "" if quantity is None else f"{quantity:g}",
                        element.get("uom", "EA" if quantity is not None else ""),
                    )
                )
    return found


def sheet_rows(events: Iterable[tuple[str, Mapping[str, Any]]]) -> list[list[str]]:
    """The spreadsheet rows of ``(hash ID, event wire form)`` pairs that record a CTE.

    Events that record no CTE are skipped; an event with several lots gives one row per lot.
    Rows are sorted by event date, then lot.
    """
    rows = []
    for hash_id, wire in events:
        event = _adapter().validate_python(dict(wire))
        namespaces = prehash.namespaces_from_context(wire.get("@context"))
        record = fsma.fsma_record(event, namespaces=namespaces)
        if record is None:
            continue
        values = record.values
        references = [text.partition(" ") for text in values.get(Kde.REFERENCE_DOCUMENT, ())]
        lots = _lots(wire) or [(_first(values, Kde.TRACEABILITY_LOT_CODE), "", "")]
        for lot, quantity, unit in lots:
            rows.append(
                [
                    lot,
                    _first(values, Kde.PRODUCT_DESCRIPTION),
                    quantity,
                    unit,
                    record.cte.value,
                    _first(values, *_DATE_KDES),
                    _first(values, *_PLACE_KDES),
                    _first(values, Kde.PREVIOUS_SOURCE),
                    _first(values, Kde.SUBSEQUENT_RECIPIENT),
                    _first(values, Kde.TLC_SOURCE),
                    _first(values, Kde.TLC_SOURCE_REFERENCE),
                    _first(values, Kde.COMMODITY),
                    _first(values, Kde.HARVEST_DATE, Kde.HARVEST_DATE_RANGE),
                    _first(values, Kde.GROWING_AREA),
                    _first(values, Kde.HARVESTER, Kde.HARVEST_FARM_LOCATION),
                    _first(values, Kde.COOLING_LOCATION, Kde.COOLING_DATE),
                    _first(values, Kde.SPECIES, Kde.FISHING_AREA),
                    _first(values, Kde.INPUT_LOTS),
                    "; ".join(kind if number else "" for kind, _, number in references),
                    "; ".join(number or kind for kind, _, number in references),
                    ", ".join(kde.value for kde in record.missing),
                    hash_id,
                ]
            )
    return sorted(rows, key=lambda row: (row[5], row[0], row[4]))


def to_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """The spreadsheet as UTF-8 CSV (RFC 4180) with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _column(number: int) -> str:
    name = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _sheet(rows: Sequence[Sequence[str]]) -> str:
    lines = []
    for number, row in enumerate([list(COLUMNS), *rows], start=1):
        cells = "".join(
            f'<c r="{_column(col)}{number}" t="inlineStr"><is><t xml:space="preserve">'
            f"{escape(value)}</t></is></c>"
            for col, value in enumerate(row, start=1)
        )
        lines.append(f'<row r="{number}">{cells}</row>')
    last = f"{_column(len(COLUMNS))}{len(rows) + 1}"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{"".join(lines)}</sheetData><autoFilter ref="A1:{last}"/></worksheet>'
    )


_MAIN = "http://schemas.openxmlformats.org"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Types xmlns="{_MAIN}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{_MAIN}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{_MAIN}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<workbook xmlns="{_MAIN}/spreadsheetml/2006/main" xmlns:r="{_MAIN}/officeDocument/'
        '2006/relationships"><sheets><sheet name="FSMA 204" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{_MAIN}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{_MAIN}/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def to_xlsx(rows: Sequence[Sequence[str]]) -> bytes:
    """The spreadsheet as an XLSX workbook (ECMA-376 SpreadsheetML), header row filtered."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", _sheet(rows))
    return buffer.getvalue()
