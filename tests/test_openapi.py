"""The committed openapi/openapi.json is the contract: the app must not drift from it."""

from __future__ import annotations

from typing import Any

from app.main import openapi
from tests.support.openapi import committed_document


def current_document() -> dict[str, Any]:
    return openapi()


def test_committed_openapi_matches_the_app() -> None:
    assert committed_document() == current_document(), "run `make openapi` and commit the result"


def test_every_operation_has_a_stable_unique_id() -> None:
    paths = current_document()["paths"]
    ids = [operation["operationId"] for item in paths.values() for operation in item.values()]
    assert len(ids) == len(set(ids))
    assert "lookup_terms" in ids


def test_the_hand_written_lookup_is_documented() -> None:
    lookup = current_document()["paths"]["/v1/customers/{customer_id}/terms"]["get"]
    assert set(lookup["responses"]) >= {"200", "401", "403", "422"}
    assert lookup["parameters"][0]["name"] == "customer_id"
