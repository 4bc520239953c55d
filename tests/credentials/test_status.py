import base64
import gzip
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ASSETS
from tradetrace.credentials.status import (
    MIN_LIST_BITS,
    Bitstring,
    StatusEntry,
    StatusPurpose,
    check_status,
    status_list_subject,
)
from tradetrace.errors import CredentialRevoked, CredentialSuspended, InvalidDocument, LimitExceeded

VECTOR = json.loads((ASSETS / "vectors" / "w3c-misc" / "status-list-and-did-web.json").read_text())
URL = "https://node.example/status/1"


def test_spec_example_decodes_to_all_zero_list():
    spec = VECTOR["bitstring_status_list"]
    bits = Bitstring.decode(spec["encodedList"])
    assert bits.size == spec["expect_bits"] == MIN_LIST_BITS
    assert not any(bits.get(i) for i in range(0, bits.size, 997))


def test_bit_zero_is_the_most_significant_bit_of_byte_zero():
    bits = Bitstring()
    bits.set(0, True)
    raw = gzip.decompress(base64.urlsafe_b64decode(bits.encode()[1:] + "=="))
    assert raw[0] == 0x80
    bits.set(9, True)
    raw = gzip.decompress(base64.urlsafe_b64decode(bits.encode()[1:] + "=="))
    assert raw[1] == 0x40


@given(st.sets(st.integers(min_value=0, max_value=MIN_LIST_BITS - 1), max_size=40))
def test_encode_decode_round_trip(indexes):
    bits = Bitstring()
    for index in indexes:
        bits.set(index, True)
    decoded = Bitstring.decode(bits.encode())
    assert {i for i in indexes if decoded.get(i)} == indexes
    for index in indexes:
        decoded.set(index, False)
    assert decoded.encode() == Bitstring().encode()


@pytest.mark.parametrize(
    ("encoded", "message", "error"),
    [
        ("zabc", "prefix 'u'", InvalidDocument),
        ("u!!!", "not base64url", InvalidDocument),
        (
            "u" + base64.urlsafe_b64encode(b"plain").decode().rstrip("="),
            "not GZIP",
            InvalidDocument,
        ),
        (
            "u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * 100)).decode().rstrip("="),
            "the minimum is 131072",
            InvalidDocument,
        ),
        (
            "u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * 20_000_000)).decode().rstrip("="),
            "inflates past",
            LimitExceeded,
        ),
        (
            "u"
            + base64.urlsafe_b64encode(gzip.compress(b"\0" * 20_000)[:-12]).decode().rstrip("="),
            "truncated",
            InvalidDocument,
        ),
    ],
)
def test_decode_rejects_bad_lists(encoded, message, error):
    with pytest.raises(error, match=message) as caught:
        Bitstring.decode(encoded)
    assert caught.value.code == error.code


@pytest.mark.parametrize("size", [8, MIN_LIST_BITS + 1])
def test_bitstring_size_must_be_large_and_whole_bytes(size):
    with pytest.raises(InvalidDocument, match="status list size"):
        Bitstring(size)


def test_index_outside_list_is_rejected():
    with pytest.raises(InvalidDocument, match=r"outside 0\.\.131071"):
        Bitstring().get(MIN_LIST_BITS)


def _entry(purpose="revocation", index="42"):
    return {
        "id": f"{URL}#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": index,
        "statusListCredential": URL,
    }


def _list_credential(purpose, *set_bits):
    bits = Bitstring()
    for index in set_bits:
        bits.set(index, True)
    return {"credentialSubject": status_list_subject(URL, StatusPurpose(purpose), bits)}


def test_check_status_passes_clear_bit_and_raises_for_set_bit():
    entry = StatusEntry.from_json(_entry())
    check_status(entry, _list_credential("revocation", 41, 43))
    with pytest.raises(CredentialRevoked, match="index 42") as caught:
        check_status(entry, _list_credential("revocation", 42))
    assert caught.value.code == "credential_revoked"
    suspended = StatusEntry.from_json(_entry("suspension"))
    with pytest.raises(CredentialSuspended, match="suspended") as caught:
        check_status(suspended, _list_credential("suspension", 42))
    assert caught.value.code == "credential_suspended"


def test_check_status_requires_matching_purpose_and_shape():
    entry = StatusEntry.from_json(_entry())
    with pytest.raises(InvalidDocument, match="purpose mismatch"):
        check_status(entry, _list_credential("suspension", 42))
    with pytest.raises(InvalidDocument, match="expected type BitstringStatusList"):
        check_status(entry, {"credentialSubject": {"type": "Other"}})
    with pytest.raises(InvalidDocument, match="encodedList: expected a string"):
        check_status(
            entry,
            {"credentialSubject": {"type": "BitstringStatusList", "statusPurpose": "revocation"}},
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "StatusList2021Entry"}, "credentialStatus.type"),
        ({"statusPurpose": "message"}, "statusPurpose"),
        ({"statusListIndex": 42}, "statusListIndex"),
        ({"statusListIndex": "-1"}, "statusListIndex"),
        ({"statusListCredential": "ftp://x"}, "statusListCredential"),
    ],
)
def test_status_entry_names_the_bad_field(change, field):
    with pytest.raises(InvalidDocument, match=field) as caught:
        StatusEntry.from_json({**_entry(), **change})
    assert caught.value.code == "invalid_document"


def test_bytes_round_trip_keeps_bit_order():
    bits = Bitstring()
    bits.set(3, True)
    raw = bits.to_bytes()
    assert raw[0] == 0x10
    assert Bitstring.from_bytes(raw).get(3)
    with pytest.raises(InvalidDocument, match="status list size"):
        Bitstring.from_bytes(b"\0")
