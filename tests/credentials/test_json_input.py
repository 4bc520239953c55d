"""Tests for tradetrace.credentials.json_input: the orjson fast path returns what the exact parser
returns, and its canonical form is byte for byte the rfc8785 package's and jcs.canonicalize's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pydantic_core
import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace import errors
from tradetrace.credentials import jcs, json_input

SAFE = 2**53 - 1
MILL_TEST_REPORT = Path(__file__).parents[1] / "assets" / "vc" / "content"

# Where orjson's number layout parts from ECMAScript's (RFC 8785 §3.2.2.3), where orjson reads an
# integer as a float, and where two shortest decimals could tie; plus ordinary values.
EDGE_FLOATS = st.sampled_from(
    [
        0.0,
        -0.0,
        20.0,
        -3.0,
        1e-7,
        1.5e-7,
        1e-6,
        9.99e-6,
        1e-5,
        1.5e-5,
        1e-4,
        0.1,
        0.0189,
        16.558,
        333333333.3333332,
        1424953923781206.2,
        1125899906842624.2,
        4503599627370495.5,
        1e15,
        1e16,
        1e21,
        1e22,
        5e-324,
        1.7976931348623157e308,
    ]
)
FLOATS = (
    st.floats(allow_nan=False, allow_infinity=False)
    | EDGE_FLOATS
    | st.integers(-(10**12), 10**12).map(lambda n: n / 1000)
    | st.floats(min_value=1e-6, max_value=1e-4)
    | st.floats(min_value=1e15, max_value=1e22)
)
INTEGERS = st.integers(-(2**70), 2**70) | st.sampled_from(
    [SAFE, SAFE + 1, -SAFE, -SAFE - 1, 2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1]
)
# Names that make UTF-16 and code point order disagree (RFC 8785 §3.2.3), plus plain ones.
NAMES = st.text() | st.sampled_from(["\ue000", "\uffff", "\U0001f600", "\U00010000x", "a", "é"])
# Strings that need escapes, and strings that look like numbers to the fast path's checks.
STRINGS = st.text() | st.sampled_from(
    ['"', "\\", '\\"', "\b\f\n\r\t", "\x00\x1f\x7f", "\u2028\u2029", "x.0,", "1e-5", "7.0]", "2e+9"]
)
SCALARS = st.none() | st.booleans() | INTEGERS | FLOATS | STRINGS
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(NAMES, inner, max_size=5)
)
# Number literals as JSON allows them, including forms no serializer writes (1.50, 1E5, -0).
NUMBER_TEXTS = st.from_regex(
    r"-?(0|[1-9][0-9]{0,21})(\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?", fullmatch=True
)


class _NotReady(Exception):
    pass


def _float(text: str) -> float | int:
    value = float(text)
    if value.is_integer():
        if abs(value) <= SAFE:
            return int(value)
    elif 1e-4 <= abs(value) < 1e16:
        return value
    raise _NotReady


def _int(text: str) -> int:
    if abs(value := int(text)) <= SAFE:
        return value
    raise _NotReady


def _exact_value(text: str | bytes, *, for_jcs: bool) -> Any:
    """What parse_json returned before orjson: json with the number hooks, or pydantic-core."""
    if not for_jcs:
        return pydantic_core.from_json(text, allow_inf_nan=False)
    text = text.decode() if isinstance(text, bytes) else text
    try:
        return json.loads(text, parse_float=_float, parse_int=_int)
    except _NotReady:
        return json.loads(text)


def _typed(value: Any) -> Any:
    """``value`` with every scalar tagged by its type, so 20 and 20.0 (and True and 1) differ."""
    if isinstance(value, dict):
        return {name: _typed(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


def _check_text(text: str | bytes) -> None:
    for for_jcs in (True, False):
        parsed = json_input.parse_json(text, max_bytes=10**7, max_depth=100, for_jcs=for_jcs)
        assert _typed(parsed.value) == _typed(_exact_value(text, for_jcs=for_jcs))
        assert not parsed.jcs_ready or for_jcs
    parsed = json_input.parse_json(text, max_bytes=10**7, max_depth=100)
    try:
        expected = rfc8785.dumps(json.loads(text))
    except (rfc8785.IntegerDomainError, rfc8785.FloatDomainError, UnicodeError):
        with pytest.raises(errors.CanonicalizationError) as caught:
            json_input.canonical_json(parsed.value, jcs_ready=parsed.jcs_ready)
        assert caught.value.code == "canonicalization_failed"
        return
    assert json_input.canonical_json(parsed.value, jcs_ready=parsed.jcs_ready) == expected
    assert jcs.canonicalize(json.loads(text)) == expected


@settings(max_examples=600, deadline=None)
@given(VALUES, st.booleans(), st.sampled_from([None, 1]))
def test_parse_json_and_canonical_form_match_the_exact_path_and_rfc8785(value, ascii_only, indent):
    _check_text(json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode())


@settings(max_examples=400, deadline=None)
@given(VALUES, st.booleans())
def test_sorted_json_is_the_canonical_form_or_none(value, ascii_only):
    # The verifier's fast lane hashes sorted_json's output as the RFC 8785 form of a value
    # orjson read from text whose member names sort as UTF-16 does.
    text = json.dumps(value, ensure_ascii=ascii_only).encode()
    try:
        read = orjson.loads(text)
    except orjson.JSONDecodeError:
        return  # the fast lane leaves such text to the pipeline
    written = json_input.sorted_json(read)
    if written is None or not json_input.sorts_as_utf16(text):
        return
    assert written == rfc8785.dumps(json.loads(text))
    parsed = json_input.parse_json(text, max_bytes=10**7, max_depth=1000)
    assert json_input.canonical_json(parsed.value, jcs_ready=parsed.jcs_ready) == written


def test_sorted_json_refuses_what_orjson_writes_unlike_rfc8785():
    for value in ({"n": 20.0}, {"n": 1e-7}, {"n": 1e16}, {"n": 2**53}):
        assert json_input.sorted_json(value) is None
    assert json_input.sorted_json({"b": [0.5, "x"], "a": 1}) == b'{"a":1,"b":[0.5,"x"]}'
    assert json_input.sorted_json({"s": "x.0,"}) is None  # such text only costs the fast path
    assert not json_input.sorts_as_utf16('{"\ue000":1,"\U0001f600":2}'.encode())


@settings(max_examples=400, deadline=None)
@given(st.lists(NUMBER_TEXTS, min_size=1, max_size=4))
def test_every_number_spelling_parses_and_canonicalizes_exactly(numbers):
    _check_text(f'{{"n": [{", ".join(numbers)}], "x": {{"k": {numbers[0]}}}}}')


@settings(max_examples=300, deadline=None)
@given(FLOATS)
def test_fast_canonical_form_of_a_float_is_rfc8785s(number):
    parsed = json_input.parse_json(json.dumps({"n": number}), max_bytes=1000, max_depth=5)
    assert json_input.canonical_json(parsed.value, jcs_ready=parsed.jcs_ready) == rfc8785.dumps(
        {"n": number}
    )


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        ('{"a": [1, -2, 0.0189, 16.558, 1.5e-5, 4503599627370495.5], "b": true}', True),
        ('{"a": "\\ud83d\\ude00 \\u00e9 \\" \\\\"}', True),
        ('{"a": 20.0}', False),
        ('{"a": -0.0}', False),
        ('{"a": 1e-6}', False),
        ('{"a": 1e16}', False),
        ('{"a": 9007199254740992}', False),
        ('{"a": 123456789012345678901234567890}', False),
        ('{"a": "text that looks like 7.0, a number"}', False),
        ('{"id": "urn:uuid:2f1c8a3e-5b7d-4c1e-9a2b-3c4d5e6f7a8b"}', True),
        ('{"a": "1e-5", "b": "v2e+9"}', True),
        ('{"a": "x:1e-5"}', False),
        ('{"a": "[2.5e+7"}', False),
        ('{"a": [0.5, -1.25e-7]}', False),
        ("2e+21", False),
        ('{"a": NaN}', False),
        ('{"a": "\\ud800"}', False),
        ("[" * 300 + "]" * 300, False),
    ],
)
def test_fast_path_takes_only_what_orjson_reads_and_writes_exactly(text, fast):
    assert (json_input._parse_fast(text, True) is not None) is fast


@pytest.mark.parametrize(
    ("written", "found"),
    [
        (b"1e-7", True),
        (b"-1.2345678901234568e+20", True),
        (b'{"a":[1,2e+21]}', True),
        (b'{"a":-1.5e-6,"b":"x"}', True),
        (b'{"id":"urn:uuid:2f1c8a3e-5b7d-4c1e-9a2b-3c4d5e6f7a8b"}', False),
        (b'{"a":"1e-5"}', False),
        (b'{"a":"' + b"1" * 40 + b'e-5"}', False),
        (b'{"a":"x,1e-5"}', True),  # a string that spells a token: only costs the fast path
        (b'{"a":"9e"}', False),
    ],
)
def test_exponent_check_looks_for_number_tokens(written, found):
    assert json_input._has_exponent(written) is found


def test_fast_path_takes_the_benchmark_credential():
    text = (MILL_TEST_REPORT / "valid-mill-test-report.json").read_bytes()
    fast = json_input._parse_fast(text, True)
    assert fast is not None
    assert fast[1].jcs_ready
    assert json_input.canonical_json(fast[1].value, jcs_ready=True) == rfc8785.dumps(
        json.loads(text)
    )


def test_jws_payload_keeps_integers_beyond_64_bits():
    text = (
        b'{"exp": 123456789012345678901234567890, '
        b'"n": [18446744073709551616, -9223372036854775809]}'
    )
    parsed = json_input.parse_json(text, max_bytes=1000, max_depth=5, for_jcs=False)
    assert parsed.value == {
        "exp": 123456789012345678901234567890,
        "n": [18446744073709551616, -9223372036854775809],
    }
    assert json_input._parse_fast(text, False) is None
    assert json_input._parse_fast(b'{"n": -999999999999999999}', False) is not None


@pytest.mark.parametrize(
    ("text", "for_jcs", "match"),
    [
        ('{"a": 1,}', True, "invalid JSON: Expecting property name enclosed in double quotes"),
        ('{"a": 1,}', False, "invalid JSON: trailing comma"),
        (b'\xef\xbb\xbf{"a": 1}', True, "invalid JSON: Expecting value: line 1 column 1"),
        ('{"a": Infinity}', True, "Infinity is not a JSON number"),
        ('{"a": "\\ud800"}', False, "invalid JSON: unexpected end of hex escape"),
    ],
)
def test_refused_input_gets_the_exact_parsers_message(text, for_jcs, match):
    with pytest.raises(errors.InvalidDocument, match=match) as caught:
        json_input.parse_json(text, max_bytes=1000, max_depth=5, for_jcs=for_jcs)
    assert caught.value.code == "invalid_document"


@pytest.mark.parametrize("for_jcs", [True, False])
def test_nesting_beyond_what_orjson_reads_is_still_bounded(for_jcs):
    with pytest.raises(errors.LimitExceeded, match="nested too deeply") as caught:
        json_input.parse_json(
            "[" * 5000 + "]" * 5000, max_bytes=10**5, max_depth=10**4, for_jcs=for_jcs
        )
    assert caught.value.code == "limit_exceeded"
    with pytest.raises(errors.LimitExceeded, match="nested deeper than 64 levels"):
        json_input.parse_json("[" * 300 + "]" * 300, max_bytes=10**5, max_depth=64, for_jcs=for_jcs)


def test_canonical_json_of_a_ready_value_with_a_lone_surrogate_names_it():
    # The exact parser takes the escape and marks the value ready; orjson cannot write it.
    parsed = json_input.parse_json('{"a": "\\udc00"}', max_bytes=100, max_depth=5)
    assert parsed.jcs_ready
    with pytest.raises(errors.CanonicalizationError, match="lone surrogate") as caught:
        json_input.canonical_json(parsed.value, jcs_ready=True)
    assert caught.value.code == "canonicalization_failed"
