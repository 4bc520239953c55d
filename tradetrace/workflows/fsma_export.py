"""Export the FSMA 204 sortable spreadsheet of a food and date range (21 CFR 1.1455(c)(3)(ii)).

The product is a traceability lot code (an LGTIN as EPC class URI or GS1 Digital Link, GTIN
plus lot) or a GTIN (every lot of it). Events naming it in any quantity list, with an event
time in ``[start, end)``, become the rows of :func:`tradetrace.events.fsma_sheet.sheet_rows`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Engine

from tradetrace.errors import InvalidDocument
from tradetrace.events import digital_link, fsma_sheet
from tradetrace.events.identifiers import EpcScheme, parse_gtin
from tradetrace.events.ingest import Role
from tradetrace.events.query import EventQuery, IdentifierMatch
from tradetrace.storage.events import EventRepository

__all__ = ["SheetFormat", "export_sheet", "product_match", "sheet_rows"]


class SheetFormat(StrEnum):
    """The file formats of the export."""

    CSV = "csv"
    XLSX = "xlsx"


_ROLES = (Role.QUANTITY, Role.CHILD, Role.INPUT, Role.OUTPUT)


def product_match(product: str) -> IdentifierMatch:
    """The class identifiers ``product`` stands for: one lot, or every lot of a GTIN.

    Raises :class:`~tradetrace.errors.InvalidDocument` when it is neither a GTIN nor a
    GS1 identifier of a product class.
    """
    if product.isdigit():
        gtin = parse_gtin(product)
        base = f"{digital_link.CANONICAL_DOMAIN}/01/{gtin}"
        return IdentifierMatch(_ROLES, True, (base,), (f"{base}/10/",))
    identifier = digital_link.parse_identifier(product)
    if identifier.scheme == EpcScheme.LGTIN:
        return IdentifierMatch(_ROLES, True, (digital_link.format_digital_link(identifier),))
    if identifier.scheme == EpcScheme.SGTIN and identifier.qualifier is None:
        base = digital_link.format_digital_link(identifier)
        return IdentifierMatch(_ROLES, True, (base,), (f"{base}/10/",))
    raise InvalidDocument(f"product {product!r}: expected a GTIN or a traceability lot (LGTIN)")


def sheet_rows(engine: Engine, *, product: str, start: datetime, end: datetime) -> list[list[str]]:
    """The spreadsheet rows of ``product`` for events in ``[start, end)``, sorted by date."""
    if end <= start:
        raise InvalidDocument(f"date range: end {end.isoformat()} is not after start")
    repository = EventRepository(engine)
    query = EventQuery(
        times={"GE_eventTime": start, "LT_eventTime": end},
        matches=(product_match(product),),
        per_page=1000,
    )
    found = []
    while True:
        page = repository.query(query)
        found += page[: query.per_page]
        if len(page) <= query.per_page:
            break
        query = replace(query, after=page[query.per_page - 1].ledger_index)
    return fsma_sheet.sheet_rows((event.hash_id, event.wire) for event in found)


def export_sheet(
    engine: Engine, *, product: str, start: datetime, end: datetime, format: SheetFormat
) -> bytes:
    """The spreadsheet file: CSV or XLSX (21 CFR 1.1455(c)(3)(ii))."""
    rows = sheet_rows(engine, product=product, start=start, end=end)
    return fsma_sheet.to_csv(rows) if format is SheetFormat.CSV else fsma_sheet.to_xlsx(rows)
