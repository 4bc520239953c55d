"""Lookup keys of the transparency log as sorted runs instead of one random-keyed B-tree.

Inserting thousands of random digests into one B-tree per batch rewrote most of its pages on
every append. Keys are now written as one sorted run per append and merged later. Existing keys
move into a single run. The downgrade restores an empty ``log_entry_key`` table: runs keep only
a 16-byte digest of each key, so the keys themselves cannot be recovered.

On PostgreSQL, the log's blobs also stop paying for pglz: hashes (tiles, key chunks) do not
compress, so they are stored uncompressed, and entry bundles use lz4 where the server has it.
That doubled the append rate at the same size on disk.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from hashlib import sha256

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The record layout of tradetrace.storage.ledger_keys, frozen here as migrations must be.
_DIGEST = 16
_CHUNK_RECORDS = 256


def upgrade() -> None:
    runs = op.create_table(
        "log_key_run",
        sa.Column("run", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("records", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("run", name=op.f("pk_log_key_run")),
    )
    chunks = op.create_table(
        "log_key_chunk",
        sa.Column("run", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("low", sa.LargeBinary(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("run", "low", name=op.f("pk_log_key_chunk")),
    )
    connection = op.get_bind()
    old = sa.table("log_entry_key", sa.column("lookup_key"), sa.column("leaf_index"))
    records = sorted(
        sha256(key.encode()).digest()[:_DIGEST] + int(index).to_bytes(8, "big")
        for key, index in connection.execute(sa.select(old.c.lookup_key, old.c.leaf_index))
    )
    if records:
        rows = []
        start = 0
        while start < len(records):
            end = min(start + _CHUNK_RECORDS, len(records))
            while end < len(records) and records[end][:_DIGEST] == records[end - 1][:_DIGEST]:
                end += 1
            rows.append(
                {"run": 0, "low": records[start][:_DIGEST], "data": b"".join(records[start:end])}
            )
            start = end
        op.bulk_insert(chunks, rows)
        op.bulk_insert(runs, [{"run": 0, "records": len(records)}])
    op.drop_table("log_entry_key")
    if connection.dialect.name == "postgresql":
        for table in ("log_tile", "log_key_chunk"):
            op.execute(f"ALTER TABLE {table} ALTER COLUMN data SET STORAGE EXTERNAL")
        if _has_lz4(connection):
            op.execute("ALTER TABLE log_bundle ALTER COLUMN data SET COMPRESSION lz4")


def _has_lz4(connection: sa.Connection) -> bool:
    """Whether the server can compress with lz4 (PostgreSQL 14+ built ``--with-lz4``)."""
    methods = connection.execute(
        sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    return methods is not None and "lz4" in methods


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE log_tile ALTER COLUMN data SET STORAGE EXTENDED")
        op.execute("ALTER TABLE log_bundle ALTER COLUMN data SET COMPRESSION DEFAULT")
    op.create_table(
        "log_entry_key",
        sa.Column("lookup_key", sa.String(length=100), nullable=False),
        sa.Column("leaf_index", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("lookup_key", "leaf_index", name=op.f("pk_log_entry_key")),
        sqlite_with_rowid=False,
    )
    op.drop_table("log_key_chunk")
    op.drop_table("log_key_run")
