"""The benchmark store: 1,000,000 placed customers on a private PostgreSQL (and on SQLite)."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final, NamedTuple

import psycopg
from sqlalchemy import create_engine

from app.apikeys import service as apikeys
from app.core import schema
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from tests.support.postgres import PostgresCluster

SEGMENTS: Final = ("pay_on_order", "net_15", "net_30")
SEGMENT_WEIGHTS: Final = (0.2, 0.4, 0.4)
OVERRIDE_SHARE: Final = 0.02
OVERRIDE_SEGMENT: Final = "pay_on_order"
COPY_COLUMNS: Final = (
    "customer_id, segment_key, assigned_by, changed_version,"
    " override_segment_key, override_reason, override_by"
)
CHUNK: Final = 50_000


class Placed(NamedTuple):
    customer_id: str
    segment_key: str
    overridden: bool


def customer_id(n: int) -> str:
    return f"cust-{n:07d}"


def placements(count: int, seed: int = 7) -> Iterator[Placed]:
    """cust-0000001.. with segments spread by SEGMENT_WEIGHTS and ~2% overridden; reproducible."""
    rng = random.Random(seed)
    segments = rng.choices(SEGMENTS, SEGMENT_WEIGHTS, k=count)
    for n, segment in enumerate(segments, start=1):
        yield Placed(customer_id(n), segment, rng.random() < OVERRIDE_SHARE)


class Loaded(NamedTuple):
    url: str
    token: str
    seconds: float


def create_key(url: str) -> str:
    """A terms:read key, made the way `termsgate apikey create` makes one."""
    store = Store(Settings(database_url=url))
    try:
        with store.writing() as session:
            return apikeys.create(
                session, "bench-reader", scopes=["terms:read"], actor="bench", clock=Clock()
            )
    finally:
        store.dispose()


def migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        schema.upgrade(engine)
    finally:
        engine.dispose()


def load_postgres(cluster: PostgresCluster, count: int, dbname: str = "bench") -> Loaded:
    url = cluster.create_database(dbname)
    migrate(url)
    token = create_key(url)
    started = time.perf_counter()
    conninfo = f"host=127.0.0.1 port={cluster.port} user=postgres dbname={dbname}"
    with psycopg.connect(conninfo) as connection:
        version = _store_version(connection)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY customers ({COPY_COLUMNS}) FROM STDIN") as copy,
        ):
            lines: list[str] = []
            for placed in placements(count):
                override = (
                    f"{OVERRIDE_SEGMENT}\tbench\tbench" if placed.overridden else "\\N\t\\N\t\\N"
                )
                lines.append(
                    f"{placed.customer_id}\t{placed.segment_key}\tbench\t{version}\t{override}\n"
                )
                if len(lines) == CHUNK:
                    copy.write("".join(lines))
                    lines.clear()
            copy.write("".join(lines))
    with psycopg.connect(conninfo, autocommit=True) as connection:
        # Set hint bits and statistics now, so the first timed reload is not the one doing it.
        connection.execute("VACUUM (FREEZE, ANALYZE) customers")
    return Loaded(url, token, time.perf_counter() - started)


def load_sqlite(path: Path, count: int) -> Loaded:
    url = f"sqlite:///{path}"
    migrate(url)
    token = create_key(url)
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    try:
        (version,) = connection.execute("SELECT version FROM store_version").fetchone()
        with connection:
            connection.executemany(
                f"INSERT INTO customers ({COPY_COLUMNS}) VALUES (?, ?, 'bench', ?, ?, ?, ?)",
                (
                    (p.customer_id, p.segment_key, version, *_override(p.overridden))
                    for p in placements(count)
                ),
            )
        connection.execute("ANALYZE")
    finally:
        connection.close()
    return Loaded(url, token, time.perf_counter() - started)


def _override(overridden: bool) -> tuple[str | None, str | None, str | None]:
    return (OVERRIDE_SEGMENT, "bench", "bench") if overridden else (None, None, None)


def _store_version(connection: psycopg.Connection[tuple[object, ...]]) -> int:
    row = connection.execute("SELECT version FROM store_version").fetchone()
    assert row is not None
    version = row[0]
    assert isinstance(version, int)
    return version
