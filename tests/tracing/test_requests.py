"""With tracing on: a server span for each request under its caller's, the store's statements
beneath it, the outbox row keeping its context, log lines naming its trace, and the lookup kept
only as the sampler says."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from app.core.store import Store
from app.http.traced import TracedEdge
from app.terms.lookup import ROUTE
from tests.support.deliveries import events
from tests.support.invoices import invoice, set_webhook
from tests.support.segments import place
from tests.support.tracing import (
    caller_traceparent,
    log_lines,
    of_kind,
    parent_id_of,
    span_id_of,
    trace_id_of,
)


def test_a_route_is_a_server_span_under_the_callers_with_its_statements_beneath(
    client: TestClient,
    store: Store,
    spans: InMemorySpanExporter,
    ops: dict[str, str],
    billing: dict[str, str],
) -> None:
    assert isinstance(client.app, TracedEdge)
    set_webhook(client, ops, "net_30")
    place(store, "c-30", "net_30")
    caller = caller_traceparent()
    spans.clear()

    answer = client.post(
        "/v1/invoice-routes",
        json=invoice(customer_id="c-30"),
        headers={**billing, "traceparent": caller},
    )

    assert answer.status_code == 201, answer.text
    finished = spans.get_finished_spans()
    [server] = of_kind(finished, SpanKind.SERVER)
    assert server.name == "POST /v1/invoice-routes"
    assert (trace_id_of(server), parent_id_of(server)) == (caller[3:35], caller[36:52])
    assert server.attributes is not None
    assert server.attributes["http.route"] == "/v1/invoice-routes"
    assert server.attributes["http.response.status_code"] == 201
    assert server.attributes["termsgate.request_id"] == answer.headers["x-request-id"]
    statements = of_kind(finished, SpanKind.CLIENT)
    assert statements
    for statement in statements:
        assert (trace_id_of(statement), parent_id_of(statement)) == (
            caller[3:35],
            span_id_of(server),
        )
        assert statement.attributes is not None
        assert statement.attributes["db.system.name"] == store.engine.dialect.name
    written = [s for s in statements if s.name == "INSERT" and "outbox_events" in str(s.attributes)]
    assert len(written) == 1
    # The event keeps the context of the request's span, for its delivery to carry on.
    [event] = events(store).values()
    assert event.traceparent == f"00-{caller[3:35]}-{span_id_of(server)}-01"


def test_a_failed_request_is_a_span_with_its_status_and_a_new_trace_without_a_caller(
    client: TestClient, spans: InMemorySpanExporter, billing: dict[str, str]
) -> None:
    spans.clear()
    answer = client.post("/v1/invoice-routes", json={"invoice_id": 1}, headers=billing)

    assert answer.status_code == 422
    [server] = of_kind(spans.get_finished_spans(), SpanKind.SERVER)
    assert server.parent is None
    assert server.attributes is not None
    assert server.attributes["http.response.status_code"] == 422
    assert server.status.status_code is StatusCode.UNSET  # a refusal is not a server error


def test_log_lines_carry_the_trace_id_of_the_request(
    client: TestClient, spans: InMemorySpanExporter, billing: dict[str, str]
) -> None:
    caller = caller_traceparent()
    with log_lines() as lines:
        client.get("/v1/invoices/inv-none", headers={**billing, "traceparent": caller})
        client.get("/v1/invoices/inv-none", headers=billing)

    [traced, untraced] = [
        line for line in lines if line["msg"] == "GET /v1/invoices/{invoice_id} 404"
    ]
    assert traced["trace_id"] == caller[3:35]
    [first, second] = of_kind(spans.get_finished_spans(), SpanKind.SERVER)
    assert traced["trace_id"] == trace_id_of(first)
    # A request without a caller's trace starts one: its lines name it too.
    assert untraced["trace_id"] == trace_id_of(second) != caller[3:35]


@pytest.mark.parametrize(
    "otel_environ", [{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_TRACES_SAMPLER_ARG": "0"}]
)
def test_the_lookup_is_sampled_not_traced_per_request(
    client: TestClient,
    store: Store,
    spans: InMemorySpanExporter,
    reader: dict[str, str],
) -> None:
    """The default sampler follows a caller's decision; of its own traces it keeps the ratio's
    share (none here)."""
    place(store, "c-1", "net_30")
    path = ROUTE.format(customer_id="c-1")
    spans.clear()

    for _ in range(20):
        assert client.get(path, headers=reader).status_code == 200
    unsampled = caller_traceparent(sampled=False)
    assert client.get(path, headers={**reader, "traceparent": unsampled}).status_code == 200
    assert spans.get_finished_spans() == ()

    caller = caller_traceparent()
    assert client.get(path, headers={**reader, "traceparent": caller}).status_code == 200
    [lookup] = spans.get_finished_spans()
    assert lookup.name == f"GET {ROUTE}"
    assert (lookup.kind, trace_id_of(lookup)) == (SpanKind.SERVER, caller[3:35])
    assert lookup.attributes is not None
    assert lookup.attributes["http.response.status_code"] == 200
