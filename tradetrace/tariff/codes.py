"""HTSUS numbers and ISO 3166-1 country codes, parsed once at the edge.

An HTSUS number is kept as digits only (:data:`tradetrace.types.HsCode`): 8 digits for a tariff
line (the legal rate-bearing level, HTSUS General Note 3) and 10 for a statistical reporting
number. Dots and spaces are accepted on input (``7208.10.15.00``) and added back by
:func:`format_hts` for display.
"""

from __future__ import annotations

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.types import HsCode

__all__ = [
    "COUNTRY_CODES",
    "EUROPEAN_UNION",
    "format_hts",
    "parse_country",
    "parse_hts",
]

# ISO 3166-1 alpha-2, the 249 officially assigned codes. CBP's country-of-origin field uses them.
_ISO_3166 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRY_CODES: frozenset[str] = frozenset(_ISO_3166.split())

# The 27 member states, for the pre-12-March-2025 Section 232 country exemptions ("EU").
_EU = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
EUROPEAN_UNION: frozenset[str] = frozenset(_EU.split())


def _invalid(field: str, reason: str) -> InvalidDocument:
    return InvalidDocument(f"invalid {field}: {reason}", problems=(FieldProblem(field, reason),))


def parse_hts(text: str, *, field: str = "hts", digits: tuple[int, ...] = (8, 10)) -> HsCode:
    """Return ``text`` as an HTSUS number of digits only.

    ``digits`` lists the accepted lengths (8 for a tariff line, 10 for a statistical
    reporting number). Raises :class:`InvalidDocument` naming ``field`` when the code is not
    digits, dots and spaces, or has another length.
    """
    cleaned = text.strip().replace(".", "").replace(" ", "")
    expected = " or ".join(str(count) for count in digits)
    if not cleaned.isascii() or not cleaned.isdigit():
        raise _invalid(field, f"expected an HTSUS number of {expected} digits, got {text!r}")
    if len(cleaned) not in digits:
        raise _invalid(field, f"expected {expected} digits, got {len(cleaned)} in {text!r}")
    return HsCode(cleaned)


def format_hts(code: str) -> str:
    """Write an HTSUS number with its dots: ``72081015`` → ``7208.10.15``."""
    groups = [code[:4], code[4:6], code[6:8], code[8:10]]
    return ".".join(group for group in groups if group)


def parse_country(text: str, *, field: str = "origin") -> str:
    """Return ``text`` as an upper-case ISO 3166-1 alpha-2 code.

    Raises :class:`InvalidDocument` naming ``field`` for anything that is not an assigned code.
    """
    code = text.strip().upper()
    if code not in COUNTRY_CODES:
        raise _invalid(field, f"unknown ISO 3166-1 alpha-2 country code {text!r}")
    return code
