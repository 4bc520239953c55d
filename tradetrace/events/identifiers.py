"""GS1 identification keys: check digits and structural checks.

GS1 General Specifications §7.9 (check digit calculation): from the right, digits are weighted
3, 1, 3, 1, ... and the check digit brings the weighted sum to a multiple of ten.
"""

from __future__ import annotations

from tradetrace.types import Gln

__all__ = ["gs1_check_digit", "is_valid_gln", "parse_gln"]


def gs1_check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit for ``digits`` (the key without its check digit).

    GS1 General Specifications §7.9.1. Raises :class:`ValueError` for non-digits.
    """
    if not digits or not digits.isascii() or not digits.isdigit():
        raise ValueError(f"expected decimal digits, got {digits!r}")
    total = 0
    for position, char in enumerate(reversed(digits)):
        total += int(char) * (3 if position % 2 == 0 else 1)
    return (10 - total % 10) % 10


def is_valid_gln(value: str) -> bool:
    """Whether ``value`` is a 13-digit Global Location Number with a correct check digit."""
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return False
    return gs1_check_digit(value[:-1]) == int(value[-1])


def parse_gln(value: str) -> Gln:
    """Return ``value`` as a :data:`Gln`, raising :class:`ValueError` when it is not one."""
    if not is_valid_gln(value):
        raise ValueError(f"not a valid GLN (13 digits with a GS1 check digit): {value!r}")
    return Gln(value)
