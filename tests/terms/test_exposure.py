"""Credit exposure as a process holds it: changes applied twice, or out of order, end right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.terms.exposure import CreditExposure
from app.terms.ledger import Change, Hold

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
LATER = NOW + timedelta(days=30)


def owed(seq: int, customer_id: str, amount: int, currency: str = "USD") -> Change:
    return Change(seq, customer_id, currency, amount, None, None, None, None)


def held(seq: int, order_id: str, decision_id: str, amount: int | None) -> Change:
    expires = LATER if amount is not None else None
    return Change(seq, "c-1", "USD", None, order_id, decision_id, amount, expires)


def test_an_older_receivables_figure_never_overwrites_a_newer_one() -> None:
    credit = CreditExposure()
    credit.apply([owed(7, "c-1", 500)])  # this process's own write, applied at commit
    credit.apply([owed(6, "c-1", 300), owed(7, "c-1", 500)])  # then the feed, in order
    assert credit.open_receivables("c-1", "USD") == 500
    credit.apply([owed(8, "c-1", 0)])
    assert "c-1" not in credit.receivables
    assert credit.seq == 8


def test_a_hold_counts_until_let_go_and_a_newer_decision_replaces_an_older() -> None:
    credit = CreditExposure()
    now = NOW.timestamp()
    credit.hold(Hold("c-1", "o-1", "dec_2", "USD", 1_000, LATER))
    credit.apply([held(3, "o-1", "dec_1", 9_999)])  # an older decision of the same order
    assert credit.open_orders("c-1", "USD", now) == 1_000
    assert credit.open_orders("c-1", "USD", now, but="o-1") == 0
    assert credit.open_orders("c-1", "EUR", now) == 0
    credit.apply([held(4, "o-1", "dec_1", None)])  # letting the older go leaves the newer
    assert credit.open_orders("c-1", "USD", now) == 1_000
    credit.apply([held(5, "o-1", "dec_2", None)])
    assert credit.open_orders("c-1", "USD", now) == 0


def test_an_expired_order_no_longer_counts_and_is_forgotten() -> None:
    credit = CreditExposure()
    credit.hold(Hold("c-1", "o-1", "dec_1", "USD", 1_000, NOW))
    assert credit.open_orders("c-1", "USD", (NOW - timedelta(seconds=1)).timestamp()) == 1_000
    assert credit.open_orders("c-1", "USD", NOW.timestamp()) == 0
    credit.forget_expired(NOW.timestamp())
    assert credit.orders == {}


def test_a_reload_keeps_holds_granted_here_that_the_store_has_not_seen_yet() -> None:
    credit = CreditExposure()
    credit.hold(Hold("c-1", "o-1", "dec_1", "USD", 1_000, LATER))
    credit.replace(10, [("c-1", "USD", 2_000), ("c-2", "USD", 0)], [])
    assert credit.open_orders("c-1", "USD", NOW.timestamp()) == 1_000
    assert credit.open_receivables("c-1", "USD") == 2_000
    assert "c-2" not in credit.receivables
    credit.apply([held(11, "o-1", "dec_1", 1_000)])  # recorded: the store has it now
    credit.replace(11, [], [])
    assert credit.open_orders("c-1", "USD", NOW.timestamp()) == 0
