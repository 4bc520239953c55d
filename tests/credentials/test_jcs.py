"""Tests for tradetrace.credentials.jcs: RFC 8785 vectors, the rfc8785 package as an oracle,
and the fast path agreeing with the exact one."""

from __future__ import annotations

import collections
import enum
import json
import struct
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace import errors
from tradetrace.credentials import jcs

try:
    import rfc8785
except ImportError:  # pragma: no cover - the oracle is a test-only dependency
    rfc8785 = None  # type: ignore[assignment]

needs_rfc8785 = pytest.mark.skipif(rfc8785 is None, reason="rfc8785 is not installed")

VECTORS = Path(__file__).parents[1] / "assets" / "vectors"
CYBERPHONE = VECTORS / "cyberphone-jcs"
SAFE = 2**53 - 1

# RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text (NaN/Infinity left out).
APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]

# Names that make UTF-16 and code point order disagree (RFC 8785 §3.2.3), plus plain ones.
NAMES = st.text() | st.sampled_from(["\ue000", "\uffff", "\U0001f600", "\U00010000x", "a", "é"])
FINITE = st.floats(allow_nan=False, allow_infinity=False)
POSITIONAL = st.floats(min_value=1e-4, max_value=1e15) | st.integers(-SAFE, SAFE).map(float)
SCALARS = st.none() | st.booleans() | st.integers(-SAFE, SAFE) | FINITE | POSITIONAL | st.text()
JSON_VALUES = st.recursive(
    SCALARS, lambda children: st.lists(children) | st.dictionaries(NAMES, children), max_leaves=30
)


def _cyberphone_cases():
    for path in sorted((CYBERPHONE / "input").glob("*.json")):
        yield pytest.param(path.name, id=path.stem)


@pytest.mark.parametrize("name", list(_cyberphone_cases()))
def test_canonicalize_cyberphone_vector(name):
    value = json.loads((CYBERPHONE / "input" / name).read_text(encoding="utf-8"))
    expected = (CYBERPHONE / "output" / name).read_bytes()
    hex_text = (CYBERPHONE / "outhex" / name.replace(".json", ".txt")).read_text()
    assert jcs.canonicalize(value) == expected
    assert jcs.canonicalize(value) == bytes.fromhex("".join(hex_text.split()))


def test_cyberphone_vectors_are_all_used():
    assert len(list(_cyberphone_cases())) == 6


@pytest.mark.parametrize(
    "folder",
    [
        "w3c-vc-di-eddsa/eddsa-jcs-2022",
        "w3c-vc-di-ecdsa/ecdsa-jcs-2019-p256",
        "w3c-vc-di-ecdsa/ecdsa-jcs-2019-p384",
    ],
)
def test_canonicalize_data_integrity_vectors(folder):
    path = VECTORS / folder
    signed = json.loads(next(path.glob("signed*.json")).read_text())
    del signed["proof"]
    proof_config = json.loads(next(path.glob("proofConfig*.json")).read_text())
    assert jcs.canonicalize(signed) == next(path.glob("canonDoc*.txt")).read_bytes()
    assert jcs.canonicalize(proof_config) == next(path.glob("proofCanon*.txt")).read_bytes()


@pytest.mark.parametrize(("bits", "expected"), APPENDIX_B, ids=[bits for bits, _ in APPENDIX_B])
def test_canonicalize_rfc8785_appendix_b_numbers(bits, expected):
    number = struct.unpack(">d", bytes.fromhex(bits))[0]
    assert jcs.canonicalize(number) == expected.encode()
    assert jcs.canonicalize([number]) == f"[{expected}]".encode()
    assert jcs.canonicalize({"n": number}) == f'{{"n":{expected}}}'.encode()


@needs_rfc8785
@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_canonicalize_matches_rfc8785(value):
    assert jcs.canonicalize(value) == rfc8785.dumps(value)


@needs_rfc8785
@settings(max_examples=500, deadline=None)
@given(FINITE)
def test_canonicalize_formats_every_float_like_rfc8785(number):
    assert jcs.canonicalize([number]) == rfc8785.dumps([number])


@needs_rfc8785
@given(st.integers())
def test_canonicalize_rejects_the_integers_rfc8785_rejects(number):
    try:
        expected = rfc8785.dumps({"n": number})
    except rfc8785.IntegerDomainError:
        with pytest.raises(
            errors.CanonicalizationError, match="outside the JSON safe range"
        ) as info:
            jcs.canonicalize({"n": number})
        assert info.value.code == "canonicalization_failed"
    else:
        assert jcs.canonicalize({"n": number}) == expected


@settings(max_examples=100, deadline=None)
@given(JSON_VALUES)
def test_fast_path_agrees_with_exact_path(value):
    parts: list[str] = []
    jcs._exact(value, parts)
    assert jcs.canonicalize(value) == "".join(parts).encode()


@settings(max_examples=100, deadline=None)
@given(JSON_VALUES)
def test_canonical_form_parses_back_and_is_stable(value):
    # Read numbers as doubles, as RFC 8785 §3.2.2.3 does: an integral double of 2**53 or more
    # is written as a long integer, which Python would otherwise read back as an unsafe int.
    canonical = jcs.canonicalize(value)
    assert json.loads(canonical, parse_int=float) == value
    assert jcs.canonicalize(json.loads(canonical, parse_int=float)) == canonical


def test_canonicalize_orders_names_by_utf16_code_units():
    value = {"\ue000": 1, "\U0001f600": 2, "a": 3}
    # U+1F600 is the surrogate pair D83D DE00, which sorts before U+E000 in UTF-16.
    assert jcs.canonicalize(value) == '{"a":3,"\U0001f600":2,"\ue000":1}'.encode()
    assert jcs.canonicalize([{"x": value}]) == '[{"x":{"a":3,"\U0001f600":2,"\ue000":1}}]'.encode()


def test_canonicalize_does_not_mutate_its_input():
    value: dict[str, Any] = {
        "dimensions": {"thicknessMm": 20.0},
        "energyJ": [142.0, -0.0],
        "n": 0.25,
    }
    assert (
        jcs.canonicalize(value) == b'{"dimensions":{"thicknessMm":20},"energyJ":[142,0],"n":0.25}'
    )
    assert value == {"dimensions": {"thicknessMm": 20.0}, "energyJ": [142.0, -0.0], "n": 0.25}
    assert type(value["dimensions"]["thicknessMm"]) is float


def test_canonicalize_escapes_like_json_stringify():
    value = {"s": '"\\\b\f\n\r\t\x00\x1f\x7f\u2028é\U0001f680'}
    expected = '{"s":"\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\x7f\u2028é\U0001f680"}'
    assert jcs.canonicalize(value) == expected.encode("utf-8")


class _Grade(enum.IntEnum):
    S355 = 355


class _Tag(str):
    pass


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ((1, (2.5, "x")), b'[1,[2.5,"x"]]'),
        ({"grade": _Grade.S355}, b'{"grade":355}'),
        ([_Tag("plate")], b'["plate"]'),
        (collections.OrderedDict([("b", 1), ("a", 2)]), b'{"a":2,"b":1}'),
        (types.MappingProxyType({"b": [True, None]}), b'{"b":[true,null]}'),
        ({"big": 1e20, "small": 1e-7}, b'{"big":100000000000000000000,"small":1e-7}'),
        ("plain", b'"plain"'),
        ([], b"[]"),
        ({}, b"{}"),
    ],
)
def test_canonicalize_handles_python_variants_through_the_exact_path(value, expected):
    assert jcs.canonicalize(value) == expected


def _circular_list():
    value: list[object] = []
    value.append(value)
    return value


def _circular_dict():
    value: dict[str, object] = {}
    value["self"] = value
    return value


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ({"n": 2**53}, r"outside the JSON safe range ±\(2\*\*53 - 1\): 9007199254740992"),
        ([-(2**53)], "outside the JSON safe range"),
        (2**64, "outside the JSON safe range"),
        ({"n": float("nan")}, "nan has no JSON form"),
        ([float("inf")], "inf has no JSON form"),
        (float("-inf"), "-inf has no JSON form"),
        ({"s": "\ud800"}, "lone surrogate"),
        ({"\udfff": 1}, "lone surrogate"),
        (["ok", "\udc00x"], "lone surrogate"),
        ({1: "x"}, "object member names must be strings"),
        ({"a": {True: "x"}}, "object member names must be strings"),
        ({"a": {"b", "c"}}, "no JSON form for type set"),
        ([b"bytes"], "no JSON form for type bytes"),
        (object(), "no JSON form for type object"),
        (_circular_list(), "nesting too deep"),
        (_circular_dict(), "nesting too deep"),
    ],
)
def test_canonicalize_rejects_what_has_no_canonical_form(value, match):
    with pytest.raises(errors.CanonicalizationError, match=match) as info:
        jcs.canonicalize(value)
    assert info.value.code == "canonicalization_failed"
