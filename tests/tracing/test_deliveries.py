"""With tracing on, a webhook delivery is a client span under the span of the request that wrote
its event, and the receiver gets that trace's context in `traceparent`."""

from __future__ import annotations

from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from app.core.store import Store
from tests.support.deliveries import StartRelay, events, hook, wait_for_status
from tests.support.invoices import invoice, route
from tests.support.receiver import Receiver
from tests.support.segments import place
from tests.support.tracing import caller_traceparent, of_kind, parent_id_of, span_id_of, trace_id_of


def test_a_delivery_joins_the_trace_of_the_request_that_wrote_its_event(
    client: TestClient,
    store: Store,
    spans: InMemorySpanExporter,
    ops: dict[str, str],
    billing: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    hook(client, ops, receiver.url)
    place(store, "c-30", "net_30")
    caller = caller_traceparent()
    spans.clear()
    route(client, {**billing, "traceparent": caller}, invoice(customer_id="c-30"))
    [event_id] = events(store)

    start_relay()
    wait_for_status(store, [event_id], "delivered")

    finished = spans.get_finished_spans()
    [server] = of_kind(finished, SpanKind.SERVER)
    [delivery] = [span for span in finished if span.name == "POST webhook"]
    assert delivery.kind is SpanKind.CLIENT
    assert trace_id_of(delivery) == trace_id_of(server) == caller[3:35]
    assert parent_id_of(delivery) == span_id_of(server)
    assert delivery.attributes is not None
    assert delivery.attributes["termsgate.event_id"] == event_id
    assert delivery.attributes["termsgate.delivery.result"] == "delivered"
    assert delivery.attributes["http.response.status_code"] == 200
    # The receiver's trace joins the caller's, under the delivery's span.
    [request] = receiver.received()
    assert request.headers["traceparent"] == f"00-{caller[3:35]}-{span_id_of(delivery)}-01"
    # The relay's own statements (claims, outcomes) belong to no request: no span of theirs.
    assert {trace_id_of(span) for span in finished} == {caller[3:35]}


def test_a_route_without_a_callers_trace_starts_one_and_its_delivery_joins_it(
    client: TestClient,
    store: Store,
    spans: InMemorySpanExporter,
    ops: dict[str, str],
    billing: dict[str, str],
    receiver: Receiver,
    start_relay: StartRelay,
) -> None:
    hook(client, ops, receiver.url)
    place(store, "c-30", "net_30")
    spans.clear()
    route(client, billing, invoice(customer_id="c-30"))
    [event_id] = events(store)

    start_relay()
    wait_for_status(store, [event_id], "delivered")

    finished = spans.get_finished_spans()
    [server] = of_kind(finished, SpanKind.SERVER)
    [delivery] = [span for span in finished if span.name == "POST webhook"]
    assert server.parent is None
    assert parent_id_of(delivery) == span_id_of(server)
    [request] = receiver.received()
    # Sampled, with the W3C "random trace id" flag the SDK sets on the traces it starts (0x02).
    assert request.headers["traceparent"] == f"00-{trace_id_of(server)}-{span_id_of(delivery)}-03"
