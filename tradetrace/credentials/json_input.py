"""JSON input for verification: strict parsing with limits, and the fast RFC 8785 path.

Credentials arrive as bytes. :func:`parse_json` reads them once (STYLE.md rule 3): strict UTF-8
(RFC 8259 §8.1), no ``NaN``/``Infinity`` constants, a size cap and a nesting cap. Duplicate member
names keep the last value, as RFC 7515 §5.2 and RFC 7519 §4 allow ("use a JSON parser that
returns only the lexically last duplicate member name").

``orjson`` parses first (about three times faster than :mod:`json`), and its value is kept only
when it is the value the exact parser (:mod:`json` with number hooks, or pydantic-core for a JWS
payload) returns. Anything ``orjson`` refuses goes to the exact parser, which then names the
error, or takes what it takes (a lone surrogate escape), exactly as before. ``orjson`` reads an
integer beyond 64 bits as a float: for a JWS payload, text with a run of 19 digits goes to the
exact parser; for JCS the number checks below catch such a float.

For JCS the value is also marked *JCS-ready* when ``orjson``'s sorted, compact output is its
RFC 8785 form byte for byte, so :func:`canonical_json` writes it in one C call. The two agree on
structure, whitespace and string escaping (RFC 8785 §3.2.2.2 is ECMAScript's minimal escaping, as
``orjson``'s); they differ only in

1. numbers (RFC 8785 §3.2.2.3): ``orjson`` writes ``20.0`` for ECMAScript's ``20``, uses exponent
   notation below 1e-5 and from 1e16 on where ECMAScript is positional from 1e-6 to 1e21, and
   writes integers beyond ``±(2**53 - 1)``, which RFC 8785 refuses. Any other float is
   non-integral and in ``[1e-5, 1e16)``, where both write the shortest digits that round-trip,
   positionally. (With at most 15 significant digits those digits are unique, as any two such
   decimals are different doubles; longer ones are the closest to the double in both, which the
   property tests check against ``rfc8785`` too.) So ``orjson``'s output, written with its 53-bit
   integer limit, is exact when it holds no integral float (``.0`` before ``,``, ``}``, ``]`` or
   the end) and no exponent (a mantissa after ``:``, ``,``, ``[`` or the start, then ``e``, a
   sign, a digit: where compact JSON has a number token). Such text inside a string only costs
   the fast path; a UUID's ``…3e-5…`` is not such text, since no mantissa token precedes it;
2. member order: code points and UTF-16 code units sort alike unless a text mixes characters
   above U+FFFF with characters in U+E000..U+FFFF; such input is not JCS-ready.

Text whose ``orjson`` output fails the number checks goes to the exact parser, whose hooks turn
integral floats (``20.0``) into ints (which print as ECMAScript does) and keep other floats only
in ``1e-4 <= |x| < 1e16`` (where ``orjson`` writes them exactly, as above); any other float, or an
integer beyond ``±(2**53 - 1)``, makes the value not JCS-ready. Turning ``20.0`` into ``20``
changes no JSON semantics: JSON-LD too reads an integral number as ``xsd:integer`` (JSON-LD 1.1
API §8.6, ECMAScript has one number type). A value that is not JCS-ready is still canonicalized,
by the exact path of ``jcs.canonicalize``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final

import orjson
import pydantic_core

from tradetrace import errors
from tradetrace.credentials import jcs

__all__ = [
    "JsonInput",
    "canonical_json",
    "check_depth",
    "parse_json",
    "sorted_json",
    "sorts_as_utf16",
]

_MAX_SAFE_INTEGER: Final = 2**53 - 1
# Characters above U+FFFF (4-byte UTF-8 or a surrogate escape) and in U+E000..U+FFFF.
_ASTRAL: Final = re.compile(r"[\U00010000-\U0010ffff]|\\u[dD][89abAB]")
_HIGH_BMP: Final = re.compile(r"[\ue000-\uffff]|\\u[eEfF]")
_STRING: Final = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS: Final = bytes(set(range(256)) - set(b"[]{}"))
_SORTED: Final = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER
# What orjson writes for an integral float, and the sign of an exponent followed by a digit (the
# "e" must follow a digit too). Each pattern starts with a literal, which re finds quickly.
_INTEGRAL_FLOAT: Final = re.compile(rb"\.0(?:[,}\]]|$)")
_EXPONENTS: Final = (re.compile(rb"e-[0-9]"), re.compile(rb"e\+[0-9]"))
# The mantissa before such an "e", when it is a number token: compact JSON puts ":", "," or "["
# (or nothing, at the start) before a number. orjson's mantissas are at most 19 characters.
_MANTISSA: Final = re.compile(rb"(?:\A|[:,\[])-?[0-9]+(?:\.[0-9]+)?\Z")
_MANTISSA_REACH: Final = 24
# Every digit becomes 0: a run of 19 is the shortest integer orjson may read as a float.
_DIGITS_AS_ZERO: Final = bytes.maketrans(b"123456789", b"000000000")
_NINETEEN_DIGITS: Final = b"0" * 19


@dataclass(frozen=True, slots=True)
class JsonInput:
    """A parsed JSON value (RFC 8259), and whether ``orjson``'s sorted output is its RFC 8785
    form (see the module docstring).

    ``jcs_ready`` holds for the whole value and for every part of it.
    """

    value: Any
    jcs_ready: bool


class _NotReady(Exception):
    """A number the fast encoder would not write as RFC 8785 §3.2.2.3 requires."""


def _parse_float(text: str) -> float | int:
    value = float(text)
    if value.is_integer():
        if -_MAX_SAFE_INTEGER <= value <= _MAX_SAFE_INTEGER:
            return int(value)
    elif 1e-4 <= abs(value) < 1e16:
        return value
    raise _NotReady


def _parse_int(text: str) -> int:
    value = int(text)
    if -_MAX_SAFE_INTEGER <= value <= _MAX_SAFE_INTEGER:
        return value
    raise _NotReady


def _no_constant(name: str) -> None:
    raise errors.InvalidDocument(f"invalid JSON: {name} is not a JSON number (RFC 8259 §6)")


# Built once: json.loads with any keyword argument builds a new decoder on every call.
_decode = json.JSONDecoder(parse_constant=_no_constant).decode
_decode_for_jcs = json.JSONDecoder(
    parse_float=_parse_float, parse_int=_parse_int, parse_constant=_no_constant
).decode


def parse_json(
    data: bytes | str, *, max_bytes: int, max_depth: int, for_jcs: bool = True
) -> JsonInput:
    """Parse JSON text (RFC 8259) of at most ``max_bytes`` bytes and ``max_depth`` levels.

    With ``for_jcs`` false (a JWS payload, verified as bytes and never canonicalized) the value
    is never JCS-ready, and text that ``orjson`` does not take goes to pydantic-core's parser,
    as strict as :mod:`json`: the last duplicate name wins, ``NaN`` is refused, and lone
    surrogate escapes are refused too.

    Raises:
        errors.LimitExceeded: the text is too large or nested too deeply.
        errors.InvalidDocument: not UTF-8, not JSON, or a ``NaN``/``Infinity`` constant.
    """
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise errors.LimitExceeded(f"JSON input too large: at most {max_bytes} bytes, got {size}")
    fast = _parse_fast(data, for_jcs)
    if fast is not None:
        text_bytes, parsed = fast
        _check_text_depth(text_bytes, max_depth)
        return parsed
    try:
        if not for_jcs:
            value, ready = pydantic_core.from_json(data, allow_inf_nan=False), False
        else:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            try:
                value = _decode_for_jcs(text)
                ready = _sorts_as_utf16(text)
            except _NotReady:
                value, ready = _decode(text), False
    except RecursionError:
        raise errors.LimitExceeded("JSON input nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, int() digit limit, jiter
        if "recursion limit" in str(exc):
            raise errors.LimitExceeded("JSON input nested too deeply") from None
        raise errors.InvalidDocument(f"invalid JSON: {exc}") from None
    text_bytes = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    _check_text_depth(text_bytes, max_depth)
    return JsonInput(value, ready)


def _parse_fast(data: bytes | str, for_jcs: bool) -> tuple[bytes, JsonInput] | None:
    """The text as UTF-8 and its value by ``orjson``, or ``None`` when the exact parser must
    read it (see the module docstring)."""
    if isinstance(data, str):
        try:
            text = data.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: the exact parser reports it
            return None
    else:
        text = data
    if not for_jcs and _NINETEEN_DIGITS in text.translate(_DIGITS_AS_ZERO):
        return None  # for JCS, the number checks below catch such a float
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not for_jcs:
        return text, JsonInput(value, False)
    try:
        written = orjson.dumps(value, option=_SORTED)
    except orjson.JSONEncodeError:  # an integer beyond 2**53 - 1, or nesting beyond 255
        return None
    if _INTEGRAL_FLOAT.search(written) or _has_exponent(written):
        return None  # (or such text inside a string, which only costs the fast path)
    return text, JsonInput(value, _bytes_sort_as_utf16(text))


def sorted_json(value: Any) -> bytes | None:
    """``orjson``'s sorted, compact output of ``value``, or ``None`` when that may not be its
    RFC 8785 form: an integer beyond ``±(2**53 - 1)``, nesting ``orjson`` refuses, an integral
    float or exponent notation (the number checks of the module docstring).

    For a value ``orjson`` read from text that :func:`sorts_as_utf16`, a result is what
    :func:`canonical_json` writes for it; the number checks are those :func:`parse_json` runs.
    """
    try:
        written = orjson.dumps(value, option=_SORTED)
    except orjson.JSONEncodeError:
        return None
    if _INTEGRAL_FLOAT.search(written) or _has_exponent(written):
        return None
    return written


def sorts_as_utf16(text: bytes) -> bool:
    """Whether every member name of the UTF-8 JSON ``text`` sorts by code point as by UTF-16
    code unit (RFC 8785 §3.2.3), so ``orjson``'s key order is the canonical one."""
    return _bytes_sort_as_utf16(text)


def _has_exponent(written: bytes) -> bool:
    """Whether ``orjson`` wrote a number in exponent notation: a mantissa that follows ``:``,
    ``,``, ``[`` or the start, then ``e``, a sign and a digit.

    Text such as a UUID's ``…3e-5…`` inside a string has no such mantissa before it, so it does
    not count (a string that spells one, ``":1e-5"``, still does, which only costs the fast
    path).
    """
    for pattern in _EXPONENTS:
        if pattern.search(written):  # usually no match at all ("e-1" is rare text)
            for found in pattern.finditer(written):
                end = found.start()
                if _MANTISSA.search(written, max(0, end - _MANTISSA_REACH), end):
                    return True
    return False


def _check_text_depth(text: bytes, max_depth: int) -> None:
    """:func:`check_depth` on the UTF-8 text of a valid JSON value, at C speed.

    A value with at most ``max_depth`` containers cannot be deeper, which settles most
    credentials at once. Otherwise, with the strings removed, only the brackets are kept; each
    pass then deletes the innermost ``{}`` and ``[]`` pairs, so the passes count the depth.
    """
    if text.count(b"{") + text.count(b"[") <= max_depth:
        return
    # Drop the strings: each quote delimits one, unless a string holds an escaped quote.
    bare = _STRING.sub(b"", text) if b'\\"' in text else b"".join(text.split(b'"')[::2])
    brackets = bare.translate(None, _NOT_BRACKETS)
    for _ in range(max_depth):
        if not brackets:
            return
        brackets = brackets.replace(b"{}", b"").replace(b"[]", b"")
    if brackets:
        raise errors.LimitExceeded(f"JSON input nested deeper than {max_depth} levels")


def _sorts_as_utf16(text: str) -> bool:
    """Whether code point order of every member name equals UTF-16 order (RFC 8785 §3.2.3)."""
    if text.isascii() and "\\u" not in text:
        return True
    return not (_ASTRAL.search(text) and _HIGH_BMP.search(text))


def _bytes_sort_as_utf16(text: bytes) -> bool:
    """:func:`_sorts_as_utf16` of UTF-8 text; a backslash is rare, and quick to look for."""
    if text.isascii() and (b"\\" not in text or b"\\u" not in text):
        return True
    return _sorts_as_utf16(text.decode("utf-8"))


def check_depth(value: Any, max_depth: int) -> None:
    """Refuse a value with more than ``max_depth`` levels of nested arrays and objects
    (RFC 8259 §9 lets a parser limit nesting depth).

    Raises:
        errors.LimitExceeded: the value is nested too deeply.
    """
    level: list[Any] = [value]
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            raise errors.LimitExceeded(f"JSON input nested deeper than {max_depth} levels")
        inner: list[Any] = []
        for item in level:
            members = item.values() if type(item) is dict else item if type(item) is list else ()
            inner.extend(member for member in members if type(member) in (dict, list))
        level = inner


def canonical_json(value: Any, *, jcs_ready: bool) -> bytes:
    """The RFC 8785 (JCS) bytes of ``value``: by ``orjson`` when ``jcs_ready``, else by
    :func:`tradetrace.credentials.jcs.canonicalize`.

    Raises:
        errors.CanonicalizationError: the value has no canonical form (see ``jcs.canonicalize``).
    """
    if jcs_ready:
        try:
            return orjson.dumps(value, option=_SORTED)
        except orjson.JSONEncodeError:
            pass  # a lone surrogate read by the exact parser: jcs.canonicalize names it
    return jcs.canonicalize(value)
