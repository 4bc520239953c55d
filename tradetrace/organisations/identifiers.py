"""Registered business identifiers of an organisation, and how each is checked.

- EORI: EU Regulation 952/2013 art. 9; ISO 3166 country code then up to 15 characters.
- LEI: ISO 17442, 20 characters, ISO 7064 MOD 97-10 check digits.
- GLN: GS1 General Specifications §3.4.9 and §7.9 (13 digits, mod-10 check digit).
- CBP importer number: 19 CFR 24.5 — IRS EIN ``NN-NNNNNNN`` with an optional two-character
  suffix, or a CBP-assigned number ``YYDDPP-NNNNN``.
- MID: CBP manufacturer identification code (CBP Form 7501 instructions, Appendix 2): ISO
  country code (or a Canadian province code), then letters and digits, at most 15 characters.
"""

from __future__ import annotations

import re
from enum import StrEnum

from tradetrace.events import identifiers as gs1

__all__ = ["IdentifierScheme", "validate_identifier"]


class IdentifierScheme(StrEnum):
    """The identifier schemes tradetrace records for organisations."""

    EORI = "eori"
    LEI = "lei"
    GLN = "gln"
    CBP_IMPORTER = "cbp_importer"
    MID = "mid"


_EORI = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")
_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_CBP_IMPORTER = re.compile(r"^(\d{2}-\d{7}([A-Z0-9]{2})?|\d{6}-\d{5})$")
_MID = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,13}$")


def _lei_check_ok(value: str) -> bool:
    # ISO 7064 MOD 97-10: letters become 10..35; the whole number mod 97 must equal 1.
    digits = "".join(str(int(char, 36)) for char in value)
    return int(digits) % 97 == 1


def validate_identifier(scheme: IdentifierScheme, value: str) -> str | None:
    """Return ``None`` when ``value`` is a well-formed identifier of ``scheme``, else the reason."""
    if scheme is IdentifierScheme.EORI:
        return None if _EORI.match(value) else "expected a country code and up to 15 characters"
    if scheme is IdentifierScheme.LEI:
        if not _LEI.match(value):
            return "expected 20 characters: 18 letters or digits and 2 check digits"
        return (
            None if _lei_check_ok(value) else "LEI check digits do not match (ISO 7064 MOD 97-10)"
        )
    if scheme is IdentifierScheme.GLN:
        return None if gs1.is_valid_gln(value) else "expected 13 digits with a GS1 check digit"
    if scheme is IdentifierScheme.CBP_IMPORTER:
        if _CBP_IMPORTER.match(value):
            return None
        return "expected an IRS number NN-NNNNNNN[XX] or a CBP-assigned number YYDDPP-NNNNN"
    return None if _MID.match(value) else "expected a country code and up to 13 letters or digits"
