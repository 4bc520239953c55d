"""Worked examples of whole entries, each checked by hand in the test (figures: customs.md §2,
the USITC 2025 tariff database rows named in each test)."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal

import pytest

from tradetrace.errors import InvalidDocument, NotFound
from tradetrace.tariff import Entry, EntryLine, EntryResult, compute_entry, load_tariff_data
from tradetrace.tariff.rows import TARIFF_COLUMNS

KEYS = {"duty", "additional_duties", "mpf", "hmf", "total", "basis"}


def amounts(result: EntryResult) -> dict[str, object]:
    document = result.to_json_dict()
    return {key: document[key] for key in KEYS - {"basis"}}


def test_compute_line_json_has_exactly_the_cli_shape(compute):
    document = compute().to_json_dict()
    assert set(document) == KEYS
    assert json.loads(json.dumps(document)) == document
    assert all(isinstance(document[key], str) for key in KEYS - {"basis"})
    (duty, mpf) = document["basis"]
    assert set(duty) == {
        "line",
        "component",
        "code",
        "rate",
        "applied_to",
        "amount",
        "source",
        "note",
    }
    assert duty["code"] == "8471.30.01.00"
    assert "General Note 3(a)" in duty["source"]
    assert mpf["code"] == "fee class 499"
    assert "19 CFR 24.23" in mpf["source"]


def test_mpf_minimum_applies_to_a_low_value_entry(compute):
    # 8471.30.01 (Free) from Germany, $1,000 on 1 Jul 2025 (FY2025):
    # 0.3464% * 1,000 = 3.46, below the FY2025 minimum 32.71 -> MPF 32.71
    result = compute(value="1000")
    assert amounts(result) == {
        "duty": "0.00",
        "additional_duties": "0.00",
        "mpf": "32.71",
        "hmf": "0.00",
        "total": "32.71",
    }
    assert result.basis[-1].note == "0.3464% of 1000.00 = 3.46; raised to the FY2025 minimum 32.71"
    assert "89 FR 59126" in result.basis[-1].source


def test_mpf_maximum_applies_to_a_high_value_entry(compute):
    # $250,000: 0.3464% * 250,000 = 866.00, above the FY2025 maximum 634.62 -> 634.62
    result = compute(value="250000")
    assert amounts(result)["mpf"] == "634.62"
    assert result.basis[-1].note.endswith("lowered to the FY2025 maximum 634.62")


@pytest.mark.parametrize(
    ("entry_date", "minimum"),
    [("2025-09-30", "32.71"), ("2025-10-01", "33.58")],  # FY2025 -> FY2026 on 1 October
)
def test_mpf_minimum_changes_on_the_first_of_october(compute, entry_date, minimum):
    assert amounts(compute(value="1000", entry_date=entry_date))["mpf"] == minimum


def test_compound_rate_on_cigarettes(compute):
    # 2402.20.80, "$1.05/kg + 2.3%" (code 5: per kg, the second unit), from Germany:
    # 1.05 * 650 kg = 682.50; 2.3% * 10,000 = 230.00; duty 912.50
    # MPF 0.3464% * 10,000 = 34.64; total 947.14
    result = compute(hts10="2402208000", value="10000", quantities={"THS": "500", "KG": "650"})
    assert amounts(result) == {
        "duty": "912.50",
        "additional_duties": "0.00",
        "mpf": "34.64",
        "hmf": "0.00",
        "total": "947.14",
    }
    assert result.basis[0].applied_to == "value 10000.00 USD + 650 KG"


def test_specific_rate_with_quantity(compute):
    # 0102.29.40, live cattle, "1 cents/kg" (code 2: per kg), from Canada, no USMCA claim:
    # 0.01 * 5,000 kg = 50.00; MPF 0.3464% * 20,000 = 69.28; total 119.28
    result = compute(
        hts10="0102294024",
        value="20000",
        origin="CA",
        mode="truck",
        quantities={"NO": 10, "KG": 5000},
    )
    assert amounts(result)["duty"] == "50.00"
    assert amounts(result)["total"] == "119.28"
    assert result.basis[0].applied_to == "5000 KG"


def test_specific_rate_without_its_quantity_is_refused(compute):
    with pytest.raises(
        InvalidDocument, match=r"quantities\.KG: rate '1 cents/kg' needs the quantity"
    ) as info:
        compute(hts10="0102294024", value="20000", origin="CA", quantities={"NO": 10})
    assert info.value.code == "invalid_document"


def test_usmca_preference_granted_is_free_and_exempt_from_mpf(compute):
    # 6109.10.00 T-shirts from Mexico, S claimed and allowed: Free, MPF exempt -> total 0.00
    result = compute(
        hts10="6109100004", value="10000", origin="MX", spi="S", preference_allowed=True
    )
    assert amounts(result)["total"] == "0.00"
    assert [item.component for item in result.basis] == ["duty", "mpf"]
    assert result.basis[1].note == "USMCA preference (S) allowed"


def test_usmca_preference_denied_pays_the_general_rate(compute):
    # denied: 16.5% * 10,000 = 1,650.00; MPF 34.64; total 1,684.64
    result = compute(
        hts10="6109100004", value="10000", origin="MX", spi="S", preference_allowed=False
    )
    assert amounts(result) == {
        "duty": "1650.00",
        "additional_duties": "0.00",
        "mpf": "34.64",
        "hmf": "0.00",
        "total": "1684.64",
    }
    assert result.basis[0].note == "preference S claimed but not allowed"


def test_cafta_dr_preference_by_vessel_still_pays_hmf(compute):
    # 6104.62.20 trousers from Honduras, P allowed: Free, MPF exempt; HMF 0.125% * 10,000 = 12.50
    result = compute(
        hts10="6104622006",
        value="10000",
        origin="HN",
        spi="P",
        preference_allowed=True,
        mode="vessel",
    )
    assert amounts(result) == {
        "duty": "0.00",
        "additional_duties": "0.00",
        "mpf": "0.00",
        "hmf": "12.50",
        "total": "12.50",
    }


def test_hmf_of_three_dollars_or_less_with_nothing_else_owed_is_reported_as_zero(compute):
    # $2,000: HMF 0.125% * 2,000 = 2.50 <= 3.00, no duty and no MPF -> HMF reported as 0.00
    result = compute(
        hts10="6104622006",
        value="2000",
        origin="HN",
        spi="P",
        preference_allowed=True,
        mode="vessel",
    )
    assert amounts(result)["hmf"] == "0.00"
    (hmf,) = [item for item in result.basis if item.component == "hmf"]
    assert hmf.amount == 0
    assert hmf.note.startswith("entry HMF of 2.50 is $3.00 or less")


def test_section_232_steel_additional_duty_at_the_rate_for_the_entry_date(compute):
    # 7208.10.15 (Free) from Germany, $10,000:
    # 1 Jul 2025: 9903.81.87 + 50% = 5,000.00; MPF 34.64; total 5,034.64
    # 15 Apr 2025: 9903.81.87 + 25% = 2,500.00
    july = compute(hts10="7208101500", value="10000")
    assert amounts(july)["additional_duties"] == "5000.00"
    assert amounts(july)["total"] == "5034.64"
    assert july.basis[1].code == "9903.81.87"
    assert "Section 232" in july.basis[1].source
    april = compute(hts10="7208101500", value="10000", entry_date="2025-04-15")
    assert amounts(april)["additional_duties"] == "2500.00"


def test_section_301_on_a_china_origin_listed_product(compute):
    # 6109.10.00 T-shirts from China, $10,000: 16.5% = 1,650.00;
    # List 4A 9903.88.15 + 7.5% = 750.00; MPF 34.64; total 2,434.64
    result = compute(hts10="6109100004", value="10000", origin="CN")
    assert amounts(result) == {
        "duty": "1650.00",
        "additional_duties": "750.00",
        "mpf": "34.64",
        "hmf": "0.00",
        "total": "2434.64",
    }
    assert result.basis[1].code == "9903.88.15"


@pytest.mark.parametrize(
    ("mode", "hmf", "total"), [("vessel", "125.00", "471.40"), ("air", "0.00", "346.40")]
)
def test_hmf_on_vessel_cargo_only(compute, mode, hmf, total):
    # $100,000: MPF 0.3464% * 100,000 = 346.40; HMF 0.125% * 100,000 = 125.00 by vessel only
    result = compute(value="100000", mode=mode)
    assert (amounts(result)["hmf"], amounts(result)["total"]) == (hmf, total)


def test_informal_entry_pays_the_flat_fee(compute):
    # entry type 11 on 15 Oct 2025 (FY2026): informal MPF 2.69 regardless of value
    result = compute(value="1500", entry_date="2025-10-15", entry_type="11")
    assert amounts(result)["mpf"] == "2.69"
    assert result.basis[-1].code == "fee class 311"


def test_informal_entry_over_2500_dollars_is_refused(compute):
    with pytest.raises(
        InvalidDocument, match=r"entry_type: informal entry \(11\) for 3000\.00 USD"
    ) as info:
        compute(value="3000", entry_type="11")
    assert info.value.code == "invalid_document"


def test_type_86_owes_nothing_while_de_minimis_applies(compute):
    # 1 Jun 2025, $500 of China-origin T-shirts: no duty, no Section 301, no fees
    result = compute(
        hts10="6109100004", value="500", origin="CN", entry_date="2025-06-01", entry_type="86"
    )
    assert amounts(result)["total"] == "0.00"
    (item,) = result.basis
    assert item.component == "de_minimis"
    assert "19 U.S.C. 1321(a)(2)(C)" in item.source


def test_type_86_is_refused_once_de_minimis_is_suspended(compute):
    with pytest.raises(
        InvalidDocument, match=r"entry_type: type 86 needs duty-free de minimis, suspended"
    ) as info:
        compute(value="500", entry_date="2025-08-29", entry_type="86")
    assert info.value.code == "invalid_document"
    assert "90 FR 42418" in info.value.message


def test_type_86_over_800_dollars_is_refused(compute):
    with pytest.raises(InvalidDocument, match=r"type 86 for 900\.00 USD is over the \$800") as info:
        compute(value="900", entry_date="2025-06-01", entry_type="86")
    assert info.value.code == "invalid_document"


def test_column_2_country_pays_column_2(compute):
    # Cuba: 6109.10.00 column 2 is 90%; 90% * 1,000 = 900.00
    assert amounts(compute(hts10="6109100004", origin="CU"))["duty"] == "900.00"


def test_entry_mpf_bounds_apply_to_the_entry_total(data):
    # two lines, $2,000 and $3,000: 0.3464% * 5,000 = 17.32 < 32.71 -> 32.71 for the entry,
    # prorated 13.08 + 19.63 (not 32.71 per line); line 2 also pays 16.5% * 3,000 = 495.00
    # and Section 301 7.5% * 3,000 = 225.00; total 32.71 + 495.00 + 225.00 = 752.71
    lines = [
        EntryLine.parse(hts10="8471300100", value="2000", origin="DE", prefix="lines[0]."),
        EntryLine.parse(hts10="6109100004", value="3000", origin="CN", prefix="lines[1]."),
    ]
    result = compute_entry(Entry.parse(entry_date="2025-07-01", lines=lines, mode="air"), data=data)
    assert amounts(result)["mpf"] == "32.71"
    assert [line.mpf for line in result.lines] == [Decimal("13.08"), Decimal("19.63")]
    assert amounts(result)["total"] == "752.71"
    assert result.lines[1].total == Decimal("739.63")
    assert result.basis[-1].note.endswith("prorated to the lines by value")


def test_entry_mpf_maximum_is_shared_between_lines(data):
    # three lines of $100,000: 0.3464% * 300,000 = 1,039.20 > 634.62 -> 211.54 each
    lines = [
        EntryLine.parse(hts10="8471300100", value="100000", origin="DE", prefix=f"lines[{i}].")
        for i in range(3)
    ]
    result = compute_entry(Entry.parse(entry_date="2025-07-01", lines=lines), data=data)
    assert [line.mpf for line in result.lines] == [Decimal("211.54")] * 3


def test_entry_mpf_leaves_exempt_lines_out(data):
    # line 1 USMCA allowed (exempt), line 2 $10,000 from Germany: 0.3464% * 10,000 = 34.64
    lines = [
        EntryLine.parse(
            hts10="6109100004", value="50000", origin="MX", spi="S", preference_allowed=True
        ),
        EntryLine.parse(hts10="8471300100", value="10000", origin="DE"),
    ]
    result = compute_entry(Entry.parse(entry_date="2025-07-01", lines=lines), data=data)
    assert [line.mpf for line in result.lines] == [Decimal("0.00"), Decimal("34.64")]


def test_errors_name_the_line_in_a_multi_line_entry(data):
    lines = [
        EntryLine.parse(hts10="8471300100", value="1", origin="DE"),
        EntryLine.parse(hts10="8471300199", value="1", origin="DE"),
    ]
    with pytest.raises(
        NotFound, match=r"lines\[1\]\.hts10 8471\.30\.01\.99: no such statistical"
    ) as info:
        compute_entry(Entry.parse(entry_date="2025-07-01", lines=lines), data=data)
    assert info.value.code == "not_found"


@pytest.mark.parametrize(
    ("overrides", "error", "pattern"),
    [
        ({"hts10": "7208.10"}, InvalidDocument, r"hts10: expected 10 digits, got 6"),
        ({"hts10": "72O8101500"}, InvalidDocument, r"hts10: expected an HTSUS number"),
        ({"hts10": "6109100099"}, NotFound, r"hts10 6109\.10\.00\.99: no such statistical"),
        ({"value": "-5"}, InvalidDocument, r"value: must not be negative, got -5"),
        ({"value": "ten"}, InvalidDocument, r"value: expected a decimal number, got 'ten'"),
        (
            {"origin": "XX"},
            InvalidDocument,
            r"origin: unknown ISO 3166-1 alpha-2 country code 'XX'",
        ),
        (
            {"entry_date": "2024-12-31"},
            InvalidDocument,
            r"entry_date: 2024-12-31 is outside the data coverage",
        ),
        (
            {"entry_date": "2026-10-01"},
            InvalidDocument,
            r"entry_date: 2026-10-01 is outside the data coverage",
        ),
        ({"entry_date": "1 Jul 2025"}, InvalidDocument, r"entry_date: expected YYYY-MM-DD"),
        ({"mode": "ship"}, InvalidDocument, r"mode: expected one of vessel, air"),
        ({"entry_type": "02"}, InvalidDocument, r"entry_type: expected one of 01, 11, 86"),
        ({"spi": "ZZ"}, InvalidDocument, r"spi: unknown special programme indicator 'ZZ'"),
    ],
)
def test_bad_input_names_the_field_and_the_reason(compute, overrides, error, pattern):
    with pytest.raises(error, match=pattern) as info:
        compute(**overrides)
    assert info.value.code == error.code


def test_bad_input_reports_every_field_at_once(compute):
    with pytest.raises(InvalidDocument, match=r"invalid entry line: origin: .*; value: ") as info:
        compute(origin="XX", value="-1")
    assert info.value.code == "invalid_document"
    assert [problem.field for problem in info.value.problems] == ["origin", "value"]


def test_tariff_line_missing_or_not_in_force_is_not_found(tmp_path, compute):
    # an update directory whose (newer) tariff database has 8471.30.01 until 30 Jun 2025 only
    header = ",".join(TARIFF_COLUMNS)
    row = "84713001,x,2025-01-01,2025-06-30,NO,,Free,0,0,0,0,35%,7,0.35,0,0"
    with gzip.open(tmp_path / "tariff_database_2025-12.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write(f"{header}\n{row}\n")
    data = load_tariff_data(tmp_path)
    pattern = r"hts10 8471\.30\.01: no tariff line in force on 2025-07-01 \(in force 2025-01-01"
    with pytest.raises(NotFound, match=pattern) as info:
        compute(data=data)
    assert info.value.code == "not_found"
    pattern = r"hts10 6109\.10\.00: no such tariff line in tariff database 2025-12"
    with pytest.raises(NotFound, match=pattern) as info:
        compute(data=data, hts10="6109100004")
    assert info.value.code == "not_found"
