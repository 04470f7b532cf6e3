"""The terms snapshot: loading, catching up, lapsing and going stale, on a real store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta

import orjson
import pytest

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.config import Settings
from app.core.keys import token_digest
from app.core.models import Customer, Invoice, LedgerChange, OpenOrder
from app.core.store import Store, written_version
from app.terms import ledger, repository
from app.terms.cache import TermsCache
from tests.support.terms import NEVER_LOADED_ANSWER


@pytest.fixture
def own_store(settings: Settings) -> Iterator[Store]:
    store = Store(settings)
    yield store
    store.dispose()


@pytest.fixture
def cache(own_store: Store, clock: Clock) -> TermsCache:
    return TermsCache(clock, stale_after_seconds=60, sessions=own_store.reading)


def lookup(cache: TermsCache, customer_id: str) -> dict[str, object]:
    body: dict[str, object] = orjson.loads(cache.body(customer_id, cache.answer_for(customer_id)))
    return body


def write_customer(store: Store, customer_id: str, **fields: object) -> None:
    with store.writing() as session:
        row = session.get(Customer, customer_id) or Customer(customer_id=customer_id)
        for name, value in fields.items():
            setattr(row, name, value)
        row.changed_version = written_version(session)
        session.add(row)


def test_before_any_load_everyone_is_pay_on_order_and_stale(cache: TermsCache) -> None:
    assert not cache.loaded
    assert lookup(cache, "c-1") == NEVER_LOADED_ANSWER


def test_reload_places_assigned_and_overridden_customers(
    cache: TermsCache, own_store: Store
) -> None:
    write_customer(own_store, "c-seg", segment_key="net_30")
    write_customer(
        own_store, "c-ovr", segment_key="net_30", override_segment_key="net_15",
        override_reason="watch", override_by="ops",
    )  # fmt: skip
    cache.reload()
    assert (lookup(cache, "c-seg")["segment"], lookup(cache, "c-seg")["source"]) == (
        "net_30",
        "segment",
    )
    assert (lookup(cache, "c-ovr")["segment"], lookup(cache, "c-ovr")["source"]) == (
        "net_15",
        "override",
    )
    assert lookup(cache, "c-none")["source"] == "default"
    assert lookup(cache, "c-seg")["stale"] is False
    assert len(cache.placements) == 2


def test_catch_up_applies_only_what_changed(cache: TermsCache, own_store: Store) -> None:
    write_customer(own_store, "c-1", segment_key="net_30")
    cache.reload()
    assert cache.catch_up() is False
    write_customer(own_store, "c-2", segment_key="net_15")
    write_customer(own_store, "c-1", override_segment_key="pay_on_order", override_reason="r")
    assert cache.catch_up() is True
    assert lookup(cache, "c-2")["segment"] == "net_15"
    assert (lookup(cache, "c-1")["segment"], lookup(cache, "c-1")["source"]) == (
        "pay_on_order",
        "override",
    )
    write_customer(own_store, "c-1", override_segment_key=None, override_reason=None)
    cache.catch_up()
    assert (lookup(cache, "c-1")["segment"], lookup(cache, "c-1")["source"]) == (
        "net_30",
        "segment",
    )


def test_an_override_lapses_the_day_after_it_expires(
    cache: TermsCache, own_store: Store, clock: Clock
) -> None:
    today = clock.today()
    write_customer(
        own_store, "c-1", segment_key="net_30", override_segment_key="net_15",
        override_reason="r", override_expires_on=today,
    )  # fmt: skip
    cache.reload()
    assert lookup(cache, "c-1")["segment"] == "net_15"
    clock.shift = timedelta(days=1)
    cache.catch_up()
    assert (lookup(cache, "c-1")["segment"], lookup(cache, "c-1")["source"]) == (
        "net_30",
        "segment",
    )


def test_keys_come_with_the_snapshot(cache: TermsCache, own_store: Store, clock: Clock) -> None:
    with own_store.writing() as session:
        token = apikeys.create(
            session, "checkout", scopes=["terms:read"], actor="test", clock=clock
        )
    cache.reload()
    principal = cache.snapshot.keys[token_digest(token)]
    assert principal.name == "checkout"
    assert principal.allows("terms:read")
    assert not principal.allows("segments:write")
    with own_store.writing() as session:
        apikeys.revoke(session, "checkout", actor="test", clock=clock)
    cache.catch_up()
    assert token_digest(token) not in cache.snapshot.keys


def test_unreachable_store_serves_the_last_snapshot_marked_stale(
    cache: TermsCache, own_store: Store
) -> None:
    write_customer(own_store, "c-1", segment_key="net_30")
    cache.reload()
    cache.mark_unreachable()
    answer = lookup(cache, "c-1")
    assert (answer["segment"], answer["stale"]) == ("net_30", True)
    cache.catch_up()
    assert lookup(cache, "c-1")["stale"] is False


def test_a_snapshot_not_confirmed_recently_is_stale(own_store: Store, clock: Clock) -> None:
    cache = TermsCache(clock, stale_after_seconds=0.05, sessions=own_store.reading)
    cache.reload()
    assert lookup(cache, "c-1")["stale"] is False
    time.sleep(0.1)
    assert lookup(cache, "c-1")["stale"] is True


def test_segment_changes_reach_placed_customers(cache: TermsCache, own_store: Store) -> None:
    from app.core.models import Segment

    write_customer(own_store, "c-1", segment_key="net_30")
    cache.reload()
    with own_store.writing() as session:
        segment = session.get(Segment, "net_30")
        assert segment is not None
        segment.net_days = 45
    cache.catch_up()
    assert lookup(cache, "c-1")["terms"] == {"type": "net", "net_days": 45}


def write_invoice(
    store: Store, invoice_id: str, customer_id: str, amount: int, currency: str, paid: int = 0
) -> None:
    """An invoice row as routing or an import leaves it (only what the snapshot reads matters)."""
    with store.ledger() as session:
        row = session.get(Invoice, invoice_id)
        if row is None:
            row = Invoice(
                invoice_id=invoice_id,
                customer_id=customer_id,
                amount=amount,
                currency=currency,
                issued_on=date(2026, 11, 2),
                due_on=date(2026, 12, 2),
                terms_type="net",
                net_days=30,
                origin="routed",
                paid_amount=0,
            )
            session.add(row)
        row.paid_amount = paid
        row.changed_version = 0
        ledger.owed_changed(session, [(customer_id, currency)])


def test_open_receivables_load_whole_and_follow_routes_and_payments(
    cache: TermsCache, own_store: Store
) -> None:
    write_invoice(own_store, "i-1", "c-1", 10_000, "USD")
    write_invoice(own_store, "i-2", "c-1", 5_000, "USD", paid=2_000)
    write_invoice(own_store, "i-3", "c-1", 7_000, "EUR")
    write_invoice(own_store, "i-4", "c-2", 1_000, "USD", paid=1_000)
    cache.reload()
    assert cache.open_receivables("c-1", "USD") == 13_000
    assert cache.open_receivables("c-1", "EUR") == 7_000
    assert cache.open_receivables("c-1", "GBP") == 0
    assert cache.open_receivables("c-2", "USD") == 0
    assert "c-2" not in cache.credit.receivables  # paid in full: nothing held for it

    write_invoice(own_store, "i-5", "c-2", 4_000, "USD")
    write_invoice(own_store, "i-1", "c-1", 10_000, "USD", paid=10_000)
    assert cache.catch_up()
    assert cache.open_receivables("c-1", "USD") == 3_000
    assert cache.open_receivables("c-1", "EUR") == 7_000
    assert cache.open_receivables("c-2", "USD") == 4_000

    write_invoice(own_store, "i-2", "c-1", 5_000, "USD", paid=5_000)
    write_invoice(own_store, "i-3", "c-1", 7_000, "EUR", paid=7_000)
    assert cache.catch_up()
    assert "c-1" not in cache.credit.receivables


def test_an_exception_in_force_outranks_an_override_and_brings_its_credit_limit(
    cache: TermsCache, own_store: Store, clock: Clock
) -> None:
    today = clock.today()
    write_customer(
        own_store,
        "c-1",
        segment_key="net_15",
        override_segment_key="pay_on_order",
        override_reason="dispute",
        exception_id="tex_1",
        exception_segment_key="net_30",
        exception_credit_limit_amount=250_000,
        exception_credit_limit_currency="USD",
        exception_expires_on=today,
    )
    cache.reload()
    answer = lookup(cache, "c-1")
    assert (answer["segment"], answer["source"]) == ("net_30", "exception")
    assert answer["credit_limit"] == {"amount": 250_000, "currency": "USD"}

    clock.shift += timedelta(days=1)  # the day after expires_on: the override shows again
    assert cache.catch_up()
    assert (lookup(cache, "c-1")["segment"], lookup(cache, "c-1")["source"]) == (
        "pay_on_order",
        "override",
    )


def test_the_feed_keeps_ten_minutes_and_the_store_forgets_expired_orders(
    cache: TermsCache, own_store: Store, clock: Clock
) -> None:
    now = clock.now()
    old = ledger.RETENTION + timedelta(seconds=1)
    with own_store.recording() as session:
        for at, customer_id in ((now - old, "c-old"), (now, "c-new")):
            session.add(LedgerChange(at=at, customer_id=customer_id, currency="USD", owed=1))
        for expires_at, order_id in ((now - timedelta(seconds=1), "o-gone"), (now + old, "o-held")):
            session.add(
                OpenOrder(customer_id="c-1", order_id=order_id, decision_id="dec_1",
                          currency="USD", amount=5, expires_at=expires_at)
            )  # fmt: skip

    ledger.prune(own_store, clock)

    with own_store.reading() as session:
        assert [c.customer_id for c in ledger.since(session, 0)] == ["c-new"]
        assert [h.order_id for h in repository.open_orders(session, now)] == ["o-held"]
    cache.reload()
    assert cache.open_orders("c-1", "USD") == 5


def test_a_process_that_has_not_read_the_feed_for_long_reloads_exposure_whole(
    cache: TermsCache, own_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.reload()
    with own_store.recording() as session:  # as if its feed rows had been pruned unread
        session.add(
            Invoice(invoice_id="i-1", customer_id="c-1", amount=700, currency="USD",
                    issued_on=date(2026, 11, 2), due_on=date(2026, 12, 2), terms_type="net",
                    net_days=30, origin="routed", paid_amount=0, changed_version=0)
        )  # fmt: skip
    assert cache.catch_up() is False
    assert cache.open_receivables("c-1", "USD") == 0

    monkeypatch.setattr("app.terms.feed.FEED_READ_WITHIN_SECONDS", 0.0)
    assert cache.catch_up()
    assert cache.open_receivables("c-1", "USD") == 700
