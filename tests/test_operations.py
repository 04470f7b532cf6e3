"""Health checks and /metrics: what ops and Prometheus rely on.

The metrics registry is process-wide and shared by every test, so counters are read as deltas.
"""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient

from app.core.store import Store
from tests.support.segments import place

SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
LOOKUP_ROUTE = "/v1/customers/{customer_id}/terms"


def metrics_text(client: TestClient) -> str:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    text: str = answer.text
    return text


def samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    """Every sample of metric `name` in Prometheus text, with its labels."""
    found = []
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if match and match.group(1) == name:
            found.append((dict(LABEL.findall(match.group(2) or "")), float(match.group(3))))
    return found


def value(text: str, name: str, **labels: str) -> float:
    """The sample of `name` with exactly these labels; 0 when it was never observed."""
    matching = [v for found, v in samples(text, name) if found == labels]
    assert len(matching) <= 1
    return matching[0] if matching else 0.0


def test_live_is_200_without_a_key(client: TestClient) -> None:
    answer = client.get("/healthz/live")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_ready_is_200_without_a_key_once_the_snapshot_is_loaded(client: TestClient) -> None:
    deadline = time.monotonic() + 2
    answer = client.get("/healthz/ready")
    while answer.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.02)
        answer = client.get("/healthz/ready")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["status"], body["schema_current"], body["snapshot_loaded"]) == ("ok", True, True)


def test_requests_are_counted_by_route_template_never_by_raw_id(
    client: TestClient, reader: dict[str, str]
) -> None:
    requests = "termsgate_http_requests_total"
    lookup = {"method": "GET", "route": LOOKUP_ROUTE, "status": "200"}
    segment = {"method": "GET", "route": "/v1/segments/{key}", "status": "200"}
    missing = {"method": "GET", "route": "/v1/segments/{key}", "status": "404"}
    before = metrics_text(client)
    for customer_id in ("c-metrics-71", "c-metrics-72"):
        assert client.get(f"/v1/customers/{customer_id}/terms", headers=reader).status_code == 200
    assert client.get("/v1/segments/net_15", headers=reader).status_code == 200
    assert client.get("/v1/segments/zz_metrics_none", headers=reader).status_code == 404
    assert client.get("/v1/zz-metrics-raw-path", headers=reader).status_code == 404
    after = metrics_text(client)

    assert value(after, requests, **lookup) - value(before, requests, **lookup) == 2
    assert value(after, requests, **segment) - value(before, requests, **segment) == 1
    assert value(after, requests, **missing) - value(before, requests, **missing) == 1
    # Only the request series: a segment key is a fair label elsewhere (invoices routed).
    request_lines = [line for line in after.splitlines() if line.startswith("termsgate_http_")]
    for raw in ("c-metrics-71", "c-metrics-72", "net_15", "zz_metrics_none", "zz-metrics-raw-path"):
        assert all(raw not in line for line in request_lines)
    routes = {labels["route"] for labels, _ in samples(after, requests)}
    assert all(route.startswith("/") or route == "unmatched" for route in routes)


def test_terms_lookups_are_counted_by_source(
    client: TestClient, store: Store, reader: dict[str, str]
) -> None:
    lookups = "termsgate_terms_lookups_total"
    place(store, "c-placed", "net_30")
    before = metrics_text(client)
    client.get("/v1/customers/c-new-1/terms", headers=reader)
    client.get("/v1/customers/c-new-2/terms", headers=reader)
    client.get("/v1/customers/c-placed/terms", headers=reader)
    client.get("/v1/customers/c-placed/terms")  # refused: not a lookup answered
    after = metrics_text(client)
    for source, expected in (("default", 2), ("segment", 1), ("override", 0)):
        delta = value(after, lookups, source=source) - value(before, lookups, source=source)
        assert delta == expected, source


def test_request_durations_have_a_sub_millisecond_bucket(
    client: TestClient, reader: dict[str, str]
) -> None:
    client.get("/v1/customers/c-1/terms", headers=reader)
    text = metrics_text(client)
    buckets = samples(text, "termsgate_http_request_duration_seconds_bucket")
    lookup_buckets = {labels["le"] for labels, _ in buckets if labels.get("route") == LOOKUP_ROUTE}
    assert {"0.0001", "0.00025", "0.0005", "0.001", "+Inf"} <= lookup_buckets
    counts = samples(text, "termsgate_http_request_duration_seconds_count")
    assert any(labels == {"method": "GET", "route": LOOKUP_ROUTE} for labels, _ in counts)


def test_metrics_need_no_key_and_name_the_contract_metrics(client: TestClient) -> None:
    text = metrics_text(client)
    for name in (
        "termsgate_http_requests_total",
        "termsgate_http_request_duration_seconds",
        "termsgate_terms_lookups_total",
        "termsgate_cache_customers",
        "termsgate_cache_sync_age_seconds",
    ):
        assert f"# TYPE {name} " in text, name
