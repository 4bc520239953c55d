"""Duty rates: ad valorem, specific and compound, and the cent rounding of amounts.

A :class:`Rate` is built from the USITC tariff database fields (``*_rate_type_code``,
``*_ad_val_rate``, ``*_specific_rate``, ``*_other_rate`` and the HTS units of quantity) and, where
the database prints the rate (``mfn_text_rate``, ``col2_text_rate``), checked against that text.
The rate type codes are CBP's duty computation codes (CATAIR Appendix F, "Duty Calculation"):

====  =====================================  ====  =====================================
code  duty                                   code  duty
====  =====================================  ====  =====================================
0     free                                   4     P1 * Q1 + P2 * value
1     P1 * Q1                                5     P1 * Q2 + P2 * value
2     P1 * Q2                                6     P1 * Q1 + P2 * value + P3 * Q2
3     P1 * Q1 + P3 * Q2                      7     P2 * value
====  =====================================  ====  =====================================

P1 is the specific rate, P2 the ad valorem rate and P3 the "other" rate; Q1 and Q2 are the
quantities in the line's first and second units of quantity. Any other code (9, K, N, Q, T, X:
rates that depend on content, degrees, another subheading or a quota) is kept as text and is not
computed: :meth:`Rate.duty` raises for it rather than guess (HTSUS General Note 3 forms, as in
customs.md §2.3).

**Rounding.** Amounts are computed exactly with :class:`~decimal.Decimal` and each amount is
rounded once, at the end, to the cent with ``ROUND_HALF_UP`` (:func:`round_cents`): one half cent
or more goes up, as 19 CFR 159.3 rounds fractions of one half or more up. Values and quantities
are used as given; 19 CFR 159.3(a)-(b) whole-dollar value rounding belongs to the filer's reported
figures, not to this computation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from itertools import permutations

from tradetrace.errors import FieldProblem, InvalidDocument

__all__ = [
    "CENT",
    "Rate",
    "RateKind",
    "SpecificRate",
    "format_percent",
    "round_cents",
]

CENT = Decimal("0.01")
_PLACEHOLDER = Decimal("9999.99")  # USITC's "rate not expressible in these fields"
_AD_VALOREM = re.compile(r"(\d+(?:\.\d+)?)(?:\s+(\d+)/(\d+))?\s*%")
_SPECIFIC = re.compile(r"(?:\$(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*(?:cents?|¢))\s*(?:/\s*|\s+)(.+)")
_PER_THOUSAND = re.compile(r"(?:1,?000|thousand)\b\s*(.*)")
_TEXT_UNITS = {"kg": "KG", "liter": "L", "each": "NO", "t": "T", "m2": "M2", "lin.": "LNM"}


def round_cents(amount: Decimal) -> Decimal:
    """Round an amount in dollars to the cent, halves up (see the module docstring)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_percent(fraction: Decimal) -> str:
    """Write a fraction as a percentage without trailing zeros: ``0.0680`` → ``6.8%``."""
    text = format((fraction * 100).normalize(), "f")
    return f"{text}%"


class RateKind(StrEnum):
    """The form of a rate (HTSUS General Note 3; customs.md §2.3)."""

    FREE = "free"
    AD_VALOREM = "ad_valorem"
    SPECIFIC = "specific"
    COMPOUND = "compound"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class SpecificRate:
    """An amount in dollars per unit of quantity, the unit being an HTS unit code (``KG``)."""

    amount: Decimal
    unit: str

    def __str__(self) -> str:
        return f"${format(self.amount.normalize(), 'f')}/{self.unit}"


@dataclass(frozen=True, slots=True)
class Rate:
    """A duty rate: an ad valorem fraction plus specific amounts per unit.

    ``text`` is the rate as printed (or, for special-programme rates the database does not
    print, as written from the fields). ``problem`` is empty when the rate can be computed and
    otherwise says why not.
    """

    text: str
    _: KW_ONLY
    ad_valorem: Decimal = Decimal(0)
    specific: tuple[SpecificRate, ...] = ()
    problem: str = ""

    @property
    def kind(self) -> RateKind:
        """Free, ad valorem, specific, compound, or text that cannot be computed."""
        if self.problem:
            return RateKind.TEXT
        if self.specific and self.ad_valorem:
            return RateKind.COMPOUND
        if self.specific:
            return RateKind.SPECIFIC
        return RateKind.AD_VALOREM if self.ad_valorem else RateKind.FREE

    @property
    def units(self) -> tuple[str, ...]:
        """The units of quantity the specific parts need, in order."""
        return tuple(part.unit for part in self.specific)

    def duty(
        self, *, value: Decimal, quantities: Mapping[str, Decimal], field: str = "rate"
    ) -> Decimal:
        """Return the exact (unrounded) duty on ``value`` dollars and ``quantities`` by unit.

        Raises :class:`InvalidDocument` naming ``field`` when the rate is not computable, and
        naming ``quantities.<UNIT>`` when a quantity the rate needs is missing.
        """
        if self.problem:
            reason = f"rate {self.text!r} cannot be computed: {self.problem}"
            raise InvalidDocument(
                f"invalid {field}: {reason}", problems=(FieldProblem(field, reason),)
            )
        total = self.ad_valorem * value
        for part in self.specific:
            quantity = quantities.get(part.unit)
            if quantity is None:
                where = f"quantities.{part.unit}"
                reason = f"rate {self.text!r} needs the quantity in {part.unit}"
                raise InvalidDocument(
                    f"invalid {where}: {reason}", problems=(FieldProblem(where, reason),)
                )
            total += part.amount * quantity
        return total

    @classmethod
    def free(cls) -> Rate:
        """The rate ``Free``."""
        return cls("Free")

    @classmethod
    def from_usitc(
        cls,
        *,
        text: str | None,
        type_code: str,
        ad_valorem: str,
        specific: str,
        other: str,
        quantity_1: str,
        quantity_2: str,
    ) -> Rate:
        """Build a rate from one column's USITC fields (see the module docstring for codes).

        ``text`` is ``None`` for columns the database does not print (special programmes);
        otherwise the fields must agree with it or the rate carries a ``problem``.
        """
        code = _normal_code(type_code)
        printed = (text or "").strip()
        if code == "0":
            if text is not None and not printed.lower().startswith(("free", "no additional duty")):
                return cls(printed, problem=f"rate type 0 (free) disagrees with {printed!r}")
            return cls(printed or "Free")
        if code not in {"1", "2", "3", "4", "5", "6", "7"}:
            return cls(printed or "(no rate text)", problem=f"rate type {code or 'blank'}")
        try:
            p1, p2, p3 = (_decimal(field) for field in (specific, ad_valorem, other))
        except InvalidOperation:
            return cls(printed, problem="malformed rate fields")
        if _PLACEHOLDER in (p1, p2, p3):
            return cls(printed or "(see text)", problem="the database gives no figures")
        units = {"1": "1", "2": "2", "3": "12", "4": "1", "5": "2", "6": "12", "7": ""}[code]
        amounts = [p1, p3][: len(units)]
        parsed = _parse_text(printed) if text is not None else None
        if text is not None and parsed is None:
            return cls(printed, problem=f"cannot read the printed rate {printed!r}")
        parts: list[SpecificRate] = []
        for amount, which in zip(amounts, units, strict=True):
            unit = (quantity_1 if which == "1" else quantity_2).strip().upper()
            unit = unit or _unit_from_text(amount, parsed)
            if not unit:
                return cls(printed, problem="no unit of quantity for the specific rate")
            parts.append(SpecificRate(amount, unit))
        rate_ad_valorem = p2 if code in {"4", "5", "6", "7"} else Decimal(0)
        if parsed is not None:
            exact = _check_against_text(parsed, rate_ad_valorem, [part.amount for part in parts])
            if exact is None:
                return cls(printed, problem=f"fields disagree with the printed rate {printed!r}")
            rate_ad_valorem = exact
        text = printed or _describe(rate_ad_valorem, parts)
        return cls(text, ad_valorem=rate_ad_valorem, specific=tuple(parts))


def _normal_code(type_code: str) -> str:
    code = type_code.strip().upper()
    return code[:-2] if code.endswith(".0") else code


def _decimal(field: str) -> Decimal:
    return Decimal(field.strip()) if field.strip() else Decimal(0)


def _describe(ad_valorem: Decimal, parts: list[SpecificRate]) -> str:
    pieces = [str(part) for part in parts]
    if ad_valorem:
        pieces.append(format_percent(ad_valorem))
    return " + ".join(pieces) or "Free"


_ParsedText = tuple[list[Decimal], list[tuple[Decimal, str]]]


def _parse_text(text: str) -> _ParsedText | None:
    """Split ``6.3% + 1.9 cents/article`` into ad valorem fractions and (amount, unit) pairs."""
    percents: list[Decimal] = []
    amounts: list[tuple[Decimal, str]] = []
    for part in (piece.strip() for piece in text.split("+")):
        if match := _AD_VALOREM.fullmatch(part):
            whole, numerator, denominator = match.groups()
            percent = Decimal(whole)
            if numerator:  # "33 1/3%": the printed fraction is the legal rate
                percent += Decimal(numerator) / Decimal(denominator)
            percents.append(percent / 100)
        elif match := _SPECIFIC.fullmatch(part):
            dollars, cents, unit = match.groups()
            amount = Decimal(dollars) if dollars else Decimal(cents) / 100
            if per_thousand := _PER_THOUSAND.match(unit):
                # "89.6 cents/1000": the field holds it per unit, or per THS when that is the unit
                unit = f"per thousand {per_thousand.group(1)}".strip()
            amounts.append((amount, unit.strip()))
        else:
            return None
    return percents, amounts


def _check_against_text(
    parsed: _ParsedText, ad_valorem: Decimal, amounts: list[Decimal]
) -> Decimal | None:
    """Return the exact ad valorem rate if the fields match the text, else ``None``.

    A field may round a printed fraction (``33 1/3%`` is stored as ``0.333``): the text value is
    compared at the field's precision and, when it matches, the exact text value is returned.
    """
    percents, printed_amounts = parsed
    if len(printed_amounts) != len(amounts) or not any(
        all(_same_amount(printed, field) for printed, field in zip(order, amounts, strict=True))
        for order in permutations(printed_amounts)
    ):
        return None
    if not ad_valorem:
        return Decimal(0) if not percents else None
    if len(percents) != 1:
        return None
    places = Decimal(1).scaleb(ad_valorem.as_tuple().exponent)  # type: ignore[arg-type]
    if percents[0].quantize(places, rounding=ROUND_HALF_UP) != ad_valorem:
        return None
    return percents[0]


def _same_amount(printed: tuple[Decimal, str], field: Decimal) -> bool:
    amount, unit = printed
    if unit.startswith("per thousand") and amount / 1000 == field:
        return True
    return amount == field


def _unit_from_text(amount: Decimal, parsed: _ParsedText | None) -> str:
    for printed, unit in parsed[1] if parsed else []:
        if _same_amount((printed, unit), amount):
            return _TEXT_UNITS.get(unit.split()[0].lower(), "")
    return ""
