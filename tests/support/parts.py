"""The parts of an app under test, typed: its store, its terms snapshot, its decision recorder."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from app.checkout.recorder import DecisionRecorder
from app.core.config import Settings
from app.core.store import Store
from app.http.state import AppState
from app.terms.cache import TermsCache
from tests.support.harness import visible_by, within

LOAD_SECONDS = 10.0


def state(app: Any) -> AppState:
    """The typed state of an app from `create_app` (the edge) or of its FastAPI app."""
    api = getattr(app, "api", app)
    found = api.state.termsgate
    assert isinstance(found, AppState)
    return found


def store_of(app: Any) -> Store:
    return state(app).opened_store()


def cache_of(app: Any) -> TermsCache:
    cache = state(app).terms
    assert isinstance(cache, TermsCache)
    return cache


def recorder_of(app: Any) -> DecisionRecorder:
    recorder = state(app).decisions
    assert isinstance(recorder, DecisionRecorder)
    return recorder


@contextmanager
def served(app: Any) -> Iterator[TestClient]:
    """The app in-process, lifespan started, once its first terms snapshot has loaded: what a
    load balancer waits for before it sends a request (`/healthz/ready`). Without the wait a
    test's first request may meet a process that answers 503 because it has no keys yet."""
    with TestClient(app, raise_server_exceptions=False) as client:
        cache = cache_of(app)
        visible_by(within(LOAD_SECONDS), lambda: cache.loaded, bool, "the first terms snapshot")
        yield client


def suite_settings(database_url: str) -> Settings:
    """The settings the suite's apps run with: a fast sync, a short staleness, a small pool."""
    return Settings(
        database_url=database_url,
        sync_interval_seconds=0.05,
        stale_after_seconds=2.0,
        db_pool_size=5,
    )
