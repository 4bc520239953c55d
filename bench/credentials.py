"""Benchmark: credential verification throughput from bytes, per format, on one core.

The credential is the W3C CCG traceability vocabulary's own steel mill test report example
(``tests/assets/vc/content/valid-mill-test-report.json``, ~2.7 KB), issued by a did:key. Each
format is verified from its wire bytes by ``Verifier.verify`` - the whole pipeline: parse,
envelope, DID key lookup (cached per verifier), proof, issuer binding, validity; status is
absent, trust and ledger are not configured - both with the content (JSON Schema) check and
without it. Next to them: the raw signature verify rates the targets are relative to
(Ed25519 through OpenSSL via ``cryptography`` and through libsodium via PyNaCl, the faster of
the two being the target's baseline; ECDSA P-256 with SHA-256), and an eddsa-rdfc-2022
verification done with pyld (URDNA2015, contexts from memory) for the RDFC comparison.

Informational lines: the formats with a target verified with the fast lane off (the general
pipeline alone), a raw Ed25519 verify over the JWS's own ~3.9 KB signing input, and each
format's *floor*: its signature over its own signing input (the JWS signing input, or the 64
bytes of JCS hash data) plus ``orjson`` parsing its JSON plus the schema check (without it, for
the "no schema" rows), which no pipeline can go below. And the two EdDSA formats with a
revocation and a suspension entry, as the platform issues credentials: "lists cached" keeps the
two verified status list credentials in a status list cache between verifications, "lists
verified" fetches (from memory) and verifies both for every verification, as without one.

Run from the repository root: ``.venv/bin/python bench/credentials.py [--seconds 0.5]
[--rounds 7] [--stages]``. Rates are per CPU second of this one process; rounds alternate
between the measurements and the best round of each counts, so a burst of load on a shared
machine does not favour one over another. ``--stages`` also times each stage of the pipeline on
its own for the three formats with a target, as the fast lane runs them, and prints what the
rest (the header, proof and issuer checks, validity, the cached DID key lookup, the report)
adds.
"""

from __future__ import annotations

import argparse
import copy
import gc
import hashlib
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nacl.signing  # noqa: E402
import orjson  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, ed25519  # noqa: E402

from bench._machine import describe  # noqa: E402
from tradetrace import did, keys, multiformats  # noqa: E402
from tradetrace.credentials import (  # noqa: E402
    content,
    contexts,
    fast_lane,
    issue,
    jose,
    json_input,
    proofs,
    status,
    verify,
)
from tradetrace.credentials.proofs import data_integrity  # noqa: E402
from tradetrace.credentials.status_cache import StatusListCache  # noqa: E402

CREDENTIAL = ROOT / "tests" / "assets" / "vc" / "content" / "valid-mill-test-report.json"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _rates(runs: dict[str, Callable[[], object]], seconds: float, rounds: int) -> dict[str, float]:
    """Best operations per CPU second of each run over ``rounds`` alternating rounds.

    CPU time (``time.process_time``) rather than wall time: on a shared machine the process
    waits for a core now and then, which would count against whichever run it hit.
    """
    best = dict.fromkeys(runs, 0.0)
    gc.disable()  # a collection landing in one run would favour the others
    try:
        for _ in range(rounds):
            for name, run in runs.items():
                count, start = 0, time.process_time()
                while (now := time.process_time()) - start < seconds:
                    for _ in range(10):
                        run()
                    count += 10
                best[name] = max(best[name], count / (now - start))
    finally:
        gc.enable()
    return best


def _credential(key: keys.SigningKey) -> dict[str, Any]:
    document = json.loads(CREDENTIAL.read_text(encoding="utf-8"))
    document["issuer"]["id"] = did.create_key_did(key.public_key())
    return document


class _Lists:
    """Status list credentials served from memory (a fetcher without I/O)."""

    def __init__(self, lists: dict[str, bytes]) -> None:
        self.lists = lists

    def fetch(self, url: str) -> bytes:
        return self.lists[url]


def _with_status(
    name: str, fmt: issue.Format, key: keys.SigningKey, resolver: did.Resolver
) -> dict[str, Callable[[], object]]:
    """The credential with a revocation and a suspension entry (as the platform issues it),
    verified with its two lists kept in a status list cache, and fetched and verified afresh
    for every verification (as without a cache)."""
    base = "https://mill.example.com/status"
    lists, entries = {}, []
    for purpose in (status.StatusPurpose.REVOCATION, status.StatusPurpose.SUSPENSION):
        url = f"{base}/{purpose.value}"
        document = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "credentialSubject": status.status_list_subject(url, purpose, status.Bitstring()),
        }
        lists[url] = issue.issue_credential(document, key=key, format=fmt, now=NOW).to_bytes()
        entries.append(
            {
                "id": f"{url}#4711",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose.value,
                "statusListIndex": "4711",
                "statusListCredential": url,
            }
        )
    credential = {**_credential(key), "credentialStatus": entries}
    data = issue.issue_credential(credential, key=key, format=fmt, now=NOW).to_bytes()
    fetcher = _Lists(lists)
    cached = verify.Verifier(resolver, status_lists=fetcher, status_cache=StatusListCache())
    uncached = verify.Verifier(resolver, status_lists=fetcher)
    for verifier in (cached, uncached, cached):
        report = verifier.verify(data, now=NOW)
        assert report.verified() and report.checks[4].code == "status_active", report.to_json()
    return {
        f"{name} + status (lists cached)": partial(cached.verify, data, now=NOW),
        f"{name} + status (lists verified)": partial(uncached.verify, data, now=NOW),
    }


def _raw_ed25519() -> dict[str, Callable[[], object]]:
    private = ed25519.Ed25519PrivateKey.generate()
    message = hashlib.sha512(b"hash data").digest()  # 64 bytes, as eddsa-jcs-2022 signs
    signature, public = private.sign(message), private.public_key()
    nacl_key = nacl.signing.SigningKey(private.private_bytes_raw())
    signed, verify_key = nacl_key.sign(message), nacl_key.verify_key
    return {
        "raw Ed25519 (OpenSSL)": lambda: public.verify(signature, message),
        "raw Ed25519 (libsodium)": lambda: verify_key.verify(signed),
    }


def _raw_p256() -> Callable[[], object]:
    private = ec.generate_private_key(ec.SECP256R1())
    message = b"x" * 200  # the signing input of a JWS is hashed by the verify call itself
    signature, public = private.sign(message, ec.ECDSA(hashes.SHA256())), private.public_key()
    return lambda: public.verify(signature, message, ec.ECDSA(hashes.SHA256()))


def _pyld_rdfc(secured: dict[str, Any], public: keys.PublicKey) -> Callable[[], object] | None:
    """eddsa-rdfc-2022 verification (vc-di-eddsa §3.2.2) with pyld doing the canonicalization."""
    try:
        from pyld import jsonld as pyld  # type: ignore[import-untyped]
    except ImportError:
        return None
    documents = {url: contexts.load_bundled_context(url) for url in contexts.INDEX}

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": documents[url]}

    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
    data = json.dumps(secured).encode()

    def run() -> None:
        document = json.loads(data)
        proof = document.pop("proof")
        signature = multiformats.decode_base58btc(proof.pop("proofValue")[1:])
        proof["@context"] = document["@context"]
        config = pyld.normalize(copy.deepcopy(proof), dict(options)).encode()
        canonical = pyld.normalize(document, dict(options)).encode()
        public.verify(
            signature, hashlib.sha256(config).digest() + hashlib.sha256(canonical).digest()
        )

    run()  # fails loudly if pyld disagrees
    return run


def _raw_ed25519_jws(data: bytes, key: keys.SigningKey) -> Callable[[], object]:
    """Raw libsodium Ed25519 over a JWS's own signing input (informational: the target stays
    relative to the 64-byte message of :func:`_raw_ed25519`)."""
    jws = jose.parse_compact(data)
    verify_key = nacl.signing.VerifyKey(key.public_key().raw)
    signed = jws.signature + jws.signing_input
    verify_key.verify(signed)
    return lambda: verify_key.verify(signed)


def _jws_floor(data: bytes, key: keys.SigningKey, schema: bool) -> Callable[[], object]:
    """What no JWS pipeline goes below: the signature over the signing input, ``orjson`` on
    the payload and (``schema``) the content check."""
    jws = jose.parse_compact(data)
    public, payload, signature, signing_input = (
        key.public_key(),
        jws.payload,
        jws.signature,
        jws.signing_input,
    )
    validate = content.validate_content

    def run() -> None:
        document = orjson.loads(payload)
        public.verify(signature, signing_input)
        if schema:
            validate(document)

    return run


def _jcs_floor(data: bytes, key: keys.SigningKey, schema: bool) -> Callable[[], object]:
    """What no JCS pipeline goes below: the signature over the 64 bytes of hash data,
    ``orjson`` on the document and (``schema``) the content check."""
    document = orjson.loads(data)
    proof = proofs.parse_proof(document["proof"])
    signature = data_integrity.decode_proof_value(proof.proof_value, key.kind)
    signed = data_integrity.jcs_hash_data(
        data_integrity.unsecured_document(document),
        proof.options,
        suite=proof.cryptosuite,
        hash_function=data_integrity.hash_for(key.kind),
    )
    public, validate = key.public_key(), content.validate_content

    def run() -> None:
        parsed = orjson.loads(data)
        public.verify(signature, signed)
        if schema:
            validate(parsed)

    return run


def _jws_stages(data: bytes, key: keys.SigningKey) -> dict[str, Callable[[], object]]:
    """The stages of verifying a compact JWS credential (VC-JOSE-COSE §3.1) as the fast lane
    runs them, each on its own."""
    jws = jose.parse_compact(data)
    payload = json_input.parse_json(jws.payload, max_bytes=2**20, max_depth=64, for_jcs=False)
    public = key.public_key()
    return {
        "split + base64url decode": lambda: jose.parse_compact(data),
        "payload JSON parse": lambda: json_input.parse_json(
            jws.payload, max_bytes=2**20, max_depth=64, for_jcs=False
        ),
        "envelope (plain checks)": lambda: fast_lane._envelope(payload.value),
        "signature over the signing input": lambda: public.verify(jws.signature, jws.signing_input),
        "schema (jsonschema-rs)": lambda: content.validate_content(payload.value),
    }


def _jcs_stages(data: bytes, key: keys.SigningKey) -> dict[str, Callable[[], object]]:
    """The stages of verifying an eddsa-jcs-2022 proof (vc-di-eddsa §3.3.2) as the fast lane
    runs them, each on its own."""
    document = orjson.loads(data)
    proof = document["proof"]
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    unsecured = data_integrity.unsecured_document(document)
    public = key.public_key()

    def parse() -> object:
        json_input.sorts_as_utf16(data)
        return data.count(b"{") + data.count(b"["), orjson.loads(data)

    def hash_data() -> bytes:
        config = {**options, "@context": document["@context"]}
        canonical_config = json_input.sorted_json(config)
        canonical_document = json_input.sorted_json(unsecured)
        assert canonical_config is not None and canonical_document is not None
        return (
            hashlib.sha256(canonical_config).digest() + hashlib.sha256(canonical_document).digest()
        )

    signature = data_integrity.decode_proof_value(proof["proofValue"], key.kind)
    signed = hash_data()
    return {
        "JSON parse, depth and key order checks": parse,
        "envelope (plain checks)": lambda: fast_lane._envelope(document),
        "proofValue base58 decode": lambda: data_integrity.decode_proof_value(
            proof["proofValue"], key.kind
        ),
        "JCS (JCS-ready dumps) + SHA-256": hash_data,
        "signature over 64 bytes": lambda: public.verify(signature, signed),
        "schema (jsonschema-rs)": lambda: content.validate_content(document),
    }


def _print_stages(
    stages: dict[str, dict[str, Callable[[], object]]], seconds: float, rounds: int
) -> None:
    """CPU microseconds per stage, and what the rest of the whole pipeline adds."""
    print("stages (us CPU per verification, best round):")
    for name, runs in stages.items():
        rates = _rates(runs, seconds, rounds)
        costs = {stage: 1e6 / rate for stage, rate in rates.items()}
        whole = costs.pop("whole pipeline")
        print(f"  {name}: whole pipeline {whole:.1f}")
        for stage, cost in costs.items():
            print(f"    {stage:38} {cost:7.1f}")
        rest = whole - sum(costs.values())
        print(f"    {'rest (checks, key lookup, report)':38} {rest:7.1f}")


def main() -> None:
    """Print the machine, the rates and the ratios against the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="time per round")
    parser.add_argument("--rounds", type=int, default=7, help="rounds; the best one counts")
    parser.add_argument("--stages", action="store_true", help="also time each pipeline stage")
    args = parser.parse_args()

    resolver = did.CompositeResolver({"key": did.KeyResolver()})
    skip = verify.UnsafeSkipStatusCheck()
    full = verify.Verifier(resolver, status_lists=skip)
    lean = verify.Verifier(resolver, status_lists=skip, content_validator=None)
    pipeline = verify.Verifier(resolver, status_lists=skip, fast_lane=False)
    ed_key = keys.SigningKey.generate(keys.KeyKind.ED25519)
    p256_key = keys.SigningKey.generate(keys.KeyKind.P256)
    formats = {
        "vc-jwt EdDSA": (issue.Format.VC_JWT, ed_key),
        "vc-jwt ES256": (issue.Format.VC_JWT, p256_key),
        "eddsa-jcs-2022": (issue.Format.EDDSA_JCS_2022, ed_key),
        "ecdsa-jcs-2019 P-256": (issue.Format.ECDSA_JCS_2019, p256_key),
        "eddsa-rdfc-2022": (issue.Format.EDDSA_RDFC_2022, ed_key),
    }
    runs: dict[str, Callable[[], object]] = {}
    floors: dict[str, Callable[[], object]] = {}
    stages: dict[str, dict[str, Callable[[], object]]] = {}
    secured_rdfc: dict[str, Any] = {}
    for name, (fmt, key) in formats.items():
        secured = issue.issue_credential(_credential(key), key=key, format=fmt, now=NOW)
        data = secured.to_bytes()
        for label, verifier in (("", full), (" (no schema)", lean)):
            report = verifier.verify(data, now=NOW)
            assert report.verified(), report.to_json()
            runs[name + label] = lambda v=verifier, d=data: v.verify(d, now=NOW)
        if name in ("vc-jwt EdDSA", "vc-jwt ES256", "eddsa-jcs-2022"):
            assert pipeline.verify(data, now=NOW) == full.verify(data, now=NOW)
            runs[name + " (no fast lane)"] = partial(pipeline.verify, data, now=NOW)
            floor = _jws_floor if fmt is issue.Format.VC_JWT else _jcs_floor
            floors[name] = floor(data, key, True)
            floors[name + " (no schema)"] = floor(data, key, False)
        if name == "vc-jwt EdDSA":
            floors["raw Ed25519 JWS input (libsodium)"] = _raw_ed25519_jws(data, key)
        if name in ("vc-jwt EdDSA", "eddsa-jcs-2022"):
            runs.update(_with_status(name, fmt, key, resolver))
        if name in ("vc-jwt EdDSA", "vc-jwt ES256"):
            stages[name] = _jws_stages(data, key)
        elif name == "eddsa-jcs-2022":
            stages[name] = _jcs_stages(data, key)
        if name in stages:
            stages[name]["whole pipeline"] = runs[name]
        if fmt is issue.Format.EDDSA_RDFC_2022:
            assert isinstance(secured.document, dict)
            secured_rdfc = secured.document
        print(f"{name:22} {len(data):5} bytes on the wire")
    runs.update(_raw_ed25519())
    runs["raw P-256 ECDSA"] = _raw_p256()
    runs["raw Ed25519 JWS input (libsodium)"] = floors.pop("raw Ed25519 JWS input (libsodium)")
    runs.update({f"floor {name}": run for name, run in floors.items()})
    pyld_run = _pyld_rdfc(secured_rdfc, ed_key.public_key())
    if pyld_run is not None:
        runs["eddsa-rdfc-2022 via pyld"] = pyld_run

    print(f"machine: {describe()}")
    rates = _rates(runs, args.seconds, args.rounds)
    for name, rate in rates.items():
        print(f"{name:42} {rate:>9,.0f} verifications/s  {1e6 / rate:8.1f} us CPU")
    ed_raw = max(rates["raw Ed25519 (OpenSSL)"], rates["raw Ed25519 (libsodium)"])
    targets = [
        ("vc-jwt EdDSA", ed_raw, 0.70, "of raw Ed25519"),
        ("eddsa-jcs-2022", ed_raw, 0.70, "of raw Ed25519"),
        ("vc-jwt ES256", rates["raw P-256 ECDSA"], 0.70, "of raw P-256"),
    ]
    print("ratios (target in brackets):")
    for name, base, target, what in targets:
        for label in ("", " (no schema)"):
            ratio = rates[name + label] / base
            mark = "ok" if ratio >= target else "BELOW"
            print(f"  {name + label:32} {ratio:6.0%} {what} [>= {target:.0%}] {mark}")
    if pyld_run is not None:
        for label in ("", " (no schema)"):
            ratio = rates["eddsa-rdfc-2022" + label] / rates["eddsa-rdfc-2022 via pyld"]
            mark = "ok" if ratio >= 2.5 else "BELOW"
            print(f"  {'eddsa-rdfc-2022' + label:32} {ratio:6.1f}x pyld [>= 2.5x] {mark}")
    else:
        print("  pyld not installed: no RDFC comparison (pip install pyld)")
    print("against the floor (informational; floor cost / pipeline cost):")
    for name, _, _, _ in targets:
        for label in ("", " (no schema)"):
            share = rates[name + label] / rates[f"floor {name}{label}"]
            floor_us = 1e6 / rates[f"floor {name}{label}"]
            print(f"  {name + label:32} {share:6.0%} of the floor rate ({floor_us:.1f} us)")
    if args.stages:
        _print_stages(stages, args.seconds, args.rounds)


if __name__ == "__main__":
    main()
