"""The generated client (clients/python) against a real `termsgate serve`: a checkout decision,
the terms behind it, the invoice route, a payment and a collector's touch, each answered as the
typed model the contract names, and a refusal as a typed Problem."""

from __future__ import annotations

import datetime

import httpx
import pytest
from termsgate_client import AuthenticatedClient
from termsgate_client.api.checkout import decide_checkout
from termsgate_client.api.contacts import record_touch
from termsgate_client.api.invoices import record_payment, route_invoice
from termsgate_client.api.terms import lookup_terms
from termsgate_client.models import (
    DecisionIn,
    DecisionOut,
    DecisionOutOutcome,
    InvoiceIn,
    LookupTermsResponse200,
    PaymentIn,
    PaymentOut,
    PaymentOutInvoiceStatus,
    Problem,
    RouteOut,
    TouchIn,
    TouchInChannel,
    TouchInKind,
    TouchInOutcome,
    TouchOut,
)

from tests.support.harness import HTTP_TIMEOUT_SECONDS, create_key
from tests.support.launch import Launch

pytestmark = pytest.mark.process

ISSUED_ON = datetime.date(2026, 11, 2)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> str:
    fixture = "sqlite_database" if request.param == "sqlite" else "pg_database"
    url: str = request.getfixturevalue(fixture)
    return url


def test_client_decides_routes_records_a_payment_and_a_touch(
    store_url: str, launch: Launch
) -> None:
    token = create_key(store_url, "shop", "admin")
    server = launch(store_url, "--no-migrate")
    with AuthenticatedClient(
        base_url=server.base_url, token=token, timeout=httpx.Timeout(HTTP_TIMEOUT_SECONDS)
    ) as client:
        looked_up = lookup_terms.sync("c-1", client=client)
        assert isinstance(looked_up, LookupTermsResponse200), looked_up

        order = DecisionIn(customer_id="c-1", order_id="o-1", amount=50_000, currency="USD")
        decided = decide_checkout.sync(client=client, body=order)
        assert isinstance(decided, DecisionOut), decided
        assert (decided.customer_id, decided.amount) == ("c-1", 50_000)
        assert (decided.segment, decided.terms) == (looked_up.segment, looked_up.terms)
        assert decided.outcome in set(DecisionOutOutcome)

        invoice = InvoiceIn(
            invoice_id="inv-1",
            customer_id="c-1",
            amount=50_000,
            currency="USD",
            issued_on=ISSUED_ON,
            order_id="o-1",
        )
        created = route_invoice.sync_detailed(client=client, body=invoice)
        assert created.status_code == 201
        routed = created.parsed
        assert isinstance(routed, RouteOut), routed
        assert routed.issued_on == ISSUED_ON
        assert routed.due_on >= ISSUED_ON
        replayed = route_invoice.sync_detailed(client=client, body=invoice)
        assert replayed.status_code == 200
        assert replayed.parsed == routed

        paid = record_payment.sync(
            client=client,
            body=PaymentIn(
                payment_id="pay-1",
                invoice_id="inv-1",
                amount=20_000,
                currency="USD",
                paid_on=ISSUED_ON + datetime.timedelta(days=8),
            ),
        )
        assert isinstance(paid, PaymentOut), paid
        assert paid.invoice_status is PaymentOutInvoiceStatus.OPEN
        assert paid.outstanding == 30_000

        occurred_at = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)
        touched = record_touch.sync(
            client=client,
            body=TouchIn(
                touch_id="t-1",
                invoice_id="inv-1",
                channel=TouchInChannel.PHONE,
                kind=TouchInKind.REMINDER,
                occurred_at=occurred_at,
                outcome=TouchInOutcome.NO_ANSWER,
            ),
        )
        assert isinstance(touched, TouchOut), touched
        assert (touched.customer_id, touched.occurred_at) == ("c-1", occurred_at)

    with AuthenticatedClient(base_url=server.base_url, token="tg_not-a-key") as stranger:
        refused = decide_checkout.sync_detailed(client=stranger, body=order)
        assert refused.status_code == 401
        assert isinstance(refused.parsed, Problem)
        assert refused.parsed.type_ == "urn:termsgate:problem:unauthenticated"
        request_id = refused.headers["x-request-id"]
        assert refused.parsed.instance == f"urn:termsgate:request:{request_id}"
