"""The offline auditor: the Tessera log passes, and every kind of tampering is named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tradetrace.errors import (
    CheckpointInvalid,
    ConsistencyProofInvalid,
    InvalidDocument,
    NotFound,
    TileInvalid,
)
from tradetrace.ledger import (
    EMPTY_ROOT,
    AuditResult,
    Cosigner,
    MappingTileReader,
    NoteSignature,
    SignedCheckpoint,
    audit_log,
    leaf_hash,
    verifier_from_vkey,
)

from .factories import (
    TESSERA,
    TESSERA_ORIGIN,
    TESSERA_VKEY,
    entries,
    flip,
    make_log,
    tessera_checkpoint,
    tessera_reader,
)

ALL = [tessera_checkpoint(size) for size in range(16)]
NOW = datetime(2026, 11, 27, tzinfo=UTC)
TESSERA_POLICY = {"origin": TESSERA_ORIGIN, "verifiers": [verifier_from_vkey(TESSERA_VKEY)]}


def _tessera(overrides=None, checkpoints=ALL):
    return audit_log(tessera_reader(overrides), checkpoints, **TESSERA_POLICY)


def _audit(log, checkpoints, reader=None):
    policy = {"origin": log.origin, "verifiers": [log.signer.verifier()]}
    return audit_log(reader or log.reader, checkpoints, **policy)


def _flipped(path, position, mask=0x01):
    return {path: flip((TESSERA / path).read_bytes(), position, mask)}


def _raises(error, message, call, *args, **kwargs):
    with pytest.raises(error, match=message) as caught:
        call(*args, **kwargs)
    assert caught.value.code == error.code
    return caught.value


@pytest.mark.parametrize("size", range(16))
def test_every_tessera_checkpoint_audits_on_its_own(size):
    result = _tessera(checkpoints=tessera_checkpoint(size))
    assert (result.sizes, result.entries) == ((size,), size)
    assert result.tiles == result.bundles == (1 if size else 0)


def test_whole_tessera_history_audits_in_any_order():
    result = _tessera()
    assert result == AuditResult(
        origin=TESSERA_ORIGIN,
        sizes=tuple(range(16)),
        root_hash=result.root_hash,
        entries=15,
        tiles=29,
        bundles=29,
    )
    assert _tessera(checkpoints=list(reversed(ALL))) == result
    assert _tessera(checkpoints=[ALL[15], ALL[3], ALL[3], ALL[9]]).sizes == (3, 9, 15)


def test_flipped_byte_in_the_latest_tile_is_named():
    _raises(
        TileInvalid,
        r"^tile/0/000.p/15 hash 2 does not match entry 2 in tile/entries/000.p/15: tile has ",
        _tessera,
        _flipped("tile/0/000.p/15", 2 * 32 + 5),
    )


def test_flipped_byte_in_an_older_tile_is_named():
    _raises(
        TileInvalid,
        r"^tile/0/000.p/7 item 3 does not match tile/0/000.p/15: expected ",
        _tessera,
        _flipped("tile/0/000.p/7", 3 * 32),
    )
    _raises(
        TileInvalid,
        r"^tile/0/000.p/7 hash 3 does not match entry 3",
        _tessera,
        _flipped("tile/0/000.p/7", 3 * 32),
        ALL[7],
    )


def test_flipped_byte_in_an_entry_bundle_is_named():
    _raises(
        TileInvalid,
        r"^tile/0/000.p/15 hash 1 does not match entry 1 in tile/entries/000.p/15",
        _tessera,
        _flipped("tile/entries/000.p/15", 7),
    )
    _raises(
        TileInvalid,
        r"^tile/entries/000.p/15: entry bundle is truncated",
        _tessera,
        _flipped("tile/entries/000.p/15", 0),
    )
    _raises(
        TileInvalid,
        r"^tile/entries/000.p/4 item 1 does not match tile/entries/000.p/15",
        _tessera,
        _flipped("tile/entries/000.p/4", 7),
    )


def test_wrong_signature_names_the_checkpoint():
    text = ALL[3].decode()
    head, signature = text.rsplit(" ", 1)
    tampered = f"{head} {signature[:10]}{'A' if signature[10] != 'A' else 'B'}{signature[11:]}"
    _raises(
        CheckpointInvalid,
        r"^checkpoint 3: signature by example.com/log/testdata\+33d7b496 does not verify",
        _tessera,
        None,
        [*ALL[:3], tampered.encode(), *ALL[4:]],
    )


def test_checkpoint_for_another_origin_is_named():
    other = make_log(entries(3), origin="example.com/other")
    _raises(
        CheckpointInvalid,
        r"^checkpoint 1: checkpoint origin mismatch",
        _tessera,
        None,
        [ALL[2], other.checkpoints[3].encode()],
    )


def test_missing_tiles_and_bundles_are_named():
    _raises(
        TileInvalid,
        r"^missing tile/0/000.p/15 for checkpoint at size 15: no file tile/0/000",
        _tessera,
        {"tile/0/000.p/15": None},
    )
    _raises(
        TileInvalid, r"^missing tile/entries/000.p/15", _tessera, {"tile/entries/000.p/15": None}
    )
    _raises(
        TileInvalid,
        r"^missing tile/0/000.p/6 for checkpoint 6 \(size 6\)",
        _tessera,
        {"tile/0/000.p/6": None},
    )


def test_two_checkpoints_of_one_size_with_different_roots_are_a_fork():
    log = make_log(entries(20), batches=[10, 10])
    fork = log.sign(10, leaf_hash(b"another tree"))
    _raises(
        ConsistencyProofInvalid,
        r"^log forked at size 10: checkpoint 1 has root [0-9a-f]{64}, checkpoint 2 has root",
        _audit,
        log,
        [log.checkpoints[20], log.checkpoints[10], fork],
    )


def test_later_checkpoint_inconsistent_with_an_earlier_one_is_named():
    log = make_log(entries(40), batches=[10, 30])
    lie = log.sign(10, make_log(entries(10, tag="other")).leaves[0])
    _raises(
        ConsistencyProofInvalid,
        r"^checkpoint 0 \(size 10\) is not consistent with checkpoint 1 \(size 40\): "
        r"first root hash mismatch",
        _audit,
        log,
        [lie, log.checkpoints[40]],
    )


def test_latest_checkpoint_signing_another_root_is_named():
    log = make_log(entries(40))
    lie = log.sign(40, leaf_hash(b"not the tree"))
    _raises(
        TileInvalid,
        r"^root hash mismatch for checkpoint 0 \(size 40\): tiles give [0-9a-f]{64}, checkpoint",
        _audit,
        log,
        [lie],
    )


@pytest.mark.parametrize("position", [0, 1])
def test_empty_tree_checkpoint_must_carry_the_empty_root(position):
    log = make_log(entries(5))
    bogus = log.sign(0, leaf_hash(b"x"))
    checkpoints = [bogus, log.checkpoints[5]][: position + 1]
    _raises(
        CheckpointInvalid,
        rf"^checkpoint 0 has size 0 but root [0-9a-f]{{64}}, expected {EMPTY_ROOT.hex()}",
        _audit,
        log,
        checkpoints,
    )


def test_two_tile_levels_audit_and_corruption_above_level_zero_is_named():
    log = make_log(entries(256 * 2 + 7), batches=[100, 156, 263])
    checkpoints = list(log.checkpoints.values())
    result = _audit(log, checkpoints)
    assert (result.sizes, result.entries) == ((0, 100, 256, 519), 519)
    broken = dict(log.resources)
    broken["tile/1/000.p/2"] = flip(broken["tile/1/000.p/2"], 40)
    _raises(
        TileInvalid,
        r"^tile/1/000.p/2 hash 1 does not match the root of tile/0/001: tile has ",
        _audit,
        log,
        checkpoints,
        MappingTileReader(broken),
    )
    broken = dict(log.resources)
    broken["tile/0/001"] = flip(broken["tile/0/001"], 32 * 255)
    _raises(
        TileInvalid,
        r"^tile/0/001 hash 255 does not match entry 511",
        _audit,
        log,
        checkpoints,
        MappingTileReader(broken),
    )


def test_pruned_partial_tiles_fall_back_to_full_tiles():
    log = make_log(entries(300), batches=[10, 290])
    for path in ("tile/0/000.p/10", "tile/entries/000.p/10"):
        del log.resources[path]
    assert _audit(log, list(log.checkpoints.values())).sizes == (0, 10, 300)


class VanishingReader:
    """Serves one path only once, as if the log deleted it in the middle of the audit."""

    def __init__(self, reader, path):
        self.reader, self.path, self.served = reader, path, False

    def read(self, path):
        if path == self.path:
            if self.served:
                raise NotFound(f"{path} was deleted")
            self.served = True
        return self.reader.read(path)


def test_tile_vanishing_during_the_consistency_step_is_named():
    log = make_log(entries(40), batches=[10, 10, 20])
    reader = VanishingReader(log.reader, "tile/0/000.p/20")
    _raises(
        TileInvalid,
        r"^missing tile for checkpoint 2 \(size 20\): no tile at tile/0/000",
        _audit,
        log,
        list(log.checkpoints.values()),
        reader,
    )


def test_audit_needs_a_checkpoint():
    _raises(InvalidDocument, r"^no checkpoints to audit$", _tessera, None, [])


def test_newest_checkpoint_must_meet_the_witness_quorum():
    log = make_log(entries(20), batches=[10, 10])
    witnesses = [Cosigner.generate(f"witness.example/w{number}") for number in range(3)]
    newest = SignedCheckpoint.from_text(log.checkpoints[20])
    cosigned = newest.note.with_signatures(
        *(
            NoteSignature(w.name, w.key_id, w.sign(newest.note.text.encode(), now=NOW))
            for w in witnesses[:2]
        )
    )
    keys = [witness.verifier() for witness in witnesses]
    policy = {"origin": log.origin, "verifiers": [log.signer.verifier()], "witnesses": keys}
    older = [log.checkpoints[10]]
    result = audit_log(log.reader, [*older, cosigned.to_text()], quorum=2, **policy)
    assert result.sizes == (10, 20)
    # The uncosigned copy of the same size does not matter when a cosigned one is there.
    audit_log(log.reader, [*older, log.checkpoints[20], cosigned.to_text()], quorum=2, **policy)
    _raises(
        CheckpointInvalid,
        r"newest checkpoint: .* too few witness cosignatures: expected 3, got 2",
        audit_log,
        log.reader,
        [*older, cosigned.to_text()],
        quorum=3,
        **policy,
    )
    _raises(
        CheckpointInvalid,
        r"newest checkpoint: .* expected 1, got 0",
        audit_log,
        log.reader,
        [log.checkpoints[10], log.checkpoints[20]],
        quorum=1,
        **policy,
    )
