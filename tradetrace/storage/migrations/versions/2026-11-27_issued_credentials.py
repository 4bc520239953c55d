"""Issued credentials and Bitstring Status Lists.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_list",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("organisation_slug", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("bits", sa.LargeBinary(), nullable=False),
        sa.Column("next_index", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("credential", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_list")),
    )
    op.create_index(op.f("ix_status_list_organisation_slug"), "status_list", ["organisation_slug"])
    op.create_table(
        "issued_credential",
        sa.Column("id", sa.String(length=512), nullable=False),
        sa.Column("organisation_slug", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("status_index", sa.Integer(), nullable=True),
        sa.Column("revocation_list_id", sa.String(length=64), nullable=True),
        sa.Column("suspension_list_id", sa.String(length=64), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_credential")),
    )
    op.create_index(
        op.f("ix_issued_credential_organisation_slug"), "issued_credential", ["organisation_slug"]
    )
    op.create_index(op.f("ix_issued_credential_digest"), "issued_credential", ["digest"])


def downgrade() -> None:
    op.drop_index(op.f("ix_issued_credential_digest"), table_name="issued_credential")
    op.drop_index(op.f("ix_issued_credential_organisation_slug"), table_name="issued_credential")
    op.drop_table("issued_credential")
    op.drop_index(op.f("ix_status_list_organisation_slug"), table_name="status_list")
    op.drop_table("status_list")
