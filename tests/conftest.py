"""Fixtures: a fresh store per test on SQLite and on a private PostgreSQL, and an app on it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.nodeid import NodeId
from fastapi.testclient import TestClient
from sqlalchemy import Connection, create_engine

from app.core import schema
from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.main import create_app
from tests.support.keys import KeyMaker, key_maker
from tests.support.parts import served, store_of, suite_settings
from tests.support.pg_pool import DatabasePool
from tests.support.postgres import PostgresCluster
from tests.support.stores import BACKENDS, TEMPLATE_DB, fresh_database

pytest_plugins = ["tests.support.figures", "tests.support.launch"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--long",
        action="store_true",
        help="also run the tests marked long (make reliability): the full-size fault runs",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Collect as app/core/preload.py imports what a process keeps, the collector off: importing the
    test modules and the app makes many objects and next to no garbage."""
    gc.disable()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """What collecting made stays for the whole run: frozen, no collection during the tests walks
    it again."""
    gc.freeze()
    gc.enable()


# Handed out first under xdist, longest first, so that no long test starts near the end of the
# run and holds it up alone (--dist loadgroup hands single tests out in collection order, after
# the xdist groups, most tests first). From `pytest --durations`; a test not named here keeps
# its place in collection order, after these.
SLOW_FIRST = (
    "tests/reliability/test_schemathesis.py::",
    "tests/history/test_cli.py::test_a_large_file_imports_in_bounded_memory",
    "tests/reliability/test_audit_trail.py::",
    "tests/reliability/test_lifecycles.py::",
    "tests/reliability/test_concurrency.py::",
    "tests/reliability/test_crashes.py::",
    "tests/reliability/test_secrets.py::",
    "tests/reliability/test_abuse_limits.py::test_a_real_server",
    "tests/process/",
    "tests/segmentation_runs/test_cli.py::",
    "tests/history/test_cli.py::",
    "tests/demo/test_cli.py::",
    "tests/segmentation/test_policy_replicas.py::",
)


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own hook (see name_xdist_groups)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if getattr(config.option, "loadgroup", False):  # an xdist worker under --dist loadgroup
        name_xdist_groups(items)
        items.sort(key=slow_first)
    if config.getoption("--long"):
        return
    skip = pytest.mark.skip(reason="long: runs in `make reliability` (pytest --long)")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)


def name_xdist_groups(items: list[pytest.Item]) -> None:
    """Suffix the ids of tests marked `xdist_group(name)` with `@name`, as pytest-xdist 3.8 does
    by setting `item._nodeid`: pytest 9.2 keeps the id in `item._id`, so without this no test
    shares a worker with its group (the "machine" tests ran beside each other, and each worker
    that got a docs example started a server and ran every example before it again)."""
    for item in items:
        marks = item.iter_markers("xdist_group")
        groups = sorted(
            {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks}
        )
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


def slow_first(item: pytest.Item) -> int:
    return next(
        (rank for rank, prefix in enumerate(SLOW_FIRST) if item.nodeid.startswith(prefix)),
        len(SLOW_FIRST),
    )


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    """One private PostgreSQL for the session, with a migrated template database."""
    cluster = PostgresCluster(tmp_path_factory.mktemp("pg"))
    cluster.start()
    url = cluster.create_database(TEMPLATE_DB)
    engine = create_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_databases(pg_cluster: PostgresCluster) -> Iterator[DatabasePool]:
    """Copies of the template, each emptied back to the template's state after a test."""
    pool = DatabasePool(pg_cluster, TEMPLATE_DB)
    yield pool
    pool.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    engine = create_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=list(BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    backend: str = request.param
    return backend


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty store of its own for each test."""
    with fresh_database(backend, request, tmp_path) as url:
        yield url


@pytest.fixture
def connection(database_url: str) -> Iterator[Connection]:
    """A plain connection to the store, outside the app (as an intruder with the database's
    rights has); rolled back unless committed."""
    engine = create_engine(database_url)
    with engine.connect() as plain:
        yield plain
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return suite_settings(database_url)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(settings: Settings, clock: Clock) -> Iterator[TestClient]:
    """The whole app, lifespan included, served in-process."""
    with served(create_app(settings, clock)) as test_client:
        yield test_client


@pytest.fixture
def store(client: TestClient) -> Store:
    """The app's own store: writes through it reach the app's cache at once."""
    app_store: Store = store_of(client.app)
    return app_store


@pytest.fixture
def make_key(store: Store, clock: Clock) -> KeyMaker:
    """Create a key with the given scopes; returns ready-to-send headers."""
    return key_maker(store, clock)


@pytest.fixture
def ops(make_key: KeyMaker) -> dict[str, str]:
    return make_key("segments:write", name="ops")


@pytest.fixture
def reader(make_key: KeyMaker) -> dict[str, str]:
    return make_key("terms:read", name="checkout")
