"""Which column of the tariff applies: column 1 general, a special programme, or column 2.

HTSUS General Note 3 (customs.md §2.3): column 1 general is the normal-trade-relations rate
(GN 3(a)); column 1 special holds the preference rates, each marked by a special programme
indicator (SPI) and granted only when the claimed programme is listed for the line and the goods
qualify (GN 3(c)); column 2 applies to the countries named in GN 3(b). Whether goods qualify is the
rule engine's decision: it reaches this module as the ``preference_allowed`` flag.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.tariff.model import TariffLine
from tradetrace.tariff.rates import Rate

__all__ = [
    "COLUMN2_COUNTRIES",
    "PROGRAMS",
    "BaseRate",
    "Program",
    "is_column2_country",
    "program_for_spi",
    "select_base_rate",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Program:
    """A special programme: its SPIs, its tariff database column and its general note.

    ``column`` is ``""`` for programmes the tariff database does not carry; claiming one fails
    closed. ``partners`` lists the parties of a free trade agreement (``None`` where eligibility
    rests on beneficiary lists that are not checked here).
    """

    name: str
    spis: frozenset[str]
    column: str
    general_note: str
    partners: frozenset[str] | None


def _program(name: str, spis: str, column: str, note: str, partners: str | None) -> Program:
    return Program(
        name=name,
        spis=frozenset(spis.split()),
        column=column,
        general_note=note,
        partners=frozenset(partners.split()) if partners else None,
    )


# SPIs and general notes as in customs.md §2.3 (HTSUS General Note 3(c)).
PROGRAMS: tuple[Program, ...] = (
    _program("USMCA", "S S+", "usmca", "HTSUS General Note 11", "CA MX"),
    _program(
        "CAFTA-DR", "P P+", "dr_cafta", "HTSUS General Note 29; 19 CFR 10.583", "CR DO GT HN NI SV"
    ),
    _program("U.S.-Australia FTA", "AU", "australia", "HTSUS General Note 28", "AU"),
    _program("U.S.-Bahrain FTA", "BH", "bahrain", "HTSUS General Note 30", "BH"),
    _program("U.S.-Chile FTA", "CL", "chile", "HTSUS General Note 26", "CL"),
    _program("U.S.-Colombia TPA", "CO", "colombia", "HTSUS General Note 34", "CO"),
    _program("U.S.-Israel FTA", "IL", "israel_fta", "HTSUS General Note 8", "IL"),
    _program("U.S.-Jordan FTA", "JO", "jordan", "HTSUS General Note 18", "JO"),
    _program("U.S.-Korea FTA", "KR", "korea", "HTSUS General Note 33", "KR"),
    _program("U.S.-Morocco FTA", "MA", "morocco", "HTSUS General Note 27", "MA"),
    _program("U.S.-Oman FTA", "OM", "oman", "HTSUS General Note 31", "OM"),
    _program("U.S.-Panama TPA", "PA", "panama", "HTSUS General Note 35", "PA"),
    _program("U.S.-Peru TPA", "PE", "peru", "HTSUS General Note 32", "PE"),
    _program("U.S.-Singapore FTA", "SG", "singapore", "HTSUS General Note 25", "SG"),
    _program("GSP", "A A* A+", "gsp", "HTSUS General Note 4", None),
    _program("CBERA", "E E*", "cbi", "HTSUS General Note 7", None),
    _program("AGOA", "D", "agoa", "HTSUS General Note 16", None),
    _program("Pharmaceuticals", "K", "pharmaceutical", "HTSUS General Note 13", None),
    _program("Dye intermediates", "L", "dyes", "HTSUS General Note 14", None),
    _program("U.S.-Japan Trade Agreement", "JP", "", "HTSUS General Note 36", "JP"),
    _program("Automotive Products Trade Act", "B", "", "HTSUS General Note 5", None),
    _program("Civil aircraft", "C", "", "HTSUS General Note 6", None),
    _program("CBTPA", "R", "", "HTSUS General Note 17", None),
)

# Countries whose goods take column 2 (GN 3(b)), with the day that began. Cuba and North Korea
# predate the data; Russia and Belarus since Pub. L. 117-110 (Suspending Normal Trade Relations
# with Russia and Belarus Act, 2022).
COLUMN2_COUNTRIES: dict[str, date] = {
    "BY": date(2022, 4, 9),
    "CU": date.min,
    "KP": date.min,
    "RU": date(2022, 4, 9),
}


def _invalid(field: str, reason: str) -> InvalidDocument:
    return InvalidDocument(f"invalid {field}: {reason}", problems=(FieldProblem(field, reason),))


def is_column2_country(country: str, on: date) -> bool:
    """Whether goods of ``country`` take column 2 rates on ``on`` (HTSUS General Note 3(b))."""
    since = COLUMN2_COUNTRIES.get(country)
    return since is not None and on >= since


def program_for_spi(spi: str, *, field: str = "spi") -> Program:
    """The programme an SPI belongs to; raises :class:`InvalidDocument` for an unknown SPI."""
    code = spi.strip().upper()
    for program in PROGRAMS:
        if code in program.spis:
            return program
    raise _invalid(field, f"unknown special programme indicator {spi!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class BaseRate:
    """The rate a line's duty is computed at, which column it came from, and why."""

    column: str
    rate: Rate
    program: Program | None
    source: str
    note: str = ""


def select_base_rate(
    line: TariffLine, *, origin: str, on: date, spi: str | None, preference_allowed: bool
) -> BaseRate:
    """Choose the rate for goods of ``origin`` on ``line`` (HTSUS General Note 3).

    Column 2 for a GN 3(b) country; else the claimed programme's rate when ``spi`` is listed on
    the line and ``preference_allowed``; else column 1 general. Raises :class:`InvalidDocument`
    (field ``spi``) for an unknown SPI, a programme the data does not carry, a preference allowed
    for a country outside the agreement, or a preference allowed for a column 2 country.
    """
    program = program_for_spi(spi) if spi else None
    general = BaseRate(
        column="column 1 general",
        rate=line.mfn,
        program=None,
        source="HTSUS General Note 3(a) (column 1 general)",
    )
    if is_column2_country(origin, on):
        if program is not None and preference_allowed:
            raise _invalid(
                "spi", f"no preference applies to {origin}, a column 2 country (GN 3(b))"
            )
        return BaseRate(
            column="column 2",
            rate=line.column2,
            program=None,
            source="HTSUS General Note 3(b) (column 2)",
        )
    if program is None:
        return general
    claimed = spi.strip().upper() if spi else ""
    if not preference_allowed:
        return _with_note(general, f"preference {claimed} claimed but not allowed")
    if not program.column:
        raise _invalid("spi", f"{program.name} ({claimed}) rates are not in the tariff data")
    if program.partners is not None and origin not in program.partners:
        raise _invalid(
            "spi", f"{program.name} ({claimed}) claimed for origin {origin}, not a party"
        )
    listed = line.program("usmca_mexico") if program.column == "usmca" and origin == "MX" else None
    listed = listed or line.program(program.column)
    if listed is None:
        return _with_note(general, f"{claimed} is not listed for {line.display_code}")
    source = f"HTSUS General Note 3(c) (column 1 special); {program.general_note}"
    return BaseRate(
        column=f"column 1 special ({claimed})", rate=listed.rate, program=program, source=source
    )


def _with_note(base: BaseRate, note: str) -> BaseRate:
    return replace(base, note=note)
