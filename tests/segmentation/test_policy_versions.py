"""Policy versions, and what a new policy changes: lookups, the audit log, segment deletion."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.models import AuditEvent, SegmentationPolicy
from app.core.store import Store
from tests.support.policies import DEFAULT, VERSIONS, policy, put
from tests.support.problems import assert_problem, error_locs
from tests.support.segments import net_45

# -- versions ----------------------------------------------------------------------------------


def test_every_version_is_kept_and_readable(client: TestClient, ops: dict[str, str]) -> None:
    assert put(client, policy(min_invoices=4), ops).status_code == 200
    assert put(client, policy(min_invoices=5), ops, if_match='"2"').status_code == 200
    listed = client.get(VERSIONS, headers=ops).json()
    assert [item["version"] for item in listed["items"]] == [3, 2, 1]
    assert [item["min_invoices"] for item in listed["items"]] == [5, 4, 3]
    assert listed["next_cursor"] is None
    first = client.get(f"{VERSIONS}/1", headers=ops)
    assert first.status_code == 200
    assert {key: first.json()[key] for key in DEFAULT} == DEFAULT
    assert client.get(f"{VERSIONS}/2", headers=ops).json()["min_invoices"] == 4


def test_versions_page_newest_first(client: TestClient, ops: dict[str, str]) -> None:
    for version in (1, 2, 3):
        body = policy(min_invoices=version + 3)
        assert put(client, body, ops, if_match=f'"{version}"').status_code == 200
    seen: list[int] = []
    cursor: str | None = None
    for _ in range(4):
        params: dict[str, str | int] = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get(VERSIONS, params=params, headers=ops).json()
        seen += [item["version"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [4, 3, 2, 1]
    assert cursor is None


@pytest.mark.parametrize("cursor", ["bm90LWEtbnVtYmVy", "MA", "!!", "OTk5OTk5OTk5OTk5OTk5"])
def test_versions_with_a_cursor_not_handed_out_is_422(
    client: TestClient, ops: dict[str, str], cursor: str
) -> None:
    answer = client.get(VERSIONS, params={"cursor": cursor}, headers=ops)
    assert error_locs(assert_problem(answer, 422, "invalid")) == [["query", "cursor"]]


def test_unknown_version_is_404(client: TestClient, ops: dict[str, str]) -> None:
    assert_problem(client.get(f"{VERSIONS}/2", headers=ops), 404, "not-found")


@pytest.mark.parametrize("version", ["0", "-1", "x", "99999999999999999999"])
def test_version_that_cannot_exist_is_422(
    client: TestClient, ops: dict[str, str], version: str
) -> None:
    assert_problem(client.get(f"{VERSIONS}/{version}", headers=ops), 422, "invalid")


# -- what a new policy changes -----------------------------------------------------------------


def test_lookups_follow_the_new_policy_at_once(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    before = client.get("/v1/customers/c-new/terms", headers=reader).json()
    assert (before["segment"], before["policy_version"]) == ("pay_on_order", 1)
    assert put(client, policy(new_customer_segment="net_15"), ops).status_code == 200
    after = client.get("/v1/customers/c-new/terms", headers=reader).json()
    assert (after["segment"], after["source"], after["policy_version"]) == ("net_15", "default", 2)
    assert after["terms"] == {"type": "net", "net_days": 15}


def test_put_is_audited_with_before_after_and_reason(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    headers = {**ops, "X-Audit-Reason": "collections asked for stricter average bounds"}
    body = policy(**{"payer_classes.average.max_avg_days_late": 7})
    assert put(client, body, headers).status_code == 200
    with store.reading() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "segmentation_policy")
        ).one()
        session.expunge(event)
    assert (event.actor, event.action, event.entity_id) == ("ops", "policy.updated", "2")
    assert event.reason == "collections asked for stricter average bounds"
    assert event.before is not None
    assert event.after is not None
    assert event.before["version"] == 1
    assert event.after["version"] == 2
    assert event.before["payer_classes"]["average"]["max_avg_days_late"] == 10
    assert event.after["payer_classes"]["average"]["max_avg_days_late"] == 7


def test_refused_put_stores_and_audits_nothing(
    client: TestClient, store: Store, ops: dict[str, str]
) -> None:
    assert put(client, policy(new_customer_segment="net_99"), ops).status_code == 422
    assert put(client, policy(), ops, if_match='"7"').status_code == 412
    with store.reading() as session:
        assert session.scalars(select(SegmentationPolicy.version)).all() == [1]
        audited = select(AuditEvent).where(AuditEvent.entity_type == "segmentation_policy")
        assert session.scalars(audited).all() == []


def test_segment_named_by_the_new_policy_cannot_be_deleted_and_one_dropped_can(
    client: TestClient, ops: dict[str, str]
) -> None:
    assert client.put("/v1/segments/net_45", json=net_45(), headers=ops).status_code == 201
    body = policy(
        **{"matrix.good.high": "net_45", "matrix.average.standard": "net_30",
           "matrix.poor.high": "net_30"}
    )  # fmt: skip
    assert put(client, body, ops).status_code == 200
    answer = client.delete("/v1/segments/net_45", headers=ops)
    assert "policy" in assert_problem(answer, 409, "conflict")["detail"]
    assert client.delete("/v1/segments/net_15", headers=ops).status_code == 204
