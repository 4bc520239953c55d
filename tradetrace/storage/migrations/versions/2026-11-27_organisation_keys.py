"""Organisation identity: the organisation's did:web and its signing keys.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(sa.Column("did", sa.String(length=512), nullable=True))
        batch.create_unique_constraint(op.f("uq_organisation_did"), ["did"])
    op.create_table(
        "organisation_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("fragment", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("public_multibase", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_key_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_key")),
        sa.UniqueConstraint(
            "organisation_id", "fragment", name=op.f("uq_organisation_key_organisation_id")
        ),
    )
    op.create_index(
        op.f("ix_organisation_key_organisation_id"), "organisation_key", ["organisation_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_organisation_key_organisation_id"), table_name="organisation_key")
    op.drop_table("organisation_key")
    with op.batch_alter_table("organisation") as batch:
        batch.drop_constraint(op.f("uq_organisation_did"), type_="unique")
        batch.drop_column("did")
