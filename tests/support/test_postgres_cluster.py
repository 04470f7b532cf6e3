"""The private PostgreSQL cluster survives a crash and comes back on the same port."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.support.postgres import PostgresCluster


def _connect(cluster: PostgresCluster, dbname: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host="127.0.0.1",
        port=cluster.port,
        user="postgres",
        dbname=dbname,
        autocommit=True,
        connect_timeout=5,
    )


def test_start_kill_restart_keeps_data(tmp_path: Path) -> None:
    cluster = PostgresCluster(tmp_path)
    cluster.start()
    try:
        port = cluster.port
        url = cluster.create_database("lifecycle")
        assert url == f"postgresql+psycopg://postgres@127.0.0.1:{port}/lifecycle"

        with _connect(cluster, "lifecycle") as conn:
            assert conn.execute("select 1").fetchone() == (1,)
            # The cluster runs with synchronous_commit=off; make these commits crash-safe.
            conn.execute("set synchronous_commit = on")
            conn.execute("create table survivor (id int primary key, note text not null)")
            conn.execute("insert into survivor values (1, 'before the crash')")

            cluster.kill()
            with pytest.raises(psycopg.OperationalError):
                conn.execute("select 1")
        with pytest.raises(psycopg.OperationalError):
            _connect(cluster, "lifecycle")

        cluster.restart()
        assert cluster.port == port
        with _connect(cluster, "lifecycle") as conn:
            rows = conn.execute("select id, note from survivor").fetchall()
        assert rows == [(1, "before the crash")]

        cluster.create_database("copy", template="lifecycle")
        with _connect(cluster, "copy") as conn:
            assert conn.execute("select count(*) from survivor").fetchone() == (1,)
        cluster.drop_database("copy")
        cluster.drop_database("copy")  # idempotent
    finally:
        cluster.stop()
    with pytest.raises(psycopg.OperationalError):
        _connect(cluster, "postgres")
    cluster.stop()  # stopping a stopped cluster is fine
