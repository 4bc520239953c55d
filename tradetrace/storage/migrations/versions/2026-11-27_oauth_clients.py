"""OAuth clients and received presentations of the Traceability Interop API.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oauth_client",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("organisation_slug", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=256), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_client")),
    )
    op.create_index(
        op.f("ix_oauth_client_organisation_slug"), "oauth_client", ["organisation_slug"]
    )
    op.create_table(
        "received_presentation",
        sa.Column("id", sa.String(length=512), nullable=False),
        sa.Column("recipient_slug", sa.String(length=64), nullable=True),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=512), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("replaces", sa.String(length=512), nullable=True),
        sa.Column("superseded_by", sa.String(length=512), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_presentation")),
    )
    op.create_index(
        op.f("ix_received_presentation_recipient_slug"), "received_presentation", ["recipient_slug"]
    )
    op.create_index(op.f("ix_received_presentation_digest"), "received_presentation", ["digest"])
    op.create_table(
        "presentation_workflow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("presentation_id", sa.String(length=512), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=512), nullable=False),
        sa.ForeignKeyConstraint(
            ["presentation_id"],
            ["received_presentation.id"],
            name=op.f("fk_presentation_workflow_presentation_id_received_presentation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presentation_workflow")),
    )
    op.create_index(
        op.f("ix_presentation_workflow_presentation_id"),
        "presentation_workflow",
        ["presentation_id"],
    )
    op.create_index(op.f("ix_presentation_workflow_value"), "presentation_workflow", ["value"])


def downgrade() -> None:
    op.drop_index(op.f("ix_presentation_workflow_value"), table_name="presentation_workflow")
    op.drop_index(
        op.f("ix_presentation_workflow_presentation_id"), table_name="presentation_workflow"
    )
    op.drop_table("presentation_workflow")
    op.drop_index(op.f("ix_received_presentation_digest"), table_name="received_presentation")
    op.drop_index(
        op.f("ix_received_presentation_recipient_slug"), table_name="received_presentation"
    )
    op.drop_table("received_presentation")
    op.drop_index(op.f("ix_oauth_client_organisation_slug"), table_name="oauth_client")
    op.drop_table("oauth_client")
