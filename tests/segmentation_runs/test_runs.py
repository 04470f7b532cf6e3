"""POST/GET /v1/segmentation-runs: preview, apply, hold, list, audit."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.clock import Clock
from app.core.models import Customer, SegmentAssignment
from app.core.store import Store
from tests.support.audit import audit_trail
from tests.support.keys import KeyMaker
from tests.support.payment_history import (
    AS_OF,
    DAY,
    all_moves,
    bill,
    looked_up,
    record,
    start_run,
    three_customers,
)
from tests.support.problems import assert_problem, error_locs
from tests.support.segments import place

RUNS = "/v1/segmentation-runs"


def versions(store: Store) -> dict[str, int]:
    with store.reading() as session:
        rows = session.execute(select(Customer.customer_id, Customer.changed_version))
        return dict(rows.all())


def assignments(store: Store) -> list[tuple[str, str, str | None, str | None, str]]:
    with store.reading() as session:
        rows = session.execute(
            select(
                SegmentAssignment.customer_id,
                SegmentAssignment.kind,
                SegmentAssignment.from_segment,
                SegmentAssignment.to_segment,
                SegmentAssignment.assigned_by,
            ).order_by(SegmentAssignment.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_dry_run_records_its_moves_and_changes_no_one(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    three_customers(store)
    run = start_run(client, ops)
    assert run["id"].startswith("run_")
    summary = {key: run[key] for key in ("as_of", "dry_run", "policy_version", "classified")}
    assert summary == {"as_of": "2024-06-30", "dry_run": True, "policy_version": 1, "classified": 3}
    assert run["counts_before"] == {"net_15": 0, "net_30": 0, "pay_on_order": 3}
    assert run["counts_after"] == {"net_15": 0, "net_30": 1, "pay_on_order": 2}
    assert (run["moved"], run["held"]) == (3, 0)
    assert run["created_by"] == "ops"
    for customer_id in ("c-good", "c-poor", "c-new"):
        assert looked_up(client, reader, customer_id) == ("pay_on_order", "default")
    with store.reading() as session:
        assert session.scalars(select(Customer)).all() == []
    assert assignments(store) == []
    first = client.get(f"{RUNS}/{run['id']}/moves", params={"limit": 2}, headers=ops).json()
    assert [move["customer_id"] for move in first["items"]] == ["c-good", "c-new"]
    second = client.get(
        f"{RUNS}/{run['id']}/moves",
        params={"limit": 2, "cursor": first["next_cursor"]},
        headers=ops,
    ).json()
    assert [move["customer_id"] for move in second["items"]] == ["c-poor"]
    assert second["next_cursor"] is None
    assert first["items"][0] == {
        "customer_id": "c-good",
        "from": None,
        "to": "net_30",
        "payer_class": "good",
        "value_tier": "standard",
        "held": False,
        "metrics": {
            "invoices_counted": 3,
            "invoices_late": 0,
            "invoices_paid": 3,
            "avg_days_late": 0.0,
            "late_share": 0.0,
            "avg_days_to_pay": 30.0,
            "revenue": {"amount": 30_000, "currency": "USD"},
            "margin_share": None,
            "broken_promises": 0,
        },
    }
    assert client.get(f"{RUNS}/{run['id']}", headers=ops).json() == run
    assert audit_trail(store, "segmentation_run") == [
        ("ops", "segmentation_run.dry_run", run["id"], None)
    ]


def test_applied_run_moves_customers_and_lookups_follow_at_once(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    three_customers(store)
    run = start_run(client, ops, dry_run=False)
    assert (run["dry_run"], run["moved"], run["held"]) == (False, 3, 0)
    assert looked_up(client, reader, "c-good") == ("net_30", "segment")
    assert looked_up(client, reader, "c-poor") == ("pay_on_order", "segment")
    assert looked_up(client, reader, "c-new") == ("pay_on_order", "segment")
    by = f"run:{run['id']}"
    assert assignments(store) == [
        ("c-good", "run", None, "net_30", by),
        ("c-new", "run", None, "pay_on_order", by),
        ("c-poor", "run", None, "pay_on_order", by),
    ]
    with store.reading() as session:
        good = session.get(Customer, "c-good")
        assert good is not None
        assert (good.payer_class, good.value_tier, good.classified_run_id) == (
            "good",
            "standard",
            run["id"],
        )
        assert good.metrics is not None
        assert good.metrics["invoices_counted"] == 3
        assert good.assigned_by == by
    assert [action for _, action, _, _ in audit_trail(store, "segmentation_run")] == [
        "segmentation_run.applied"
    ]


def test_a_second_run_moves_only_those_whose_segment_changes(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    three_customers(store)
    first = start_run(client, ops, dry_run=False)
    before = versions(store)
    # c-good turns average: 20 days on, two more invoices are 20 days overdue (avg 8, 2 of 5).
    record(
        store,
        [
            bill("c-good", "c-good-late-1", due_on=AS_OF),
            bill("c-good", "c-good-late-2", due_on=AS_OF),
        ],
    )
    second = start_run(client, ops, as_of=AS_OF + 20 * DAY, dry_run=False)
    assert second["counts_before"] == first["counts_after"]
    assert (second["moved"], second["held"], second["classified"]) == (1, 0, 3)
    assert second["counts_after"] == {"net_15": 1, "net_30": 0, "pay_on_order": 2}
    moves = all_moves(client, ops, second["id"])
    assert [(m["customer_id"], m["from"], m["to"]) for m in moves] == [
        ("c-good", "net_30", "net_15")
    ]
    assert looked_up(client, reader, "c-good") == ("net_15", "segment")
    after = versions(store)
    # Only the moved customer's version changes, so caches reload only it.
    assert after["c-good"] > before["c-good"]
    assert {k: after[k] for k in ("c-poor", "c-new")} == {k: before[k] for k in ("c-poor", "c-new")}
    with store.reading() as session:
        poor = session.get(Customer, "c-poor")
        assert poor is not None
        assert poor.classified_run_id == second["id"]  # reclassified, not moved
    third = start_run(client, ops, as_of=AS_OF + 20 * DAY, dry_run=False)
    assert (third["moved"], third["held"]) == (0, 0)
    assert third["counts_before"] == third["counts_after"]
    assert all_moves(client, ops, third["id"]) == []


def test_customers_pinned_by_an_override_are_held_where_they_are(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    three_customers(store)
    pin = {"segment": "pay_on_order", "reason": "disputed invoices"}
    assert client.put("/v1/customers/c-good/override", json=pin, headers=ops).status_code == 200
    run = start_run(client, ops, dry_run=False)
    assert (run["moved"], run["held"]) == (2, 1)
    assert run["counts_after"] == {"net_15": 0, "net_30": 0, "pay_on_order": 3}
    moves = {move["customer_id"]: move for move in all_moves(client, ops, run["id"])}
    assert (moves["c-good"]["held"], moves["c-good"]["to"]) == (True, "net_30")
    assert moves["c-poor"]["held"] is False
    assert looked_up(client, reader, "c-good") == ("pay_on_order", "override")
    # The run's assignment lies beneath the override: removing it lets the run's segment decide.
    assert client.delete("/v1/customers/c-good/override", headers=ops).status_code == 204
    assert looked_up(client, reader, "c-good") == ("net_30", "segment")


def test_an_override_the_runs_segment_would_make_looser_stands_aside_and_the_customer_moves(
    client: TestClient, store: Store, ops: dict[str, str], reader: dict[str, str]
) -> None:
    three_customers(store)
    place(store, "c-poor", "net_30")
    pin = {"segment": "net_15", "reason": "slower lately"}
    assert client.put("/v1/customers/c-poor/override", json=pin, headers=ops).status_code == 200
    assert looked_up(client, reader, "c-poor") == ("net_15", "override")
    run = start_run(client, ops, dry_run=False)  # c-poor pays late: pay_on_order
    moves = {move["customer_id"]: move for move in all_moves(client, ops, run["id"])}
    assert (moves["c-poor"]["from"], moves["c-poor"]["to"]) == ("net_30", "pay_on_order")
    assert moves["c-poor"]["held"] is False
    assert (run["moved"], run["held"]) == (3, 0)
    assert looked_up(client, reader, "c-poor") == ("pay_on_order", "segment")


def test_a_run_as_of_today_is_the_default(
    client: TestClient, store: Store, ops: dict[str, str], clock: Clock
) -> None:
    three_customers(store)
    answer = client.post(RUNS, json={}, headers=ops)
    assert answer.status_code == 201
    assert answer.json()["as_of"] == clock.today().isoformat()
    assert answer.json()["dry_run"] is True


def test_runs_are_listed_newest_first_page_by_page(
    client: TestClient, store: Store, ops: dict[str, str], make_key: KeyMaker
) -> None:
    three_customers(store)
    made = [start_run(client, ops, as_of=AS_OF - number * DAY)["id"] for number in range(3)]
    finance = make_key("reports:read")
    first = client.get(RUNS, params={"limit": 2}, headers=finance).json()
    second = client.get(
        RUNS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=finance
    ).json()
    listed = [run["id"] for run in first["items"] + second["items"]]
    assert listed == list(reversed(made))
    assert second["next_cursor"] is None


def test_bad_run_requests_are_problems_and_start_nothing(
    client: TestClient, store: Store, ops: dict[str, str], make_key: KeyMaker, clock: Clock
) -> None:
    three_customers(store)
    tomorrow = (clock.today() + DAY).isoformat()
    cases: list[tuple[Any, int, str, list[list[str | int]] | None]] = [
        ({"dry_run": True, "apply": True}, 422, "invalid", [["body", "apply"]]),
        ({"as_of": tomorrow}, 422, "invalid", [["body", "as_of"]]),
        ({"as_of": "30/06/2024"}, 422, "invalid", [["body", "as_of"]]),
        ({"as_of": "1899-12-31"}, 422, "invalid", [["body", "as_of"]]),
        ({"dry_run": "maybe"}, 422, "invalid", [["body", "dry_run"]]),
        ([], 400, "malformed", None),
    ]
    for body, status, slug, locs in cases:
        answer = client.post(RUNS, json=body, headers=ops)
        problem = assert_problem(answer, status, slug)
        if locs is not None:
            assert error_locs(problem) == locs, body
    assert_problem(client.post(RUNS, content=b"{", headers=ops), 400, "malformed")
    assert_problem(client.post(RUNS, json={}), 401, "unauthenticated")
    reports = make_key("reports:read")
    assert_problem(client.post(RUNS, json={}, headers=reports), 403, "forbidden")
    assert_problem(client.get(RUNS, headers=make_key("terms:read")), 403, "forbidden")
    assert_problem(client.get(f"{RUNS}/run_nope", headers=ops), 404, "not-found")
    assert_problem(client.get(f"{RUNS}/run_nope/moves", headers=ops), 404, "not-found")
    assert_problem(client.get(RUNS, params={"cursor": "!!"}, headers=ops), 422, "invalid")
    assert_problem(client.get(RUNS, params={"cursor": "bm9wZQ"}, headers=ops), 422, "invalid")
    assert_problem(client.get(RUNS, params={"limit": 0}, headers=ops), 422, "invalid")
    nul = "AA"  # a cursor that decodes to a NUL byte, which PostgreSQL refuses in text
    assert_problem(client.get(RUNS, params={"cursor": nul}, headers=ops), 422, "invalid")
    assert_problem(client.get(f"{RUNS}/run%00", headers=ops), 422, "invalid")
    real = start_run(client, ops)["id"]
    moves = f"{RUNS}/{real}/moves"
    assert_problem(client.get(moves, params={"cursor": nul}, headers=ops), 422, "invalid")
    assert_problem(client.get(moves, params={"cursor": "!!"}, headers=ops), 422, "invalid")
    assert_problem(client.get(moves, params={"limit": 1001}, headers=ops), 422, "invalid")
    listed = client.get(RUNS, headers=ops).json()
    assert [run["id"] for run in listed["items"]] == [real]
    assert len(audit_trail(store, "segmentation_run")) == 1


def test_a_run_over_an_empty_store_classifies_no_one(
    client: TestClient, ops: dict[str, str]
) -> None:
    run = start_run(client, ops, dry_run=False)
    assert (run["classified"], run["moved"], run["counts_before"]) == (
        0,
        0,
        {"net_15": 0, "net_30": 0, "pay_on_order": 0},
    )
