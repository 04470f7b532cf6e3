"""`termsgate demo` as a newcomer runs it: a summary, the next step, and safe to repeat."""

from __future__ import annotations

import re

from sqlalchemy import create_engine, func, select

from app.core.models import AuditEvent, Invoice, Payment
from tests.support.server import termsgate


def counts(database_url: str) -> tuple[int, int, int]:
    """(invoices, payments, demo audit rows) in the store."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            invoices = connection.scalar(select(func.count()).select_from(Invoice))
            payments = connection.scalar(select(func.count()).select_from(Payment))
            audited = connection.scalar(
                select(func.count()).where(AuditEvent.action == "demo.generated")
            )
    finally:
        engine.dispose()
    return invoices or 0, payments or 0, audited or 0


def test_demo_writes_history_prints_a_summary_and_the_next_step(database_url: str) -> None:
    env = {"TERMSGATE_DATABASE_URL": database_url}
    done = termsgate("demo", "--customers", "40", "--seed", "7", env=env)
    assert done.returncode == 0, done.stderr
    assert "(seed 7): 40 customers" in done.stdout
    assert "termsgate segment" in done.stdout.splitlines()[-1]
    invoices, payments, audited = counts(database_url)
    assert f"{invoices:,} invoices, {payments:,} payments" in done.stdout
    assert re.search(r"^contact loop: [0-9,]+ tasks \([0-9,]+ open\), [0-9,]+ touches, "
                     r"[0-9,]+ promises, [0-9,]+ disputes \([0-9,]+ resolved with a credit "
                     r"note\)$", done.stdout, re.MULTILINE)  # fmt: skip
    assert invoices > 40
    assert audited == 1


def test_demo_run_twice_writes_nothing_the_second_time(database_url: str) -> None:
    env = {"TERMSGATE_DATABASE_URL": database_url}
    assert termsgate("demo", "--customers", "20", "--seed", "3", env=env).returncode == 0
    first = counts(database_url)
    again = termsgate("demo", "--customers", "20", "--seed", "3", env=env)
    assert again.returncode == 0, again.stderr
    assert "nothing written: all 20 demo customers already have invoices" in again.stdout
    assert counts(database_url) == first


def test_demo_with_no_customers_is_refused_in_one_line(database_url: str) -> None:
    env = {"TERMSGATE_DATABASE_URL": database_url}
    done = termsgate("demo", "--customers", "0", env=env)
    assert done.returncode == 1
    said = done.stderr.strip().splitlines()
    assert said[0].startswith("termsgate: store ")  # which store, before anything else
    assert said[1:] == ["termsgate: customers must be between 1 and 10,000,000; got 0."]
    assert counts(database_url) == (0, 0, 0)
    missing = termsgate("demo", env=env)
    assert missing.returncode == 2
    assert "--customers" in missing.stderr
