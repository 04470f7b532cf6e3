"""A database the pool hands out again holds exactly what a fresh copy of the template holds;
one whose schema a test changed, or that something still uses, is never handed out again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.support.pg_pool import DatabasePool, schema_fingerprint
from tests.support.postgres import PostgresCluster
from tests.support.stores import TEMPLATE_DB


def _connect(cluster: PostgresCluster, dbname: str) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname=dbname, autocommit=True
    )


def _contents(cluster: PostgresCluster, dbname: str) -> dict[str, object]:
    """Every table's rows, every sequence's next value, and the schema's fingerprint."""
    with _connect(cluster, dbname) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        contents: dict[str, object] = {
            table: sorted(map(repr, conn.execute(f'SELECT * FROM "{table}"').fetchall()))
            for table in tables
        }
        for (sequence,) in conn.execute("SELECT sequencename FROM pg_sequences").fetchall():
            contents[sequence] = conn.execute(f"SELECT nextval('\"{sequence}\"')").fetchone()
        contents["schema"] = schema_fingerprint(conn)
    return contents


@pytest.fixture
def pool(pg_cluster: PostgresCluster) -> Iterator[DatabasePool]:
    pool = DatabasePool(pg_cluster, TEMPLATE_DB)
    yield pool
    pool.close()


def test_a_used_database_comes_back_as_a_fresh_copy(
    pg_cluster: PostgresCluster, pool: DatabasePool
) -> None:
    fresh = pool.acquire()
    expected = _contents(pg_cluster, fresh)
    pg_cluster.drop_database(fresh)
    name = pool.acquire()
    with _connect(pg_cluster, name) as conn:
        # Rows in the seeded tables changed and added, rows elsewhere, sequences moved on, and
        # an audit row, which the store refuses to delete outside the pool's reset.
        conn.execute("UPDATE segments SET net_days = 99")
        conn.execute("DELETE FROM workflows WHERE key = 'finance_approvals'")
        conn.execute("INSERT INTO customers (customer_id, changed_version) VALUES ('c-1', 1)")
        conn.execute(
            "INSERT INTO audit_events"
            " (occurred_at, actor, action, entity_type, entity_id, prev_hash, hash)"
            " VALUES (now(), 'test', 'test.done', 'test', 't-1', '', 'h-1')"
        )
        for (sequence,) in conn.execute("SELECT sequencename FROM pg_sequences").fetchall():
            conn.execute(f"SELECT nextval('\"{sequence}\"')")
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute("DELETE FROM audit_events")
    assert _contents(pg_cluster, name) != expected

    pool.release(name)
    again = pool.acquire()

    assert again == name
    assert _contents(pg_cluster, again) == expected
    pool.release(again)


def test_a_database_whose_schema_changed_is_dropped(
    pg_cluster: PostgresCluster, pool: DatabasePool
) -> None:
    name = pool.acquire()
    with _connect(pg_cluster, name) as conn:
        conn.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    pool.release(name)
    other = pool.acquire()

    assert other != name
    with _connect(pg_cluster, "postgres") as conn:
        gone = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name])
        assert gone.fetchone() == (0,)
    pool.release(other)


def test_a_database_still_in_use_is_dropped(
    pg_cluster: PostgresCluster, pool: DatabasePool
) -> None:
    name = pool.acquire()
    lingering = _connect(pg_cluster, name)
    pool.release(name)
    other = pool.acquire()

    assert other != name
    with pytest.raises(psycopg.OperationalError):
        lingering.execute("SELECT 1")
    lingering.close()
    pool.release(other)
