"""Outbox of presentations sent to other platforms, and those platforms' client credentials.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interop_peer",
        sa.Column("did", sa.String(length=512), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("sealed_secret", sa.Text(), nullable=False),
        sa.Column("token_endpoint", sa.String(length=1000), nullable=True),
        sa.Column("audience", sa.String(length=1000), nullable=True),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("did", name=op.f("pk_interop_peer")),
    )
    op.create_table(
        "outbox_item",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=512), nullable=False),
        sa.Column("sender_slug", sa.String(length=64), nullable=True),
        sa.Column("presentation_id", sa.String(length=512), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_item")),
    )
    op.create_index(op.f("ix_outbox_item_recipient"), "outbox_item", ["recipient"])
    op.create_index(op.f("ix_outbox_item_presentation_id"), "outbox_item", ["presentation_id"])
    op.create_index(op.f("ix_outbox_item_state"), "outbox_item", ["state"])
    op.create_index(op.f("ix_outbox_item_next_attempt_at"), "outbox_item", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_item_next_attempt_at"), table_name="outbox_item")
    op.drop_index(op.f("ix_outbox_item_state"), table_name="outbox_item")
    op.drop_index(op.f("ix_outbox_item_presentation_id"), table_name="outbox_item")
    op.drop_index(op.f("ix_outbox_item_recipient"), table_name="outbox_item")
    op.drop_table("outbox_item")
    op.drop_table("interop_peer")
