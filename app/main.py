"""create_app(): the FastAPI app, its routers, error handlers and lifespan, behind the edge.

Nothing happens at import time; `termsgate serve` gives uvicorn this factory.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.audit.router import router as audit_router
from app.checkout import endpoint as checkout_endpoint
from app.checkout.endpoint import Checkout
from app.checkout.recorder import DecisionRecorder
from app.checkout.router import router as checkout_router
from app.core import metrics, periodic, schema
from app.core.clock import Clock
from app.core.config import Settings, get_settings
from app.core.keys import TERMS_READ
from app.core.store import Store, reply_deadline
from app.core.vocabulary import Money, Terms
from app.customers.router import router as customers_router
from app.deliveries.relay import Relay, refresh_backlog
from app.deliveries.router import router as deliveries_router
from app.http.edge import Edge
from app.http.operations import router as operations_router
from app.http.problems import Problem, install_handlers
from app.http.ratelimits import RateLimits
from app.invoices.router import router as invoices_router
from app.kpis import gauges as kpi_gauges
from app.kpis.router import router as kpis_router
from app.receivables.router import router as receivables_router
from app.segmentation.router import router as segmentation_router
from app.segmentation_runs.router import router as segmentation_runs_router
from app.segments.router import router as segments_router
from app.term_exceptions.escalation import refresh_pending, sweep
from app.term_exceptions.router import router as term_exceptions_router
from app.terms import lookup
from app.terms.cache import TermsCache
from app.terms.sync import CacheSync
from app.workflows.router import router as workflows_router

TITLE = "termsgate"
# Without a relay in the process, the outbox and pending-exception gauges are refreshed here.
BACKLOG_SECONDS = 5.0
VERSION = "0.1.0"


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Edge:
    """The ASGI application: the edge (hot path, ids, metrics) in front of FastAPI."""
    settings = settings or get_settings()
    api = build_api(settings, clock or Clock())
    checkout: Checkout = api.state.checkout
    # The lookup and checkout decisions share terms:read's buckets.
    return Edge(api, api.state.cache, checkout, settings.max_body_bytes, checkout.limit)


def build_api(settings: Settings, clock: Clock) -> FastAPI:
    api = FastAPI(
        title=TITLE,
        version=VERSION,
        lifespan=_lifespan,
        generate_unique_id_function=lambda route: route.name,
        docs_url="/docs",
        redoc_url=None,
    )
    api.state.settings = settings
    api.state.clock = clock
    api.state.cache = TermsCache(clock, settings.stale_after_seconds)
    api.state.recorder = DecisionRecorder(
        settings.decision_flush_seconds, settings.decision_buffer_max
    )
    api.state.rate_limits = RateLimits(settings.rate_limits)  # read by app.http.auth.require
    api.state.checkout = Checkout(
        api.state.cache, api.state.recorder, clock, api.state.rate_limits.for_scope(TERMS_READ)
    )
    install_handlers(api)
    for router in (
        operations_router,
        segments_router,
        workflows_router,
        customers_router,
        segmentation_router,
        segmentation_runs_router,
        checkout_router,
        invoices_router,
        deliveries_router,
        term_exceptions_router,
        audit_router,
        receivables_router,
        kpis_router,
    ):
        api.include_router(router)
    api.openapi = lambda: openapi_document(api)  # type: ignore[method-assign]
    return api


@asynccontextmanager
async def _lifespan(api: FastAPI) -> AsyncIterator[None]:
    settings: Settings = api.state.settings
    store = Store(settings)
    cache: TermsCache = api.state.cache
    cache.attach(store.reading)
    store.after_commit.append(lambda _version: cache.catch_up())
    api.state.store = store
    metrics.start_flushing()
    try:
        api.state.schema_current = await asyncio.to_thread(schema.is_current, store.engine)
    except Exception:  # the store is down: serve stale-safe answers until it is back
        api.state.schema_current = False
    sync = CacheSync(cache, store.engine, settings.sync_interval_seconds, reply_deadline(settings))
    sync.start()
    recorder: DecisionRecorder = api.state.recorder
    recorder.start(store)
    # Every worker runs a relay of its own: claims are leased, so workers do not send one event
    # twice in normal operation (README, Webhooks).
    clock: Clock = api.state.clock
    relay: Relay | None = None
    if settings.relay_in_process:  # the relay also runs the term exceptions sweep
        relay = Relay(store, settings, clock, chores=[sweep])
        relay.start()
    schedule = [
        _report_sync_age(cache),
        periodic.every(settings.kpi_refresh_seconds, kpi_gauges.refresh, store, clock),
    ]
    if relay is None:  # a relay keeps the outbox and pending-exception gauges current itself
        schedule.append(periodic.every(BACKLOG_SECONDS, _refresh_gauges, store, clock))
    tasks = [asyncio.create_task(work) for work in schedule]
    # What start-up made lives as long as the process: keep the collector from rescanning it.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if relay is not None:
            await asyncio.to_thread(relay.stop)
        await asyncio.to_thread(recorder.stop)  # every decision answered is recorded
        await asyncio.to_thread(sync.stop)
        store.dispose()


async def _report_sync_age(cache: TermsCache) -> None:
    """Keep the staleness gauge honest even while the sync thread is stuck on a slow store."""
    while True:
        metrics.CACHE_SYNC_AGE.set(cache.sync_age_seconds())
        await asyncio.sleep(1)


def _refresh_gauges(store: Store, clock: Clock) -> None:
    """What a relay's turns and sweep would keep current, where no relay runs."""
    refresh_backlog(store, clock)
    refresh_pending(store, clock)


def openapi_document(api: FastAPI) -> dict[str, Any]:
    """FastAPI's schema plus the hand-written hot path, with stable ids and shared components."""
    if api.openapi_schema is None:
        document = get_openapi(title=TITLE, version=VERSION, routes=api.routes)
        components = document.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        for model in (Problem, Terms, Money, *checkout_endpoint.SCHEMAS):
            schemas.setdefault(
                model.__name__, model.model_json_schema(ref_template="#/components/schemas/{model}")
            )
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        document["security"] = [{"bearer": []}]
        document["paths"][lookup.ROUTE] = lookup.openapi_path()
        document["paths"][checkout_endpoint.ROUTE] = checkout_endpoint.openapi_path()
        document["paths"] = dict(sorted(document["paths"].items()))
        api.openapi_schema = document
    return api.openapi_schema
