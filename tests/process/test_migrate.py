"""`termsgate migrate`: safe to run twice, and from two processes at once."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from app.core.schema import ADVISORY_LOCK_KEY, HEAD
from tests.support.harness import cli_env
from tests.support.postgres import PostgresCluster
from tests.support.server import TERMSGATE, termsgate

pytestmark = pytest.mark.process

MIGRATE_TIMEOUT_SECONDS = 60
# The time limit a request's statements get; a migration, and the wait for one, must outlast it.
DB_TIMEOUT_SECONDS = 1
SEEDED = {"segments": 3, "workflows": 4, "segmentation_policies": 1, "store_version": 1}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store with no schema at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    name = f"m_{uuid.uuid4().hex[:12]}"
    yield cluster.create_database(name)
    cluster.drop_database(name)


def test_migrate_twice_in_a_row_succeeds(empty_store: str) -> None:
    for _ in range(2):
        done = termsgate("migrate", env=cli_env(empty_store), timeout=MIGRATE_TIMEOUT_SECONDS)
        assert done.returncode == 0, done.stderr
    assert _state(empty_store) == (HEAD, SEEDED)


def test_two_migrates_at_once_both_succeed_and_seed_once(empty_store: str) -> None:
    processes = [
        subprocess.Popen(
            [TERMSGATE, "migrate"],
            env={**os.environ, **cli_env(empty_store)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        outcomes = [
            (process.communicate(timeout=MIGRATE_TIMEOUT_SECONDS), process.returncode)
            for process in processes
        ]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
    for (_out, err), returncode in outcomes:
        assert returncode == 0, err
    assert _state(empty_store) == (HEAD, SEEDED)


def test_migrate_waits_for_another_replicas_migration_longer_than_a_request_may(
    pg_cluster: PostgresCluster,
) -> None:
    name = f"m_{uuid.uuid4().hex[:12]}"
    url = pg_cluster.create_database(name)
    env = {**os.environ, **cli_env(url), "TERMSGATE_DB_TIMEOUT_SECONDS": str(DB_TIMEOUT_SECONDS)}
    try:
        with psycopg.connect(
            host="127.0.0.1", port=pg_cluster.port, user="postgres", dbname=name, autocommit=True
        ) as other_replica:
            other_replica.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
            waiting = subprocess.Popen(
                [TERMSGATE, "migrate"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                _until_waiting_for_the_lock(other_replica)
                time.sleep(DB_TIMEOUT_SECONDS * 2)  # past any request's time limit
                other_replica.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
                _out, err = waiting.communicate(timeout=MIGRATE_TIMEOUT_SECONDS)
            finally:
                if waiting.poll() is None:
                    waiting.kill()
                    waiting.wait(timeout=10)
        assert waiting.returncode == 0, err
        assert _state(url) == (HEAD, SEEDED)
    finally:
        pg_cluster.drop_database(name)


def _until_waiting_for_the_lock(connection: psycopg.Connection[tuple[object, ...]]) -> None:
    deadline = time.monotonic() + MIGRATE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        row = connection.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()
        if row is not None and row[0] == 1:
            return
        time.sleep(0.05)
    pytest.fail("termsgate migrate never waited for the migration lock")


def _state(database_url: str) -> tuple[str | None, dict[str, int]]:
    """The schema revision, and how many rows each seeded table holds."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            revisions = list(connection.execute(text("SELECT version_num FROM alembic_version")))
            counts = {
                table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in SEEDED
            }
    finally:
        engine.dispose()
    assert len(revisions) == 1
    return revisions[0][0], counts
