"""Every error a caller can get is RFC 9457 problem+json, traceable, and leaks nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
from fastapi.testclient import TestClient

from app.core.paging import encode_cursor
from tests.support.keys import KeyMaker
from tests.support.problems import assert_problem
from tests.support.segments import net_45

LIMIT = 1_048_576
LEAKS = ("Traceback", "SELECT", "sqlalchemy", 'File "')


def assert_clean_problem(answer: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    """A problem answer with a request id and nothing of the server's insides in it."""
    body = assert_problem(answer, status, slug)
    assert answer.headers["x-request-id"]
    for leak in LEAKS:
        assert leak not in answer.text
    return body


def test_unknown_route_is_404_problem(client: TestClient, reader: dict[str, str]) -> None:
    assert_clean_problem(client.get("/v1/no-such-thing"), 404, "not-found")
    assert_clean_problem(client.get("/v1/no-such-thing", headers=reader), 404, "not-found")
    # The lookup path is answered before FastAPI, and carries a request id only when sent one.
    traced = {**reader, "X-Request-ID": "checkout-42"}
    empty_id = client.get("/v1/customers//terms", headers=traced)
    assert assert_clean_problem(empty_id, 404, "not-found")
    assert empty_id.headers["x-request-id"] == "checkout-42"


def test_wrong_method_on_the_lookup_is_405(client: TestClient, reader: dict[str, str]) -> None:
    answer = client.post("/v1/customers/c-1/terms", headers={**reader, "X-Request-ID": "r-1"})
    assert_clean_problem(answer, 405, "method-not-allowed")
    assert answer.headers["allow"] == "GET"


def test_wrong_method_is_405_problem_naming_the_allowed_ones(
    client: TestClient, ops: dict[str, str]
) -> None:
    answer = client.post("/v1/segments", json=net_45(), headers=ops)
    assert_clean_problem(answer, 405, "method-not-allowed")
    assert "GET" in answer.headers["allow"]
    patch = client.patch("/v1/segments/net_30", json={"name": "x"}, headers=ops)
    assert_clean_problem(patch, 405, "method-not-allowed")


def test_body_over_the_limit_by_content_length_is_413(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    too_big = b'{"name": "' + b"x" * LIMIT + b'"}'
    answer = client.put(
        "/v1/segments/net_45",
        content=too_big,
        headers={**ops, "Content-Type": "application/json"},
    )
    assert str(LIMIT) in assert_clean_problem(answer, 413, "payload-too-large")["detail"]
    assert client.get("/v1/segments/net_45", headers=reader).status_code == 404


def test_chunked_body_over_the_limit_without_content_length_is_413(
    client: TestClient, ops: dict[str, str], reader: dict[str, str]
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(17):
            yield b"x" * 65_536
        yield b'"}'

    answer = client.put(
        "/v1/segments/net_45",
        content=chunks(),
        headers={**ops, "Content-Type": "application/json"},
    )
    assert "content-length" not in answer.request.headers
    assert answer.request.headers["transfer-encoding"] == "chunked"
    assert_clean_problem(answer, 413, "payload-too-large")
    assert client.get("/v1/segments/net_45", headers=reader).status_code == 404


def test_body_just_under_the_limit_is_read(client: TestClient, ops: dict[str, str]) -> None:
    padded = b" " * (LIMIT - 1024) + b'{"name": "Net 45"}'
    answer = client.put(
        "/v1/segments/net_45",
        content=padded,
        headers={**ops, "Content-Type": "application/json"},
    )
    assert_clean_problem(answer, 422, "invalid")  # read in full; only the fields are missing


def test_malformed_json_is_400_problem(client: TestClient, ops: dict[str, str]) -> None:
    answer = client.put(
        "/v1/segments/net_45",
        content=b'{"name": "Net 45",',
        headers={**ops, "Content-Type": "application/json"},
    )
    assert "JSON" in assert_clean_problem(answer, 400, "malformed")["detail"]


def test_a_json_body_that_is_not_an_object_is_400(client: TestClient, ops: dict[str, str]) -> None:
    for content in (b"[1, 2]", b'"net_45"', b"null"):
        answer = client.put(
            "/v1/segments/net_45",
            content=content,
            headers={**ops, "Content-Type": "application/json"},
        )
        assert_clean_problem(answer, 400, "malformed")


def test_form_body_is_415_problem(client: TestClient, ops: dict[str, str]) -> None:
    answer = client.put("/v1/segments/net_45", data={"name": "Net 45"}, headers=ops)
    body = assert_clean_problem(answer, 415, "unsupported-media-type")
    assert "application/json" in body["detail"]


def test_auth_and_validation_errors_carry_a_request_id(
    client: TestClient, reader: dict[str, str]
) -> None:
    assert_clean_problem(client.get("/v1/customers/c-1/terms"), 401, "unauthenticated")
    assert_clean_problem(client.get("/v1/segments"), 401, "unauthenticated")
    assert_clean_problem(client.put("/v1/segments/x", json={}, headers=reader), 403, "forbidden")
    bad_id = client.get("/v1/customers/bad%20id/terms", headers=reader)
    assert_clean_problem(bad_id, 422, "invalid")
    assert_clean_problem(client.get("/v1/segments?limit=0", headers=reader), 422, "invalid")


def test_each_request_gets_its_own_request_id(client: TestClient) -> None:
    first = client.get("/healthz/live").headers["x-request-id"]
    second = client.get("/healthz/live").headers["x-request-id"]
    assert first != second


def test_a_valid_incoming_request_id_is_echoed_back(
    client: TestClient, reader: dict[str, str]
) -> None:
    rid = "checkout-7f3a.42:retry-1"
    for path in ("/v1/customers/c-1/terms", "/v1/segments", "/v1/no-such-thing"):
        answer = client.get(path, headers={**reader, "X-Request-ID": rid})
        assert answer.headers["x-request-id"] == rid, path
    unauthenticated = client.get("/v1/segments", headers={"X-Request-ID": rid})
    assert unauthenticated.headers["x-request-id"] == rid


def test_an_invalid_incoming_request_id_is_replaced(client: TestClient) -> None:
    for rid in ("has spaces in it", "x" * 65, "<script>"):
        answer = client.get("/healthz/live", headers={"X-Request-ID": rid})
        assert answer.headers["x-request-id"] not in ("", rid)


def test_no_string_parameter_of_any_read_reaches_the_store_with_a_nul(
    client: TestClient, make_key: KeyMaker
) -> None:
    """PostgreSQL refuses text with a NUL in it: every string a GET takes (path or query) is
    answered without a 500 when it holds one, on both stores. Generated from the OpenAPI
    document, so a new parameter cannot be forgotten."""
    admin = make_key("admin")
    document = client.app.api.openapi()  # type: ignore[attr-defined]
    tried = 0
    for template, item in document["paths"].items():
        parameters = item.get("get", {}).get("parameters", [])
        for target in (p for p in parameters if _is_string(p["schema"])):
            in_path = {p["name"]: "1" for p in parameters if p["in"] == "path"}
            query = {}
            if target["in"] == "path":
                in_path[target["name"]] = "a%00b"  # httpx sends no raw NUL in a path
            elif target["name"] == "cursor":  # well formed, with a NUL inside
                query["cursor"] = encode_cursor("a\x00b")
            else:
                query[target["name"]] = "a\x00b"
            answer = client.get(template.format(**in_path), params=query, headers=admin)
            assert answer.status_code < 500, (template, target["name"], answer.text)
            for leak in LEAKS:
                assert leak not in answer.text
            tried += 1
    assert tried >= 10


def _is_string(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" or any(
        option.get("type") == "string" for option in schema.get("anyOf", [])
    )
