"""A process keeps its fit for a date and moves it on by what was written since (the change
feed, disputes opened): the answers are those of a fit made afresh, exactly, and the fit is
made afresh whenever what it does not keep per customer would move."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.config import Settings
from app.core.grouping import Caller
from app.core.store import Store
from app.forecasts import fits, kept, service
from app.forecasts.service import CashForecast, InvoiceForecast
from app.invoices import payments
from app.invoices.schemas import PaymentIn
from app.terms import service as terms
from tests.support.forecasts import Ledger, history, pay_later

AS_OF = date(2025, 6, 30)
Answer = tuple[CashForecast, list[InvoiceForecast]]


@pytest.fixture
def books(database_url: str) -> Iterator[tuple[Store, Ledger]]:
    """Customers paying early, late and on time across two segments, each with invoices open
    at AS_OF, some of them part paid in the last weeks."""
    store = Store(Settings(database_url=database_url))
    ledger = Ledger()
    history(ledger, "early", -5, date(2024, 6, 1), 12)
    history(ledger, "late", 20, date(2024, 6, 1), 12)
    for n in range(8):
        segment = "net_30" if n % 2 else "net_15"
        issued = AS_OF - timedelta(days=40 + 20 * n)
        paid_on = issued + timedelta(days=30 + n - 3)
        ledger.invoice(f"seg-{n}", 20_000, issued, paid=((20_000, paid_on),), segment=segment)
        ledger.invoice(f"seg-{n}", 5_000 + n, AS_OF - timedelta(days=3 * n), segment=segment)
    ledger.invoice("early", 12_345, date(2025, 6, 10))
    ledger.invoice("early", 7_777, date(2025, 5, 1), paid=((1_000, date(2025, 6, 20)),))
    ledger.invoice("late", 99_999, date(2025, 4, 20))
    ledger.invoice("late", 50_001, date(2025, 6, 25), paid=((1, date(2025, 6, 26)),))
    ledger.write(store)
    fits.forget()
    yield store, ledger
    fits.forget()
    store.dispose()


def answer(store: Store) -> Answer:
    with store.reading() as session:
        weekly = service.cash_forecast(session, AS_OF, 13, "USD", None)
        page, _ = service.invoice_forecasts(session, AS_OF, None, None, 100)
    return weekly, page


def afresh(store: Store) -> Answer:
    fits.forget()
    return answer(store)


def fits_by(how: str) -> float:
    return REGISTRY.get_sample_value("termsgate_forecast_fits_total", {"how": how}) or 0.0


def counted(store: Store) -> tuple[Answer, dict[str, float]]:
    """The answer, and how many fits of each kind it took."""
    before = {how: fits_by(how) for how in ("made", "moved_on", "kept")}
    found = answer(store)
    return found, {how: fits_by(how) - count for how, count in before.items()}


def test_a_kept_fit_moved_on_answers_as_one_made_afresh(books: tuple[Store, Ledger]) -> None:
    store, ledger = books
    first, how = counted(store)
    assert how["made"] == 1
    pay_later(store, "inv-0028", 5_001, AS_OF - timedelta(days=2))  # seg-1's open one, in full
    pay_later(store, "inv-0030", 2_000, AS_OF - timedelta(days=1))  # seg-2's, in part
    pay_later(store, "inv-0043", 9_999, AS_OF + timedelta(days=1))  # after as_of: no count
    ledger.invoice("fresh", 8_000, AS_OF - timedelta(days=25), paid=((8_000, AS_OF),))
    ledger.invoice("fresh", 3_000, AS_OF - timedelta(days=1))
    # seg-0 has written nothing since, but its payment of 2025-06-17 now counts as disputed.
    ledger.dispute("inv-0025", "seg-0", 20_000, opened_on=AS_OF - timedelta(days=1))
    ledger.write(store)

    moved, how = counted(store)  # the weekly forecast moves the fit on; the page keeps it
    assert moved != first
    assert moved == afresh(store)
    assert how == {"made": 0, "moved_on": 1, "kept": 1}
    again, how = counted(store)
    assert how == {"made": 0, "moved_on": 0, "kept": 2}
    assert again == moved


@pytest.mark.parametrize(
    "what",
    ["a payment made long ago", "one through the payments service", "a dispute on a paid invoice"],
)
def test_what_moves_the_older_payments_makes_the_fit_afresh(
    books: tuple[Store, Ledger], what: str
) -> None:
    """Payments made RECENT_DAYS or more before as_of are kept per pool, not per customer: a
    change to them is not taken in piecemeal."""
    store, ledger = books
    answer(store)
    if what == "a payment made long ago":
        pay_later(store, "inv-0043", 9_999, AS_OF - timedelta(days=45))  # late's 99,999
    elif what == "one through the payments service":
        paid = PaymentIn(
            payment_id="pay-1",
            invoice_id="inv-0043",
            amount=9_999,
            currency="USD",
            paid_on=AS_OF - timedelta(days=45),
        )
        with store.ledger() as session:
            [recorded] = payments.pay_calls(
                session, [payments.Call(paid, Caller("test", None), datetime.now(UTC))]
            )
            assert not isinstance(recorded, Exception), recorded
    else:
        ledger.dispute("inv-0012", "early", 10_000, opened_on=AS_OF)  # paid on 2025-05-22
        ledger.write(store)
    found, how = counted(store)
    assert found == afresh(store)
    assert how == {"made": 1, "moved_on": 0, "kept": 1}


def test_a_reload_in_the_feed_makes_the_fit_afresh(books: tuple[Store, Ledger]) -> None:
    store, _ = books
    answer(store)
    with store.writing() as session:
        terms.reload_all(session)  # as a history import says it
    _, how = counted(store)
    assert how == {"made": 1, "moved_on": 0, "kept": 1}


def test_each_worker_keeps_its_fits_moving(books: tuple[Store, Ledger]) -> None:
    """What a worker runs every minute moves the kept fits on: the next answer finds nothing
    new to take in, and is what a fit made afresh answers."""
    store, _ = books
    answer(store)
    pay_later(store, "inv-0030", 2_000, AS_OF - timedelta(days=1))
    moved_before = fits_by("moved_on")
    fits.keep_up(store, Clock())
    assert fits_by("moved_on") - moved_before == 1
    found, how = counted(store)
    assert how == {"made": 0, "moved_on": 0, "kept": 2}
    assert found == afresh(store)


def clock_at(moment: datetime) -> Clock:
    return Clock(moment - datetime.now(UTC))


@pytest.mark.parametrize(("minutes_left", "ahead"), [(9, True), (11, False)])
def test_a_worker_makes_the_next_days_fit_in_the_last_minutes_of_a_day(
    books: tuple[Store, Ledger], minutes_left: int, ahead: bool
) -> None:
    """In the last AHEAD (10 minutes) of the day before AS_OF, the minute's upkeep makes AS_OF's
    fit: the day's first forecast moves it on by what was written since, and answers as a fit
    made afresh would. Earlier in the day it makes nothing."""
    store, _ = books
    midnight = datetime.combine(AS_OF, time(), UTC)
    made_before = fits_by("made")
    fits.keep_up(store, clock_at(midnight - timedelta(minutes=minutes_left)))
    assert fits_by("made") - made_before == (1 if ahead else 0)
    pay_later(store, "inv-0030", 2_000, AS_OF)  # written after it was made, paid on the day
    found, how = counted(store)
    if ahead:
        assert how == {"made": 0, "moved_on": 1, "kept": 1}
    else:
        assert how == {"made": 1, "moved_on": 0, "kept": 1}
    assert found == afresh(store)


def test_requests_that_find_a_fit_being_made_wait_for_it(
    books: tuple[Store, Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two forecasts at once on a worker with no fit kept: one makes it, the other waits and
    answers from it (without the wait, both would spend seconds making the same fit)."""
    store, _ = books
    making, go_on = threading.Event(), threading.Event()
    make = kept.made

    def held(session: Session, as_of: date) -> kept.KeptFit:
        making.set()
        go_on.wait(timeout=10)
        return make(session, as_of)

    monkeypatch.setattr(kept, "made", held)
    before = {how: fits_by(how) for how in ("made", "kept")}
    answers: list[CashForecast] = []

    def forecast() -> None:
        with store.reading() as session:
            answers.append(service.cash_forecast(session, AS_OF, 13, "USD", None))

    first = threading.Thread(target=forecast)
    first.start()
    assert making.wait(timeout=10)
    second = threading.Thread(target=forecast)
    second.start()
    second.join(timeout=0.5)  # it waits for the first: without the wait it would make its own
    go_on.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert len(answers) == 2
    assert answers[0] == answers[1]
    assert {how: fits_by(how) - count for how, count in before.items()} == {"made": 1, "kept": 1}
