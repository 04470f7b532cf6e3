"""Tracing off (no OTEL_* asks for it): no spans, the edge served as it is, and a caller's
`traceparent` still goes on to the receivers of its events and into its log lines."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from app.core import tracing
from app.core.store import Store
from app.http.edge import Edge
from app.terms.lookup import ROUTE
from tests.support.deliveries import StartRelay, events, hook, wait_for_status
from tests.support.invoices import invoice, route
from tests.support.receiver import Receiver
from tests.support.segments import place
from tests.support.tracing import caller_traceparent, log_lines


@pytest.fixture
def otel_environ() -> dict[str, str]:
    return {}


def test_tracing_off_makes_no_spans_and_serves_the_edge_itself(
    client: TestClient,
    store: Store,
    spans: InMemorySpanExporter,
    reader: dict[str, str],
    billing: dict[str, str],
) -> None:
    assert not tracing.enabled
    assert type(client.app) is Edge
    place(store, "c-30", "net_30")
    caller = caller_traceparent()

    lookup = client.get(ROUTE.format(customer_id="c-30"), headers={**reader, "traceparent": caller})
    routed = client.post(
        "/v1/invoice-routes",
        json=invoice(customer_id="c-30"),
        headers={**billing, "traceparent": caller},
    )

    assert (lookup.status_code, routed.status_code) == (200, 201)
    assert spans.get_finished_spans() == ()


def test_a_callers_traceparent_goes_out_unchanged_on_the_delivery_of_its_event(
    client: TestClient,
    store: Store,
    ops: dict[str, str],
    billing: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    hook(client, ops, receiver.url)
    place(store, "c-30", "net_30")
    caller = caller_traceparent()
    route(client, {**billing, "traceparent": caller}, invoice("inv-1", customer_id="c-30"))
    route(client, billing, invoice("inv-2", customer_id="c-30"))
    not_one = "00-" + "0" * 32 + "-" + "1" * 16 + "-01"  # an all-zero trace id is invalid
    route(client, {**billing, "traceparent": not_one}, invoice("inv-3", customer_id="c-30"))
    written = events(store)
    in_order = sorted(written.values(), key=lambda row: row.id)
    assert [row.traceparent for row in in_order] == [caller, None, None]

    start_relay()
    wait_for_status(store, list(written), "delivered")

    sent = {r.webhook_id: r.headers.get("traceparent") for r in receiver.received()}
    assert sent == {event_id: row.traceparent for event_id, row in written.items()}


def test_log_lines_carry_the_callers_trace_id(client: TestClient, billing: dict[str, str]) -> None:
    caller = caller_traceparent()
    with log_lines() as lines:
        client.get("/v1/invoices/inv-none", headers={**billing, "traceparent": caller})
        client.get("/v1/invoices/inv-none", headers=billing)

    [traced, untraced] = [
        line for line in lines if line["msg"] == "GET /v1/invoices/{invoice_id} 404"
    ]
    assert traced["trace_id"] == caller[3:35]
    assert "trace_id" not in untraced
