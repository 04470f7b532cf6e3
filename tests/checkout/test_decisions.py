"""POST /v1/checkout/decisions: what checkout relies on, and what billing inherits from it."""

from __future__ import annotations

import secrets
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update

from app.apikeys import service as apikeys
from app.checkout.endpoint import Checkout
from app.checkout.recorder import DecisionRecorder
from app.core.clock import Clock
from app.core.config import Settings
from app.core.models import CheckoutDecision, Customer, OpenOrder, Segment
from app.core.store import Store, written_version
from app.main import create_app
from app.terms.cache import TermsCache
from tests.support.checkout import order
from tests.support.keys import KeyMaker
from tests.support.parts import recorder_of, store_of
from tests.support.postgres import free_port
from tests.support.segments import place

DECISIONS = "/v1/checkout/decisions"
PAY_ON_ORDER = {"type": "pay_on_order", "net_days": 0}
NET_15 = {"type": "net", "net_days": 15}
NET_30 = {"type": "net", "net_days": 30}


@pytest.fixture
def billing(make_key: KeyMaker) -> dict[str, str]:
    return make_key("invoices:write", "invoices:read", name="billing")


def decide(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    answer = client.post(DECISIONS, json=order(**changes), headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    body: dict[str, Any] = answer.json()
    return body


def limit_credit(store: Store, segment: str, amount: int, currency: str = "USD") -> None:
    with store.writing() as session:
        written_version(session)
        session.execute(
            update(Segment)
            .where(Segment.key == segment)
            .values(credit_limit_amount=amount, credit_limit_currency=currency)
        )


def route(client: TestClient, billing: dict[str, str], **changes: Any) -> dict[str, Any]:
    body = {
        "invoice_id": "inv-1",
        "customer_id": "c-1",
        "amount": 60_000,
        "currency": "USD",
        "issued_on": "2026-11-02",
    }
    body.update(changes)
    answer = client.post("/v1/invoice-routes", json=body, headers=billing)
    assert answer.status_code == 201, answer.text
    routed: dict[str, Any] = answer.json()
    return routed


def pay(client: TestClient, billing: dict[str, str], payment_id: str, amount: int) -> None:
    body = {
        "payment_id": payment_id,
        "invoice_id": "inv-1",
        "amount": amount,
        "currency": "USD",
        "paid_on": "2026-11-10",
    }
    answer = client.post("/v1/payments", json=body, headers=billing)
    assert answer.status_code == 201, answer.text


# -- outcome, terms and reasons ---------------------------------------------------------------


def test_a_new_customer_is_pay_on_order_with_both_reasons(
    client: TestClient, reader: dict[str, str]
) -> None:
    body = decide(client, reader)
    decided_at = body.pop("decided_at")
    decision_id = body.pop("decision_id")
    assert decision_id.startswith("dec_")
    assert decided_at.endswith("Z")
    assert body == {
        "customer_id": "c-1",
        "order_id": "o-1",
        "outcome": "pay_on_order",
        "terms": PAY_ON_ORDER,
        "reasons": ["segment_pay_on_order", "new_customer"],
        "segment": "pay_on_order",
        "source": "default",
        "policy_version": 1,
        "amount": 50_000,
        "currency": "USD",
        "requested_terms": None,
        "credit_limit": None,
        "open_receivables": 0,
        "exposure": {"amount": 0, "currency": "USD"},
        "stale": False,
    }


def test_net_customer_gets_its_terms_without_a_request(
    client: TestClient, store: Store, reader: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    body = decide(client, reader)
    assert (body["outcome"], body["terms"], body["reasons"]) == ("net_terms", NET_30, [])
    assert (body["segment"], body["source"]) == ("net_30", "segment")


@pytest.mark.parametrize(
    ("requested", "granted", "reasons"),
    [
        (NET_15, NET_15, []),
        (PAY_ON_ORDER, PAY_ON_ORDER, []),
        (NET_30, NET_30, []),
        ({"type": "net", "net_days": 45}, NET_30, ["requested_terms_exceed_allowed"]),
    ],
    ids=["shorter-as-asked", "pay-on-order-as-asked", "equal", "looser-cut"],
)
def test_requested_terms_are_granted_if_no_looser_and_cut_if_looser(
    client: TestClient,
    store: Store,
    reader: dict[str, str],
    requested: dict[str, Any],
    granted: dict[str, Any],
    reasons: list[str],
) -> None:
    place(store, "c-1", "net_30")
    body = decide(client, reader, requested_terms=requested)
    assert body["terms"] == granted
    assert body["reasons"] == reasons
    assert body["outcome"] == ("pay_on_order" if granted == PAY_ON_ORDER else "net_terms")
    assert body["requested_terms"] == requested


def test_a_pay_on_order_customer_asking_for_net_terms_is_cut_to_pay_on_order(
    client: TestClient, store: Store, reader: dict[str, str]
) -> None:
    place(store, "c-1", "pay_on_order")
    body = decide(client, reader, requested_terms=NET_30)
    assert body["outcome"] == "pay_on_order"
    assert body["terms"] == PAY_ON_ORDER
    assert body["reasons"] == ["segment_pay_on_order", "requested_terms_exceed_allowed"]


def test_an_exception_in_force_decides_and_says_so(
    client: TestClient, store: Store, reader: dict[str, str]
) -> None:
    place(store, "c-1", "pay_on_order")
    with store.writing() as session:
        session.execute(
            update(Customer)
            .where(Customer.customer_id == "c-1")
            .values(
                exception_id="tex_1",
                exception_segment_key="net_30",
                exception_credit_limit_amount=100_000,
                exception_credit_limit_currency="USD",
                changed_version=written_version(session),
            )
        )
    body = decide(client, reader)
    assert (body["outcome"], body["terms"]) == ("net_terms", NET_30)
    assert (body["segment"], body["source"]) == ("net_30", "exception")
    assert body["reasons"] == ["exception_applied"]
    assert body["credit_limit"] == {"amount": 100_000, "currency": "USD"}
    over = decide(client, reader, order_id="o-2", amount=100_001)
    assert over["reasons"] == ["credit_limit_exceeded", "exception_applied"]


# -- credit ------------------------------------------------------------------------------------


def test_open_receivables_plus_the_order_over_the_limit_is_pay_on_order(
    client: TestClient, store: Store, reader: dict[str, str], billing: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    limit_credit(store, "net_30", 100_000)
    route(client, billing, amount=60_000)  # open: 60,000

    at_limit = decide(client, reader, amount=40_000)
    assert (at_limit["outcome"], at_limit["reasons"]) == ("net_terms", [])
    assert at_limit["open_receivables"] == 60_000
    assert at_limit["credit_limit"] == {"amount": 100_000, "currency": "USD"}

    over = decide(client, reader, order_id="o-2", amount=40_001)
    assert over["outcome"] == "pay_on_order"
    assert over["terms"] == PAY_ON_ORDER
    assert over["reasons"] == ["credit_limit_exceeded"]

    pay(client, billing, "pay-1", 20_000)  # open: 40,000; order o-1 still holds 40,000
    after_payment = decide(client, reader, order_id="o-3", amount=20_000)
    assert (after_payment["outcome"], after_payment["open_receivables"]) == ("net_terms", 40_000)
    assert after_payment["exposure"] == {"amount": 80_000, "currency": "USD"}


def test_orders_granted_net_terms_count_against_the_limit_until_invoiced_or_released(
    client: TestClient, store: Store, reader: dict[str, str], billing: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    limit_credit(store, "net_30", 20_000)

    first = decide(client, reader, order_id="o-1", amount=15_000)
    second = decide(client, reader, order_id="o-2", amount=15_000)
    again = decide(client, reader, order_id="o-1", amount=15_000)  # o-1 decided anew: not twice

    assert first["outcome"] == "net_terms"
    assert (second["outcome"], second["reasons"]) == ("pay_on_order", ["credit_limit_exceeded"])
    assert second["exposure"] == {"amount": 15_000, "currency": "USD"}
    assert (again["outcome"], again["exposure"]["amount"]) == ("net_terms", 0)

    # Invoiced: the order becomes a receivable, counted once.
    route(client, billing, invoice_id="inv-o1", order_id="o-1", amount=15_000)
    third = decide(client, reader, order_id="o-3", amount=5_000)
    assert (third["outcome"], third["open_receivables"]) == ("net_terms", 15_000)
    assert third["exposure"]["amount"] == 15_000

    # Released (the order was cancelled): it stops counting, and releasing again answers the same.
    released = client.post(f"{DECISIONS}/{third['decision_id']}/release", headers=reader)
    assert released.status_code == 200, released.text
    assert released.json()["order_id"] == "o-3"
    repeat = client.post(f"{DECISIONS}/{third['decision_id']}/release", headers=reader)
    assert repeat.json() == released.json()
    # An order decided twice is let go whichever of its decisions is released.
    earlier = decide(client, reader, order_id="o-5", amount=2_000)
    later = decide(client, reader, order_id="o-5", amount=3_000)
    assert (earlier["outcome"], later["exposure"]["amount"]) == ("net_terms", 15_000)
    assert client.post(f"{DECISIONS}/{earlier['decision_id']}/release", headers=reader).is_success
    fourth = decide(client, reader, order_id="o-4", amount=5_000)
    assert (fourth["outcome"], fourth["exposure"]["amount"]) == ("net_terms", 15_000)

    invoiced = client.post(f"{DECISIONS}/{again['decision_id']}/release", headers=reader)
    refused = client.post(f"{DECISIONS}/{second['decision_id']}/release", headers=reader)
    assert (invoiced.status_code, refused.status_code) == (409, 409)
    assert "invoiced" in invoiced.json()["detail"]
    assert "pay on order" in refused.json()["detail"]


def test_a_limit_in_another_currency_does_not_apply(
    client: TestClient, store: Store, reader: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    limit_credit(store, "net_30", 1_000)
    body = decide(client, reader, amount=5_000_000, currency="EUR")
    assert (body["outcome"], body["reasons"]) == ("net_terms", [])


def test_a_shorter_request_over_the_limit_is_still_pay_on_order(
    client: TestClient, store: Store, reader: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    limit_credit(store, "net_30", 1_000)
    body = decide(client, reader, amount=1_001, requested_terms=NET_15)
    assert body["terms"] == PAY_ON_ORDER
    assert body["reasons"] == ["credit_limit_exceeded"]


# -- recorded ----------------------------------------------------------------------------------


def test_a_decision_is_readable_before_and_after_it_is_written(
    client: TestClient, reader: dict[str, str], store: Store
) -> None:
    body = decide(client, reader)
    early = client.get(f"{DECISIONS}/{body['decision_id']}", headers=reader)
    assert early.status_code == 200
    assert early.json() == body
    recorder: DecisionRecorder = recorder_of(client.app)
    recorder.flush()
    assert recorder.find(body["decision_id"]) is None
    with store.reading() as session:
        row = session.get(CheckoutDecision, body["decision_id"])
        assert row is not None
        assert (row.customer_id, row.order_id, row.outcome) == ("c-1", "o-1", "pay_on_order")
        assert row.answer == body
    late = client.get(f"{DECISIONS}/{body['decision_id']}", headers=reader)
    assert late.json() == body


def test_an_unknown_decision_is_404(client: TestClient, reader: dict[str, str]) -> None:
    answer = client.get(f"{DECISIONS}/dec_nope", headers=reader)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_every_decision_answered_is_recorded_by_a_clean_shutdown(
    settings: Settings, make_key: KeyMaker
) -> None:
    # Flushes only at shutdown: the interval is longer than the test.
    slow = settings.model_copy(update={"decision_flush_seconds": 10})
    ids = []
    with TestClient(create_app(slow, Clock())) as client:
        store: Store = store_of(client.app)
        token = _key(store)
        headers = {"Authorization": f"Bearer {token}"}
        for n in range(250):
            ids.append(decide(client, headers, order_id=f"o-{n}")["decision_id"])
        recorder: DecisionRecorder = recorder_of(client.app)
        assert recorder.backlog == 250
    check = Store(settings)
    try:
        with check.reading() as session:
            stored = set(session.scalars(select(CheckoutDecision.decision_id)))
    finally:
        check.dispose()
    assert stored == set(ids)


def _key(store: Store) -> str:
    with store.writing() as session:
        return apikeys.create(
            session, "checkout-x", scopes=["terms:read"], actor="test", clock=Clock()
        )


def test_decisions_are_counted_by_outcome(
    client: TestClient, store: Store, reader: dict[str, str]
) -> None:
    def counted() -> dict[str, float]:
        text = client.get("/metrics").text
        return {
            sample.labels["outcome"]: sample.value
            for family in text_string_to_metric_families(text)
            if family.name == "termsgate_checkout_decisions"
            for sample in family.samples
            if sample.name.endswith("_total")
        }

    before = counted()
    place(store, "c-2", "net_30")
    decide(client, reader)
    decide(client, reader, customer_id="c-2")
    decide(client, reader, customer_id="c-2", order_id="o-2")
    after = counted()
    assert after.get("pay_on_order", 0) - before.get("pay_on_order", 0) == 1
    assert after.get("net_terms", 0) - before.get("net_terms", 0) == 2


# -- the decision binds the invoice ------------------------------------------------------------


@pytest.mark.parametrize("sent", ["in a batch", "one by one"])
def test_routes_let_go_exactly_the_held_orders_they_invoice(
    client: TestClient, store: Store, reader: dict[str, str], billing: dict[str, str], sent: str
) -> None:
    """An order is held per (customer, order): the same order id of another customer, and the
    customer's other orders, stay held (a batch's orders go in one statement, a single
    route's by its key)."""
    place(store, "c-1", "net_30")
    place(store, "c-2", "net_30")
    for customer_id, order_id in (("c-1", "o-1"), ("c-1", "o-2"), ("c-2", "o-1")):
        decided = decide(client, reader, customer_id=customer_id, order_id=order_id, amount=500)
        assert decided["outcome"] == "net_terms"
    invoices = [
        {"invoice_id": "inv-a", "customer_id": "c-1", "order_id": "o-1"},
        {"invoice_id": "inv-b", "customer_id": "c-2", "order_id": "o-9"},  # never decided
    ]
    body = {
        "invoices": [
            item | {"amount": 500, "currency": "USD", "issued_on": "2026-11-02"}
            for item in invoices
        ]
    }
    if sent == "in a batch":
        answer = client.post("/v1/invoice-routes/batch", json=body, headers=billing)
        assert [r["status"] for r in answer.json()["results"]] == [201, 201]
    else:
        for item in body["invoices"]:
            assert client.post("/v1/invoice-routes", json=item, headers=billing).status_code == 201

    with store.reading() as session:
        held = set(session.execute(select(OpenOrder.customer_id, OpenOrder.order_id)))
    assert held == {("c-1", "o-2"), ("c-2", "o-1")}


def test_an_invoice_of_a_decided_order_gets_the_decisions_terms(
    client: TestClient, store: Store, reader: dict[str, str], billing: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    decided = decide(client, reader, requested_terms=NET_15)
    routed = route(client, billing, order_id="o-1")
    assert routed["terms"] == NET_15
    assert routed["due_on"] == "2026-11-17"
    assert routed["decision_id"] == decided["decision_id"]
    # The customer's segment stays; the workflow and plan are those of the terms granted.
    assert (routed["segment"], routed["workflow"]) == ("net_30", "net_15")
    assert routed["contact_plan"] == [
        {"on": "2026-11-12", "channel": "phone", "kind": "service_check"},
        {"on": "2026-11-20", "channel": "email", "kind": "reminder"},
    ]
    fetched = client.get("/v1/invoice-routes/inv-1", headers=billing).json()
    assert fetched["terms"] == NET_15
    assert fetched["decision_id"] == decided["decision_id"]


def test_a_credit_refusal_binds_the_invoice_to_pay_on_order(
    client: TestClient, store: Store, reader: dict[str, str], billing: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    limit_credit(store, "net_30", 10_000)
    decided = decide(client, reader, amount=20_000)
    assert decided["outcome"] == "pay_on_order"
    routed = route(client, billing, order_id="o-1", amount=20_000)
    assert routed["terms"] == PAY_ON_ORDER
    assert routed["stripe"]["collection_method"] == "charge_automatically"
    # Chased as what it is: no net workflow, no reminder after a due date that is the issue date.
    assert (routed["segment"], routed["workflow"]) == ("net_30", "pay_on_order")
    assert routed["due_on"] == routed["issued_on"]
    assert routed["contact_plan"] == []


def test_the_latest_decision_of_an_order_binds_it(
    client: TestClient, store: Store, reader: dict[str, str], billing: dict[str, str], clock: Clock
) -> None:
    place(store, "c-1", "net_30")
    decide(client, reader, requested_terms=NET_15)
    latest = decide(client, reader)
    routed = route(client, billing, order_id="o-1")
    assert (routed["terms"], routed["decision_id"]) == (NET_30, latest["decision_id"])


def test_a_decision_binds_only_its_own_customer(
    client: TestClient, store: Store, reader: dict[str, str], billing: dict[str, str]
) -> None:
    place(store, "c-1", "net_30")
    place(store, "c-2", "net_30")
    decide(client, reader, requested_terms=NET_15)
    routed = route(client, billing, customer_id="c-2", order_id="o-1")
    assert (routed["terms"], routed["decision_id"]) == (NET_30, None)


def test_a_decided_order_is_not_loosened_by_a_later_segment_change(
    client: TestClient, store: Store, reader: dict[str, str], billing: dict[str, str]
) -> None:
    place(store, "c-1", "net_15")
    decide(client, reader)
    with store.writing() as session:
        session.execute(
            update(Customer)
            .where(Customer.customer_id == "c-1")
            .values(segment_key="net_30", changed_version=written_version(session))
        )
    routed = route(client, billing, order_id="o-1")
    assert routed["terms"] == NET_15


# -- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "where"),
    [
        (order(status="approved"), 422, ["body", "status"]),
        (order(amount=-1), 422, ["body", "amount"]),
        (order(currency="XXX"), 422, ["body", "currency"]),
        (order(customer_id="bad id"), 422, ["body", "customer_id"]),
        (order(requested_terms={"type": "net", "net_days": 0}), 422, ["body", "requested_terms"]),
        ({"customer_id": "c-1"}, 422, ["body", "order_id"]),
    ],
    ids=["unknown-field", "negative", "currency", "customer-id", "terms", "missing"],
)
def test_invalid_bodies_are_422_problems(
    client: TestClient,
    reader: dict[str, str],
    body: dict[str, Any],
    status: int,
    where: list[str],
) -> None:
    answer = client.post(DECISIONS, json=body, headers=reader)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == status
    assert where in [error["loc"] for error in problem["errors"]]
    assert "x-request-id" in answer.headers


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b""], ids=["broken", "array", "empty"])
def test_a_body_that_is_not_a_json_object_is_400(
    client: TestClient, reader: dict[str, str], raw: bytes
) -> None:
    answer = client.post(
        DECISIONS, content=raw, headers={**reader, "Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["type"] == "urn:termsgate:problem:malformed"


def test_keys_and_methods(client: TestClient, make_key: KeyMaker) -> None:
    assert client.post(DECISIONS, json=order()).status_code == 401
    assert (
        client.post(DECISIONS, json=order(), headers={"Authorization": "Bearer x"}).status_code
        == 401
    )
    billing = make_key("invoices:write")
    assert client.post(DECISIONS, json=order(), headers=billing).status_code == 403
    wrong = client.get(DECISIONS, headers=billing)
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "POST")


def test_a_body_over_the_limit_is_413(client: TestClient, reader: dict[str, str]) -> None:
    huge = order(order_id="o-" + "x" * 2_000_000)
    answer = client.post(DECISIONS, content=orjson.dumps(huge), headers=reader)
    assert answer.status_code == 413
    assert answer.json()["type"] == "urn:termsgate:problem:payload-too-large"


# -- the store away ----------------------------------------------------------------------------


def test_with_no_snapshot_a_decision_is_pay_on_order_store_unavailable() -> None:
    unreachable = f"postgresql+psycopg://termsgate@127.0.0.1:{free_port()}/termsgate"
    settings = Settings(database_url=unreachable, db_timeout_seconds=1)
    token = "tgk_" + secrets.token_urlsafe(32)
    with TestClient(create_app(settings, Clock())) as client:
        answer = client.post(DECISIONS, json=order(), headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        body = answer.json()
        assert (body["outcome"], body["terms"]) == ("pay_on_order", PAY_ON_ORDER)
        assert body["reasons"] == ["store_unavailable"]
        assert (body["source"], body["stale"], body["policy_version"]) == ("default", True, None)
        recorder: DecisionRecorder = recorder_of(client.app)
        assert recorder.find(body["decision_id"]) == body  # held until the store is back


def test_a_decision_checked_before_the_first_load_is_not_taken_from_a_later_one() -> None:
    cache = TermsCache(Clock(), stale_after_seconds=2.0)
    checkout = Checkout(cache, DecisionRecorder(1.0, 1000), Clock(), hold_days=30)
    token = b"tgk_" + secrets.token_urlsafe(32).encode()
    status, _, body = checkout.answer(
        [(b"authorization", b"Bearer " + token), (b"content-type", b"application/json")],
        "POST",
        "/v1/checkout/decisions",
        orjson.dumps(order()),
        lambda: b"id",
    )
    assert status == 200
    assert orjson.loads(body)["reasons"] == ["store_unavailable"]


def test_a_batch_written_twice_after_an_unclear_commit_is_kept_once(
    client: TestClient, reader: dict[str, str], store: Store
) -> None:
    body = decide(client, reader)
    recorder: DecisionRecorder = recorder_of(client.app)
    recorder.flush()
    # The commit went through but the process never heard: the same decisions come round again.
    again = orjson.dumps(body)
    recorder.add(body, Clock().now(), again)
    recorder.add({**body, "decision_id": "dec_other"}, Clock().now(), again)
    recorder.flush()  # or the recorder's own thread did already: either way, nothing is held
    assert recorder.backlog == 0
    with store.reading() as session:
        stored = list(session.scalars(select(CheckoutDecision.decision_id)))
    assert sorted(stored) == sorted([body["decision_id"], "dec_other"])


def test_a_process_that_never_loaded_answers_keyed_routes_503_not_401() -> None:
    """Until the snapshot loads no key is known: 'not ready, retry', never 'your key is bad'."""
    unreachable = f"postgresql+psycopg://termsgate@127.0.0.1:{free_port()}/termsgate"
    settings = Settings(database_url=unreachable, db_timeout_seconds=1)
    token = "tgk_" + secrets.token_urlsafe(32)
    with TestClient(create_app(settings, Clock())) as client:
        answer = client.get(f"{DECISIONS}/dec_1", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 503
        assert answer.headers["content-type"] == "application/problem+json"
        assert int(answer.headers["retry-after"]) > 0
