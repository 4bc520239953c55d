"""Builds the scenario files in tests/assets/vc/ (see its README.md) and the keys they use.

Run ``.venv/bin/python -m tests.credentials.vc_assets`` from the repository root to rewrite
them. Ed25519 signatures are deterministic, so ``test_issue.py`` rebuilds every Ed25519 asset
and compares bytes; ECDSA assets (randomised signatures) are only verified.
"""

from __future__ import annotations

import base64
import copy
import json
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tradetrace import did, errors, keys
from tradetrace.credentials import issue, proofs, status

ASSETS = Path(__file__).parents[1] / "assets"
VC = ASSETS / "vc"
VECTORS = ASSETS / "vectors"
ISSUED_AT = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
VALID_UNTIL = "2027-01-15T09:30:00Z"
CHALLENGE = "5c1d9a4e-7f1b-4f6e-9d2b-3b8f0c1e2a77"
DOMAIN = "https://verifier.cbp.example"


def vector_key(name: str) -> keys.SigningKey:
    """A W3C vector key: ``ed25519`` (vc-di-eddsa), ``p256`` or ``p384`` (vc-di-ecdsa)."""
    path = {
        "ed25519": VECTORS / "w3c-vc-di-eddsa" / "keyPair.json",
        "p256": VECTORS / "w3c-vc-di-ecdsa" / "p256KeyPair.json",
        "p384": VECTORS / "w3c-vc-di-ecdsa" / "p384KeyPair.json",
    }[name]
    pair = json.loads(path.read_text())
    secret = pair.get("secretKeyMultibase") or pair["privateKeyMultibase"]
    return keys.SigningKey.from_secret_multibase(secret)


def status_list_document(
    url: str, purpose: status.StatusPurpose, *, set_bits: Iterable[int] = (), **subject: Any
) -> dict[str, Any]:
    """An unsigned ``BitstringStatusListCredential`` at ``url`` with ``set_bits`` set; ``subject``
    adds or replaces members of its subject (Bitstring Status List §2.2)."""
    bits = status.Bitstring()
    for index in set_bits:
        bits.set(index, True)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "credentialSubject": {**status.status_list_subject(url, purpose, bits), **subject},
    }


class MemoryStatusLists:
    """A status list fetcher serving lists from memory by URL, recording each fetch; a URL it
    does not hold is unreachable."""

    def __init__(self, lists: dict[str, Any]) -> None:
        self.lists = lists
        self.fetched: list[str] = []

    def fetch(self, url: str) -> Any:
        self.fetched.append(url)
        if url not in self.lists:
            raise errors.NotFound(f"no status list at {url}")
        return self.lists[url]


def other_key() -> keys.SigningKey:
    """A second Ed25519 key, from a fixed seed: the forger of the scenarios."""
    return keys.SigningKey.from_private_bytes(keys.KeyKind.ED25519, bytes(range(32)))


def key_did(key: keys.SigningKey) -> str:
    return did.create_key_did(key.public_key())


def mill_test_report(key: keys.SigningKey) -> dict[str, Any]:
    """The vocabulary's mill test report example, issued by ``key``'s did:key."""
    document = json.loads((VC / "content" / "valid-mill-test-report.json").read_text())
    document["issuer"]["id"] = key_did(key)
    document["validFrom"] = "2026-01-15T09:30:00Z"
    document["validUntil"] = VALID_UNTIL
    return document


def with_status(document: dict[str, Any], issuer_did: str) -> dict[str, Any]:
    """``document`` with a revocation and a suspension entry in the issuer's status lists."""
    document = copy.deepcopy(document)
    base = "https://mill.example.com/status"
    document["credentialStatus"] = [
        {
            "id": f"{base}/revocation#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": f"{base}/revocation",
        },
        {
            "id": f"{base}/suspension#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "suspension",
            "statusListIndex": "94567",
            "statusListCredential": f"{base}/suspension",
        },
    ]
    document["issuer"]["id"] = issuer_did
    return document


def v2_only_credential(key: keys.SigningKey) -> dict[str, Any]:
    """A credential with only the VC 2.0 context, so a new term would be undefined."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:0b6e6f0e-3a51-4c43-9a1e-6d0c7f8a2b11",
        "type": ["VerifiableCredential"],
        "issuer": key_did(key),
        "validFrom": "2026-01-15T09:30:00Z",
        "credentialSubject": {"id": "did:web:importer.example.com"},
    }


def secure(document: dict[str, Any], key: keys.SigningKey, fmt: issue.Format) -> issue.Secured:
    return issue.issue_credential(document, key=key, format=fmt, now=ISSUED_AT)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def deterministic_assets() -> dict[str, str]:
    """Every Ed25519 scenario file, by name: the same bytes on every run."""
    ed, forger = vector_key("ed25519"), other_key()
    files: dict[str, str] = {}
    valid = secure(mill_test_report(ed), ed, issue.Format.EDDSA_JCS_2022).document
    assert isinstance(valid, dict)
    files["valid-eddsa-jcs-2022.json"] = _json(valid)
    rdfc = secure(mill_test_report(ed), ed, issue.Format.EDDSA_RDFC_2022).document
    files["valid-eddsa-rdfc-2022.json"] = _json(rdfc)
    token = secure(mill_test_report(ed), ed, issue.Format.VC_JWT).document
    assert isinstance(token, str)
    files["valid-vc-jwt-eddsa.jwt"] = token + "\n"

    tampered = copy.deepcopy(valid)
    tampered["credentialSubject"]["inspections"][0]["heatNumber"] = "61317"
    files["tampered-subject-eddsa-jcs-2022.json"] = _json(tampered)

    swapped = copy.deepcopy(valid)
    swapped["issuer"]["id"] = key_did(forger)
    files["swapped-issuer-eddsa-jcs-2022.json"] = _json(swapped)

    # The forger signs, with its own key, a credential that names the vector key's DID as its
    # issuer. issue_credential refuses that, so the proof is made directly.
    forged = mill_test_report(ed)
    forged["id"] = valid["id"]
    method = f"{key_did(forger)}#{key_did(forger).removeprefix('did:key:')}"
    options = {**valid["proof"], "verificationMethod": method}
    del options["proofValue"], options["@context"]
    suite = proofs.find_cryptosuite("eddsa-jcs-2022")
    assert suite is not None
    files["other-signer-eddsa-jcs-2022.json"] = _json(
        {**forged, "proof": suite.create_proof(forged, options, forger)}
    )

    other = secure(v2_only_credential(ed), ed, issue.Format.EDDSA_JCS_2022).document
    assert isinstance(other, dict)
    files["proof-from-other-document-eddsa-jcs-2022.json"] = _json(
        {**other, "proof": valid["proof"]}
    )

    unknown = copy.deepcopy(valid)
    unknown["proof"]["cryptosuite"] = "eddsa-2099"
    files["unknown-cryptosuite.json"] = _json(unknown)

    web = mill_test_report(ed)
    web["issuer"]["id"] = "did:web:unreachable.example.com"
    unresolvable = issue.issue_credential(
        web,
        key=ed,
        format=issue.Format.EDDSA_JCS_2022,
        now=ISSUED_AT,
        issuer="did:web:unreachable.example.com",
        verification_method="did:web:unreachable.example.com#key-1",
    ).document
    files["unresolvable-did-eddsa-jcs-2022.json"] = _json(unresolvable)

    undefined = secure(v2_only_credential(ed), ed, issue.Format.EDDSA_RDFC_2022).document
    assert isinstance(undefined, dict)
    undefined["credentialSubject"]["quantityKg"] = 1000
    files["undefined-term-eddsa-rdfc-2022.json"] = _json(undefined)

    header, payload, signature = token.split(".")
    edited = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    edited["credentialSubject"]["inspections"][0]["heatNumber"] = "61317"
    edited_payload = _b64(json.dumps(edited, separators=(",", ":")).encode())
    files["payload-edited-vc-jwt-eddsa.jwt"] = f"{header}.{edited_payload}.{signature}\n"

    none_header = _b64(json.dumps({"alg": "none", "kid": method, "typ": "vc+jwt"}).encode())
    files["alg-none.jwt"] = f"{none_header}.{payload}.\n"

    # The forger's signature on the valid payload, under a header naming the vector key.
    ed_method = f"{key_did(ed)}#{key_did(ed).removeprefix('did:key:')}"
    relabelled = _b64(json.dumps({"alg": "EdDSA", "kid": ed_method, "typ": "vc+jwt"}).encode())
    forged_signature = _b64(forger.sign(f"{relabelled}.{payload}".encode()))
    files["wrong-key-vc-jwt-eddsa.jwt"] = f"{relabelled}.{payload}.{forged_signature}\n"

    revocable = secure(with_status(mill_test_report(ed), key_did(ed)), ed, issue.Format.VC_JWT)
    files["with-status-vc-jwt-eddsa.jwt"] = str(revocable.document) + "\n"

    presentation = issue.issue_presentation(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "urn:uuid:6f1f3c1e-8f65-4b8e-9b61-0c3a9d1f5e42",
            "type": ["VerifiablePresentation"],
        },
        credentials=[valid, token],
        key=ed,
        format=issue.Format.EDDSA_JCS_2022,
        now=ISSUED_AT,
        challenge=CHALLENGE,
        domain=DOMAIN,
    ).document
    files["valid-vp-eddsa-jcs-2022.json"] = _json(presentation)
    return files


def randomised_assets() -> dict[str, str]:
    """The ECDSA scenario files: their signatures differ on every run."""
    files: dict[str, str] = {}
    for curve in ("p256", "p384"):
        key = vector_key(curve)
        jcs = secure(mill_test_report(key), key, issue.Format.ECDSA_JCS_2019).document
        files[f"valid-ecdsa-jcs-2019-{curve}.json"] = _json(jcs)
        rdfc = secure(mill_test_report(key), key, issue.Format.ECDSA_RDFC_2019).document
        files[f"valid-ecdsa-rdfc-2019-{curve}.json"] = _json(rdfc)
        alg = "es256" if curve == "p256" else "es384"
        files[f"valid-vc-jwt-{alg}.jwt"] = (
            f"{secure(mill_test_report(key), key, issue.Format.VC_JWT).document}\n"
        )
    return files


def main() -> None:
    for name, text in {**deterministic_assets(), **randomised_assets()}.items():
        (VC / name).write_text(text, encoding="utf-8")
        sys.stdout.write(f"wrote {VC / name}\n")


if __name__ == "__main__":
    main()
