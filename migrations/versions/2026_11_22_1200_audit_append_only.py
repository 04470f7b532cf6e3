"""audit log append-only: the store itself refuses UPDATE, DELETE (and TRUNCATE)

Revision ID: 0003_audit_append_only
Revises: 0002_invoice_routing
Create Date: 2026-11-22 12:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0003_audit_append_only"
down_revision = "0002_invoice_routing"
branch_labels = None
depends_on = None

MESSAGE = "audit_events is append-only"

POSTGRESQL_UP = (
    f"""
    CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()
    """,
    """
    CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()
    """,
)
POSTGRESQL_DOWN = (
    "DROP TRIGGER audit_events_no_truncate ON audit_events",
    "DROP TRIGGER audit_events_append_only ON audit_events",
    "DROP FUNCTION audit_events_refuse_change()",
)
# SQLite has no TRUNCATE: `DELETE FROM audit_events` is the only way to empty it.
SQLITE_UP = tuple(
    f"""
    CREATE TRIGGER audit_events_refuse_{verb.lower()}
    BEFORE {verb} ON audit_events
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END
    """
    for verb in ("UPDATE", "DELETE")
)
SQLITE_DOWN = (
    "DROP TRIGGER audit_events_refuse_delete",
    "DROP TRIGGER audit_events_refuse_update",
)


def upgrade() -> None:
    postgresql = op.get_context().dialect.name == "postgresql"
    for statement in POSTGRESQL_UP if postgresql else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_context().dialect.name == "postgresql"
    for statement in POSTGRESQL_DOWN if postgresql else SQLITE_DOWN:
        op.execute(statement)
