import pytest

from tradetrace import errors, oauth

PEER = "did:web:customs.example"


def test_sealed_secret_round_trips_and_hides_the_secret():
    sealed = oauth.seal_secret("s3cret-value", passphrase="node passphrase", context=PEER)
    assert "s3cret" not in sealed
    assert sealed.startswith("sealed-v1$16384$")
    assert oauth.unseal_secret(sealed, passphrase="node passphrase", context=PEER) == "s3cret-value"
    # a fresh salt and nonce each time
    assert sealed != oauth.seal_secret("s3cret-value", passphrase="node passphrase", context=PEER)


@pytest.mark.parametrize(
    ("passphrase", "context"),
    [("another passphrase", PEER), ("node passphrase", "did:web:other.example")],
)
def test_unseal_refuses_another_passphrase_or_peer(passphrase, context):
    sealed = oauth.seal_secret("s3cret-value", passphrase="node passphrase", context=PEER)
    with pytest.raises(errors.ConfigurationError, match="passphrase or the peer differs") as info:
        oauth.unseal_secret(sealed, passphrase=passphrase, context=context)
    assert info.value.code == "configuration_error"


@pytest.mark.parametrize(
    ("sealed", "match"),
    [
        ("not sealed", "malformed"),
        ("sealed-v1$abc$AA$AA$AA", "malformed"),
        ("sealed-v2$16384$AA$AA$AA", "unsupported parameters"),
        ("sealed-v1$4294967296$AA$AA$AA", "unsupported parameters"),
    ],
)
def test_unseal_refuses_malformed_values(sealed, match):
    with pytest.raises(errors.ConfigurationError, match=match) as info:
        oauth.unseal_secret(sealed, passphrase="x", context=PEER)
    assert info.value.code == "configuration_error"


@pytest.mark.parametrize("secret", ["", "x" * 513])
def test_seal_refuses_empty_and_overlong_secrets(secret):
    with pytest.raises(errors.InvalidDocument, match="1 to 512 bytes") as info:
        oauth.seal_secret(secret, passphrase="x", context=PEER)
    assert info.value.code == "invalid_document"
