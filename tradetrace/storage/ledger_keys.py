"""The log's lookup-key index: sorted runs of ``(key digest, leaf index)``, merged like an LSM tree.

Lookup keys (a logged document's digest) are random, so inserting a batch of them into one
B-tree dirties a page per key: at a few thousand keys per append that rewrote most of the index
each time and cost more than the rest of the append together. Instead each append writes its
keys as one *run*: the records sorted and cut into chunks of about a thousand, stored as blobs in
the same transaction as the entries. Runs are merged in the background, eight of one size class
at a time, so a key is rewritten about ``log8(n / batch)`` times and a lookup probes one chunk
in each of a few dozen runs at most.

A record is the first 16 bytes of ``SHA-256(key)`` then the leaf index as a big-endian uint64,
so sorting the bytes sorts by key, then by index. All records for one digest stay in one chunk.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from hashlib import sha256
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, insert, select

from tradetrace.storage.tables import LogKeyChunkRow, LogKeyRunRow

__all__ = ["KeyIndex", "key_digest"]

_DIGEST = 16
_RECORD = _DIGEST + 8
_CHUNK_RECORDS = 256
_FANOUT = 8
_PACK_RECORD = struct.Struct(">16sQ").pack  # "16s" keeps the first 16 bytes of the digest


def key_digest(key: str) -> bytes:
    """The 16-byte digest a lookup key is indexed under: ``SHA-256(key)[:16]``."""
    return sha256(key.encode()).digest()[:_DIGEST]


class KeyIndex:
    """Writes, looks up and merges the runs of the lookup-key index in ``engine``'s database."""

    def __init__(self, engine: Engine, writer: Engine) -> None:
        self._engine = engine
        self._writer = writer

    def write_run(self, connection: Connection, keys: Sequence[tuple[int, str]]) -> None:
        """Store the keys of one append as a new run, inside the append's transaction."""
        if not keys:
            return
        # Inlined key_digest(): at thousands of keys per append the calls add up.
        records = sorted([_PACK_RECORD(sha256(key.encode()).digest(), i) for i, key in keys])
        _insert_run(connection, min(index for index, _ in keys), records)

    def lookup(self, key: str, *, connection: Connection | None = None) -> list[int]:
        """Leaf indexes of the entries logged under ``key``, ascending; read through
        ``connection`` (a caller's open one, to the same database) or a connection of its own.

        One statement reads, for every run, the chunk that can hold the key's digest, so the
        answer comes from one snapshot even while runs are being merged.
        """
        digest = key_digest(key)
        if connection is not None:
            return _indexes(connection, digest)
        with self._engine.connect() as own:
            return _indexes(own, digest)

    def compact(self) -> int:
        """Merge runs until no size class holds eight or more; return how many merges ran.

        The merge itself happens in memory outside any write transaction. The write then deletes
        the merged runs and stops if another process merged one of them first.
        """
        merges = 0
        while (planned := self._plan()) is not None and self._apply(*planned):
            merges += 1
        return merges

    def _plan(self) -> tuple[list[int], list[bytes]] | None:
        """The next runs to merge and their merged records, read in one snapshot."""
        with self._engine.connect() as connection:
            runs = connection.execute(select(LogKeyRunRow.run, LogKeyRunRow.records)).all()
            group = _merge_group([(int(run), int(count)) for run, count in runs])
            if not group:
                return None
            blobs = connection.execute(
                select(LogKeyChunkRow.data)
                .where(LogKeyChunkRow.run.in_(group))
                .order_by(LogKeyChunkRow.run, LogKeyChunkRow.low)
            ).scalars()
            # Each run is sorted, so this sort only merges them (Timsort finds the runs).
            return group, sorted(_split(bytes(blob) for blob in blobs))

    def _apply(self, group: list[int], records: list[bytes]) -> bool:
        """Replace the runs of ``group`` by one run of ``records``; ``False`` if they are gone."""
        try:
            with self._writer.begin() as connection:
                gone = connection.execute(delete(LogKeyRunRow).where(LogKeyRunRow.run.in_(group)))
                if gone.rowcount != len(group):
                    raise _MergedElsewhere
                connection.execute(delete(LogKeyChunkRow).where(LogKeyChunkRow.run.in_(group)))
                _insert_run(connection, min(group), records)
        except _MergedElsewhere:
            return False
        return True


class _MergedElsewhere(Exception):
    """Another process merged one of the runs first; this merge is rolled back."""


# For every run, its one chunk that can hold the digest; built once, compiled once.
_LOOKUP = select(
    select(LogKeyChunkRow.data)
    .where(LogKeyChunkRow.run == LogKeyRunRow.run, LogKeyChunkRow.low <= bindparam("digest"))
    .order_by(LogKeyChunkRow.low.desc())
    .limit(1)
    .correlate(LogKeyRunRow)
    .scalar_subquery()
).select_from(LogKeyRunRow)


def _insert_run(connection: Connection, run: int, records: list[bytes]) -> None:
    rows: list[dict[str, Any]] = [
        {"run": run, "low": low, "data": data} for low, data in _chunks(records)
    ]
    connection.execute(insert(LogKeyChunkRow), rows)
    connection.execute(insert(LogKeyRunRow).values(run=run, records=len(records)))


def _chunks(records: list[bytes]) -> Iterable[tuple[bytes, bytes]]:
    """Cut sorted records into ``(low, blob)`` chunks, never splitting one digest's records."""
    start = 0
    while start < len(records):
        end = min(start + _CHUNK_RECORDS, len(records))
        while end < len(records) and records[end][:_DIGEST] == records[end - 1][:_DIGEST]:
            end += 1
        yield records[start][:_DIGEST], b"".join(records[start:end])
        start = end


def _split(blobs: Iterable[bytes]) -> list[bytes]:
    return [blob[i : i + _RECORD] for blob in blobs for i in range(0, len(blob), _RECORD)]


def _find(data: bytes, digest: bytes) -> list[int]:
    """Binary-search one chunk for the records of ``digest``; their leaf indexes."""
    low, high = 0, len(data) // _RECORD
    while low < high:
        middle = (low + high) // 2
        if data[middle * _RECORD : middle * _RECORD + _DIGEST] < digest:
            low = middle + 1
        else:
            high = middle
    found = []
    offset = low * _RECORD
    while data[offset : offset + _DIGEST] == digest:
        found.append(int.from_bytes(data[offset + _DIGEST : offset + _RECORD], "big"))
        offset += _RECORD
    return found


def _merge_group(runs: Sequence[tuple[int, int]]) -> list[int]:
    """The runs of the smallest size class holding at least eight runs, or none.

    Size class ``c`` holds runs of ``8**c`` to ``8**(c+1) - 1`` records, so merging eight runs
    of one class yields a run of a higher class, and each class holds fewer than eight runs
    once compaction is done: at most ``7 * log8(n)`` runs in all.
    """
    classes: dict[int, list[int]] = {}
    for run, count in runs:
        classes.setdefault((max(count, 1).bit_length() - 1) // 3, []).append(run)
    for size_class in sorted(classes):
        if len(classes[size_class]) >= _FANOUT:
            return sorted(classes[size_class])
    return []


def _indexes(connection: Connection, digest: bytes) -> list[int]:
    found = connection.execute(_LOOKUP, {"digest": digest}).scalars()
    return sorted(index for data in found if data for index in _find(bytes(data), digest))
