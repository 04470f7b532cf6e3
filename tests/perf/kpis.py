"""Section 9 of `make bench`: receivables KPIs over 1,000,000 invoices.

A deterministic ledger of 1,000,000 invoices of 100,000 customers issued over the three years
before TODAY (about 95% paid, some late, some in two parts; 60% routed with a stamped segment,
40% with a sales owner, one in sixteen in EUR) is loaded into a private PostgreSQL with COPY
and into a SQLite file with executemany, then ANALYZEd. Each figure is the best of 3 warm
runs of the service function (the SQL and the Python that shapes the answer), in this process:

- DSO for a quarter (app.kpis.dso.standard), overall and for one segment;
- the monthly DSO trend over a year, overall and per segment (app.kpis.trend.dso_trend);
- ageing at the end of that quarter and at TODAY (app.receivables.ageing);
- cash collected by sales owner, monthly over that year (app.receivables.collections).

- the cash forecast (app.forecasts.service): 13 weeks at TODAY with every customer fit afresh,
  then with the fit a process keeps for a date (app/forecasts/fits.py), nothing written since
  and right after 100 payments recorded one by one (the kept fit moved on by them, then
  checked against one made afresh), and a page of 100 invoices with their expected payment
  days.

Target (issue 6): DSO <= 1 s on PostgreSQL; (issue 19) the 13-week forecast <= 1 s and a page
of the per-invoice list <= 200 ms on PostgreSQL. The figures are also checked against each
other: what DSO says was owed at the quarter's end is what ageing says was owed at that date,
and the forecast's weeks plus later are what DSO says is owed at TODAY.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any, Final, NamedTuple, TypeVar

import psycopg
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import Clock
from app.core.config import Settings
from app.core.grouping import Caller
from app.core.models import Invoice
from app.core.store import Store
from app.invoices import payments
from app.invoices.schemas import PaymentIn
from app.receivables import ageing, collections
from tests.perf.dataset import migrate
from tests.perf.routing import Table
from tests.support.postgres import PostgresCluster

INVOICES: Final = 1_000_000
CUSTOMERS: Final = 100_000
TODAY: Final = date(2026, 11, 1)
FIRST_ISSUE: Final = TODAY - timedelta(days=3 * 365)
QUARTER: Final = (date(2026, 7, 1), date(2026, 9, 30))
YEAR: Final = (date(2025, 10, 1), date(2026, 9, 30))
TARGET_DSO_S: Final = 1.0
TARGET_FORECAST_S: Final = 1.0
TARGET_FORECAST_PAGE_S: Final = 0.2
RUNS: Final = 3
PAYMENTS_BETWEEN: Final = 100
CHUNK: Final = 20_000
NET_DAYS: Final = (15, 30, 30, 30, 45, 60, 15, 0)
SEGMENTS: Final = (None, None, None, None, "net_30", "net_30", "net_15", "net_15", "pay_on_order")
OWNERS: Final = 40
# Payment habits by the 0..99 draw: paid in full below PAID, part paid below PARTLY, else open.
T = TypeVar("T")
PAID: Final = 95
PARTLY: Final = 97
INVOICE_COLUMNS: Final = (
    "invoice_id, customer_id, amount, currency, issued_on, due_on, sales_owner, segment_key,"
    " workflow_key, terms_type, net_days, origin, paid_amount, changed_version"
)
PAYMENT_COLUMNS: Final = "payment_id, invoice_id, amount, currency, paid_on, recorded_at, origin"
NULL: Final = "\\N"  # NULL in COPY's text format


class Bill(NamedTuple):
    invoice_id: str
    customer_id: str
    amount: int
    currency: str
    issued_on: date
    due_on: date
    owner: str | None
    segment: str | None
    net_days: int
    payments: tuple[tuple[date, int], ...]

    @property
    def paid_amount(self) -> int:
        return sum(amount for _on, amount in self.payments)


def ledger(seed: int = 9) -> Iterator[Bill]:
    """The invoices and their payments; the same for a seed. One 64-bit draw per invoice."""
    rng = Random(seed)
    days = [FIRST_ISSUE + timedelta(days=n) for n in range(3 * 365)]
    for n in range(INVOICES):
        bits = rng.getrandbits(64)
        issued_on = days[bits % len(days)]
        net = NET_DAYS[(bits >> 11) & 7]
        due_on = issued_on + timedelta(days=net)
        amount = 1_000 + (bits >> 14) % 2_000_000
        segment = SEGMENTS[(bits >> 35) % len(SEGMENTS)] if net else "pay_on_order"
        owner = f"owner-{(bits >> 40) % OWNERS:02d}" if (bits >> 46) % 10 < 4 else None
        habit = (bits >> 50) % 100
        late = (bits >> 57) % 64 - 12 if habit % 4 == 0 else (bits >> 57) % 8 - 6
        paid_on = max(issued_on, due_on + timedelta(days=late))
        payments: tuple[tuple[date, int], ...] = ()
        if paid_on <= TODAY and habit < PARTLY:
            if habit >= PAID:
                payments = ((paid_on, amount // 2),)
            elif habit % 10 == 1:  # in two parts, the first ten days earlier
                first = max(issued_on, paid_on - timedelta(days=10))
                payments = ((first, amount // 3), (paid_on, amount - amount // 3))
            else:
                payments = ((paid_on, amount),)
        yield Bill(
            f"kpi-{n:07d}",
            f"kc-{n % CUSTOMERS:06d}",
            amount,
            "EUR" if bits >> 60 == 0 else "USD",
            issued_on,
            due_on,
            owner,
            segment,
            net,
            payments,
        )


def section(table: Table, work: Path, *, sqlite: bool, progress: Callable[[str], None]) -> None:
    cluster = PostgresCluster(work / "pg-kpis")
    try:
        progress("kpis: starting PostgreSQL")
        cluster.start()
        url = cluster.create_database("kpis")
        migrate(url)
        progress(f"kpis, PostgreSQL: loading {INVOICES:,} invoices with COPY")
        started = time.monotonic()
        _load_postgres(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=kpis")
        table.note(
            "kpis ledger loaded: COPY + ANALYZE, PG",
            f"{INVOICES:,} invoices and their payments in {time.monotonic() - started:.1f} s",
        )
        measure(table, "PostgreSQL", url, progress, target=TARGET_DSO_S)
    finally:
        progress("kpis: stopping PostgreSQL")
        cluster.stop()
    if not sqlite:
        return
    path = work / "kpis.db"
    migrate(f"sqlite:///{path}")
    progress(f"kpis, SQLite: loading {INVOICES:,} invoices with executemany")
    started = time.monotonic()
    _load_sqlite(path)
    table.note(
        "kpis ledger loaded: INSERT + ANALYZE, SQLite",
        f"{INVOICES:,} invoices and their payments in {time.monotonic() - started:.1f} s",
    )
    measure(table, "SQLite", f"sqlite:///{path}", progress, target=None)


def measure(
    table: Table, name: str, url: str, progress: Callable[[str], None], *, target: float | None
) -> None:
    from app.forecasts import fits
    from app.forecasts import service as forecasts
    from app.kpis import dso, trend

    store = Store(Settings(database_url=url, db_timeout_seconds=120))
    clock = Clock(shift=datetime.combine(TODAY, datetime.min.time(), UTC) - Clock().now())
    start, end = QUARTER

    def timed(what: str, work: Callable[[Session], T]) -> T:
        progress(f"kpis, {name}: {what}")
        seconds: list[float] = []
        answers: list[T] = []
        for _ in range(RUNS + 1):  # the first run warms the caches
            with store.reading() as session:
                began = time.perf_counter()
                answers.append(work(session))
                seconds.append(time.perf_counter() - began)
        best, shown = _best(seconds)
        row = f"   {what}, {name}"
        if target is not None and what.startswith("DSO for a quarter, overall"):
            table.check(row, shown, best <= target, f"<= {target * 1000:,.0f} ms")
        elif target is not None and what in TARGETS:
            limit = TARGETS[what]
            table.check(row, shown, best <= limit, f"<= {limit * 1000:,.0f} ms")
        else:
            table.info(row, shown)
        return answers[-1]

    try:
        table.info(f"9  receivables KPIs over {INVOICES:,} invoices, {name}", "best of 3, warm")
        quarter = timed("DSO for a quarter, overall", lambda s: dso.standard(s, start, end, "USD"))
        timed("DSO for a quarter, net_30", lambda s: dso.standard(s, start, end, "USD", "net_30"))
        timed("DSO trend, 12 months", lambda s: trend.dso_trend(s, *YEAR, "USD", "month"))
        aged = timed("ageing at the quarter's end", lambda s: ageing.ageing(s, end, "USD"))
        timed("ageing today", lambda s: ageing.ageing(s, TODAY, "USD"))
        timed(
            "collections by owner, 12 months",
            lambda s: collections.collections_by_owner(s, *YEAR, "USD", "month", clock),
        )

        def cold(session: Session) -> object:
            fits.forget()
            return forecasts.cash_forecast(session, TODAY, 13, "USD", None)

        timed("cash forecast, 13 weeks, each customer fit afresh", cold)
        cash = timed(
            "cash forecast, 13 weeks",
            lambda s: forecasts.cash_forecast(s, TODAY, 13, "USD", None),
        )
        timed(
            "cash forecast, a page of 100 invoices",
            lambda s: forecasts.invoice_forecasts(s, TODAY, None, None, 100),
        )
        with store.reading() as session:
            owed_today = dso.standard(session, TODAY, TODAY, "USD").receivables_end
        table.check(
            f"   forecast weeks + later = owed at {TODAY}, {name}",
            f"{sum(w.expected for w in cash.weeks) + cash.later:,} / {owed_today:,}",
            sum(w.expected for w in cash.weeks) + cash.later == owed_today,
            "equal",
        )
        owed_by_dso, owed_by_ageing = quarter.receivables_end, aged.total.sum.amount
        table.check(
            f"   owed at {end}: DSO receivables_end = ageing total, {name}",
            f"{owed_by_dso:,} / {owed_by_ageing:,}",
            owed_by_dso == owed_by_ageing,
            "equal",
        )
        progress(f"kpis, {name}: cash forecast, after payments")  # last: they change what is owed
        _after_payments(table, store, name, target)
    finally:
        store.dispose()


def _best(seconds: list[float]) -> tuple[float, str]:
    """The best of the runs after the first (which warms the caches), and all of them shown."""
    best = min(seconds[1:])
    return best, f"{best * 1000:,.0f} ms  ({', '.join(f'{s * 1000:,.0f}' for s in seconds[1:])})"


def _after_payments(table: Table, store: Store, name: str, target: float | None) -> None:
    """The 13-week forecast right after PAYMENTS_BETWEEN payments were recorded one by one
    through the service, as a bank feed sends them: the kept fit moved on by them
    (app/forecasts/kept.py), not made afresh; then checked against a fit made afresh."""
    from app.forecasts import fits
    from app.forecasts import service as forecasts

    with store.reading() as session:
        owed = session.scalars(
            select(Invoice.invoice_id)
            .where(Invoice.paid_amount < Invoice.amount, Invoice.currency == "USD")
            .where(Invoice.issued_on <= TODAY)
            .order_by(Invoice.invoice_id)
            .limit(PAYMENTS_BETWEEN * (RUNS + 1))
        ).all()
    now = datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(hours=12)
    seconds = []
    for run in range(RUNS + 1):
        for n, invoice_id in enumerate(owed[run * PAYMENTS_BETWEEN : (run + 1) * PAYMENTS_BETWEEN]):
            paid = PaymentIn(
                payment_id=f"bench-{invoice_id}",
                invoice_id=invoice_id,
                amount=1,
                currency="USD",
                paid_on=TODAY - timedelta(days=n % 7),
            )
            with store.ledger() as session:
                [recorded] = payments.pay_calls(
                    session, [payments.Call(paid, Caller("bench", None), now)]
                )
                assert not isinstance(recorded, Exception), recorded
        with store.reading() as session:
            began = time.perf_counter()
            forecasts.cash_forecast(session, TODAY, 13, "USD", None)
            seconds.append(time.perf_counter() - began)
    best, shown = _best(seconds)
    row = f"   cash forecast, 13 weeks, after {PAYMENTS_BETWEEN} payments, {name}"
    if target is None:
        table.info(row, shown)
    else:
        table.check(row, shown, best <= TARGET_FORECAST_S, f"<= {TARGET_FORECAST_S * 1000:,.0f} ms")
    with store.reading() as session:
        moved = forecasts.cash_forecast(session, TODAY, 13, "USD", None)
        fits.forget()
        fresh = forecasts.cash_forecast(session, TODAY, 13, "USD", None)
    table.check(
        f"   forecast moved on = fit made afresh, {name}",
        "equal" if moved == fresh else "differs",
        moved == fresh,
        "equal",
    )


TARGETS: Final = {
    "cash forecast, 13 weeks": TARGET_FORECAST_S,
    "cash forecast, a page of 100 invoices": TARGET_FORECAST_PAGE_S,
}


def _load_postgres(conninfo: str) -> None:
    with psycopg.connect(conninfo) as connection:
        version = _bumped_version(connection.execute)
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY invoices ({INVOICE_COLUMNS}) FROM STDIN") as copy:
                for chunk in _chunks(_invoice_line(bill, version) for bill in ledger()):
                    copy.write(chunk)
            with cursor.copy(f"COPY payments ({PAYMENT_COLUMNS}) FROM STDIN") as copy:
                recorded = f"{TODAY.isoformat()} 00:00:00+00"
                lines = (
                    f"{bill.invoice_id}-{k}\t{bill.invoice_id}\t{amount}\t{bill.currency}\t"
                    f"{paid_on.isoformat()}\t{recorded}\timport\n"
                    for bill in ledger()
                    for k, (paid_on, amount) in enumerate(bill.payments)
                )
                for chunk in _chunks(lines):
                    copy.write(chunk)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE invoices")
        connection.execute("VACUUM ANALYZE payments")


def _invoice_line(bill: Bill, version: int) -> str:
    routed = bill.segment is not None
    return (
        f"{bill.invoice_id}\t{bill.customer_id}\t{bill.amount}\t{bill.currency}\t"
        f"{bill.issued_on.isoformat()}\t{bill.due_on.isoformat()}\t{bill.owner or NULL}\t"
        f"{bill.segment or NULL}\t{bill.segment or NULL}\t"
        f"{'net' if bill.net_days else 'pay_on_order'}\t{bill.net_days}\t"
        f"{'route' if routed else 'import'}\t{bill.paid_amount}\t{version}\n"
    )


def _chunks(lines: Iterator[str]) -> Iterator[str]:
    held: list[str] = []
    for line in lines:
        held.append(line)
        if len(held) == CHUNK:
            yield "".join(held)
            held.clear()
    if held:
        yield "".join(held)


def _load_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        with connection:
            version = _bumped_version(connection.execute)
            connection.executemany(
                f"INSERT INTO invoices ({INVOICE_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        bill.invoice_id,
                        bill.customer_id,
                        bill.amount,
                        bill.currency,
                        bill.issued_on.isoformat(),
                        bill.due_on.isoformat(),
                        bill.owner,
                        bill.segment,
                        bill.segment,
                        "net" if bill.net_days else "pay_on_order",
                        bill.net_days,
                        "route" if bill.segment else "import",
                        bill.paid_amount,
                        version,
                    )
                    for bill in ledger()
                ),
            )
            recorded = f"{TODAY.isoformat()} 00:00:00.000000"
            connection.executemany(
                f"INSERT INTO payments ({PAYMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 'import')",
                (
                    (
                        f"{bill.invoice_id}-{k}",
                        bill.invoice_id,
                        amount,
                        bill.currency,
                        paid_on.isoformat(),
                        recorded,
                    )
                    for bill in ledger()
                    for k, (paid_on, amount) in enumerate(bill.payments)
                ),
            )
        connection.execute("ANALYZE")
    finally:
        connection.close()


def _bumped_version(execute: Callable[..., Any]) -> int:
    """One store version for the whole load, as an import would take."""
    execute("UPDATE store_version SET version = version + 1")
    (version,) = execute("SELECT version FROM store_version").fetchone()
    return int(version)
