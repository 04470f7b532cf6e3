"""ledger feed: routes and payments stop bumping the store version; what they change travels as
a change feed, and orders checkout granted net terms count against the credit limit

Revision ID: 0011_ledger_feed
Revises: 0010_key_owners
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.models.base import UTCDateTime

revision = "0011_ledger_feed"
down_revision = "0010_key_owners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_changes",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("owed", sa.BigInteger(), nullable=True),
        sa.Column("order_id", sa.String(length=128), nullable=True),
        sa.Column("decision_id", sa.String(length=40), nullable=True),
        sa.Column("order_amount", sa.BigInteger(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_ledger_changes_at", "ledger_changes", ["at"])
    op.create_table(
        "open_orders",
        sa.Column("customer_id", sa.String(length=128), primary_key=True),
        sa.Column("order_id", sa.String(length=128), primary_key=True),
        sa.Column("decision_id", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_open_orders_expires_at", "open_orders", ["expires_at"])
    op.add_column("checkout_decisions", sa.Column("released_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkout_decisions") as batch:
        batch.drop_column("released_at")
    op.drop_index("ix_open_orders_expires_at", table_name="open_orders")
    op.drop_table("open_orders")
    op.drop_index("ix_ledger_changes_at", table_name="ledger_changes")
    op.drop_table("ledger_changes")
