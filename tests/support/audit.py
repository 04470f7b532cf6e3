"""The audit trail: reading it, and changing it behind the app's back as an intruder would."""

from __future__ import annotations

from sqlalchemy import Connection, select, text

from app.core.models import AuditEvent
from app.core.store import Store


def audit_trail(store: Store, entity_type: str) -> list[tuple[str, str, str, str | None]]:
    """(actor, action, entity_id, reason) of each audit row about `entity_type`, oldest first."""
    with store.reading() as session:
        rows = session.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.entity_id, AuditEvent.reason)
            .where(AuditEvent.entity_type == entity_type)
            .order_by(AuditEvent.id)
        )
        return [(actor, action, entity_id, reason) for actor, action, entity_id, reason in rows]


REFUSED = "audit_events is append-only"


def bypassing_the_trigger(
    connection: Connection, statement: str, event_id: int, **values: str
) -> None:
    """Change the log as an intruder with DDL rights would, and commit it."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(statement), {"id": event_id, **values})
    else:
        triggers = connection.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for name, _sql in triggers:
            connection.execute(text(f"DROP TRIGGER {name}"))
        connection.execute(text(statement), {"id": event_id, **values})
        for _name, sql in triggers:
            connection.execute(text(sql))
    connection.commit()
