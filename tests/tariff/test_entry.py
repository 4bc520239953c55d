"""Entry inputs parsed once: HTS numbers, countries, values, quantities, SPI, date, mode, type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.tariff import (
    Entry,
    EntryLine,
    EntryType,
    TransportMode,
    format_hts,
    parse_country,
    parse_hts,
)
from tradetrace.tariff.codes import COUNTRY_CODES, EUROPEAN_UNION


def test_entry_line_parse_normalises_its_inputs():
    line = EntryLine.parse(
        hts10="6109.10.00.04",
        origin=" mx ",
        value=Decimal("10.5"),
        quantities={"kg": "12.5", "NO": 3},
        spi=" s+ ",
        preference_allowed=True,
    )
    assert (line.hts10, line.origin, line.value, line.spi) == (
        "6109100004",
        "MX",
        Decimal("10.5"),
        "S+",
    )
    assert line.quantity_map == {"KG": Decimal("12.5"), "NO": Decimal(3)}


def test_entry_line_parse_reports_bad_quantities_with_their_unit():
    with pytest.raises(InvalidDocument, match=r"quantities\.KG: must not be negative") as info:
        EntryLine.parse(hts10="6109100004", origin="MX", value=1, quantities={"KG": "-1", "n o": 1})
    assert info.value.code == "invalid_document"
    assert [problem.field for problem in info.value.problems] == ["quantities.KG", "quantities"]


def test_entry_line_parse_prefixes_fields_of_a_multi_line_entry():
    with pytest.raises(
        InvalidDocument, match=r"lines\[3\]\.value: expected a finite number"
    ) as info:
        EntryLine.parse(hts10="6109100004", origin="MX", value="NaN", prefix="lines[3].")
    assert info.value.code == "invalid_document"


def test_entry_parse_takes_strings_or_typed_values():
    line = EntryLine.parse(hts10="6109100004", origin="MX", value=1)
    entry = Entry.parse(entry_date=date(2025, 7, 1), lines=[line], entry_type="86", mode="Vessel")
    assert (entry.entry_type, entry.mode) == (EntryType.SECTION_321, TransportMode.VESSEL)
    assert Entry.parse(entry_date="2025-07-01", lines=[line]).mode is None
    with pytest.raises(InvalidDocument, match=r"lines: an entry needs at least one line") as info:
        Entry.parse(entry_date="2025-07-01", lines=[])
    assert info.value.code == "invalid_document"


def test_parse_hts_accepts_dots_and_refuses_other_lengths():
    assert parse_hts("7208.10.15") == "72081015"
    assert format_hts("7208101500") == "7208.10.15.00"
    with pytest.raises(InvalidDocument, match=r"hts10: expected 10 digits, got 8") as info:
        parse_hts("72081015", field="hts10", digits=(10,))
    assert info.value.code == "invalid_document"


def test_parse_country_knows_the_iso_codes():
    assert len(COUNTRY_CODES) == 249
    assert EUROPEAN_UNION <= COUNTRY_CODES and len(EUROPEAN_UNION) == 27
    assert parse_country("gb") == "GB"
    with pytest.raises(
        InvalidDocument, match=r"origin: unknown ISO 3166-1 alpha-2 country code 'UK'"
    ) as info:
        parse_country("UK")
    assert info.value.code == "invalid_document"
