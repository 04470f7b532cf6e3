"""An approved exception holds through its expires_on and lapses the day after, with no write."""

from __future__ import annotations

import time
from datetime import timedelta

from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from app.terms.cache import TermsCache
from tests.support.invoices import store_version
from tests.support.parts import cache_of
from tests.support.segments import place
from tests.support.term_exceptions import decide, request_exception, terms_of


def test_an_exception_expiring_today_holds_today_and_lapses_tomorrow_without_a_write(
    client: TestClient,
    store: Store,
    sales: dict[str, str],
    finance: dict[str, str],
    reader: dict[str, str],
    clock: Clock,
) -> None:
    place(store, "c-1", "net_15")
    today = clock.today().isoformat()
    pending = request_exception(client, sales, "net_30", expires_on=today)
    decide(client, finance, pending["id"])
    cache: TermsCache = cache_of(client.app)
    cache.catch_up()
    assert terms_of(client, reader, "c-1")["source"] == "exception"
    version = store_version(store)

    clock.shift = timedelta(days=1)
    cache.catch_up()
    deadline = time.monotonic() + 2
    while terms_of(client, reader, "c-1")["source"] != "segment" and time.monotonic() < deadline:
        time.sleep(0.02)

    looked_up = terms_of(client, reader, "c-1")
    assert (looked_up["segment"], looked_up["source"]) == ("net_15", "segment")
    assert looked_up["terms"] == {"type": "net", "net_days": 15}
    shown = client.get(f"/v1/term-exceptions/{pending['id']}", headers=finance).json()
    assert shown["status"] == "expired"
    assert store_version(store) == version


def test_an_exception_without_expires_on_stays_in_force(
    client: TestClient,
    sales: dict[str, str],
    finance: dict[str, str],
    reader: dict[str, str],
    clock: Clock,
) -> None:
    decide(client, finance, request_exception(client, sales, "net_30")["id"])
    clock.shift = timedelta(days=3650)
    cache: TermsCache = cache_of(client.app)
    cache.catch_up()
    assert terms_of(client, reader, "c-1")["source"] == "exception"


def test_after_a_lapse_the_customer_may_ask_again(
    client: TestClient, sales: dict[str, str], finance: dict[str, str], clock: Clock
) -> None:
    first = request_exception(client, sales, "net_30", expires_on=clock.today().isoformat())
    decide(client, finance, first["id"])
    clock.shift = timedelta(days=1)
    again = request_exception(client, sales, "net_30")
    decide(client, finance, again["id"])
    shown = client.get(f"/v1/term-exceptions/{first['id']}", headers=finance).json()
    assert (shown["status"], shown["note"]) == ("expired", None)  # lapsed, not replaced
