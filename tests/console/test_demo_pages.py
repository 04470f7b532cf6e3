"""Every page on the demo data, on SQLite and PostgreSQL: answered, small, and with the demo's
customers, tasks and figures in it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from app.demo import service as demo
from app.segmentation_runs import service as runs
from tests.support.console import sign_in
from tests.support.keys import KeyMaker

PAGE_BYTES = 100_000


def test_every_page_answers_on_the_demo_data(
    client: TestClient, make_key: KeyMaker, store: Store, clock: Clock
) -> None:
    demo.generate(store, customers=40, seed=7, clock=clock)
    runs.run(store, as_of=None, dry_run=False, actor="ops", clock=clock)
    sign_in(client, make_key("admin"))
    pages = {
        "/console/approvals": "Disputes waiting for finance",
        "/console/worklist": "Record a touch",
        "/console/customers": "On today's worklist",
        "/console/customers/demo-00002": "Invoices",
        "/console/segments": "The segment of each payer class and value tier",
        "/console/segments/net_30": "Revision",
        "/console/runs": "applied",
        "/console/receivables": "DSO per month",
    }
    for path, shown in pages.items():
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert len(answer.content) < PAGE_BYTES, path
        assert shown in answer.text, path
    assert "Cash expected per week" in client.get("/console/receivables").text
    for chart in ("dso", "ageing", "collections", "contacts", "forecast", "forecast-record"):
        assert client.get(f"/console/receivables/{chart}.csv").status_code == 200, chart
