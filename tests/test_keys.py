"""Tests for tradetrace.keys: kinds, import/export forms, signing, files, and the Ed25519 policy."""

from __future__ import annotations

import collections
import json
import stat
from pathlib import Path

import nacl.bindings
import nacl.exceptions
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace import errors, multiformats
from tradetrace.keys import KeyKind, PublicKey, SigningKey, public

VECTORS = Path(__file__).parent / "assets" / "vectors"
CCTV = json.loads((VECTORS / "c2sp-cctv-ed25519" / "ed25519vectors.json").read_text())
NIST_DID_KEY = json.loads((VECTORS / "w3c-ccg-did-method-key" / "nist-curves.json").read_text())
ORDERS = {
    KeyKind.P256: 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    KeyKind.P384: int(
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
        16,
    ),
}

# The C2SP CCTV vectors cryptography 50.0.2 (OpenSSL) accepts: the pinned Ed25519 policy
# documented in tradetrace/keys/public.py. Any change in this set is a policy change.
_ACCEPTED_NUMBERS = """
    1 3 5 7 9 11 23 25 27 29 31 33 35 44 46 48 50 52 54 111 113 115
    117 119 121 133 135 137 139 141 143 155 157 159 161 163 165 166 167
    176 178 180 182 184 186 188 243 245 247 249 251 253 255 302 303 304
    305 306 307 308 309 310 311 312 313 314 405 407 409 411 419 421 423
    425 432 434 436 438 459 461 463 465 467 469 471 473 475 477 479 481
    483 485 487 489 491 493 495 497 505 507 509 511 519 521 523 525 532
    534 536 538 559 561 563 565 567 569 571 573 575 577 579 581 583 585
    587 589 591 593 595 597 605 607 609 611 619 621 623 625 632 634 636
    638 659 661 663 665 667 669 671 673 675 677 679 681 683 685 687 689
    691 693 695 697 705 707 709 711 719 721 723 725 732 734 736 738 759
    761 763 765 767 769 771 773 775 777 779 781 783 785 787 789 791 793
    795 797 826 828 830 832 834 836 838 893 895 897 899 901 903 904
"""
ACCEPTED_CCTV = frozenset(map(int, _ACCEPTED_NUMBERS.split()))


def _ecdsa_vectors():
    for folder in sorted((VECTORS / "w3c-vc-di-ecdsa").glob("ecdsa-*")):
        curve = "p384" if folder.name.endswith("p384") else "p256"
        yield pytest.param(folder, curve, id=folder.name)


KINDS = list(KeyKind)


@pytest.fixture(params=KINDS, ids=str)
def signing_key(request):
    return SigningKey.generate(request.param)


# -- kinds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "alg", "kty", "public_codec", "secret_codec", "signature_size"),
    [
        (KeyKind.ED25519, "EdDSA", "OKP", 0xED, 0x1300, 64),
        (KeyKind.P256, "ES256", "EC", 0x1200, 0x1306, 64),
        (KeyKind.P384, "ES384", "EC", 0x1201, 0x1307, 96),
    ],
)
def test_key_kind_names(kind, alg, kty, public_codec, secret_codec, signature_size):
    assert kind.jose_alg == alg
    assert kind.jwk_kty == kty
    assert kind.public_codec == public_codec
    assert kind.secret_codec == secret_codec
    assert kind.signature_size == signature_size
    assert KeyKind.from_public_codec(kind.public_codec) is kind
    assert KeyKind.from_secret_codec(kind.secret_codec) is kind
    assert KeyKind.from_jwk(kty, kind.value) is kind


def test_key_kind_curve_and_hash_are_only_for_ecdsa():
    assert KeyKind.P384.curve().name == "secp384r1"
    assert KeyKind.P256.ecdsa().algorithm.name == "sha256"
    assert KeyKind.P384.ecdsa().algorithm.name == "sha384"
    for method in (KeyKind.ED25519.curve, KeyKind.ED25519.ecdsa):
        with pytest.raises(
            errors.InvalidDocument, match="Ed25519 is not an ECDSA key kind"
        ) as info:
            method()
        assert info.value.code == "invalid_document"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: KeyKind.from_public_codec(multiformats.Multicodec.X25519_PUB),
            "0xec is not a public",
        ),
        (
            lambda: KeyKind.from_secret_codec(multiformats.Multicodec.P256_PUB),
            "0x1200 is not a secret",
        ),
        (
            lambda: KeyKind.from_jwk("OKP", "X25519"),
            "unsupported JWK key type: kty 'OKP', crv 'X25519'",
        ),
        (lambda: KeyKind.from_jwk("EC", "P-521"), "unsupported JWK key type"),
    ],
)
def test_key_kind_lookups_reject_other_keys(call, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        call()
    assert info.value.code == "invalid_document"


# -- signing and verification -----------------------------------------------------------------


def test_sign_and_verify(signing_key):
    signature = signing_key.sign(b"heat H24-77310")
    assert len(signature) == signing_key.kind.signature_size
    signing_key.public_key().verify(signature, b"heat H24-77310")
    assert signing_key.jose_alg == signing_key.public_key().jose_alg == signing_key.kind.jose_alg


def test_verify_rejects_another_message(signing_key):
    signature = signing_key.sign(b"grade S355J2")
    with pytest.raises(errors.SignatureInvalid, match="signature does not verify under z") as info:
        signing_key.public_key().verify(signature, b"grade S235JR")
    assert info.value.code == "signature_invalid"


@pytest.mark.parametrize("kind", [KeyKind.P256, KeyKind.P384], ids=str)
def test_ecdsa_signatures_are_p1363_not_der(kind):
    key = SigningKey.generate(kind)
    signature = key.sign(b"m")
    r = int.from_bytes(signature[: kind.scalar_size], "big")
    s = int.from_bytes(signature[kind.scalar_size :], "big")
    assert 0 < r < ORDERS[kind] and 0 < s < ORDERS[kind]
    der = encode_dss_signature(r, s)
    with pytest.raises(errors.SignatureInvalid, match=r"invalid ES\d+ signature length") as info:
        key.public_key().verify(der, b"m")
    assert info.value.code == "signature_invalid"


@pytest.mark.parametrize("kind", [KeyKind.P256, KeyKind.P384], ids=str)
def test_ecdsa_rejects_zero_r_and_s(kind):
    key = SigningKey.generate(kind)
    with pytest.raises(errors.SignatureInvalid, match="signature does not verify") as info:
        key.public_key().verify(bytes(kind.signature_size), b"m")
    assert info.value.code == "signature_invalid"


@pytest.mark.parametrize(("folder", "curve"), list(_ecdsa_vectors()))
def test_ecdsa_data_integrity_vectors_verify(folder, curve):
    pair = json.loads((VECTORS / "w3c-vc-di-ecdsa" / f"{curve}KeyPair.json").read_text())
    signing_key = SigningKey.from_secret_multibase(pair["secretKeyMultibase"])
    assert signing_key.public_key().to_multibase() == pair["publicKeyMultibase"]
    assert signing_key.export_secret_multibase() == pair["secretKeyMultibase"]
    message = bytes.fromhex(next(folder.glob("combinedHash*.txt")).read_text().strip())
    signature = bytes.fromhex(next(folder.glob("sigHex*.txt")).read_text().strip())
    base58 = next(folder.glob("sigBTC58*.txt")).read_text().strip()
    assert multiformats.decode_multibase(base58) == signature
    PublicKey.from_multibase(pair["publicKeyMultibase"]).verify(signature, message)


def test_eddsa_data_integrity_vector_signs_byte_for_byte():
    pair = json.loads((VECTORS / "w3c-vc-di-eddsa" / "keyPair.json").read_text())
    folder = VECTORS / "w3c-vc-di-eddsa" / "eddsa-jcs-2022"
    signing_key = SigningKey.from_secret_multibase(pair["privateKeyMultibase"])
    assert signing_key.public_key().to_multibase() == pair["publicKeyMultibase"]
    assert signing_key.export_secret_multibase() == pair["privateKeyMultibase"]
    message = bytes.fromhex((folder / "combinedHashJCS.txt").read_text().strip())
    assert signing_key.sign(message).hex() == (folder / "sigHexJCS.txt").read_text().strip()


# -- Ed25519 policy over the C2SP CCTV vectors ------------------------------------------------


@pytest.mark.parametrize("vector", CCTV, ids=lambda vector: f"cctv-{vector['number']}")
def test_ed25519_policy_cctv_vector(vector):
    key = PublicKey.from_raw(KeyKind.ED25519, bytes.fromhex(vector["key"]))
    signature, message = bytes.fromhex(vector["sig"]), vector["msg"].encode()
    if vector["number"] in ACCEPTED_CCTV:
        key.verify(signature, message)
    else:
        with pytest.raises(
            errors.SignatureInvalid, match="EdDSA signature does not verify"
        ) as info:
            key.verify(signature, message)
        assert info.value.code == "signature_invalid"


def test_ed25519_libsodium_accepts_a_subset_of_what_openssl_accepts():
    # PublicKey.verify asks libsodium first and OpenSSL for whatever libsodium refuses; that
    # keeps OpenSSL's policy only if libsodium never accepts a signature OpenSSL refuses.
    libsodium = set()
    for vector in CCTV:
        key, sig = bytes.fromhex(vector["key"]), bytes.fromhex(vector["sig"])
        try:
            nacl.bindings.crypto_sign_open(sig + vector["msg"].encode(), key)
        except nacl.exceptions.BadSignatureError:
            continue
        libsodium.add(vector["number"])
    assert libsodium < ACCEPTED_CCTV
    assert len(libsodium) > 0


def test_ed25519_detached_verify_agrees_with_crypto_sign_open():
    # PublicKey.verify calls libsodium's crypto_sign_verify_detached through ctypes when PyNaCl's
    # library exports it; it must accept exactly what PyNaCl's crypto_sign_open accepts.
    detached = public._VERIFY_DETACHED
    if detached is None:
        pytest.skip("PyNaCl's library does not export crypto_sign_verify_detached")
    for vector in CCTV:
        key, sig = bytes.fromhex(vector["key"]), bytes.fromhex(vector["sig"])
        message = vector["msg"].encode()
        assert (len(sig), len(key)) == (64, 32)  # what the C function reads
        try:
            nacl.bindings.crypto_sign_open(sig + message, key)
            opened = True
        except nacl.exceptions.BadSignatureError:
            opened = False
        assert (detached(sig, message, len(message), key) == 0) is opened, vector["number"]


@pytest.mark.parametrize("size", [0, 63, 65])
def test_ed25519_refuses_signatures_of_the_wrong_size(size):
    key = SigningKey.generate(KeyKind.ED25519)
    signature = (key.sign(b"message") * 2)[:size]
    with pytest.raises(errors.SignatureInvalid, match="EdDSA signature does not verify") as info:
        key.public_key().verify(signature, b"message")
    assert info.value.code == "signature_invalid"


def test_ed25519_policy_counts():
    accepted: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    for vector in CCTV:
        for flag in vector["flags"] or ["none"]:
            total[flag] += 1
            accepted[flag] += vector["number"] in ACCEPTED_CCTV
    assert len(CCTV) == 914 and len(ACCEPTED_CCTV) == 208
    assert {flag: (accepted[flag], total[flag]) for flag in total} == {
        "low_order_R": (99, 586),
        "low_order_A": (122, 526),
        "low_order_component_R": (159, 665),
        "low_order_component_A": (195, 774),
        "low_order_residue": (0, 583),
        "non_canonical_A": (36, 226),
        "non_canonical_R": (0, 316),
        "reencoded_k": (10, 146),
        "none": (1, 1),
    }


# -- public key forms -------------------------------------------------------------------------


def test_public_key_forms_round_trip(signing_key):
    public = signing_key.public_key()
    assert PublicKey.from_multibase(public.to_multibase()) == public
    assert PublicKey.from_jwk(public.to_jwk()) == public
    assert PublicKey.from_raw(public.kind, public.raw) == public
    assert hash(PublicKey.from_raw(public.kind, public.raw)) == hash(public)
    expected_length = 32 if public.kind is KeyKind.ED25519 else public.kind.scalar_size + 1
    assert len(public.raw) == expected_length
    assert (
        repr(public)
        == f"PublicKey(kind={public.kind.value!r}, multibase={public.to_multibase()!r})"
    )


def test_public_key_jwk_members(signing_key):
    jwk = signing_key.public_key().to_jwk()
    expected = (
        ["kty", "crv", "x"] if signing_key.kind is KeyKind.ED25519 else ["kty", "crv", "x", "y"]
    )
    assert list(jwk) == expected
    assert jwk["crv"] == signing_key.kind.value


@pytest.mark.parametrize("kind", [KeyKind.P256, KeyKind.P384], ids=str)
def test_public_key_from_raw_accepts_uncompressed_points(kind):
    public = SigningKey.generate(kind).public_key()
    jwk = public.to_jwk()
    x, y = (multiformats.decode_base64url(jwk[name]) for name in ("x", "y"))
    uncompressed = b"\x04" + x + y
    assert PublicKey.from_raw(kind, uncompressed) == public


def test_public_key_equality_is_by_value():
    one, two = SigningKey.generate(KeyKind.ED25519), SigningKey.generate(KeyKind.ED25519)
    assert one.public_key() != two.public_key()
    assert one.public_key() != "z6Mk"
    assert len({one.public_key(), PublicKey.from_raw(KeyKind.ED25519, one.public_key().raw)}) == 1


@pytest.mark.parametrize(
    ("kind", "data", "match"),
    [
        (KeyKind.ED25519, b"\x01" * 31, "invalid Ed25519 public key"),
        (KeyKind.P256, b"\x02" + b"\xff" * 32, "invalid P-256 public key"),
        (KeyKind.P384, b"\x05" + b"\x01" * 48, "invalid P-384 public key"),
    ],
)
def test_public_key_from_raw_rejects_bad_bytes(kind, data, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        PublicKey.from_raw(kind, data)
    assert info.value.code == "invalid_document"


def _multikey(codec, payload):
    return multiformats.encode_multibase(multiformats.add_multicodec(codec, payload))


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("uAe0B", "publicKeyMultibase must be base58btc"),
        (_multikey(multiformats.Multicodec.X25519_PUB, bytes(32)), "0xec is not a public signing"),
        (_multikey(multiformats.Multicodec.ED25519_PRIV, bytes(32)), "0x1300 is not a public"),
        (_multikey(multiformats.Multicodec.ED25519_PUB, bytes(33)), "expected 32 bytes, got 33"),
        (_multikey(multiformats.Multicodec.P256_PUB, b"\x04" + bytes(64)), "expected 33 bytes"),
        (_multikey(multiformats.Multicodec.P384_PUB, b"\x02" + b"\xff" * 48), "invalid P-384"),
    ],
)
def test_public_key_from_multibase_rejects_bad_values(value, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        PublicKey.from_multibase(value)
    assert info.value.code == "invalid_document"


def _p256_jwk(**changes):
    jwk = dict(NIST_DID_KEY[next(iter(NIST_DID_KEY))]["verificationMethod"]["publicKeyJwk"])
    jwk.update(changes)
    return {name: value for name, value in jwk.items() if value is not None}


@pytest.mark.parametrize(
    ("jwk", "match"),
    [
        (_p256_jwk(d="AAAA"), "public JWK carries private members: d"),
        (_p256_jwk(alg="ES384"), "JWK alg mismatch for P-256: expected ES256, got 'ES384'"),
        (_p256_jwk(kty="OKP"), "unsupported JWK key type: kty 'OKP', crv 'P-256'"),
        (_p256_jwk(y=None), "JWK member 'y' must be a base64url string"),
        (_p256_jwk(x=7), "JWK member 'x' must be a base64url string"),
        (_p256_jwk(x="AAAA"), "JWK member 'x' has the wrong length: expected 32 bytes, got 3"),
        (_p256_jwk(x="x+x"), "non-canonical base64url text"),
        (_p256_jwk(y="A" * 42 + "E"), "invalid P-256 public key"),
    ],
)
def test_public_key_from_jwk_rejects_bad_jwks(jwk, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        PublicKey.from_jwk(jwk)
    assert info.value.code == "invalid_document"


def test_public_key_from_jwk_accepts_matching_alg():
    assert PublicKey.from_jwk(_p256_jwk(alg="ES256", use="sig")).kind is KeyKind.P256


@pytest.mark.parametrize(
    "vector", NIST_DID_KEY.values(), ids=lambda vector: vector["verificationMethod"]["id"][-12:]
)
def test_nist_did_key_vector_keys(vector):
    method = vector["verificationMethod"]
    did = vector["didDocument"]["id"]
    if "privateKeyJwk" in method:
        if method["publicKeyJwk"]["crv"] == "P-521":
            with pytest.raises(errors.InvalidDocument, match="crv 'P-521'") as info:
                SigningKey.from_jwk(method["privateKeyJwk"])
            assert info.value.code == "invalid_document"
            return
        signing_key = SigningKey.from_jwk(method["privateKeyJwk"])
        assert signing_key.export_private_jwk() == method["privateKeyJwk"]
        assert signing_key.public_key().to_jwk() == method["publicKeyJwk"]
    else:
        raw = multiformats.decode_base58btc(method["privateKeyBase58"])
        signing_key = SigningKey.from_private_bytes(KeyKind.P256, raw)
        public = multiformats.decode_base58btc(method["publicKeyBase58"])
        assert signing_key.public_key().raw == public
    assert did == "did:key:" + signing_key.public_key().to_multibase()


# -- private key forms ------------------------------------------------------------------------


def test_private_forms_round_trip(signing_key):
    public = signing_key.public_key()
    raw = signing_key.export_private_bytes()
    assert len(raw) == signing_key.kind.scalar_size
    assert SigningKey.from_private_bytes(signing_key.kind, raw).public_key() == public
    assert SigningKey.from_jwk(signing_key.export_private_jwk()).public_key() == public
    secret = signing_key.export_secret_multibase()
    assert SigningKey.from_secret_multibase(secret).public_key() == public
    pem = signing_key.export_pem(passphrase=None)
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert SigningKey.from_pem(pem).public_key() == public


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=32, max_size=32))
def test_ed25519_seed_round_trips(seed):
    key = SigningKey.from_private_bytes(KeyKind.ED25519, seed)
    assert key.export_private_bytes() == seed
    assert SigningKey.from_jwk(key.export_private_jwk()).export_private_bytes() == seed
    assert (
        SigningKey.from_secret_multibase(key.export_secret_multibase()).export_private_bytes()
        == seed
    )
    assert PublicKey.from_multibase(key.public_key().to_multibase()) == key.public_key()


@settings(max_examples=25, deadline=None)
@given(st.sampled_from([KeyKind.P256, KeyKind.P384]), st.data())
def test_ecdsa_scalar_round_trips(kind, data):
    scalar = data.draw(st.integers(min_value=1, max_value=ORDERS[kind] - 1))
    raw = scalar.to_bytes(kind.scalar_size, "big")
    key = SigningKey.from_private_bytes(kind, raw)
    assert key.export_private_bytes() == raw
    assert SigningKey.from_jwk(key.export_private_jwk()).export_private_bytes() == raw
    assert (
        SigningKey.from_secret_multibase(key.export_secret_multibase()).export_private_bytes()
        == raw
    )
    assert PublicKey.from_jwk(key.public_key().to_jwk()) == key.public_key()
    assert SigningKey.from_pem(key.export_pem(passphrase=None)).export_private_bytes() == raw


@pytest.mark.parametrize(
    ("kind", "data", "match"),
    [
        (
            KeyKind.ED25519,
            bytes(31),
            "invalid Ed25519 private key length: expected 32 bytes, got 31",
        ),
        (KeyKind.P384, bytes(32), "expected 48 bytes, got 32"),
        (KeyKind.P256, bytes(32), "invalid P-256 private scalar"),
        (KeyKind.P256, b"\xff" * 32, "invalid P-256 private scalar"),
    ],
)
def test_from_private_bytes_rejects_bad_scalars(kind, data, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        SigningKey.from_private_bytes(kind, data)
    assert info.value.code == "invalid_document"


def test_from_secret_multibase_rejects_bad_values():
    with pytest.raises(
        errors.InvalidDocument, match="secretKeyMultibase must be base58btc"
    ) as info:
        SigningKey.from_secret_multibase("uAAAA")
    assert info.value.code == "invalid_document"
    public = SigningKey.generate(KeyKind.ED25519).public_key().to_multibase()
    with pytest.raises(errors.InvalidDocument, match="0xed is not a secret signing key") as info:
        SigningKey.from_secret_multibase(public)
    assert info.value.code == "invalid_document"


def test_from_jwk_requires_a_matching_d():
    jwk = SigningKey.generate(KeyKind.P256).export_private_jwk()
    with pytest.raises(errors.InvalidDocument, match="private JWK member 'd' must be") as info:
        SigningKey.from_jwk({name: value for name, value in jwk.items() if name != "d"})
    assert info.value.code == "invalid_document"
    other = SigningKey.generate(KeyKind.P256).export_private_jwk()
    with pytest.raises(errors.InvalidDocument, match="'d' does not match its public") as info:
        SigningKey.from_jwk({**jwk, "d": other["d"]})
    assert info.value.code == "invalid_document"


def test_repr_never_shows_secrets(signing_key):
    text = repr(signing_key)
    assert text == (
        f"SigningKey(kind={signing_key.kind.value!r}, "
        f"public_key={signing_key.public_key().to_multibase()!r})"
    )
    assert signing_key.export_private_jwk()["d"] not in text
    assert signing_key.export_private_bytes().hex() not in text
    assert signing_key.export_secret_multibase() not in text


# -- key files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("passphrase", ["correct horse", b"battery staple"])
def test_save_and_load_encrypted(signing_key, tmp_path, passphrase):
    path = tmp_path / "issuer.pem"
    signing_key.save(path, passphrase=passphrase)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    loaded = SigningKey.load(path, passphrase=passphrase)
    assert loaded.public_key() == signing_key.public_key()
    assert loaded.kind is signing_key.kind


def test_save_and_load_unencrypted(tmp_path):
    key = SigningKey.generate(KeyKind.P256)
    path = tmp_path / "dev.pem"
    key.save(path, passphrase=None)
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert SigningKey.load(path).export_private_bytes() == key.export_private_bytes()


def test_save_never_overwrites(tmp_path):
    path = tmp_path / "issuer.pem"
    path.write_bytes(b"keep me")
    with pytest.raises(errors.Conflict, match="private key file already exists") as info:
        SigningKey.generate(KeyKind.ED25519).save(path, passphrase="pw")
    assert info.value.code == "conflict"
    assert path.read_bytes() == b"keep me"


def test_save_reports_unwritable_paths(tmp_path):
    with pytest.raises(errors.ConfigurationError, match="cannot write private key file") as info:
        SigningKey.generate(KeyKind.ED25519).save(tmp_path / "missing" / "k.pem", passphrase="pw")
    assert info.value.code == "configuration_error"


def test_load_reports_missing_files(tmp_path):
    with pytest.raises(errors.ConfigurationError, match="cannot read private key file") as info:
        SigningKey.load(tmp_path / "absent.pem")
    assert info.value.code == "configuration_error"


@pytest.mark.parametrize("passphrase", ["", b""])
def test_export_pem_rejects_empty_passphrase(passphrase):
    with pytest.raises(errors.ConfigurationError, match="passphrase must not be empty") as info:
        SigningKey.generate(KeyKind.ED25519).export_pem(passphrase=passphrase)
    assert info.value.code == "configuration_error"


def test_from_pem_passphrase_errors():
    key = SigningKey.generate(KeyKind.ED25519)
    encrypted = key.export_pem(passphrase="right")
    plain = key.export_pem(passphrase=None)
    cases = [
        (encrypted, "wrong", "malformed PEM or wrong passphrase"),
        (encrypted, None, "the key is encrypted and no passphrase was given"),
        (plain, "extra", "a passphrase was given but the key is not encrypted"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", None, "malformed"),
    ]
    for pem, passphrase, match in cases:
        with pytest.raises(errors.InvalidDocument, match=match) as info:
            SigningKey.from_pem(pem, passphrase=passphrase)
        assert info.value.code == "invalid_document"


@pytest.mark.parametrize(
    "private_key",
    [
        pytest.param(lambda: ec.generate_private_key(ec.SECP256K1()), id="secp256k1"),
        pytest.param(lambda: rsa.generate_private_key(65537, 1024), id="rsa"),
    ],
)
def test_from_pem_rejects_other_key_types(private_key):
    pem = private_key().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(errors.InvalidDocument, match="unsupported private key type") as info:
        SigningKey.from_pem(pem)
    assert info.value.code == "invalid_document"
