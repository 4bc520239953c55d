"""EPCIS events: captured events, the identifiers they name, capture jobs, event credentials.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "epcis_capture_job",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("finished_at", _TIME, nullable=True),
        sa.Column("running", sa.Boolean(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("error_behaviour", sa.String(length=16), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("submitter", sa.String(length=512), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("captured_count", sa.Integer(), nullable=False),
        sa.Column("duplicate_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epcis_capture_job")),
    )
    op.create_table(
        "epcis_event_credential",
        sa.Column("ledger_index", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("credential_id", sa.String(length=512), nullable=True),
        sa.Column("issuer", sa.String(length=512), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("verification", sa.JSON(), nullable=False),
        sa.Column("received_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("ledger_index", name=op.f("pk_epcis_event_credential")),
    )
    for column in ("credential_id", "issuer", "digest"):
        op.create_index(
            op.f(f"ix_epcis_event_credential_{column}"), "epcis_event_credential", [column]
        )
    op.create_table(
        "epcis_event",
        sa.Column("ledger_index", sa.BigInteger(), autoincrement=False, nullable=False),
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
        sa.ForeignKeyConstraint(
            ["credential_index"],
            ["epcis_event_credential.ledger_index"],
            name=op.f("fk_epcis_event_credential_index_epcis_event_credential"),
        ),
        sa.PrimaryKeyConstraint("ledger_index", name=op.f("pk_epcis_event")),
        sa.UniqueConstraint("hash_id", name=op.f("uq_epcis_event_hash_id")),
    )
    for column in ("event_type", "event_time", "record_time", "biz_step", "disposition"):
        op.create_index(op.f(f"ix_epcis_event_{column}"), "epcis_event", [column])
    for column in ("read_point", "biz_location", "capture_id"):
        op.create_index(op.f(f"ix_epcis_event_{column}"), "epcis_event", [column])
    op.create_table(
        "epcis_event_identifier",
        sa.Column("identifier", sa.String(length=512), nullable=False),
        sa.Column("event_index", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("is_class", sa.Boolean(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("uom", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_index"],
            ["epcis_event.ledger_index"],
            name=op.f("fk_epcis_event_identifier_event_index_epcis_event"),
        ),
        sa.PrimaryKeyConstraint(
            "identifier", "event_index", "role", name=op.f("pk_epcis_event_identifier")
        ),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("epcis_event_identifier")
    for column in ("event_type", "event_time", "record_time", "biz_step", "disposition"):
        op.drop_index(op.f(f"ix_epcis_event_{column}"), table_name="epcis_event")
    for column in ("read_point", "biz_location", "capture_id"):
        op.drop_index(op.f(f"ix_epcis_event_{column}"), table_name="epcis_event")
    op.drop_table("epcis_event")
    for column in ("credential_id", "issuer", "digest"):
        op.drop_index(
            op.f(f"ix_epcis_event_credential_{column}"), table_name="epcis_event_credential"
        )
    op.drop_table("epcis_event_credential")
    op.drop_table("epcis_capture_job")
