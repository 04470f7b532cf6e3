"""POST /v1/invoice-routes and POST /v1/payments, their common case answered in the edge
(app/http/shortcut.py); anything else goes on to their FastAPI operations (app/invoices/router.py),
which describe them and give every refusal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from app.core.keys import INVOICES_WRITE
from app.http.dependencies import decisions_recorded
from app.http.fast import Headers, Reply
from app.http.shortcut import Gate, Shortcut, answered
from app.http.state import AppState
from app.invoices import writes
from app.invoices.schemas import InvoiceIn, PaymentIn

Body = TypeVar("Body")
# What the operation does with a call let through: (the answer, whether it is a replay).
Write = Callable[[AppState, str, Body], Awaitable[tuple[dict[str, Any], bool]]]


class _Write(Generic[Body]):
    def __init__(self, state: AppState, route: str, model: type[Body], write: Write[Body]) -> None:
        self.route = route
        self._state = state
        self._gate = Gate(
            state.terms, INVOICES_WRITE, model, state.rate_limits.for_scope(INVOICES_WRITE)
        )
        self._write = write

    async def answer(self, headers: Headers, body: bytes) -> Reply | None:
        passed = self._gate.let_through(headers, body)
        if passed is None:
            return None
        who, read = passed
        document, replayed = await self._write(self._state, who.name, read)
        return answered(200 if replayed else 201, document, replayed=replayed)


async def _route(state: AppState, actor: str, invoice: InvoiceIn) -> tuple[dict[str, Any], bool]:
    await decisions_recorded(state.decisions)  # as the operation's dependency does
    return await writes.route(state.opened_store(), invoice, actor, state.clock.now())


async def _pay(state: AppState, actor: str, payment: PaymentIn) -> tuple[dict[str, Any], bool]:
    return await writes.pay(state.opened_store(), payment, actor, state.clock.now())


def shortcuts(state: AppState) -> list[Shortcut]:
    return [
        _Write(state, "/v1/invoice-routes", InvoiceIn, _route),
        _Write(state, "/v1/payments", PaymentIn, _pay),
    ]
