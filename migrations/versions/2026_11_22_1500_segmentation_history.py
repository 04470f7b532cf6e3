"""segmentation from payment history: imports, runs, moves, assignments, customer metrics

Revision ID: 0005_segmentation_history
Revises: 0004_checkout_and_exceptions
Create Date: 2026-11-22 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.models.base import BigIntId, JSONDocument, UTCDateTime

revision = "0005_segmentation_history"
down_revision = "0004_checkout_and_exceptions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "history_imports",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("invoices_added", sa.BigInteger(), nullable=False),
        sa.Column("payments_added", sa.BigInteger(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history_imports")),
    )
    op.create_index(
        op.f("ix_history_imports_file_sha256"), "history_imports", ["file_sha256"], unique=False
    )
    op.create_table(
        "segmentation_runs",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=False),
        sa.Column("classified", sa.BigInteger(), nullable=False),
        sa.Column("moved", sa.BigInteger(), nullable=False),
        sa.Column("held", sa.BigInteger(), nullable=False),
        sa.Column("counts_before", JSONDocument, nullable=False),
        sa.Column("counts_after", JSONDocument, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segmentation_runs")),
    )
    op.create_table(
        "segmentation_moves",
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("from_segment", sa.String(length=64), nullable=True),
        sa.Column("to_segment", sa.String(length=64), nullable=False),
        sa.Column("payer_class", sa.String(length=16), nullable=True),
        sa.Column("value_tier", sa.String(length=16), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("metrics", JSONDocument, nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["segmentation_runs.id"],
            name=op.f("fk_segmentation_moves_run_id_segmentation_runs"),
        ),
        sa.PrimaryKeyConstraint("run_id", "customer_id", name=op.f("pk_segmentation_moves")),
    )
    op.create_table(
        "segment_assignments",
        sa.Column("id", BigIntId, nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("from_segment", sa.String(length=64), nullable=True),
        sa.Column("to_segment", sa.String(length=64), nullable=True),
        sa.Column("run_id", sa.String(length=40), nullable=True),
        sa.Column("assigned_by", sa.String(length=64), nullable=False),
        sa.Column("assigned_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_assignments")),
    )
    op.create_index("ix_segment_assignments_customer", "segment_assignments", ["customer_id", "id"])
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payer_class", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("value_tier", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("metrics", JSONDocument, nullable=True))
        batch_op.add_column(sa.Column("classified_run_id", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("classified_run_id")
        batch_op.drop_column("metrics")
        batch_op.drop_column("value_tier")
        batch_op.drop_column("payer_class")
    op.drop_index("ix_segment_assignments_customer", table_name="segment_assignments")
    op.drop_table("segment_assignments")
    op.drop_table("segmentation_moves")
    op.drop_table("segmentation_runs")
    op.drop_index(op.f("ix_history_imports_file_sha256"), table_name="history_imports")
    op.drop_table("history_imports")
