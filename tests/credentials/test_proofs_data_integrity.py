"""Shared Data Integrity machinery: proof parsing, expectations, proofValue, fast JCS input."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace import errors, keys
from tradetrace.credentials import jcs, json_input
from tradetrace.credentials.proofs import data_integrity

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2026-01-01T00:00:00Z",
    "verificationMethod": "did:example:a#k",
    "proofPurpose": "authentication",
    "challenge": "c-1",
    "domain": ["https://a.example", "https://b.example"],
    "proofValue": "z3",
    "extension": {"kept": True},
}


def test_proof_keeps_its_options_without_proof_value():
    proof = data_integrity.Proof.from_dict(PROOF)
    assert proof.options == {k: v for k, v in PROOF.items() if k != "proofValue"}
    assert proof.domain == ("https://a.example", "https://b.example")
    assert proof.created == datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ([], "proof: expected an object"),
        ({**PROOF, "proofValue": ""}, "proof.proofValue: expected a non-empty string"),
        ({k: v for k, v in PROOF.items() if k != "verificationMethod"}, "proof.verificationMethod"),
        ({**PROOF, "created": "2026-01-01"}, "proof.created: expected an XML Schema dateTimeStamp"),
        ({**PROOF, "domain": []}, "proof.domain: expected a string or a non-empty array"),
    ],
)
def test_proof_parsing_names_the_field(data, match):
    with pytest.raises(errors.InvalidDocument, match=match) as caught:
        data_integrity.Proof.from_dict(data)
    assert caught.value.code == "invalid_document"


@pytest.mark.parametrize(
    ("expectations", "code"),
    [
        ({"purpose": data_integrity.ProofPurpose.ASSERTION_METHOD}, "proof_purpose_mismatch"),
        ({"challenge": "c-2"}, "challenge_mismatch"),
        ({"domain": "https://c.example"}, "domain_mismatch"),
        ({"now": datetime(2030, 1, 1, tzinfo=UTC)}, "proof_expired"),
        ({"challenge": "c-1", "domain": "https://b.example"}, None),
    ],
)
def test_proof_mismatch_codes(expectations, code):
    proof = data_integrity.Proof.from_dict({**PROOF, "expires": "2029-01-01T00:00:00Z"})
    arguments = {"purpose": data_integrity.ProofPurpose.AUTHENTICATION, "now": NOW, **expectations}
    mismatch = data_integrity.proof_mismatch(proof, **arguments)
    assert (mismatch.code if mismatch else None) == code


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("u" + "A" * 86, "must be a base58btc"),
        ("z" + "0" * 87, "invalid base58btc character"),
        ("z" + "é" * 10, "must be a base58btc"),
        ("z" + "1" * 200, "must be a base58btc"),
        ("z2", "expected 64 bytes, got 1"),
    ],
)
def test_decode_proof_value_refuses_bad_values(value, match):
    with pytest.raises(errors.ProofInvalid, match=match) as caught:
        data_integrity.decode_proof_value(value, keys.KeyKind.ED25519)
    assert caught.value.code == "proof_invalid"


@given(st.binary(min_size=64, max_size=64))
def test_proof_value_round_trips(signature):
    encoded = data_integrity.encode_proof_value(signature)
    assert data_integrity.decode_proof_value(encoded, keys.KeyKind.ED25519) == signature


def test_hash_for_each_key_kind():
    assert len(data_integrity.hash_for(keys.KeyKind.ED25519)(b"")) == 32
    assert len(data_integrity.hash_for(keys.KeyKind.P256)(b"")) == 32
    assert len(data_integrity.hash_for(keys.KeyKind.P384)(b"")) == 48


# --- json_input: strict parsing and the fast JCS path ------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(_values, st.booleans())
def test_fast_canonical_form_equals_rfc8785(value, ascii_only):
    text = json.dumps(value, ensure_ascii=ascii_only)
    parsed = json_input.parse_json(text, max_bytes=10**7, max_depth=100)
    try:
        expected = rfc8785.dumps(json.loads(text))
    except (rfc8785.IntegerDomainError, rfc8785.FloatDomainError, UnicodeError):
        with pytest.raises(errors.CanonicalizationError, match=r"canonicalize|integer") as caught:
            json_input.canonical_json(parsed.value, jcs_ready=parsed.jcs_ready)
        assert caught.value.code == "canonicalization_failed"
        return
    assert json_input.canonical_json(parsed.value, jcs_ready=parsed.jcs_ready) == expected
    assert jcs.canonicalize(parsed.value) == expected


@pytest.mark.parametrize(
    ("text", "ready"),
    [
        ('{"a": 20.0, "b": -0.0, "c": 1e2}', True),
        ('{"a": 1e-7}', False),
        ('{"a": 1e16}', False),
        ('{"a": 9007199254740991}', True),
        ('{"\\ud83d\\ude00": 1, "\\ue000": 2}', False),
        ('{"😀": 1, "x": 2}', True),
    ],
)
def test_jcs_ready_marks_what_the_plain_encoder_writes_exactly(text, ready):
    parsed = json_input.parse_json(text, max_bytes=1000, max_depth=5)
    assert parsed.jcs_ready is ready
    assert json_input.canonical_json(parsed.value, jcs_ready=ready) == rfc8785.dumps(
        json.loads(text)
    )


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ('{"a": NaN}', errors.InvalidDocument, "NaN is not a JSON number"),
        ('{"a": 1', errors.InvalidDocument, "invalid JSON"),
        (b"\xef\xbb\xbf{}", errors.InvalidDocument, "invalid JSON"),
        (b'{"a": "\xff"}', errors.InvalidDocument, "invalid JSON"),
        ("[" * 20 + "]" * 20, errors.LimitExceeded, "nested deeper than 10 levels"),
        ('[{"a": "[[[["}, ' + "[" * 10 + "]" * 10 + "]", errors.LimitExceeded, "deeper"),
        ("[" * 5000 + "]" * 5000, errors.LimitExceeded, "nested too deeply"),
        ('"' + "x" * 2000 + '"', errors.LimitExceeded, "too large"),
    ],
)
def test_parse_json_is_strict_and_bounded(text, error, match):
    with pytest.raises(error, match=match) as caught:
        json_input.parse_json(text, max_bytes=1500 if "x" in str(text) else 10**6, max_depth=10)
    assert caught.value.code == error.code


def test_depth_check_counts_only_structure():
    text = '[{"a": "[[[[[[[[[[[[\\"[[[["}, ' + '"{{{{{{{{{{{{"' + "]"
    assert json_input.parse_json(text, max_bytes=1000, max_depth=2).value[1] == "{" * 12
    json_input.check_depth([[1]], 2)
    with pytest.raises(errors.LimitExceeded, match="deeper than 2 levels") as caught:
        json_input.check_depth({"a": [[1]]}, 2)
    assert caught.value.code == "limit_exceeded"


def test_canonical_json_refuses_lone_surrogates():
    parsed = json_input.parse_json('{"a": "\\ud800"}', max_bytes=100, max_depth=5)
    with pytest.raises(errors.CanonicalizationError, match="lone surrogate") as caught:
        json_input.canonical_json(parsed.value, jcs_ready=parsed.jcs_ready)
    assert caught.value.code == "canonicalization_failed"


def test_depth_check_accepts_exactly_the_limit():
    assert json_input.parse_json("[[],[],[]]", max_bytes=100, max_depth=2).value == [[], [], []]
