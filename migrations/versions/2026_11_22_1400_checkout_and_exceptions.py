"""checkout decisions and term exceptions

Revision ID: 0004_checkout_and_exceptions
Revises: 0003_audit_append_only
Create Date: 2026-11-22 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.models.base import JSONDocument, UTCDateTime

revision = "0004_checkout_and_exceptions"
down_revision = "0003_audit_append_only"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkout_decisions",
        sa.Column("decision_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("order_id", sa.String(length=128), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("terms_type", sa.String(length=16), nullable=False),
        sa.Column("net_days", sa.Integer(), nullable=False),
        sa.Column("segment_key", sa.String(length=64), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.Column("answer", JSONDocument, nullable=False),
        sa.PrimaryKeyConstraint("decision_id", name=op.f("pk_checkout_decisions")),
    )
    op.create_index(
        "ix_checkout_decisions_order", "checkout_decisions", ["order_id", "customer_id"]
    )
    op.create_table(
        "term_exceptions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("segment_key", sa.String(length=64), nullable=False),
        sa.Column("credit_limit_amount", sa.BigInteger(), nullable=True),
        sa.Column("credit_limit_currency", sa.String(length=3), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("escalated_at", UTCDateTime(), nullable=True),
        sa.Column("expiry_announced_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["segment_key"], ["segments.key"], name=op.f("fk_term_exceptions_segment_key_segments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_term_exceptions")),
    )
    op.create_index("ix_term_exceptions_customer_id", "term_exceptions", ["customer_id"])
    op.create_index(
        "ix_term_exceptions_status_requested_at", "term_exceptions", ["status", "requested_at"]
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exception_id", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("exception_segment_key", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("exception_credit_limit_amount", sa.BigInteger(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("exception_credit_limit_currency", sa.String(length=3), nullable=True)
        )
        batch_op.add_column(sa.Column("exception_expires_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_customers_exception_segment_key_segments"),
            "segments",
            ["exception_segment_key"],
            ["key"],
        )


def downgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_customers_exception_segment_key_segments"), type_="foreignkey"
        )
        batch_op.drop_column("exception_expires_on")
        batch_op.drop_column("exception_credit_limit_currency")
        batch_op.drop_column("exception_credit_limit_amount")
        batch_op.drop_column("exception_segment_key")
        batch_op.drop_column("exception_id")
    op.drop_index("ix_term_exceptions_status_requested_at", table_name="term_exceptions")
    op.drop_index("ix_term_exceptions_customer_id", table_name="term_exceptions")
    op.drop_table("term_exceptions")
    op.drop_index("ix_checkout_decisions_order", table_name="checkout_decisions")
    op.drop_table("checkout_decisions")
