"""GET /v1/overrides: the overrides in force, for ops and for reports."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.store import Store
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem
from tests.support.segments import place


def test_overrides_in_force_are_listed_and_a_lapsed_one_is_not(
    client: TestClient, store: Store, ops: dict[str, str], make_key: KeyMaker, clock: Clock
) -> None:
    for customer_id in ("c-1", "c-2", "c-3"):
        place(store, customer_id, "net_30")
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    for customer_id, extra in (("c-1", {}), ("c-2", {"expires_on": tomorrow}), ("c-3", {})):
        body = {"segment": "net_15", "reason": "late twice", **extra}
        answer = client.put(f"/v1/customers/{customer_id}/override", json=body, headers=ops)
        assert answer.status_code == 200, answer.text
    reports = make_key("reports:read")
    first = client.get("/v1/overrides?limit=2", headers=reports).json()
    assert [(o["customer_id"], o["segment"]) for o in first["items"]] == [
        ("c-1", "net_15"),
        ("c-2", "net_15"),
    ]
    assert first["items"][1]["expires_on"] == tomorrow
    rest = client.get(f"/v1/overrides?cursor={first['next_cursor']}", headers=ops).json()
    assert ([o["customer_id"] for o in rest["items"]], rest["next_cursor"]) == (["c-3"], None)
    clock.shift = timedelta(days=2)  # c-2's override lapsed yesterday
    later = client.get("/v1/overrides", headers=ops).json()
    assert [o["customer_id"] for o in later["items"]] == ["c-1", "c-3"]


def test_overrides_need_segments_write_or_reports_read(
    client: TestClient, make_key: KeyMaker
) -> None:
    assert_problem(client.get("/v1/overrides", headers=make_key("terms:read")), 403, "forbidden")
