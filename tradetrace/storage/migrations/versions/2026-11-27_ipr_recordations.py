"""Trademarks and copyrights recorded with CBP (19 CFR Part 133).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``ipr_recordation``, indexed by the end of each term."""
    op.create_table(
        "ipr_recordation",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mark", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("owner_did", sa.String(length=512), nullable=False),
        sa.Column("valid_until_date", sa.Date(), nullable=False),
        sa.Column("goods", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_ipr_recordation")),
    )
    op.create_index(
        op.f("ix_ipr_recordation_valid_until_date"), "ipr_recordation", ["valid_until_date"]
    )


def downgrade() -> None:
    """Drop ``ipr_recordation``."""
    op.drop_index(op.f("ix_ipr_recordation_valid_until_date"), table_name="ipr_recordation")
    op.drop_table("ipr_recordation")
