"""Filed entries and their decisions.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customs_entry_version",
        sa.Column("entry_number", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entry_type", sa.String(length=2), nullable=False),
        sa.Column("importer_number", sa.String(length=16), nullable=True),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("credential", sa.Text(), nullable=True),
        sa.Column("submitter", sa.String(length=512), nullable=False),
        sa.Column("instances", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entry_number", "version", name=op.f("pk_customs_entry_version")),
    )
    op.create_index(
        op.f("ix_customs_entry_version_entry_date"), "customs_entry_version", ["entry_date"]
    )
    op.create_index(op.f("ix_customs_entry_version_digest"), "customs_entry_version", ["digest"])
    op.create_table(
        "customs_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_number", sa.String(length=16), nullable=False),
        sa.Column("entry_version", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recommendation", sa.String(length=32), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_decision")),
    )
    op.create_index(op.f("ix_customs_decision_entry_number"), "customs_decision", ["entry_number"])
    op.create_index(op.f("ix_customs_decision_digest"), "customs_decision", ["digest"])


def downgrade() -> None:
    op.drop_index(op.f("ix_customs_decision_digest"), table_name="customs_decision")
    op.drop_index(op.f("ix_customs_decision_entry_number"), table_name="customs_decision")
    op.drop_table("customs_decision")
    op.drop_index(op.f("ix_customs_entry_version_digest"), table_name="customs_entry_version")
    op.drop_index(op.f("ix_customs_entry_version_entry_date"), table_name="customs_entry_version")
    op.drop_table("customs_entry_version")
