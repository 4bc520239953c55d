"""The ledger domain: a C2SP transparency log in pure Python, over injected I/O.

- :mod:`.merkle`: RFC 9162 hashing, inclusion and consistency proofs over a ``NodeReader``.
- :mod:`.compact`: the right edge of the tree, for appending leaves without rereading it.
- :mod:`.note`, :mod:`.notekeys`: C2SP signed-note, Ed25519 keys and tlog-cosignature keys.
- :mod:`.checkpoint`: C2SP tlog-checkpoint, the signed tree head.
- :mod:`.tiles`, :mod:`.integration`: C2SP tlog-tiles paths, reading and building tiles.
- :mod:`.nodecache`: a caching node reader over tiles, for fast proofs.
- :mod:`.proof`: C2SP tlog-proof receipts. :mod:`.witness`: the C2SP tlog-witness rules.
- :mod:`.audit`: an offline auditor of a whole tiled log.

Nothing here performs I/O: storage, HTTP and clocks come in through Protocols and arguments.
"""

from __future__ import annotations

from tradetrace.ledger.audit import (
    AuditResult,
    audit_log,
)
from tradetrace.ledger.checkpoint import (
    Checkpoint,
    SignedCheckpoint,
    sign_checkpoint,
    verify_checkpoint,
)
from tradetrace.ledger.compact import (
    CompactRange,
    NodeVisitor,
    root_from_leaf_hashes,
)
from tradetrace.ledger.integration import (
    TreeExtension,
    build_entry_bundles,
    build_tiles,
    extend_tree,
)
from tradetrace.ledger.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    InMemoryTree,
    NodeReader,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)
from tradetrace.ledger.nodecache import (
    DEFAULT_CACHED_TILES,
    NodeCache,
    SizedNodes,
    TileNodes,
    tile_levels,
)
from tradetrace.ledger.note import (
    MAX_SIGNATURES,
    Note,
    NoteSignature,
    Signer,
    Verifier,
    check_note_text,
    sign_note,
    verify_note,
)
from tradetrace.ledger.notekeys import (
    COSIGNATURE_V1,
    ED25519,
    CosignatureVerifier,
    Cosigner,
    Ed25519Signer,
    Ed25519Verifier,
    cosignature_time,
    key_id,
    verifier_from_vkey,
)
from tradetrace.ledger.proof import (
    TLOG_PROOF_HEADER,
    TlogProof,
    build_tlog_proof,
    verify_tlog_proof,
)
from tradetrace.ledger.tiles import (
    MAX_ENTRY_SIZE,
    TILE_HEIGHT,
    TILE_WIDTH,
    BundleId,
    MappingTileReader,
    TileId,
    TileReader,
    bundles_for_size,
    encode_entry_bundle,
    parse_entry_bundle,
    read_entry_bundle,
    read_tile,
    tile_for_node,
    tiles_for_size,
    tiles_since,
)
from tradetrace.ledger.witness import (
    MAX_WITNESS_PROOF_HASHES,
    AddCheckpointRequest,
    check_witness_update,
)

__all__ = [
    "COSIGNATURE_V1",
    "DEFAULT_CACHED_TILES",
    "ED25519",
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MAX_ENTRY_SIZE",
    "MAX_SIGNATURES",
    "MAX_WITNESS_PROOF_HASHES",
    "TILE_HEIGHT",
    "TILE_WIDTH",
    "TLOG_PROOF_HEADER",
    "AddCheckpointRequest",
    "AuditResult",
    "BundleId",
    "Checkpoint",
    "CompactRange",
    "CosignatureVerifier",
    "Cosigner",
    "Ed25519Signer",
    "Ed25519Verifier",
    "InMemoryTree",
    "MappingTileReader",
    "NodeCache",
    "NodeReader",
    "NodeVisitor",
    "Note",
    "NoteSignature",
    "SignedCheckpoint",
    "Signer",
    "SizedNodes",
    "TileId",
    "TileNodes",
    "TileReader",
    "TlogProof",
    "TreeExtension",
    "Verifier",
    "audit_log",
    "build_entry_bundles",
    "build_tiles",
    "build_tlog_proof",
    "bundles_for_size",
    "check_note_text",
    "check_witness_update",
    "consistency_proof",
    "cosignature_time",
    "encode_entry_bundle",
    "extend_tree",
    "inclusion_proof",
    "key_id",
    "leaf_hash",
    "node_hash",
    "parse_entry_bundle",
    "read_entry_bundle",
    "read_tile",
    "root_from_leaf_hashes",
    "sign_checkpoint",
    "sign_note",
    "tile_for_node",
    "tile_levels",
    "tiles_for_size",
    "tiles_since",
    "verifier_from_vkey",
    "verify_checkpoint",
    "verify_consistency",
    "verify_inclusion",
    "verify_note",
    "verify_tlog_proof",
]
