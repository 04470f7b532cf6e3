"""The parts of an app under test, typed: its store, its terms snapshot, its decision recorder."""

from __future__ import annotations

from typing import Any

from app.checkout.recorder import DecisionRecorder
from app.core.store import Store
from app.http.state import AppState
from app.terms.cache import TermsCache


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
