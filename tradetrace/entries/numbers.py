"""Entry numbers, filer codes and port codes, each parsed once and returned in one normal form.

**Entry number** (19 CFR 142.3a; CBP Form 7501 instructions, block 1; CBP CATAIR Appendix E,
"Valid Entry Numbers"): ``XXX-NNNNNNN-C``, an entry filer code of three letters or digits that
CBP assigns (any of the patterns NNN, ANN, AAN, AAA, ANA, NAN, NNA, NAA; ``000`` is never
assigned), a 7-digit transaction number the filer assigns, and a check digit computed from the
first ten characters:

1. Each letter of the filer code becomes a digit: A-I are 1-9, J-R are 1-9, S-Z are 2-9.
2. Of the ten digits, those in the even positions (2nd, 4th, ... 10th) are doubled, and a doubled
   value of 10 or more counts as the sum of its two digits.
3. The doubled values and the digits in the odd positions are added; the check digit is what
   brings that sum up to the next multiple of ten (0 when it already is one).

This is the Luhn (mod 10) scheme over the numeric filer code and transaction number. customs.md
does not give the formula; it is CATAIR Appendix E's, whose worked example is filer ``B76`` and
transaction ``0324527``, check digit 8 (``B76-0324527-8``), and the test vectors in
``tests/entries/test_numbers.py`` are checked by hand against it.

**Port code** (CBP Schedule D, as CBP Form 7501 blocks 7 and 20 use it): four digits, the district
(two) and the port within it (two), such as ``2704`` Los Angeles or ``2304`` Laredo.
"""

from __future__ import annotations

import re

from tradetrace.errors import FieldProblem, InvalidDocument

__all__ = [
    "entry_check_digit",
    "filer_code_of",
    "parse_entry_number",
    "parse_filer_code",
    "parse_port_code",
]

_FILER = re.compile(r"^[A-Z0-9]{3}$")
_ENTRY = re.compile(r"^([A-Z0-9]{3})-?(\d{7})-?(\d)$")
_PORT = re.compile(r"^\d{4}$")
# CATAIR Appendix E: the alphabet in three groups, each numbered from 1 (S starts at 2).
_LETTER_DIGITS = {
    **{letter: index + 1 for index, letter in enumerate("ABCDEFGHI")},
    **{letter: index + 1 for index, letter in enumerate("JKLMNOPQR")},
    **{letter: index + 2 for index, letter in enumerate("STUVWXYZ")},
}


def _invalid(field: str, reason: str) -> InvalidDocument:
    return InvalidDocument(f"invalid {field}: {reason}", problems=(FieldProblem(field, reason),))


def _filer_code_reason(code: str) -> str | None:
    if _FILER.match(code) is None:
        return f"expected a filer code of 3 letters or digits, got {code!r}"
    if code == "000":
        return "filer code 000 is never assigned"
    return None


def parse_filer_code(text: str, *, field: str = "filer_code") -> str:
    """Return a CBP entry filer code upper-cased (CATAIR Appendix E).

    Raises :class:`InvalidDocument` naming ``field`` for anything but three letters or digits,
    or for ``000``.
    """
    code = text.strip().upper()
    reason = _filer_code_reason(code)
    if reason is not None:
        raise _invalid(field, reason)
    return code


def entry_check_digit(filer_code: str, transaction: str) -> int:
    """The check digit of an entry number (CATAIR Appendix E, described in the module docstring).

    ``filer_code`` is three letters or digits, ``transaction`` seven digits. Raises
    :class:`InvalidDocument` (field ``entry_number``) for anything else.
    """
    code = filer_code.strip().upper()
    if _FILER.match(code) is None or len(transaction) != 7 or not transaction.isdigit():
        raise _invalid(
            "entry_number",
            f"expected a 3-character filer code and 7 digits, got {filer_code!r} {transaction!r}",
        )
    digits = [_LETTER_DIGITS.get(char) or int(char) for char in code] + [
        int(char) for char in transaction
    ]
    total = 0
    for position, digit in enumerate(digits, start=1):
        if position % 2 == 0:
            doubled = digit * 2
            total += doubled - 9 if doubled > 9 else doubled
        else:
            total += digit
    return (10 - total % 10) % 10


def _entry_number_reason(text: str) -> tuple[str | None, str]:
    """``(reason, normal form)``: the reason is ``None`` when ``text`` is a valid number."""
    match = _ENTRY.match(text.strip().upper())
    if match is None:
        return f"expected an entry number like B76-0324527-8, got {text!r}", ""
    filer, transaction, check = match.groups()
    reason = _filer_code_reason(filer)
    if reason is not None:
        return reason, ""
    expected = entry_check_digit(filer, transaction)
    if int(check) != expected:
        reason = f"check digit should be {expected} (CATAIR Appendix E), got {check} in {text!r}"
        return reason, ""
    return None, f"{filer}-{transaction}-{check}"


def parse_entry_number(text: str, *, field: str = "entry_number") -> str:
    """Return an entry number as ``XXX-NNNNNNN-C``, its check digit verified.

    Hyphens are optional on input (``B7603245278`` or ``b76-0324527-8``). Raises
    :class:`InvalidDocument` naming ``field`` for a malformed number, an unassigned filer code or
    a wrong check digit (19 CFR 142.3a; CATAIR Appendix E).
    """
    reason, number = _entry_number_reason(text)
    if reason is not None:
        raise _invalid(field, reason)
    return number


def filer_code_of(entry_number: str) -> str:
    """The filer code of an entry number already in normal form (its first three characters)."""
    return entry_number[:3]


def parse_port_code(text: str, *, field: str = "port_of_entry") -> str:
    """Return a 4-digit CBP port code (Schedule D: district and port, ``2704``).

    Raises :class:`InvalidDocument` naming ``field`` for anything else, or for district ``00``.
    """
    code = text.strip()
    if _PORT.match(code) is None or code.startswith("00"):
        raise _invalid(field, f"expected a 4-digit CBP port code (Schedule D), got {text!r}")
    return code
