"""What a server writes to its log: JSON lines with request ids, and never a secret."""

from __future__ import annotations

import secrets
from typing import Any

import orjson
import pytest

from tests.support.harness import bearer, create_key, http
from tests.support.launch import Launch

pytestmark = pytest.mark.process

REQUEST_ID = "canary-request-1"


def test_logs_are_json_with_request_ids_and_never_hold_a_token_or_secret(
    sqlite_database: str, launch: Launch
) -> None:
    token = create_key(sqlite_database, "ops-1", "admin")
    bogus = "tgk_canary" + secrets.token_urlsafe(30)
    server = launch(
        sqlite_database,
        env={"TERMSGATE_LOG_LEVEL": "DEBUG", "TERMSGATE_WEBHOOK_ALLOW_PRIVATE": "true"},
    )
    headers = bearer(token)
    with http(server) as client:
        assert client.get("/v1/customers/c-1/terms", headers=headers).status_code == 200
        assert client.get("/v1/customers/c-1/terms", headers=bearer(bogus)).status_code == 401
        assert client.get("/v1/segments", headers=bearer(bogus)).status_code == 401
        current = client.get("/v1/segments/net_30", headers=headers)
        changed = client.put(
            "/v1/segments/net_30",
            headers={**headers, "If-Match": current.headers["ETag"], "X-Request-Id": REQUEST_ID},
            json={"name": "Net 30", "terms": {"type": "net", "net_days": 30}, "workflow": "net_30"},
        )
        assert changed.status_code == 200, changed.text
        assert changed.headers["x-request-id"] == REQUEST_ID
        hooked = client.put(
            "/v1/workflows/collections",
            headers=headers,
            json={"name": "Collections", "webhook_url": "http://127.0.0.1:9/hooks"},
        )
        assert hooked.status_code == 201, hooked.text
        webhook_secret = hooked.json()["secret"]
        assert webhook_secret.startswith("whsec_")
        scraped = client.get("/metrics")
        assert scraped.status_code == 200
    server.stop()

    text = server.log_path.read_text()
    for secret in (token, bogus, webhook_secret):
        for shown in (secret, secret.split("_", 1)[1]):
            assert shown not in text
            assert shown not in scraped.text

    entries = [_entry(line) for line in text.splitlines() if line.strip()]
    requests = [entry for entry in entries if entry["logger"] == "termsgate.http"]
    assert requests
    assert all(entry.get("request_id") for entry in requests)
    assert any(
        entry["request_id"] == REQUEST_ID and entry["msg"] == "PUT /v1/segments/{key} 200"
        for entry in requests
    )


def _entry(line: str) -> dict[str, Any]:
    entry = orjson.loads(line)
    assert isinstance(entry, dict), line
    assert {"ts", "level", "logger", "msg"} <= entry.keys(), line
    return entry
