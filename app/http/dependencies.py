"""What a route handler may ask for: a session, the store, the clock, the caller's key."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from app.core.clock import Clock
from app.core.config import Settings
from app.core.keys import (
    COLLECTIONS_WRITE,
    EXCEPTIONS_APPROVE,
    EXCEPTIONS_REQUEST,
    INVOICES_READ,
    INVOICES_WRITE,
    REPORTS_READ,
    SEGMENTS_WRITE,
    TERMS_READ,
    Principal,
)
from app.core.store import Store
from app.http.auth import require, require_any
from app.http.state import AppState, Decisions, state_of


def _reading(request: Request) -> Iterator[Session]:
    with state_of(request).opened_store().reading() as session:
        yield session


def _writing(request: Request) -> Iterator[Session]:
    """One transaction, committed before the answer leaves (function scope, not request scope)."""
    with state_of(request).opened_store().writing() as session:
        yield session


def _ledger(request: Request) -> Iterator[Session]:
    """One transaction that moves money (a route, a payment, an order released): it bumps no
    store version, so no process reloads its snapshot for it."""
    with state_of(request).opened_store().ledger() as session:
        yield session


async def decisions_recorded(decisions: Decisions) -> None:
    """Write this process's held checkout decisions first, so an invoice routed here right
    after its order was decided here is bound by that decision. If the store is away the route
    fails on its own; a decision still held is written by the recorder later. With none held
    (or being written), no worker thread is needed."""
    if decisions.unwritten:
        with contextlib.suppress(Exception):
            await run_in_threadpool(decisions.flush)


async def _decisions_recorded(request: Request) -> None:
    await decisions_recorded(state_of(request).decisions)


# The dependencies that only read the app's state are coroutines: FastAPI runs a plain function
# in a worker thread, a hop each request would pay for nothing.
async def _state(request: Request) -> AppState:
    return state_of(request)


async def _store(request: Request) -> Store:
    return state_of(request).opened_store()


async def _clock(request: Request) -> Clock:
    return state_of(request).clock


async def _settings(request: Request) -> Settings:
    return state_of(request).settings


ReadSession = Annotated[Session, Depends(_reading, scope="function")]
WriteSession = Annotated[Session, Depends(_writing, scope="function")]
LedgerSession = Annotated[Session, Depends(_ledger, scope="function")]
# For work that runs transactions of its own (a segmentation run), not one per request.
StoreDep = Annotated[Store, Depends(_store)]
ClockDep = Annotated[Clock, Depends(_clock)]
SettingsDep = Annotated[Settings, Depends(_settings)]
StateDep = Annotated[AppState, Depends(_state)]

AnyKey = Annotated[Principal, Depends(require(None))]
Ops = Annotated[Principal, Depends(require(SEGMENTS_WRITE))]
Billing = Annotated[Principal, Depends(require(INVOICES_WRITE))]
BillingReader = Annotated[Principal, Depends(require(INVOICES_READ))]
CheckoutReader = Annotated[Principal, Depends(require(TERMS_READ))]
Reports = Annotated[Principal, Depends(require(REPORTS_READ))]
Sales = Annotated[Principal, Depends(require(EXCEPTIONS_REQUEST))]
Finance = Annotated[Principal, Depends(require(EXCEPTIONS_APPROVE))]
ExceptionReader = Annotated[
    Principal, Depends(require_any((EXCEPTIONS_REQUEST, EXCEPTIONS_APPROVE, REPORTS_READ)))
]
InvoiceReader = Annotated[Principal, Depends(require_any((INVOICES_READ, REPORTS_READ)))]
OverrideReader = Annotated[Principal, Depends(require_any((SEGMENTS_WRITE, REPORTS_READ)))]
DecisionReader = Annotated[Principal, Depends(require_any((TERMS_READ, REPORTS_READ)))]
# Ops start runs and page through what they would move; finance and sales read them as reports.
RunReader = Annotated[Principal, Depends(require_any((SEGMENTS_WRITE, REPORTS_READ)))]
# Collectors record touches; they, finance and reporting read the contact loop.
Collector = Annotated[Principal, Depends(require(COLLECTIONS_WRITE))]
ContactReader = Annotated[
    Principal, Depends(require_any((COLLECTIONS_WRITE, EXCEPTIONS_APPROVE, REPORTS_READ)))
]

DecisionsRecorded = Depends(_decisions_recorded)

# Why a change was made, for the audit log, where the body has no `reason` of its own.
AuditReason = Annotated[str | None, Header(alias="X-Audit-Reason", max_length=2000)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
