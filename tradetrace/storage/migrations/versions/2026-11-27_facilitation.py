"""Facilitation: the case desk (cases, events, triage rules, guidance) and relief programs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inquiry_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=32), nullable=False),
        sa.Column("status_token_hash", sa.String(length=64), nullable=False),
        sa.Column("requester_id", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("inquiry", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("assignee", sa.String(length=200), nullable=True),
        sa.Column("priority_override", sa.String(length=2), nullable=True),
        sa.Column("resolution", sa.String(length=32), nullable=True),
        sa.Column("linked_entries", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_case")),
        sa.UniqueConstraint("case_number", name=op.f("uq_inquiry_case_case_number")),
        sa.UniqueConstraint("status_token_hash", name=op.f("uq_inquiry_case_status_token_hash")),
    )
    op.create_index(op.f("ix_inquiry_case_category"), "inquiry_case", ["category"])
    op.create_index(op.f("ix_inquiry_case_state"), "inquiry_case", ["state"])
    op.create_index(op.f("ix_inquiry_case_received_at"), "inquiry_case", ["received_at"])
    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.String(length=200), nullable=False),
        sa.Column("actor_role", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["inquiry_case.id"],
            name=op.f("fk_case_event_case_id_inquiry_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
        sa.UniqueConstraint("case_id", "sequence", name=op.f("uq_case_event_case_id")),
    )
    op.create_table(
        "triage_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rules_version", sa.String(length=500), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triage_policy")),
    )
    op.create_table(
        "guidance_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("last_reviewed_date", sa.Date(), nullable=False),
        sa.Column("case_numbers", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guidance_entry")),
        sa.UniqueConstraint("slug", name=op.f("uq_guidance_entry_slug")),
    )
    op.create_table(
        "relief_attestation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("ior", sa.String(length=20), nullable=False),
        sa.Column("importer_name", sa.String(length=200), nullable=False),
        sa.Column("comparison_period", sa.String(length=100), nullable=False),
        sa.Column("receipts_2019", sa.String(length=40), nullable=False),
        sa.Column("receipts_2020", sa.String(length=40), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("attested_by", sa.String(length=200), nullable=False),
        sa.Column("attested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relief_attestation")),
    )
    op.create_index(op.f("ix_relief_attestation_ior"), "relief_attestation", ["ior"])
    op.create_table(
        "deferral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("entry_number", sa.String(length=20), nullable=False),
        sa.Column("ior", sa.String(length=20), nullable=False),
        sa.Column("attestation_id", sa.Integer(), nullable=False),
        sa.Column("port", sa.String(length=4), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("entry_type", sa.String(length=2), nullable=False),
        sa.Column("payment", sa.String(length=16), nullable=False),
        sa.Column("charges", sa.JSON(), nullable=False),
        sa.Column("paid", sa.JSON(), nullable=False),
        sa.Column("deferred", sa.JSON(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("failed_reasons", sa.JSON(), nullable=False),
        sa.Column("original_due_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("deferred_cents", sa.BigInteger(), nullable=False),
        sa.Column("due_on_original_cents", sa.BigInteger(), nullable=False),
        sa.Column("payment_status", sa.String(length=16), nullable=False),
        sa.Column("paid_date", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attestation_id"],
            ["relief_attestation.id"],
            name=op.f("fk_deferral_attestation_id_relief_attestation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deferral")),
        sa.UniqueConstraint("program_id", "entry_number", name=op.f("uq_deferral_program_id")),
    )
    op.create_index(op.f("ix_deferral_ior"), "deferral", ["ior"])


def downgrade() -> None:
    op.drop_index(op.f("ix_deferral_ior"), table_name="deferral")
    op.drop_table("deferral")
    op.drop_index(op.f("ix_relief_attestation_ior"), table_name="relief_attestation")
    op.drop_table("relief_attestation")
    op.drop_table("guidance_entry")
    op.drop_table("triage_policy")
    op.drop_table("case_event")
    op.drop_index(op.f("ix_inquiry_case_received_at"), table_name="inquiry_case")
    op.drop_index(op.f("ix_inquiry_case_state"), table_name="inquiry_case")
    op.drop_index(op.f("ix_inquiry_case_category"), table_name="inquiry_case")
    op.drop_table("inquiry_case")
