"""JSON input for verification: strict parsing with limits, and the fast RFC 8785 path.

Credentials arrive as bytes. :func:`parse_json` reads them once (STYLE.md rule 3): strict UTF-8
(RFC 8259 §8.1), no ``NaN``/``Infinity`` constants, a size cap and a nesting cap. Duplicate member
names keep the last value, as RFC 7515 §5.2 and RFC 7519 §4 allow ("use a JSON parser that
returns only the lexically last duplicate member name"); Python's parser does exactly that.

While parsing, the number hooks also decide whether the value is *JCS-ready*: whether the C
encoder with sorted keys and compact separators writes its RFC 8785 form byte for byte, so
:func:`canonical_json` can skip the checking walk of ``jcs.canonicalize``. The two differ only
where :mod:`~tradetrace.credentials.jcs` says:

1. numbers: integral floats (``20.0``) are turned into ints, which both print as ECMAScript does;
   other floats are kept when ``1e-4 <= |x| < 1e16`` (both print the shortest round-trip digits
   positionally); any other float, or an integer beyond ``±(2**53 - 1)``, makes the value not
   JCS-ready. Turning ``20.0`` into ``20`` changes no JSON semantics: JSON-LD too reads an
   integral number as ``xsd:integer`` (JSON-LD 1.1 API §8.6, ECMAScript has one number type);
2. member order: code points and UTF-16 code units sort alike unless a text mixes characters
   above U+FFFF with characters in U+E000..U+FFFF; such input is not JCS-ready.

A value that is not JCS-ready is still canonicalized, by the exact path of ``jcs.canonicalize``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final

import pydantic_core

from tradetrace import errors
from tradetrace.credentials import jcs

__all__ = ["JsonInput", "canonical_json", "check_depth", "parse_json"]

_MAX_SAFE_INTEGER: Final = 2**53 - 1
# Characters above U+FFFF (4-byte UTF-8 or a surrogate escape) and in U+E000..U+FFFF.
_ASTRAL: Final = re.compile(r"[\U00010000-\U0010ffff]|\\u[dD][89abAB]")
_HIGH_BMP: Final = re.compile(r"[\ue000-\uffff]|\\u[eEfF]")
_STRING: Final = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS: Final = bytes(set(range(256)) - set(b"[]{}"))
_encode = json.JSONEncoder(
    ensure_ascii=False,
    separators=(",", ":"),
    sort_keys=True,
    allow_nan=False,
    check_circular=False,
).encode


@dataclass(frozen=True, slots=True)
class JsonInput:
    """A parsed JSON value (RFC 8259), and whether the plain encoder writes its RFC 8785 form.

    ``jcs_ready`` holds for the whole value and for every part of it.
    """

    value: Any
    jcs_ready: bool


class _NotReady(Exception):
    """A number the plain encoder would not write as RFC 8785 §3.2.2.3 requires."""


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

    With ``for_jcs`` false (a JWS payload, verified as bytes and never canonicalized) the text
    goes to pydantic-core's parser, about twice as fast as :mod:`json` and as strict: the last
    duplicate name wins, ``NaN`` is refused, and lone surrogate escapes are refused too. The
    value is then never JCS-ready.

    Raises:
        errors.LimitExceeded: the text is too large or nested too deeply.
        errors.InvalidDocument: not UTF-8, not JSON, or a ``NaN``/``Infinity`` constant.
    """
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise errors.LimitExceeded(f"JSON input too large: at most {max_bytes} bytes, got {size}")
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
    """The RFC 8785 (JCS) bytes of ``value``: by the plain encoder when ``jcs_ready``, else by
    :func:`tradetrace.credentials.jcs.canonicalize`.

    Raises:
        errors.CanonicalizationError: the value has no canonical form (see ``jcs.canonicalize``).
    """
    if not jcs_ready:
        return jcs.canonicalize(value)
    try:
        return _encode(value).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise errors.CanonicalizationError("cannot canonicalize a lone surrogate") from exc
