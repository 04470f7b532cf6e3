"""POST /v1/invoice-routes and POST /v1/payments, their common case answered in the edge
(app/http/shortcut.py); anything else goes on to their FastAPI operations (app/invoices/router.py),
which describe them and give every refusal."""

from __future__ import annotations

from typing import Final

from app.core.keys import INVOICES_WRITE
from app.http.dependencies import decisions_recorded
from app.http.fast import Headers, Reply
from app.http.shortcut import Gate, Shortcut, answered
from app.http.state import AppState
from app.invoices import writes
from app.invoices.schemas import InvoiceIn, PaymentIn


class RouteShortcut:
    route: Final = "/v1/invoice-routes"

    def __init__(self, state: AppState) -> None:
        self._state = state
        limit = state.rate_limits.for_scope(INVOICES_WRITE)
        self._gate = Gate(state.terms, INVOICES_WRITE, InvoiceIn, limit)

    async def answer(self, headers: Headers, body: bytes) -> Reply | None:
        passed = self._gate.let_through(headers, body)
        if passed is None:
            return None
        who, invoice = passed
        await decisions_recorded(self._state.decisions)  # as the operation's dependency does
        store, now = self._state.opened_store(), self._state.clock.now()
        document, replayed = await writes.route(store, invoice, who.name, now)
        return answered(200 if replayed else 201, document, replayed=replayed)


class PaymentShortcut:
    route: Final = "/v1/payments"

    def __init__(self, state: AppState) -> None:
        self._state = state
        limit = state.rate_limits.for_scope(INVOICES_WRITE)
        self._gate = Gate(state.terms, INVOICES_WRITE, PaymentIn, limit)

    async def answer(self, headers: Headers, body: bytes) -> Reply | None:
        passed = self._gate.let_through(headers, body)
        if passed is None:
            return None
        who, payment = passed
        store, now = self._state.opened_store(), self._state.clock.now()
        paid, replayed = await writes.pay(store, payment, who.name, now)
        return answered(200 if replayed else 201, paid, replayed=replayed)


def shortcuts(state: AppState) -> list[Shortcut]:
    return [RouteShortcut(state), PaymentShortcut(state)]
