"""foundation: keys, workflows, segments, policy, customers, audit log, store version

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-22 09:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from app.core.models.base import BigIntId, JSONDocument, UTCDateTime

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None

DEFAULT_POLICY = {
    "lookback_days": 365,
    "min_invoices": 3,
    "currency": "USD",
    "new_customer_segment": "pay_on_order",
    "payer_classes": {
        "good": {"max_avg_days_late": 2, "max_late_share": 0.10},
        "average": {"max_avg_days_late": 10, "max_late_share": 0.50},
    },
    "value_tiers": {
        "high": {"min_revenue": {"amount": 10000000, "currency": "USD"}, "min_margin_pct": None}
    },
    "matrix": {
        "good": {"high": "net_30", "standard": "net_30"},
        "average": {"high": "net_30", "standard": "net_15"},
        "poor": {"high": "net_15", "standard": "pay_on_order"},
    },
}


def upgrade() -> None:
    store_version = op.create_table(
        "store_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_store_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_version")),
    )
    op.create_table(
        "api_keys",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("scopes", JSONDocument, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_keys_token_sha256")),
    )
    workflows = op.create_table(
        "workflows",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("webhook_url", sa.String(length=2048), nullable=True),
        sa.Column("secret", sa.String(length=128), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_workflows")),
    )
    segments = op.create_table(
        "segments",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("terms_type", sa.String(length=16), nullable=False),
        sa.Column("net_days", sa.Integer(), nullable=False),
        sa.Column("credit_limit_amount", sa.BigInteger(), nullable=True),
        sa.Column("credit_limit_currency", sa.String(length=3), nullable=True),
        sa.Column("workflow_key", sa.String(length=64), nullable=False),
        sa.Column("contact_plan", JSONDocument, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(credit_limit_amount IS NULL) = (credit_limit_currency IS NULL)",
            name=op.f("ck_segments_credit_limit_pair"),
        ),
        sa.CheckConstraint(
            "net_days >= 0 AND net_days <= 365", name=op.f("ck_segments_net_days_range")
        ),
        sa.ForeignKeyConstraint(
            ["workflow_key"], ["workflows.key"], name=op.f("fk_segments_workflow_key_workflows")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_segments")),
    )
    policies = op.create_table(
        "segmentation_policies",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", JSONDocument, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_segmentation_policies")),
    )
    op.create_table(
        "customers",
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("segment_key", sa.String(length=64), nullable=True),
        sa.Column("assigned_by", sa.String(length=64), nullable=True),
        sa.Column("assigned_at", UTCDateTime(), nullable=True),
        sa.Column("override_segment_key", sa.String(length=64), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("override_expires_on", sa.Date(), nullable=True),
        sa.Column("override_by", sa.String(length=64), nullable=True),
        sa.Column("override_at", UTCDateTime(), nullable=True),
        sa.Column("changed_version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["override_segment_key"],
            ["segments.key"],
            name=op.f("fk_customers_override_segment_key_segments"),
        ),
        sa.ForeignKeyConstraint(
            ["segment_key"], ["segments.key"], name=op.f("fk_customers_segment_key_segments")
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customers")),
    )
    op.create_index(
        op.f("ix_customers_changed_version"), "customers", ["changed_version"], unique=False
    )
    op.create_table(
        "audit_events",
        sa.Column("id", BigIntId, nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("before", JSONDocument, nullable=True),
        sa.Column("after", JSONDocument, nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    op.create_index("ix_audit_events_entity", "audit_events", ["entity_type", "entity_id"])
    op.create_index("ix_audit_events_occurred_at", "audit_events", ["occurred_at"])

    now = datetime.now(UTC)
    op.bulk_insert(store_version, [{"id": 1, "version": 1}])
    op.bulk_insert(
        workflows,
        [
            {
                "key": key,
                "name": name,
                "webhook_url": None,
                "secret": None,
                "revision": 1,
                "updated_at": now,
            }
            for key, name in [
                ("pay_on_order", "Pay on order"),
                ("net_15", "Net 15"),
                ("net_30", "Net 30"),
                ("finance_approvals", "Finance approvals"),
            ]
        ],
    )
    reminder = {"offset_days": 3, "relative_to": "due", "channel": "email", "kind": "reminder"}
    service_check = {
        "offset_days": -5,
        "relative_to": "due",
        "channel": "phone",
        "kind": "service_check",
    }
    defaults = [
        ("pay_on_order", "Pay on order", "pay_on_order", 0, []),
        ("net_15", "Net 15", "net", 15, [service_check, reminder]),
        ("net_30", "Net 30", "net", 30, [reminder]),
    ]
    op.bulk_insert(
        segments,
        [
            {
                "key": key,
                "name": name,
                "terms_type": terms_type,
                "net_days": net_days,
                "credit_limit_amount": None,
                "credit_limit_currency": None,
                "workflow_key": key,
                "contact_plan": plan,
                "revision": 1,
                "updated_at": now,
            }
            for key, name, terms_type, net_days, plan in defaults
        ],
    )
    op.bulk_insert(
        policies,
        [{"version": 1, "document": DEFAULT_POLICY, "created_at": now, "created_by": "system"}],
    )


def downgrade() -> None:
    op.drop_index("ix_audit_events_occurred_at", table_name="audit_events")
    op.drop_index("ix_audit_events_entity", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index(op.f("ix_customers_changed_version"), table_name="customers")
    op.drop_table("customers")
    op.drop_table("segmentation_policies")
    op.drop_table("segments")
    op.drop_table("workflows")
    op.drop_table("api_keys")
    op.drop_table("store_version")
