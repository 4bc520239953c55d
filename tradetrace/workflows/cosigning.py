"""The log's side of C2SP tlog-witness: ask each configured witness to cosign a new checkpoint.

For every witness the log remembers the size it last had cosigned and sends ``old <size>``, the
RFC 9162 consistency proof from that size, and the signed checkpoint. A witness that has another
size answers 409 with it (``text/x.tlog.size``); the log then retries once from that size.
Every returned cosignature is verified against the witness's pinned key (tlog-cosignature)
before it is added to the checkpoint; anything else from the witness is ignored.

Witnessing is best effort: an unreachable or misbehaving witness is logged and skipped, and the
checkpoint is published with the cosignatures that did verify. Clients decide how many they
need (``verify_tlog_proof(..., quorum=N)``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from tradetrace.errors import CheckpointInvalid, ConfigurationError, InvalidDocument
from tradetrace.ledger import checkpoint as ledger_checkpoint
from tradetrace.ledger import note, notekeys, witness

__all__ = ["SIZE_MEDIA_TYPE", "ConsistencyProver", "Cosigning", "WitnessEndpoint"]

_logger = logging.getLogger(__name__)

SIZE_MEDIA_TYPE = "text/x.tlog.size"
"""Content type of a witness's 409 answer: its latest cosigned size (tlog-witness)."""

ConsistencyProver = Callable[[int, int], Sequence[bytes]]
"""``(old_size, new_size) -> proof``: the log's RFC 9162 consistency proofs."""


@dataclass(frozen=True, slots=True)
class WitnessEndpoint:
    """A witness: its submission prefix and its cosignature verifier key (tlog-witness)."""

    url: str
    verifier: notekeys.CosignatureVerifier

    @classmethod
    def from_setting(cls, value: str) -> WitnessEndpoint:
        """Parse ``URL=VKEY``, as in the ``witnesses`` setting; ``ConfigurationError`` if bad.

        The URL is everything before the first ``=``, so it cannot hold one itself.
        """
        url, _, vkey = value.partition("=")
        if not url.startswith(("http://", "https://")) or not vkey:
            raise ConfigurationError(f"witness {value[:80]!r}: expected URL=VKEY")
        try:
            verifier = notekeys.verifier_from_vkey(vkey)
        except InvalidDocument as exc:
            raise ConfigurationError(f"witness {url}: {exc.message}") from exc
        if not isinstance(verifier, notekeys.CosignatureVerifier):
            raise ConfigurationError(f"witness {url}: the vkey is not a cosignature key")
        return cls(url.rstrip("/"), verifier)


class Cosigning:
    """Collects witness cosignatures for a log's checkpoints through an injected HTTP client."""

    def __init__(self, client: httpx.Client, witnesses: Sequence[WitnessEndpoint]) -> None:
        self._client = client
        self._witnesses = tuple(witnesses)
        self._sizes: dict[str, int] = {}  # per witness URL: the size it last cosigned
        self._lock = threading.Lock()

    @property
    def witnesses(self) -> tuple[WitnessEndpoint, ...]:
        """The configured witnesses."""
        return self._witnesses

    def cosign(
        self, signed: ledger_checkpoint.SignedCheckpoint, *, prove: ConsistencyProver
    ) -> ledger_checkpoint.SignedCheckpoint:
        """Return ``signed`` with every cosignature the witnesses gave and that verified.

        Signatures the note already carries are not added twice.
        """
        present = {(sig.name, sig.key_id) for sig in signed.note.signatures}
        added: list[note.NoteSignature] = []
        # All witnesses at once: a checkpoint waits for the slowest witness, not for the sum.
        with ThreadPoolExecutor(max(len(self._witnesses), 1)) as pool:
            answers = list(pool.map(lambda w: self._try(w, signed, prove), self._witnesses))
        for cosignatures in answers:
            for sig in cosignatures:
                if (sig.name, sig.key_id) not in present:
                    present.add((sig.name, sig.key_id))
                    added.append(sig)
        if not added:
            return signed
        return ledger_checkpoint.SignedCheckpoint(
            signed.checkpoint, signed.note.with_signatures(*added)
        )

    def _try(
        self,
        endpoint: WitnessEndpoint,
        signed: ledger_checkpoint.SignedCheckpoint,
        prove: ConsistencyProver,
    ) -> tuple[note.NoteSignature, ...]:
        try:
            return self._submit(endpoint, signed, prove)
        except (httpx.HTTPError, InvalidDocument, CheckpointInvalid) as exc:
            _logger.warning("witness %s did not cosign: %s", endpoint.url, exc)
            return ()

    def _submit(
        self,
        endpoint: WitnessEndpoint,
        signed: ledger_checkpoint.SignedCheckpoint,
        prove: ConsistencyProver,
    ) -> tuple[note.NoteSignature, ...]:
        with self._lock:
            old = self._sizes.get(endpoint.url, 0)
        response = self._post(endpoint, old, signed, prove)
        if response.status_code == 409 and _is_size(response):
            # The witness has cosigned another size (a restart, another node): retry once.
            response = self._post(endpoint, _witness_size(response), signed, prove)
        if response.status_code != 200:
            raise InvalidDocument(f"add-checkpoint answered HTTP {response.status_code}")
        cosignatures = _verify(signed, response.text, endpoint.verifier)
        with self._lock:
            self._sizes[endpoint.url] = signed.checkpoint.size
        return cosignatures

    def _post(
        self,
        endpoint: WitnessEndpoint,
        old: int,
        signed: ledger_checkpoint.SignedCheckpoint,
        prove: ConsistencyProver,
    ) -> httpx.Response:
        size = signed.checkpoint.size
        if old > size:
            raise InvalidDocument(f"the witness has cosigned size {old}, beyond {size}")
        proof = tuple(prove(old, size)) if 0 < old < size else ()
        body = witness.AddCheckpointRequest(old, proof, signed).to_text()
        return self._client.post(f"{endpoint.url}/add-checkpoint", content=body)


def _is_size(response: httpx.Response) -> bool:
    media_type: str = response.headers.get("content-type", "")
    return media_type.split(";")[0].strip() == SIZE_MEDIA_TYPE


def _witness_size(response: httpx.Response) -> int:
    text = response.text
    if not text.endswith("\n") or not text[:-1].isdigit() or not text[:-1].isascii():
        raise InvalidDocument(f"malformed witness size {text[:24]!r}")
    return int(text[:-1])


def _verify(
    signed: ledger_checkpoint.SignedCheckpoint, body: str, key: notekeys.CosignatureVerifier
) -> tuple[note.NoteSignature, ...]:
    """The cosignatures in a 200 body made by ``key`` over this checkpoint (tlog-witness).

    The body is note signature lines; as the spec suggests, they are verified as the signature
    block of the checkpoint's note, ignoring unknown keys. Raises ``CheckpointInvalid``.
    """
    if not body.endswith("\n"):
        raise CheckpointInvalid("malformed cosignature response: no final newline")
    lines = body[:-1].split("\n")
    if len(lines) > note.MAX_SIGNATURES:
        raise CheckpointInvalid(f"witness sent {len(lines)} signature lines")
    returned = tuple(note.NoteSignature.from_line(line) for line in lines)
    return note.verify_note(note.Note(signed.note.text, returned), [key])
