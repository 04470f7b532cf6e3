"""Credit exposure as each process holds it: open receivables and open orders per customer.

Fed by the change feed (app/terms/ledger.py) and by this process's own writes the moment they
commit. Applying a change is idempotent and order-safe, so the same change may arrive twice
(from this process's write, then from the feed) or a newer one before an older:

- open receivables are absolute per (customer, currency), each remembering the feed sequence
  it came from; an older sequence never overwrites a newer one;
- open orders are keyed by (customer, order); a hold replaces one only if its decision is as new
  or newer (decision ids are in time order), and a let-go removes only the decision it names.

Reads are the checkout hot path: two dict reads, no lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Final, NamedTuple

from app.terms.ledger import Change, Hold
from app.terms.snapshot import NO_EXPOSURE, Exposure


class Held(NamedTuple):
    decision_id: str
    currency: str
    amount: int
    expires_at: float  # seconds since the epoch


NO_ORDERS: Final[dict[str, Held]] = {}


class CreditExposure:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.receivables: dict[str, Exposure] = {}
        self.orders: dict[str, dict[str, Held]] = {}
        self._seqs: dict[tuple[str, str], int] = {}
        # Holds granted here whose feed row has not come back yet: a reload keeps them.
        self._unconfirmed: dict[tuple[str, str], Held] = {}
        self.seq = 0

    # -- reads (the hot path) -------------------------------------------------------------

    def open_receivables(self, customer_id: str, currency: str) -> int:
        for owed_currency, amount in self.receivables.get(customer_id, NO_EXPOSURE):
            if owed_currency == currency:
                return amount
        return 0

    def open_orders(self, customer_id: str, currency: str, now: float, but: str = "") -> int:
        """What the customer's held orders in `currency` add up to, `but` that order."""
        orders = self.orders.get(customer_id, NO_ORDERS)
        if not orders:
            return 0
        return sum(
            held.amount
            for order_id, held in list(orders.items())
            if held.currency == currency and held.expires_at > now and order_id != but
        )

    # -- writes -----------------------------------------------------------------------------

    def hold(self, hold: Hold) -> None:
        """An order granted net terms on this process: it counts here at once."""
        held = _held(hold.decision_id, hold.currency, hold.amount, hold.expires_at)
        with self._lock:
            self._set_order(hold.customer_id, hold.order_id, held)
            self._unconfirmed[hold.customer_id, hold.order_id] = held

    def apply(self, changes: Iterable[Change]) -> bool:
        """Take changes from the feed or from a write here; True if one asks for a reload."""
        reload = False
        with self._lock:
            for change in changes:
                self.seq = max(self.seq, change.seq)
                if change.customer_id is None:
                    reload = True
                elif change.order_id is not None:
                    self._apply_order(change)
                elif change.currency is not None and change.owed is not None:
                    self._apply_owed(change.seq, change.customer_id, change.currency, change.owed)
        return reload

    def replace(
        self,
        seq: int,
        receivables: Iterable[tuple[str, str, int]],
        holds: Iterable[Hold],
    ) -> None:
        """Everything afresh, as the store held it at feed sequence `seq` or later."""
        owed: dict[str, Exposure] = {}
        for customer_id, currency, amount in receivables:
            if amount > 0:
                owed[customer_id] = (*owed.get(customer_id, NO_EXPOSURE), (currency, amount))
        orders: dict[str, dict[str, Held]] = {}
        for hold in holds:
            held = _held(hold.decision_id, hold.currency, hold.amount, hold.expires_at)
            orders.setdefault(hold.customer_id, {})[hold.order_id] = held
        with self._lock:
            self.receivables, self.orders, self._seqs, self.seq = owed, orders, {}, seq
            for (customer_id, order_id), held in self._unconfirmed.items():
                self._set_order(customer_id, order_id, held)

    def forget_expired(self, now: float) -> None:
        with self._lock:
            for customer_id, orders in list(self.orders.items()):
                for order_id, held in list(orders.items()):
                    if held.expires_at <= now:
                        self._drop_order(customer_id, order_id, held.decision_id)

    # -- under the lock ---------------------------------------------------------------------

    def _apply_owed(self, seq: int, customer_id: str, currency: str, owed: int) -> None:
        if self._seqs.get((customer_id, currency), 0) >= seq:
            return
        self._seqs[customer_id, currency] = seq
        others = tuple(
            pair for pair in self.receivables.get(customer_id, NO_EXPOSURE) if pair[0] != currency
        )
        pairs = (*others, (currency, owed)) if owed > 0 else others
        if pairs:
            self.receivables[customer_id] = pairs
        else:
            self.receivables.pop(customer_id, None)

    def _apply_order(self, change: Change) -> None:
        assert change.customer_id is not None
        assert change.order_id is not None
        assert change.decision_id is not None
        if change.order_amount is None or change.currency is None or change.expires_at is None:
            self._drop_order(change.customer_id, change.order_id, change.decision_id)
            return
        held = _held(change.decision_id, change.currency, change.order_amount, change.expires_at)
        self._set_order(change.customer_id, change.order_id, held)
        key = (change.customer_id, change.order_id)
        if self._unconfirmed.get(key, held).decision_id <= change.decision_id:
            self._unconfirmed.pop(key, None)

    def _set_order(self, customer_id: str, order_id: str, held: Held) -> None:
        orders = self.orders.get(customer_id)
        if orders is None:
            self.orders[customer_id] = {order_id: held}
            return
        current = orders.get(order_id)
        if current is None or current.decision_id <= held.decision_id:
            orders[order_id] = held

    def _drop_order(self, customer_id: str, order_id: str, decision_id: str) -> None:
        key = (customer_id, order_id)
        unconfirmed = self._unconfirmed.get(key)
        if unconfirmed is not None and unconfirmed.decision_id <= decision_id:
            del self._unconfirmed[key]
        orders = self.orders.get(customer_id)
        if orders is None:
            return
        current = orders.get(order_id)
        if current is not None and current.decision_id <= decision_id:
            del orders[order_id]
            if not orders:
                self.orders.pop(customer_id, None)


def _held(decision_id: str, currency: str, amount: int, expires_at: datetime) -> Held:
    return Held(decision_id, currency, amount, expires_at.timestamp())
