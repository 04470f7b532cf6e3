"""worklist indexes: open invoices by customer and currency, open pre-due service checks

The worklist ranks every customer with tasks due. On PostgreSQL these make two of its parts
index-only scans: what is overdue per customer and currency (read in group order, amounts
included), and the open service checks (a small part of all open tasks).

Revision ID: 0017_worklist_indexes
Revises: 0016_outbox_traceparent
Create Date: 2026-12-03 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_worklist_indexes"
down_revision = "0016_outbox_traceparent"
branch_labels = None
depends_on = None

OWED = sa.text("paid_amount < amount")
CHECKS = sa.text("status = 'open' AND kind = 'service_check'")


def upgrade() -> None:
    op.create_index(
        "ix_invoices_owed",
        "invoices",
        ["customer_id", "currency"],
        postgresql_include=["due_on", "amount", "paid_amount"],
        postgresql_where=OWED,
        sqlite_where=OWED,
    )
    op.create_index(
        "ix_contact_tasks_checks",
        "contact_tasks",
        ["scheduled_on"],
        postgresql_include=["customer_id", "invoice_id"],
        postgresql_where=CHECKS,
        sqlite_where=CHECKS,
    )


def downgrade() -> None:
    op.drop_index("ix_contact_tasks_checks", table_name="contact_tasks")
    op.drop_index("ix_invoices_owed", table_name="invoices")
