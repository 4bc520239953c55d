"""Trust registry: accreditations of DIDs for roles and credential types.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accreditation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("did", sa.String(length=512), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("credential_types", sa.JSON(), nullable=False),
        sa.Column("accredited_by", sa.String(length=512), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accreditation")),
    )
    op.create_index(op.f("ix_accreditation_did"), "accreditation", ["did"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_accreditation_did"), table_name="accreditation")
    op.drop_table("accreditation")
