"""receivables KPI indexes: credit sales by currency and period, open invoices, payments by date

Revision ID: 0006_receivables_kpi_indexes
Revises: 0005_segmentation_history
Create Date: 2026-11-22 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_receivables_kpi_indexes"
down_revision = "0005_segmentation_history"
branch_labels = None
depends_on = None

OPEN = sa.text("paid_amount < amount")


def upgrade() -> None:
    op.create_index("ix_invoices_currency_issued_on", "invoices", ["currency", "issued_on"])
    op.create_index(
        "ix_invoices_open",
        "invoices",
        ["currency", "issued_on"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )
    op.create_index(op.f("ix_payments_paid_on"), "payments", ["paid_on"])


def downgrade() -> None:
    op.drop_index(op.f("ix_payments_paid_on"), table_name="payments")
    op.drop_index("ix_invoices_open", table_name="invoices")
    op.drop_index("ix_invoices_currency_issued_on", table_name="invoices")
