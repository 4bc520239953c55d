"""The loader: every bundled row parses, lookups, coverage, caching, and data updates that replace
the bundled files without a code change."""

from __future__ import annotations

import gzip
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tradetrace.errors import ConfigurationError, InvalidDocument, NotFound
from tradetrace.tariff import TariffData, TariffFiles, load_tariff_data
from tradetrace.tariff.sources import BUNDLED_DATA


def test_load_tariff_data_parses_every_tariff_database_row(data):
    lines = list(data.iter_tariff_lines())
    assert len(lines) == 12_935
    assert len(data.tariff_codes()) == 12_914
    assert all(len(line.hts8) == 8 for line in lines)
    mfn_problems = Counter(line.mfn.problem.split(" '")[0] for line in lines if line.mfn.problem)
    # Rates kept as text on purpose (codes 9, K, N, Q, T, X, blank) and the few printed rates
    # the parser cannot read; none whose fields disagree with the printed text.
    assert mfn_problems == {
        "rate type blank": 551,
        "rate type N": 113,
        "rate type T": 93,
        "rate type Q": 60,
        "rate type 9": 44,
        "rate type X": 16,
        "rate type K": 12,
        "cannot read the printed rate": 13,
    }
    column2_disagreements = [
        line.hts8 for line in lines if line.column2.problem.startswith("fields disagree")
    ]
    assert column2_disagreements == ["22029928"]


def test_load_tariff_data_parses_every_row_of_the_other_files(data):
    assert sum(1 for _ in data.iter_statistical_lines()) == 19_768
    assert sum(1 for _ in data.iter_chapter99_headings()) == 680
    assert sum(1 for _ in data.iter_section301_listings()) == 12_223
    assert len(data.fees.years) == 8


def test_tariff_lines_restores_the_leading_zero_and_keeps_periods(data):
    (cattle,) = data.tariff_lines("01022940")  # stored as 1022940 in the database
    assert cattle.mfn.text == "1 cents/kg"
    assert (cattle.quantity_1, cattle.quantity_2) == ("NO", "KG")
    steel = data.tariff_lines("99038187")
    assert [(line.period.begin, line.period.end) for line in steel] == [
        (date(2025, 3, 12), date(2025, 6, 3)),
        (date(2025, 6, 4), date(2050, 12, 31)),
    ]


def test_tariff_line_lists_special_programmes_with_mexico_specific_rate(data):
    line = data.tariff_line("61091000", date(2025, 7, 1))
    programs = {entry.program: entry.indicator for entry in line.programs}
    assert programs["usmca"] == "S"
    assert programs["usmca_mexico"] == "S"
    assert programs["dr_cafta"] == "P"
    assert line.program("korea") is not None
    assert line.program("nonexistent") is None


def test_tariff_line_raises_not_found_outside_its_periods(data):
    with pytest.raises(
        NotFound, match=r"hts 9903\.80\.01: no tariff line in force on 2025-04-01"
    ) as info:
        data.tariff_line("99038001", date(2025, 4, 1))
    assert info.value.code == "not_found"
    with pytest.raises(NotFound, match=r"hts10 0000\.00\.00: no such tariff line") as info:
        data.tariff_line("00000000", date(2025, 4, 1), field="hts10")
    assert info.value.code == "not_found"


def test_statistical_line_maps_to_its_parent(data):
    line = data.statistical_line("7208101500")
    assert line.hts8 == "72081015"
    assert line.chapter99_refs == ("9903.91.01",)
    assert [child.hts10 for child in data.statistical_lines("01022940")][:2] == [
        "0102294024",
        "0102294028",
    ]
    with pytest.raises(NotFound, match=r"hts10 7208\.10\.15\.99: no such statistical") as info:
        data.statistical_line("7208101599")
    assert info.value.code == "not_found"


def test_chapter99_heading_reads_effective_dates_from_the_text(data):
    heading = data.chapter99_heading("9903.91.04")
    assert heading is not None
    assert (heading.effective_from, heading.effective_before) == (
        date(2025, 1, 1),
        date(2026, 1, 1),
    )
    assert heading.countries == ("CN",)
    assert data.chapter99_heading("9903.00.00") is None


def test_coverage_runs_from_the_database_year_to_the_last_fee_year(data):
    assert (data.coverage.start, data.coverage.end) == (date(2025, 1, 1), date(2026, 9, 30))


def test_load_tariff_data_is_cached_per_set_of_files():
    assert load_tariff_data() is load_tariff_data()
    assert load_tariff_data(TariffFiles.bundled()) is load_tariff_data()


def test_fresh_tariff_data_loads_lazily_on_first_lookups():
    # Load time is measured by the benchmarks, not asserted here.
    fresh = TariffData(TariffFiles.bundled())
    assert fresh.tariff_line("72081015", date(2025, 7, 1)) is not None
    assert fresh.statistical_line("7208101500") is not None
    assert fresh.section301_listings("72081015") is not None
    assert fresh.chapter99_heading("9903.91.01") is not None
    assert fresh.fees.years


HEADER = (
    "hts8,brief_description,begin_effect_date,end_effective_date,quantity_1_code,"
    "quantity_2_code,mfn_text_rate,mfn_rate_type_code,mfn_ad_val_rate,mfn_specific_rate,"
    "mfn_other_rate,col2_text_rate,col2_rate_type_code,col2_ad_val_rate,col2_specific_rate,"
    "col2_other_rate,usmca_indicator,usmca_rate_type_code\n"
)


def write_database(path: Path, rows: list[str]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + "".join(rows))


def test_newer_file_in_an_update_directory_replaces_the_bundled_one(tmp_path):
    write_database(
        tmp_path / "tariff_database_2026.csv.gz",
        [
            '72081015,"Steel, ""new"" text\nover two lines",2026-01-01,2050-12-31,KG,,'
            "5%,7,0.05,0,0,20%,7,0.2,0,0,S,0\n"
        ],
    )
    data = load_tariff_data(tmp_path)
    assert data.files.tariff_database.parent == tmp_path
    assert data.files.hts10_products.parent == BUNDLED_DATA
    line = data.tariff_line("72081015", date(2026, 2, 1))
    assert line.mfn.text == "5%"
    assert line.description == 'Steel, "new" text\nover two lines'
    assert line.program("usmca") is not None
    assert data.coverage.start == date(2026, 1, 1)


def test_older_file_in_an_update_directory_does_not_replace_the_bundled_one(tmp_path):
    write_database(tmp_path / "tariff_database_2024.csv.gz", [])
    assert load_tariff_data(tmp_path).files.tariff_database.parent == BUNDLED_DATA


def test_replaced_file_is_read_again(tmp_path):
    for name in ("hts10_products", "chapter99_headings", "section301_product_lists"):
        shutil.copy(BUNDLED_DATA / f"{name}_2026-02.csv.gz", tmp_path)
    shutil.copy(BUNDLED_DATA / "cbp_fees_2026.csv", tmp_path)
    database = tmp_path / "tariff_database_2030.csv.gz"
    write_database(database, ["72081015,x,2030-01-01,2050-12-31,KG,,1%,7,0.01,0,0,,,,,,,\n"])
    files = TariffFiles.discover(tmp_path)
    first = load_tariff_data(files)
    write_database(database, ["72081015,x,2030-01-01,2050-12-31,KG,,2%,7,0.02,0,0,,,,,,,,,\n"])
    second = load_tariff_data(files)
    assert first is not second
    assert second.tariff_line("72081015", date(2030, 1, 1)).mfn.text == "2%"


def test_discover_fails_closed_on_missing_files(tmp_path):
    with pytest.raises(
        ConfigurationError, match=r"no tariff data file for tariff_database"
    ) as info:
        TariffFiles.discover(tmp_path)
    assert info.value.code == "configuration_error"
    with pytest.raises(ConfigurationError, match=r"does not exist") as info:
        TariffFiles.discover(tmp_path / "absent")
    assert info.value.code == "configuration_error"


def test_file_without_required_columns_is_refused(tmp_path):
    (tmp_path / "tariff_database_2027.csv").write_text("hts8,brief_description\n01011000,x\n")
    data = load_tariff_data(tmp_path)
    with pytest.raises(ConfigurationError, match=r"lacks columns begin_effect_date") as info:
        data.tariff_lines("01011000")
    assert info.value.code == "configuration_error"


def test_malformed_row_names_file_row_and_column(tmp_path):
    write_database(
        tmp_path / "tariff_database_2028.csv.gz",
        ["72081015,x,2028-13-01,2050-12-31,KG,,1%,7,0.01,0,0,,,,,,,\n"],
    )
    data = load_tariff_data(tmp_path)
    pattern = r"tariff_database_2028\.csv\.gz:2\.begin_effect_date: expected an ISO date"
    with pytest.raises(InvalidDocument, match=pattern) as info:
        data.tariff_lines("72081015")
    assert info.value.code == "invalid_document"


def test_unreadable_gzip_is_a_configuration_error(tmp_path):
    (tmp_path / "tariff_database_2029.csv.gz").write_bytes(b"not gzip")
    data = load_tariff_data(tmp_path)
    with pytest.raises(ConfigurationError, match=r"cannot read tariff data file") as info:
        data.tariff_lines("72081015")
    assert info.value.code == "configuration_error"
