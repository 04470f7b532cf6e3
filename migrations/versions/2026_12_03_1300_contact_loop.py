"""contact loop: tasks from contact plans, touches, promises to pay, disputes, and the part of
an invoice settled by credit notes

Revision ID: 0012_contact_loop
Revises: 0011_ledger_feed
Create Date: 2026-12-03 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.models.base import JSONDocument, UTCDateTime

revision = "0012_contact_loop"
down_revision = "0011_ledger_feed"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.add_column(
            sa.Column("credited_amount", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch.create_check_constraint(
            "credited_within_paid", "credited_amount >= 0 AND credited_amount <= paid_amount"
        )
    op.create_table(
        "contact_tasks",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column(
            "invoice_id",
            sa.String(length=128),
            sa.ForeignKey("invoices.invoice_id"),
            nullable=False,
        ),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("segment", sa.String(length=64), nullable=True),
        sa.Column("scheduled_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_contact_tasks_invoice", "contact_tasks", ["invoice_id"])
    op.create_index(
        "ix_contact_tasks_open",
        "contact_tasks",
        ["scheduled_on", "customer_id"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )
    op.create_index("ix_contact_tasks_customer", "contact_tasks", ["customer_id", "scheduled_on"])
    op.create_table(
        "touches",
        sa.Column("touch_id", sa.String(length=128), primary_key=True),
        sa.Column(
            "invoice_id",
            sa.String(length=128),
            sa.ForeignKey("invoices.invoice_id"),
            nullable=False,
        ),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("segment", sa.String(length=64), nullable=True),
        sa.Column("task_id", sa.BigInteger(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("before_due", sa.Boolean(), nullable=False),
        sa.Column("outstanding", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("answer", JSONDocument, nullable=False),
    )
    op.create_index("ix_touches_occurred_at", "touches", ["occurred_at"])
    op.create_index("ix_touches_customer", "touches", ["customer_id", "occurred_at"])
    op.create_index("ix_touches_invoice", "touches", ["invoice_id"])
    op.create_table(
        "promises",
        sa.Column("id", sa.String(length=40), primary_key=True),
        sa.Column(
            "invoice_id",
            sa.String(length=128),
            sa.ForeignKey("invoices.invoice_id"),
            nullable=False,
        ),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("touch_id", sa.String(length=128), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("pay_on", sa.Date(), nullable=False),
        sa.Column("keep_by", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("made_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
    )
    op.create_index("ix_promises_customer", "promises", ["customer_id", "made_at"])
    op.create_index("ix_promises_invoice", "promises", ["invoice_id"])
    op.create_index(
        "ix_promises_open", "promises", ["pay_on"], postgresql_where=OPEN, sqlite_where=OPEN
    )
    op.create_table(
        "disputes",
        sa.Column("id", sa.String(length=40), primary_key=True),
        sa.Column(
            "invoice_id",
            sa.String(length=128),
            sa.ForeignKey("invoices.invoice_id"),
            nullable=False,
        ),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("touch_id", sa.String(length=128), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.Column("credit_amount", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
    )
    op.create_index("ix_disputes_customer", "disputes", ["customer_id", "opened_at"])
    op.create_index("ix_disputes_invoice", "disputes", ["invoice_id"])
    op.create_index("ix_disputes_status", "disputes", ["status", "opened_at"])


def downgrade() -> None:
    for table in ("disputes", "promises", "touches", "contact_tasks"):
        op.drop_table(table)
    with op.batch_alter_table("invoices") as batch:
        batch.drop_constraint("credited_within_paid", type_="check")
        batch.drop_column("credited_amount")
