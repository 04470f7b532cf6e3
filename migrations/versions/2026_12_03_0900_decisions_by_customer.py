"""decisions by customer: a customer's checkout decisions, newest first

Revision ID: 0008_decisions_by_customer
Revises: 0007_audit_request_id
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0008_decisions_by_customer"
down_revision = "0007_audit_request_id"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_checkout_decisions_customer",
        "checkout_decisions",
        ["customer_id", "decision_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_checkout_decisions_customer", table_name="checkout_decisions")
