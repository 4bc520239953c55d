"""Shipment identifiers on a cargo-resolution inquiry, checked and normalised.

- **Entry number** ``XXX-NNNNNNN-C``: a 3-character filer code, a 7-digit transaction number and
  a check digit (CBP CATAIR Appendix E, "Valid Entry Numbers"). The filer code is letters and
  digits in one of the eight patterns NNN, ANN, AAN, AAA, ANA, NAN, NNA, NAA, with ``000``
  unassigned. Neither customs.md nor any source at hand gives the check-digit algorithm, so
  **only the format is checked**: the check digit must be a digit, its value is not verified.
- **Air waybill** ``PPP-SSSSSSSC``: a 3-digit airline prefix, a 7-digit serial and a check digit
  equal to the serial modulo 7 (IATA air waybill numbering, as CBP's ABI documentation repeats).
- **Port code**: the 4-digit CBP port of entry code (CBP Schedule D: district and port).
- **Country**: an ISO 3166-1 alpha-2 code, checked for form (two letters) only.
- **Flight number**: a 2-character IATA airline designator, 1-4 digits, an optional suffix.
- **HTS number**: 6, 8 or 10 digits; dots and spaces are dropped (``9019.20.0000``).
- **Manifest, tracking and voyage references**: 4 to 35 letters, digits and hyphens.
- **Email and telephone** of the contact: checked for form; messages never repeat them.

The ``…Field`` types validate inside pydantic models; :func:`parse_entry_number` and
:func:`parse_air_waybill` check one value and raise :class:`~tradetrace.errors.InvalidDocument`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, NewType

from pydantic import AfterValidator

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.types import HsCode

__all__ = [
    "AirWaybillField",
    "CountryField",
    "EmailField",
    "EntryNumber",
    "EntryNumberField",
    "FlightNumberField",
    "HtsCodeField",
    "PhoneField",
    "PortCodeField",
    "ReferenceField",
    "parse_air_waybill",
    "parse_entry_number",
]

EntryNumber = NewType("EntryNumber", str)
"""A CBP entry number written ``XXX-NNNNNNN-C``."""

_ENTRY = re.compile(r"^([A-Z0-9]{3})-?(\d{7})-?(\d)$")
_AIR_WAYBILL = re.compile(r"^(\d{3})[- ]?(\d{7})(\d)$")
_PORT = re.compile(r"^\d{4}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_FLIGHT = re.compile(r"^([A-Z0-9]{2})\s?(\d{1,4})([A-Z]?)$")
_REFERENCE = re.compile(r"^[A-Z0-9-]{4,35}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")


def _compact(text: str) -> str:
    return text.strip().upper()


def _normalize_entry_number(text: str) -> str:
    """``abc12345678`` or ``ABC-1234567-8`` to ``ABC-1234567-8`` (format only, see module)."""
    match = _ENTRY.match(_compact(text))
    if match is None:
        raise ValueError(f"expected an entry number like ABC-1234567-8, got {text!r}")
    filer, number, check = match.groups()
    if filer == "000":
        raise ValueError(f"filer code 000 is not assigned, got {text!r}")
    return f"{filer}-{number}-{check}"


def _normalize_air_waybill(text: str) -> str:
    """An 11-digit air waybill number as ``PPP-SSSSSSSC``, its mod-7 check digit verified."""
    match = _AIR_WAYBILL.match(_compact(text))
    if match is None:
        raise ValueError(f"expected an air waybill number like 589-81140743, got {text!r}")
    prefix, serial, check = match.groups()
    expected = int(serial) % 7
    if int(check) != expected:
        raise ValueError(f"air waybill check digit of {text!r} should be {expected}, got {check}")
    return f"{prefix}-{serial}{check}"


def _normalize_port_code(text: str) -> str:
    """A 4-digit CBP port code (Schedule D), such as ``2704`` for Los Angeles."""
    code = text.strip()
    if _PORT.match(code) is None:
        raise ValueError(f"expected a 4-digit CBP port code, got {text!r}")
    return code


def _normalize_country(text: str) -> str:
    """A two-letter ISO 3166-1 alpha-2 country code, upper-cased (form only)."""
    code = _compact(text)
    if _COUNTRY.match(code) is None:
        raise ValueError(f"expected a two-letter ISO 3166-1 country code, got {text!r}")
    return code


def _normalize_flight_number(text: str) -> str:
    """A flight number such as ``AA 100`` or ``5X9733`` as ``AA100`` / ``5X9733``."""
    match = _FLIGHT.match(_compact(text))
    if match is None or match.group(1).isdigit():
        raise ValueError(f"expected a flight number like AA100, got {text!r}")
    return "".join(match.groups())


def _normalize_reference(text: str) -> str:
    code = _compact(text)
    if _REFERENCE.match(code) is None:
        raise ValueError(f"expected 4 to 35 letters, digits or hyphens, got {text!r}")
    return code


def _normalize_email(text: str) -> str:
    address = text.strip()
    if len(address) > 254 or _EMAIL.match(address) is None:
        raise ValueError("expected an email address such as name@example.org")
    return address


def _normalize_phone(text: str) -> str:
    number = text.strip()
    if _PHONE.match(number) is None:
        raise ValueError("expected a telephone number of 7 to 20 digits, spaces, () or -")
    return number


def _normalize_hts(text: str) -> HsCode:
    digits = text.replace(".", "").replace(" ", "").strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) not in {6, 8, 10}:
        raise ValueError(f"expected an HTS number of 6, 8 or 10 digits, got {text!r}")
    return HsCode(digits)


EntryNumberField = Annotated[str, AfterValidator(_normalize_entry_number)]
AirWaybillField = Annotated[str, AfterValidator(_normalize_air_waybill)]
PortCodeField = Annotated[str, AfterValidator(_normalize_port_code)]
CountryField = Annotated[str, AfterValidator(_normalize_country)]
FlightNumberField = Annotated[str, AfterValidator(_normalize_flight_number)]
HtsCodeField = Annotated[HsCode, AfterValidator(_normalize_hts)]
ReferenceField = Annotated[str, AfterValidator(_normalize_reference)]
EmailField = Annotated[str, AfterValidator(_normalize_email)]
PhoneField = Annotated[str, AfterValidator(_normalize_phone)]


def _parse(normalize: Callable[[str], str], text: str, field: str) -> str:
    try:
        return normalize(text)
    except ValueError as exc:
        raise InvalidDocument.from_problems(field, [FieldProblem(field, str(exc))]) from exc


def parse_entry_number(text: str) -> EntryNumber:
    """Check and normalise an entry number; raises :class:`~tradetrace.errors.InvalidDocument`."""
    return EntryNumber(_parse(_normalize_entry_number, text, "entry_number"))


def parse_air_waybill(text: str) -> str:
    """Check and normalise an air waybill number; raises ``InvalidDocument``."""
    return _parse(_normalize_air_waybill, text, "air_waybill_number")
