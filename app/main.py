"""create_app(): the FastAPI app, its routers, error handlers and lifespan, behind the edge.

Nothing happens at import time; `termsgate serve` gives uvicorn this factory.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from app.audit.router import router as audit_router
from app.checkout import endpoint as checkout_endpoint
from app.checkout.endpoint import Checkout
from app.checkout.recorder import DecisionRecorder
from app.checkout.router import router as checkout_router
from app.console import access as console_access
from app.console.router import router as console_router
from app.contacts import service as contacts
from app.contacts.router import router as contacts_router
from app.core import idempotency, metrics, periodic, schema, tallies, tracing
from app.core.clock import Clock
from app.core.config import Settings, get_settings
from app.core.engine import reply_deadline
from app.core.keys import TERMS_READ
from app.core.store import Store
from app.core.vocabulary import Money, Terms
from app.customers.router import router as customers_router
from app.deliveries.relay import Relay, refresh_backlog
from app.deliveries.router import router as deliveries_router
from app.forecasts import fits as forecast_fits
from app.forecasts import record as forecast_record
from app.forecasts.router import router as forecasts_router
from app.http import apidocs
from app.http.edge import Edge
from app.http.fast import FastEndpoint
from app.http.operations import router as operations_router
from app.http.problems import Problem, install_handlers
from app.http.ratelimits import RateLimits
from app.http.state import AppState
from app.http.strict import StrictInputs, describe
from app.http.traced import TracedEdge
from app.invoices.router import router as invoices_router
from app.invoices.shortcuts import shortcuts as invoice_shortcuts
from app.kpis import gauges as kpi_gauges
from app.kpis.router import router as kpis_router
from app.receivables.router import router as receivables_router
from app.segmentation.router import router as segmentation_router
from app.segmentation_runs.router import router as segmentation_runs_router
from app.segments.router import router as segments_router
from app.term_exceptions.escalation import refresh_pending, sweep
from app.term_exceptions.router import router as term_exceptions_router
from app.terms import service as terms
from app.terms.cache import TermsCache
from app.terms.lookup import TermsLookup
from app.terms.sync import CacheSync
from app.workflows.router import router as workflows_router

TITLE = "termsgate"
# Without a relay in the process, the outbox and pending-exception gauges are refreshed here.
BACKLOG_SECONDS = 5.0
# The gauges' first refresh and the first prunes wait this long after start-up: the first
# snapshot and the first requests have the process to themselves. They were 60% of the CPU of
# starting an app on an empty store (23 of 38 ms), paid again by every app the tests start.
CHORES_AFTER_SECONDS = 1.0
VERSION = "0.1.0"
# One for every app: what it learns of a route it keeps by the route, and routes are shared.
STRICT_INPUTS = StrictInputs()
ROUTERS = (
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
    contacts_router,
    forecasts_router,
    console_router,
)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Edge | TracedEdge:
    """The ASGI application: the edge (fast endpoints, ids, metrics) in front of FastAPI, and a
    server span around it only when OTEL_* turns tracing on (app/core/tracing.py)."""
    api, fast = assemble(settings or get_settings(), clock or Clock())
    state = state_of_api(api)
    edge = Edge(api, fast, state.settings.max_body_bytes, invoice_shortcuts(state))
    return TracedEdge(edge, fast) if tracing.configure() else edge


def assemble(settings: Settings, clock: Clock) -> tuple[FastAPI, list[FastEndpoint]]:
    """The FastAPI app and the endpoints the edge answers before it, sharing one state."""
    cache = TermsCache(clock, settings.stale_after_seconds)
    recorder = DecisionRecorder(
        settings.decision_flush_seconds, settings.decision_buffer_max, settings.order_hold_days
    )
    rate_limits = RateLimits(settings.rate_limits)
    terms_read = rate_limits.for_scope(TERMS_READ)  # the lookup and decisions share its buckets
    fast: list[FastEndpoint] = [
        TermsLookup(cache, terms_read),
        Checkout(cache, recorder, clock, terms_read, hold_days=settings.order_hold_days),
    ]
    state = AppState(
        settings=settings, clock=clock, rate_limits=rate_limits, terms=cache, decisions=recorder
    )
    api = FastAPI(
        title=TITLE,
        version=VERSION,
        lifespan=_lifespan(state, cache, recorder),
        generate_unique_id_function=_operation_id,
        docs_url=None,  # served by app.http.apidocs, from the package
        redoc_url=None,
        dependencies=[Depends(STRICT_INPUTS)],
    )
    api.state.termsgate = state
    install_handlers(api)
    console_access.install(api)
    apidocs.install(api, TITLE)
    api.router.routes.extend(_routes())
    api.openapi = lambda: openapi_document(api, fast)  # type: ignore[method-assign]
    return api, fast


@functools.cache
def _routes() -> tuple[BaseRoute, ...]:
    """Every router's routes, made once per process and shared by each app it assembles.

    FastAPI builds a route's dependencies and models when a request first meets it, about
    200 ms of CPU for the whole API; an app made per test, or by `termsgate openapi`, would
    pay that again. A route reads the state and the store from the request's app, so one set
    of routes serves any number of apps."""
    api = APIRouter(
        generate_unique_id_function=_operation_id,
        # Before any other dependency: unknown query parameters, bodies that are not JSON and
        # keys given twice are refused alike on every route (app/http/strict.py).
        dependencies=[Depends(STRICT_INPUTS)],
    )
    for router in ROUTERS:
        api.include_router(router)
    return tuple(api.routes)


def _operation_id(route: APIRoute) -> str:
    return route.name


def state_of_api(api: FastAPI) -> AppState:
    state = api.state.termsgate
    assert isinstance(state, AppState)
    return state


def _lifespan(
    state: AppState, cache: TermsCache, recorder: DecisionRecorder
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_api: FastAPI) -> AsyncIterator[None]:
        settings, clock = state.settings, state.clock
        store = Store(settings)
        cache.attach(store.reading)
        store.after_commit.append(lambda _version: cache.catch_up())
        store.after_ledger.append(cache.took)
        state.store = store
        tallies.start_flushing()
        try:
            state.schema_current = await asyncio.to_thread(schema.is_current, store.engine)
        except Exception:  # the store is down: serve stale-safe answers until it is back
            state.schema_current = False
        sync = CacheSync(
            cache, store.engine, settings.sync_interval_seconds, reply_deadline(settings)
        )
        sync.start()
        recorder.start(store)
        # Every worker runs a relay of its own: claims are leased, so workers do not send one
        # event twice in normal operation (docs: webhooks).
        relay: Relay | None = None
        if settings.relay_in_process:  # the relay also runs the exceptions and promises sweeps
            relay = Relay(store, settings, clock, chores=[sweep, contacts.sweep])
            relay.start()
        schedule = [
            _report_sync_age(cache),
            _chore(settings.kpi_refresh_seconds, kpi_gauges.refresh, store, clock),
            _chore(terms.PRUNE_EVERY_SECONDS, terms.prune_ledger, store, clock),
            _chore(settings.forecast_refresh_seconds, forecast_record.refresh_gauges, store, clock),
            _chore(forecast_fits.KEEP_UP_SECONDS, forecast_fits.keep_up, store, clock),
            _chore(idempotency.PRUNE_EVERY_SECONDS, idempotency.prune, store, clock),
        ]
        if relay is None:  # a relay keeps the outbox and pending-exception gauges current
            schedule.append(_chore(BACKLOG_SECONDS, _refresh_gauges, store, clock))
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

    return lifespan


def _chore(seconds: float, work: Callable[..., object], *args: Any) -> Coroutine[Any, Any, None]:
    """`work(*args)` every `seconds`, the first time CHORES_AFTER_SECONDS after start-up."""
    return periodic.every(seconds, work, *args, first_after=CHORES_AFTER_SECONDS)


async def _report_sync_age(cache: TermsCache) -> None:
    """Keep the staleness gauge honest even while the sync thread is stuck on a slow store."""
    while True:
        metrics.CACHE_SYNC_AGE.set(cache.sync_age_seconds())
        await asyncio.sleep(1)


def _refresh_gauges(store: Store, clock: Clock) -> None:
    """What a relay's turns and sweep would keep current, where no relay runs."""
    refresh_backlog(store, clock)
    refresh_pending(store, clock)
    contacts.refresh_gauges(store, clock)


def openapi_document(api: FastAPI, fast: Sequence[FastEndpoint]) -> dict[str, Any]:
    """FastAPI's schema plus the fast endpoints' own, with stable ids and shared components."""
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
        for endpoint in fast:
            document["paths"][endpoint.route] = endpoint.openapi_path()
        describe(document["paths"])
        document["paths"] = dict(sorted(document["paths"].items()))
        api.openapi_schema = document
    return api.openapi_schema


def openapi(settings: Settings | None = None) -> dict[str, Any]:
    """The OpenAPI document of an app built with `settings` (defaults), never served."""
    api, _fast = assemble(settings or Settings(), Clock())
    return api.openapi()
