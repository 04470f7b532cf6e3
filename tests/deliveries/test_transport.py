"""The delivery client resolves every host itself and connects to global addresses only."""

from __future__ import annotations

import httpx
import pytest

from app.core.config import Settings
from app.deliveries.transport import AddressRefused, build_client
from tests.support.receiver import Receiver


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::ffff:127.0.0.1]"])
def test_a_host_resolving_to_a_private_address_is_refused_before_connecting(host: str) -> None:
    with Receiver() as receiver, build_client(Settings(webhook_allow_private=False)) as client:
        with pytest.raises(AddressRefused, match="non-global address"):
            client.post(f"http://{host}:{receiver.port}/hooks", content=b"{}")
        assert receiver.received() == []


def test_private_addresses_are_reached_when_allowed() -> None:
    with Receiver() as receiver, build_client(Settings(webhook_allow_private=True)) as client:
        assert client.post(receiver.url, content=b"{}").status_code == 200
        assert len(receiver.received()) == 1


def test_redirects_are_answers_not_followed() -> None:
    with Receiver() as receiver, build_client(Settings(webhook_allow_private=True)) as client:
        receiver.redirect_next(1, f"http://127.0.0.1:{receiver.port}/elsewhere")
        answer = client.post(receiver.url, content=b"{}")
        assert answer.status_code == 302
        assert [r.path for r in receiver.received()] == ["/hooks/termsgate"]


def test_environment_proxies_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    with Receiver() as receiver, build_client(Settings(webhook_allow_private=True)) as client:
        assert client.post(receiver.url, content=b"{}").status_code == 200
    assert isinstance(client, httpx.Client)
