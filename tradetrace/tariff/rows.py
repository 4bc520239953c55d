"""Parse one row of each tariff data file into its typed record (:mod:`tradetrace.tariff.model`).

Column names are the files' own (USITC tariff database fields; the HTS extract columns in
``shared/data/hts/README.md``). A malformed value raises :class:`InvalidDocument` naming the file,
the row and the column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.tariff.model import (
    Chapter99Heading,
    EffectivePeriod,
    ProgramRate,
    Section301Listing,
    StatisticalLine,
    TariffLine,
)
from tradetrace.tariff.rates import Rate
from tradetrace.types import HsCode

__all__ = [
    "CHAPTER99_COLUMNS",
    "HTS10_COLUMNS",
    "SECTION301_COLUMNS",
    "TARIFF_COLUMNS",
    "parse_chapter99_row",
    "parse_hts10_row",
    "parse_section301_row",
    "parse_tariff_row",
]

TARIFF_COLUMNS = (
    "hts8",
    "brief_description",
    "begin_effect_date",
    "end_effective_date",
    "quantity_1_code",
    "quantity_2_code",
    "mfn_text_rate",
    "mfn_rate_type_code",
    "mfn_ad_val_rate",
    "mfn_specific_rate",
    "mfn_other_rate",
    "col2_text_rate",
    "col2_rate_type_code",
    "col2_ad_val_rate",
    "col2_specific_rate",
    "col2_other_rate",
)
HTS10_COLUMNS = ("hts10", "base_rate_raw", "ch99_refs", "description")
CHAPTER99_COLUMNS = ("ch99_code", "rate", "authority", "country_type", "countries", "description")
SECTION301_COLUMNS = ("hts8", "list", "ch99_code")

# Programmes with a rate type and rates in the database (column prefix → indicator column).
_RATED_PROGRAMS = (
    "australia",
    "bahrain",
    "chile",
    "colombia",
    "dr_cafta",
    "jordan",
    "korea",
    "morocco",
    "oman",
    "panama",
    "peru",
    "singapore",
    "usmca",
)
# Programmes given by an indicator only: listed means free (General Note 3(c)).
_INDICATOR_ONLY = {
    "agoa": "agoa_indicator",
    "dyes": "dyes_indicator",
    "gsp": "gsp_indicator",
    "israel_fta": "israel_fta_indicator",
    "pharmaceutical": "pharmaceutical_ind",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE = r"(?P<month>[A-Z][a-z]{2})[a-z]*\.? (?P<day>\d{1,2}), (?P<year>\d{4})"
_FROM = re.compile(r"on or after " + _DATE)
_BEFORE = re.compile(r"\bbefore " + _DATE)


def _bad(where: str, column: str, reason: str) -> InvalidDocument:
    field = f"{where}.{column}"
    return InvalidDocument(f"invalid {field}: {reason}", problems=(FieldProblem(field, reason),))


def _date(row: Mapping[str, str], column: str, where: str) -> date:
    try:
        return date.fromisoformat(row[column].strip())
    except ValueError as exc:
        raise _bad(where, column, f"expected an ISO date, got {row[column]!r}") from exc


def _program_rate(row: Mapping[str, str], prefix: str, *, type_code: str, where: str) -> Rate:
    def value(name: str) -> str:
        return row.get(f"{prefix}_{name}", "") or ""

    if not type_code.strip() and not any(
        value(name).strip() for name in ("ad_val_rate", "specific_rate")
    ):
        return Rate.free()  # listed with no figures: the programme's rate is Free
    rate = Rate.from_usitc(
        text=None,
        type_code=type_code,
        ad_valorem=value("ad_val_rate"),
        specific=value("specific_rate"),
        other=value("other_rate"),
        quantity_1=row.get("quantity_1_code", ""),
        quantity_2=row.get("quantity_2_code", ""),
    )
    if rate.problem == "malformed rate fields":
        raise _bad(where, f"{prefix}_rate_type_code", "malformed programme rate fields")
    return rate


def _programs(row: Mapping[str, str], where: str) -> tuple[ProgramRate, ...]:
    found: list[ProgramRate] = []
    for prefix in _RATED_PROGRAMS:
        indicator = row.get(f"{prefix}_indicator", "").strip()
        if indicator:
            rate = _program_rate(
                row, prefix, type_code=row.get(f"{prefix}_rate_type_code", ""), where=where
            )
            found.append(ProgramRate(program=prefix, indicator=indicator, rate=rate))
    mexico_type = row.get("mexico_rate_type_code", "").strip()
    if mexico_type:  # USMCA rate for goods of Mexico where the HTSUS treats the parties differently
        found.append(
            ProgramRate(
                program="usmca_mexico",
                indicator="S",
                rate=_program_rate(row, "mexico", type_code=mexico_type, where=where),
            )
        )
    cbi = row.get("cbi_indicator", "").strip()
    if cbi:
        ad_valorem, specific = row.get("cbi_ad_val_rate", ""), row.get("cbi_specific_rate", "")
        has_ad_valorem = bool(ad_valorem.strip()) and Decimal(ad_valorem) != 0
        code = "7" if has_ad_valorem else "0"
        rate = Rate.from_usitc(
            text=None,
            type_code=code,
            ad_valorem=ad_valorem,
            specific=specific,
            other="",
            quantity_1="",
            quantity_2="",
        )
        found.append(ProgramRate(program="cbi", indicator=cbi, rate=rate))
    for name, column in _INDICATOR_ONLY.items():
        if indicator := row.get(column, "").strip():
            found.append(ProgramRate(program=name, indicator=indicator, rate=Rate.free()))
    return tuple(found)


def _column_rate(row: Mapping[str, str], prefix: str) -> Rate:
    return Rate.from_usitc(
        text=row[f"{prefix}_text_rate"],
        type_code=row[f"{prefix}_rate_type_code"],
        ad_valorem=row[f"{prefix}_ad_val_rate"],
        specific=row[f"{prefix}_specific_rate"],
        other=row[f"{prefix}_other_rate"],
        quantity_1=row["quantity_1_code"],
        quantity_2=row["quantity_2_code"],
    )


def parse_tariff_row(row: Mapping[str, str], *, where: str) -> TariffLine:
    """Build a :class:`TariffLine` from one tariff database row (``where`` names it in errors)."""
    code = row["hts8"].strip()
    if not code.isdigit() or len(code) > 8:
        raise _bad(where, "hts8", f"expected up to 8 digits, got {code!r}")
    try:
        programs = _programs(row, where)
    except InvalidOperation as exc:
        raise _bad(where, "cbi_ad_val_rate", "malformed programme rate") from exc
    countries = row.get("column2_countries", "").strip()
    return TariffLine(
        # The database drops the leading zero of chapters 01-09 (1022940 is 0102.29.40).
        hts8=HsCode(code.zfill(8)),
        description=row["brief_description"].strip(),
        period=EffectivePeriod(
            _date(row, "begin_effect_date", where), _date(row, "end_effective_date", where)
        ),
        quantity_1=row["quantity_1_code"].strip().upper(),
        quantity_2=row["quantity_2_code"].strip().upper(),
        wto_binding=row.get("wto_binding_code", "").strip(),
        mfn=_column_rate(row, "mfn"),
        column2=_column_rate(row, "col2"),
        column2_countries=tuple(countries.split("|")) if countries else (),
        programs=programs,
        additional_duty=row.get("additional_duty", "").strip(),
        footnote=row.get("footnote_comment", "").strip(),
    )


def parse_hts10_row(row: Mapping[str, str], *, where: str) -> StatisticalLine:
    """Build a :class:`StatisticalLine` from one row of the HTS-10 extract."""
    code = row["hts10"].strip()
    if not code.isdigit() or len(code) != 10:
        raise _bad(where, "hts10", f"expected 10 digits, got {code!r}")
    refs = row["ch99_refs"].replace(";", ",")
    return StatisticalLine(
        hts10=HsCode(code),
        description=row["description"].strip(),
        rate_text=row["base_rate_raw"].strip(),
        chapter99_refs=tuple(ref.strip() for ref in refs.split(",") if ref.strip()),
    )


def _text_date(pattern: re.Pattern[str], text: str) -> date | None:
    match = pattern.search(text)
    if match is None or match["month"].lower() not in _MONTHS:
        return None
    month = _MONTHS.index(match["month"].lower()) + 1
    return date(int(match["year"]), month, int(match["day"]))


def parse_chapter99_row(row: Mapping[str, str], *, where: str) -> Chapter99Heading:
    """Build a :class:`Chapter99Heading` from one row of the chapter 99 extract."""
    try:
        rate = Decimal(row["rate"]) if row["rate"].strip() else None
    except InvalidOperation as exc:
        raise _bad(where, "rate", f"expected a decimal fraction, got {row['rate']!r}") from exc
    description = row["description"]
    countries = row["countries"].replace("|", ",")
    return Chapter99Heading(
        code=row["ch99_code"].strip(),
        rate=rate,
        authority=row["authority"].strip(),
        country_type=row["country_type"].strip(),
        countries=tuple(country.strip() for country in countries.split(",") if country.strip()),
        general_text=row.get("general_raw", "").strip(),
        column2_text=row.get("other_raw", "").strip(),
        description=description.strip(),
        effective_from=_text_date(_FROM, description),
        effective_before=_text_date(_BEFORE, description),
    )


def parse_section301_row(row: Mapping[str, str], *, where: str) -> Section301Listing:
    """Build a :class:`Section301Listing` from one row of the Section 301 list file."""
    code = row["hts8"].strip()
    if not code.isdigit() or len(code) != 8:
        raise _bad(where, "hts8", f"expected 8 digits, got {code!r}")
    return Section301Listing(
        hts8=HsCode(code), list_name=row["list"].strip(), heading=row["ch99_code"].strip()
    )
