"""Single routes and payments written in groups: the calls that arrive together go to the store
in one transaction, each answered as if alone (app/core/grouping.py). Both ways in share a
store's groups: the FastAPI operations and their shortcuts in the edge (app/invoices/shortcuts.py).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any, Final, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy.orm import Session

from app.core import metrics
from app.core.errors import Conflict, StoreUnavailable, TermsGateError
from app.core.grouping import Caller, Grouped
from app.core.logs import request_id
from app.core.store import Store, on_commit
from app.invoices import payments, service
from app.invoices.schemas import InvoiceIn, PaymentIn

C = TypeVar("C")
R = TypeVar("R")
# Single routes (or payments) written in one transaction at most.
GROUP_MOST: Final = 64
# How long the next group may wait for as many calls as the last one had (2 ms: bench section 6).
GROUP_LINGER: Final = 0.002


class Writes:
    """A store's single routes and payments, each written in groups when calls arrive
    together: one transaction for what would be many."""

    def __init__(self, store: Store) -> None:
        self.routes = _grouping(partial(_write_routes, store), "routes")
        self.payments = _grouping(partial(_write_payments, store), "payments")


def _grouping(write: Callable[[Sequence[C]], Sequence[R]], kind: str) -> Grouped[C, R]:
    """Groups of `write`'s calls, their sizes measured; the store away fails a group alike."""
    sized = metrics.WRITE_GROUP_SIZE.labels(write=kind).observe
    return Grouped(
        write, most=GROUP_MOST, shared=(StoreUnavailable,), linger=GROUP_LINGER, sized=sized
    )


_WRITES: WeakKeyDictionary[Store, Writes] = WeakKeyDictionary()
_WRITES_MADE = threading.Lock()


def writes(store: Store) -> Writes:
    """The store's groups, made on first use: one per store and process."""
    with _WRITES_MADE:
        found = _WRITES.get(store)
        if found is None:
            found = _WRITES[store] = Writes(store)
        return found


async def route(
    store: Store, invoice: InvoiceIn, actor: str, now: datetime
) -> tuple[dict[str, Any], bool]:
    """Route one invoice: its route and whether it is the original's replay; Invalid for an
    invoice issued after tomorrow, Conflict for an invoice id taken by another body."""
    service.check_issued(invoice, now)
    call = service.Call(invoice, Caller(actor, request_id.get()), now)
    outcome = await writes(store).routes(call)
    if outcome.status == 409:
        assert outcome.error is not None
        raise Conflict(outcome.error["detail"])
    assert outcome.document is not None
    return outcome.document, outcome.status == 200


async def pay(
    store: Store, payment: PaymentIn, actor: str, now: datetime
) -> tuple[dict[str, Any], bool]:
    """Record one payment: the payment and whether it is the original's replay, or its
    refusal raised."""
    paid = await writes(store).payments(
        payments.Call(payment, Caller(actor, request_id.get()), now)
    )
    if isinstance(paid, TermsGateError):
        raise paid
    return paid


def _write_routes(store: Store, calls: Sequence[service.Call]) -> list[service.Outcome]:
    with store.ledger() as session:
        outcomes = service.route_calls(session, calls)
        count_when_committed(session, outcomes)
    return outcomes


def _write_payments(store: Store, calls: Sequence[payments.Call]) -> list[payments.Paid]:
    with store.ledger() as session:
        return payments.pay_calls(session, calls)


def count_when_committed(session: Session, outcomes: list[service.Outcome]) -> None:
    """Count new routes once their transaction commits: a failed commit routed nothing."""
    routed = Counter(
        (o.route.segment, o.route.workflow)
        for o in outcomes
        if o.status == 201 and o.route is not None
    )

    def count() -> None:
        for (segment, workflow), invoices in routed.items():
            metrics.INVOICES_ROUTED.labels(segment=segment, workflow=workflow).inc(invoices)

    if routed:
        on_commit(session, count)
