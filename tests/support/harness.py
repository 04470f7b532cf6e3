"""What the process tests share: the CLI, a writer that writes as the app does, and polling.

Every call here is bounded in time; nothing waits for ever on another process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import Connection, create_engine, insert, text, update

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.config import Settings
from app.core.models import Customer, Segment, StoreVersion
from app.core.store import NOTIFY_CHANNEL, Store
from tests.support.server import TLS, Server, termsgate

T = TypeVar("T")
POLL_SECONDS = 0.02
HTTP_TIMEOUT_SECONDS = 5.0
LOOKUP = "/v1/customers/{}/terms"


def cli_env(database_url: str | SecretStr) -> dict[str, str]:
    """The environment a command needs for this store (a Settings' URL is a SecretStr)."""
    if isinstance(database_url, SecretStr):
        database_url = database_url.get_secret_value()
    return {"TERMSGATE_DATABASE_URL": database_url}


def create_key(database_url: str, name: str, *scopes: str) -> str:
    """A key made in this process the way `termsgate apikey create` makes it (the service, in a
    writing transaction that bumps the store version and tells the other processes), without
    the half second of CPU the command takes to start; the token. The tests of the command
    itself use `cli_create_key`."""
    store = Store(Settings(database_url=database_url))
    try:
        with store.writing() as session:
            return apikeys.create(
                session, name, scopes=list(scopes), actor="cli:test", clock=Clock()
            )
    finally:
        store.dispose()


def cli_create_key(database_url: str, name: str, *scopes: str) -> str:
    """`termsgate apikey create`; the token is the last line of stdout."""
    args = [arg for scope in scopes for arg in ("--scope", scope)]
    done = termsgate("apikey", "create", "--name", name, *args, env=cli_env(database_url))
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def revoke_key(database_url: str, name: str) -> None:
    done = termsgate("apikey", "revoke", name, env=cli_env(database_url))
    assert done.returncode == 0, done.stderr


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def loopback(base_url: str | httpx.URL, **options: Any) -> httpx.Client:
    """A client for a server on loopback (a termsgate, nginx in front of replicas): the suite's
    timeout and shared SSL context unless `options` say otherwise; close it (use it as a
    context manager)."""
    defaults: dict[str, Any] = {"timeout": HTTP_TIMEOUT_SECONDS, "verify": TLS}
    return httpx.Client(base_url=base_url, **(defaults | options))


def http(server: Server, **options: Any) -> httpx.Client:
    """A client for one server, as `loopback` makes it."""
    return loopback(server.base_url, **options)


def terms(client: httpx.Client, customer_id: str, headers: dict[str, str]) -> tuple[int, Any]:
    """(status, body) of a terms lookup."""
    answer = client.get(LOOKUP.format(customer_id), headers=headers)
    return answer.status_code, answer.json()


@contextmanager
def app_transaction(database_url: str) -> Iterator[tuple[Connection, int]]:
    """One transaction as the app's writers make it: bump the store version, announce it
    (NOTIFY on PostgreSQL), do the work, commit. Durable at once, even across a crash."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            postgresql = connection.dialect.name == "postgresql"
            if postgresql:
                connection.execute(text("SET LOCAL synchronous_commit = on"))
            version = connection.execute(
                update(StoreVersion)
                .values(version=StoreVersion.version + 1)
                .returning(StoreVersion.version)
            ).scalar_one()
            if postgresql:
                connection.execute(
                    text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": NOTIFY_CHANNEL, "payload": str(version)},
                )
            yield connection, version
    finally:
        engine.dispose()


def place(database_url: str, customer_id: str, segment: str) -> None:
    """Assign a customer to a segment, as a segmentation run would, from another process."""
    with app_transaction(database_url) as (connection, version):
        connection.execute(
            insert(Customer).values(
                customer_id=customer_id,
                segment_key=segment,
                assigned_by="test",
                assigned_at=datetime.now(UTC),
                changed_version=version,
            )
        )


def set_net_days(database_url: str, segment: str, net_days: int) -> None:
    with app_transaction(database_url) as (connection, _version):
        connection.execute(
            update(Segment)
            .where(Segment.key == segment)
            .values(net_days=net_days, revision=Segment.revision + 1, updated_at=datetime.now(UTC))
        )


def pin(database_url: str, customer_id: str, segment: str) -> None:
    """An override, written from another process."""
    with app_transaction(database_url) as (connection, version):
        connection.execute(
            update(Customer)
            .where(Customer.customer_id == customer_id)
            .values(
                override_segment_key=segment,
                override_reason="test",
                override_by="test",
                override_at=datetime.now(UTC),
                changed_version=version,
            )
        )


def within(seconds: float) -> float:
    """A deadline `seconds` from now."""
    return time.monotonic() + seconds


def visible_by(deadline: float, probe: Callable[[], T], seen: Callable[[T], bool], what: str) -> T:
    """Poll `probe` until `seen` holds; fail if it does not by `deadline` (time.monotonic)."""
    while True:
        found = probe()
        if seen(found):
            return found
        if time.monotonic() >= deadline:
            pytest.fail(f"{what}: not visible in time; last seen {found!r}")
        time.sleep(POLL_SECONDS)


@contextmanager
def autocommit(url: str) -> Iterator[Connection]:
    """A short-lived autocommit connection to the store, straight to the tables (not through a
    server, nor a proxy in front of the store)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()
