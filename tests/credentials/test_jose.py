"""VC-JOSE-COSE compact JWS: signing, strict parsing and header policy (RFC 7515, RFC 8725)."""

from __future__ import annotations

import base64
import binascii
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.credentials import vc_assets
from tradetrace import errors, keys
from tradetrace.credentials import jose

KID = "did:example:issuer#key-1"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("name", "alg"), [("ed25519", "EdDSA"), ("p256", "ES256"), ("p384", "ES384")]
)
def test_sign_and_verify_round_trip(name, alg):
    key = vc_assets.vector_key(name)
    payload = {"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "Ünïcode ✓"}
    token = jose.sign_compact(payload, key, kid=KID, media_type=jose.MediaType.VC_JWT)
    jws = jose.parse_compact(token)
    assert jws.header == {"alg": alg, "kid": KID, "typ": "vc+jwt"}
    assert json.loads(jws.payload) == payload
    assert jws.serialize() == token
    assert jose.header_mismatch(jws, jose.MediaType.VC_JWT) is None
    assert jose.algorithm_mismatch(jws, key.public_key()) is None
    jose.verify_compact(jws, key.public_key())
    assert jose.ALGORITHMS[alg] is key.kind


def test_verify_compact_refuses_wrong_key_and_wrong_algorithm():
    ed, p256 = vc_assets.vector_key("ed25519"), vc_assets.vector_key("p256")
    jws = jose.parse_compact(jose.sign_compact({}, ed, kid=KID, media_type=jose.MediaType.VC_JWT))
    with pytest.raises(errors.SignatureInvalid, match="does not verify") as caught:
        jose.verify_compact(jws, vc_assets.other_key().public_key())
    assert caught.value.code == "signature_invalid"
    with pytest.raises(errors.ProofInvalid, match="does not fit the P-256 key") as caught:
        jose.verify_compact(jws, p256.public_key())
    assert caught.value.code == "proof_invalid"


@pytest.mark.parametrize(
    ("token", "match"),
    [
        ("abc", "expected three base64url parts"),
        ("a.b.c.d", "expected three base64url parts"),
        (".e30.", "expected three base64url parts"),
        ("é.e30.", "non-ASCII"),
        ("e30=.e30.", "not canonical"),
        ("e3!0.e30.", "not base64url"),
        ("bm90IGpzb24.e30.", "header is not JSON"),
        ("WzFd.e30.", "header is not a JSON object"),
        ("e30.e30.AB", "signature is not canonical"),
    ],
)
def test_parse_compact_is_strict(token, match):
    with pytest.raises(errors.InvalidDocument, match=match) as caught:
        jose.parse_compact(token)
    assert caught.value.code == "invalid_document"


def _jws(header):
    return jose.parse_compact(f"{_b64(json.dumps(header).encode())}.e30.")


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ({"alg": "none", "typ": "vc+jwt", "kid": KID}, "unsupported_algorithm"),
        ({"alg": ["EdDSA"], "typ": "vc+jwt", "kid": KID}, "unsupported_algorithm"),
        ({"typ": "vc+jwt", "kid": KID}, "unsupported_algorithm"),
        ({"alg": "RS256", "typ": "vc+jwt", "kid": KID}, "unsupported_algorithm"),
        ({"alg": "EdDSA", "typ": "vc+jwt", "kid": KID, "crit": []}, "unsupported_header"),
        ({"alg": "EdDSA", "typ": "vc+jwt", "kid": KID, "zip": "DEF"}, "unsupported_header"),
        ({"alg": "EdDSA", "kid": KID}, "media_type_invalid"),
        ({"alg": "EdDSA", "typ": ["vc+jwt"], "kid": KID}, "media_type_invalid"),
        ({"alg": "EdDSA", "typ": "vc+jwt", "cty": "vp", "kid": KID}, "media_type_invalid"),
        ({"alg": "EdDSA", "typ": "vc+jwt", "kid": 7}, "kid_missing"),
        ({"alg": "EdDSA", "typ": "application/VC+JWT", "cty": "application/vc", "kid": KID}, None),
    ],
)
def test_header_policy(header, code):
    mismatch = jose.header_mismatch(_jws(header), jose.MediaType.VC_JWT)
    assert (mismatch.code if mismatch else None) == code


def test_media_type_from_typ():
    assert jose.MediaType.from_typ("vp+jwt") is jose.MediaType.VP_JWT
    assert jose.MediaType.from_typ("application/vc+jwt") is jose.MediaType.VC_JWT
    assert jose.MediaType.from_typ("jwt") is None
    assert jose.MediaType.from_typ(None) is None


def test_sign_compact_refuses_values_without_json_form():
    key = vc_assets.vector_key("ed25519")
    for payload in ({"a": float("nan")}, {"a": {1, 2}}, {"a": "\ud800"}):
        with pytest.raises(errors.InvalidDocument, match="payload has no JSON form") as caught:
            jose.sign_compact(payload, key, kid=KID, media_type=jose.MediaType.VC_JWT)
        assert caught.value.code == "invalid_document"


@given(st.binary(min_size=1, max_size=200))
def test_parts_round_trip_through_base64url(data):
    token = f"e30.{_b64(data)}.{_b64(data[:64])}"
    jws = jose.parse_compact(token.encode())
    assert (jws.payload, jws.signature) == (data, data[:64])
    assert jws.serialize() == token


def _binascii_b64decode(part: bytes, canonical: bool) -> bytes | None:
    """The strict base64url decoding parse_compact did with binascii alone; None if refused."""
    try:
        data = binascii.a2b_base64(
            part.translate(bytes.maketrans(b"-_+/", b"+/!!")) + b"=" * (-len(part) % 4),
            strict_mode=True,
        )
    except ValueError:
        return None
    if b"=" in part or (canonical and _b64(data).encode() != part):
        return None
    return data


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="AQgwBCxyz019-_+/=! \n", max_size=14), st.booleans())
def test_base64url_parts_decode_exactly_as_binascii_would(text, canonical):
    part = text.encode()
    expected = _binascii_b64decode(part, canonical)
    if expected is None:
        with pytest.raises(errors.InvalidDocument, match="JWS payload is not") as caught:
            jose._b64decode(part, "payload", canonical=canonical)
        assert caught.value.code == "invalid_document"
    else:
        assert jose._b64decode(part, "payload", canonical=canonical) == expected


_HEADER_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), _HEADER_VALUES, max_size=4))
def test_header_is_read_as_json_loads_reads_it(header):
    text = json.dumps(header).encode()
    parsed = jose.parse_compact(f"{_b64(text)}.e30.").header
    assert json.dumps(parsed) == json.dumps(json.loads(text))
    assert [type(v) for v in parsed.values()] == [type(v) for v in json.loads(text).values()]


def test_header_takes_what_json_loads_takes():
    # orjson refuses NaN and UTF-16; json.loads reads them, and the header policy decides.
    jws = jose.parse_compact(_b64(b'{"alg": NaN}') + ".e30.")
    assert jose.header_mismatch(jws, jose.MediaType.VC_JWT).code == "unsupported_algorithm"
    utf16 = json.dumps({"alg": "EdDSA"}).encode("utf-16")
    assert jose.parse_compact(f"{_b64(utf16)}.e30.").header == {"alg": "EdDSA"}


def test_kid_and_alg_accessors_tolerate_other_types():
    jws = _jws({"alg": 1, "kid": ["x"]})
    assert jws.alg == "" and jws.kid is None
    assert jose.algorithm_mismatch(jws, keys.SigningKey.generate(keys.KeyKind.P256).public_key())
