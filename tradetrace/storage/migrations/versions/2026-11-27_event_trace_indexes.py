"""EPCIS event keys and indexes for capture and tracing at a million events.

- ``epcis_event.digest``: the 32-byte SHA-256 inside the Event Hash ID becomes the unique key
  events are deduplicated and found by, instead of the 89-character ``hash_id`` (kept, no
  longer indexed). Digests are random, so each capture inserts all over this index; a key less
  than half the size makes that cost less than half.
- The indexes on ``event_type`` (five values: no query is narrowed by it) and ``capture_id``
  (no query filters on it) are dropped: each cost every captured event an index insert. Those
  on the optional ``biz_step``, ``disposition``, ``read_point`` and ``biz_location`` leave out
  the events without one (``WHERE ... IS NOT NULL``): queries ask for values, never for NULL.
- On SQLite, ``epcis_event`` is rebuilt so that its key, the ledger index, is declared
  ``INTEGER`` and so is the table's rowid: events are stored in ledger order and read by index
  in one B-tree (a ``BIGINT`` key is a second index beside the rowid).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)
_EVENT_COLUMNS = (
    *("ledger_index", "hash_id", "event_type", "action", "event_time", "record_time"),
    *("biz_step", "disposition", "read_point", "biz_location", "capture_id", "submitter"),
    *("credential_index", "document"),
)
_IDENTIFIER_COLUMNS = ("identifier", "event_index", "role", "is_class", "quantity", "uom")
_TIME_INDEXES = ("event_time", "record_time")
_OPTIONAL_INDEXES = ("biz_step", "disposition", "read_point", "biz_location")
_DROPPED_INDEXES = ("event_type", "capture_id")
_HASH_ID_DIGEST = slice(14, 78)  # ni:///sha-256;<64 hex digits>?ver=CBV2.0
_COPY_ROWS = 10_000


def _create_event_table(name: str, key: sa.types.TypeEngine[int], *, digest: bool) -> None:
    unique = "digest" if digest else "hash_id"
    op.create_table(
        name,
        sa.Column("ledger_index", key, autoincrement=False, nullable=False),
        sa.Column("hash_id", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=True),
        sa.Column("event_time", _TIME, nullable=False),
        sa.Column("record_time", _TIME, nullable=False),
        sa.Column("biz_step", sa.String(length=512), nullable=True),
        sa.Column("disposition", sa.String(length=512), nullable=True),
        sa.Column("read_point", sa.String(length=512), nullable=True),
        sa.Column("biz_location", sa.String(length=512), nullable=True),
        sa.Column("capture_id", sa.String(length=36), nullable=False),
        sa.Column("submitter", sa.String(length=512), nullable=False),
        sa.Column("credential_index", sa.BigInteger(), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        *([sa.Column("digest", sa.LargeBinary(length=32), nullable=False)] if digest else []),
        sa.ForeignKeyConstraint(
            ["credential_index"],
            ["epcis_event_credential.ledger_index"],
            name="fk_epcis_event_credential_index_epcis_event_credential",
        ),
        sa.PrimaryKeyConstraint("ledger_index", name="pk_epcis_event"),
        sa.UniqueConstraint(unique, name=f"uq_epcis_event_{unique}"),
    )


def _create_identifier_table(name: str, *, linked: bool) -> None:
    constraints: list[sa.schema.SchemaItem] = []
    if linked:
        constraints.append(
            sa.ForeignKeyConstraint(
                ["event_index"],
                ["epcis_event.ledger_index"],
                name="fk_epcis_event_identifier_event_index_epcis_event",
            )
        )
    op.create_table(
        name,
        sa.Column("identifier", sa.String(length=512), nullable=False),
        sa.Column("event_index", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("is_class", sa.Boolean(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("uom", sa.String(length=16), nullable=True),
        *constraints,
        sa.PrimaryKeyConstraint("identifier", "event_index", "role", name=f"pk_{name}"),
        sqlite_with_rowid=False,
    )


def _copy(source: str, target: str, columns: tuple[str, ...]) -> None:
    """``INSERT INTO target (columns) SELECT columns FROM source``."""
    selected: Any = sa.select(*(sa.column(name) for name in columns)).select_from(sa.table(source))
    target_table = sa.table(target, *(sa.column(name) for name in columns))
    op.execute(target_table.insert().from_select(list(columns), selected))


def _copy_with_digests(source: str, target: str) -> None:
    """Copy the events, adding each one's digest from its hash ID, a slice at a time (SQLite
    has no function that turns hex into bytes)."""
    connection = op.get_bind()
    source_table = sa.table(source, *(sa.column(name) for name in _EVENT_COLUMNS))
    target_columns = (*_EVENT_COLUMNS, "digest")
    insert = sa.table(target, *(sa.column(name) for name in target_columns)).insert()
    last = -1
    while True:
        rows: Sequence[Any] = connection.execute(
            sa.select(*source_table.c)
            .where(source_table.c.ledger_index > last)
            .order_by(source_table.c.ledger_index)
            .limit(_COPY_ROWS)
        ).all()
        if not rows:
            return
        values = [
            {**row._mapping, "digest": bytes.fromhex(row.hash_id[_HASH_ID_DIGEST])} for row in rows
        ]
        connection.execute(insert, values)
        last = rows[-1].ledger_index


def _create_indexes(columns: tuple[str, ...], *, partial: bool) -> None:
    for column in columns:
        where = sa.text(f"{column} IS NOT NULL") if partial else None
        op.create_index(
            f"ix_epcis_event_{column}",
            "epcis_event",
            [column],
            sqlite_where=where,
            postgresql_where=where,
        )


def _drop_indexes(columns: tuple[str, ...]) -> None:
    for column in columns:
        op.drop_index(f"ix_epcis_event_{column}", table_name="epcis_event")


def _rebuild_sqlite_event_table(key: sa.types.TypeEngine[int], *, new: bool) -> None:
    """Recreate ``epcis_event`` with ``key`` as the type of its key, keeping every row: the
    ``new`` table has the digest key and the new indexes, the old one the unique hash ID.

    The migration runs in a transaction with foreign keys enforced, where SQLite cannot turn
    them off: the identifier rows, which reference events, are set aside in a table without
    the reference while the event table is swapped, then put back and checked.
    """
    _create_event_table("_epcis_event_new", key, digest=new)
    if new:
        _copy_with_digests("epcis_event", "_epcis_event_new")
    else:
        _copy("epcis_event", "_epcis_event_new", _EVENT_COLUMNS)
    _create_identifier_table("_epcis_event_identifier_old", linked=False)
    _copy("epcis_event_identifier", "_epcis_event_identifier_old", _IDENTIFIER_COLUMNS)
    op.drop_table("epcis_event_identifier")
    op.drop_table("epcis_event")  # drops its indexes too
    op.rename_table("_epcis_event_new", "epcis_event")
    _create_indexes(_TIME_INDEXES, partial=False)
    _create_indexes(_OPTIONAL_INDEXES, partial=new)
    if not new:
        _create_indexes(_DROPPED_INDEXES, partial=False)
    _create_identifier_table("epcis_event_identifier", linked=True)
    _copy("_epcis_event_identifier_old", "epcis_event_identifier", _IDENTIFIER_COLUMNS)
    op.drop_table("_epcis_event_identifier_old")


def upgrade() -> None:
    """Digest key, partial indexes, no unused ones; on SQLite the event key as rowid."""
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_event_table(sa.Integer(), new=True)
        return
    op.add_column("epcis_event", sa.Column("digest", sa.LargeBinary(length=32), nullable=True))
    op.execute("UPDATE epcis_event SET digest = decode(substr(hash_id, 15, 64), 'hex')")
    op.alter_column("epcis_event", "digest", nullable=False)
    op.create_unique_constraint("uq_epcis_event_digest", "epcis_event", ["digest"])
    op.drop_constraint("uq_epcis_event_hash_id", "epcis_event", type_="unique")
    _drop_indexes(_DROPPED_INDEXES + _OPTIONAL_INDEXES)
    _create_indexes(_OPTIONAL_INDEXES, partial=True)


def downgrade() -> None:
    """Back to the unique hash ID and the full indexes; on SQLite a BIGINT key."""
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_event_table(sa.BigInteger(), new=False)
        return
    _drop_indexes(_OPTIONAL_INDEXES)
    _create_indexes(_OPTIONAL_INDEXES + _DROPPED_INDEXES, partial=False)
    op.create_unique_constraint("uq_epcis_event_hash_id", "epcis_event", ["hash_id"])
    op.drop_constraint("uq_epcis_event_digest", "epcis_event", type_="unique")
    op.drop_column("epcis_event", "digest")
