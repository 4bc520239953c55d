"""GS1 identification keys: check digits, key syntax and the identifier value type.

GS1 General Specifications §7.9 (check digit calculation): from the right, digits are weighted
3, 1, 3, 1, ... and the check digit brings the weighted sum to a multiple of ten. Key formats
are those of the GS1 Application Identifiers (General Specifications §3.2 and §3.9):
(00) SSCC, (01) GTIN, (253) GDTI, (255) GCN, (401) GINC, (402) GSIN, (414) GLN,
(417) party GLN, (8003) GRAI, (8004) GIAI, (8006) ITIP, (8010) CPID, (8017) GSRN-P and
(8018) GSRN. :class:`Gs1Identifier` is one identified object or class of objects, as the
GS1 EPC Tag Data Standard (TDS) 2.x §6 names its EPC schemes. The URI syntaxes live in
:mod:`tradetrace.events.epc_uri` and :mod:`tradetrace.events.digital_link`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from tradetrace.errors import InvalidDocument
from tradetrace.types import Gln, Gtin

__all__ = [
    "EpcScheme",
    "Gs1Identifier",
    "KeyType",
    "gs1_check_digit",
    "is_valid_gln",
    "is_valid_gtin",
    "parse_gln",
    "parse_gtin",
    "validate_key",
]

# GS1 General Specifications §7.11: AI encodable character set 82 (file-safe printable ASCII
# minus space, '#', '$', '@', '[', '\\', ']', '^', '`', '{', '|', '}', '~') and set 39.
_CSET82 = r"[!\"%-?A-Z_a-z]"
_CSET39 = r"[#\-/0-9A-Z]"
_DIGITS_RE = re.compile(r"[0-9]+")


class KeyType(StrEnum):
    """A GS1 primary identification key, valued by its Application Identifier."""

    SSCC = "00"
    GTIN = "01"
    GDTI = "253"
    GCN = "255"
    GINC = "401"
    GSIN = "402"
    GLN = "414"
    PARTY_GLN = "417"
    GRAI = "8003"
    GIAI = "8004"
    ITIP = "8006"
    CPID = "8010"
    GSRNP = "8017"
    GSRN = "8018"


class EpcScheme(StrEnum):
    """An EPC scheme of the GS1 EPC Tag Data Standard 2.x §6.3 (``lgtin`` is an EPC class)."""

    SGTIN = "sgtin"
    LGTIN = "lgtin"
    SSCC = "sscc"
    SGLN = "sgln"
    PGLN = "pgln"
    GRAI = "grai"
    GIAI = "giai"
    GSRN = "gsrn"
    GSRNP = "gsrnp"
    GDTI = "gdti"
    CPI = "cpi"
    SGCN = "sgcn"
    GINC = "ginc"
    GSIN = "gsin"
    ITIP = "itip"
    UPUI = "upui"


# (digits that carry the check digit, or 0 for none; the whole key's pattern)
_KEY_FORMATS: dict[KeyType, tuple[int, re.Pattern[str]]] = {
    KeyType.SSCC: (18, re.compile(r"[0-9]{18}")),
    KeyType.GTIN: (14, re.compile(r"[0-9]{14}")),
    KeyType.GDTI: (13, re.compile(f"[0-9]{{13}}{_CSET82}{{0,17}}")),
    KeyType.GCN: (13, re.compile(r"[0-9]{13}[0-9]{0,12}")),
    KeyType.GINC: (0, re.compile(f"{_CSET82}{{1,30}}")),
    KeyType.GSIN: (17, re.compile(r"[0-9]{17}")),
    KeyType.GLN: (13, re.compile(r"[0-9]{13}")),
    KeyType.PARTY_GLN: (13, re.compile(r"[0-9]{13}")),
    KeyType.GRAI: (14, re.compile(f"0[0-9]{{13}}{_CSET82}{{0,16}}")),
    KeyType.GIAI: (0, re.compile(f"{_CSET82}{{1,30}}")),
    KeyType.ITIP: (14, re.compile(r"[0-9]{18}")),
    KeyType.CPID: (0, re.compile(f"{_CSET39}{{1,30}}")),
    KeyType.GSRNP: (18, re.compile(r"[0-9]{18}")),
    KeyType.GSRN: (18, re.compile(r"[0-9]{18}")),
}

# Which key each scheme carries, and what its qualifier is. TDS 2.x Table 6-1 / §6.3; the
# qualifier limits are those of AIs (21), (10), (254), (235), (8011) and of the serial parts
# of (8003), (253) and (255), whose keys are held here without that serial part.
_SERIAL = re.compile(f"{_CSET82}{{1,20}}")
_SCHEMES: dict[EpcScheme, tuple[KeyType, int | None, re.Pattern[str] | None, bool]] = {
    # scheme: (key type, exact key length if the AI also holds a serial, qualifier, required)
    EpcScheme.SGTIN: (KeyType.GTIN, None, _SERIAL, False),
    EpcScheme.LGTIN: (KeyType.GTIN, None, _SERIAL, True),
    EpcScheme.UPUI: (KeyType.GTIN, None, re.compile(f"{_CSET82}{{1,28}}"), True),
    EpcScheme.SSCC: (KeyType.SSCC, None, None, False),
    EpcScheme.SGLN: (KeyType.GLN, None, _SERIAL, False),
    EpcScheme.PGLN: (KeyType.PARTY_GLN, None, None, False),
    EpcScheme.GRAI: (KeyType.GRAI, 14, re.compile(f"{_CSET82}{{1,16}}"), False),
    EpcScheme.GIAI: (KeyType.GIAI, None, None, False),
    EpcScheme.GSRN: (KeyType.GSRN, None, None, False),
    EpcScheme.GSRNP: (KeyType.GSRNP, None, None, False),
    EpcScheme.GDTI: (KeyType.GDTI, 13, re.compile(f"{_CSET82}{{1,17}}"), False),
    EpcScheme.CPI: (KeyType.CPID, None, re.compile(r"[0-9]{1,12}"), False),
    EpcScheme.SGCN: (KeyType.GCN, 13, re.compile(r"[0-9]{1,12}"), False),
    EpcScheme.GINC: (KeyType.GINC, None, None, False),
    EpcScheme.GSIN: (KeyType.GSIN, None, None, False),
    EpcScheme.ITIP: (KeyType.ITIP, None, _SERIAL, False),
}


def gs1_check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit for ``digits`` (the key without its check digit).

    GS1 General Specifications §7.9.1. Raises :class:`ValueError` for non-digits.
    """
    if not digits or not digits.isascii() or not digits.isdigit():
        raise ValueError(f"expected decimal digits, got {digits!r}")
    # Weight 3 on the rightmost digit and every second one to its left, 1 on the others;
    # summing the ASCII codes and taking off 48 ('0') per digit is faster than int() per digit.
    codes = digits.encode("ascii")
    threes, ones = codes[::-2], codes[-2::-2]
    total = 3 * sum(threes) + sum(ones) - 48 * (3 * len(threes) + len(ones))
    return -total % 10


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


def is_valid_gtin(value: str) -> bool:
    """Whether ``value`` is a GTIN-8, -12, -13 or -14 with a correct check digit (GS1 GS §3.3.2)."""
    if len(value) not in (8, 12, 13, 14) or _DIGITS_RE.fullmatch(value) is None:
        return False
    return gs1_check_digit(value[:-1]) == int(value[-1])


def parse_gtin(value: str) -> Gtin:
    """Return ``value`` as a 14-digit :data:`Gtin`, padding GTIN-8, -12 and -13 with zeros.

    GS1 General Specifications §3.3.2 (the GTIN-14 data structure). Raises
    :class:`~tradetrace.errors.InvalidDocument` naming the expected check digit when the
    check digit is wrong.
    """
    if len(value) not in (8, 12, 13, 14):
        raise InvalidDocument(f"invalid GTIN {value!r}: expected 8, 12, 13 or 14 digits")
    return Gtin(validate_key(KeyType.GTIN, value.zfill(14)))


@lru_cache(maxsize=4096)
def validate_key(key_type: KeyType, value: str) -> str:
    """Return ``value`` if it is a well-formed ``key_type`` key with a correct check digit.

    ``value`` is the element string of the key's Application Identifier (GS1 General
    Specifications §3.2), for example the 14 digits of (01) or the 18 digits of (00); a GRAI
    is its 14-digit (8003) form with the leading zero, optionally followed by the serial
    component. Raises :class:`~tradetrace.errors.InvalidDocument` with the reason. Valid
    keys are cached: the same GTINs and GLNs recur across the events of a stream.
    """
    check_at, pattern = _KEY_FORMATS[key_type]
    if pattern.fullmatch(value) is None:
        raise InvalidDocument(
            f"invalid {_name(key_type)} {value!r}: not the AI ({key_type}) format"
        )
    if check_at:
        expected = gs1_check_digit(value[: check_at - 1])
        actual = int(value[check_at - 1])
        if expected != actual:
            reason = f"check digit expected {expected}, got {actual}"
            raise InvalidDocument(f"invalid {_name(key_type)} {value!r}: {reason}")
    return value


def _name(key_type: KeyType) -> str:
    return key_type.name.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Gs1Identifier:
    """One GS1-identified object (or class of objects) under an EPC scheme (TDS 2.x §6.3).

    ``key`` is the element string of the scheme's primary key AI, check digit included: the
    GTIN-14 for ``sgtin``, ``lgtin`` and ``upui``, the 18 digits of an SSCC, the 13 of a GLN,
    the 14-digit (8003) value of a GRAI, the 18-digit (8006) value of an ITIP, and so on.
    ``qualifier`` is the serial (``sgtin``, ``itip``, ``grai``, ``gdti``, ``sgcn``, ``cpi``),
    the lot (``lgtin``), the GLN extension (``sgln``) or the third-party-controlled serial
    (``upui``). A serialisable scheme without a serial stands for the class of objects, as
    an EPC pattern URI does (TDS §6.5). ``company_prefix_length`` is known when the
    identifier came from an EPC URI; a GS1 Digital Link URI does not carry it.
    """

    scheme: EpcScheme
    key: str
    qualifier: str | None = None
    company_prefix_length: int | None = None

    def __post_init__(self) -> None:
        key_type, key_length, qualifier_pattern, required = _SCHEMES[self.scheme]
        validate_key(key_type, self.key)
        if key_length is not None and len(self.key) != key_length:
            raise InvalidDocument(
                f"invalid {self.scheme.upper()} key {self.key!r}: expected {key_length} digits"
                " without the serial"
            )
        if self.qualifier is None:
            if required:
                raise InvalidDocument(f"invalid {self.scheme.upper()}: it needs a qualifier")
        elif qualifier_pattern is None or qualifier_pattern.fullmatch(self.qualifier) is None:
            raise InvalidDocument(
                f"invalid {self.scheme.upper()} qualifier {self.qualifier!r} for key {self.key}"
            )
        if self.company_prefix_length is not None and not 6 <= self.company_prefix_length <= 12:
            raise InvalidDocument(
                f"invalid GS1 company prefix length {self.company_prefix_length}: expected 6 to 12"
            )

    @property
    def key_type(self) -> KeyType:
        """The GS1 key type of :attr:`key`."""
        return _SCHEMES[self.scheme][0]

    @property
    def is_class(self) -> bool:
        """Whether this names a class of objects (no serial) rather than one instance."""
        return self.scheme == EpcScheme.LGTIN or (
            self.qualifier is None and self.scheme in _SERIALISABLE
        )


_SERIALISABLE = frozenset(
    {EpcScheme.SGTIN, EpcScheme.GRAI, EpcScheme.GDTI, EpcScheme.SGCN, EpcScheme.CPI}
    | {EpcScheme.ITIP}
)
