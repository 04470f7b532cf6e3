"""ledger paid_on: the earliest day paid among the payments a change of the feed records

A process's kept cash forecast fit takes in what the feed names customer by customer, except a
payment made long before the fit's date, which moves what it keeps per pool: the feed says when
the earliest payment of a change was made, so the fit knows to be made afresh.

Revision ID: 0018_ledger_paid_on
Revises: 0017_worklist_indexes
Create Date: 2026-12-03 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_ledger_paid_on"
down_revision = "0017_worklist_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ledger_changes", sa.Column("paid_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_changes") as table:
        table.drop_column("paid_on")
