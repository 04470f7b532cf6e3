"""Apps made in one process share their routes (built once) and nothing else: each answers from
its own store, with its own keys."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.config import Settings
from app.main import create_app
from tests.support.parts import served, store_of
from tests.support.segments import net_45


def test_two_apps_in_one_process_each_answer_from_their_own_store(
    sqlite_template: Path, tmp_path: Path
) -> None:
    urls = []
    for name in ("a", "b"):
        shutil.copy(sqlite_template, tmp_path / f"{name}.db")
        urls.append(f"sqlite:///{tmp_path / name}.db")
    with (
        served(create_app(Settings(database_url=urls[0]), Clock())) as a,
        served(create_app(Settings(database_url=urls[1]), Clock())) as b,
    ):
        tokens = []
        for client in (a, b):
            with store_of(client.app).writing() as session:
                tokens.append(
                    apikeys.create(
                        session, "ops", scopes=["segments:write"], actor="test", clock=Clock()
                    )
                )
        on_a, on_b = ({"Authorization": f"Bearer {token}"} for token in tokens)

        assert a.put("/v1/segments/net_45", json=net_45(), headers=on_a).status_code == 201
        assert a.get("/v1/segments/net_45", headers=on_a).status_code == 200
        assert b.get("/v1/segments/net_45", headers=on_b).status_code == 404
        assert b.get("/v1/segments/net_45", headers=on_a).status_code == 401  # a's key
