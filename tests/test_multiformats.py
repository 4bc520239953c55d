"""Tests for tradetrace.multiformats: every multibase CSV vector row, varints, multicodec."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace import errors
from tradetrace.multiformats import (
    Base,
    Multicodec,
    add_multicodec,
    decode_base58btc,
    decode_base64url,
    decode_multibase,
    decode_varint,
    encode_base58btc,
    encode_base64url,
    encode_multibase,
    encode_varint,
    split_multicodec,
)

VECTORS = Path(__file__).parent / "assets" / "vectors" / "multiformats-multibase"
SUPPORTED = {
    "base58btc": Base.BASE58BTC,
    "base64url": Base.BASE64URL,
    "base64": Base.BASE64,
    "base16": Base.BASE16,
    "base16upper": Base.BASE16UPPER,
}


def _rows():
    for path in sorted(VECTORS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            header, *rows = csv.reader(file, skipinitialspace=True)
        # The header's second cell is the decoded text, with \x00 written as an escape.
        expected = header[1].encode("ascii").decode("unicode_escape").encode("latin-1")
        for name, value in rows:
            yield pytest.param(path.stem, name, value, expected, id=f"{path.stem}-{name}")


ROWS = list(_rows())


def test_vector_files_are_all_read():
    assert len(ROWS) == 23 + 12 + 23 + 23  # basic, case_insensitivity, leading zero(s)
    assert sum(row.values[1] in SUPPORTED for row in ROWS) == 17


@pytest.mark.parametrize(("file", "name", "value", "expected"), ROWS)
def test_multibase_vector_row(file, name, value, expected):
    if name not in SUPPORTED:
        with pytest.raises(errors.InvalidDocument, match="unsupported multibase prefix") as info:
            decode_multibase(value)
        assert info.value.code == "invalid_document"
        return
    assert decode_multibase(value) == expected
    if file != "case_insensitivity":  # those rows are deliberately non-canonical
        assert encode_multibase(expected, SUPPORTED[name]) == value


@given(st.binary(max_size=200), st.sampled_from(list(Base)))
def test_multibase_round_trips(data, base):
    encoded = encode_multibase(data, base)
    assert encoded[0] == base.value
    assert decode_multibase(encoded) == data


def test_encode_multibase_defaults_to_base58btc():
    assert encode_multibase(b"\0\0yes mani !") == "z117paNL19xttacUY"


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("", "empty multibase value"),
        ("z0OIl", "invalid base58btc character '0'"),
        ("uAB", "non-canonical base64url text"),
        ("ueWVzIG1hbmkgIQ==", "non-canonical base64url text"),
        ("ue+Vz", "non-canonical base64url text"),
        ("ueW!z", "invalid base64url text"),
        ("uéé", "invalid base64url text"),
        ("mAB-_", "invalid base64 text"),
        ("f0", "invalid base16 text"),
        ("f0 1", "invalid base16 text"),
        ("fxy", "invalid base16 text"),
        ("Muw==", "unsupported multibase prefix 'M': expected one of z, u, m, f, F"),
        ("\U0001f680\U0001f3c3", "unsupported multibase prefix '\U0001f680'"),
    ],
)
def test_decode_multibase_rejects_malformed_values(value, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        decode_multibase(value)
    assert info.value.code == "invalid_document"


def test_decode_base58btc_caps_the_length():
    with pytest.raises(errors.LimitExceeded, match="at most 2048 characters, got 2049") as info:
        decode_base58btc("2" * 2049)
    assert info.value.code == "limit_exceeded"


@given(st.binary(max_size=100))
def test_base58btc_and_base64url_round_trip(data):
    assert decode_base58btc(encode_base58btc(data)) == data
    assert decode_base64url(encode_base64url(data)) == data
    assert "=" not in encode_base64url(data)


def test_base58btc_keeps_leading_zero_bytes():
    assert encode_base58btc(b"\0\0\x01") == "112"
    assert decode_base58btc("112") == b"\0\0\x01"
    assert decode_base58btc("") == b""


@pytest.mark.parametrize(
    ("codec", "prefix"),
    [
        (Multicodec.X25519_PUB, "ec01"),
        (Multicodec.ED25519_PUB, "ed01"),
        (Multicodec.P256_PUB, "8024"),
        (Multicodec.P384_PUB, "8124"),
        (Multicodec.ED25519_PRIV, "8026"),
        (Multicodec.P256_PRIV, "8626"),
        (Multicodec.P384_PRIV, "8726"),
    ],
)
def test_multicodec_prefixes_match_the_table(codec, prefix):
    assert encode_varint(codec).hex() == prefix
    assert add_multicodec(codec, b"key") == bytes.fromhex(prefix) + b"key"
    assert split_multicodec(bytes.fromhex(prefix) + b"key") == (codec, b"key")


@given(st.integers(min_value=0, max_value=2**63 - 1), st.binary(max_size=4))
def test_varint_round_trips(value, tail):
    encoded = encode_varint(value)
    assert decode_varint(encoded + tail) == (value, len(encoded))


@pytest.mark.parametrize("value", [-1, 2**63])
def test_encode_varint_rejects_out_of_range(value):
    with pytest.raises(errors.InvalidDocument, match="varint out of range") as info:
        encode_varint(value)
    assert info.value.code == "invalid_document"


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "truncated or overlong varint"),
        (b"\x80", "truncated or overlong varint"),
        (b"\xff" * 9 + b"\x01", "truncated or overlong varint"),
        (b"\x80\x00", "non-minimal varint"),
        (b"\xed\x80\x00", "non-minimal varint"),
    ],
)
def test_decode_varint_rejects_malformed_input(data, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        decode_varint(data)
    assert info.value.code == "invalid_document"


def test_decode_varint_accepts_zero():
    assert decode_varint(b"\x00") == (0, 1)


def test_split_multicodec_rejects_unknown_codes():
    with pytest.raises(errors.InvalidDocument, match="unsupported multicodec 0x1202") as info:
        split_multicodec(bytes.fromhex("8224") + b"key")
    assert info.value.code == "invalid_document"
