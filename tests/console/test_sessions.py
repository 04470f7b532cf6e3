"""Console sessions: sign-in makes a server-side session behind an HttpOnly, SameSite=Strict
cookie; sign-out, expiry and a revoked key end it; every form carries its CSRF token."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.keys import token_digest
from app.core.models import ConsoleSession
from app.core.store import Store
from tests.support.console import csrf_in, sign_in, token_of
from tests.support.keys import KeyMaker


def test_sign_in_sets_a_strict_http_only_cookie_and_stores_only_digests(
    client: TestClient, make_key: KeyMaker, store: Store
) -> None:
    key = make_key("reports:read", name="cfo")
    form = client.get("/console/sign-in")
    assert "SameSite=strict" in form.headers["set-cookie"]
    assert "script-src" not in form.headers["content-security-policy"]  # none: default-src
    assert "frame-ancestors 'none'" in form.headers["content-security-policy"]
    answer = client.post(
        "/console/sign-in",
        data={"csrf": csrf_in(form.text), "api_key": token_of(key)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    cookie = next(c for c in answer.headers.get_list("set-cookie") if "termsgate_console=" in c)
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/console" in cookie
    assert "Secure" not in cookie  # http here; https (or a trusted proxy's header) adds it
    token = cookie.split(";")[0].split("=", 1)[1]
    with store.reading() as session:
        row = session.scalars(select(ConsoleSession)).one()
        assert row.token_sha256 == token_digest(token)
        assert row.key_sha256 == token_digest(token_of(key))
        assert row.key_name == "cfo"
        assert row.expires_at - row.created_at == timedelta(hours=8)
    assert client.get("/console/receivables").status_code == 200


def test_the_cookie_is_secure_over_https(client: TestClient, make_key: KeyMaker) -> None:
    key = make_key("reports:read")
    form = client.get("https://testserver/console/sign-in")
    assert "Secure" in form.headers["set-cookie"]
    answer = client.post(
        "https://testserver/console/sign-in",
        data={"csrf": csrf_in(form.text), "api_key": token_of(key)},
        follow_redirects=False,
    )
    assert all("Secure" in c for c in answer.headers.get_list("set-cookie"))


def test_sign_in_without_its_csrf_cookie_or_field_is_refused(
    client: TestClient, make_key: KeyMaker
) -> None:
    key = make_key("reports:read")
    form = client.get("/console/sign-in")
    csrf = csrf_in(form.text)
    refused = client.post("/console/sign-in", data={"csrf": "forged", "api_key": token_of(key)})
    assert refused.status_code == 403
    client.cookies.clear()  # a page on another site cannot send the pre-session cookie
    refused = client.post("/console/sign-in", data={"csrf": csrf, "api_key": token_of(key)})
    assert refused.status_code == 403


def test_an_unknown_key_does_not_sign_in(client: TestClient) -> None:
    form = client.get("/console/sign-in")
    answer = client.post(
        "/console/sign-in", data={"csrf": csrf_in(form.text), "api_key": "tgk_" + "A" * 43}
    )
    assert answer.status_code == 401
    assert "unknown or revoked" in answer.text
    assert client.get("/console/segments", follow_redirects=False).status_code == 303


def test_pages_send_a_browser_without_a_session_to_sign_in(client: TestClient) -> None:
    for path in ("/console/", "/console/approvals", "/console/segments", "/console/receivables"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == "/console/sign-in"


def test_sign_out_ends_the_session_on_the_server(
    client: TestClient, make_key: KeyMaker, store: Store
) -> None:
    csrf = sign_in(client, make_key("reports:read"))
    cookie = client.cookies.get("termsgate_console")
    assert cookie
    answer = client.post("/console/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    client.cookies.set("termsgate_console", cookie, path="/console")  # kept by a thief
    assert client.get("/console/segments", follow_redirects=False).status_code == 303
    with store.reading() as session:
        assert session.scalars(select(ConsoleSession.signed_out_at)).one() is not None


def test_a_session_expires_on_the_server(
    client: TestClient, make_key: KeyMaker, clock: Clock
) -> None:
    sign_in(client, make_key("reports:read"))
    clock.shift = timedelta(hours=7, minutes=59)
    assert client.get("/console/segments", follow_redirects=False).status_code == 200
    clock.shift = timedelta(hours=8, seconds=1)
    assert client.get("/console/segments", follow_redirects=False).status_code == 303


def test_revoking_the_key_ends_its_sessions(
    client: TestClient, make_key: KeyMaker, store: Store, clock: Clock
) -> None:
    sign_in(client, make_key("reports:read", name="leaver"))
    with store.writing() as session:
        apikeys.revoke(session, "leaver", actor="test", clock=clock)
    assert client.get("/console/segments", follow_redirects=False).status_code == 303


def test_a_form_without_the_sessions_csrf_token_is_refused(
    client: TestClient, make_key: KeyMaker
) -> None:
    sign_in(client, make_key("segments:write"))
    for data in ({"as_of": ""}, {"csrf": "forged"}):
        answer = client.post("/console/runs", data=data)
        assert answer.status_code == 403
        assert "CSRF" in answer.text
    assert client.get("/console/runs").text.count("Dry run") == 0  # nothing started


def test_the_console_is_not_in_the_api_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith("/console")]
