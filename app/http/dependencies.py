"""What a route handler may ask for: a session, the clock, the caller's key."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Annotated

from fastapi import Depends, Header
from sqlalchemy.orm import Session
from starlette.requests import Request

from app.core.clock import Clock
from app.core.keys import (
    EXCEPTIONS_APPROVE,
    EXCEPTIONS_REQUEST,
    INVOICES_READ,
    INVOICES_WRITE,
    REPORTS_READ,
    SEGMENTS_WRITE,
    TERMS_READ,
    Principal,
)
from app.http.auth import require, require_any
from app.terms.cache import TermsCache


def _reading(request: Request) -> Iterator[Session]:
    with request.app.state.store.reading() as session:
        yield session


def _writing(request: Request) -> Iterator[Session]:
    """One transaction, committed before the answer leaves (function scope, not request scope)."""
    with request.app.state.store.writing() as session:
        yield session


def _decisions_recorded(request: Request) -> None:
    """Write this process's held checkout decisions first, so an invoice routed here right
    after its order was decided here is bound by that decision. If the store is away the route
    fails on its own; a decision still held is written by the recorder later."""
    with contextlib.suppress(Exception):
        request.app.state.recorder.flush()


def _keys(request: Request) -> Mapping[bytes, Principal] | None:
    """The keys of this process's snapshot; None until it has loaded one."""
    cache: TermsCache = request.app.state.cache
    return cache.snapshot.keys if cache.loaded else None


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def _cache(request: Request) -> TermsCache:
    cache: TermsCache = request.app.state.cache
    return cache


ReadSession = Annotated[Session, Depends(_reading, scope="function")]
WriteSession = Annotated[Session, Depends(_writing, scope="function")]
ClockDep = Annotated[Clock, Depends(_clock)]
CacheDep = Annotated[TermsCache, Depends(_cache)]

AnyKey = Annotated[Principal, Depends(require(None, _keys))]
Ops = Annotated[Principal, Depends(require(SEGMENTS_WRITE, _keys))]
Billing = Annotated[Principal, Depends(require(INVOICES_WRITE, _keys))]
BillingReader = Annotated[Principal, Depends(require(INVOICES_READ, _keys))]
CheckoutReader = Annotated[Principal, Depends(require(TERMS_READ, _keys))]
Reports = Annotated[Principal, Depends(require(REPORTS_READ, _keys))]
Sales = Annotated[Principal, Depends(require(EXCEPTIONS_REQUEST, _keys))]
Finance = Annotated[Principal, Depends(require(EXCEPTIONS_APPROVE, _keys))]
ExceptionReader = Annotated[
    Principal,
    Depends(require_any((EXCEPTIONS_REQUEST, EXCEPTIONS_APPROVE, REPORTS_READ), _keys)),
]

DecisionsRecorded = Depends(_decisions_recorded)

# Why a change was made, for the audit log, where the body has no `reason` of its own.
AuditReason = Annotated[str | None, Header(alias="X-Audit-Reason", max_length=2000)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
