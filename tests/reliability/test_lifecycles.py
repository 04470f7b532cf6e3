"""Hypothesis drives invoices, payments, term exceptions, overrides and segment changes through the
public API in random order, with time moving, on SQLite and on PostgreSQL, each example on a
fresh store; after every step it checks, against a model and against the store:

- every invoice: outstanding = amount - payments >= 0, in the API and in the store;
- one route (one invoice row) per invoice id, replays answered with the original route;
- every customer's effective terms (the terms lookup) are where the contract's precedence puts
  them (approved exception in force, else override in force, else assigned segment, else the
  policy's new-customer segment), and never looser than the customer's own segment (assigned or
  new-customer) unless an exception that another key approved is in force: an override only
  tightens (CONTRACT 7), and nothing else may loosen one customer's terms without finance.
"""

from __future__ import annotations

import shutil
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.config import Settings
from app.core.models import Customer, Invoice, Payment
from app.core.store import Store, written_version
from app.main import create_app
from app.terms.cache import TermsCache
from tests.support.figures import Figure
from tests.support.parts import cache_of, store_of
from tests.support.pg_pool import DatabasePool
from tests.support.postgres import PostgresCluster

EXAMPLES = {False: 8, True: 100}  # CI, and `pytest --long`
STEPS = {False: 30, True: 60}
# c-1 and c-2 are assigned (as a segmentation run would), c-3 has the new-customer segment.
ASSIGNED = {"c-1": "net_30", "c-2": "net_15", "c-3": None}
CUSTOMERS = sorted(ASSIGNED)
INVOICE_IDS = [f"inv-{n}" for n in range(1, 6)]
PAYMENT_IDS = [f"pay-{n}" for n in range(1, 9)]
# `tight_10` is made at the start: a segment of ops' own to pin customers to, then edit.
SEGMENTS = ["pay_on_order", "net_15", "net_30", "tight_10"]
TERMS = [("pay_on_order", 0), ("net", 10), ("net", 15), ("net", 30), ("net", 60)]
LIMITS = [None, 100_000, 5_000_000]  # USD minor units; None: no credit limit
SCOPES = {
    "ops": ["segments:write"],
    "billing": ["invoices:write", "invoices:read"],
    "checkout": ["terms:read"],
    # Both may ask and decide, so that four eyes is the rule that stops self-approval.
    "sales": ["exceptions:request", "exceptions:approve"],
    "finance": ["exceptions:request", "exceptions:approve"],
}

NewStore = Callable[[], tuple[str, Callable[[], None]]]
Generosity = tuple[int, int | None]  # (net days, credit limit); None: no limit


def looser(a: Generosity, b: Generosity) -> bool:
    """Whether terms `a` give more than `b` (README, term exceptions): more net days, or at
    equal net days a higher credit limit, or none where `b` has one."""
    if a[0] != b[0]:
        return a[0] > b[0]
    if a[0] == 0 or b[1] is None:
        return False
    return a[1] is None or a[1] > b[1]


def in_force(expires_on: date | None, today: date) -> bool:
    return expires_on is None or expires_on >= today


@dataclass
class ExceptionModel:
    customer_id: str
    segment: str
    expires_on: date | None
    requested_by: str
    status: str = "pending"
    decided_by: str | None = None

    def seen(self, today: date) -> str:
        lapsed = self.expires_on is not None and self.expires_on < today
        return "expired" if self.status in ("pending", "approved") and lapsed else self.status


@dataclass
class CustomerModel:
    assigned: str | None
    override: tuple[str, date | None] | None = None
    exception: ExceptionModel | None = None


@dataclass
class InvoiceModel:
    body: dict[str, Any]
    route: dict[str, Any]
    paid: int = 0


@dataclass
class Tally:
    new_store: NewStore
    examples: int = 0
    steps: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


class Lifecycles(RuleBasedStateMachine):
    """One fresh store and app per example; the model is what the contract says must hold."""

    tally: ClassVar[Tally]  # the run's store factory and counts, set by the test

    def __init__(self) -> None:
        super().__init__()
        url, self.drop_store = self.tally.new_store()
        self.clock = Clock()
        config = Settings(database_url=url, sync_interval_seconds=0.05, db_pool_size=5)
        self.client = TestClient(create_app(config, self.clock), raise_server_exceptions=False)
        self.client.__enter__()
        api = self.client.app.api  # type: ignore[attr-defined]
        self.store: Store = store_of(api)
        self.cache: TermsCache = cache_of(api)
        self.keys = {name: self._key(name, scopes) for name, scopes in SCOPES.items()}
        with self.store.writing() as session:
            for customer_id, segment in ASSIGNED.items():
                if segment is not None:
                    version = written_version(session)
                    session.add(
                        Customer(
                            customer_id=customer_id,
                            segment_key=segment,
                            assigned_by="test",
                            changed_version=version,
                        )
                    )
        self.segments: dict[str, Generosity] = {}
        for segment in self.get("ops", "/v1/segments")["items"]:
            self.segments[segment["key"]] = (segment["terms"]["net_days"], None)
        self.put_segment("tight_10", ("net", 10), None, expected=201, step=False)
        policy = self.get("ops", "/v1/segmentation-policy")
        self.default_segment: str = policy["new_customer_segment"]
        self.customers = {c: CustomerModel(segment) for c, segment in ASSIGNED.items()}
        self.exceptions: dict[str, ExceptionModel] = {}
        self.invoices: dict[str, InvoiceModel] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.tally.examples += 1

    def teardown(self) -> None:
        self.client.__exit__(None, None, None)
        self.drop_store()

    # ------------------------------------------------------------------ helpers

    def _key(self, name: str, scopes: list[str]) -> dict[str, str]:
        with self.store.writing() as session:
            token = apikeys.create(session, name, scopes=scopes, actor="test", clock=self.clock)
        return {"Authorization": f"Bearer {token}"}

    def get(self, who: str, path: str) -> Any:
        answer = self.client.get(path, headers=self.keys[who])
        assert answer.status_code == 200, answer.text
        return answer.json()

    def send(self, method: str, who: str, path: str, body: Any, expected: int) -> Any:
        answer = self.client.request(method, path, json=body, headers=self.keys[who])
        assert answer.status_code == expected, f"{method} {path} {body}: {answer.text}"
        self.tally.steps += 1
        self.tally.outcomes[f"{method} {path.split('/')[2]} {expected}"] += 1
        return answer.json() if answer.content else None

    def today(self) -> date:
        return self.clock.today()

    def base(self, customer_id: str) -> str:
        """The customer's own segment: assigned, else the policy's new-customer segment."""
        return self.customers[customer_id].assigned or self.default_segment

    def placed(self, customer_id: str) -> tuple[str, str]:
        """(segment, source) by the contract's precedence."""
        customer, today = self.customers[customer_id], self.today()
        if customer.exception is not None and in_force(customer.exception.expires_on, today):
            return customer.exception.segment, "exception"
        if (
            customer.override is not None
            and in_force(customer.override[1], today)
            # An override only tightens: one a segment edit left looser stands aside.
            and not looser(
                self.segments[customer.override[0]], self.segments[self.base(customer_id)]
            )
        ):
            return customer.override[0], "override"
        if customer.assigned is not None:
            return customer.assigned, "segment"
        return self.default_segment, "default"

    def put_segment(
        self, key: str, terms: tuple[str, int], limit: int | None, expected: int, step: bool = True
    ) -> None:
        headers = {**self.keys["ops"]}
        current = self.client.get(f"/v1/segments/{key}", headers=headers)
        if current.status_code == 200:
            headers["If-Match"] = current.headers["etag"]
        body: dict[str, Any] = {
            "name": key,
            "terms": {"type": terms[0], "net_days": terms[1]},
            "credit_limit": {"amount": limit, "currency": "USD"} if limit else None,
            "workflow": "net_15",
            "contact_plan": [],
        }
        answer = self.client.put(f"/v1/segments/{key}", json=body, headers=headers)
        assert answer.status_code == expected, f"PUT segment {key} {body}: {answer.text}"
        if step:
            self.tally.steps += 1
            self.tally.outcomes[f"PUT segments {expected}"] += 1
        if expected in (200, 201):
            self.segments[key] = (terms[1], limit)

    # ------------------------------------------------------------------ rules

    @rule(
        invoice_id=st.sampled_from(INVOICE_IDS),
        customer_id=st.sampled_from(CUSTOMERS),
        amount=st.sampled_from([100, 2500, 99_999]),
        other_body=st.booleans(),
    )
    def route_invoice(
        self, invoice_id: str, customer_id: str, amount: int, other_body: bool
    ) -> None:
        known = self.invoices.get(invoice_id)
        if known is not None:  # the same id again: a replay, or another body under it
            body = {**known.body, "amount": known.body["amount"] + 1} if other_body else known.body
            answer = self.send(
                "POST", "billing", "/v1/invoice-routes", body, 409 if other_body else 200
            )
            if not other_body:
                assert answer == known.route, "a replay answers the original route"
            return
        body = {
            "invoice_id": invoice_id,
            "customer_id": customer_id,
            "amount": amount,
            "currency": "USD",
            "issued_on": self.today().isoformat(),
        }
        route = self.send("POST", "billing", "/v1/invoice-routes", body, 201)
        segment, source = self.placed(customer_id)
        days = self.segments[segment][0]
        assert (route["segment"], route["source"]) == (segment, source), route
        assert route["terms"]["net_days"] == days, route
        assert route["due_on"] == (self.today() + timedelta(days=days)).isoformat(), route
        self.invoices[invoice_id] = InvoiceModel(body, route)

    @rule(
        payment_id=st.sampled_from(PAYMENT_IDS),
        invoice_id=st.sampled_from(INVOICE_IDS),
        kind=st.sampled_from(["partial", "full", "over", "other_currency"]),
        other_body=st.booleans(),
    )
    def record_payment(self, payment_id: str, invoice_id: str, kind: str, other_body: bool) -> None:
        known = self.payments.get(payment_id)
        if known is not None:
            body = {**known, "paid_on": "2020-01-01"} if other_body else known
            answer = self.send("POST", "billing", "/v1/payments", body, 409 if other_body else 200)
            if not other_body:
                invoice = self.invoices[known["invoice_id"]]
                assert answer["outstanding"] == invoice.body["amount"] - invoice.paid
            return
        found = self.invoices.get(invoice_id)
        outstanding = found.body["amount"] - found.paid if found is not None else 0
        amount = {
            "partial": max(1, outstanding // 2),
            "full": max(1, outstanding),
            "over": outstanding + 1,
            "other_currency": max(1, outstanding),
        }[kind]
        body = {
            "payment_id": payment_id,
            "invoice_id": invoice_id,
            "amount": amount,
            "currency": "EUR" if kind == "other_currency" else "USD",
            "paid_on": self.today().isoformat(),
        }
        accepted = found is not None and kind != "other_currency" and amount <= outstanding
        answer = self.send("POST", "billing", "/v1/payments", body, 201 if accepted else 422)
        if accepted:
            assert found is not None
            found.paid += amount
            self.payments[payment_id] = body
            assert answer["outstanding"] == outstanding - amount

    @rule(
        customer_id=st.sampled_from(CUSTOMERS),
        segment=st.sampled_from(SEGMENTS),
        days=st.none() | st.integers(0, 20),
        requester=st.sampled_from(["sales", "finance"]),
    )
    def request_exception(
        self, customer_id: str, segment: str, days: int | None, requester: str
    ) -> None:
        expires_on = None if days is None else self.today() + timedelta(days=days)
        body = {"customer_id": customer_id, "segment": segment, "reason": "strategic account"}
        if expires_on is not None:
            body["expires_on"] = expires_on.isoformat()
        now = self.segments[self.placed(customer_id)[0]]
        wanted = looser(self.segments[segment], now)
        answer = self.send("POST", requester, "/v1/term-exceptions", body, 201 if wanted else 422)
        if wanted:
            assert answer["status"] == "pending"
            self.exceptions[answer["id"]] = ExceptionModel(
                customer_id, segment, expires_on, requester
            )

    @precondition(lambda self: bool(self.exceptions))
    @rule(data=st.data(), decider=st.sampled_from(["sales", "finance"]), approve=st.booleans())
    def decide_exception(self, data: st.DataObject, decider: str, approve: bool) -> None:
        # In the order asked, not by id: ids are random, and a replay must draw the same one.
        exception_id = data.draw(st.sampled_from(list(self.exceptions)))
        exception = self.exceptions[exception_id]
        if decider == exception.requested_by:
            expected = 403  # four eyes
        else:
            expected = 200 if exception.seen(self.today()) == "pending" else 409
        verb = "approve" if approve else "reject"
        path = f"/v1/term-exceptions/{exception_id}/{verb}"
        self.send("POST", decider, path, {"note": "decided"}, expected)
        if expected != 200:
            return
        exception.decided_by = decider
        if not approve:
            exception.status = "rejected"
            return
        customer = self.customers[exception.customer_id]
        replaced = customer.exception
        if replaced is not None and in_force(replaced.expires_on, self.today()):
            replaced.status = "expired"
        exception.status = "approved"
        customer.exception = exception

    @rule(days=st.integers(1, 15))
    def time_passes(self, days: int) -> None:
        self.clock.shift += timedelta(days=days)
        # What the sync thread does within `sync_interval_seconds` of midnight: overrides and
        # exceptions that expired yesterday lapse from the cache.
        self.cache.catch_up()
        self.tally.steps += 1

    @rule(
        customer_id=st.sampled_from(CUSTOMERS),
        segment=st.sampled_from(SEGMENTS),
        days=st.none() | st.integers(0, 20),
    )
    def set_override(self, customer_id: str, segment: str, days: int | None) -> None:
        expires_on = None if days is None else self.today() + timedelta(days=days)
        body = {"segment": segment, "reason": "collections hold"}
        if expires_on is not None:
            body["expires_on"] = expires_on.isoformat()
        allowed = not looser(self.segments[segment], self.segments[self.base(customer_id)])
        path = f"/v1/customers/{customer_id}/override"
        self.send("PUT", "ops", path, body, 200 if allowed else 409)
        if allowed:
            self.customers[customer_id].override = (segment, expires_on)

    @rule(customer_id=st.sampled_from(CUSTOMERS))
    def clear_override(self, customer_id: str) -> None:
        customer = self.customers[customer_id]
        path = f"/v1/customers/{customer_id}/override"
        self.send("DELETE", "ops", path, None, 204 if customer.override else 404)
        customer.override = None

    @rule(
        segment=st.sampled_from(SEGMENTS),
        terms=st.sampled_from(TERMS),
        limit=st.sampled_from(LIMITS),
    )
    def change_segment_terms(self, segment: str, terms: tuple[str, int], limit: int | None) -> None:
        self.put_segment(segment, terms, limit, 200)

    # ------------------------------------------------------------------ invariants

    @invariant()
    def outstanding_is_amount_less_payments(self) -> None:
        for invoice_id, invoice in self.invoices.items():
            shown = self.get("billing", f"/v1/invoice-routes/{invoice_id}")
            outstanding = invoice.body["amount"] - invoice.paid
            assert outstanding >= 0
            assert shown["outstanding"] == outstanding, (invoice_id, shown)
            assert shown["status"] == ("paid" if outstanding == 0 else "open"), shown
        with self.store.reading() as session:
            stored = session.execute(
                select(Invoice.invoice_id, Invoice.amount, Invoice.paid_amount)
            ).all()
            paid = dict(
                session.execute(
                    select(Payment.invoice_id, func.sum(Payment.amount)).group_by(
                        Payment.invoice_id
                    )
                ).all()
            )
        assert sorted(row.invoice_id for row in stored) == sorted(self.invoices), "one row per id"
        for row in stored:
            assert row.paid_amount == (paid.get(row.invoice_id) or 0) <= row.amount, row
            assert row.paid_amount == self.invoices[row.invoice_id].paid, row

    @invariant()
    def terms_are_where_the_contract_puts_them(self) -> None:
        for customer_id in CUSTOMERS:
            shown = self.get("checkout", f"/v1/customers/{customer_id}/terms")
            segment, source = self.placed(customer_id)
            days, limit = self.segments[segment]
            assert (shown["segment"], shown["source"]) == (segment, source), shown
            assert shown["terms"]["net_days"] == days, shown
            assert (shown["credit_limit"] or {}).get("amount") == limit, shown
            base = self.segments[self.base(customer_id)]
            if source != "exception":
                assert not looser((days, limit), base), (
                    f"{customer_id} has {segment} {days, limit} ({source}), looser than its own "
                    f"segment {self.base(customer_id)} {base} without an exception"
                )
            else:
                exception = self.customers[customer_id].exception
                assert exception is not None
                assert exception.status == "approved"
                assert exception.decided_by not in (None, exception.requested_by)


@pytest.fixture
def new_store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> NewStore:
    """A freshly migrated store per call (a copy of the template), and how to drop it."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")

        def new_sqlite() -> tuple[str, Callable[[], None]]:
            path = tmp_path / f"{uuid.uuid4().hex}.db"
            shutil.copy(template, path)
            return f"sqlite:///{path}", lambda: path.unlink()

        return new_sqlite
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    pool: DatabasePool = request.getfixturevalue("pg_databases")

    def new_postgresql() -> tuple[str, Callable[[], None]]:
        name = pool.acquire()
        return cluster.url(name), lambda: pool.release(name)

    return new_postgresql


def test_lifecycles_keep_money_routes_and_terms_right(
    backend: str, new_store: NewStore, figure: Figure, request: pytest.FixtureRequest
) -> None:
    long: bool = request.config.getoption("--long")
    Lifecycles.tally = tally = Tally(new_store)
    run_state_machine_as_test(
        Lifecycles,
        settings=settings(
            max_examples=EXAMPLES[long],
            stateful_step_count=STEPS[long],
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    figure("1", f"lifecycles {backend}: examples (a fresh store each)", tally.examples)
    figure("1", f"lifecycles {backend}: steps", tally.steps)
    figure("1", f"lifecycles {backend}: answers", _outcomes(tally.outcomes))


def _outcomes(outcomes: Counter[str]) -> str:
    return ", ".join(f"{what}: {count}" for what, count in sorted(outcomes.items()))
