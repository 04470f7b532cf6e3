"""The answers the API gives when it refuses: RFC 9457 problems."""

from __future__ import annotations

from typing import Any

import httpx

PROBLEM = "application/problem+json"


def assert_problem(answer: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    """The answer is an RFC 9457 problem of this status and type; returns its body."""
    assert answer.status_code == status
    assert answer.headers["content-type"] == PROBLEM
    body: dict[str, Any] = answer.json()
    assert body["type"] == f"urn:termsgate:problem:{slug}"
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["instance"] == f"urn:termsgate:request:{answer.headers['x-request-id']}"
    if status == 429:  # the IETF RateLimit headers agree with Retry-After
        scope = answer.headers["ratelimit-policy"].split(";")[0]
        wait = answer.headers["retry-after"]
        assert answer.headers["ratelimit"] == f"{scope};r=0;t={wait}"
    return body


def error_locs(body: dict[str, Any]) -> list[list[str | int]]:
    return [error["loc"] for error in body["errors"]]
