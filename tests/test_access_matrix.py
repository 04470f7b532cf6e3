"""Access: every endpoint x every kind of caller, generated from the route table.

Each operation in the app (FastAPI's routes plus the two answered at the edge) is asked with no
key, malformed headers, an unknown key, a revoked key, a key holding one scope (each scope in
turn) and an admin key: 401, 401, 401, 401, then 403 for a scope that does not grant and "let
in" for one that does, and for admin. "Let in" is any answer but 401, 403 or a 5xx (an empty
body may well earn a 404, 409 or 422).

The scopes are a table (tests/support/access.py, which the secrets tests share), because the
OpenAPI document does not record them; the table must name exactly the app's operations, so a
new endpoint fails this test until it is added.
"""

from __future__ import annotations

import re
import time

import httpx
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.keys import ADMIN, SCOPES
from app.core.store import Store
from tests.support.access import (
    GRANTS,
    KEYLESS,
    PATH_VALUES,
    Operation,
    concrete,
)
from tests.support.figures import Figure
from tests.support.keys import KeyMaker
from tests.support.openapi import committed_document

# Served by the edge, before FastAPI: not in its route table.
EDGE: frozenset[Operation] = frozenset(
    {("GET", "/v1/customers/{customer_id}/terms"), ("POST", "/v1/checkout/decisions")}
)
# FastAPI's own pages, not operations of the API.
FRAMEWORK_PATHS = frozenset({"/docs", "/docs/assets", "/redoc", "/openapi.json"})
# The finance console's pages: for people with a session cookie, outside the API and its
# document (tests/console checks their sign-in, CSRF and scopes).
CONSOLE = "/console/"
MALFORMED = [
    "Basic dXNlcjpwYXNz",
    "Bearer",
    "Bearer    ",
    "tgk_" + "A" * 43,  # a key's shape, without its scheme
]
UNKNOWN = "Bearer tgk_" + "A" * 43
ROLES = sorted(SCOPES - {ADMIN})


def app_operations(client: TestClient) -> set[Operation]:
    """Every (method, path) FastAPI routes, asserting nothing else hides in its table."""
    operations: set[Operation] = set()
    for context in iter_route_contexts(client.app.api.routes):  # type: ignore[attr-defined]
        if str(context.path).startswith(CONSOLE):
            assert not getattr(context.original_route, "include_in_schema", True), context.path
            continue
        if isinstance(context.original_route, APIRoute):
            operations.update((method, str(context.path)) for method in context.methods or ())
        else:
            assert context.path in FRAMEWORK_PATHS, f"an unchecked route: {context.path}"
    return operations


def documented_operations() -> dict[Operation, dict[str, object]]:
    paths: dict[str, dict[str, dict[str, object]]] = committed_document()["paths"]
    return {(m.upper(), p): op for p, ops in paths.items() for m, op in ops.items()}


def call(client: TestClient, operation: Operation, headers: dict[str, str]) -> httpx.Response:
    method, path = operation
    body: dict[str, object] | None = {} if method in {"POST", "PUT", "PATCH"} else None
    response: httpx.Response = client.request(method, concrete(path), headers=headers, json=body)
    return response


def wait_ready(client: TestClient) -> None:
    """Until the snapshot has loaded, lookups wave key-shaped tokens through (by design)."""
    deadline = time.monotonic() + 10
    while client.get("/healthz/ready").status_code != 200:
        assert time.monotonic() < deadline, "the app never became ready"
        time.sleep(0.02)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": value}


def test_the_table_names_every_operation_and_the_contract_matches(client: TestClient) -> None:
    routed = app_operations(client)
    documented = documented_operations()
    assert set(documented) == routed | EDGE
    assert not routed & EDGE
    assert {op for op, spec in documented.items() if spec.get("security") == []} == KEYLESS
    assert set(GRANTS) == routed - KEYLESS | EDGE
    assert {s for grant in GRANTS.values() if grant for s in grant} <= set(ROLES)
    assert set(PATH_VALUES) == {
        name for _, path in GRANTS for name in re.findall(r"\{(\w+)\}", path)
    }


def test_keyless_operations_answer_without_a_key(client: TestClient) -> None:
    wait_ready(client)
    for operation in sorted(KEYLESS):
        assert call(client, operation, {}).status_code == 200, operation


def test_every_operation_refuses_and_admits_the_right_callers(
    client: TestClient, make_key: KeyMaker, store: Store, clock: Clock, figure: Figure
) -> None:
    wait_ready(client)
    keys = {scope: make_key(scope) for scope in [*ROLES, ADMIN]}
    revoked = make_key(ADMIN, name="revoked")
    # Used once before its revocation, so a remembered answer would show.
    assert client.get(concrete("/v1/customers/{customer_id}/terms"), headers=revoked).is_success
    assert client.get("/v1/segments", headers=revoked).is_success
    with store.writing() as session:
        apikeys.revoke(session, "revoked", actor="test", clock=clock)

    checked = 0
    mismatches: list[str] = []

    def expect(operation: Operation, case: str, headers: dict[str, str], want: int | None) -> None:
        nonlocal checked
        checked += 1
        status = call(client, operation, headers).status_code
        let_in = status not in {401, 403} and status < 500
        if (want is None and not let_in) or (want is not None and status != want):
            wanted = "let in" if want is None else want
            mismatches.append(f"{operation[0]} {operation[1]} [{case}]: {status}, wanted {wanted}")

    for operation, grants in sorted(GRANTS.items()):
        expect(operation, "no key", {}, 401)
        for value in MALFORMED:
            expect(operation, f"malformed {value[:12]!r}", bearer(value), 401)
        expect(operation, "unknown key", bearer(UNKNOWN), 401)
        expect(operation, "revoked key", revoked, 401)
        for scope in ROLES:  # each scope on its own: refused unless it grants
            right = grants is None or scope in grants
            case = f"{'right' if right else 'wrong'} scope {scope}"
            expect(operation, case, keys[scope], None if right else 403)
        expect(operation, "admin", keys[ADMIN], None)

    figure("6", "access matrix: operations x callers = cases checked",
           f"{len(GRANTS)} x {checked // len(GRANTS)} = {checked}")  # fmt: skip
    figure("6", "access matrix: mismatches", len(mismatches))
    assert not mismatches, "\n".join(mismatches)
