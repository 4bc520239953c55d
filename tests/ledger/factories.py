"""Factory functions for the ledger tests: vectors, tile readers, and whole logs built in memory."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any

from tradetrace.errors import NotFound
from tradetrace.ledger import (
    Checkpoint,
    CompactRange,
    Ed25519Signer,
    MappingTileReader,
    build_entry_bundles,
    build_tiles,
    leaf_hash,
    sign_checkpoint,
)

VECTORS = Path(__file__).parents[1] / "assets" / "vectors"
MERKLE = VECTORS / "transparency-dev-merkle"
TESSERA = VECTORS / "tessera-testdata-log"
TESSERA_ORIGIN = "example.com/log/testdata"
TESSERA_VKEY = "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx"
TESSERA_WORDS = (
    b"one two three four five six seven eit nain ten ileven twelf threeten fourten fivten".split()
)


def load_json(path: Path) -> Any:
    """Parse one vendored JSON file."""
    return json.loads(path.read_text())


def probe_files(kind: str) -> list[Path]:
    """Every transparency-dev/merkle probe file of one kind (``inclusion`` or ``consistency``)."""
    return sorted((MERKLE / "testdata" / kind).rglob("*.json"))


def probe_id(path: Path) -> str:
    """A short test id: the probe's path below its kind folder."""
    return "/".join(path.parts[-2:])


def tessera_checkpoint(size: int) -> bytes:
    """The signed ``checkpoint.<size>`` of the vendored Tessera log."""
    return (TESSERA / f"checkpoint.{size}").read_bytes()


class DirectoryReader:
    """A TileReader over a directory, as a POSIX-backed log would serve it."""

    def __init__(self, root: Path, overrides: dict[str, bytes | None] | None = None) -> None:
        self.root = root
        self.overrides = overrides or {}
        self.reads: list[str] = []

    def read(self, path: str) -> bytes:
        self.reads.append(path)
        if path in self.overrides:
            value = self.overrides[path]
            if value is None:
                raise NotFound(f"deleted {path}")
            return value
        try:
            return (self.root / path).read_bytes()
        except FileNotFoundError:
            raise NotFound(f"no file {path}") from None


def tessera_reader(overrides: dict[str, bytes | None] | None = None) -> DirectoryReader:
    """A reader of the Tessera log; ``overrides`` replace (bytes) or delete (None) paths."""
    return DirectoryReader(TESSERA, overrides)


def flip(data: bytes, position: int, mask: int = 0x01) -> bytes:
    """``data`` with the bits of ``mask`` flipped in the byte at ``position``."""
    changed = bytearray(data)
    changed[position] ^= mask
    return bytes(changed)


def entries(count: int, tag: str = "entry") -> list[bytes]:
    """``count`` distinct small entries."""
    return [f"{tag} {number}".encode() for number in range(count)]


def reference_root(leaf_hashes: list[bytes]) -> bytes:
    """MTH by the recursive definition of RFC 9162 §2.1.1: the test oracle."""
    if not leaf_hashes:
        return sha256(b"").digest()
    if len(leaf_hashes) == 1:
        return leaf_hashes[0]
    split = 1 << ((len(leaf_hashes) - 1).bit_length() - 1)
    left = reference_root(leaf_hashes[:split])
    right = reference_root(leaf_hashes[split:])
    return sha256(b"\x01" + left + right).digest()


@dataclass
class Log:
    """A tiled log built in memory, with one signed checkpoint per requested size."""

    signer: Ed25519Signer
    origin: str
    resources: dict[str, bytes] = field(default_factory=dict)
    checkpoints: dict[int, str] = field(default_factory=dict)
    leaves: list[bytes] = field(default_factory=list)

    @property
    def reader(self) -> MappingTileReader:
        return MappingTileReader(self.resources)

    def sign(self, size: int, root: bytes) -> str:
        """Sign an arbitrary tree head with the log key, for forks and lies."""
        return sign_checkpoint(Checkpoint(self.origin, size, root), [self.signer]).to_text()


def make_log(
    values: list[bytes],
    *,
    batches: list[int] | None = None,
    origin: str = "example.com/test-log",
    signer: Ed25519Signer | None = None,
) -> Log:
    """Append ``values`` in ``batches`` (default: one batch), checkpointing after each batch."""
    log = Log(signer or Ed25519Signer.generate(origin), origin)
    edge = CompactRange()
    log.checkpoints[0] = log.sign(0, edge.root())
    start = 0
    for size in batches or [len(values)]:
        batch = values[start : start + size]
        hashes = [leaf_hash(value) for value in batch]
        log.resources |= build_tiles(start, hashes, reader=log.reader)
        log.resources |= build_entry_bundles(start, batch, reader=log.reader)
        edge.extend(hashes)
        log.leaves += hashes
        start += size
        log.checkpoints[start] = log.sign(start, edge.root())
    return log
