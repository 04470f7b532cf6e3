"""The Prometheus alerts and the Grafana dashboard watch only what the service exports.

A real `termsgate serve` (two workers, as deployed) is exercised until every kind of series
exists, then scraped: each metric name the rules and panels query, and each label value they
match exactly, must be in the answer. The files themselves are checked for what an operator
relies on: a datasource and a query on every panel, a severity and a runbook on every alert.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml  # type: ignore[import-untyped]
from prometheus_client.parser import text_string_to_metric_families

from tests.support.harness import bearer, create_key, http, place
from tests.support.server import Server

REPO = Path(__file__).resolve().parents[2]
ALERTS = REPO / "deploy" / "prometheus" / "alerts.yml"
DASHBOARD = REPO / "deploy" / "grafana" / "termsgate.json"

METRIC_NAME = re.compile(r"\btermsgate_[a-z0-9_]+")
# A selector with its matchers; a quoted value may hold braces (route templates do).
SELECTOR = re.compile(r'\b(termsgate_[a-z0-9_]+)\{((?:[^{}"]|"[^"]*")*)\}')
EXACT_MATCHER = re.compile(r'\b(\w+)\s*=\s*"([^"]*)"')
# Labels Prometheus adds at scrape time, not the service.
TARGET_LABELS = frozenset({"job", "instance"})
# Grafana's own variables, replaced by plain values to check the queries as PromQL.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$job": ".+"}
ALERT_ANNOTATIONS = frozenset({"summary", "description", "runbook"})
SEVERITIES = frozenset({"critical", "warning"})
EXPORTED_WITHIN = 20.0  # seconds for every series to appear (the tallies flush each second)

Exported = dict[str, list[dict[str, str]]]  # sample name -> the label sets it is exported with


def alerting_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def panels(of: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel that draws something: rows are walked into, never returned."""
    for panel in of.get("panels", []):
        if panel["type"] == "row":
            yield from panels(panel)
        else:
            yield panel


def dashboard_expressions() -> list[str]:
    board = dashboard()
    queries = [target["expr"] for panel in panels(board) for target in panel["targets"]]
    for variable in board["templating"]["list"]:
        if variable["type"] == "query":
            queries.append(variable["query"]["query"])
    return queries


QUERIES = {
    "alerts": [str(rule["expr"]) for rule in alerting_rules()],
    "dashboard": dashboard_expressions(),
}


def names_in(queries: list[str]) -> set[str]:
    return {name for query in queries for name in METRIC_NAME.findall(query)}


def exact_matches_in(queries: list[str]) -> set[tuple[str, str, str]]:
    """(metric, label, value) for every `label="value"` matcher, but on target labels."""
    return {
        (metric, label, value)
        for query in queries
        for metric, matchers in SELECTOR.findall(query)
        for label, value in EXACT_MATCHER.findall(matchers)
        if label not in TARGET_LABELS
    }


def missing_from(exported: Exported, queries: list[str]) -> list[str]:
    missing = sorted(names_in(queries) - set(exported))
    for metric, label, value in sorted(exact_matches_in(queries)):
        if metric in exported and all(labels.get(label) != value for labels in exported[metric]):
            missing.append(f'{metric}{{{label}="{value}"}}')
    return missing


@pytest.fixture(scope="module")
def exported(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """What /metrics answers once a lookup, a decision, an invoice route and a touch have been
    served."""
    directory = tmp_path_factory.mktemp("observability")
    database = directory / "termsgate.db"
    shutil.copy(sqlite_template, database)
    database_url = f"sqlite:///{database}"
    headers = bearer(create_key(database_url, "ops", "admin"))
    place(database_url, "c-1", "net_30")
    server = Server(
        database_url,
        directory / "serve.log",
        workers=2,
        extra_args=("--no-migrate",),
        # DSO by segment and the cash forecast soon after the route
        env={"TERMSGATE_KPI_REFRESH_SECONDS": "0.2", "TERMSGATE_FORECAST_REFRESH_SECONDS": "0.2"},
    )
    with server, http(server) as client:
        exercise(client, headers)
        everything = QUERIES["alerts"] + QUERIES["dashboard"]
        deadline = time.monotonic() + EXPORTED_WITHIN
        while True:
            found = scrape(client)
            if not missing_from(found, everything) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    return found


def exercise(client: httpx.Client, headers: dict[str, str]) -> None:
    lookup = client.get("/v1/customers/c-1/terms", headers=headers)
    assert lookup.status_code == 200, lookup.text
    order = {"customer_id": "c-1", "order_id": "o-1", "amount": 5_000, "currency": "USD"}
    decision = client.post("/v1/checkout/decisions", json=order, headers=headers)
    assert decision.status_code == 200, decision.text
    invoice = {
        "invoice_id": f"inv-{uuid.uuid4().hex[:8]}",
        "customer_id": "c-1",
        "amount": 5_000,
        "currency": "USD",
        "issued_on": datetime.now(UTC).date().isoformat(),
    }
    routed = client.post("/v1/invoice-routes", json=invoice, headers=headers)
    assert routed.status_code == 201, routed.text
    touch = {
        "touch_id": f"t-{uuid.uuid4().hex[:8]}",
        "invoice_id": invoice["invoice_id"],
        "channel": "phone",
        "kind": "reminder",
        "occurred_at": datetime.now(UTC).isoformat(),
        "outcome": "no_answer",
    }
    touched = client.post("/v1/touches", json=touch, headers=headers)
    assert touched.status_code == 201, touched.text


def scrape(client: httpx.Client) -> Exported:
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.text
    found: Exported = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(dict(sample.labels))
    return found


@pytest.mark.process
@pytest.mark.xdist_group("observability")  # one worker, so one served process, for both
@pytest.mark.parametrize("source", sorted(QUERIES))
def test_every_metric_the_alerts_and_dashboard_query_is_exported(
    source: str, exported: Exported
) -> None:
    queries = QUERIES[source]
    assert names_in(queries)  # the extraction found something to check
    assert missing_from(exported, queries) == []


def test_the_lookup_route_is_matched_by_its_template_in_both() -> None:
    for queries in QUERIES.values():
        routes = {value for _, label, value in exact_matches_in(queries) if label == "route"}
        assert routes == {"/v1/customers/{customer_id}/terms"}


def test_every_dashboard_panel_has_a_datasource_and_queries() -> None:
    board = dashboard()
    variables = {variable["name"]: variable for variable in board["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    assert board["schemaVersion"] >= 39
    drawn = list(panels(board))
    assert drawn
    assert len({panel["id"] for panel in drawn}) == len(drawn)
    for panel in drawn:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == panel["datasource"], panel["title"]
            assert target["refId"], panel["title"]
            assert "termsgate_" in target["expr"], panel["title"]


def test_every_alert_has_a_severity_a_summary_a_description_and_a_runbook() -> None:
    rules = alerting_rules()
    assert len({rule["alert"] for rule in rules}) == len(rules)
    for rule in rules:
        assert rule["labels"]["severity"] in SEVERITIES, rule["alert"]
        assert set(rule["annotations"]) == ALERT_ANNOTATIONS, rule["alert"]


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool not installed (make lint)")
def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    """promtool parses each query, Grafana's variables replaced by plain values."""
    rules = []
    for number, query in enumerate(QUERIES["dashboard"]):
        for variable, value in GRAFANA_VARIABLES.items():
            query = query.replace(variable, value)
        query = re.sub(r"^label_values\((\w+), \w+\)$", r"\1", query)
        rules.append({"record": f"dashboard:query_{number}", "expr": query})
    path = tmp_path / "dashboard.rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))

    checked = subprocess.run(
        ["promtool", "check", "rules", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr
