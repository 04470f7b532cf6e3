"""A key made with `termsgate apikey create` works on a running server as soon as the command
returns, on the fast lookup and on routed endpoints alike; revoking it still wins within 1 s."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.support.harness import cli_create_key, http, revoke_key
from tests.support.server import Server

pytestmark = pytest.mark.process

REVOCATION_BOUND_SECONDS = 1.0


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_key_made_while_the_server_runs_is_accepted_at_once(tmp_path: Path) -> None:
    """The server's snapshot would not reload for 30 s: only the re-check can know the key."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    env = {"TERMSGATE_SYNC_INTERVAL_SECONDS": "30"}
    with Server(url, tmp_path / "server.log", env=env) as server:
        token = cli_create_key(url, "fresh", "terms:read")
        with http(server, headers=_bearer(token)) as client:
            lookup = client.get("/v1/customers/c-1/terms")
            routed = client.get("/v1/segments")
            unknown = client.get("/v1/segments", headers=_bearer("tgk_" + "x" * 43))
        assert lookup.status_code == 200, lookup.text
        assert routed.status_code == 200, routed.text
        assert unknown.status_code == 401


def test_a_key_used_at_once_and_then_revoked_is_refused_within_a_second(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Server(url, tmp_path / "server.log") as server:
        token = cli_create_key(url, "brief", "terms:read")
        with http(server, headers=_bearer(token)) as client:
            assert client.get("/v1/customers/c-1/terms").status_code == 200
            assert client.get("/v1/segments").status_code == 200
            revoke_key(url, "brief")
            revoked_at = time.monotonic()
            refused = False
            while time.monotonic() - revoked_at < REVOCATION_BOUND_SECONDS:
                lookup = client.get("/v1/customers/c-1/terms").status_code
                routed = client.get("/v1/segments").status_code
                if (lookup, routed) == (401, 401):
                    refused = True
                    break
                time.sleep(0.02)
        assert refused, "the revoked key was still accepted a second after its revocation"
