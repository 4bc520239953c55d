"""Malformed rows of each data file are refused, naming the file, row and column."""

from __future__ import annotations

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.tariff.rows import (
    TARIFF_COLUMNS,
    parse_chapter99_row,
    parse_hts10_row,
    parse_section301_row,
    parse_tariff_row,
)

TARIFF_ROW = dict.fromkeys(TARIFF_COLUMNS, "") | {
    "hts8": "61091000",
    "brief_description": "T-shirts",
    "begin_effect_date": "2025-01-01",
    "end_effective_date": "2050-12-31",
    "mfn_text_rate": "16.5%",
    "mfn_rate_type_code": "7",
    "mfn_ad_val_rate": "0.165",
}


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        ({"hts8": "6109A000"}, r"f\.csv:7\.hts8: expected up to 8 digits"),
        ({"end_effective_date": "2050-02-30"}, r"f\.csv:7\.end_effective_date: expected an ISO"),
        (
            {"usmca_indicator": "S", "usmca_rate_type_code": "7", "usmca_ad_val_rate": "x"},
            r"f\.csv:7\.usmca_rate_type_code: malformed programme rate fields",
        ),
        ({"cbi_indicator": "E", "cbi_ad_val_rate": "x"}, r"f\.csv:7\.cbi_ad_val_rate: malformed"),
    ],
)
def test_parse_tariff_row_refuses_malformed_values(changes, pattern):
    with pytest.raises(InvalidDocument, match=pattern) as info:
        parse_tariff_row(TARIFF_ROW | changes, where="f.csv:7")
    assert info.value.code == "invalid_document"


def test_parse_tariff_row_reads_cbi_reduced_rates():
    line = parse_tariff_row(
        TARIFF_ROW | {"cbi_indicator": "E", "cbi_ad_val_rate": "0.166"}, where="f.csv:7"
    )
    cbi = line.program("cbi")
    assert cbi is not None
    assert cbi.rate.text == "16.6%"


@pytest.mark.parametrize(
    ("parse", "row", "pattern"),
    [
        (
            parse_hts10_row,
            {"hts10": "61091000", "base_rate_raw": "", "ch99_refs": "", "description": "x"},
            r"f\.csv:7\.hts10: expected 10 digits",
        ),
        (
            parse_chapter99_row,
            {
                "ch99_code": "9903.88.03",
                "rate": "a quarter",
                "authority": "section_301",
                "country_type": "specific",
                "countries": "CN",
                "description": "x",
            },
            r"f\.csv:7\.rate: expected a decimal fraction",
        ),
        (
            parse_section301_row,
            {"hts8": "6109", "list": "4A", "ch99_code": "9903.88.15"},
            r"f\.csv:7\.hts8: expected 8 digits",
        ),
    ],
)
def test_parsers_of_the_hts_extracts_refuse_malformed_rows(parse, row, pattern):
    with pytest.raises(InvalidDocument, match=pattern) as info:
        parse(row, where="f.csv:7")
    assert info.value.code == "invalid_document"
