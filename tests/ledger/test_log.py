"""The transparency log over the in-memory store: append, sign, prove, audit."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace.errors import InclusionProofInvalid, InvalidDocument, NotFound, TileInvalid
from tradetrace.ledger import audit, merkle, notekeys, proof
from tradetrace.ledger.log import InMemoryLogStore, TransparencyLog, TreeHead, slice_resource

ORIGIN = "tradetrace.test/log"


def _log():
    signer = notekeys.Ed25519Signer.generate(ORIGIN)
    store = InMemoryLogStore()
    return TransparencyLog(store, origin=ORIGIN, signer=signer), store, signer.verifier()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=8))
def test_batches_of_any_size_give_the_rfc9162_root_and_audit(batches):
    log, store, verifier = _log()
    entries = []
    for number, size in enumerate(batches):
        batch = [f"entry {number}.{i}".encode() for i in range(size)]
        assert log.append(batch) == len(entries)
        entries += batch
    expected = merkle.InMemoryTree([merkle.leaf_hash(e) for e in entries])
    signed = log.sign()
    assert signed.checkpoint.size == len(entries)
    assert signed.checkpoint.root_hash == merkle._range_root(0, len(entries), expected)
    result = audit.audit_log(store, [signed.to_text()], origin=ORIGIN, verifiers=[verifier])
    assert result.entries == len(entries)


def test_receipt_verifies_for_its_entry_only():
    log, _, verifier = _log()
    log.append([b"alpha", b"beta", b"gamma"])
    receipt = log.prove(1, log.sign())
    checkpoint = proof.verify_tlog_proof(receipt, b"beta", origin=ORIGIN, verifiers=[verifier])
    assert checkpoint.size == 3
    with pytest.raises(InclusionProofInvalid, match="root hash mismatch for leaf 1") as caught:
        proof.verify_tlog_proof(receipt, b"gamma", origin=ORIGIN, verifiers=[verifier])
    assert caught.value.code == "inclusion_proof_invalid"


def test_prove_beyond_checkpoint_is_not_found():
    log, _, _ = _log()
    log.append([b"a"])
    with pytest.raises(NotFound, match="not in the checkpoint of size 1") as caught:
        log.prove(1, log.sign())
    assert caught.value.code == "not_found"


@pytest.mark.parametrize(
    ("entries", "message"),
    [([b""], "log entry 0: expected 1 to 65535 bytes, got 0"), ([b"x" * 65536], "got 65536")],
)
def test_bad_entries_are_rejected_and_nothing_is_written(entries, message):
    log, store, _ = _log()
    with pytest.raises(InvalidDocument, match=message) as caught:
        log.append(entries)
    assert caught.value.code == "invalid_document"
    assert store.head() == TreeHead(0)
    assert store.resources == {}


def test_keys_are_stored_per_index_and_must_match_entries():
    log, store, _ = _log()
    log.append([b"a", b"b"], keys=["ka", "kb"])
    assert store.keys == {0: "ka", 1: "kb"}
    with pytest.raises(InvalidDocument, match="expected 1 lookup keys, got 2") as caught:
        log.append([b"c"], keys=["x", "y"])
    assert caught.value.code == "invalid_document"


def test_failed_transaction_leaves_store_untouched():
    log, store, _ = _log()
    log.append([b"a"])
    before = (store.head(), dict(store.resources))
    with pytest.raises(RuntimeError, match="boom"), store.append_transaction() as transaction:
        transaction.write(head=TreeHead(5), resources={"tile/0/000.p/5": b"x"}, keys=[])
        raise RuntimeError("boom")
    assert (store.head(), store.resources) == before


def test_empty_append_returns_the_size():
    log, store, _ = _log()
    log.append([b"a"])
    assert log.append([]) == 1
    assert store.head().size == 1


def test_slice_resource_serves_prefixes_and_refuses_more():
    hashes = b"".join(bytes([i]) * 32 for i in range(5))
    assert slice_resource("tile/0/000.p/2", hashes) == hashes[:64]
    with pytest.raises(NotFound, match="5 hashes stored") as caught:
        slice_resource("tile/0/000", hashes)
    assert caught.value.code == "not_found"
    bundle = b"\x00\x01a\x00\x01b\x00\x01c"
    assert slice_resource("tile/entries/000.p/2", bundle) == b"\x00\x01a\x00\x01b"
    assert slice_resource("tile/entries/000.p/3", bundle) == bundle
    with pytest.raises(NotFound, match="3 entries stored") as caught:
        slice_resource("tile/entries/000.p/4", bundle)
    assert caught.value.code == "not_found"
    with pytest.raises(TileInvalid, match="is truncated: 8 bytes") as caught:
        slice_resource("tile/entries/000.p/3", bundle[:-1])
    assert caught.value.code == "tile_invalid"
    with pytest.raises(NotFound, match="no log resource") as missing:
        InMemoryLogStore().read("tile/0/000")
    assert missing.value.code == "not_found"


def test_consistency_proofs_join_any_two_sizes_of_the_stored_tree():
    log, _, _ = _log()
    for start in range(0, 600, 37):
        log.append([b"entry %d" % number for number in range(start, start + 37)])
    tree = merkle.InMemoryTree([merkle.leaf_hash(b"entry %d" % n) for n in range(629)])
    for old, new in [(0, 10), (10, 10), (37, 629), (300, 513), (1, 629)]:
        proof = log.prove_consistency(old, new)
        assert proof == merkle.consistency_proof(old, new, nodes=tree)
    with pytest.raises(NotFound, match="no tree of size 630: the log has 629 entries") as caught:
        log.prove_consistency(10, 630)
    assert caught.value.code == "not_found"


class CountingStore(InMemoryLogStore):
    """The in-memory store, remembering every path read."""

    def __init__(self):
        super().__init__()
        self.reads = []

    def read(self, path):
        self.reads.append(path)
        return super().read(path)


def test_appended_tiles_serve_proofs_without_reading_them_back():
    signer = notekeys.Ed25519Signer.generate(ORIGIN)
    store = CountingStore()
    log = TransparencyLog(store, origin=ORIGIN, signer=signer)
    verifier = signer.verifier()
    log.append([b"entry %d" % number for number in range(600)])
    signed = log.sign()
    reads = store.reads
    reads.clear()
    for index in range(0, 512, 9):
        proof.verify_tlog_proof(
            log.prove(index, signed), b"entry %d" % index, origin=ORIGIN, verifiers=[verifier]
        )
    # Full tiles came from the append; only the right-edge partial tiles were read.
    assert sorted(set(reads)) == ["tile/0/002.p/88", "tile/1/000.p/2"]
