"""JSON Canonicalization Scheme (RFC 8785), byte for byte, and fast.

The canonical form is what ``eddsa-jcs-2022`` and ``ecdsa-jcs-2019`` hash and sign, so it must be
exact: no whitespace, object members sorted by the UTF-16 code units of their names (RFC 8785
§3.2.3), strings escaped as ECMAScript ``JSON.stringify`` does (§3.2.2.2), and numbers written as
ECMAScript ``Number.prototype.toString`` writes IEEE 754 doubles (§3.2.2.3, ECMA-262 §7.1.12.1).

Speed comes from ``orjson`` (or, where it refuses a value, the C-accelerated :mod:`json`
encoder). With sorted keys and compact output both already write RFC 8785 output, except in
three places:

1. floats: Python's ``repr`` writes ``20.0``, ``1e-05`` and ``1e+16`` where ECMAScript writes
   ``20``, ``0.00001`` and ``10000000000000000`` (``orjson`` writes ``20.0``, ``0.00001`` and
   ``1e+16``). All three agree for every non-integral float ``1e-4 <= |x| < 1e16``: they print
   the shortest round-trip digits in positional notation;
2. key order: Python compares code points, JCS compares UTF-16 code units. They disagree only
   when a dict's names mix characters above U+FFFF with characters in U+E000..U+FFFF;
3. integers: Python prints any size, while RFC 8785 §3.2.2.3 (like the ``rfc8785`` package) only
   admits integers that a double holds exactly, ``|n| <= 2**53 - 1``.

One walk over the value (:func:`_prepare_dict`, :func:`_prepare_list`) checks that every
container, name and scalar has an exact JSON type, turns integral floats below 2**53 into ints
(which print identically to ECMAScript), and raises :class:`_Exact` on anything else: other
floats, out-of-range integers, hazardous names, subclasses, tuples. Only the containers on the path
to a changed float are copied; the input is never mutated. On :class:`_Exact` the value goes
through :func:`_exact`, a plain recursive serializer that implements RFC 8785 directly and raises
the precise error. ``orjson`` refuses lone surrogates and nesting beyond 255 levels; the
:mod:`json` encoder then takes over, and lone surrogates surface as a failed UTF-8 encoding.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import TypeAlias

import orjson

from tradetrace import errors

__all__ = ["JsonValue", "canonicalize"]

JsonValue: TypeAlias = (
    "Mapping[str, JsonValue] | Sequence[JsonValue] | str | int | float | bool | None"
)
"""A JSON value as Python holds it (RFC 8259 §3).

Objects may be any mapping with string keys; arrays must be lists or tuples at run time.
"""

# The largest integer magnitude a double holds exactly (RFC 8785 §3.2.2.3; I-JSON, RFC 7493 §2.2).
_MAX_SAFE_INTEGER = 2**53 - 1
# Where repr() switches to exponent notation (Python's float_repr_style "short").
_POSITIONAL_MIN, _POSITIONAL_MAX = 1e-4, 1e16
_HIGH_BMP = re.compile("[\ue000-\uffff]")
# The walk already rejects cycles (by recursion depth), so the encoder need not track them.
_encode = json.JSONEncoder(
    ensure_ascii=False,
    separators=(",", ":"),
    sort_keys=True,
    allow_nan=False,
    check_circular=False,
).encode
_encode_string = json.encoder.encode_basestring


def canonicalize(value: JsonValue) -> bytes:
    """Serialize ``value`` to its RFC 8785 canonical UTF-8 bytes.

    Raises:
        errors.CanonicalizationError: an integer beyond ``±(2**53 - 1)`` (it would be rounded),
            NaN or an infinity, a lone surrogate, a non-string object name, a type with no JSON
            form, or nesting too deep (including a container that contains itself).
    """
    try:
        try:
            if type(value) is dict:
                prepared: JsonValue = _prepare_dict(value)
            elif type(value) is list:
                prepared = _prepare_list(value)
            else:
                raise _Exact
            try:
                return orjson.dumps(prepared, option=orjson.OPT_SORT_KEYS)
            except orjson.JSONEncodeError:
                text = _encode(prepared)
        except (_Exact, TypeError):
            # TypeError: "".join() met a name that is not a string; _exact reports it precisely.
            parts: list[str] = []
            _exact(value, parts)
            text = "".join(parts)
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise errors.CanonicalizationError("cannot canonicalize a lone surrogate") from exc
    except RecursionError as exc:
        raise errors.CanonicalizationError("cannot canonicalize: nesting too deep") from exc


class _Exact(Exception):
    """The fast path cannot guarantee RFC 8785 output for this value."""


def _prepare_dict(obj: dict[str, JsonValue]) -> dict[str, JsonValue]:
    names = "".join(obj)  # TypeError unless every name is a str
    if not names.isascii() and _HIGH_BMP.search(names) and max(names) > "\uffff":
        raise _Exact
    copy: dict[str, JsonValue] | None = None
    # The checks are inlined for speed: this loop runs once per member of every object.
    for name, item in obj.items():
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if type(item) is int:
            if -_MAX_SAFE_INTEGER <= item <= _MAX_SAFE_INTEGER:
                continue
            raise _Exact
        new = _prepare_other(item)
        if new is not item:
            if copy is None:
                copy = dict(obj)
            copy[name] = new
    return obj if copy is None else copy


def _prepare_list(array: list[JsonValue]) -> list[JsonValue]:
    copy: list[JsonValue] | None = None
    for index, item in enumerate(array):
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if type(item) is int:
            if -_MAX_SAFE_INTEGER <= item <= _MAX_SAFE_INTEGER:
                continue
            raise _Exact
        new = _prepare_other(item)
        if new is not item:
            if copy is None:
                copy = list(array)
            copy[index] = new
    return array if copy is None else copy


def _prepare_other(item: JsonValue) -> JsonValue:
    """Prepare a float or a container, or raise :class:`_Exact` for anything else."""
    if type(item) is float:
        if not item.is_integer():
            if _POSITIONAL_MIN <= abs(item) < _POSITIONAL_MAX:
                return item
        elif -_MAX_SAFE_INTEGER <= item <= _MAX_SAFE_INTEGER:
            return int(item)  # also maps -0.0 to 0, as ECMAScript prints it
    elif type(item) is dict:
        return _prepare_dict(item)
    elif type(item) is list:
        return _prepare_list(item)
    raise _Exact


def _exact(value: object, parts: list[str]) -> None:
    """Append the RFC 8785 serialization of ``value`` to ``parts`` (RFC 8785 §3.2)."""
    if value is None:
        parts.append("null")
    elif isinstance(value, bool):
        parts.append("true" if value else "false")
    elif isinstance(value, int):
        if not -_MAX_SAFE_INTEGER <= value <= _MAX_SAFE_INTEGER:
            raise errors.CanonicalizationError(
                f"integer outside the JSON safe range ±(2**53 - 1): {int(value)}"
            )
        parts.append(int.__repr__(value))
    elif isinstance(value, str):
        parts.append(_encode_string(value))
    elif isinstance(value, float):
        parts.append(_format_number(float(value)))
    elif isinstance(value, list | tuple):
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _exact(item, parts)
        parts.append("]")
    elif isinstance(value, Mapping):
        if not all(isinstance(name, str) for name in value):
            raise errors.CanonicalizationError("object member names must be strings")
        parts.append("{")
        for index, name in enumerate(sorted(value, key=_utf16_key)):
            if index:
                parts.append(",")
            parts.append(_encode_string(name))
            parts.append(":")
            _exact(value[name], parts)
        parts.append("}")
    else:
        raise errors.CanonicalizationError(f"no JSON form for type {type(value).__name__}")


def _utf16_key(name: str) -> bytes:
    # Big-endian UTF-16 bytes compare exactly as UTF-16 code units do (RFC 8785 §3.2.3).
    return name.encode("utf-16-be")


def _format_number(number: float) -> str:
    """ECMAScript ``Number::toString`` of a double (ECMA-262 §7.1.12.1, RFC 8785 §3.2.2.3)."""
    if not math.isfinite(number):
        raise errors.CanonicalizationError(f"{number} has no JSON form")
    if number == 0:
        return "0"  # ECMAScript prints -0 as 0
    if number < 0:
        return "-" + _format_number(-number)
    # repr() gives the shortest digits that round-trip, as ECMAScript requires; only the layout
    # differs. Write the value as 0.DIGITS x 10**point, the (k, n) of ECMA-262 §7.1.12.1.
    mantissa, _, exponent = repr(number).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len(digits))
    digits = digits.rstrip("0")
    count = len(digits)
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    power = point - 1
    sign = "+" if power > 0 else "-"
    head = digits if count == 1 else digits[0] + "." + digits[1:]
    return f"{head}e{sign}{abs(power)}"
