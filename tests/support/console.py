"""The finance console as the tests drive it without a browser: sign in with a key, read a
page's CSRF token."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


def token_of(headers: dict[str, str]) -> str:
    """The API key behind `make_key`'s headers."""
    return headers["Authorization"].removeprefix("Bearer ")


def csrf_in(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found is not None, "no CSRF field on the page"
    return found.group(1)


def sign_in(client: TestClient, headers: dict[str, str]) -> str:
    """Sign in with the key's token; answers the session's CSRF token (from the next page)."""
    form = client.get("/console/sign-in")
    answer = client.post(
        "/console/sign-in",
        data={"csrf": csrf_in(form.text), "api_key": token_of(headers)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return csrf_in(client.get("/console/segments").text)
