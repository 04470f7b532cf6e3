"""Mass assignment: every body the API takes refuses fields it does not know.

Generated from the committed OpenAPI document, so a new operation cannot be forgotten: each
request body's schema (and every object nested in it) declares `additionalProperties: false`,
and each operation, sent an otherwise empty body with one unknown field by an admin, answers a
422 problem that names that field and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.core.store import Store
from tests.support.figures import Figure
from tests.support.keys import KeyMaker
from tests.support.openapi import committed_document

OPENAPI = committed_document()
UNKNOWN = "zz_not_a_field"
# Tables a refused request could have written to.
WRITTEN = ("invoices", "payments", "outbox_events", "audit_events", "term_exceptions")


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, item in OPENAPI["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                found.append((method.upper(), path, body["schema"]))
    return sorted(found, key=lambda op: (op[1], op[0]))


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = OPENAPI["components"]["schemas"][name]
    return schema


OPERATIONS = _operations()


def _objects(schema: dict[str, Any], seen: frozenset[str] = frozenset()) -> Iterator[str]:
    """The title (or a placeholder) of every object schema reachable from `schema` that admits
    unknown properties."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        if name in seen:
            return
        seen |= {name}
    schema = _resolve(schema)
    if schema.get("type") == "object" and "properties" in schema:
        if schema.get("additionalProperties") is not False:
            yield schema.get("title", "<untitled>")
        for child in schema["properties"].values():
            yield from _objects(child, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _objects(schema[key], seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for child in schema.get(key, []):
            yield from _objects(child, seen)


def test_every_request_body_schema_refuses_unknown_fields(figure: Figure) -> None:
    assert len(OPERATIONS) >= 10  # the document has bodies to check
    lenient = {f"{m} {p}": list(_objects(s)) for m, p, s in OPERATIONS}
    figure("6", "operations taking a body, each schema closed to unknown fields", len(OPERATIONS))
    assert {op: objects for op, objects in lenient.items() if objects} == {}


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in OPERATIONS])
def test_an_unknown_field_is_refused_with_422_naming_it(
    method: str, path: str, client: TestClient, make_key: KeyMaker, store: Store
) -> None:
    headers = {**make_key("admin"), "If-Match": '"1"'}
    url = path.replace("{", "").replace("}", "")  # any id: the body is judged first
    before = _counts(store)
    answer = client.request(method, url, json={UNKNOWN: True}, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    named = [e for e in answer.json()["errors"] if e["loc"][-1] == UNKNOWN]
    assert named == [{"loc": ["body", UNKNOWN], "msg": "unknown field: not accepted here"}]
    assert _counts(store) == before


def _counts(store: Store) -> dict[str, int]:
    with store.reading() as session:
        return {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in WRITTEN}
