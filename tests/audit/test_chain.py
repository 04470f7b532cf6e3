"""The audit log is append-only in the store itself, and `verify` finds a row changed by hand."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import DBAPIError

from app.audit import service
from app.audit.repository import chain_hash, hashed_fields
from app.audit.service import ChainCheck
from app.core.config import Settings
from app.core.models import AuditEvent
from app.core.store import Store
from tests.support.audit import REFUSED, bypassing_the_trigger
from tests.support.segments import net_45
from tests.support.server import termsgate


@pytest.fixture
def history(client: TestClient, ops: dict[str, str]) -> None:
    """Four audited writes: the ops key, then a segment created, updated and deleted."""
    created = client.put("/v1/segments/net_45", json=net_45(), headers=ops)
    assert created.status_code == 201
    updated = client.put(
        "/v1/segments/net_45",
        json=net_45(name="Net 45 (EU)"),
        headers={**ops, "If-Match": created.headers["etag"]},
    )
    assert updated.status_code == 200
    deleted = client.delete("/v1/segments/net_45", headers={**ops, "If-Match": '"2"'})
    assert deleted.status_code == 204


def event_ids(connection: Connection) -> list[int]:
    return list(connection.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def check(store: Store) -> ChainCheck:
    with store.reading() as session:
        return service.verify(session)


@pytest.mark.usefixtures("history")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET reason = 'nothing to see'",
        "UPDATE audit_events SET hash = hash WHERE id = (SELECT max(id) FROM audit_events)",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)",
    ],
)
def test_the_store_refuses_to_update_or_delete_audit_events(
    connection: Connection, statement: str
) -> None:
    before = event_ids(connection)
    with pytest.raises(DBAPIError, match=REFUSED):
        connection.execute(text(statement))
    connection.rollback()
    assert event_ids(connection) == before
    assert len(before) == 4


@pytest.mark.usefixtures("history")
@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite has no TRUNCATE
def test_postgresql_refuses_to_truncate_audit_events(connection: Connection) -> None:
    with pytest.raises(DBAPIError, match=REFUSED):
        connection.execute(text("TRUNCATE audit_events"))


def test_verify_passes_on_a_fresh_chain_of_several_writes(store: Store, history: None) -> None:
    assert check(store) == ChainCheck(events_checked=4)


def test_verify_passes_on_an_empty_log(settings: Settings) -> None:
    empty = Store(settings)
    try:
        assert check(empty) == ChainCheck(events_checked=0)
    finally:
        empty.dispose()


@pytest.mark.usefixtures("history")
def test_verify_finds_the_event_whose_contents_were_changed(
    store: Store, connection: Connection
) -> None:
    altered = event_ids(connection)[2]
    connection.rollback()
    bypassing_the_trigger(
        connection, "UPDATE audit_events SET reason = 'approved' WHERE id = :id", altered
    )
    found = check(store)
    assert found.broken_at == altered
    assert found.why == "hash does not match the event's contents"
    assert not found.intact


@pytest.mark.usefixtures("history")
def test_verify_finds_the_gap_a_deleted_event_leaves(store: Store, connection: Connection) -> None:
    ids = event_ids(connection)
    connection.rollback()
    bypassing_the_trigger(connection, "DELETE FROM audit_events WHERE id = :id", ids[1])
    found = check(store)
    assert found.broken_at == ids[2]
    assert found.why == "prev_hash does not match the previous event's hash"


@pytest.mark.usefixtures("history")
def test_verify_finds_an_event_rehashed_after_a_change_by_the_link_after_it(
    store: Store, connection: Connection
) -> None:
    ids = event_ids(connection)
    connection.rollback()
    with store.reading() as session:
        forged = session.get_one(AuditEvent, ids[1])
        forged.reason = "approved by finance"
        forged_hash = chain_hash(forged.prev_hash, hashed_fields(forged))
    bypassing_the_trigger(
        connection,
        "UPDATE audit_events SET reason = 'approved by finance', hash = :hash WHERE id = :id",
        ids[1],
        hash=forged_hash,
    )
    found = check(store)
    assert found.broken_at == ids[2]
    assert found.why == "prev_hash does not match the previous event's hash"
    assert found.events_checked == 3


@pytest.mark.usefixtures("history")
def test_cli_verify_exits_0_on_an_intact_chain_and_1_on_a_broken_one(
    database_url: str, connection: Connection
) -> None:
    env = {"TERMSGATE_DATABASE_URL": database_url}
    intact = termsgate("audit", "verify", env=env)
    assert (intact.returncode, intact.stdout) == (0, "audit chain intact: 4 events\n")

    altered = event_ids(connection)[3]
    connection.rollback()
    bypassing_the_trigger(
        connection, "UPDATE audit_events SET actor = 'someone-else' WHERE id = :id", altered
    )
    broken = termsgate("audit", "verify", env=env)
    assert broken.returncode == 1
    assert broken.stdout == (
        f"audit chain broken at event {altered}: hash does not match the event's contents\n"
    )
