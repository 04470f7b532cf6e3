"""/docs and /redoc load everything they need from this server: they work offline."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.core.clock import Clock
from app.core.config import Settings
from app.main import create_app

ASSET = re.compile(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(database_url="sqlite://"), Clock()))


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_pages_take_every_asset_from_this_server(client: TestClient, page: str) -> None:
    answer = client.get(page)
    assert answer.status_code == 200
    assert "text/html" in answer.headers["content-type"]
    html = answer.text
    assert "https://" not in html
    assert "http://" not in html
    assets = [url for url in ASSET.findall(html) if url != "/openapi.json"]
    assert assets, html
    for url in assets:
        fetched = client.get(url)
        assert fetched.status_code == 200, url
        assert len(fetched.content) > 1000, url


def test_the_pages_read_the_apps_own_openapi_document(client: TestClient) -> None:
    assert "/openapi.json" in client.get("/docs").text
    assert client.get("/openapi.json").json()["info"]["title"] == "termsgate"
